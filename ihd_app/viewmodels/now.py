"""The Now screen's state: power, cost per hour, gas, the ambient level and how fresh it all is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QObject

from device_backend.api import model
from ihd_app import formatting
from ihd_app.plural import counted
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


CLOCK_TOLERANCE_S = 120  # the two minutes: less is ordinary drift, not worth a word
# LQI (0-255) to signal bars, on the installer's grades (installer.diagnostics.link_colour:
# good from 150, fair from 80, poor below): good is four bars, fair two or three, poor one.
LQI_BARS = ((150, 4), (115, 3), (80, 2), (1, 1))


def bars_for_lqi(lqi: int) -> int:
    return next((bars for least, bars in LQI_BARS if lqi >= least), 0)


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
        self.balances: dict[model.Fuel, model.Prepayment] = {}
        self.clock_check: model.ClockCheck | None = None
        self.links: dict[str, int] = {}  # meter ieee -> its last LQI

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

    def on_prepayment(self, event: model.Prepayment) -> None:
        self.balances[event.fuel] = event
        self.changed.emit()

    def on_link_quality(self, event: model.LinkQuality) -> None:
        if event.lqi is not None and self.links.get(event.ieee) != event.lqi:
            self.links[event.ieee] = event.lqi
            self.changed.emit()

    def link_bars(self) -> int | None:
        """Signal bars from the weakest meter's link quality; None before any is heard."""
        return min((bars_for_lqi(q) for q in self.links.values()), default=None)

    def on_clock_check(self, event: model.ClockCheck) -> None:
        self.clock_check = event
        self.changed.emit()

    def clock_note(self) -> str:
        """Said when this computer's clock and the meters' differ by more than two minutes; the
        display shows the meters' time (the HAN's Time cluster) either way."""
        check = self.clock_check
        if check is None or abs(check.offset_s) <= CLOCK_TOLERANCE_S:
            return ""
        minutes = round(abs(check.offset_s) / 60)
        if check.offset_s > 0:
            return counted(
                self.tr(
                    "{n, plural, other {Showing the meter's time: this computer's clock is "
                    "# min slow.}}"
                ),
                minutes,
            )
        return counted(
            self.tr(
                "{n, plural, other {Showing the meter's time: this computer's clock is # min fast.}}"
            ),
            minutes,
        )

    def clock_badge(self) -> str:
        """The clock note in a few words, for the status line; `clock_note` says it whole."""
        check = self.clock_check
        if check is None or abs(check.offset_s) <= CLOCK_TOLERANCE_S:
            return ""
        minutes = round(abs(check.offset_s) / 60)
        if check.offset_s > 0:
            return counted(self.tr("{n, plural, other {Computer clock # min slow}}"), minutes)
        return counted(self.tr("{n, plural, other {Computer clock # min fast}}"), minutes)

    def _prepaid(self) -> list[model.Prepayment]:
        return [
            state
            for fuel in (model.Fuel.ELECTRICITY, model.Fuel.GAS)
            if (state := self.balances.get(fuel)) is not None
            and state.mode is model.PaymentMode.PREPAYMENT
        ]

    def balance_lines(self) -> list[str]:
        """A prepayment home's credit at a glance, a line for each fuel's own meter; none in
        credit mode."""
        # Whole phrases, not "{fuel} credit": Welsh puts the fuel after the noun, in lower case.
        lines = {
            model.Fuel.ELECTRICITY: self.tr("Electricity credit {amount}"),
            model.Fuel.GAS: self.tr("Gas credit {amount}"),
        }
        return [
            lines[state.fuel].format(amount=formatting.pounds(state.credit_pence, state.currency))
            for state in self._prepaid()
        ]

    def credit_state(self) -> tuple[str, str, str] | None:
        """The worst credit state of either prepaid meter: a few words, the whole sentence and
        the severity; None when both are fine. The meter's own flags decide (Prepayment
        cluster CreditStatus), not a threshold of ours."""
        prepaid = self._prepaid()
        if any(p.credit_exhausted for p in prepaid):
            return (
                self.tr("No credit"),
                self.tr("Your credit has run out. Top up to keep your supply on."),
                "alert",
            )
        if any(p.low_credit for p in prepaid):
            return self.tr("Low credit"), self.tr("Low credit: please top up soon."), "warning"
        return None

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
