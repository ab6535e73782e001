"""Now: electricity power and its cost per hour, gas, the ambient sign, and how fresh it all is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QVBoxLayout, QWidget

from ihd_app.theme import Palette
from ihd_app.viewmodels.now import FuelNow, NowViewModel
from ihd_app.viewmodels.settings import SettingsViewModel
from ihd_app.widgets.ambient import AmbientSign
from ihd_app.widgets.common import card, label, scrolling, set_role, severity_role
from ihd_app.widgets.flow import FlowLayout

LARGE = 1.5  # from this text scale the sign goes under the figures instead of beside them


class NowScreen(QWidget):
    def __init__(
        self,
        vm: NowViewModel,
        settings: SettingsViewModel,
        palette: Palette,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self.settings = settings
        self.setObjectName("screen-now")

        electricity, e_layout = card("now-electricity")
        self.e_title = label(self.tr("Electricity now"), "title")
        self.e_main = label("", "figure", name="now-electricity-main")
        self.e_second = label("", "subfigure", name="now-electricity-second")
        self.e_note = label("", "caption", name="now-electricity-note")
        for w in (self.e_title, self.e_main, self.e_second, self.e_note):
            e_layout.addWidget(w)
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

        # Room kept for a prepayment home's credit (each fuel, days left, low credit): the
        # first question such a home asks. Whoever fills `credit_box` shows `credit_card`;
        # until then the ambient sign has the column to itself.
        self.credit_card, self.credit_box = card("now-credit")
        self.credit_card.hide()
        side = QVBoxLayout()
        side.setSpacing(8)
        side.addWidget(self.credit_card)
        side.addWidget(self.ambient, 1)
        # Under the figures, not under the sign: that column is kept for the credit.
        self.ambient_note = label("", "caption", name="now-ambient-note")
        self.ambient_note.hide()
        e_layout.addWidget(self.ambient_note)
        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top.addWidget(electricity, 3)
        self.top.addLayout(side, 2)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        layout.addLayout(self.top, 1)
        layout.addWidget(gas)
        layout.addWidget(self.freshness)
        self.freshness.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))
        vm.changed.connect(self.refresh)
        settings.changed.connect(self.refresh)
        self.refresh()

    def set_palette(self, palette: Palette, scale: float) -> None:
        self.ambient.set_palette(palette, scale)
        self.top.setDirection(
            QBoxLayout.Direction.TopToBottom if scale >= LARGE else QBoxLayout.Direction.LeftToRight
        )

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
        fresh = self.vm.freshness()
        self.freshness.setText(fresh.text)
        set_role(self.freshness, severity_role(fresh.severity))
