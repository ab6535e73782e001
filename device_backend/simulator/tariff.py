"""Tariffs: the price of a kWh at a moment, when it next changes, and the daily standing charge."""

from __future__ import annotations

import bisect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, NamedTuple

from device_backend.clock import LONDON
from device_backend.simulator.bank_holidays import england_bank_holidays, is_bank_holiday
from device_backend.simulator.tou_calendar import TouCalendar

__all__ = [
    "Block",
    "BlockTariff",
    "BlockTouTariff",
    "PriceChange",
    "PriceQuote",
    "SingleRateTariff",
    "Tariff",
    "TariffSchedule",
    "Tier",
    "TimeBand",
    "TimeOfUseTariff",
    "as_fraction",
    "economy7",
    "england_bank_holidays",
    "is_bank_holiday",
    "parse_clock_range",
]

_MINUTES_PER_DAY = 24 * 60


class PriceQuote(NamedTuple):
    tier: int
    label: str
    pence_per_kwh: Decimal


class PriceChange(NamedTuple):
    at: datetime
    tier: int
    label: str
    pence_per_kwh: Decimal


def as_fraction(value: int | Decimal | Fraction) -> Fraction:
    """An exact rational; floats are refused because they have already lost pennies."""
    if type(value) is Fraction:
        return value
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise TypeError(f"expected an int, Decimal or Fraction, not {type(value).__name__}")
    return Fraction(value)


def _aware(t: datetime) -> datetime:
    if t.tzinfo is None:
        raise ValueError("tariff times must be timezone-aware")
    return t


# --- Building blocks --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Tier:
    tier: int
    label: str
    pence_per_kwh: Decimal

    def __post_init__(self) -> None:
        if not 1 <= self.tier <= 48:
            raise ValueError(f"a price tier is 1-48, not {self.tier}")
        if not isinstance(self.pence_per_kwh, Decimal) or self.pence_per_kwh < 0:
            raise ValueError(f"tier {self.tier} price must be a non-negative Decimal")
        if len(self.label.encode("utf-8")) > 12:
            raise ValueError(f"tier label {self.label!r} is longer than the 12 octets ZSE allows")


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeBand:
    """A daily clock range [start, end) in which a tier applies; end <= start wraps midnight."""

    start: time
    end: time
    tier: int

    def minute_ranges(self) -> list[tuple[int, int]]:
        first = self.start.hour * 60 + self.start.minute
        last = self.end.hour * 60 + self.end.minute
        if first < last:
            return [(first, last)]
        # "00:00-00:00" means all day; "22:00-06:00" wraps round midnight.
        return [(first, _MINUTES_PER_DAY), (0, last)] if last else [(first, _MINUTES_PER_DAY)]


def parse_clock_range(text: str) -> tuple[time, time]:
    """ "16:00-19:00" -> (16:00, 19:00); minutes only, as meters switch on the minute."""
    parts = text.replace(" ", "").split("-")
    if len(parts) != 2:
        raise ValueError(f"expected a clock range like '16:00-19:00', got {text!r}")
    out = []
    for part in parts:
        pieces = part.split(":")
        if len(pieces) != 2 or not all(p.isdigit() and len(p) == 2 for p in pieces):
            raise ValueError(f"expected a clock range like '16:00-19:00', got {text!r}")
        hour, minute = int(pieces[0]), int(pieces[1])
        if hour == 24 and minute == 0:
            hour = 0  # "24:00" is the end of the day, which wraps to midnight
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError(f"{part!r} is not a time of day in {text!r}")
        out.append(time(hour, minute))
    return out[0], out[1]


# --- Tariffs ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Tariff(ABC):
    """What the meter charges. Prices are as configured; `includes_vat` only informs displays."""

    label: str
    standing_charge_pence_per_day: Decimal
    includes_vat: bool = True

    scheme: ClassVar[str] = ""
    has_blocks: ClassVar[bool] = False  # the price depends on the kWh used this block period

    def __post_init__(self) -> None:
        if not isinstance(self.standing_charge_pence_per_day, Decimal):
            raise TypeError("the standing charge must be a Decimal (pence per day)")
        if self.standing_charge_pence_per_day < 0:
            raise ValueError("the standing charge cannot be negative")
        if len(self.label.encode("utf-8")) > 24:
            raise ValueError(f"tariff label {self.label!r} is longer than the 24 octets ZSE allows")

    @property
    @abstractmethod
    def tiers(self) -> tuple[Tier, ...]: ...

    @abstractmethod
    def price_at(self, t: datetime, used_kwh: int | Decimal | Fraction = 0) -> PriceQuote:
        """The price in force at `t`; a block tariff also needs the kWh used so far this period."""

    @abstractmethod
    def next_change_after(self, t: datetime) -> PriceChange | None:
        """The next moment the price changes by the clock alone (None: never)."""

    def block_period_start(self, t: datetime) -> datetime | None:
        """Start of the block period containing `t`; None for tariffs without blocks."""
        return None

    def cost_pence(
        self,
        start: datetime,
        end: datetime,
        kwh: int | Decimal | Fraction,
        used_kwh: int | Decimal | Fraction = 0,
    ) -> Fraction:
        """Exact cost of `kwh` used evenly over [start, end), split at every price change."""
        return sum(
            (
                share * Fraction(self.price_at(at, used_kwh).pence_per_kwh)
                for at, share in _even_shares(start, end, as_fraction(kwh), self.next_change_after)
            ),
            Fraction(0),
        )

    def describe(self) -> str:
        return f"{self.label} ({self.scheme})"


def _even_shares(
    start: datetime,
    end: datetime,
    energy: Fraction,
    next_change_after: Callable[[datetime], PriceChange | None],
) -> Iterator[tuple[datetime, Fraction]]:
    """`energy` used evenly over [start, end), cut at every price change: (from, its share)."""
    if energy == 0 or end <= start:
        return
    total_us = Fraction((end - start) // timedelta(microseconds=1))
    cursor = start
    while cursor < end:
        change = next_change_after(cursor)
        seg_end = end if change is None or change.at >= end else change.at
        yield cursor, energy * Fraction((seg_end - cursor) // timedelta(microseconds=1)) / total_us
        cursor = seg_end


@dataclass(frozen=True, kw_only=True)
class SingleRateTariff(Tariff):
    pence_per_kwh: Decimal
    tier_label: str = "Standard"

    scheme: ClassVar[str] = "single"

    def __post_init__(self) -> None:
        super().__post_init__()
        Tier(tier=1, label=self.tier_label, pence_per_kwh=self.pence_per_kwh)  # validates both

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return (Tier(tier=1, label=self.tier_label, pence_per_kwh=self.pence_per_kwh),)

    def price_at(self, t: datetime, used_kwh: int | Decimal | Fraction = 0) -> PriceQuote:
        return PriceQuote(1, self.tier_label, self.pence_per_kwh)

    def next_change_after(self, t: datetime) -> PriceChange | None:
        return None

    def cost_pence(
        self,
        start: datetime,
        end: datetime,
        kwh: int | Decimal | Fraction,
        used_kwh: int | Decimal | Fraction = 0,
    ) -> Fraction:
        return as_fraction(kwh) * Fraction(self.pence_per_kwh)


@dataclass(frozen=True, kw_only=True)
class TimeOfUseTariff(Tariff):
    """Tiers by time of day (local clock unless `utc_clock`), optionally another weekend plan.

    Bands not covering a minute leave it in `default_tier`. Weekend bands, when given, apply
    on Saturdays, Sundays and England & Wales bank holidays.
    """

    tier_list: tuple[Tier, ...]
    bands: tuple[TimeBand, ...]
    default_tier: int
    weekend_bands: tuple[TimeBand, ...] | None = None
    utc_clock: bool = False
    scheme_name: str = "tou"
    # Day/week profiles, seasons and special days; when absent, built from the bands (a
    # weekday profile, and a weekend one that bank holidays follow too).
    calendar: TouCalendar | None = None

    _maps: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        numbers = [t.tier for t in self.tier_list]
        if len(set(numbers)) != len(numbers):
            raise ValueError("tier numbers must be unique")
        known = set(numbers)
        if self.default_tier not in known:
            raise ValueError(f"default tier {self.default_tier} is not one of the tiers {numbers}")
        for band in (*self.bands, *(self.weekend_bands or ())):
            if band.tier not in known:
                raise ValueError(f"a time band uses tier {band.tier}, not one of {numbers}")
        calendar = self.calendar
        if calendar is None:
            weekday = self._day_map(self.bands)
            weekend = self._day_map(self.weekend_bands) if self.weekend_bands is not None else None
            calendar = TouCalendar.from_bands(
                self.label.encode("utf-8")[:12].decode("utf-8", "ignore") or "Tariff",
                list(zip(*weekday, strict=True)),
                None if weekend is None else list(zip(*weekend, strict=True)),
            )
            object.__setattr__(self, "calendar", calendar)
        elif self.bands or self.weekend_bands:
            raise ValueError("give either time bands or a calendar, not both")
        unknown = sorted(calendar.tiers - known)
        if unknown:
            raise ValueError(f"the calendar uses tier {unknown[0]}, not one of {numbers}")
        object.__setattr__(self, "_maps", {d.day_id: d.day_map() for d in calendar.day_profiles})
        object.__setattr__(self, "_by_tier", {t.tier: t for t in self.tier_list})

    @property
    def scheme(self) -> str:  # type: ignore[override]
        return self.scheme_name

    def _day_map(self, bands: Sequence[TimeBand]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        minutes = [self.default_tier] * _MINUTES_PER_DAY
        for band in bands:  # later bands win where two overlap
            for first, last in band.minute_ranges():
                minutes[first:last] = [band.tier] * (last - first)
        starts, tiers = [0], [minutes[0]]
        for minute in range(1, _MINUTES_PER_DAY):
            if minutes[minute] != tiers[-1]:
                starts.append(minute)
                tiers.append(minutes[minute])
        return tuple(starts), tuple(tiers)

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return self.tier_list

    @property
    def _zone(self) -> tzinfo:
        return UTC if self.utc_clock else LONDON

    @property
    def time_reference_utc(self) -> bool:
        return self.utc_clock

    def _map_for(self, day: date) -> tuple[tuple[int, ...], tuple[int, ...]]:
        assert self.calendar is not None
        return self._maps[self.calendar.day_profile_on(day).day_id]

    def tier_number_at(self, t: datetime) -> int:
        local = _aware(t).astimezone(self._zone)
        starts, tiers = self._map_for(local.date())
        return tiers[bisect.bisect_right(starts, local.hour * 60 + local.minute) - 1]

    def price_at(self, t: datetime, used_kwh: int | Decimal | Fraction = 0) -> PriceQuote:
        tier = self._by_tier[self.tier_number_at(t)]  # type: ignore[attr-defined]
        return PriceQuote(tier.tier, tier.label, tier.pence_per_kwh)

    def next_change_after(self, t: datetime) -> PriceChange | None:
        zone = self._zone
        current = self.tier_number_at(t)
        local_day = _aware(t).astimezone(zone).date()
        # A week plus a day covers any weekday/weekend pattern; further means "never".
        for offset in range(9):
            day = local_day + timedelta(days=offset)
            starts, tiers = self._map_for(day)
            for minute, tier in zip(starts, tiers, strict=True):
                if tier == current:
                    continue
                moment = datetime(
                    day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone
                ).astimezone(UTC)
                # Skip instants in the past and clock times DST made ambiguous or missing.
                if moment > t and self.tier_number_at(moment) == tier:
                    info = self._by_tier[tier]  # type: ignore[attr-defined]
                    return PriceChange(moment, tier, info.label, info.pence_per_kwh)
        return None


def economy7(
    *,
    day_pence_per_kwh: Decimal,
    night_pence_per_kwh: Decimal,
    standing_charge_pence_per_day: Decimal,
    label: str = "Economy 7",
    night: str = "00:30-07:30",
    includes_vat: bool = True,
    utc_clock: bool = False,
) -> TimeOfUseTariff:
    """Two registers: tier 1 "Day", tier 2 "Night". Many E7 meters keep GMT all year (utc_clock)."""
    start, end = parse_clock_range(night)
    return TimeOfUseTariff(
        label=label,
        standing_charge_pence_per_day=standing_charge_pence_per_day,
        includes_vat=includes_vat,
        tier_list=(
            Tier(tier=1, label="Day", pence_per_kwh=day_pence_per_kwh),
            Tier(tier=2, label="Night", pence_per_kwh=night_pence_per_kwh),
        ),
        bands=(TimeBand(start=start, end=end, tier=2),),
        default_tier=1,
        utc_clock=utc_clock,
        scheme_name="economy7",
    )


BLOCK_PERIODS = frozenset({"day", "week", "month", "year"})


def block_period_bounds(period: str, t: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the block period holding `t`, on the local (Europe/London) calendar."""
    day = _aware(t).astimezone(LONDON).date()
    if period == "day":
        first, nxt = day, day + timedelta(days=1)
    elif period == "week":
        first = day - timedelta(days=day.weekday())
        nxt = first + timedelta(days=7)
    elif period == "month":
        first = day.replace(day=1)
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    elif period == "year":
        first, nxt = date(day.year, 1, 1), date(day.year + 1, 1, 1)
    else:
        raise ValueError(f"block period must be one of {sorted(BLOCK_PERIODS)}, not {period!r}")
    return tuple(  # type: ignore[return-value]
        datetime(d.year, d.month, d.day, tzinfo=LONDON).astimezone(UTC) for d in (first, nxt)
    )


def _split_blocks(
    energy: Fraction, used: Fraction, thresholds: tuple[Fraction, ...]
) -> list[tuple[int, Fraction]]:
    """`energy` used on top of `used`, as (block index, kWh) pieces split at the thresholds."""
    pieces: list[tuple[int, Fraction]] = []
    while energy > 0:
        index = sum(1 for limit in thresholds if used >= limit)
        room = energy if index == len(thresholds) else thresholds[index] - used
        take = min(room, energy)
        pieces.append((index, take))
        used += take
        energy -= take
    return pieces


@dataclass(frozen=True, kw_only=True, slots=True)
class Block:
    """One consumption block: its price applies until `up_to_kwh` is used in the period."""

    label: str
    pence_per_kwh: Decimal
    up_to_kwh: Decimal | None = None  # None: the last, open-ended block


@dataclass(frozen=True, kw_only=True)
class BlockTariff(Tariff):
    """Prices rise (or fall) with the kWh used so far in the block period (local day/week/month).

    The quote's tier number is the block number (1 = first block).
    """

    blocks: tuple[Block, ...]
    period: str = "month"

    scheme: ClassVar[str] = "block"
    has_blocks: ClassVar[bool] = True
    _PERIODS: ClassVar[frozenset[str]] = BLOCK_PERIODS

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.period not in self._PERIODS:
            raise ValueError(
                f"block period must be one of {sorted(self._PERIODS)}, not {self.period!r}"
            )
        if not self.blocks:
            raise ValueError("a block tariff needs at least one block")
        if self.blocks[-1].up_to_kwh is not None:
            raise ValueError("the last block must be open-ended (no up_to_kwh)")
        previous = Decimal(0)
        for block in self.blocks[:-1]:
            if block.up_to_kwh is None or block.up_to_kwh <= previous:
                raise ValueError("block thresholds must increase and only the last may be open")
            previous = block.up_to_kwh

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return tuple(
            Tier(tier=i + 1, label=b.label, pence_per_kwh=b.pence_per_kwh)
            for i, b in enumerate(self.blocks)
        )

    def _block_index(self, used_kwh: Fraction) -> int:
        for index, block in enumerate(self.blocks):
            if block.up_to_kwh is None or used_kwh < Fraction(block.up_to_kwh):
                return index
        return len(self.blocks) - 1

    def price_at(self, t: datetime, used_kwh: int | Decimal | Fraction = 0) -> PriceQuote:
        index = self._block_index(as_fraction(used_kwh))
        block = self.blocks[index]
        return PriceQuote(index + 1, block.label, block.pence_per_kwh)

    @property
    def thresholds_kwh(self) -> tuple[Decimal, ...]:
        return tuple(b.up_to_kwh for b in self.blocks if b.up_to_kwh is not None)

    def block_index(self, used_kwh: int | Decimal | Fraction) -> int:
        """0 for the first block."""
        return self._block_index(as_fraction(used_kwh))

    def block_period_start(self, t: datetime) -> datetime:
        return block_period_bounds(self.period, t)[0]

    def block_period_end(self, t: datetime) -> datetime:
        return block_period_bounds(self.period, t)[1]

    def next_change_after(self, t: datetime) -> PriceChange | None:
        first = self.blocks[0]
        return PriceChange(self.block_period_end(t), 1, first.label, first.pence_per_kwh)

    def cost_pence(
        self,
        start: datetime,
        end: datetime,
        kwh: int | Decimal | Fraction,
        used_kwh: int | Decimal | Fraction = 0,
    ) -> Fraction:
        """Split the energy across block thresholds (the caller resets `used_kwh` per period)."""
        remaining = as_fraction(kwh)
        used = as_fraction(used_kwh)
        cost = Fraction(0)
        while remaining > 0:
            block = self.blocks[self._block_index(used)]
            room = remaining if block.up_to_kwh is None else Fraction(block.up_to_kwh) - used
            take = min(room, remaining)
            cost += take * Fraction(block.pence_per_kwh)
            used += take
            remaining -= take
        return cost


@dataclass(frozen=True, kw_only=True)
class BlockTouTariff(Tariff):
    """Block and time of use together (SE 1.4 charging scheme "Block/TOU with common
    thresholds"): the time-of-use calendar picks the tier, the kWh used so far this block
    period picks the block, and each tier has its own price for each block. The block
    counter runs across all tiers, so the thresholds are common to them.

    The quote's tier is the time-of-use tier (the register that accrues); its price is that
    tier's price in the current block.
    """

    tou: TimeOfUseTariff  # tiers, labels and calendar; its tier prices are the block 1 prices
    thresholds_kwh: tuple[Decimal, ...]
    block_prices: tuple[tuple[int, tuple[Decimal, ...]], ...]  # (tier, a price per block)
    period: str = "month"

    scheme: ClassVar[str] = "block_tou"
    has_blocks: ClassVar[bool] = True

    _prices: dict[int, tuple[Decimal, ...]] = field(init=False, repr=False, compare=False)
    _limits: tuple[Fraction, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.period not in BLOCK_PERIODS:
            raise ValueError(
                f"block period must be one of {sorted(BLOCK_PERIODS)}, not {self.period!r}"
            )
        if not self.thresholds_kwh:
            raise ValueError("a block and time-of-use tariff needs at least one threshold")
        if any(b <= a for a, b in zip(self.thresholds_kwh, self.thresholds_kwh[1:], strict=False)):
            raise ValueError("block thresholds must increase")
        if self.thresholds_kwh[0] <= 0:
            raise ValueError("block thresholds must be above zero")
        if any(t.tier > 15 for t in self.tou.tiers):
            # PublishPriceMatrix names a tier and block in one octet, the tier in 4 bits.
            raise ValueError("a block and time-of-use tariff has at most 15 tiers")
        prices = dict(self.block_prices)
        if set(prices) != {t.tier for t in self.tou.tiers}:
            raise ValueError("every tier needs its block prices, and only the tiers")
        for tier, row in prices.items():
            if len(row) != len(self.thresholds_kwh) + 1:
                raise ValueError(
                    f"tier {tier} needs {len(self.thresholds_kwh) + 1} block prices "
                    f"(one more than the thresholds), got {len(row)}"
                )
        object.__setattr__(self, "_prices", prices)
        object.__setattr__(self, "_limits", tuple(Fraction(limit) for limit in self.thresholds_kwh))

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return self.tou.tiers

    @property
    def calendar(self) -> TouCalendar | None:
        return self.tou.calendar

    @property
    def utc_clock(self) -> bool:
        return self.tou.utc_clock

    def price_for(self, tier: int, block_index: int) -> Decimal:
        return self._prices[tier][block_index]

    def block_index(self, used_kwh: int | Decimal | Fraction) -> int:
        used = as_fraction(used_kwh)
        return sum(1 for limit in self._limits if used >= limit)

    def price_at(self, t: datetime, used_kwh: int | Decimal | Fraction = 0) -> PriceQuote:
        tier = self.tou.price_at(t)
        return PriceQuote(
            tier.tier, tier.label, self.price_for(tier.tier, self.block_index(used_kwh))
        )

    def block_period_start(self, t: datetime) -> datetime:
        return block_period_bounds(self.period, t)[0]

    def block_period_end(self, t: datetime) -> datetime:
        return block_period_bounds(self.period, t)[1]

    def next_change_after(self, t: datetime) -> PriceChange | None:
        """The next time-of-use switch or block period end, priced as block 1 (a new period's)."""
        period_end = self.block_period_end(t)
        own = self.tou.next_change_after(t)
        if own is None or period_end <= own.at:
            quote = self.tou.price_at(period_end)
            return PriceChange(period_end, quote.tier, quote.label, self.price_for(quote.tier, 0))
        return own

    def cost_pence(
        self,
        start: datetime,
        end: datetime,
        kwh: int | Decimal | Fraction,
        used_kwh: int | Decimal | Fraction = 0,
    ) -> Fraction:
        """Spread evenly over time, split at tier switches, then at the block thresholds."""
        used = as_fraction(used_kwh)
        cost = Fraction(0)
        for at, share in _even_shares(start, end, as_fraction(kwh), self.tou.next_change_after):
            tier = self.tou.tier_number_at(at)
            for index, piece in _split_blocks(share, used, self._limits):
                cost += piece * Fraction(self.price_for(tier, index))
            used += share
        return cost


class TariffSchedule:
    """Tariffs in force over time: the first from the start, others from their effective times.

    Supplier price changes are added as new entries; nothing already charged is re-priced.
    """

    def __init__(self, first: Tariff, entries: Iterable[tuple[datetime, Tariff]] = ()) -> None:
        self._starts: list[datetime] = []
        self._tariffs: list[Tariff] = [first]
        # Meters ask every 10 s; the answer holds from one query until the next change, so
        # one lookup serves the whole span: [from, until) -> (next change, quote, price).
        self._span: (
            tuple[datetime, datetime | None, PriceChange | None, PriceQuote | None, Fraction | None]
            | None
        ) = None
        self.version = 0
        for when, tariff in entries:
            self.change_at(when, tariff)

    def change_at(self, when: datetime, tariff: Tariff) -> None:
        """Make `tariff` apply from `when` on (replacing any later-dated change)."""
        _aware(when)
        index = bisect.bisect_left(self._starts, when)
        del self._starts[index:]
        del self._tariffs[index + 1 :]
        self._starts.append(when)
        self._tariffs.append(tariff)
        self._span = None
        self.version += 1

    def _cached(
        self, t: datetime
    ) -> tuple[datetime, datetime | None, PriceChange | None, PriceQuote | None, Fraction | None]:
        span = self._span
        if span is not None and span[0] <= t and (span[1] is None or t < span[1]):
            return span
        change = self._next_change(t)
        tariff = self.tariff_at(t)
        quote = None if tariff.has_blocks else tariff.price_at(t)
        price = None if quote is None else Fraction(quote.pence_per_kwh)
        span = self._span = (t, None if change is None else change.at, change, quote, price)
        return span

    @property
    def entries(self) -> tuple[tuple[datetime | None, Tariff], ...]:
        return tuple(zip([None, *self._starts], self._tariffs, strict=True))

    def tariff_at(self, t: datetime) -> Tariff:
        return self._tariffs[bisect.bisect_right(self._starts, t)]

    def _next_switch(self, t: datetime) -> datetime | None:
        index = bisect.bisect_right(self._starts, t)
        return self._starts[index] if index < len(self._starts) else None

    def price_at(self, t: datetime, used_kwh: int | Decimal | Fraction = 0) -> PriceQuote:
        quote = self._cached(t)[3]
        return quote if quote is not None else self.tariff_at(t).price_at(t, used_kwh)

    def standing_charge_at(self, t: datetime) -> Decimal:
        return self.tariff_at(t).standing_charge_pence_per_day

    def block_period_start(self, t: datetime) -> datetime | None:
        return self.tariff_at(t).block_period_start(t)

    def next_change_after(self, t: datetime) -> PriceChange | None:
        """The next price change, whether by the clock or by a new tariff taking effect."""
        return self._cached(t)[2]

    def _next_change(self, t: datetime) -> PriceChange | None:
        own = self.tariff_at(t).next_change_after(t)
        switch = self._next_switch(t)
        if switch is not None and (own is None or switch <= own.at):
            quote = self.tariff_at(switch).price_at(switch)
            return PriceChange(switch, quote.tier, quote.label, quote.pence_per_kwh)
        return own

    def switches_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Tariff switch instants strictly inside (start, end): where standing charges change."""
        lo = bisect.bisect_right(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return self._starts[lo:hi]

    def cost_pence(
        self,
        start: datetime,
        end: datetime,
        kwh: int | Decimal | Fraction,
        used_kwh: int | Decimal | Fraction = 0,
    ) -> Fraction:
        energy = as_fraction(kwh)
        span = self._cached(start)
        if span[4] is not None and (span[1] is None or end <= span[1]):
            return energy * span[4]  # one price over the whole interval: the usual case
        cuts = self.switches_between(start, end)
        if not cuts:
            return self.tariff_at(start).cost_pence(start, end, energy, used_kwh)
        total_s = Fraction((end - start) // timedelta(microseconds=1))
        cost = Fraction(0)
        used = as_fraction(used_kwh)
        for seg_start, seg_end in zip([start, *cuts], [*cuts, end], strict=True):
            share = energy * Fraction((seg_end - seg_start) // timedelta(microseconds=1)) / total_s
            cost += self.tariff_at(seg_start).cost_pence(seg_start, seg_end, share, used)
            used += share
        return cost
