"""Export: for solar homes, power sent to the grid now, and exported and bought today."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from ihd_app.viewmodels.export import ExportViewModel
from ihd_app.widgets.common import card, label, set_role
from ihd_app.widgets.folding import FoldingPage, Section


class ExportScreen(QWidget):
    def __init__(self, vm: ExportViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("screen-export")
        self._flow_role = "subfigure"
        self.flow = label("", "subfigure", name="export-flow")
        today, today_box = card("export-today")
        self.today_title = label(self.tr("Today"), "title")
        self.exported = label("", "subfigure", name="export-exported")
        self.bought = label("", "subfigure", name="export-bought")
        self.today_note = label("", "caption")
        # Parts that fold onto further views at large text (widgets/folding.py).
        today_figures = Section(self.today_title, self.exported, self.bought, spacing=4)
        today_since = Section(self.today_note)
        today_box.addWidget(today_figures)
        today_box.addWidget(today_since)
        today_box.addStretch(1)
        totals, totals_box = card("export-registers")
        self.totals_title = label(self.tr("Meter totals"), "title")
        self.export_register = label("", "", name="export-register")
        self.import_register = label("", "", name="import-register")
        totals_figures = Section(
            self.totals_title, self.export_register, self.import_register, spacing=4
        )
        totals_box.addWidget(totals_figures)
        self.totals_note = label(
            self.tr(
                "Your meters measure what you export and buy, not the total your panels generate."
            ),
            "caption",
        )
        totals_what = Section(self.totals_note)
        totals_box.addWidget(totals_what)
        totals_box.addStretch(1)
        self.cards = QWidget()
        self.row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.cards)
        row.setContentsMargins(0, 0, 0, 0)
        # At large text the page folds (widgets/folding.py): the flow now and today's
        # figures first, the meters' totals behind "More details".
        cards = [Section(today), Section(totals)]
        parts = [Section(self.flow), today_figures, today_since, totals_figures, totals_what]
        row.addWidget(cards[0], 1)
        row.addWidget(cards[1], 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        layout.addWidget(parts[0])
        layout.addWidget(self.cards, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.page = FoldingPage(content, parts, containers=cards, name="export")
        outer.addWidget(self.page)
        vm.changed.connect(self.refresh)
        self.refresh()

    def set_text_scale(self, scale: float) -> None:
        # The two cards stay side by side at every size (issue 19); what does not fit folds
        # onto a further view (the notes too: since when, what meters measure), and at 200%
        # the figures' and titles' extra size gives way.
        for figure in (self.exported, self.bought):
            set_role(figure, "subfigure" if scale < 2 else "")
        self._flow_role = "subfigure" if scale < 2 else "title"  # one line, not two, at 200%
        for title in (self.today_title, self.totals_title, self.flow):
            title.setProperty("compact", scale >= 2)
            title.style().unpolish(title)
            title.style().polish(title)
        self.refresh()

    def refresh(self) -> None:
        vm = self.vm
        self.cards.setVisible(vm.has_export)
        if not vm.has_export:
            waiting = vm.energy is None
            self.flow.setText(
                self.tr("Waiting for the meter…")
                if waiting
                else self.tr(
                    "This home's meter reports no export (no solar panels or other generation)."
                )
            )
            set_role(self.flow, "placeholder")
            for w in (
                self.exported,
                self.bought,
                self.today_note,
                self.export_register,
                self.import_register,
            ):
                w.setText("")
            return
        set_role(self.flow, self._flow_role)
        self.flow.setText(vm.flow_text())
        today = vm.today()
        if today is not None:
            self.exported.setText(self.tr("Exported: {kwh}").format(kwh=_whole(today[0])))
            self.bought.setText(self.tr("Bought: {kwh}").format(kwh=_whole(today[1])))
            self.today_note.setText(self.tr("Since {time} today").format(time=vm.today_from()))
        registers = vm.registers()
        if registers is not None:
            self.export_register.setText(
                self.tr("Exported: {kwh}").format(kwh=_whole(registers[0]))
            )
            self.import_register.setText(self.tr("Bought: {kwh}").format(kwh=_whole(registers[1])))


def _whole(figure: str) -> str:
    """A figure and its unit kept on one line ("0.0 kWh"): in a narrow card at large text the
    words wrapped between the number and "kWh" (issue 19)."""
    return figure.replace(" ", "\u00a0")
