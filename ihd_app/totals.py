"""Consumption totals for the Usage, History and Balance screens, from the back end's store."""

# `TotalsSource` is what the screens need; `StoreTotals` adapts device_backend's store to it.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

from device_backend.api import model, round_pence

if TYPE_CHECKING:  # the store module is only needed once the back end is running
    from device_backend.api import PeriodTotal as StorePeriod
    from device_backend.api import Store

Period = Literal["day", "week", "month"]
DEPTH: dict[Period, int] = {"day": 8, "week": 5, "month": 13}


@dataclass(frozen=True, slots=True)
class PeriodTotal:
    """Energy and cost over one local day, week or month (the last one may be in progress)."""

    start: datetime
    kwh: Decimal
    cost_pence: int | None  # whole pence for display; None when no price was known
    includes_standing_charge: bool = True
    export_kwh: Decimal = Decimal(0)
    unpriced_kwh: Decimal = Decimal(0)  # used while no price was known: not in the cost
    has_data: bool = True  # False for a period with no reading at all (before installation)


class TotalsSource(Protocol):
    def totals(self, fuel: model.Fuel, period: Period, count: int) -> list[PeriodTotal]:
        """Oldest first; the last entry is the current (partial) period."""
        ...

    def series(
        self, fuel: model.Fuel, start: datetime, end: datetime
    ) -> tuple[np.ndarray, np.ndarray]:
        """Demand over time: (UTC epoch seconds, kW), oldest first."""
        ...


SLOT = timedelta(minutes=30)


def standing_accrued(
    charge: Decimal, day_start: datetime, day_end: datetime, now: datetime
) -> Decimal:
    """The part of a day's standing charge run up by `now`, one share per half-hour begun.

    A day's charge is not owed all at once at midnight: the display accrues it through the
    day by the half-hour (the meters' own settlement period), so at 08:00 Usage shows 17/48
    of it rather than the whole day's. Days of 46 or 50 half-hours (the clocks changing)
    share it out over the slots they have.
    """
    slots = round((day_end.astimezone(UTC) - day_start.astimezone(UTC)) / SLOT)
    begun = (now.astimezone(UTC) - day_start.astimezone(UTC)) // SLOT + 1
    return charge * min(max(begun, 0), slots) / slots


class StoreTotals:
    """device_backend's store, as the screens want it."""

    def __init__(self, store: Store, now: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.now = now  # with a clock, today's standing charge accrues (see standing_accrued)

    def totals(self, fuel: model.Fuel, period: Period, count: int) -> list[PeriodTotal]:
        if period == "day":
            rows = self.store.daily_totals(fuel, days=count)
        elif period == "week":
            rows = self.store.weekly_totals(fuel, weeks=count)
        else:
            rows = self.store.monthly_totals(fuel, months=count)
        totals = [_period_total(row) for row in rows]
        if totals and self.now is not None:
            totals[-1] = self._accrue(fuel, rows[-1], totals[-1], period)
        return totals

    def _accrue(
        self, fuel: model.Fuel, row: StorePeriod, total: PeriodTotal, period: Period
    ) -> PeriodTotal:
        """Take off the part of today's standing charge still to come."""
        assert self.now is not None
        now = self.now()
        if row.cost_pence is None or not (row.start <= now < row.end):
            return total
        today = row if period == "day" else self.store.daily_totals(fuel, days=1)[-1]
        charge = today.standing_charge_pence
        if charge is None:
            return total
        to_come = charge - standing_accrued(charge, today.start, today.end, now)
        return replace(total, cost_pence=round_pence(row.cost_pence - to_come))

    def series(
        self, fuel: model.Fuel, start: datetime, end: datetime
    ) -> tuple[np.ndarray, np.ndarray]:
        found = self.store.series(fuel, start, end)
        return np.asarray(found.times, dtype=float), np.asarray(found.kw, dtype=float)


def _period_total(row: StorePeriod) -> PeriodTotal:
    cost = row.cost_pence  # exact Decimal pence: rounded once, here, for display
    return PeriodTotal(
        start=row.start,
        kwh=Decimal(row.kwh),
        cost_pence=round_pence(cost) if cost is not None else None,
        includes_standing_charge=bool(row.includes_standing_charge),
        export_kwh=row.export_kwh,
        unpriced_kwh=row.unpriced_kwh,
        # The store gives a period without a single reading no cost and no standing charge.
        has_data=bool(
            row.kwh or row.export_kwh or row.unpriced_kwh or row.energy_cost_pence is not None
        ),
    )
