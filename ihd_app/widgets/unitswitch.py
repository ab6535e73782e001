"""Pounds or kWh: two halves of one switch, the one in force filled, as a toggle should look.

A single "Show £" button coloured like a selected option read as "pounds are on" while kWh
were shown; a two-part switch says both what is shown and what else there is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from ihd_app.widgets.common import button


class UnitSwitch(QWidget):
    def __init__(self, prefix: str, chosen: Callable[[bool], None]) -> None:
        """`chosen(True)` when pounds are picked, `chosen(False)` for kWh."""
        super().__init__()
        self.setObjectName(f"{prefix}-unit")
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        group = QButtonGroup(self)
        self.pounds = self._half(group, f"{prefix}-unit-pounds", "left")
        self.kwh = self._half(group, f"{prefix}-unit-kwh", "right")
        self.pounds.clicked.connect(lambda: chosen(True))
        self.kwh.clicked.connect(lambda: chosen(False))
        box.addWidget(self.pounds)
        box.addWidget(self.kwh)
        self.retranslate()

    def _half(self, group: QButtonGroup, name: str, side: str) -> QPushButton:
        half = button("", role=f"segment-{side}", name=name, checkable=True)
        group.addButton(half)
        return half

    def retranslate(self) -> None:
        self.pounds.setText(self.tr("£"))
        self.pounds.setAccessibleName(self.tr("Show pounds"))
        self.pounds.setAccessibleDescription(self.tr("Show cost in pounds and pence"))
        self.kwh.setText(self.tr("kWh"))
        self.kwh.setAccessibleName(self.tr("Show kilowatt hours"))
        self.kwh.setAccessibleDescription(self.tr("Show energy in kilowatt hours"))

    def show_pounds(self, pounds: bool) -> None:
        (self.pounds if pounds else self.kwh).setChecked(True)

    def set_compact(self, compact: bool) -> None:
        """Words of 150% at most (at 200% text, beside a row of period buttons)."""
        for half in (self.pounds, self.kwh):
            half.setProperty("compact", compact)
            half.style().unpolish(half)
            half.style().polish(half)
