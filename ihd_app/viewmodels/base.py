"""The common shape of a view-model: a QObject that says `changed` and knows the time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal

Now = Callable[[], datetime]


class ViewModel(QObject):
    changed = Signal()

    def __init__(self, now: Now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now

    def now(self) -> datetime:
        return self._now()

    def tick(self) -> None:
        """Called about once a second: ages and expiries change with time alone."""
        self.changed.emit()
