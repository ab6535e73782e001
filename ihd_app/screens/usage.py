"""Usage: today, this week or this month, in kWh or pounds, for electricity and gas."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QButtonGroup, QVBoxLayout, QWidget

from device_backend.api import model
from ihd_app.totals import Period
from ihd_app.viewmodels.budget import BudgetViewModel
from ihd_app.viewmodels.settings import SettingsViewModel
from ihd_app.viewmodels.usage import UsageViewModel
from ihd_app.widgets.budget import BudgetPanel
from ihd_app.widgets.common import button, card, label, set_role
from ihd_app.widgets.flow import FlowLayout
from ihd_app.widgets.folding import FoldingPage, Section
from ihd_app.widgets.unitswitch import UnitSwitch

PERIODS: tuple[Period, ...] = ("day", "week", "month")


class UsageScreen(QWidget):
    def __init__(
        self,
        vm: UsageViewModel,
        settings: SettingsViewModel,
        parent: QWidget | None = None,
        *,
        budget: BudgetViewModel | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("screen-usage")
        names = {
            "day": self.tr("Today"),
            "week": self.tr("This week"),
            "month": self.tr("This month"),
        }
        row = FlowLayout()
        self.period_buttons = {}
        group = QButtonGroup(self)
        for period in PERIODS:
            b = button(
                names[period],
                name=f"usage-{period}",
                checkable=True,
                description=self.tr("Show use and cost for this period"),
            )
            b.clicked.connect(lambda _=False, p=period: vm.set_period(p))
            group.addButton(b)
            row.addWidget(b)
            self.period_buttons[period] = b
        self.unit_switch = UnitSwitch("usage", vm.set_show_pounds)
        row.addWidget(self.unit_switch)

        self.cards = cards = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.figures = {}
        sections: list[Section] = []
        for fuel, title in (
            (model.Fuel.ELECTRICITY, self.tr("Electricity")),
            (model.Fuel.GAS, self.tr("Gas")),
        ):
            frame, box = card(f"usage-{fuel.value}")
            main = label("", "figure", name=f"usage-{fuel.value}-main")
            other = label("", "subfigure", name=f"usage-{fuel.value}-other")
            figures = Section(label(title, "title"), main, other, spacing=4)
            box.addWidget(figures)
            box.addStretch(1)
            holder = Section(frame)
            cards.addWidget(holder)
            sections.append(holder)
            self.figures[fuel] = (main, other)

        self.note = label("", "caption", name="usage-note")
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        controls = QWidget()
        controls.setLayout(row)
        choose = Section(controls)
        layout.addWidget(choose)
        layout.addLayout(cards, 1)
        # At large text the page folds (widgets/folding.py): the period and unit switches
        # and the figures first, then the budget and the note on the cost.
        sections.insert(0, choose)
        if budget is not None:
            sections.append(Section(BudgetPanel(budget, "usage-budget")))
            layout.addWidget(sections[-1])
        sections.append(Section(self.note))
        layout.addWidget(sections[-1])

        vm.set_show_pounds(settings.settings.pounds_first)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.page = FoldingPage(content, sections, name="usage")
        outer.addWidget(self.page)
        vm.changed.connect(self.refresh)
        self.refresh()

    def set_text_scale(self, scale: float) -> None:
        # Side by side at every size: each card half the panel still holds "£12.34" at 200%,
        # and the two fuels' figures then share a view when the page folds. At 200% the
        # period buttons keep 150% words (still a finger's height), so that they and the
        # switch take one row and the figures share the first view with them.
        for b in self.period_buttons.values():
            b.setProperty("compact", scale >= 2)
            b.style().unpolish(b)
            b.style().polish(b)
        self.unit_switch.set_compact(scale >= 2)

    def refresh(self) -> None:
        self.period_buttons[self.vm.period].setChecked(True)
        self.unit_switch.show_pounds(self.vm.show_pounds)
        for fuel, (main, other) in self.figures.items():
            figures = self.vm.fuel(fuel)
            main.setText(figures.main)
            set_role(main, "figure" if figures.available else "placeholder")
            other.setText(figures.other)
            other.setVisible(bool(figures.other))
        self.note.setText(self.vm.cost_note())
