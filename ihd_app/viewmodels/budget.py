"""The budget's state: the amount set on the display, what has been spent, and the forecast."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QObject

from device_backend.api import LONDON, model
from ihd_app import budget, formatting
from ihd_app.totals import TotalsSource
from ihd_app.viewmodels.base import Now, ViewModel
from ihd_app.viewmodels.settings import SettingsViewModel

LOGGER = logging.getLogger(__name__)
REFRESH_EVERY_S = 2.0  # wall seconds, as Usage: a fast simulation must not storm the store
HISTORY_DAYS = budget.PATTERN_WEEKS * 7 + 1  # four weeks of whole days, and today


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    period: str
    limit: Decimal  # pence
    spent: Decimal  # pence, so far this period (standing charge as accrued)
    forecast: Decimal | None  # pence by the period's end; None without history
    last_day: date

    @property
    def used(self) -> Decimal:
        """Spent as a share of the budget (may pass 1)."""
        return self.spent / self.limit if self.limit > 0 else Decimal(0)


class BudgetViewModel(ViewModel):
    def __init__(
        self, now: Now, settings: SettingsViewModel, parent: QObject | None = None
    ) -> None:
        super().__init__(now, parent)
        self.settings = settings
        self.source: TotalsSource | None = None
        self.status: BudgetStatus | None = None
        self._last_refresh = 0.0
        self._key: tuple[object, ...] = ()
        settings.changed.connect(self._settings_changed)

    def set_source(self, source: TotalsSource | None) -> None:
        self.source = source
        self.refresh()

    def on_energy(self, event: model.Energy) -> None:
        if time.monotonic() - self._last_refresh >= REFRESH_EVERY_S:
            self.refresh()

    def tick(self) -> None:
        """A new day (or week, or month) starts a new period without waiting for a reading."""
        if self.status is not None and formatting.local(self.now()).date() > self.status.last_day:
            self.refresh()

    def _settings_changed(self) -> None:
        s = self.settings.settings
        key = (s.budget_period, s.budget_pence())
        if key != self._key:
            self.refresh()

    # -- working it out --------------------------------------------------------------------

    def refresh(self) -> None:
        self._last_refresh = time.monotonic()
        s = self.settings.settings
        self._key = (s.budget_period, s.budget_pence())
        self.status = None
        if s.budget_period in budget.PERIODS and self.source is not None:
            try:
                self.status = self._work_out(s.budget_period, Decimal(s.budget_pence()))
            except Exception:  # a store hiccup must not blank the display
                LOGGER.exception("Could not work out the budget")
        self.changed.emit()

    def _work_out(self, period: str, limit: Decimal) -> BudgetStatus:
        assert self.source is not None
        now = self.now()
        today = formatting.local(now).date()
        days = budget.period_days(period, today)
        spent = Decimal(0)
        history: dict[date, Decimal] = {}
        for fuel in model.Fuel:
            current = self.source.totals(fuel, period, 1)  # type: ignore[arg-type]
            if current and current[-1].has_data and current[-1].cost_pence is not None:
                spent += Decimal(current[-1].cost_pence)
            for day in self.source.totals(fuel, "day", HISTORY_DAYS)[:-1]:
                when = formatting.local(day.start).date()
                if day.has_data and day.cost_pence is not None and when < today:
                    history[when] = history.get(when, Decimal(0)) + Decimal(day.cost_pence)
        expected_today = budget.expected_day(history, today.weekday())
        if expected_today is None:
            return BudgetStatus(period, limit, spent, None, days[-1])
        share = self._share_by_now(history, now, today)
        later = [budget.expected_day(history, d.weekday()) or Decimal(0) for d in days if d > today]
        forecast = budget.forecast_pence(spent, expected_today, share, later)
        return BudgetStatus(period, limit, spent, forecast, days[-1])

    def _share_by_now(self, history: dict[date, Decimal], now: datetime, today: date) -> Decimal:
        """How much of a day's use this home has had by this time of day, from its electricity
        demand on the same weekday of recent weeks (gas is read half-hourly and follows the
        heating, so the electricity day stands for both)."""
        assert self.source is not None
        start = _midnight(today)
        gone = (now - start).total_seconds()
        elapsed = gone / (_midnight(today + timedelta(days=1)) - start).total_seconds()
        shares = []
        for weeks in range(1, budget.PATTERN_WEEKS + 1):
            day = today - timedelta(days=7 * weeks)
            if day not in history:
                continue
            day_start, day_end = _midnight(day), _midnight(day + timedelta(days=1))
            times, kw = self.source.series(model.Fuel.ELECTRICITY, day_start, day_end)
            moment = day_start.timestamp() + gone
            shares.append(budget.share_by(times, kw, moment))
        return budget.mean_share(shares, elapsed)

    # -- display ---------------------------------------------------------------------------

    def headline(self) -> str:
        status = self.status
        if status is None:
            return ""
        words = {
            "day": self.tr("Daily budget: {spent} of {limit}"),
            "week": self.tr("Weekly budget: {spent} of {limit}"),
            "month": self.tr("Monthly budget: {spent} of {limit}"),
        }[status.period]
        return words.format(
            spent=formatting.pounds(status.spent), limit=formatting.pounds(status.limit)
        )

    def spoken(self) -> str:
        """The bar in words, for a screen reader."""
        if self.status is None:
            return ""
        return self.tr("{percent} of the budget used").format(
            percent=formatting.percent(int(status_percent(self.status)))
        )

    def forecast_text(self) -> str:
        status = self.status
        if status is None:
            return ""
        if status.forecast is None:
            return self.tr("Forecast: after a whole day of use")
        amount = formatting.pounds(status.forecast)
        if status.period == "day":
            text = self.tr("About {amount} by midnight — estimate").format(amount=amount)
        elif status.period == "week":
            text = self.tr("About {amount} by Sunday — estimate").format(amount=amount)
        else:
            text = self.tr("About {amount} by {date} — estimate").format(
                amount=amount, date=formatting.day_and_long_month(status.last_day)
            )
        over = status.spent - status.limit
        # After a colon, so that the estimate and what it means read as one sentence.
        if over > 0:
            text += ": " + self.tr("already {amount} over").format(amount=formatting.pounds(over))
        elif status.forecast > status.limit:
            text += ": " + self.tr("over your budget")
        return text

    def over(self) -> bool:
        """Spent, or on course to spend, more than the budget."""
        s = self.status
        return s is not None and (
            s.spent > s.limit or (s.forecast is not None and s.forecast > s.limit)
        )


def _midnight(day: date) -> datetime:
    """The local midnight that starts `day`, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


def status_percent(status: BudgetStatus) -> Decimal:
    return (status.used * 100).quantize(Decimal(1))
