"""The Now screen's state: power, cost per hour, gas, the ambient level and how fresh it all is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QObject

from device_backend.api import model
from ihd_app import formatting
from ihd_app.viewmodels.base import Now, ViewModel
from ihd_app.viewmodels.freshness import Freshness, describe
from ihd_app.viewmodels.meters import MeterSet
from ihd_app.viewmodels.prices import PriceBook


@dataclass(frozen=True, slots=True)
class FuelNow:
    """One fuel's live figures as text; `power` is None until the meter has reported."""

    power: str | None
    cost: str | None
    note: str
    exporting: bool = False


class NowViewModel(ViewModel):
    def __init__(
        self, now: Now, prices: PriceBook, meters: MeterSet, parent: QObject | None = None
    ) -> None:
        super().__init__(now, parent)
        self.prices = prices
        self.meters = meters
        self.demand: dict[model.Fuel, model.Demand] = {}
        self.gas_kwh_per_m3: Decimal | None = None
        self.ambient: model.AmbientLevel | None = None
        self.connection: model.Connection | None = None

    # -- events ----------------------------------------------------------------------------

    def on_demand(self, event: model.Demand) -> None:
        self.demand[event.fuel] = event
        self.changed.emit()

    def on_energy(self, event: model.Energy) -> None:
        # The adapter leaves the factor at exactly 1 until the calorific value is published.
        if event.fuel is model.Fuel.GAS and event.kwh_per_unit != 1:
            self.gas_kwh_per_m3 = event.kwh_per_unit

    def on_ambient(self, event: model.Ambient) -> None:
        self.ambient = event.level
        self.changed.emit()

    def on_connection(self, event: model.Connection) -> None:
        self.connection = event
        self.changed.emit()

    def on_price(self, event: model.Price) -> None:
        self.changed.emit()

    # -- display ---------------------------------------------------------------------------

    def ambient_note(self) -> str:
        """Why the sign may surprise: high use while the cheapest rate is in force (a night
        of Economy 7 heating) is the use such a tariff is for."""
        if self.ambient is not model.AmbientLevel.HIGH:
            return ""
        rates = self.prices.rates(model.Fuel.ELECTRICITY)
        current = self.prices.current(model.Fuel.ELECTRICITY, self.now())
        if current is None or len(rates) < 2:
            return ""
        if current.pence_per_kwh > min(r.pence_per_kwh for r in rates):
            return ""
        band = current.tier_label or self.tr("cheaper")
        return self.tr("Using a lot, at the {band} rate: the cheapest one").format(band=band)

    def last_reading(self) -> datetime | None:
        times = [d.time for d in self.demand.values()]
        electricity = self.demand.get(model.Fuel.ELECTRICITY)
        return electricity.time if electricity is not None else (max(times) if times else None)

    def freshness(self) -> Freshness:
        return describe(self.connection, self.last_reading(), self.now())

    def electricity(self) -> FuelNow:
        demand = self.demand.get(model.Fuel.ELECTRICITY)
        if demand is None:
            return FuelNow(None, None, self.tr("Waiting for the meter…"))
        power = demand.value
        if power < 0:
            return FuelNow(
                formatting.kw(-power),
                None,
                self.tr("Your solar panels are sending power to the grid."),
                exporting=True,
            )
        price = self.prices.current(model.Fuel.ELECTRICITY, self.now())
        if price is None:
            return FuelNow(formatting.kw(power), None, self.tr("Waiting for the price…"))
        cost = formatting.cost_per_hour(power, price.pence_per_kwh)
        return FuelNow(
            formatting.kw(power),
            self.tr("{cost} an hour").format(cost=formatting.money_rate(cost)),
            self.tr("at {price}").format(price=formatting.unit_price(price.pence_per_kwh)),
        )

    def gas(self) -> FuelNow:
        demand = self.demand.get(model.Fuel.GAS)
        if demand is None:
            if self.meters.has(model.Fuel.GAS) is False:
                return FuelNow(None, None, self.tr("No gas meter is connected to this display."))
            return FuelNow(None, None, self.tr("Waiting for the gas meter…"))
        # Gas meters report volume about every half hour; say when, since it is never live.
        when = self.tr("reading at {time}").format(
            time=formatting.when_label(demand.time, self.now())
        )
        if self.gas_kwh_per_m3 is None:
            return FuelNow(f"{formatting.number(demand.value, 3)} m³/h", None, when)
        power = demand.value * self.gas_kwh_per_m3
        price = self.prices.current(model.Fuel.GAS, self.now())
        cost = None
        if price is not None:
            cost = self.tr("{cost} an hour").format(
                cost=formatting.money_rate(formatting.cost_per_hour(power, price.pence_per_kwh))
            )
        return FuelNow(formatting.kw(power), cost, when)
