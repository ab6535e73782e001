"""Budgets: set in pounds on Settings by touch, kept through a restart, shown against what is spent
on Now and Usage, with an end-of-period forecast from the home's own weekday pattern."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from device_backend import model
from ihd_app import budget
from ihd_app.settings import SettingsFile
from ihd_app.totals import PeriodTotal
from tests.support.display import Display, FakeBackend, open_page, write_settings

# Wednesday 14 January 2026, 18:00 (GMT: London time is UTC in January).
NOW = datetime(2026, 1, 14, 18, 0, tzinfo=UTC)
EVENING = 18 * 3600  # seconds into the day: the evening load starts here

# The home's last four weeks of whole days, in pence (electricity; it has no gas). Wednesdays:
# 300, 320, 280, 300 (mean 300); Thursdays 400; Fridays 350; Saturdays 500 and 520 (mean 510);
# Sundays 450; Mondays and Tuesdays 200.
WEEKDAY_COSTS = {0: [200], 1: [200], 2: [300, 320, 280, 300], 3: [400], 4: [350], 5: [500, 520]}
WEEKDAY_COSTS[6] = [450]
SPENT_THIS_WEEK = 1234  # Monday to now, standing charge as accrued


def _past_cost(day: date) -> int:
    costs = WEEKDAY_COSTS[day.weekday()]
    weeks_ago = (NOW.date() - day).days // 7
    return costs[min(len(costs) - 1, max(0, (weeks_ago - 1) % len(costs)))]


class PatternTotals:
    """A home with an evening peak: 0.5 kW until 18:00 and 1.5 kW after (9 kWh before, 9 after:
    half the day's use is still to come at 18:00)."""

    def __init__(self, history: bool = True) -> None:
        self.history = history

    def totals(self, fuel: model.Fuel, period: str, count: int) -> list[PeriodTotal]:
        if fuel is model.Fuel.GAS:
            start = datetime(2026, 1, 1, tzinfo=UTC)
            return [PeriodTotal(start, Decimal(0), None, has_data=False)] * count
        if period != "day":
            return [PeriodTotal(NOW, Decimal(50), SPENT_THIS_WEEK)]
        rows = []
        for back in range(count - 1, -1, -1):
            day = NOW.date() - timedelta(days=back)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            if back == 0:
                rows.append(PeriodTotal(start, Decimal(3), 180))
            elif self.history:
                rows.append(PeriodTotal(start, Decimal(10), _past_cost(day)))
            else:
                rows.append(PeriodTotal(start, Decimal(0), None, has_data=False))
        return rows

    def series(
        self, fuel: model.Fuel, start: datetime, end: datetime
    ) -> tuple[np.ndarray, np.ndarray]:
        times = np.arange(start.timestamp(), end.timestamp() + 1, 1800.0)
        kw = np.where(times - start.timestamp() < EVENING, 0.5, 1.5)
        return times, kw


# -- the arithmetic, by hand --------------------------------------------------------------------


def test_the_forecast_adds_the_rest_of_today_and_each_later_day_as_the_home_spends_them() -> None:
    today = NOW.date()
    assert budget.period_days("week", today)[0] == date(2026, 1, 12)  # Monday
    assert budget.period_days("week", today)[-1] == date(2026, 1, 18)  # Sunday
    assert budget.period_days("month", today)[-1] == date(2026, 1, 31)
    history = {
        today - timedelta(days=n): Decimal(_past_cost(today - timedelta(days=n)))
        for n in range(1, 29)
    }
    # Wednesdays 300, 320, 280, 300: a mean of 300p.
    assert budget.expected_day(history, 2) == Decimal(300)
    assert budget.expected_day(history, 5) == Decimal(510)  # Saturdays 500 and 520
    # 0.5 kW for 18 h (9 kWh) then 1.5 kW for 6 h (9 kWh): half the day is used by 18:00.
    times, kw = PatternTotals().series(
        model.Fuel.ELECTRICITY, NOW - timedelta(hours=18), NOW + timedelta(hours=6)
    )
    assert budget.share_by(times, kw, NOW.timestamp()) == pytest.approx(0.5)
    # 1,234p so far + 300 x (1 - 0.5) for the rest of Wednesday + Thursday 400 + Friday 350
    # + Saturday 510 + Sunday 450 = 1,234 + 150 + 1,710 = 3,094p.
    later = [Decimal(400), Decimal(350), Decimal(510), Decimal(450)]
    forecast = budget.forecast_pence(Decimal(1234), Decimal(300), Decimal("0.5"), later)
    assert forecast == Decimal(3094)
    assert isinstance(forecast, Decimal)
    # No use recorded on a day: no share from it; with none at all, the part of the day gone.
    assert budget.share_by(times, np.zeros(len(times)), NOW.timestamp()) is None
    assert budget.mean_share([None], 0.75) == Decimal("0.75")
    assert budget.expected_day({}, 2) is None


# -- what a person sees ------------------------------------------------------------------------


def _display(qtbot: Any, loop: asyncio.AbstractEventLoop, path: Path, **kw: Any) -> Display:
    d = Display(qtbot, loop, path, backend=FakeBackend(NOW))
    d.state.set_source(PatternTotals(**kw))
    return d


def _shown(d: Display, name: str) -> bool:
    return d.find(QWidget, name).isVisible()


def test_a_weekly_budget_set_by_touch_shows_progress_and_forecast_and_survives_restart(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    path = write_settings(tmp_path / "display.json")
    d = _display(qtbot, loop, path)
    try:
        open_page(d, "now")
        assert not _shown(d, "now-budget")  # no budget until one is set
        d.tap("tab-settings")
        d.tap("settings-budget-week")
        assert d.text("settings-budget-amount") == "£30.00"
        d.tap("settings-budget-more")
        d.tap("settings-budget-more")  # £2 a tap for a week
        d.tap("settings-budget-less")
        assert d.text("settings-budget-amount") == "£32.00"
        d.tap("tab-now")
        assert _shown(d, "now-budget")
        assert d.text("now-budget-headline") == "Weekly budget: £12.34 of £32.00"
        bar = d.find(QWidget, "now-budget-bar")
        assert bar.accessibleName() == "39% of the budget used"  # 1,234 / 3,200
        assert bar.used == pytest.approx(1234 / 3200)
        assert bar.forecast == pytest.approx(3094 / 3200)  # the notch, inside the track
        d.tap("tab-usage")
        assert d.text("usage-budget-headline") == "Weekly budget: £12.34 of £32.00"
        assert d.text("usage-budget-forecast") == "About £30.94 by Sunday — estimate"
        # Lower it under the forecast: the words and a mark say so, not a colour.
        d.tap("tab-settings")
        d.tap("settings-budget-less")
        d.tap("tab-usage")
        assert d.text("usage-budget-headline") == "⚠ Weekly budget: £12.34 of £30.00"
        assert d.text("usage-budget-forecast") == (
            "About £30.94 by Sunday — estimate: over your budget"
        )
    finally:
        d.close()
    kept = SettingsFile(path).load()
    assert (kept.budget_period, kept.budget_week_pence) == ("week", 3000)
    again = _display(qtbot, loop, path)
    try:
        open_page(again, "now")
        assert again.text("now-budget-headline") == "⚠ Weekly budget: £12.34 of £30.00"
    finally:
        again.close()


def test_each_period_keeps_its_own_amount_and_a_new_home_gets_no_guess(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    d = _display(qtbot, loop, write_settings(tmp_path / "display.json"), history=False)
    try:
        d.tap("tab-settings")
        d.tap("settings-budget-day")
        d.tap("settings-budget-more")  # 50p a tap for a day
        assert d.text("settings-budget-amount") == "£5.50"
        d.tap("settings-budget-month")
        assert d.text("settings-budget-amount") == "£120.00"
        d.tap("settings-budget-day")
        assert d.text("settings-budget-amount") == "£5.50"
        d.tap("tab-usage")
        assert d.text("usage-budget-headline") == "Daily budget: £1.80 of £5.50"
        assert d.text("usage-budget-forecast") == "Forecast: after a whole day of use"
        d.tap("tab-settings")
        d.tap("settings-budget-off")
        assert not d.find(QWidget, "settings-budget-amount").isVisible()
        d.tap("tab-usage")
        assert not _shown(d, "usage-budget")
    finally:
        d.close()
