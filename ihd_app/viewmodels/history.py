"""History: bars for 8 days, 5 weeks or 13 months, and the live demand of the last hour or day."""

from __future__ import annotations

import logging
from collections import deque
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

import numpy as np
from PySide6.QtCore import QObject, Signal

from device_backend.api import LONDON, model, round_pence
from ihd_app import formatting
from ihd_app.totals import DEPTH, Period, PeriodTotal, TotalsSource
from ihd_app.viewmodels.base import Now, ViewModel

LOGGER = logging.getLogger(__name__)
View = Literal["days", "weeks", "months", "hour", "day"]
BAR_PERIOD: dict[str, Period] = {"days": "day", "weeks": "week", "months": "month"}
LIVE_SPAN = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
KEEP = timedelta(days=1, minutes=5)


class HistoryViewModel(ViewModel):
    live_changed = Signal()  # new live points only: the chart updates in place, bars stay

    def __init__(self, now: Now, parent: QObject | None = None) -> None:
        super().__init__(now, parent)
        self.source: TotalsSource | None = None
        self.view: View = "days"
        self.fuel = model.Fuel.ELECTRICITY
        self.show_pounds = False
        self.bars: list[PeriodTotal] = []
        self.selected: int | None = None
        self._live: dict[model.Fuel, deque[tuple[float, float]]] = {f: deque() for f in model.Fuel}
        self._gas_kwh_per_m3: float | None = None
        self.meter: dict[model.Fuel, model.MeterHistory] = {}
        self.from_meter: set[int] = set()  # bar indexes whose energy is the meter's own

    # -- inputs ----------------------------------------------------------------------------

    def set_source(self, source: TotalsSource | None) -> None:
        self.source = source
        self._seed_live()
        self.refresh()

    def set_view(self, view: View) -> None:
        self.view = view
        self.selected = None
        self.refresh()

    def set_fuel(self, fuel: model.Fuel) -> None:
        self.fuel = fuel
        self.selected = None
        self.refresh()

    def set_show_pounds(self, show_pounds: bool) -> None:
        self.show_pounds = show_pounds
        self.changed.emit()

    def select(self, index: int | None) -> None:
        self.selected = index if index is not None and 0 <= index < len(self.bars) else None
        self.changed.emit()

    def on_demand(self, event: model.Demand) -> None:
        points = self._live[event.fuel]
        stamp = event.time.timestamp()
        if points and stamp < points[-1][0]:
            return  # a replayed older reading would fold the line back on itself
        points.append((stamp, float(event.value)))  # plotting only; money never goes through here
        cutoff = stamp - KEEP.total_seconds()
        while points and points[0][0] < cutoff:
            points.popleft()
        if event.fuel is self.fuel:
            self.live_changed.emit()

    def on_meter_history(self, event: model.MeterHistory) -> None:
        self.meter[event.fuel] = event
        self.refresh()

    def on_energy(self, event: model.Energy) -> None:
        if event.fuel is model.Fuel.GAS and event.kwh_per_unit != 1:
            self._gas_kwh_per_m3 = float(event.kwh_per_unit)

    def tick(self) -> None:
        # Bars change only with new totals; the live line moves along with the clock.
        if self.is_live:
            self.live_changed.emit()

    def refresh(self) -> None:
        self.bars = []
        if self.source is not None and self.view in BAR_PERIOD:
            period = BAR_PERIOD[self.view]
            try:
                self.bars = self.source.totals(self.fuel, period, DEPTH[period])
            except Exception:  # the chart says "no history" rather than failing
                LOGGER.exception("Could not read history")
        self.from_meter = set()
        history = self.meter.get(self.fuel)
        if history is not None and self.view in BAR_PERIOD:
            self.bars, self.from_meter = merge_meter_history(
                self.bars, history, BAR_PERIOD[self.view], self.now()
            )
        self.changed.emit()

    def _seed_live(self) -> None:
        if self.source is None:
            return
        end = self.now()
        for fuel in model.Fuel:
            try:
                times, values = self.source.series(fuel, end - KEEP, end)
            except Exception:  # the live line starts empty and fills as readings arrive
                LOGGER.exception("Could not read recent demand")
                continue
            points = self._live[fuel]
            newest = points[0][0] if points else float("inf")
            older = [
                (float(t), float(v)) for t, v in zip(times, values, strict=False) if t < newest
            ]
            points.extendleft(reversed(older))

    # -- display ---------------------------------------------------------------------------

    @property
    def is_live(self) -> bool:
        return self.view in LIVE_SPAN

    def live_series(self) -> tuple[np.ndarray, np.ndarray]:
        """(epoch seconds, kW) over the chosen span; gas in kW once its calorific value is known."""
        points = self._live[self.fuel]
        if not points:
            return np.empty(0), np.empty(0)
        data = np.fromiter((v for p in points for v in p), dtype=float, count=2 * len(points))
        data = data.reshape(-1, 2)
        span = LIVE_SPAN.get(self.view, LIVE_SPAN["day"]).total_seconds()
        shown = data[data[:, 0] >= self.now().timestamp() - span]
        values = shown[:, 1]
        if self.fuel is model.Fuel.GAS and self._gas_kwh_per_m3 is not None:
            values = values * self._gas_kwh_per_m3
        return shown[:, 0], values

    def live_since(self, after: float) -> tuple[np.ndarray, np.ndarray]:
        """The live points after `after` (epoch seconds): only the newest, read from the end."""
        newer: list[tuple[float, float]] = []
        for point in reversed(self._live[self.fuel]):
            if point[0] <= after:
                break
            newer.append(point)
        newer.reverse()
        x = np.fromiter((p[0] for p in newer), dtype=float, count=len(newer))
        y = np.fromiter((p[1] for p in newer), dtype=float, count=len(newer))
        if self.fuel is model.Fuel.GAS and self._gas_kwh_per_m3 is not None:
            y = y * self._gas_kwh_per_m3
        return x, y

    def live_unit(self) -> str:
        if self.fuel is model.Fuel.GAS and self._gas_kwh_per_m3 is None:
            return "m³/h"
        return "kW"

    def bar_values(self) -> list[float]:
        """Bar heights for drawing: pounds or kWh (floats are for pixels, not for money)."""
        if self.show_pounds:
            return [(b.cost_pence or 0) / 100 for b in self.bars]
        return [float(b.kwh) for b in self.bars]

    def missing(self) -> list[bool]:
        """Bars with no reading at all: before the display was installed, not zero use."""
        return [not b.has_data for b in self.bars]

    def bar_label(self, index: int) -> str:
        start = self.bars[index].start
        if self.view == "months":
            when = formatting.short_month_name(start)
        elif self.view == "weeks":
            when = formatting.day_and_month(start)
        else:
            when = formatting.short_day_name(start)
        return when

    def missing_text(self) -> str:
        return self.tr("no data")

    def unit_label(self) -> str:
        return self.tr("£") if self.show_pounds else self.tr("kWh")

    def describe_bar(self, index: int) -> str:
        bar = self.bars[index]
        if self.view == "months":
            when = formatting.month_label(bar.start)
        elif self.view == "weeks":
            when = self.tr("Week from {day}").format(day=formatting.day_label(bar.start))
        else:
            when = formatting.day_label(bar.start)
        cost = (
            formatting.pounds(bar.cost_pence)
            if bar.cost_pence is not None
            else self.tr("cost not known")
        )
        current = index == len(self.bars) - 1
        suffix = self.tr(" (so far)") if current else ""
        if not bar.has_data:
            return self.tr("{when}: no data").format(when=when)
        return f"{when}{suffix}: {formatting.kwh(bar.kwh)}, {cost}"

    def readout(self, live: tuple[np.ndarray, np.ndarray] | None = None) -> str:
        """What the chart shows in words; `live` is the line on view, if the chart has it."""
        if self.is_live:
            _x, y = live if live is not None else self.live_series()
            if len(y) == 0:
                return self.tr("Waiting for the meter…")
            # The line is drawn from floats; two places of a float are fine for reading it.
            return self.tr("Now {value} {unit} · highest {peak} {unit}").format(
                value=formatting.number(Decimal(f"{y[-1]:.2f}"), 2),
                peak=formatting.number(Decimal(f"{float(np.max(y)):.2f}"), 2),
                unit=self.live_unit(),
            )
        if not self.bars:
            return (
                self.tr("No history recorded yet.")
                if self.source is not None
                else self.tr("History is not recorded on this display.")
            )
        if self.selected is None:
            return self.tr("Touch a bar to see its figures.") + self._utc_note()
        return self.describe_bar(self.selected) + self._utc_note()

    def _utc_note(self) -> str:
        """GB meters close their days at UTC midnight; in summer that is 01:00 here."""
        if self.view != "days" or not self.from_meter:
            return ""
        if not formatting.local(self.now()).utcoffset():
            return ""
        return " " + self.tr(
            "Days from the meter run from 01:00 to 01:00 in summer (midnight GMT)."
        )


def merge_meter_history(
    bars: list[PeriodTotal], history: model.MeterHistory, period: Period, now: datetime
) -> tuple[list[PeriodTotal], set[int]]:
    """Our own totals with the meter's history laid over them: the meter wins for the periods
    it holds (its kWh; the cost is then not known unless ours agreed), and fills those we never
    recorded, so a display installed today shows the meter's 8 days, 5 weeks and 13 months.

    Meter day n is the UTC day n before the day the history was read (GB meters keep UTC
    days); it is shown on the UK day of the same date. Weeks are matched from the newest, and
    months by calendar month. The period that was current when the meter was read was only
    partly over then, so it fills a gap but never replaces what we recorded since.
    """
    values = {"day": history.days, "week": history.weeks, "month": history.months}[period]
    costs = {"day": history.day_costs, "week": history.week_costs, "month": history.month_costs}[
        period
    ]
    today = history.time.astimezone(UTC).date()
    weeks_since_read = (now.astimezone(UTC).date() - today).days // 7

    def key(bar_start: datetime, index: int) -> object:
        local = formatting.local(bar_start).date()
        if period == "day":
            return local
        if period == "month":
            return (local.year, local.month)
        return len(bars) - 1 - index  # weeks: 0 is the current one

    by_key = {key(bar.start, i): bar for i, bar in enumerate(bars)}
    meter_keys: set[object] = set()
    for n, kwh in enumerate(values[: DEPTH[period]]):
        if period == "day":
            wanted: object = today - timedelta(days=n)
            start = _local_midnight(today - timedelta(days=n))
        elif period == "week":
            wanted = n + weeks_since_read
            start = _local_midnight(today - timedelta(days=today.weekday() + 7 * n))
        else:
            year, month = today.year, today.month - n
            while month < 1:
                year, month = year - 1, month + 12
            wanted = (year, month)
            start = _local_midnight(date(year, month, 1))
        ours = by_key.get(wanted)
        if n == 0 and ours is not None:
            continue
        if n < len(costs):
            # The meter's own cost for the period (Prepayment cost log), standing charge in as
            # it accrues each day on a GB prepayment meter [U: assumed, not read in SMETS2].
            cost: int | None = int(round_pence(costs[n]))
            standing = True
        else:
            cost = ours.cost_pence if ours is not None and ours.kwh == kwh else None
            standing = ours.includes_standing_charge if ours else False
        by_key[wanted] = PeriodTotal(
            start=ours.start if ours is not None else start,
            kwh=kwh,
            cost_pence=cost,
            includes_standing_charge=standing,
            export_kwh=ours.export_kwh if ours else Decimal(0),
        )
        meter_keys.add(wanted)
    ordered = sorted(by_key.items(), key=lambda item: item[1].start)[-DEPTH[period] :]
    merged = [bar for _, bar in ordered]
    return merged, {i for i, (k, _) in enumerate(ordered) if k in meter_keys}


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)
