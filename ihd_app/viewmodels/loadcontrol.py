"""Demand-response events: which load is paused and until when, for the banner."""

from __future__ import annotations

from PySide6.QtCore import QObject

from device_backend.api import model
from ihd_app import formatting
from ihd_app.plural import counted
from ihd_app.viewmodels.base import Now, ViewModel


class LoadControlViewModel(ViewModel):
    def __init__(self, now: Now, parent: QObject | None = None) -> None:
        super().__init__(now, parent)
        self._events: dict[int, model.LoadControl] = {}
        self._shown = ""

    def on_load_control(self, event: model.LoadControl) -> None:
        if not event.load and not event.active:
            # A cancellation: id 0 comes from "cancel all".
            if event.event_id == 0:
                self._events.clear()
            else:
                self._events.pop(event.event_id, None)
        else:
            self._events[event.event_id] = event
        self._update()

    def tick(self) -> None:
        # Events start and end with the clock alone; only repaint when the words change.
        now = self.now()
        for key in [k for k, e in self._events.items() if e.ends <= now]:
            del self._events[key]
        self._update()

    def _update(self) -> None:
        text = self.banner()
        if text != self._shown:
            self._shown = text
            self.changed.emit()

    def active(self) -> list[model.LoadControl]:
        now = self.now()
        return sorted(
            (e for e in self._events.values() if e.starts <= now < e.ends), key=lambda e: e.ends
        )

    def load_words(self, load: str) -> str:
        """DRLC device-class names (the back end's English) in the display's language."""
        names = {
            "heating or cooling": self.tr("heating or cooling"),
            "electric heating": self.tr("electric heating"),
            "water heater": self.tr("water heater"),
            "pool pump": self.tr("pool pump"),
            "smart appliances": self.tr("smart appliances"),
            "irrigation pump": self.tr("irrigation pump"),
            "managed loads": self.tr("managed loads"),
            "other loads": self.tr("other loads"),
            "outdoor lighting": self.tr("outdoor lighting"),
            "indoor lighting": self.tr("indoor lighting"),
            "electric vehicle charger": self.tr("electric vehicle charger"),
            "generation": self.tr("generation"),
            "controlled load": self.tr("controlled load"),
        }
        return ", ".join(names.get(part, part) for part in load.split(", "))

    def banner(self) -> str:
        now = self.now()
        return "  ·  ".join(
            counted(
                self.tr(
                    "{n, plural, one {Your {load} is paused until {time}}"
                    " other {Your {load} are paused until {time}}}"
                ),
                len(e.load.split(", ")),
                load=self.load_words(e.load),
                time=formatting.when_label(e.ends, now),
            )
            for e in self.active()
        )
