"""Balance: prepayment credit, emergency credit, debt and supply, and the top-up keypad page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from ihd_app.viewmodels.balance import BalanceViewModel, Feedback
from ihd_app.widgets.common import button, card, label, scrolling, set_role, severity_role
from ihd_app.widgets.keypad import Keypad


def _show_feedback(widget: QLabel, feedback: Feedback | None) -> None:
    widget.setVisible(feedback is not None)
    widget.setText(feedback.text if feedback is not None else "")
    if feedback is not None:
        set_role(widget, severity_role(feedback.kind))


class BalanceScreen(QWidget):
    def __init__(self, vm: BalanceViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("screen-balance")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_placeholder())
        self.pages.addWidget(self._build_credit_mode())
        self.pages.addWidget(scrolling(self._build_overview()))
        self.pages.addWidget(self._build_keypad())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._on_keypad = False
        vm.changed.connect(self.refresh)
        self.refresh()

    # -- pages -----------------------------------------------------------------------------

    def _build_placeholder(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.waiting = label(
            self.tr("Waiting for the meter…"), "placeholder", name="balance-waiting"
        )
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.waiting)
        return page

    def _build_credit_mode(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(20, 20, 20, 20)
        box.addWidget(
            label(self.tr("Your meter is in credit mode"), "title", name="balance-credit-mode")
        )
        box.addWidget(
            label(
                self.tr(
                    "You pay for your energy by bill, so there is no balance to top up on this display. "
                    "Your use and costs are on the Usage and History screens."
                ),
                "",
            )
        )
        box.addStretch(1)
        return page

    def _build_overview(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)

        self.alert = label("", "alert", name="balance-alert")
        credit, credit_box = card("balance-credit-card")
        credit_box.addWidget(label(self.tr("Credit"), "title"))
        self.credit = label("", "figure", name="balance-credit")
        credit_box.addWidget(self.credit)
        self.days_left = label("", "caption", name="balance-days-left")
        credit_box.addWidget(self.days_left)

        actions = QVBoxLayout()
        self.top_up = button(self.tr("Top up"), role="primary", name="balance-top-up")
        self.top_up.setMinimumHeight(72)
        self.top_up.clicked.connect(self.open_keypad)
        actions.addWidget(self.top_up)
        self.use_emergency = button(self.tr("Use emergency credit"), name="balance-use-emergency")
        self.use_emergency.clicked.connect(self.vm.select_emergency_credit)
        actions.addWidget(self.use_emergency)
        self.restore = button(self.tr("Restore supply"), role="primary", name="balance-restore")
        self.restore.clicked.connect(self.vm.restore_supply)
        actions.addWidget(self.restore)
        actions.addStretch(1)

        details, details_box = card("balance-details")
        self.emergency = label("", "", name="balance-emergency")
        self.debt = label("", "", name="balance-debt")
        self.supply = label("", "", name="balance-supply")
        for w in (self.emergency, self.debt, self.supply):
            details_box.addWidget(w)
        self.emergency_feedback = label("", "status", name="balance-emergency-feedback")
        self.supply_feedback = label("", "status", name="balance-supply-feedback")

        grid.addWidget(self.alert, 0, 0, 1, 2)
        grid.addWidget(credit, 1, 0)
        grid.addLayout(actions, 1, 1, 2, 1)
        grid.addWidget(details, 2, 0)
        grid.addWidget(self.emergency_feedback, 3, 0, 1, 2)
        grid.addWidget(self.supply_feedback, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)
        return page

    def _build_keypad(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(10, 8, 10, 8)
        row.setSpacing(12)
        self.keypad = Keypad("topup")
        self.keypad.digit.connect(self.vm.press)
        self.keypad.delete.connect(self.vm.delete)
        self.keypad.clear.connect(self.vm.clear)
        row.addWidget(self.keypad, 5)

        side = QVBoxLayout()
        side.addWidget(label(self.tr("Enter the 20-digit top-up code"), "title"))
        self.code = label("", "utrn", wrap=False, name="topup-code")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.code)
        self.feedback = label("", "status", name="topup-feedback")
        side.addWidget(self.feedback)
        self.balance_line = label("", "caption", name="topup-balance")
        side.addWidget(self.balance_line)
        side.addStretch(1)
        buttons = QHBoxLayout()
        self.back = button(self.tr("Back"), name="topup-back")
        self.back.clicked.connect(self.close_keypad)
        self.send = button(self.tr("Top up"), role="primary", name="topup-send")
        self.send.setMinimumHeight(64)
        self.send.clicked.connect(self.vm.send)
        buttons.addWidget(self.back, 1)
        buttons.addWidget(self.send, 2)
        side.addLayout(buttons)
        row.addLayout(side, 6)
        return page

    # -- navigation ------------------------------------------------------------------------

    def open_keypad(self) -> None:
        self._on_keypad = True
        self.refresh()

    def close_keypad(self) -> None:
        self._on_keypad = False
        self.refresh()

    def reset(self) -> None:
        """Leaving the screen returns to the overview; a half-typed code is kept."""
        self._on_keypad = False
        self.refresh()

    # -- drawing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        vm = self.vm
        if not vm.known:
            self.pages.setCurrentIndex(0)
            return
        if not vm.prepay:
            self.pages.setCurrentIndex(1)
            return
        self.pages.setCurrentIndex(3 if self._on_keypad else 2)
        alert = vm.low_credit_alert()
        self.alert.setVisible(alert is not None)
        self.alert.setText(f"⚠ {alert}" if alert else "")
        self.credit.setText(vm.credit_text())
        self.days_left.setText(vm.days_left_text())
        self.emergency.setText(
            self.tr("Emergency credit: {state}").format(state=vm.emergency_text())
        )
        self.use_emergency.setVisible(vm.emergency_offered)
        self.debt.setText(self.tr("Debt: {debt}").format(debt=vm.debt_text()))
        self.supply.setText(vm.supply_text())
        self.restore.setVisible(vm.can_restore)
        _show_feedback(self.emergency_feedback, vm.emergency_feedback)
        _show_feedback(self.supply_feedback, vm.supply_feedback)

        self.code.setText(vm.entry.grouped())
        self.code.setAccessibleName(
            self.tr("Code entered: {digits}").format(digits=vm.entry.digits)
        )
        self.send.setEnabled(vm.can_send)
        _show_feedback(self.feedback, vm.feedback)
        self.balance_line.setText(self.tr("Balance: {amount}").format(amount=vm.credit_text()))
