"""GB load control: the meter's auxiliary load control switches, from their calendars.

The back end hands over each auxiliary switch calendar (model.LoadSwitchCalendar); the one
in force is the latest to have started. A calendar that holds the switches in one state all
day is the supplier overriding the schedule (our reading, see README), until the next
calendar starts: "Storage heater switched off by your supplier until 16:30".
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject

from device_backend.api import model
from ihd_app import formatting
from ihd_app.viewmodels.base import Now, ViewModel


class LoadSwitchViewModel(ViewModel):
    def __init__(self, now: Now, parent: QObject | None = None) -> None:
        super().__init__(now, parent)
        self._calendars: dict[int, model.LoadSwitchCalendar] = {}
        self._shown = ""

    def on_calendar(self, event: model.LoadSwitchCalendar) -> None:
        self._calendars[event.calendar_id] = event
        now = self.now()
        current = self.current(now)
        if current is not None:  # those it replaced will never apply again
            self._calendars = {
                k: c for k, c in self._calendars.items() if c.starts >= current.starts
            }
        self._update()

    def tick(self) -> None:
        self._update()  # an override ends, or a future-dated calendar starts, by the clock

    def _update(self) -> None:
        text = self.banner()
        if text != self._shown:
            self._shown = text
            self.changed.emit()

    def current(self, now: datetime) -> model.LoadSwitchCalendar | None:
        started = [c for c in self._calendars.values() if c.starts <= now]
        return max(started, key=lambda c: (c.starts, c.calendar_id), default=None)

    def next_start(self, now: datetime) -> datetime | None:
        return min((c.starts for c in self._calendars.values() if c.starts > now), default=None)

    def overrides(self) -> list[tuple[str, bool, datetime | None]]:
        """(switch name, on, until) for each switch the supplier holds; [] on schedule."""
        now = self.now()
        current = self.current(now)
        if current is None or len(current.entries) != 1:
            return []
        bits = current.entries[0][1]
        until = self.next_start(now)
        held = []
        for number, label in enumerate(current.labels, start=1):
            if label:
                held.append((label, bool(bits & (1 << (number - 1))), until))
        return held

    def sentence(self, label: str, on: bool, until: datetime | None) -> str:
        now = self.now()
        if until is None:
            return (
                self.tr("{load} switched on by your supplier")
                if on
                else self.tr("{load} switched off by your supplier")
            ).format(load=label)
        return (
            self.tr("{load} switched on by your supplier until {time}")
            if on
            else self.tr("{load} switched off by your supplier until {time}")
        ).format(load=label, time=formatting.when_label(until, now))

    def banner(self) -> str:
        return "  ·  ".join(self.sentence(*held) for held in self.overrides())
