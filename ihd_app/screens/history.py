"""History: bars for 8 days, 5 weeks or 13 months (tap one for its figures), and a live chart."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QButtonGroup, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from device_backend.api import model
from ihd_app.theme import Palette
from ihd_app.viewmodels.history import LIVE_SPAN, HistoryViewModel, View
from ihd_app.widgets.charts import BarChart, LiveChart
from ihd_app.widgets.common import button, label, scrolling, set_role
from ihd_app.widgets.flow import FlowLayout
from ihd_app.widgets.unitswitch import UnitSwitch

CHART_HEIGHT = (
    120  # the least the chart is given (Welsh wraps the buttons to three rows at 800x480)
)
# At 150% text the buttons wrap to a row more: the chart and the bar's words give up that
# room rather than the page scrolling (bars still read at 90 pixels).
LARGE_TEXT_CHART_HEIGHT = 90
# At 200%, under two rows of buttons and a line of words on a 480-pixel panel (issue 19): the
# bars still read, and their figures are in the words above once one is touched.
LARGEST_TEXT_CHART_HEIGHT = 76


class HistoryScreen(QWidget):
    def __init__(
        self,
        vm: HistoryViewModel,
        palette: Palette,
        pounds_first: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self.palette_ = palette
        self.setObjectName("screen-history")
        views: tuple[tuple[View, str], ...] = (
            ("days", self.tr("8 days")),
            ("weeks", self.tr("5 weeks")),
            ("months", self.tr("13 months")),
            ("hour", self.tr("Last hour")),
            ("day", self.tr("Last day")),
        )
        top = FlowLayout()
        self.view_buttons = {}
        group = QButtonGroup(self)
        for key, text in views:
            b = button(
                text,
                name=f"history-{key}",
                checkable=True,
                description=self.tr("Show this period on the chart"),
            )
            b.clicked.connect(lambda _=False, v=key: vm.set_view(v))
            group.addButton(b)
            top.addWidget(b)
            self.view_buttons[key] = b

        second = FlowLayout()
        self.fuel_buttons = {}
        fuel_group = QButtonGroup(self)
        for fuel, text in (
            (model.Fuel.ELECTRICITY, self.tr("Electricity")),
            (model.Fuel.GAS, self.tr("Gas")),
        ):
            b = button(
                text,
                name=f"history-{fuel.value}",
                checkable=True,
                description=self.tr("Show this fuel on the chart"),
            )
            b.clicked.connect(lambda _=False, f=fuel: vm.set_fuel(f))
            fuel_group.addButton(b)
            second.addWidget(b)
            self.fuel_buttons[fuel] = b
        self.unit_switch = UnitSwitch("history", vm.set_show_pounds)
        second.addWidget(self.unit_switch)
        self.readout = label("", "title", name="history-readout")
        second.addWidget(self.readout)

        self.bars = BarChart(palette)
        self.bars.bar_touched.connect(vm.select)
        self.live = LiveChart(palette)
        self.charts = QStackedWidget()
        self.charts.addWidget(self.bars)
        self.charts.addWidget(self.live)
        self.charts.setMinimumHeight(CHART_HEIGHT)
        # The charts' least height is the stack's: a plot view's own least is its unused
        # scroll bar's height (90 px with the theme's handles), which overruled it at 200%.
        for chart in (self.bars, self.live):
            chart.setMinimumHeight(LARGEST_TEXT_CHART_HEIGHT)
        # The chart takes what the buttons leave: a plot's own size hint would push the
        # page past the panel and give it a scroll bar.
        self.charts.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.charts, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))

        self._live_shown: tuple[object, ...] | None = None  # what the live line was drawn for
        vm.set_show_pounds(pounds_first)
        vm.changed.connect(self.refresh)
        vm.live_changed.connect(self.refresh_live)
        self.refresh()

    def set_palette(self, palette: Palette, scale: float) -> None:
        large = scale >= 1.5
        self.charts.setMinimumHeight(
            LARGEST_TEXT_CHART_HEIGHT
            if scale >= 2
            else (LARGE_TEXT_CHART_HEIGHT if large else CHART_HEIGHT)
        )
        set_role(self.readout, "" if large else "title")
        # At 200% the period and fuel buttons keep 150% words (still a finger's height):
        # at full size they took four rows in Welsh and left the chart no room at 800x480.
        for b in (*self.view_buttons.values(), *self.fuel_buttons.values()):
            b.setProperty("compact", scale >= 2)
            b.style().unpolish(b)
            b.style().polish(b)
        self.unit_switch.set_compact(scale >= 2)
        self.palette_ = palette
        self.bars.set_palette(palette, scale)
        self.live.set_palette(palette, scale)
        self.refresh()

    def _colour(self) -> str:
        return (
            self.palette_.bar_gas
            if self.vm.fuel is model.Fuel.GAS
            else self.palette_.bar_electricity
        )

    def refresh(self) -> None:
        vm = self.vm
        self.view_buttons[vm.view].setChecked(True)
        self.fuel_buttons[vm.fuel].setChecked(True)
        self.unit_switch.show_pounds(vm.show_pounds)
        self.unit_switch.setVisible(not vm.is_live)
        if vm.is_live:
            self.charts.setCurrentWidget(self.live)
            self._live_shown = None  # a change of view, fuel or palette: draw the line afresh
            self.refresh_live()
            return
        self.charts.setCurrentWidget(self.bars)
        labels = [vm.bar_label(i) for i in range(len(vm.bars))]
        self.bars.show_bars(
            vm.bar_values(),
            labels,
            vm.unit_label(),
            vm.selected,
            self._colour(),
            vm.missing(),
            vm.missing_text(),
        )
        self.readout.setText(vm.readout())
        self.bars.setAccessibleDescription(vm.readout())

    def refresh_live(self) -> None:
        vm = self.vm
        if not vm.is_live or not self.isVisible():
            self._live_shown = None
            return
        end = vm.now().timestamp()
        start = end - LIVE_SPAN[vm.view].total_seconds()
        shown = (vm.view, vm.fuel, vm.live_unit(), self._colour())
        if shown == self._live_shown:
            # The same line, moved on: only the readings since the last one drawn are added.
            drawn_x, _ = self.live.points()
            last = float(drawn_x[-1]) if len(drawn_x) else start
            x, y = vm.live_since(last)
            self.live.append(x, y, start, end)
        else:
            x, y = vm.live_series()
            self.live.show_series(x, y, start, end, vm.live_unit(), self._colour())
            self._live_shown = shown
        xs, ys = self.live.points()
        first = int(np.searchsorted(xs, start))
        words = vm.readout(live=(xs[first:], ys[first:]))
        self.readout.setText(words)
        self.live.setAccessibleDescription(words)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
