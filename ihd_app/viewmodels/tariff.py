"""The Tariff screen: today's unit price and band, standing charge, and the next change."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject

from device_backend.api import model
from ihd_app import formatting
from ihd_app.viewmodels.base import Now, ViewModel
from ihd_app.viewmodels.meters import MeterSet
from ihd_app.viewmodels.prices import PriceBook


@dataclass(frozen=True, slots=True)
class FuelTariff:
    known: bool
    price: str = ""
    band: str = ""
    standing: str = ""
    next_change: str = ""
    rates: tuple[str, ...] = ()  # every rate of a multi-rate tariff (Economy 7: day and night)
    tariff: str = ""
    vat: str = ""


class TariffViewModel(ViewModel):
    def __init__(
        self, now: Now, prices: PriceBook, meters: MeterSet, parent: QObject | None = None
    ) -> None:
        super().__init__(now, parent)
        self.prices = prices
        self.meters = meters

    def on_price(self, event: model.Price) -> None:
        self.changed.emit()

    def rate_name(self, label: str) -> str:
        """The usual rate names a meter sends, in the display's language; others as sent."""
        known = {
            "day": self.tr("Day"),
            "night": self.tr("Night"),
            "peak": self.tr("Peak"),
            "off-peak": self.tr("Off-peak"),
            "standard": self.tr("Standard"),
        }
        return known.get(label.strip().lower(), label)

    def fuel(self, fuel: model.Fuel) -> FuelTariff:
        now = self.now()
        current = self.prices.current(fuel, now)
        if current is None:
            if self.meters.has(fuel) is False:
                return FuelTariff(False, price=self.tr("No meter for this fuel"))
            return FuelTariff(False, price=self.tr("Waiting for the meter…"))
        band = self.rate_name(current.tier_label) or (
            self.tr("Rate {n}").format(n=current.tier) if current.tier else ""
        )
        standing = self.tr("Standing charge {amount} a day").format(
            amount=formatting.pence_amount(current.standing_charge_pence_per_day)
        )
        rates = self.prices.rates(fuel)
        listed: tuple[str, ...] = ()
        if len(rates) > 1:
            listed = tuple(
                self.tr("{rate}: {price}").format(
                    rate=self.rate_name(p.tier_label) or self.tr("Rate {n}").format(n=p.tier),
                    price=formatting.unit_price(p.pence_per_kwh),
                )
                for p in rates
            )
        return FuelTariff(
            True,
            price=formatting.unit_price(current.pence_per_kwh),
            band=self.tr("Now: {band}").format(band=band) if band else "",
            standing=standing,
            next_change=self._next_change(fuel, current),
            rates=listed,
            tariff=current.tariff_label,
            vat=self.tr("Prices include VAT.")
            if current.includes_vat
            else self.tr("Prices exclude VAT."),
        )

    def _next_change(self, fuel: model.Fuel, current: model.Price) -> str:
        now = self.now()
        upcoming = self.prices.upcoming(fuel, now)
        if upcoming is not None and upcoming.starts is not None:
            label = f" ({self.rate_name(upcoming.tier_label)})" if upcoming.tier_label else ""
            return self.tr("Changes at {time} to {price}{label}").format(
                time=formatting.when_label(upcoming.starts, now),
                price=formatting.unit_price(upcoming.pence_per_kwh),
                label=label,
            )
        if current.ends is not None:
            following = self._other_rate(fuel, current)
            if following is not None:
                label = f" ({self.rate_name(following.tier_label)})" if following.tier_label else ""
                return self.tr("Changes at {time}, probably to {price}{label}").format(
                    time=formatting.when_label(current.ends, now),
                    price=formatting.unit_price(following.pence_per_kwh),
                    label=label,
                )
            return self.tr("Changes at {time}").format(
                time=formatting.when_label(current.ends, now)
            )
        return self.tr("No price change announced")

    def _other_rate(self, fuel: model.Fuel, current: model.Price) -> model.Price | None:
        """With exactly two rates (day and night) the next is the other; with more, we cannot say."""
        rates = self.prices.rates(fuel)
        others = [p for p in rates if p.tier != current.tier]
        return others[0] if len(rates) == 2 and len(others) == 1 else None
