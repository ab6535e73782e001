"""The ESME's auxiliary load control switches, from its Calendar cluster publishes.

A calendar of type 0x04 (Auxiliary Load Switch, SE 1.4 annex D.9) says when each switch is
closed: PublishCalendar gives its start and time reference, PublishDayProfile the day's
switch times with a bitmap of the switches on (bit 0 = switch 1). The switches' names are the
Calendar server's AuxSwitchNLabel attributes. One day profile per calendar is read, applied
to every day: the simulated meter publishes no other shape (see simulator/alcs.py), and a
week profile mapping days to different profiles is not decoded yet.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from device_backend import model
from device_backend.clock import from_zigbee_time

COMMANDS = frozenset({"publish_calendar", "publish_day_profile"})
AUX_CALENDAR = 0x04  # CalendarType Auxiliary Load Switch Calendar
LOCAL_TIME = 0x02  # CalendarTimeReference


def _text(raw: Any) -> str:
    if isinstance(raw, bytes | bytearray):
        return bytes(raw).decode("utf-8", "replace").strip("\x00 ")
    return str(raw) if raw is not None else ""


class AuxCalendars:
    """Per meter: calendars announced, waiting for their day profile."""

    def __init__(self) -> None:
        self._headers: dict[int, tuple[str, datetime, bool]] = {}

    def decode(self, name: str, args: Any, now: datetime, cluster: Any) -> model.Event | None:
        """A whole auxiliary switch calendar once its day profile arrives; None otherwise
        (other calendar types are the tariff's and pass on untouched)."""
        if int(getattr(args, "calendar_type", -1)) != AUX_CALENDAR:
            return None
        calendar_id = int(args.issuer_calendar_id)
        if name == "publish_calendar":
            start = int(args.start_time)
            self._headers[calendar_id] = (
                _text(args.calendar_name),
                now if start in (0, 0xFFFFFFFF) else from_zigbee_time(start),
                int(args.calendar_time_reference) == LOCAL_TIME,
            )
            return None
        header = self._headers.pop(calendar_id, None)
        if header is None:
            return None  # a day profile for a calendar we never heard announced
        calendar_name, starts, local = header
        labels = tuple(
            _text(cluster.get(f"aux_switch{n}_label")) if cluster is not None else ""
            for n in range(1, 9)
        )
        return model.LoadSwitchCalendar(
            time=now,
            calendar_id=calendar_id,
            name=calendar_name,
            starts=starts,
            local_time=local,
            entries=tuple(
                (int(e.start_time), int(e.auxiliary_load_switch_state))
                for e in args.auxiliary_load_entries
            ),
            labels=labels,
        )
