"""The change of tenancy question (PIN-protected wipe) and the change of supplier notice.

An overlay on the whole window, like the alert popup: what the meter announced must be
answered before anything else. The wipe needs the installer PIN on the same PIN page the
Settings screen uses; Back, a wrong PIN or "Keep the history" wipe nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QStackedWidget, QVBoxLayout, QWidget

from ihd_app.screens.pin import PinGate, PinPage
from ihd_app.viewmodels.household import HouseholdViewModel
from ihd_app.widgets.common import button, label, set_role
from ihd_app.widgets.flow import FlowLayout


class HouseholdPrompt(QWidget):
    def __init__(self, window: QWidget, vm: HouseholdViewModel, gate: PinGate) -> None:
        super().__init__(window)
        self.setObjectName("household-prompt")
        self.window_ = window
        self.vm = vm
        self.gate = gate
        self.pages = QStackedWidget(self)

        self.card = QFrame()
        self.card.setObjectName("household-card")
        self.card.setProperty("role", "warning")
        box = QVBoxLayout(self.card)
        box.setContentsMargins(14, 10, 14, 10)
        self.words = label("", "", name="household-text")
        self.words.setStyleSheet("font-weight: bold;")
        self.note = label("", "status", name="household-note")
        box.addWidget(self.words)
        box.addWidget(self.note)
        answers = FlowLayout()
        self.clear = button("", name="household-clear")
        self.clear.clicked.connect(self._ask_pin)
        self.keep = button("", name="household-keep")
        self.keep.clicked.connect(vm.keep_history)
        self.ok = button("", name="household-ok")
        self.ok.clicked.connect(self._ok)
        for b in (self.clear, self.keep, self.ok):
            answers.addWidget(b)
        box.addLayout(answers)
        holder = QWidget()
        outer = QVBoxLayout(holder)
        outer.setContentsMargins(30, 30, 30, 30)
        outer.addStretch(1)
        outer.addWidget(self.card)
        outer.addStretch(1)
        self.pages.addWidget(holder)

        self.pin = PinPage(gate, who="tenancy")
        self.pin.setAutoFillBackground(True)
        self.pin.unlocked.connect(self._unlocked)
        self.pin.cancelled.connect(self._pin_cancelled)
        self.pages.addWidget(self.pin)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        vm.changed.connect(self.refresh)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.clear.setText(self.tr("Clear the history"))
        self.clear.setAccessibleDescription(
            self.tr("Delete the previous household's energy history; needs the installer PIN")
        )
        self.keep.setText(self.tr("Keep the history"))
        self.keep.setAccessibleDescription(self.tr("Leave the energy history as it is"))
        self.ok.setText(self.tr("OK"))
        self.ok.setAccessibleDescription(self.tr("Close this notice"))
        self.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 170))
        painter.end()

    def entering(self) -> bool:
        """The PIN is being typed: no alert may cover it."""
        return self.isVisible() and self.pages.currentWidget() is self.pin

    def fit(self) -> None:
        self.setGeometry(self.window_.rect())

    def refresh(self) -> None:
        showing = self.vm.showing
        if not showing:
            self.hide()
            self._enable_window(True)
            return
        if showing == "tenancy":
            self.words.setText(self.vm.tenancy_text())
            set_role(self.card, "warning")
        elif showing == "outcome":
            self.words.setText(self.vm.outcome)
            set_role(self.card, "card")
            if self.pages.currentWidget() is self.pin:
                self.pages.setCurrentIndex(0)
        else:
            self.words.setText(self.vm.supplier_text())
            set_role(self.card, "card")
        for child in (self.words, self.note):  # their colours follow the card's role
            child.style().unpolish(child)
            child.style().polish(child)
        self.words.setAccessibleName(self.words.text())
        self.clear.setVisible(showing == "tenancy")
        self.keep.setVisible(showing == "tenancy")
        self.ok.setVisible(showing != "tenancy")
        if showing != "tenancy":
            self.note.setText("")
        self.fit()
        self.show()
        self.raise_()
        self._enable_window(False)

    def _enable_window(self, on: bool) -> None:
        content = getattr(self.window_, "body", None)
        if isinstance(content, QWidget):
            content.setEnabled(on)

    def _ask_pin(self) -> None:
        if not self.gate.pin_set:
            # Choosing a PIN here would let anyone wipe: the installer sets it in Settings.
            self.note.setText(
                self.tr(
                    "No installer PIN has been set on this display, so the history cannot be "
                    "cleared here. Ask your installer."
                )
            )
            set_role(self.note, "alert")
            return
        self.pin.start()
        self.pages.setCurrentWidget(self.pin)
        self.pin.keypad.setFocus(Qt.FocusReason.OtherFocusReason)

    def _unlocked(self) -> None:
        self.pages.setCurrentIndex(0)
        self.vm.wipe_history()
        lock = getattr(self.gate, "lock", None)
        if callable(lock):
            lock()  # the PIN opened this wipe only, not the installer's settings

    def _pin_cancelled(self) -> None:
        self.pages.setCurrentIndex(0)
        self.note.setText(self.tr("Nothing was cleared."))
        set_role(self.note, "status")

    def _ok(self) -> None:
        if self.vm.showing == "outcome":
            self.vm.done()
        else:
            self.vm.supplier_read()
