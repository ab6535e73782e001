"""The Tariff screen: the price now, exactly when and to what it next changes, the day's bands,
block position, special days and a tariff announced to start later.

What the display says about the future comes only from what the meter published (its calendar
and price matrix, or prices with a start time): with nothing published it names the time the
current price ends, never a guessed price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from PySide6.QtCore import QObject, QTimer

from device_backend.api import LONDON, model, tariff_schedule
from ihd_app import formatting
from ihd_app.viewmodels.base import Now, ViewModel
from ihd_app.viewmodels.meters import MeterSet
from ihd_app.viewmodels.prices import PriceBook

_CLOCK_LABEL = re.compile(r"\d{1,2}[:.]\d{2}")
BANDS_SHOWN = 3  # a 48-rate day would fill the screen: the next few, then how many more
SPECIAL_DAYS_AHEAD = 90  # the next three months
SPECIAL_DAYS_SHOWN = 2


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
    today: str = ""  # the rest of today's bands, from the meter's calendar
    tomorrow: str = ""
    block: str = ""  # "412 of 1,000 kWh at the first block price this year"
    special: str = ""  # special days (bank holidays) coming up
    future: str = ""  # "From 1 January: ..." for a tariff announced to start later
    absent: bool = False  # the home has no meter for this fuel


class TariffViewModel(ViewModel):
    def __init__(
        self, now: Now, prices: PriceBook, meters: MeterSet, parent: QObject | None = None
    ) -> None:
        super().__init__(now, parent)
        self.prices = prices
        self.meters = meters
        self.schedules: dict[model.Fuel, model.Schedule] = {}
        self._minute: datetime | None = None
        self._redraw_due = False

    def on_price(self, event: model.Price) -> None:
        self.changed.emit()

    def on_schedule(self, event: model.Schedule) -> None:
        """Kept at once, redrawn once: a meter's tariff arrives as a burst of parts."""
        self.schedules[event.fuel] = event
        if not self._redraw_due:
            self._redraw_due = True
            QTimer.singleShot(0, self, self._redraw)  # dropped if the view-model goes first

    def _redraw(self) -> None:
        self._redraw_due = False
        self.changed.emit()

    def tick(self) -> None:
        """Once a minute is enough: every time shown is to the minute."""
        minute = self.now().replace(second=0, microsecond=0)
        if minute != self._minute:
            self._minute = minute
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

    def _tier_name(self, tier: int, label: str) -> str:
        if _CLOCK_LABEL.fullmatch(label.strip()):
            # A tier named by a time of day ("00:30", as half-hourly tariffs may be) says
            # nothing the band's own time does not, and on a day whose profile is shifted
            # (a weekend) it contradicts it: the tier number serves better.
            label = ""
        return self.rate_name(label) or (self.tr("Rate {n}").format(n=tier) if tier else "")

    def fuel(self, fuel: model.Fuel) -> FuelTariff:
        now = self.now()
        current = self.prices.current(fuel, now)
        if current is None:
            if self.meters.has(fuel) is False:
                return FuelTariff(False, price=self.tr("No meter for this fuel"), absent=True)
            return FuelTariff(False, price=self.tr("Waiting for the meter…"))
        band = self._tier_name(current.tier, current.tier_label)
        standing = self.tr("Standing charge {amount} a day").format(
            amount=formatting.pence_amount(current.standing_charge_pence_per_day)
        )
        schedule = self.schedules.get(fuel)
        today = tomorrow = ""
        if schedule is not None and schedule.calendars:
            today, tomorrow = self._days(schedule, now)
        rates = self.prices.rates(fuel)
        listed: tuple[str, ...] = ()
        if len(rates) > 1 and not today:
            listed = tuple(
                self.tr("{rate}: {price}").format(
                    rate=self._tier_name(p.tier, p.tier_label),
                    price=formatting.unit_price(p.pence_per_kwh),
                )
                for p in rates
            )
        return FuelTariff(
            True,
            price=formatting.unit_price(current.pence_per_kwh),
            band=self.tr("Now: {band}").format(band=band) if band else "",
            standing=standing,
            next_change=self._next_change(fuel, current, schedule),
            rates=listed,
            tariff=current.tariff_label,
            vat=self.tr("Prices include VAT.")
            if current.includes_vat
            else self.tr("Prices exclude VAT."),
            today=today,
            tomorrow=tomorrow,
            block=self._block(schedule, now) if schedule is not None else "",
            special=self._special(schedule, now) if schedule is not None else "",
            future=self._future(schedule, now) if schedule is not None else "",
        )

    # -- the next change ---------------------------------------------------------------------

    def _next_change(
        self, fuel: model.Fuel, current: model.Price, schedule: model.Schedule | None
    ) -> str:
        now = self.now()
        change = tariff_schedule.next_change(schedule, now) if schedule is not None else None
        if change is not None:  # the meter's own schedule says exactly when and to what
            quote = change.quote
            return self._changes_to(change.at, quote.tier, quote.label, quote.pence_per_kwh)
        upcoming = self.prices.upcoming(fuel, now)  # a price published ahead of its start
        if upcoming is not None and upcoming.starts is not None:
            return self._changes_to(
                upcoming.starts, upcoming.tier, upcoming.tier_label, upcoming.pence_per_kwh
            )
        position = tariff_schedule.block_position(schedule, now) if schedule is not None else None
        if position is not None and position.threshold_kwh is not None:
            following = position.next_pence_per_kwh
            if following is not None:  # a block tariff's price moves with use, not the clock
                return self.tr("Changes to {price} after {threshold} kWh").format(
                    price=formatting.unit_price(following),
                    threshold=formatting.number(position.threshold_kwh),
                )
        if current.ends is not None:
            # The meter said when this price ends but not what follows: say only that.
            return self.tr("Changes at {time}").format(
                time=formatting.when_label(current.ends, now)
            )
        return self.tr("No price change announced")

    def _changes_to(self, at: datetime, tier: int, label: str, pence: Decimal) -> str:
        name = self._tier_name(tier, label)
        if name == formatting.clock_time(at):
            name = ""  # a half-hourly tier named by its time: said once is enough
        return self.tr("Changes at {time} to {price}{label}").format(
            time=formatting.when_label(at, self.now()),
            price=formatting.unit_price(pence),
            label=f" ({name})" if name else "",
        )

    # -- the day's bands ---------------------------------------------------------------------

    def _days(self, schedule: model.Schedule, now: datetime) -> tuple[str, str]:
        """Today's bands after the next change (the band now and the next are said above),
        and tomorrow's, or that tomorrow is the same as today."""
        today = formatting.local(now).date()
        whole = list(tariff_schedule.bands(schedule, today))
        later = [b for b in whole if b.starts > now][1:]
        following = list(tariff_schedule.bands(schedule, today + timedelta(days=1)))
        today_text = (
            self.tr("Later today: {bands}").format(bands=self._band_list(later)) if later else ""
        )
        if not following:
            tomorrow_text = ""
        elif _pattern(following) == _pattern(whole):
            tomorrow_text = self.tr("Tomorrow: the same")
        else:
            tomorrow_text = self.tr("Tomorrow: {bands}").format(bands=self._band_list(following))
        return today_text, tomorrow_text

    def _band_list(self, bands: list[tariff_schedule.Band]) -> str:
        shown = []
        for b in bands[:BANDS_SHOWN]:
            time_text = formatting.clock_time(b.starts)
            rate = self._tier_name(b.quote.tier, b.quote.label)
            text = self.tr("{time} {rate} {price}").format(
                time=time_text,
                # A half-hourly tariff may name each tier by its time: said once is enough.
                rate="" if rate == time_text else rate,
                price=formatting.pence_amount(b.quote.pence_per_kwh),
            )
            shown.append(" ".join(text.split()))
        text = ", ".join(shown)
        if len(bands) > BANDS_SHOWN:
            text = self.tr("{bands} and {n} more").format(bands=text, n=len(bands) - BANDS_SHOWN)
        return text

    # -- blocks, special days, a tariff to come ----------------------------------------------

    def _block(self, schedule: model.Schedule, now: datetime) -> str:
        """ "412 of 1,000 kWh at the first block price this year" (no period when the meter
        did not say when its block period began)."""
        position = tariff_schedule.block_position(schedule, now)
        if position is None:
            return ""
        period = ""
        if position.period_starts is not None:
            period = self._period(position.period_starts, position.period_ends)
        block = self._block_name(position.block)
        if position.threshold_kwh is None:
            text = self.tr("{used} kWh {period}: at {block} price, the top one").format(
                used=formatting.number(position.used_kwh), period=period, block=block
            )
        else:
            text = self.tr("{used} of {threshold} kWh at {block} price {period}").format(
                used=formatting.number(position.used_kwh),
                threshold=formatting.number(position.threshold_kwh),
                block=block,
                period=period,
            )
        return " ".join(text.split()).replace(" :", ":")

    def _block_name(self, n: int) -> str:
        """With its article, as Welsh needs ("yr ail floc"): "the first block", ..."""
        words = {
            1: self.tr("the first block"),
            2: self.tr("the second block"),
            3: self.tr("the third block"),
            4: self.tr("the fourth block"),
            5: self.tr("the fifth block"),
        }
        return words.get(n, self.tr("block {n}").format(n=n))

    def _period(self, starts: datetime, ends: datetime | None) -> str:
        """The block period in words: "this year", "this month", or "since 1 April"."""
        first = formatting.local(starts)
        last = formatting.local(ends) if ends is not None else None
        if last is not None and first.day == 1 and last.day == 1 and first.time() == last.time():
            months = (last.year - first.year) * 12 + last.month - first.month
            if months == 12 and first.month == 1:
                return self.tr("this year")
            if months == 1:
                return self.tr("this month")
        if last is not None and (last - first) == timedelta(days=1):
            return self.tr("today")
        return self.tr("since {date}").format(date=_day_month(first))

    def _special(self, schedule: model.Schedule, now: datetime) -> str:
        days = tariff_schedule.special_days(schedule, now, days=SPECIAL_DAYS_AHEAD)
        if not days:
            return ""
        names = [
            formatting.day_label(datetime.combine(d, time(12), tzinfo=LONDON))
            for d, _ in days[:SPECIAL_DAYS_SHOWN]
        ]
        return self.tr("Holiday prices on {days}").format(days=", ".join(names))

    def _future(self, schedule: model.Schedule, now: datetime) -> str:
        """ "From 1 February: Flex Saver 2026b, 16.95p to 37.90p per kWh, 55.12p a day"."""
        plan = tariff_schedule.future_tariff(schedule, now)
        if plan is None or plan.starts is None:
            return ""
        tariff = plan.label or self.tr("a new tariff")
        standing = formatting.pence_amount(plan.standing_charge_pence_per_day)
        when = _day_month(formatting.local(plan.starts))
        prices = [p.pence_per_kwh for p in plan.prices]
        if not prices:
            return self.tr("From {date}: {tariff}, standing charge {standing} a day").format(
                date=when, tariff=tariff, standing=standing
            )
        low, high = min(prices), max(prices)
        if low == high:
            return self.tr("From {date}: {tariff}, {price}, {standing} a day").format(
                date=when, tariff=tariff, price=formatting.unit_price(low), standing=standing
            )
        return self.tr("From {date}: {tariff}, {low} to {high} per kWh, {standing} a day").format(
            date=when,
            tariff=tariff,
            low=formatting.pence_amount(low),
            high=formatting.pence_amount(high),
            standing=standing,
        )


def _day_month(moment: datetime) -> str:
    """ "1 January" in the display's language."""
    locale = formatting.current_locale()
    return f"{moment.day} {locale.monthName(moment.month)}"


def _pattern(bands: list[tariff_schedule.Band]) -> list[tuple[str, object]]:
    """A day's bands as clock times and prices, to tell whether two days are alike."""
    return [(formatting.clock_time(b.starts), b.quote.pence_per_kwh) for b in bands]
