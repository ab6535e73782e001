"""Today / this week / this month: kWh and cost per fuel, and what the cost includes."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal

from PySide6.QtCore import QObject

from device_backend.api import model, round_pence
from ihd_app import formatting
from ihd_app.totals import Period, PeriodTotal, TotalsSource
from ihd_app.viewmodels.base import Now, ViewModel
from ihd_app.viewmodels.meters import MeterSet
from ihd_app.viewmodels.prices import PriceBook

LOGGER = logging.getLogger(__name__)
REFRESH_EVERY_S = 2.0  # wall seconds: a fast simulation must not turn into a query storm


@dataclass(frozen=True, slots=True)
class FuelUsage:
    main: str  # the figure in the chosen unit
    other: str  # the same period in the other unit
    available: bool


class UsageViewModel(ViewModel):
    def __init__(
        self, now: Now, prices: PriceBook, meters: MeterSet, parent: QObject | None = None
    ) -> None:
        super().__init__(now, parent)
        self.prices = prices
        self.meters = meters
        self.source: TotalsSource | None = None
        self.period: Period = "day"
        self.show_pounds = False
        self.totals: dict[model.Fuel, PeriodTotal | None] = {}
        self.meter_history: dict[model.Fuel, model.MeterHistory] = {}
        self.from_meter: set[model.Fuel] = set()  # fuels whose figure is the meter's own
        self._last_refresh = 0.0

    def set_source(self, source: TotalsSource | None) -> None:
        self.source = source
        self.refresh()

    def set_period(self, period: Period) -> None:
        self.period = period
        self.refresh()

    def set_show_pounds(self, show_pounds: bool) -> None:
        if show_pounds != self.show_pounds:
            self.show_pounds = show_pounds
            self.changed.emit()

    def toggle_unit(self) -> None:
        self.set_show_pounds(not self.show_pounds)

    def on_meter_history(self, event: model.MeterHistory) -> None:
        self.meter_history[event.fuel] = event
        self.refresh()

    def on_energy(self, event: model.Energy) -> None:
        if time.monotonic() - self._last_refresh >= REFRESH_EVERY_S:
            self.refresh()

    def refresh(self) -> None:
        self._last_refresh = time.monotonic()
        self.totals = {}
        if self.source is not None:
            for fuel in model.Fuel:
                try:
                    rows = self.source.totals(fuel, self.period, 1)
                except Exception:  # a store hiccup must not blank the display
                    LOGGER.exception("Could not read %s totals", fuel.value)
                    rows = []
                self.totals[fuel] = rows[-1] if rows else None
        self.from_meter = set()
        meter = self._meter_period(model.Fuel.GAS)
        if meter is not None:
            self.totals[model.Fuel.GAS] = meter
            self.from_meter.add(model.Fuel.GAS)
        self.changed.emit()

    def _meter_period(self, fuel: model.Fuel) -> PeriodTotal | None:
        """The gas proxy's own kWh and cost for the current period, when it publishes them.

        GB gas proxies keep kWh and cost logs (Metering alternative-unit set, Prepayment cost
        set); they are the figures the supplier bills from, so they are shown instead of our own
        conversion of the volume, which remains the fallback: with a volume-only log, or while
        the UK day is not the meter's UTC day (British Summer Time), or before the first read.
        """
        history = self.meter_history.get(fuel)
        if history is None or history.kwh_source != "meter":
            return None
        now = self.now()
        if formatting.local(now).utcoffset():
            return None  # the meter's day, week and month start at 01:00 UK time in summer
        if history.time.astimezone(UTC).date() != now.astimezone(UTC).date():
            return None  # read on an earlier day: its "current" figures are another day's
        kwh, costs = {
            "day": (history.days, history.day_costs),
            "week": (history.weeks, history.week_costs),
            "month": (history.months, history.month_costs),
        }[self.period]
        if not kwh:
            return None
        ours = self.totals.get(fuel)
        return PeriodTotal(
            start=ours.start if ours is not None else now,
            kwh=kwh[0],
            cost_pence=int(round_pence(costs[0])) if costs else None,
            includes_standing_charge=bool(costs),
        )

    # -- display ---------------------------------------------------------------------------

    def period_title(self) -> str:
        return {
            "day": self.tr("Today"),
            "week": self.tr("This week"),
            "month": self.tr("This month"),
        }[self.period]

    def fuel(self, fuel: model.Fuel) -> FuelUsage:
        total = self.totals.get(fuel)
        if (total is None or total.kwh == 0) and self.meters.has(fuel) is False:
            return FuelUsage(self.tr("No meter for this fuel"), "", False)
        if total is None:
            waiting = (
                self.tr("Waiting for the meter…")
                if self.source is not None
                else self.tr("Not recorded on this display")
            )
            return FuelUsage(waiting, "", False)
        energy = formatting.kwh(total.kwh)
        cost = (
            formatting.pounds(total.cost_pence)
            if total.cost_pence is not None
            else self.tr("cost not known")
        )
        return FuelUsage(cost, energy, True) if self.show_pounds else FuelUsage(energy, cost, True)

    def cost_note(self) -> str:
        """Say what a cost includes, naming the standing charges we know."""
        now = self.now()
        parts = []
        for fuel, name in (
            (model.Fuel.ELECTRICITY, self.tr("electricity")),
            (model.Fuel.GAS, self.tr("gas")),
        ):
            standing = self.prices.standing_charge(fuel, now)
            if standing is not None and standing > 0:
                parts.append(
                    self.tr("{fuel} {amount} a day").format(
                        fuel=name, amount=formatting.pence_amount(standing)
                    )
                )
        totals = [t for t in self.totals.values() if t is not None]
        standing_in = all(t.includes_standing_charge for t in totals)
        # The store prices energy as the meter published it, so VAT is in when the price says so.
        current = [self.prices.current(f, now) for f in model.Fuel]
        vat_in = all(p.includes_vat for p in current if p is not None)
        head = {
            (True, True): self.tr("Costs include VAT and the daily standing charge"),
            (True, False): self.tr("Costs include the daily standing charge but not VAT"),
            (False, True): self.tr("Costs include VAT but not the daily standing charge"),
            (False, False): self.tr("Costs exclude VAT and the daily standing charge"),
        }[(standing_in, vat_in)]
        note = f"{head} ({', '.join(parts)})." if parts else f"{head}."
        unpriced = sum((t.unpriced_kwh for t in totals), Decimal(0))
        if unpriced > 0:
            note += " " + self.tr(
                "{kwh} used before the price was known is not in the cost."
            ).format(kwh=formatting.kwh(unpriced))
        return note
