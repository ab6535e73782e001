"""Putting a meter's tariff schedule together from the commands that carry it in parts.

A GB tariff arrives as several Price and Calendar commands, some of them split over frames
(CommandIndex of TotalNumberOfCommands: a price matrix, block thresholds, a long day profile,
seasons, special days), in any order, and again whenever the display asks (GetTariffInformation,
GetPriceMatrix, GetCalendar, ...). This module keeps the parts per tariff and per calendar and
builds `model.Schedule` from whatever is complete. It takes the decoded command fields as any
object with those attributes (zigpy's parsed schema, or a namespace in tests); no zigpy here.

Where a command's parts are incomplete (a frame lost), the previous complete version stays in
use: a display shows what it knows, never half a price matrix.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from device_backend import model
from device_backend.clock import LONDON, from_zigbee_time
from device_backend.money import MoneyBase, MoneyScale, currency_label

# PublishTariffInformation's charging scheme, bits 4-7 (SE 1.4 D.4.2.4.5; se_clusters.md §2.2)
SCHEMES = {
    0x0: model.ChargingScheme.TOU,
    0x1: model.ChargingScheme.BLOCK,
    0x2: model.ChargingScheme.BLOCK_TOU,  # common thresholds
    0x3: model.ChargingScheme.BLOCK_TOU,  # thresholds per tier
}
TIME_REFERENCES = {
    0x00: model.TimeReference.UTC,
    0x01: model.TimeReference.STANDARD,
    0x02: model.TimeReference.LOCAL,
}
# Calendar types whose tiers price delivered energy (SE 1.4 table D-149): 0x00 delivered,
# 0x02 delivered and received. Received-only, friendly credit and auxiliary switch calendars
# say nothing about what a kWh costs the household.
PRICING_CALENDARS = (0x00, 0x02)
# Block period duration timebase, bits 0-3 of BlockPeriodDurationType (se_clusters.md, 0x0204)
TIMEBASE_MINUTES, TIMEBASE_DAYS, TIMEBASE_WEEKS, TIMEBASE_MONTHS = 0, 1, 2, 3
KEEP_PRICES = 64  # scheduled prices kept: a day of half-hourly ones and then some
KEEP_STARTED = 48  # and prices already started (today's bands need the day so far)


def _close(one: datetime | None, other: datetime | None) -> bool:
    """The same end, give or take the minute a republished duration is rounded to."""
    if one is None or other is None:
        return one is other
    return abs(one - other) <= timedelta(minutes=2)


def _when(raw: int) -> datetime | None:
    """A Start Time: 0 means "now", which for a schedule means already in force."""
    return None if int(raw) == 0 else from_zigbee_time(int(raw))


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _zcl_date(value: Any) -> model.ZclDate:
    """A ZCL Date: years since 1900, month, day of month, day of week (1 = Monday); 0xFF any."""

    def part(name: str, offset: int = 0) -> int | None:
        raw = int(getattr(value, name))
        return None if raw == 0xFF else raw + offset

    return model.ZclDate(
        year=part("years_since_1900", 1900),
        month=part("month"),
        day=part("day"),
        weekday=part("day_of_week"),
    )


@dataclass
class _Parts:
    """One command sent in numbered parts; complete when every index has arrived."""

    total: int
    parts: dict[int, Any] = field(default_factory=dict)

    def add(self, index: int, total: int, part: Any) -> bool:
        self.total = max(1, total)
        self.parts[index] = part
        return self.complete

    @property
    def complete(self) -> bool:
        return all(i in self.parts for i in range(self.total))

    def ordered(self) -> list[Any]:
        return [self.parts[i] for i in sorted(self.parts)]


@dataclass
class _Tariff:
    info: Any | None = None  # the PublishTariffInformation fields
    matrix: tuple[Any, ...] | None = None  # (sub_payload_control, entries) of a complete matrix
    thresholds: tuple[Any, ...] | None = None
    labels: tuple[tuple[int, str], ...] = ()
    matrix_parts: dict[int, _Parts] = field(default_factory=dict)  # by issuer event id
    threshold_parts: dict[int, _Parts] = field(default_factory=dict)
    label_parts: dict[int, _Parts] = field(default_factory=dict)


@dataclass
class _Calendar:
    info: Any | None = None
    days: dict[int, model.DayProfile] = field(default_factory=dict)
    weeks: dict[int, model.WeekProfile] = field(default_factory=dict)
    seasons: tuple[model.Season, ...] = ()
    special_days: tuple[model.SpecialDay, ...] = ()
    day_parts: dict[tuple[int, int], _Parts] = field(default_factory=dict)  # (day id, event)
    season_parts: dict[int, _Parts] = field(default_factory=dict)
    special_parts: dict[int, _Parts] = field(default_factory=dict)


class ScheduleAssembler:
    """Everything one meter has said about its prices, turned into `model.Schedule`."""

    def __init__(self, fuel: model.Fuel, money_base: MoneyBase = MoneyBase.MAJOR) -> None:
        self.fuel = fuel
        self.money_base = money_base
        self._tariffs: dict[int, _Tariff] = {}
        self._calendars: dict[int, _Calendar] = {}
        self._prices: list[model.Price] = []
        self.block_starts: datetime | None = None
        self.block_ends: datetime | None = None
        self.block_used_kwh: Decimal | None = None
        # Price attributes TierNPriceLabel (0x0000+): the names of the tariff in force's tiers
        self.attribute_labels: dict[int, str] = {}

    # -- Price cluster -------------------------------------------------------------------

    def tariff_information(self, args: Any) -> None:
        self._tariff(int(args.issuer_tariff_id)).info = args

    def price_matrix(self, args: Any) -> None:
        tariff = self._tariff(int(args.issuer_tariff_id))
        parts = tariff.matrix_parts.setdefault(int(args.issuer_event_id), _Parts(1))
        if parts.add(int(args.command_index), int(args.number_of_commands), args):
            entries = [
                (int(part.sub_payload_control), entry)
                for part in parts.ordered()
                for entry in part.price_matrix_sub_payload
            ]
            tariff.matrix = tuple(entries)
            del tariff.matrix_parts[int(args.issuer_event_id)]

    def block_thresholds(self, args: Any) -> None:
        tariff = self._tariff(int(args.issuer_tariff_id))
        parts = tariff.threshold_parts.setdefault(int(args.issuer_event_id), _Parts(1))
        if parts.add(int(args.command_index), int(args.number_of_commands), args):
            tariff.thresholds = tuple(
                (int(part.sub_payload_control), entry)
                for part in parts.ordered()
                for entry in part.block_threshold_sub_payload
            )
            del tariff.threshold_parts[int(args.issuer_event_id)]

    def tier_labels(self, args: Any) -> None:
        tariff = self._tariff(int(args.issuer_tariff_id))
        parts = tariff.label_parts.setdefault(int(args.issuer_event_id), _Parts(1))
        if parts.add(int(args.command_index), int(args.number_of_commands), args):
            tariff.labels = tuple(
                (int(label.tier_id), _text(label.tier_label))
                for part in parts.ordered()
                for label in part.tier_labels
            )
            del tariff.label_parts[int(args.issuer_event_id)]

    def cancel_tariff(self, args: Any) -> None:
        self._tariffs.pop(int(args.issuer_tariff_id), None)

    def price(self, price: model.Price, now: datetime) -> bool:
        """A PublishPrice, current or scheduled; False when it only repeats the price in force.

        A newer price for the same start replaces the older; a price in force now supersedes
        older ones by starting later (GB meters republish the current price with start "now").
        Prices that ended more than a day ago are let go: today's bands need no more.
        """
        starts = price.starts or now
        if starts <= now:
            current = [p for p in self._prices if (p.starts or now) <= now]
            if current:
                last = max(current, key=lambda p: p.starts or now)
                if (
                    last.tier == price.tier
                    and last.pence_per_kwh == price.pence_per_kwh
                    and last.tier_label == price.tier_label
                    and _close(last.ends, price.ends)
                ):
                    return False
        kept = [
            p
            for p in self._prices
            if p.starts != price.starts and (p.ends is None or p.ends > now - timedelta(days=1))
        ]
        kept.append(price)
        kept.sort(key=lambda p: p.starts or now)
        # Bounded at both ends: the last few that started, and the soonest to come.
        started = [p for p in kept if (p.starts or now) <= now]
        coming = [p for p in kept if (p.starts or now) > now]
        self._prices = started[-KEEP_STARTED:] + coming[:KEEP_PRICES]
        return True

    def block_period(self, starts: datetime | None, duration: int, duration_type: int) -> None:
        """From PublishBlockPeriod, or the StartOfBlockPeriod/BlockPeriodDuration attributes."""
        self.block_starts = starts
        self.block_ends = None if starts is None else _period_end(starts, duration, duration_type)

    # -- Calendar cluster ----------------------------------------------------------------

    def calendar(self, args: Any) -> None:
        if int(args.calendar_type) in PRICING_CALENDARS:
            self._calendar(int(args.issuer_calendar_id)).info = args

    def day_profile(self, args: Any) -> None:
        if int(args.calendar_type) not in PRICING_CALENDARS:
            return
        calendar = self._calendar(int(args.issuer_calendar_id))
        key = (int(args.day_id), int(args.issuer_event_id))
        parts = calendar.day_parts.setdefault(key, _Parts(1))
        if parts.add(int(args.command_index), int(args.total_number_of_commands), args):
            entries = tuple(
                (int(e.start_time), int(e.price_tier))
                for part in parts.ordered()
                for e in (part.rate_entries or ())
            )
            calendar.days[key[0]] = model.DayProfile(day_id=key[0], entries=entries)
            del calendar.day_parts[key]

    def week_profile(self, args: Any) -> None:
        calendar = self._calendar(int(args.issuer_calendar_id))
        names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        days = tuple(int(getattr(args, f"day_id_ref_{name}")) for name in names)
        week_id = int(args.week_id)
        calendar.weeks[week_id] = model.WeekProfile(week_id=week_id, days=days)  # type: ignore[arg-type]

    def seasons(self, args: Any) -> None:
        calendar = self._calendar(int(args.issuer_calendar_id))
        parts = calendar.season_parts.setdefault(int(args.issuer_event_id), _Parts(1))
        if parts.add(int(args.command_index), int(args.total_number_of_commands), args):
            calendar.seasons = tuple(
                model.Season(starts=_zcl_date(e.season_start_date), week_id=int(e.week_id_ref))
                for part in parts.ordered()
                for e in part.season_entries
            )
            del calendar.season_parts[int(args.issuer_event_id)]

    def special_days(self, args: Any) -> None:
        if int(args.calendar_type) not in PRICING_CALENDARS:
            return
        calendar = self._calendar(int(args.issuer_calendar_id))
        parts = calendar.special_parts.setdefault(int(args.issuer_event_id), _Parts(1))
        if parts.add(int(args.command_index), int(args.total_number_of_commands), args):
            calendar.special_days = tuple(
                model.SpecialDay(date=_zcl_date(e.special_day_date), day_id=int(e.day_id_ref))
                for part in parts.ordered()
                for e in part.special_day_entries
            )
            del calendar.special_parts[int(args.issuer_event_id)]

    def cancel_calendar(self, args: Any) -> None:
        self._calendars.pop(int(args.issuer_calendar_id), None)

    # -- what the display needs ----------------------------------------------------------

    def tariff_ids(self) -> list[int]:
        return sorted(self._tariffs)

    def tier_count(self) -> int:
        """The most tiers any tariff held uses (to read that many TierNPriceLabels)."""
        return max(
            (int(t.info.number_of_price_tiers_in_use) for t in self._tariffs.values() if t.info),
            default=0,
        )

    def has_blocks(self) -> bool:
        return any(
            t.info is not None and int(t.info.tariff_type_charging_scheme) >> 4 != 0
            for t in self._tariffs.values()
        )

    def calendar_providers(self) -> list[tuple[int, int]]:
        """(calendar id, provider id) of each calendar announced by a PublishCalendar."""
        return [
            (calendar_id, int(c.info.provider_id))
            for calendar_id, c in sorted(self._calendars.items())
            if c.info is not None
        ]

    def build(self, now: datetime, scale: MoneyScale) -> model.Schedule:
        """The schedule as far as it is known, money scaled by each tariff's own digits."""
        tariffs = tuple(
            plan
            for tariff_id, tariff in sorted(self._tariffs.items())
            if (plan := self._plan(tariff_id, tariff, scale)) is not None
        )
        calendars = tuple(
            self._rate_calendar(calendar_id, calendar)
            for calendar_id, calendar in sorted(self._calendars.items())
            if calendar.info is not None
        )
        period = None
        if self.block_starts is not None or self.block_used_kwh is not None:
            period = model.BlockPeriod(
                starts=self.block_starts, ends=self.block_ends, used_kwh=self.block_used_kwh
            )
        return model.Schedule(
            time=now,
            fuel=self.fuel,
            tariffs=tariffs,
            calendars=calendars,
            prices=tuple(self._prices),
            block_period=period,
        )

    # -- building ------------------------------------------------------------------------

    def _tariff(self, tariff_id: int) -> _Tariff:
        return self._tariffs.setdefault(tariff_id, _Tariff())

    def _calendar(self, calendar_id: int) -> _Calendar:
        return self._calendars.setdefault(calendar_id, _Calendar())

    def _plan(
        self, tariff_id: int, tariff: _Tariff, fallback: MoneyScale
    ) -> model.TariffPlan | None:
        info = tariff.info
        if info is None:
            return None  # prices without the tariff they belong to: wait for it
        scale = MoneyScale.from_trailing_byte(
            int(info.currency), int(info.price_trailing_digit), self.money_base
        )
        scheme_byte = int(info.tariff_type_charging_scheme)
        scheme = SCHEMES.get(scheme_byte >> 4, model.ChargingScheme.TOU)
        return model.TariffPlan(
            tariff_id=tariff_id,
            event_id=int(info.issuer_event_id),
            label=_text(info.tariff_label),
            starts=_when(info.start_time),
            scheme=scheme,
            tier_count=int(info.number_of_price_tiers_in_use),
            threshold_count=int(info.number_of_block_thresholds_in_use),
            standing_charge_pence_per_day=scale.to_pence(int(info.standing_charge)),
            currency=currency_label(int(info.currency)),
            prices=_matrix(tariff.matrix or (), scale),
            thresholds=_thresholds(
                tariff.thresholds or (),
                int(info.block_threshold_multiplier) or 1,
                int(info.block_threshold_divisor) or 1,
            ),
            tier_labels=tariff.labels or self._labels_in_force(info),
        )

    def _labels_in_force(self, info: Any) -> tuple[tuple[int, str], ...]:
        """The TierNPriceLabel attributes name the tiers of the tariff in force only."""
        if int(info.start_time) != 0:
            return ()
        return tuple(sorted(self.attribute_labels.items()))

    def _rate_calendar(self, calendar_id: int, calendar: _Calendar) -> model.RateCalendar:
        info = calendar.info
        assert info is not None  # build() passes only announced calendars
        return model.RateCalendar(
            calendar_id=calendar_id,
            event_id=int(info.issuer_event_id),
            name=_text(info.calendar_name),
            starts=_when(info.start_time),
            time_reference=TIME_REFERENCES.get(
                int(info.calendar_time_reference), model.TimeReference.LOCAL
            ),
            days=tuple(calendar.days[d] for d in sorted(calendar.days)),
            weeks=tuple(calendar.weeks[w] for w in sorted(calendar.weeks)),
            seasons=calendar.seasons,
            special_days=calendar.special_days,
        )


def _matrix(entries: tuple[Any, ...], scale: MoneyScale) -> tuple[model.TierPrice, ...]:
    """TierBlockId: with SubPayloadControl bit 0 set it is the TOU tier; clear, bits 4-7 are
    the tier (0 = no tier) and bits 0-3 the block, counted from 0 for block 1 as the Price
    attributes number them (NoTierBlock1Price 0x0400 .. NoTierBlock16Price 0x040F: sixteen
    blocks fit a nibble only from 0)."""
    out = []
    for control, entry in entries:
        ident, raw = int(entry.tier_block_id), int(entry.price)
        if control & 0x01:
            tier, block = ident, 1
        else:
            tier, block = ident >> 4, (ident & 0x0F) + 1
        out.append(model.TierPrice(tier=tier, block=block, pence_per_kwh=scale.to_pence(raw)))
    return tuple(out)


def _thresholds(
    entries: tuple[Any, ...], multiplier: int, divisor: int
) -> tuple[model.BlockThresholds, ...]:
    """Thresholds in kWh: raw x BlockThresholdMultiplier / BlockThresholdDivisor (GB test
    data: 1000000 with divisor 1000 is 1,000 kWh)."""
    out = []
    for control, entry in entries:
        tier = 0 if control & 0x01 else int(entry.tier_number_of_block_thresholds.tier)
        kwh = tuple(model.scaled(int(raw), multiplier, divisor) for raw in entry.block_thresholds)
        out.append(model.BlockThresholds(tier=tier, kwh=kwh))
    return tuple(out)


def _add_months(moment: datetime, months: int) -> datetime:
    """Calendar months on the household's clock (a year from 1 April is 1 April again)."""
    moment = moment.astimezone(LONDON)
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    day = min(moment.day, _cal.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day).astimezone(UTC)


def _period_end(starts: datetime, duration: int, duration_type: int) -> datetime | None:
    timebase = duration_type & 0x0F
    if duration <= 0:
        return None
    if timebase == TIMEBASE_MINUTES:
        return starts + timedelta(minutes=duration)
    if timebase == TIMEBASE_DAYS:
        return starts + timedelta(days=duration)
    if timebase == TIMEBASE_WEEKS:
        return starts + timedelta(weeks=duration)
    if timebase == TIMEBASE_MONTHS:
        return _add_months(starts, duration)
    return None


__all__ = ["ScheduleAssembler"]
