"""Now: electricity power and its cost per hour, gas, the ambient sign, how fresh it all is, and
a prepayment home's credit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QVBoxLayout, QWidget

from ihd_app.theme import Palette
from ihd_app.viewmodels.balance import BalanceViewModel
from ihd_app.viewmodels.budget import BudgetViewModel
from ihd_app.viewmodels.now import FuelNow, NowViewModel
from ihd_app.viewmodels.settings import SettingsViewModel
from ihd_app.widgets.ambient import AmbientSign
from ihd_app.widgets.budget import BudgetPanel
from ihd_app.widgets.common import card, label, set_role, severity_role
from ihd_app.widgets.flow import FlowLayout
from ihd_app.widgets.folding import FoldingPage, Section

# From this text scale the credit and the sign go under the figures instead of beside them; at
# 150% they stay beside (each half of 800 pixels still holds its words), so that the live
# figures and the credit share the first view when the page folds (widgets/folding.py).
LARGEST = 2.0


class NowScreen(QWidget):
    def __init__(
        self,
        vm: NowViewModel,
        settings: SettingsViewModel,
        palette: Palette,
        parent: QWidget | None = None,
        *,
        balance: BalanceViewModel | None = None,
        budget: BudgetViewModel | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self._scale = 1.0
        self.balance_vm = balance  # for the days left, worked out from the stored history
        self.settings = settings
        self.setObjectName("screen-now")

        electricity, e_layout = card("now-electricity")
        self.e_title = label(self.tr("Electricity now"), "title")
        self.e_main = label("", "figure", name="now-electricity-main")
        self.e_second = label("", "subfigure", name="now-electricity-second")
        self.e_note = label("", "caption", name="now-electricity-note")
        # The parts a page folds onto further views at large text (widgets/folding.py): the
        # live figures first, then the credit, the budget, the sign, gas and freshness.
        live = Section(self.e_title, self.e_main, self.e_second, spacing=4)
        e_layout.addWidget(live)
        rate = Section(self.e_note)
        e_layout.addWidget(rate)
        e_layout.addStretch(1)

        self.ambient = AmbientSign(palette)

        gas, g_layout = card("now-gas")
        g_row = FlowLayout(spacing=16, justify=False)
        self.g_title = label(self.tr("Gas"), "title", wrap=False)
        self.g_main = label("", "subfigure", name="now-gas-main")
        self.g_second = label("", "subfigure", wrap=False, name="now-gas-second")
        g_row.addWidget(self.g_title)
        g_row.addWidget(self.g_main)
        g_row.addWidget(self.g_second)
        g_layout.addLayout(g_row)
        self.g_note = label("", "caption", name="now-gas-note")
        g_layout.addWidget(self.g_note)

        self.freshness = label("", "status", name="now-freshness")

        # A prepayment home's first question, answered without a tap (issue 19 item 4): the
        # low-credit state first (as the card's title, the card in the alert colours), then
        # each fuel's credit from its own meter, then the days left. In credit mode the card
        # is hidden and the ambient sign has the column.
        self.credit_card, self.credit_box = card("now-credit")
        # Only when there is a state to say: each line already says "credit".
        self.credit_title = label("", "", name="now-credit-title")
        self.credit_title.setStyleSheet("font-weight: bold;")
        self.balance = label("", "", name="now-balance")
        self.days_left = label("", "caption", name="now-days-left")
        for w in (self.credit_title, self.balance, self.days_left):
            self.credit_box.addWidget(w)
        self._credit_role = "card"
        self.credit_box.setSpacing(0)
        self.credit_box.setContentsMargins(14, 6, 14, 6)
        self.credit_card.hide()
        side = QVBoxLayout()
        side.setSpacing(8)
        credit = Section(self.credit_card)
        side.addWidget(credit)
        sign = Section(self.ambient)
        side.addWidget(sign, 1)
        # Under the figures, not under the sign: that column is kept for the credit.
        self.ambient_note = label("", "caption", name="now-ambient-note")
        self.ambient_note.hide()
        note = Section(self.ambient_note)
        e_layout.addWidget(note)
        # The budget, when one is set, under the live figures: a line and its bar (the
        # forecast in words is on Usage; the bar's notch shows where it lands).
        self.budget = BudgetPanel(budget, "now-budget", compact=True) if budget else None
        parts = [live, rate, credit]
        if self.budget is not None:
            parts.append(Section(self.budget))
            e_layout.addWidget(parts[-1])
        electricity_part = Section(electricity)
        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top.addWidget(electricity_part, 3)
        self.top.addLayout(side, 2)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        layout.addLayout(self.top, 1)
        gas_part = Section(gas)
        layout.addWidget(gas_part)
        fresh = Section(self.freshness)
        layout.addWidget(fresh)
        self.freshness.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._order = [*parts[:3], gas_part, fresh, *parts[3:], sign, note]
        self._credit_part = credit
        self.page = FoldingPage(content, self._order, containers=[electricity_part], name="now")
        outer.addWidget(self.page)
        vm.changed.connect(self.refresh)
        settings.changed.connect(self.refresh)
        if balance is not None:
            balance.changed.connect(self._refresh_credit)
        self.refresh()

    def set_palette(self, palette: Palette, scale: float) -> None:
        self.ambient.set_palette(palette, scale)
        self._scale = scale
        self._place()

    def _place(self) -> None:
        stacked = self._scale >= LARGEST
        # Stacked, a prepayment home's credit goes above the live figures and onto the first
        # view: its first question is what is left, and at 200% the two do not fit one view.
        credit_first = stacked and not self.credit_card.isHidden()
        self.top.setDirection(
            QBoxLayout.Direction.BottomToTop
            if credit_first
            else QBoxLayout.Direction.TopToBottom
            if stacked
            else QBoxLayout.Direction.LeftToRight
        )
        rest = [s for s in self._order if s is not self._credit_part]
        self.page.set_order([self._credit_part, *rest] if credit_first else self._order)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _show(self, fuel: FuelNow, main: QLabel, second: QLabel, note: QLabel) -> None:
        figures = [fuel.power or "", fuel.cost or ""]
        if self.settings.settings.pounds_first and fuel.cost:
            figures.reverse()
        if fuel.power is None:
            set_role(main, "placeholder")
        else:
            set_role(main, "figure" if main is self.e_main else "subfigure")
        # A waiting message is a sentence and may wrap; a figure never should.
        main.setWordWrap(fuel.power is None)
        main.setText(figures[0] if fuel.power is not None else fuel.note)
        second.setText(figures[1] if fuel.power is not None else "")
        second.setVisible(bool(second.text()))
        note.setText(fuel.note if fuel.power is not None else "")
        note.setVisible(bool(note.text()))

    def refresh(self) -> None:
        electricity = self.vm.electricity()
        self.e_title.setText(
            self.tr("Exporting now") if electricity.exporting else self.tr("Electricity now")
        )
        self._show(electricity, self.e_main, self.e_second, self.e_note)
        self._show(self.vm.gas(), self.g_main, self.g_second, self.g_note)
        self.ambient.set_level(self.vm.ambient)
        note = self.vm.ambient_note()
        self.ambient_note.setText(note)
        self.ambient_note.setVisible(bool(note))
        self._refresh_credit()
        fresh = self.vm.freshness()
        self.freshness.setText(fresh.text)
        set_role(self.freshness, severity_role(fresh.severity))

    def _refresh_credit(self) -> None:
        lines = self.vm.balance_lines()
        if self.credit_card.isHidden() == bool(lines):
            self.credit_card.setVisible(bool(lines))
            self._place()  # on a prepayment home the credit may lead the page (see _place)
        if not lines:
            return
        state = self.vm.credit_state()
        self.credit_title.setVisible(state is not None)
        if state is None:
            self.credit_title.setText("")
            self.credit_title.setAccessibleName("")
            set_role(self.credit_card, "card")
        else:
            words, sentence, severity = state
            # A mark as well as the colour: the state reads in grayscale too.
            mark = "✖" if severity == "alert" else "⚠"
            self.credit_title.setText(f"{mark} {words}")
            self.credit_title.setAccessibleName(sentence)
            set_role(self.credit_card, severity)
        if self.credit_card.property("role") != self._credit_role:
            # The card's words take their colour from the card's role: restyle them too.
            self._credit_role = self.credit_card.property("role")
            for w in (self.credit_title, self.balance, self.days_left):
                w.style().unpolish(w)
                w.style().polish(w)
            # A warning or alert frame brings 6 px of padding of its own: the card is as tall
            # in every state, so a state that arrives never pushes the sign off the panel.
            inset = 6 if self._credit_role == "card" else 0
            self.credit_box.setContentsMargins(8 + inset, inset, 8 + inset, inset)
        self.balance.setText("\n".join(lines))
        balance = self.balance_vm
        days = balance.days_left_text() if balance is not None and balance.prepay else ""
        self.days_left.setText(days)
        self.days_left.setVisible(bool(days))
