"""The installer's PIN gate: enter the PIN, or choose one (twice) when none has been set."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ihd_app.settings import PIN_MAX, PIN_MIN, PinError
from ihd_app.viewmodels.settings import SettingsViewModel
from ihd_app.widgets.common import button, label, set_role
from ihd_app.widgets.keypad import Keypad


class PinPage(QWidget):
    unlocked = Signal()
    cancelled = Signal()

    def __init__(self, vm: SettingsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.digits = ""
        self.first_choice: str | None = None
        self.changing = False
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 10, 8)
        row.setSpacing(12)
        self.keypad = Keypad("pin")
        self.keypad.digit.connect(self._digit)
        self.keypad.delete.connect(lambda: self._set_digits(self.digits[:-1]))
        self.keypad.clear.connect(lambda: self._set_digits(""))
        row.addWidget(self.keypad, 5)
        side = QVBoxLayout()
        self.title = label("", "title", name="pin-title")
        self.dots = label("", "utrn", wrap=False, name="pin-dots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.feedback = label("", "status", name="pin-feedback")
        side.addWidget(self.title)
        side.addWidget(self.dots)
        side.addWidget(self.feedback)
        side.addStretch(1)
        buttons = QHBoxLayout()
        back = button(self.tr("Back"), name="pin-back")
        back.clicked.connect(self._cancel)
        self.ok = button(self.tr("OK"), role="primary", name="pin-ok")
        self.ok.clicked.connect(self._submit)
        buttons.addWidget(back, 1)
        buttons.addWidget(self.ok, 2)
        side.addLayout(buttons)
        row.addLayout(side, 6)

    def start(self, *, changing: bool = False) -> None:
        self.changing = changing
        self.first_choice = None
        self._set_digits("")
        self._say(None)

    @property
    def choosing(self) -> bool:
        return self.changing or not self.vm.settings.pin_set

    def _set_digits(self, digits: str) -> None:
        self.digits = digits
        self.dots.setText(" ".join("●" * len(digits)) or " ")
        self.ok.setEnabled(len(digits) >= PIN_MIN)
        if self.choosing:
            self.title.setText(
                self.tr("Enter the new PIN again")
                if self.first_choice
                else self.tr("Choose an installer PIN ({low} to {high} digits)").format(
                    low=PIN_MIN, high=PIN_MAX
                )
            )
        else:
            self.title.setText(self.tr("Installer PIN"))

    def _digit(self, digit: str) -> None:
        if len(self.digits) < PIN_MAX:
            self._set_digits(self.digits + digit)

    def _say(self, text: str | None, kind: str = "alert") -> None:
        self.feedback.setText(
            text
            or (
                self.tr("No installer PIN has been set yet.")
                if not self.vm.settings.pin_set
                else ""
            )
        )
        set_role(self.feedback, kind if text else "status")

    def _cancel(self) -> None:
        self.start()
        self.cancelled.emit()

    def _submit(self) -> None:
        pin, self.digits = self.digits, ""
        if self.choosing:
            self._choose(pin)
        elif self.vm.locked_out:
            self._say(self.tr("Too many wrong PINs. Try again in a few minutes."))
        elif self.vm.try_pin(pin):
            self.start()
            self.unlocked.emit()
            return
        else:
            self._say(
                self.tr("That PIN is not right.")
                if not self.vm.locked_out
                else self.tr("Too many wrong PINs. Try again in a few minutes.")
            )
        self._set_digits("")

    def _choose(self, pin: str) -> None:
        if self.first_choice is None:
            self.first_choice = pin
            self._say(None)
            return
        first, self.first_choice = self.first_choice, None
        if pin != first:
            self._say(self.tr("The two PINs were different. Please choose again."))
            return
        try:
            self.vm.set_pin(pin)
        except PinError as error:
            self._say(str(error))
            return
        self.changing = False
        self._say(self.tr("PIN saved."), "success")
        if not self.vm.installer_unlocked:
            self.vm.try_pin(pin)
        self.unlocked.emit()
