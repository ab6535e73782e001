"""The ESME's auxiliary load control switches (ALCS), told to HAN devices the GB way.

A SMETS2 electricity meter may carry up to five auxiliary load control switches (storage
heaters, immersion heaters) switched by its ALCS calendar, with a boost button and supplier
commands that override the calendar (SMETS2 section 5; a maker's SMETS2 manual, e.g. the
Landis+Gyr E470's "ALCS calendar" and boost). A HAN device learns the switching through the
Smart Energy Calendar cluster: a calendar of type 0x04, Auxiliary Load Switch Calendar, whose
day schedule entries carry an AuxiliaryLoadSwitchState bitmap (one bit per switch), and the
Calendar server attributes AuxSwitch1Label..AuxSwitch8Label name the switches (SE 1.4 annex
D.9; device_backend.zcl.calendar).

Our inference (no public GBCS text found for it): a supplier override reaches the HAN as a
new auxiliary switch calendar starting now that holds the switch in one state all day, with
the regular calendar published again, future-dated, for the moment the override ends. A
display reads "one state all day, and another calendar due at 16:30" as "switched off by your
supplier until 16:30". The meter logs each change as GBCS 0x8131 "Success in changing or
maintaining HCALCS or ALCS state".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import zigpy.types as t

from device_backend.clock import LONDON, to_zigbee_time
from device_backend.gbcs_events import ALCS_STATE_CHANGED
from device_backend.zcl.calendar import (
    AuxiliaryLoadStartTime,
    AuxiliarySwitchState,
    CalendarTimeReference,
    CalendarType,
    SeasonEntry,
)
from device_backend.zcl.ids import CALENDAR

MAX_SWITCHES = 5  # SMETS2: up to five ALCS on an ESME (the SE bitmap has room for eight)
SCHEDULE_NAME = b"ALCS times"  # CalendarName, at most 12 octets
OVERRIDE_NAME = b"Supplier set"
FIRST_CALENDAR_ID = 0x00A1C500  # our own numbering of the meter's ALCS calendars


@dataclass(frozen=True, slots=True)
class AuxSwitch:
    """One switch: its number (1-5), its label, when it is on, and the load it feeds."""

    number: int
    label: str
    on: tuple[tuple[time, time], ...]
    load: str = ""  # a modelled household load (e.g. "storage_heating"), or none

    def is_on(self, minute: int) -> bool:
        for start, end in self.on:
            a, b = start.hour * 60 + start.minute, end.hour * 60 + end.minute
            if (a <= minute < b) if a < b else (minute >= a or minute < b):
                return True
        return False


def day_entries(switches: tuple[AuxSwitch, ...]) -> list[tuple[int, int]]:
    """(minute after local midnight, switch bitmap) at 00:00 and at every change."""
    edges = sorted(
        {0} | {t.hour * 60 + t.minute for s in switches for band in s.on for t in band} - {1440}
    )
    entries: list[tuple[int, int]] = []
    for minute in edges:
        bits = sum(1 << (s.number - 1) for s in switches if s.is_on(minute))
        if not entries or entries[-1][1] != bits:
            entries.append((minute, bits))
    return entries


def off_windows(
    switch: AuxSwitch, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """When the switch is open (its load unfed) between start and end, minute by minute of
    local time, as the calendar (local time reference) switches it."""
    windows: list[tuple[datetime, datetime]] = []
    moment = start.astimezone(LONDON).replace(second=0, microsecond=0)
    off_since: datetime | None = None
    while moment < end:
        local = moment.astimezone(LONDON)
        on = switch.is_on(local.hour * 60 + local.minute)
        if not on and off_since is None:
            off_since = moment
        elif on and off_since is not None:
            windows.append((off_since, moment))
            off_since = None
        moment += timedelta(minutes=1)
    if off_since is not None:
        windows.append((off_since, end))
    return windows


class AlcsServer:
    """Publishes the ESME's ALCS calendar and the supplier's overrides on the HAN."""

    def __init__(
        self, meter: Any, switches: tuple[AuxSwitch, ...], log: Callable[[int, datetime], Any]
    ) -> None:
        self.meter = meter
        self.switches = switches
        self._log = log
        self._next_id = FIRST_CALENDAR_ID
        self.published = False
        meter.set_attributes(
            1, CALENDAR, {f"aux_switch{s.number}_label": s.label.encode()[:23] for s in switches}
        )

    def _calendar_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def publish_schedule(self, now: datetime, starts: datetime | None = None) -> None:
        """The regular calendar: in force now, or from `starts` (after an override)."""
        self._publish(now, starts, SCHEDULE_NAME, day_entries(self.switches))
        self.published = True

    def override(self, now: datetime, switch: int, on: bool, until: datetime | None) -> None:
        """The supplier holds one switch on or off until `until` (or until told otherwise)."""
        minute_now = now.astimezone(LONDON)
        bits = sum(
            1 << (s.number - 1)
            for s in self.switches
            if (on if s.number == switch else s.is_on(minute_now.hour * 60 + minute_now.minute))
        )
        self._publish(now, None, OVERRIDE_NAME, [(0, bits)])
        self._log(ALCS_STATE_CHANGED, now)
        if until is not None:
            self.publish_schedule(now, until)

    def _publish(
        self,
        now: datetime,
        starts: datetime | None,
        name: bytes,
        entries: list[tuple[int, int]],
    ) -> None:
        calendar_id = self._calendar_id()
        common = {
            "provider_id": self.meter_provider(),
            "issuer_event_id": to_zigbee_time(now),
            "issuer_calendar_id": calendar_id,
        }
        # The labels first: a display names the switch from them when the calendar comes.
        self.meter.report(1, CALENDAR, [f"aux_switch{s.number}_label" for s in self.switches])
        send = self.meter.send_command
        send(
            1,
            CALENDAR,
            "publish_calendar",
            **common,
            start_time=0 if starts is None or starts <= now else to_zigbee_time(starts),
            calendar_type=CalendarType.Auxiliary_Load_Switch,
            calendar_time_reference=CalendarTimeReference.Local_Time,
            calendar_name=name,
            number_of_seasons=1,
            number_of_week_profiles=1,
            number_of_day_profiles=1,
        )
        send(
            1,
            CALENDAR,
            "publish_day_profile",
            **common,
            day_id=1,
            total_number_of_schedule_entries=len(entries),
            command_index=0,
            total_number_of_commands=1,
            calendar_type=CalendarType.Auxiliary_Load_Switch,
            auxiliary_load_entries=[
                AuxiliaryLoadStartTime(
                    start_time=minute, auxiliary_load_switch_state=AuxiliarySwitchState(bits)
                )
                for minute, bits in entries
            ],
        )
        send(
            1,
            CALENDAR,
            "publish_week_profile",
            **common,
            week_id=1,
            **{f"day_id_ref_{day}": 1 for day in _DAYS},
        )
        send(
            1,
            CALENDAR,
            "publish_seasons",
            **common,
            command_index=0,
            total_number_of_commands=1,
            # One season, its date all 0xFF ("any", as ZCL dates allow): every week follows
            # week profile 1.
            season_entries=[
                SeasonEntry(
                    season_start_date=t.Date(
                        years_since_1900=0xFF, month=0xFF, day=0xFF, day_of_week=0xFF
                    ),
                    week_id_ref=1,
                )
            ],
        )

    def meter_provider(self) -> int:
        admin = getattr(self.meter, "admin", None)
        supplier = getattr(admin, "supplier", None)
        return int(getattr(supplier, "provider_id", 0x00000826))


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
