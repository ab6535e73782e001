"""History: bars for days, weeks and months that show their figures when touched; a live chart."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, Qt

from device_backend import model
from ihd_app.totals import PeriodTotal
from tests.support.display import START, Display, FakeTotals, demand


def _touch_bar(d: Display, index: int) -> None:
    chart = d.window.screens["history"].bars
    x, y = chart.bar_centre(index)

    async def touch() -> None:
        d.qtbot.mouseClick(
            chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y))
        )
        await asyncio.sleep(0)

    d.run(touch())


def test_touching_a_bar_shows_its_figures(display: Display) -> None:
    display.state.set_source(FakeTotals())
    display.tap("tab-history")
    assert display.text("history-readout") == "Touch a bar to see its figures."
    assert len(display.state.history.bars) == 8
    _touch_bar(display, 6)
    # Day 7 of 8 in the canned history: 11 kWh at 25p plus 50p standing charge.
    assert display.text("history-readout") == "Sun 11 Jan: 11.0 kWh, £3.25"
    _touch_bar(display, 7)
    assert display.text("history-readout") == "Mon 12 Jan (so far): 12.0 kWh, £3.50"


def test_weeks_months_and_gas(display: Display) -> None:
    display.state.set_source(FakeTotals())
    display.tap("tab-history")
    display.tap("history-weeks")
    assert len(display.state.history.bars) == 5
    display.tap("history-months")
    assert len(display.state.history.bars) == 13
    display.tap("history-gas")
    _touch_bar(display, 12)
    assert display.text("history-readout").startswith("Jan 2026 (so far): 34.0 kWh")
    assert display.state.history.bar_values()[12] == 9.0  # pounds first
    display.tap("history-unit-kwh")
    assert display.state.history.bar_values()[12] == 34.0


def test_the_live_chart_follows_demand(display: Display) -> None:
    display.tap("tab-history")
    display.tap("history-hour")
    assert display.text("history-readout") == "Waiting for the meter…"
    for i in range(30):
        display.backend.clock.moment = START + timedelta(seconds=10 * i)
        display.emit(demand(display.backend.clock.moment, 500 + 100 * (i % 5)))
    live = display.window.screens["history"].live
    x, _y = live.curve.getData()
    assert len(x) == 30
    assert display.text("history-readout") == "Now 0.90 kW · highest 0.90 kW"
    display.tap("history-day")
    assert display.state.history.view == "day"
    display.tap("history-electricity")
    display.emit(
        model.Demand(
            time=display.backend.clock.moment, fuel=model.Fuel.GAS, raw=1, multiplier=1, divisor=1
        )
    )
    assert len(live.curve.getData()[0]) == 30


class _NewDisplay(FakeTotals):
    """Installed three days into the eight: the first three days have no reading at all."""

    def totals(self, fuel: model.Fuel, period: str, count: int) -> list[PeriodTotal]:
        rows = super().totals(fuel, period, count)
        empty = [replace(r, kwh=Decimal(0), cost_pence=None, has_data=False) for r in rows[:3]]
        return empty + rows[3:]


def test_days_before_the_display_was_recording_say_no_data(display: Display) -> None:
    display.state.set_source(_NewDisplay())
    display.tap("tab-history")
    chart = display.window.screens["history"].bars
    notes = [item for item in chart.getPlotItem().items if isinstance(item, pg.TextItem)]
    assert [n.toPlainText() for n in notes] == ["no data"] * 3
    assert [n.pos().x() for n in notes] == [0, 1, 2]
    display.state.history.select(1)
    assert display.text("history-readout") == "Tue 6 Jan: no data"
    # The axis starts at zero, so a bar's height is the whole of its figure.
    assert chart.getViewBox().viewRange()[1][0] == 0


def test_a_report_is_added_to_the_live_line_not_rebuilt(display: Display) -> None:
    display.tap("tab-history")
    display.tap("history-day")
    for n in range(3):
        display.emit(demand(START + timedelta(seconds=10 * n), 500 + n))
    chart = display.window.screens["history"].live
    before_x, before_y = chart.points()
    display.emit(demand(START + timedelta(seconds=30), 900))
    after_x, after_y = chart.points()
    assert len(after_x) == len(before_x) + 1
    # The same arrays, one point longer: written into their spare room, not built again.
    assert np.shares_memory(before_x, after_x)
    assert np.shares_memory(before_y, after_y)
    assert after_y[-1] == 0.9
    assert display.text("history-readout") == "Now 0.90 kW · highest 0.90 kW"


def test_a_long_line_is_drawn_as_runs_that_keep_every_peak(qtbot: Any) -> None:
    from ihd_app.theme import STANDARD
    from ihd_app.widgets.charts import RUNS, LiveChart

    chart = LiveChart(STANDARD)
    qtbot.addWidget(chart)
    x = np.arange(100_000, dtype=float) * 10.0
    y = np.full(len(x), 0.3)
    y[54_321] = 7.5  # one kettle among 100,000 readings
    chart.show_series(x, y, 0.0, float(x[-1]), "kW", STANDARD.bar_electricity)
    chart.append(np.array([x[-1] + 10.0]), np.array([9.0]), 0.0, float(x[-1]) + 10.0)
    drawn_x, drawn_y = chart.curve.getData()
    assert len(drawn_x) <= 2 * RUNS + 128  # the runs, and the points after the last whole run
    assert 7.5 in drawn_y
    assert drawn_y[-1] == 9.0  # the newest report is on the line at once
    assert len(chart.points()[0]) == 100_001  # every reading is kept for the readout


def test_a_new_display_shows_the_meters_own_history_at_once(display: Display) -> None:
    """No history recorded here yet: the meter's 8 days, 5 weeks and 13 months are shown."""
    from decimal import Decimal

    display.state.set_source(None)
    days = tuple(Decimal(n + 1) for n in range(8))  # today so far 1 kWh, yesterday 2, ...
    display.emit(
        model.MeterHistory(
            time=START,
            fuel=model.Fuel.ELECTRICITY,
            days=days,
            weeks=tuple(Decimal(10 * (n + 1)) for n in range(5)),
            months=tuple(Decimal(100 * (n + 1)) for n in range(3)),
        )
    )
    display.tap("tab-history")
    history = display.state.history
    assert [bar.kwh for bar in history.bars] == list(reversed(days))
    _touch_bar(display, 6)
    assert display.text("history-readout") == "Sun 11 Jan: 2.0 kWh, cost not known"
    display.tap("history-weeks")
    assert len(history.bars) == 5
    display.tap("history-months")
    assert [bar.kwh for bar in history.bars] == [Decimal(300), Decimal(200), Decimal(100)]


def test_the_meter_wins_for_its_days(display: Display) -> None:
    from decimal import Decimal

    display.state.set_source(FakeTotals())
    display.emit(
        model.MeterHistory(
            time=START, fuel=model.Fuel.ELECTRICITY, days=(Decimal(12), Decimal("10.5"))
        )
    )
    display.tap("tab-history")
    bars = display.state.history.bars
    assert len(bars) == 8
    assert bars[-2].kwh == Decimal("10.5")  # yesterday: ours said 11, the meter 10.5
    assert bars[-1].kwh == Decimal(12)  # today agrees, and keeps its cost
    assert bars[-1].cost_pence is not None
    assert bars[-3].kwh == Decimal(10)  # a day the meter did not send stays ours
