"""A household's budget: the days of its period and an end-of-period forecast from its own use.

The forecast is what has been spent so far, plus the rest of today and each later day of the
period as this home has spent on the same weekday lately. "The rest of today" is the share of a
day's use that this home has, on the same weekday, used after this time of day (from its stored
demand), so an evening household at 17:00 is not forecast to spend the day's average by
midnight at the morning's pace. With no history there is no forecast: never a guess.

Pure arithmetic on Decimal pence, no Qt: the view-model (viewmodels.budget) feeds it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

PERIODS = ("day", "week", "month")
PATTERN_WEEKS = 4  # the same weekday from the last four weeks: recent, and not one odd day


def period_days(period: str, today: date) -> list[date]:
    """Every local day of the budget period holding `today`; weeks run Monday to Sunday, as
    the store's weekly totals do."""
    if period == "day":
        return [today]
    if period == "week":
        monday = today - timedelta(days=today.weekday())
        return [monday + timedelta(days=n) for n in range(7)]
    if period == "month":
        last = calendar.monthrange(today.year, today.month)[1]
        return [today.replace(day=n) for n in range(1, last + 1)]
    raise ValueError(f"not a budget period: {period!r}")


def expected_day(history: dict[date, Decimal], weekday: int) -> Decimal | None:
    """A day's cost as this home has spent it lately: the mean of the same weekday in
    `history` (whole past days only), or of every day there when that weekday is missing."""
    same = [cost for day, cost in history.items() if day.weekday() == weekday]
    pool = same or list(history.values())
    if not pool:
        return None
    return sum(pool, Decimal(0)) / len(pool)


def share_by(times: np.ndarray, kw: np.ndarray, moment: float) -> float | None:
    """The share of one day's energy used before `moment` (epoch seconds), each reading held
    until the next; None for a day with no use recorded."""
    if len(times) < 2:
        return None
    widths = np.diff(times)
    energy = np.clip(kw[:-1], 0, None) * widths
    whole = float(energy.sum())
    if whole <= 0:
        return None
    before = times[:-1] < moment
    # The reading that straddles `moment` counts for the part before it.
    part = np.where(before, np.minimum(times[1:], moment) - times[:-1], 0.0)
    used = float((np.clip(kw[:-1], 0, None) * part).sum())
    return min(1.0, max(0.0, used / whole))


def mean_share(shares: Iterable[float | None], elapsed: float) -> Decimal:
    """The mean of the days' shares, or the part of the day gone (a flat day) with none."""
    known = [s for s in shares if s is not None]
    value = sum(known) / len(known) if known else elapsed
    return Decimal(str(round(min(1.0, max(0.0, value)), 4)))


def forecast_pence(
    spent: Decimal, today_expected: Decimal, share_by_now: Decimal, later_days: Sequence[Decimal]
) -> Decimal:
    """Spent so far + the rest of today + the later days of the period, each as expected."""
    rest_of_today = today_expected * (1 - share_by_now)
    return spent + rest_of_today + sum(later_days, Decimal(0))
