"""What each fuel costs now, what it will cost next, and every rate seen (day and night)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from device_backend.api import model

_KEEP = 24  # prices per fuel: a day of half-hourly changes is plenty for "now" and "next"


class PriceBook:
    def __init__(self) -> None:
        self._prices: dict[model.Fuel, list[model.Price]] = {}

    def add(self, price: model.Price) -> None:
        prices = self._prices.setdefault(price.fuel, [])
        # A price republished for the same start replaces the old one (a corrected tariff).
        prices[:] = [p for p in prices if not (p.starts == price.starts and p.tier == price.tier)]
        prices.append(price)
        del prices[:-_KEEP]

    def known(self, fuel: model.Fuel) -> bool:
        return bool(self._prices.get(fuel))

    def current(self, fuel: model.Fuel, now: datetime) -> model.Price | None:
        """The newest price in force now; failing that, the newest one that has started."""
        prices = self._prices.get(fuel, [])
        started = [p for p in prices if p.starts is None or p.starts <= now]
        in_force = [p for p in started if p.ends is None or now < p.ends]
        if in_force:
            return in_force[-1]
        return started[-1] if started else None

    def upcoming(self, fuel: model.Fuel, now: datetime) -> model.Price | None:
        future = [p for p in self._prices.get(fuel, []) if p.starts is not None and p.starts > now]
        return min(future, key=lambda p: p.starts or now) if future else None

    def next_change(self, fuel: model.Fuel, now: datetime) -> datetime | None:
        current = self.current(fuel, now)
        upcoming = self.upcoming(fuel, now)
        if upcoming is not None and upcoming.starts is not None:
            return upcoming.starts
        return current.ends if current is not None else None

    def rates(self, fuel: model.Fuel) -> list[model.Price]:
        """The newest price for each tier, lowest tier first (Economy 7: day and night)."""
        by_tier: dict[int, model.Price] = {}
        for price in self._prices.get(fuel, []):
            by_tier[price.tier] = price
        return [by_tier[t] for t in sorted(by_tier)]

    def standing_charge(self, fuel: model.Fuel, now: datetime) -> Decimal | None:
        current = self.current(fuel, now)
        return current.standing_charge_pence_per_day if current is not None else None
