"""A PIN gate (installer or researcher): enter the PIN, or choose one (twice) when none is set."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from ihd_app.plural import counted
from ihd_app.settings import PIN_MAX, PIN_MIN, PinError
from ihd_app.widgets.common import button, label, scrolling, set_role
from ihd_app.widgets.flow import FlowLayout
from ihd_app.widgets.keypad import Keypad


class PinGate(Protocol):
    @property
    def pin_set(self) -> bool: ...
    @property
    def locked_out(self) -> bool: ...
    @property
    def unlocked(self) -> bool: ...
    def try_pin(self, pin: str) -> bool: ...
    def set_pin(self, pin: str) -> None: ...


class PinPage(QWidget):
    unlocked = Signal()
    cancelled = Signal()

    def __init__(
        self, gate: PinGate, parent: QWidget | None = None, *, who: str = "installer"
    ) -> None:
        super().__init__(parent)
        self.gate = gate
        self.who = who
        prefix = "pin" if who == "installer" else f"{who}-pin"
        self.digits = ""
        self.first_choice: str | None = None
        self.changing = False
        content = QWidget()
        self.row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight, content)
        row.setContentsMargins(10, 8, 10, 8)
        row.setSpacing(12)
        self.keypad = Keypad(prefix)
        self.keypad.digit.connect(self._digit)
        self.keypad.delete.connect(lambda: self._set_digits(self.digits[:-1]))
        self.keypad.clear.connect(lambda: self._set_digits(""))
        side = QVBoxLayout()
        self.title = label("", "title", name=f"{prefix}-title")
        self.dots = label("", "utrn-entry", wrap=False, name=f"{prefix}-dots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.feedback = label("", "status", name=f"{prefix}-feedback")
        side.addWidget(self.title)
        side.addWidget(self.dots)
        side.addWidget(self.feedback)
        side.addStretch(1)
        buttons = FlowLayout()
        self.back = back = button(
            self.tr("Back"), name=f"{prefix}-back", description=self.tr("Leave without a PIN")
        )
        back.clicked.connect(self._cancel)
        self.ok = button(
            self.tr("OK"),
            role="primary",
            name=f"{prefix}-ok",
            spoken=self.tr("OK, check the PIN"),
            description=self.tr("Check the PIN you have entered"),
        )
        self.ok.clicked.connect(self._submit)
        buttons.addWidget(back)
        buttons.addWidget(self.ok)
        side.addLayout(buttons)
        row.addWidget(self.keypad, 5)
        row.addLayout(side, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(content))

    def set_text_scale(self, scale: float) -> None:
        # The keys stay beside the title and the dots at every size, so that all of them and
        # OK are on view at 800x480 (issue 19): the keys share the page's height (see the
        # theme's "key" role), the side gets five eighths of the width, the title, Back and
        # OK at most 150% text.
        large = scale >= 1.5
        self.row.setStretch(0, 3 if large else 5)
        self.row.setStretch(1, 5 if large else 6)
        for key in (self.back, self.ok, self.title):
            key.setProperty("compact", large)
            key.style().unpolish(key)
            key.style().polish(key)

    def start(self, *, changing: bool = False) -> None:
        self.changing = changing
        self.first_choice = None
        self._set_digits("")
        self._say(None)

    @property
    def choosing(self) -> bool:
        return self.changing or not self.gate.pin_set

    def _set_digits(self, digits: str) -> None:
        self.digits = digits
        self.dots.setText(" ".join("●" * len(digits)) or " ")
        self.dots.setAccessibleName(
            counted(
                self.tr("{n, plural, one {# digit entered} other {# digits entered}}"),
                len(digits),
            )
        )
        self.ok.setEnabled(len(digits) >= PIN_MIN)
        if self.choosing:
            self.title.setText(
                self.tr("Enter the new PIN again")
                if self.first_choice
                else self.tr("Choose an installer PIN ({low} to {high} digits)").format(
                    low=PIN_MIN, high=PIN_MAX
                )
            )
        elif self.who == "researcher":
            self.title.setText(self.tr("Researcher PIN"))
        else:
            self.title.setText(self.tr("Installer PIN"))

    def _digit(self, digit: str) -> None:
        if len(self.digits) < PIN_MAX:
            self._set_digits(self.digits + digit)

    def _say(self, text: str | None, kind: str = "alert") -> None:
        self.feedback.setText(
            text or (self.tr("No installer PIN has been set yet.") if not self.gate.pin_set else "")
        )
        set_role(self.feedback, kind if text else "status")

    def _cancel(self) -> None:
        self.start()
        self.cancelled.emit()

    def _submit(self) -> None:
        pin, self.digits = self.digits, ""
        if self.choosing:
            self._choose(pin)
        elif self.gate.locked_out:
            self._say(self.tr("Too many wrong PINs. Try again in a few minutes."))
        elif self.gate.try_pin(pin):
            self.start()
            self.unlocked.emit()
            return
        else:
            self._say(
                self.tr("That PIN is not right.")
                if not self.gate.locked_out
                else self.tr("Too many wrong PINs. Try again in a few minutes.")
            )
        self._set_digits("")

    def _choose(self, pin: str) -> None:
        if self.first_choice is None:
            self.first_choice = pin
            self._say(None)
            self._set_digits("")
            return
        first, self.first_choice = self.first_choice, None
        if pin != first:
            self._say(self.tr("The two PINs were different. Please choose again."))
            self._set_digits("")
            return
        try:
            self.gate.set_pin(pin)
        except PinError:
            self._say(self.tr("A PIN is {low} to {high} digits.").format(low=PIN_MIN, high=PIN_MAX))
            self._set_digits("")
            return
        self.changing = False
        self._say(self.tr("PIN saved."), "success")
        if not self.gate.unlocked:
            self.gate.try_pin(pin)
        self.unlocked.emit()
