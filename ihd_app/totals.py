"""Consumption totals for the Usage, History and Balance screens, from the back end's store."""

# `TotalsSource` is what the screens need; `StoreTotals` adapts device_backend's store to it.

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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


class TotalsSource(Protocol):
    def totals(self, fuel: model.Fuel, period: Period, count: int) -> list[PeriodTotal]:
        """Oldest first; the last entry is the current (partial) period."""
        ...

    def series(
        self, fuel: model.Fuel, start: datetime, end: datetime
    ) -> tuple[np.ndarray, np.ndarray]:
        """Demand over time: (UTC epoch seconds, kW), oldest first."""
        ...


class StoreTotals:
    """device_backend's store, as the screens want it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def totals(self, fuel: model.Fuel, period: Period, count: int) -> list[PeriodTotal]:
        if period == "day":
            rows = self.store.daily_totals(fuel, days=count)
        elif period == "week":
            rows = self.store.weekly_totals(fuel, weeks=count)
        else:
            rows = self.store.monthly_totals(fuel, months=count)
        return [_period_total(row) for row in rows]

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
    )
