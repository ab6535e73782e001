"""Consumption totals for the Usage and History screens, read from the back end's store.

`TotalsSource` is what the screens need; `StoreTotals` adapts device_backend's store to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, Protocol

import numpy as np

from device_backend import model

Period = Literal["day", "week", "month"]
DEPTH: dict[Period, int] = {"day": 8, "week": 5, "month": 13}


@dataclass(frozen=True, slots=True)
class PeriodTotal:
    """Energy and cost over one local day, week or month (the last one may be in progress)."""

    start: datetime
    kwh: Decimal
    cost_pence: int | None  # None when the store could not price it
    includes_standing_charge: bool = True
    includes_vat: bool = True


class TotalsSource(Protocol):
    def totals(self, fuel: model.Fuel, period: Period, count: int) -> list[PeriodTotal]:
        """Oldest first; the last entry is the current (partial) period."""
        ...

    def series(self, fuel: model.Fuel, start: datetime, end: datetime) -> tuple[np.ndarray, np.ndarray]:
        """Demand over time: (UTC epoch seconds, kW), oldest first."""
        ...


class StoreTotals:
    """device_backend's store, as the screens want it."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def totals(self, fuel: model.Fuel, period: Period, count: int) -> list[PeriodTotal]:
        method = {"day": "daily_totals", "week": "weekly_totals", "month": "monthly_totals"}[period]
        keyword = {"day": "days", "week": "weeks", "month": "months"}[period]
        rows = getattr(self.store, method)(fuel, **{keyword: count})
        return [_period_total(row) for row in rows]

    def series(self, fuel: model.Fuel, start: datetime, end: datetime) -> tuple[np.ndarray, np.ndarray]:
        result = self.store.series(fuel, start, end)
        times, values = result[0], result[1]
        return np.asarray(times, dtype=float), np.asarray(values, dtype=float)


def _field(row: Any, *names: str) -> Any:
    for name in names:
        if isinstance(row, dict) and name in row:
            return row[name]
        if hasattr(row, name):
            return getattr(row, name)
    return None


def _period_total(row: Any) -> PeriodTotal:
    kwh = _field(row, "kwh", "import_kwh", "energy_kwh")
    cost = _field(row, "cost_pence", "total_pence", "pence")
    standing = _field(row, "includes_standing_charge", "standing_charge_included")
    vat = _field(row, "includes_vat", "vat_included")
    return PeriodTotal(
        start=_field(row, "start", "period_start", "day"),
        kwh=Decimal(kwh) if kwh is not None else Decimal(0),
        cost_pence=int(cost) if cost is not None else None,
        includes_standing_charge=True if standing is None else bool(standing),
        includes_vat=True if vat is None else bool(vat),
    )
