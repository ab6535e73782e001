"""Balance: prepayment credit, emergency credit, debt and supply, and the top-up keypad page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from device_backend.api import model
from ihd_app.viewmodels.balance import BalanceViewModel, Feedback
from ihd_app.widgets.common import button, card, label, scrolling, set_role, severity_role
from ihd_app.widgets.flow import FlowLayout
from ihd_app.widgets.folding import FoldingPage, Section
from ihd_app.widgets.keypad import Keypad

TOP_UPS_PAGE = 5  # after the placeholder, credit mode, overview, keypad and the read-back


def _show_feedback(widget: QLabel, feedback: Feedback | None) -> None:
    widget.setVisible(feedback is not None)
    widget.setText(feedback.text if feedback is not None else "")
    if feedback is not None:
        set_role(widget, severity_role(feedback.kind))


class BalanceScreen(QWidget):
    entry_changed = Signal()  # the keypad opened or closed: no popup may cover it while open

    def __init__(self, vm: BalanceViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("screen-balance")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_placeholder())
        self.pages.addWidget(scrolling(self._build_credit_mode()))
        self.pages.addWidget(self._build_overview())
        self.pages.addWidget(scrolling(self._build_keypad()))
        self.pages.addWidget(scrolling(self._build_confirm()))
        self.pages.addWidget(scrolling(self._build_top_ups()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._on_keypad = False
        self._on_top_ups = False
        self._confirming = False  # the read-back of a whole code is on view
        self._large = False  # text at 150% or more: the keypad page drops its title
        self._largest = False  # 200%: a dual-fuel keypad page drops the balance line too
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
        box = QVBoxLayout(page)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(6)

        self.alert = label("", "alert", name="balance-alert")
        credit, credit_box = card("balance-credit-card")
        self.credit = label("", "figure", wrap=False, name="balance-credit")
        # Each line its own part, as the lines were before the page could fold: a card
        # taller than its words shares the spare height out among them just the same.
        credit_title = Section(label(self.tr("Credit"), "title"))
        credit_figure = Section(self.credit)
        credit_box.addWidget(credit_title)
        credit_box.addWidget(credit_figure)
        self.days_left = label("", "caption", name="balance-days-left")
        days_left = Section(self.days_left)  # may fold after Top up at 200% (folding.py)
        credit_box.addWidget(days_left)

        actions = QVBoxLayout()
        actions.setSpacing(4)  # with the gas card too, the column is as tall as the panel allows
        # The low-credit words go beside the credit, not across the top: a band there would
        # push the supply state below the fold.
        actions.addWidget(self.alert)
        self.top_up = button(
            self.tr("Top up"),
            role="primary",
            name="balance-top-up",
            description=self.tr("Enter a 20-digit top-up code"),
        )
        self.top_up.setMinimumHeight(72)
        self.top_up.clicked.connect(self.open_keypad)
        actions.addWidget(self.top_up)
        self.top_up_paused = label("", "caption", name="balance-top-up-paused")
        actions.addWidget(self.top_up_paused)
        self.use_emergency = button(
            self.tr("Use emergency credit"),
            name="balance-use-emergency",
            description=self.tr(
                "Ask the meter to start emergency credit, repaid at your next top-up"
            ),
        )
        self.use_emergency.clicked.connect(self.vm.select_emergency_credit)
        actions.addWidget(self.use_emergency)
        self.restore = button(
            self.tr("Restore supply"),
            role="primary",
            name="balance-restore",
            description=self.tr("Ask the meter to turn your electricity back on"),
        )
        self.restore.clicked.connect(self.vm.restore_supply)
        actions.addWidget(self.restore)
        actions.addStretch(1)

        details, details_box = card("balance-details")
        self.emergency = label("", "", name="balance-emergency")
        self.debt = label("", "", name="balance-debt")
        self.supply = label("", "", name="balance-supply")
        for w in (self.emergency, self.debt, self.supply):
            details_box.addWidget(w)
        # Dual-fuel prepayment: the gas meter's own balance and valve, from the gas proxy.
        self.gas_card, gas_box = card("balance-gas-card")
        gas_box.addWidget(label(self.tr("Gas credit"), "title"))
        self.gas_credit = label("", "", name="balance-gas")
        self.gas_supply = label("", "", name="balance-gas-supply")
        gas_box.addWidget(self.gas_credit)
        gas_box.addWidget(self.gas_supply)
        self.emergency_feedback = label("", "status", name="balance-emergency-feedback")
        self.supply_feedback = label("", "status", name="balance-supply-feedback")

        # The meters' own top-up records, with which meter each went to.
        self.history_button = button(
            self.tr("Recent top-ups"),
            name="balance-history",
            description=self.tr("The last top-ups your meters recorded, and for which fuel"),
        )
        self.history_button.clicked.connect(self.open_top_ups)

        left = QVBoxLayout()
        credit_holder = Section(credit)
        parts = {
            "credit-title": credit_title,
            "credit": credit_figure,
            "days-left": days_left,
            "details": Section(details),
            "gas": Section(self.gas_card),
            "history": Section(self.history_button),
            "emergency-feedback": Section(self.emergency_feedback),
            "supply-feedback": Section(self.supply_feedback),
        }
        left.addWidget(credit_holder)
        left.addWidget(parts["details"])
        # The low-credit words and each button, in their column's order and spacing.
        for action in (
            self.alert,
            self.top_up,
            self.top_up_paused,
            self.use_emergency,
            self.restore,
        ):
            actions.removeWidget(action)
        parts["alert"] = Section(self.alert)
        parts["top-up"] = Section(self.top_up, self.top_up_paused, spacing=actions.spacing())
        parts["emergency"] = Section(self.use_emergency)
        parts["restore"] = Section(self.restore)
        for index, key in enumerate(("alert", "top-up", "emergency", "restore")):
            actions.insertWidget(index, parts[key])
        # The gas balance goes under the buttons: in the left column it pushed the page past
        # 480 pixels (the layout matrix's dual-fuel state).
        actions.insertWidget(actions.count() - 1, parts["gas"])
        actions.insertWidget(actions.count() - 1, parts["history"])
        # Side by side normally; one column at large text, with the buttons under the credit.
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.setSpacing(10)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(actions, 1)
        box.addLayout(self.columns)
        box.addWidget(parts["emergency-feedback"])
        box.addWidget(parts["supply-feedback"])
        box.addStretch(1)
        self.overview = FoldingPage(
            page,
            [
                parts[k]
                # The credit and Top up first (and Restore supply when it is off), then
                # the rest of what the household may need to do, then the details.
                for k in (
                    "credit-title",
                    "credit",
                    "top-up",
                    "restore",
                    "supply-feedback",
                    "days-left",
                    "alert",
                    "emergency",
                    "emergency-feedback",
                    "gas",
                    "details",
                    "history",
                )
            ],
            containers=[credit_holder],
            name="balance",
        )
        return self.overview

    def _build_top_ups(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(20, 12, 20, 12)
        box.addWidget(label(self.tr("Recent top-ups"), "title", name="topups-title"))
        self.top_up_list = label("", "", name="topups-list")
        box.addWidget(self.top_up_list)
        box.addWidget(
            label(
                self.tr("As your meters recorded them: the last five on each meter."),
                "caption",
                name="topups-note",
            )
        )
        box.addStretch(1)
        back = button(
            self.tr("Back"), name="topups-back", description=self.tr("Return to your balance")
        )
        back.clicked.connect(self.reset)
        box.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _build_keypad(self) -> QWidget:
        page = QWidget()
        self.keypad_row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight, page)
        row.setContentsMargins(10, 8, 10, 8)
        row.setSpacing(12)
        self.keypad = Keypad("topup")
        self.keypad.digit.connect(self.vm.press)
        self.keypad.delete.connect(self.vm.delete)
        self.keypad.clear.connect(self.vm.clear)

        side = QVBoxLayout()
        self.keypad_title = label(self.tr("Enter the 20-digit top-up code"), "title")
        side.addWidget(self.keypad_title)
        # Why the keys are off and when they come back, counting down each second; first,
        # so that at large text it is what a person sees without scrolling.
        self.paused = label("", "warning", name="topup-paused")
        side.addWidget(self.paused)
        # A code is bound to one meter: in a dual-fuel prepayment home the household says which.
        self.fuel_prompt = label("", "caption", name="topup-fuel")
        side.addWidget(self.fuel_prompt)
        self.fuel_row = QWidget()
        fuels = FlowLayout(self.fuel_row)
        self.fuel_electricity = button(
            self.tr("Electricity"),
            checkable=True,
            name="topup-fuel-electricity",
            description=self.tr("Send the code to your electricity meter"),
        )
        self.fuel_gas = button(
            self.tr("Gas"),
            checkable=True,
            name="topup-fuel-gas",
            description=self.tr("Send the code to your gas meter"),
        )
        self.fuel_electricity.clicked.connect(lambda: self.vm.choose_fuel(model.Fuel.ELECTRICITY))
        self.fuel_gas.clicked.connect(lambda: self.vm.choose_fuel(model.Fuel.GAS))
        fuels.addWidget(self.fuel_electricity)
        fuels.addWidget(self.fuel_gas)
        side.addWidget(self.fuel_row)
        # At large text the groups of four wrap onto more lines (see set_text_scale).
        self.code = label("", "utrn-entry", wrap=False, name="topup-code")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.code)
        # How many digits so far, and at 20 a read-back: check the code before sending it.
        self.count = label("", "caption", name="topup-count")
        self.balance_line = label("", "caption", name="topup-balance")
        self.balance_line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        # The count and the balance share a line: with the fuel choice there is no room for two.
        self.counts = counts = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        counts.addWidget(self.count, 1)
        counts.addWidget(self.balance_line)
        side.addLayout(counts)
        self.feedback = label("", "status", name="topup-feedback")
        side.addWidget(self.feedback)
        side.addStretch(1)
        buttons = FlowLayout()
        self.back = button(
            self.tr("Back"),
            name="topup-back",
            description=self.tr("Return to your balance; the digits entered are kept"),
        )
        self.back.clicked.connect(self.close_keypad)
        self.send = button(
            self.tr("Top up"),
            role="primary",
            name="topup-send",
            spoken=self.tr("Send the code"),
            description=self.tr("Send the code to your meter"),
        )
        self.send.setMinimumHeight(64)
        self.send.clicked.connect(self._top_up_tapped)
        buttons.addWidget(self.back)
        buttons.addWidget(self.send)
        side.addLayout(buttons)
        row.addWidget(self.keypad, 5)
        row.addLayout(side, 6)
        return page

    def _build_confirm(self) -> QWidget:
        """The read-back: the whole code in fours, to check against the receipt before it goes
        to the meter, with Send and Change (an accessible GB supplier display has this step)."""
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(8)
        box.addWidget(label(self.tr("Check your code"), "title", name="topup-confirm-title"))
        self.confirm_ask = label(
            self.tr("Is this the code on your receipt? Each group of four, in turn."),
            "",
            name="topup-confirm-ask",
        )
        box.addWidget(self.confirm_ask)
        self.confirm_code = label("", "utrn", name="topup-confirm-code")
        self.confirm_code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.confirm_code)
        self.confirm_fuel = label("", "caption", name="topup-confirm-fuel")
        box.addWidget(self.confirm_fuel)
        box.addStretch(1)
        buttons = FlowLayout()
        change = button(
            self.tr("Change"),
            name="topup-confirm-change",
            description=self.tr("Go back to the keypad to correct the code; it is kept"),
        )
        change.clicked.connect(self._change_code)
        send = button(
            self.tr("Send"),
            role="primary",
            name="topup-confirm-send",
            description=self.tr("Send this code to your meter"),
        )
        send.setMinimumHeight(64)
        send.clicked.connect(self._send_checked)
        buttons.addWidget(change)
        buttons.addWidget(send)
        box.addLayout(buttons)
        return page

    def _top_up_tapped(self) -> None:
        """A whole code that passes the local check is read back first; anything else is sent
        to the view-model at once, which says what is wrong with it."""
        if self.vm.can_send and self.vm.entry.problem() is None:
            self._confirming = True
            self.refresh()
            self.entry_changed.emit()
        else:
            self.vm.send()

    def _send_checked(self) -> None:
        self._confirming = False
        self.vm.send()
        self.refresh()

    def _change_code(self) -> None:
        self._confirming = False
        self.refresh()

    def set_text_scale(self, scale: float) -> None:
        # At 200% the title asks alone: with the sentence, Send fell below a 480-pixel panel.
        self.confirm_ask.setVisible(scale < 2)
        self.confirm_code.setWordWrap(scale >= 1.5)
        large = scale >= 1.5
        self.code.setWordWrap(large)
        self.columns.setDirection(
            QBoxLayout.Direction.TopToBottom if large else QBoxLayout.Direction.LeftToRight
        )
        # The keypad stays beside the code at every size, so that all of it, Back and Top up
        # are on view at 800x480 (issue 19): its keys share the page's height, the title gives
        # way to the digit count under the code, and at 200% the count and the balance take a
        # line each.
        self._large = large
        self._largest = scale >= 2
        # The side gets five eighths of the width, and Back and Top up no more than 150%
        # text: side by side beside the keys in Welsh too ("Ychwanegu credyd").
        self.keypad_row.setStretch(0, 3 if large else 5)
        self.keypad_row.setStretch(1, 5 if large else 6)
        for key in (self.back, self.send):
            key.setProperty("compact", large)
            key.style().unpolish(key)
            key.style().polish(key)
        self.counts.setDirection(
            QBoxLayout.Direction.TopToBottom if scale >= 2 else QBoxLayout.Direction.LeftToRight
        )
        self.refresh()

    # -- navigation ------------------------------------------------------------------------

    def open_keypad(self) -> None:
        self._on_keypad = True
        self.refresh()
        self.entry_changed.emit()

    def open_top_ups(self) -> None:
        self._on_top_ups = True
        self.refresh()

    def close_keypad(self) -> None:
        self._on_keypad = False
        self._confirming = False
        self.refresh()
        self.entry_changed.emit()

    def reset(self) -> None:
        """Leaving the screen returns to the overview; a half-typed code is kept."""
        self._on_keypad = False
        self._on_top_ups = False
        self._confirming = False
        self.refresh()
        self.entry_changed.emit()

    def entering(self) -> bool:
        """A top-up code is being typed (the keypad is on view)."""
        return self._on_keypad and self.pages.currentIndex() in (3, 4)

    # -- drawing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        vm = self.vm
        if not vm.known:
            self.pages.setCurrentIndex(0)
            return
        if not vm.prepay:
            self.pages.setCurrentIndex(1)
            return
        # The read-back holds only while the code it shows can still be sent.
        self._confirming = self._confirming and self._on_keypad and self.vm.can_send
        self.pages.setCurrentIndex(
            4
            if self._confirming
            else 3
            if self._on_keypad
            else TOP_UPS_PAGE
            if self._on_top_ups
            else 2
        )
        self.top_up_list.setText("\n".join(vm.top_up_history()))
        alert = vm.low_credit_alert()
        self.alert.setVisible(alert is not None)
        self.alert.setText(f"⚠ {alert}" if alert else "")
        self.credit.setText(vm.credit_text())
        paused = vm.paused_caption()
        self.top_up_paused.setVisible(paused is not None)
        self.top_up_paused.setText(paused or "")
        # Second to the actions that help now: on a 480-pixel panel it gives way to a low-credit
        # warning, emergency credit, Restore supply or a paused keypad rather than push them off.
        busy = alert is not None or vm.emergency_offered or vm.can_restore or paused is not None
        self.history_button.setVisible(vm.has_top_up_history and not busy)
        self.days_left.setText(vm.days_left_text())
        self.emergency.setText(
            self.tr("Emergency credit: {state}").format(state=vm.emergency_text())
        )
        self.use_emergency.setVisible(vm.emergency_offered)
        self.debt.setText(self.tr("Debt: {debt}").format(debt=vm.debt_text()))
        self.supply.setText(vm.supply_text())
        self.restore.setVisible(vm.can_restore)
        self.gas_card.setVisible(vm.gas_prepay)
        self.gas_credit.setText(vm.gas_text())
        self.gas_supply.setText(vm.gas_supply_text())
        self.fuel_row.setVisible(vm.gas_prepay)
        # With two meters the prompt ("This code is for: Gas") leads instead of the title, so
        # the keypad's last row and the Top up button stay on a 480-pixel panel in Welsh too.
        self.keypad_title.setVisible(not vm.gas_prepay and not self._large)
        # At large text the lit Electricity or Gas button says which meter on its own.
        self.fuel_prompt.setVisible(vm.gas_prepay and not self._large)
        self.fuel_prompt.setText(vm.fuel_prompt())
        self.fuel_electricity.setChecked(vm.fuel is model.Fuel.ELECTRICITY)
        self.fuel_gas.setChecked(vm.fuel is model.Fuel.GAS)
        _show_feedback(self.emergency_feedback, vm.emergency_feedback)
        _show_feedback(self.supply_feedback, vm.supply_feedback)

        self.code.setText(vm.entry.grouped())
        self.confirm_code.setText(vm.entry.grouped())
        self.confirm_code.setAccessibleName(
            self.tr("Code to send: {digits}").format(digits=" ".join(vm.entry.digits))
        )
        self.confirm_fuel.setText(vm.fuel_prompt() if vm.gas_prepay else "")
        self.confirm_fuel.setVisible(vm.gas_prepay)
        typed = len(vm.entry.digits)
        # At large text the count alone: the read-back after Top up asks for the check.
        self.count.setText(
            self.tr("All 20 digits: check them against your receipt, then tap Top up")
            if vm.entry.complete and not self._large
            else self.tr("{n} of 20 digits").format(n=typed)
        )
        self.code.setAccessibleName(
            self.tr("Code entered: {digits}").format(digits=vm.entry.digits)
        )
        pause = vm.pause_text()
        self.paused.setVisible(pause is not None)
        self.paused.setText(pause or "")
        self.keypad.setEnabled(pause is None)
        self.code.setVisible(pause is None)  # nothing can be typed, and the code was cleared
        self.send.setEnabled(vm.can_send)
        # At large text "Code complete, press Top up" gives way to the count ("20 of 20
        # digits") and the lit Top up button; an answer (a refusal, the meter's reply) takes
        # the count's and the balance's place instead.
        feedback = vm.feedback
        complete = vm.entry.complete and not vm.sending
        if self._large and feedback is not None and feedback.kind == "info" and complete:
            feedback = None
        _show_feedback(self.feedback, feedback)
        answered = self._large and feedback is not None
        if answered and not vm.entry.digits:
            self.code.setVisible(False)  # accepted and cleared: the answer says what happened
        self.count.setVisible(pause is None and not answered)
        # The balance is one tap away (Back); at 200% a dual-fuel page has no line to spare.
        self.balance_line.setVisible(not (vm.gas_prepay and self._largest) and not answered)
        self.balance_line.setText(
            self.tr("Balance: {amount}").format(amount=vm.chosen_credit_text())
        )
