"""A large 0-9 keypad with Clear and Delete, for top-up codes and PINs; no keyboard needed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from ihd_app.widgets.common import button

LAYOUT = ("123", "456", "789")


class Keypad(QWidget):
    digit = Signal(str)
    delete = Signal()
    clear = Signal()

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for row, digits in enumerate(LAYOUT):
            for column, d in enumerate(digits):
                grid.addWidget(self._digit_key(prefix, d), row, column)
        clear = button(
            self.tr("Clear"),
            role="key-word",
            name=f"{prefix}-clear",
            spoken=self.tr("Clear all digits"),
            description=self.tr("Start the code again"),
        )
        clear.clicked.connect(self.clear)
        delete = button(
            self.tr("Delete"),
            role="key-word",
            name=f"{prefix}-delete",
            spoken=self.tr("Delete last digit"),
            description=self.tr("Remove the last digit entered"),
        )
        delete.clicked.connect(self.delete)
        # No fixed minimum sizes: the keys' own size hints (their words at the chosen text
        # size) are the least a layout may give them, so large text is never cut off.
        for key in (clear, delete):
            key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        grid.addWidget(clear, 3, 0)
        grid.addWidget(self._digit_key(prefix, "0"), 3, 1)
        grid.addWidget(delete, 3, 2)
        self.keys["clear"] = clear
        self.keys["delete"] = delete

    def _digit_key(self, prefix: str, d: str) -> QPushButton:
        key = button(
            d, role="key", name=f"{prefix}-key-{d}", description=self.tr("Enter this digit")
        )
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        key.clicked.connect(lambda _=False, value=d: self.digit.emit(value))
        self.keys[d] = key
        return key
