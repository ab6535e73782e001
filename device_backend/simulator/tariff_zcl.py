"""A tariff as a GB meter publishes it: the fields of the Price and Calendar cluster commands.

One tariff goes out as (SE 1.4 annex D.4 Price and D.9 Calendar, in the layouts of
device_backend/zcl/price.py and calendar.py):

- PublishTariffInformation: charging scheme, label, how many tiers and block thresholds,
  standing charge, and the thresholds' multiplier/divisor. A block tariff says 0 tiers and n
  thresholds (GBCS test data: "0 tiers, 3 thresholds"); a time-of-use one n tiers, 0 thresholds.
- PublishPriceMatrix: every price. TOU-based (SubPayloadControl bit 0 set): TierBlockId is the
  tier, 1..48. Otherwise TierBlockId is tier in bits 4-7 (0 = no tier, block-only charging) and
  block in bits 0-3 with 0 = block 1 (our reading of SE 1.4 D.4.2.4.6: the block nibble
  counts blocks 1..16 as 0x0..0xF, as the NoTierBlock1..16Price attributes need).
- PublishBlockThresholds (block tariffs only): one sub-payload applying to all tiers
  (SubPayloadControl bit 0), thresholds as uint48 in the metering unit scaled by the
  multiplier/divisor of PublishTariffInformation. We publish Wh with divisor 1000, as GB test
  data does (1000000 with divisor 1000 = 1,000 kWh).
- The calendar of a time-of-use tariff: PublishCalendar, PublishDayProfile (one per day
  profile), PublishWeekProfile (one per week profile), PublishSeasons and PublishSpecialDays.
  IssuerCalendarId is the IssuerTariffId, and the calendar's StartTime the tariff's, so a
  client can pair them.

Long publishes are split into several commands numbered by CommandIndex (from 0) of
TotalNumberOfCommands, as SE 1.4 provides for PublishPriceMatrix, PublishBlockThresholds,
PublishDayProfile, PublishSeasons and PublishSpecialDays, so that no frame's ZCL payload exceeds
MAX_PAYLOAD octets: within what a secured ZigBee PRO frame carries without APS fragmentation.

Times: StartTime 0 means "now" (SE 1.4); a future-dated tariff carries its real start, and
IssuerTariffId is that start in ZigBee UTC seconds (1 for a tariff in force from the outset),
so ids grow with start time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

import zigpy.types as t

from device_backend.clock import LONDON, to_zigbee_time
from device_backend.money import GB_SCALE
from device_backend.simulator.tariff import (
    BlockTariff,
    BlockTouTariff,
    Tariff,
    TariffSchedule,
    TimeOfUseTariff,
)
from device_backend.simulator.tou_calendar import MAX_SPECIAL_DAYS, TouCalendar
from device_backend.zcl.calendar import CalendarType, RateStartTime, SeasonEntry, SpecialDayEntry
from device_backend.zcl.price import (
    ChargingScheme,
    PriceMatrixEntry,
    TariffTypeChargingScheme,
    TariffTypeNibble,
    TierAndBlockThresholdCount,
    TierBlockMode,
    TierBlockThresholds,
)
from device_backend.zcl.se_types import DurationControl, DurationTimebase, DurationType

__all__ = [
    "MAX_PAYLOAD",
    "PROVIDER_ID",
    "PublishedTariff",
    "block_period_fields",
    "block_threshold_commands",
    "calendar_commands",
    "counts",
    "price_attributes",
    "price_fields",
    "price_matrix_commands",
    "published_tariffs",
    "scheduled_prices",
    "tariff_information",
]

PROVIDER_ID = 0x00000826
MAX_PAYLOAD = 72  # octets of ZCL payload in one command (header not counted)
THRESHOLD_DIVISOR = 1000  # thresholds in Wh: kWh = raw / 1000
SPECIAL_DAY_HORIZON = timedelta(days=366)  # a year of special days ahead
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PublishedTariff:
    issuer_tariff_id: int
    start: datetime | None  # None: in force from the outset
    tariff: Tariff

    @property
    def start_field(self) -> int:
        return 0 if self.start is None else to_zigbee_time(self.start)


def published_tariffs(schedule: TariffSchedule, now: datetime) -> list[PublishedTariff]:
    """The tariff in force at `now`, then every future-dated one, by start."""
    entries = schedule.entries
    starts = [s for s, _ in entries[1:] if s is not None]
    current = bisect.bisect_right(starts, now)
    out = []
    for start, tariff in entries[current:]:
        ident = 1 if start is None else to_zigbee_time(start)
        out.append(PublishedTariff(ident, start, tariff))
    return out


def _money(pence: Decimal) -> int:
    return GB_SCALE.to_wire(pence)


def _chunks(items: Sequence[_T], header: int, size: int) -> list[list[_T]]:
    """Items split so that header + n*size octets fit MAX_PAYLOAD; at least one (maybe empty)."""
    per = max(1, (MAX_PAYLOAD - header) // size)
    parts = [list(items[i : i + per]) for i in range(0, len(items), per)]
    return parts or [[]]


def counts(tariff: Tariff) -> tuple[int, int]:
    """(NumberOfPriceTiersInUse, NumberOfBlockThresholdsInUse) as PublishTariffInformation says."""
    if isinstance(tariff, BlockTariff):
        return 0, len(tariff.thresholds_kwh)
    if isinstance(tariff, BlockTouTariff):
        return max(t.tier for t in tariff.tiers), len(tariff.thresholds_kwh)
    return max(t.tier for t in tariff.tiers), 0


def _scheme(tariff: Tariff) -> ChargingScheme:
    if isinstance(tariff, BlockTariff):
        return ChargingScheme.Block
    if isinstance(tariff, BlockTouTariff):
        return ChargingScheme.Block_TOU_Common_Thresholds
    return ChargingScheme.TOU


def _thresholds(tariff: Tariff) -> tuple[Decimal, ...]:
    if isinstance(tariff, BlockTariff | BlockTouTariff):
        return tariff.thresholds_kwh
    return ()


def tariff_information(p: PublishedTariff, issuer_event_id: int) -> dict[str, Any]:
    tariff = p.tariff
    tiers, thresholds = counts(tariff)
    block = bool(thresholds)
    return dict(
        provider_id=PROVIDER_ID,
        issuer_event_id=issuer_event_id,
        issuer_tariff_id=p.issuer_tariff_id,
        start_time=p.start_field,
        tariff_type_charging_scheme=TariffTypeChargingScheme(
            tariff_type=TariffTypeNibble.Delivered, charging_scheme=_scheme(tariff)
        ),
        tariff_label=tariff.label.encode("utf-8")[:24],
        number_of_price_tiers_in_use=tiers,
        number_of_block_thresholds_in_use=thresholds,
        unit_of_measure=0,
        currency=GB_SCALE.currency,
        price_trailing_digit=GB_SCALE.digits << 4,
        standing_charge=_money(tariff.standing_charge_pence_per_day),
        # Block/TOU: the price follows the active block and the price tier (SE 1.4 TierBlockMode
        # 0x01); meaningless for other schemes, so "not used".
        tier_block_mode=(
            TierBlockMode.Active_Block_Price_Tier
            if isinstance(tariff, BlockTouTariff)
            else TierBlockMode.Not_Used
        ),
        block_threshold_multiplier=1,
        block_threshold_divisor=THRESHOLD_DIVISOR if block else 1,
    )


def _matrix_entries(tariff: Tariff) -> tuple[bool, list[PriceMatrixEntry]]:
    """(TOU-based, entries)."""
    if isinstance(tariff, BlockTariff):
        return False, [
            PriceMatrixEntry(tier_block_id=(0 << 4) | i, price=_money(b.pence_per_kwh))
            for i, b in enumerate(tariff.blocks)
        ]
    if isinstance(tariff, BlockTouTariff):
        entries = []
        for tier in tariff.tiers:
            for i in range(len(tariff.thresholds_kwh) + 1):
                entries.append(
                    PriceMatrixEntry(
                        tier_block_id=(tier.tier << 4) | i,
                        price=_money(tariff.price_for(tier.tier, i)),
                    )
                )
        return False, entries
    return True, [
        PriceMatrixEntry(tier_block_id=tier.tier, price=_money(tier.pence_per_kwh))
        for tier in tariff.tiers
    ]


def price_attributes(tariff: Tariff) -> list[tuple[str, int]]:
    """(Price attribute name, wire price) for every price of the tariff."""
    if isinstance(tariff, BlockTariff):
        return [
            (f"no_tier_block{i + 1}_price", _money(b.pence_per_kwh))
            for i, b in enumerate(tariff.blocks)
        ]
    if isinstance(tariff, BlockTouTariff):
        return [
            (f"tier{tier.tier}_block{i + 1}_price", _money(tariff.price_for(tier.tier, i)))
            for tier in tariff.tiers
            for i in range(len(tariff.thresholds_kwh) + 1)
        ]
    return [
        (
            f"tier{tier.tier}_block1_price" if tier.tier < 16 else f"price_tier{tier.tier}",
            _money(tier.pence_per_kwh),
        )
        for tier in tariff.tiers
    ]


def price_matrix_commands(p: PublishedTariff, issuer_event_id: int) -> list[dict[str, Any]]:
    tou_based, entries = _matrix_entries(p.tariff)
    parts = _chunks(entries, header=19, size=5)
    return [
        dict(
            provider_id=PROVIDER_ID,
            issuer_event_id=issuer_event_id,
            start_time=p.start_field,
            issuer_tariff_id=p.issuer_tariff_id,
            command_index=index,
            number_of_commands=len(parts),
            sub_payload_control=1 if tou_based else 0,
            price_matrix_sub_payload=part,
        )
        for index, part in enumerate(parts)
    ]


def block_threshold_commands(p: PublishedTariff, issuer_event_id: int) -> list[dict[str, Any]]:
    """Empty for a tariff without blocks (the meter answers GetBlockThresholds NOT_FOUND)."""
    limits = _thresholds(p.tariff)
    if not limits:
        return []
    raw = [int(limit * THRESHOLD_DIVISOR) for limit in limits]
    return [
        dict(
            provider_id=PROVIDER_ID,
            issuer_event_id=issuer_event_id,
            start_time=p.start_field,
            issuer_tariff_id=p.issuer_tariff_id,
            command_index=0,
            number_of_commands=1,
            sub_payload_control=1,  # one set for all tiers (and block-only charging)
            block_threshold_sub_payload=[
                TierBlockThresholds(
                    tier_number_of_block_thresholds=TierAndBlockThresholdCount(
                        number_of_block_thresholds=len(raw), tier=0
                    ),
                    block_thresholds=[t.uint48_t(v) for v in raw],
                )
            ],
        )
    ]


# A block period in the units of BlockPeriodDurationType's timebase (SE 1.4: minutes, days,
# weeks, months; no years, so a year is 12 months), starting at the start of the timebase.
_PERIOD_UNITS = {
    "day": (DurationTimebase.Days, 1),
    "week": (DurationTimebase.Weeks, 1),
    "month": (DurationTimebase.Months, 1),
    "year": (DurationTimebase.Months, 12),
}


def block_period_fields(now: datetime, start: datetime, period: str) -> dict[str, Any]:
    timebase, length = _PERIOD_UNITS[period]
    return dict(
        provider_id=PROVIDER_ID,
        issuer_event_id=to_zigbee_time(now),
        block_period_start_time=to_zigbee_time(start),
        block_period_duration=length,
        block_period_control=0x02,  # a repeating block period
        block_period_duration_type=DurationType(
            timebase=timebase, control=DurationControl.Start_Of_Timebase
        ),
        tariff_type=0,  # delivered
        tariff_resolution_period=0x01,  # block period
    )


def _calendar_of(tariff: Tariff) -> TouCalendar | None:
    if isinstance(tariff, TimeOfUseTariff | BlockTouTariff):
        return tariff.calendar
    return None


def _zcl_date(day: date) -> t.Date:
    # ZCL Date: years since 1900, month, day, day of week 1 = Monday .. 7 = Sunday.
    return t.Date(
        years_since_1900=day.year - 1900,
        month=day.month,
        day=day.day,
        day_of_week=day.isoweekday(),
    )


def _calendar_span(p: PublishedTariff, now: datetime) -> tuple[date, date]:
    first = (p.start or now).astimezone(LONDON).date()
    if p.start is not None and p.start < now:
        first = now.astimezone(LONDON).date()
    return first, first + SPECIAL_DAY_HORIZON


def calendar_commands(
    p: PublishedTariff, issuer_event_id: int, now: datetime
) -> list[tuple[str, dict[str, Any]]]:
    """(Calendar command name, fields) for a time-of-use tariff's calendar; [] for others."""
    calendar = _calendar_of(p.tariff)
    if calendar is None:
        return []
    common = dict(
        provider_id=PROVIDER_ID,
        issuer_event_id=issuer_event_id,
        issuer_calendar_id=p.issuer_tariff_id,
    )
    first, last = _calendar_span(p, now)
    seasons = calendar.season_starts(first, last)
    utc_clock = bool(getattr(p.tariff, "utc_clock", False))
    out: list[tuple[str, dict[str, Any]]] = [
        (
            "publish_calendar",
            dict(
                common,
                start_time=p.start_field,
                calendar_type=CalendarType.Delivered,
                # 0x00 UTC (an Economy 7 meter kept on GMT), 0x02 local time (GB clock).
                calendar_time_reference=0x00 if utc_clock else 0x02,
                calendar_name=calendar.name.encode("utf-8")[:12],
                number_of_seasons=len(seasons),
                number_of_week_profiles=len(calendar.week_profiles),
                number_of_day_profiles=len(calendar.day_profiles),
            ),
        )
    ]
    out += [("publish_day_profile", f) for f in day_profile_commands(calendar, common)]
    for week in calendar.week_profiles:
        days = dict(
            zip(
                (
                    "day_id_ref_monday",
                    "day_id_ref_tuesday",
                    "day_id_ref_wednesday",
                    "day_id_ref_thursday",
                    "day_id_ref_friday",
                    "day_id_ref_saturday",
                    "day_id_ref_sunday",
                ),
                week.day_ids,
                strict=True,
            )
        )
        out.append(("publish_week_profile", dict(common, week_id=week.week_id, **days)))
    out += [("publish_seasons", f) for f in season_commands(seasons, common)]
    special = calendar.special_days_between(first, last)[:MAX_SPECIAL_DAYS]
    out += [
        ("publish_special_days", f) for f in special_day_commands(special, common, p.start_field)
    ]
    return out


def day_profile_commands(
    calendar: TouCalendar, common: dict[str, Any], day_ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    out = []
    for day in calendar.day_profiles:
        if day_ids is not None and day.day_id not in day_ids:
            continue
        entries = [RateStartTime(start_time=m, price_tier=tier) for m, tier in day.switches]
        parts = _chunks(entries, header=17, size=3)
        out += [
            dict(
                common,
                day_id=day.day_id,
                total_number_of_schedule_entries=len(entries),
                command_index=index,
                total_number_of_commands=len(parts),
                calendar_type=CalendarType.Delivered,
                rate_entries=part,
            )
            for index, part in enumerate(parts)
        ]
    return out


def season_commands(
    seasons: Sequence[tuple[date, int]], common: dict[str, Any]
) -> list[dict[str, Any]]:
    entries = [SeasonEntry(season_start_date=_zcl_date(d), week_id_ref=w) for d, w in seasons]
    parts = _chunks(entries, header=14, size=5)
    return [
        dict(common, command_index=i, total_number_of_commands=len(parts), season_entries=part)
        for i, part in enumerate(parts)
    ]


def special_day_commands(
    special: Sequence[Any], common: dict[str, Any], start_field: int
) -> list[dict[str, Any]]:
    entries = [
        SpecialDayEntry(special_day_date=_zcl_date(s.day), day_id_ref=s.day_id) for s in special
    ]
    parts = _chunks(entries, header=20, size=5)
    return [
        dict(
            common,
            start_time=start_field,
            calendar_type=CalendarType.Delivered,
            total_number_of_special_days=len(entries),
            command_index=i,
            total_number_of_commands=len(parts),
            special_day_entries=part,
        )
        for i, part in enumerate(parts)
    ]


def _nibble_and_extension(n: int) -> tuple[int, int]:
    """SE 1.4: tiers 1-14 in the nibble; 15 and up as 0xF with the extension n - 15 (0 = 15)."""
    return (n, 0) if n < 15 else (0xF, n - 15)


def price_fields(
    *,
    now: datetime,
    tier: int,
    label: str,
    pence: Decimal,
    tariff: Tariff | None,
    start: datetime | None = None,
    ends: datetime | None = None,
    issuer_event_id: int | None = None,
) -> dict[str, Any]:
    """PublishPrice with every SE 1.2+ field, so tiers 16-48 go out as ExtendedPriceTier."""
    tiers, thresholds = counts(tariff) if tariff is not None else (max(tier, 1), 0)
    if isinstance(tariff, BlockTariff):
        tiers = len(tariff.blocks)  # the quote's tier is the block: its register
    tiers = max(tiers, tier)
    tier_nibble, tier_ext = _nibble_and_extension(tier)
    count_nibble, count_ext = _nibble_and_extension(tiers)
    begins = start if start is not None and start > now else None
    if ends is None:
        duration = 0xFFFF  # until changed
    else:
        duration = max(1, min(0xFFFE, int((ends - (begins or now)).total_seconds() // 60)))
    return dict(
        provider_id=PROVIDER_ID,
        rate_label=label.encode("utf-8")[:12],
        issuer_event_id=to_zigbee_time(now) if issuer_event_id is None else issuer_event_id,
        current_time=to_zigbee_time(now),
        unit_of_measure=0,
        currency=GB_SCALE.currency,
        price_trailing_digit_and_price_tier=(GB_SCALE.digits << 4) | tier_nibble,
        number_of_price_tiers_and_register_tier=(count_nibble << 4) | tier_nibble,
        start_time=0 if begins is None else to_zigbee_time(begins),
        duration_in_minutes=duration,
        price=_money(pence),
        price_ratio=0xFF,
        generation_price=0xFFFFFFFF,
        generation_price_ratio=0xFF,
        alternate_cost_delivered=0xFFFFFFFF,
        alternate_cost_unit=0xFF,
        alternate_cost_trailing_digit=0,
        number_of_block_thresholds=thresholds,
        price_control=0x02 if tiers > 15 else 0x00,  # bit 1: TotalTiersExceeds15
        number_of_generation_tiers=0,
        generation_tier=0,
        extended_number_of_price_tiers=count_ext,
        extended_price_tier=tier_ext,
        extended_register_tier=tier_ext,
    )


def scheduled_prices(
    schedule: TariffSchedule, used_kwh: Fraction, start: datetime, limit: int
) -> Iterator[tuple[datetime, datetime | None, int, str, Decimal, Tariff]]:
    """Price periods from `start` on: (begins, ends, tier, label, price, tariff), at most `limit`
    and within eight days (a week of any calendar). A block price assumes the kWh used so far
    this period, and none after the period ends."""
    horizon = start + timedelta(days=8)
    cursor = start
    tariff = schedule.tariff_at(cursor)
    period_end = (
        tariff.block_period_end(cursor)  # type: ignore[attr-defined]
        if tariff.has_blocks
        else None
    )
    for _ in range(limit):
        used = used_kwh if period_end is None or cursor < period_end else Fraction(0)
        quote = schedule.price_at(cursor, used)
        change = schedule.next_change_after(cursor)
        ends = None if change is None else change.at
        yield cursor, ends, quote.tier, quote.label, quote.pence_per_kwh, schedule.tariff_at(cursor)
        if ends is None or ends >= horizon:
            return
        cursor = ends
