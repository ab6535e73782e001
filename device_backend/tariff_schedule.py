"""Reading a meter's tariff schedule: the price now, the next change, a day's bands, blocks.

Pure functions over `model.Schedule` (no zigpy, no clock of its own: the caller passes the
moment). A GB meter says *what* each tier costs in its Price cluster (PublishTariffInformation
and PublishPriceMatrix, PublishBlockThresholds for blocks) and *when* each tier applies in its
Calendar cluster (day profiles, week profiles, seasons and special days); failing a calendar,
PublishPrice events with a start time and duration (GetScheduledPrices) still say when.

Calendar times. SE 1.4 (07-5356-21) D.9.2.4.1.1: a PublishCalendar's CalendarTimeReference
says how the start times of its day profiles (minutes after midnight, D.9.2.4.2.1) are read:
0x00 UTC, 0x01 standard time, 0x02 local time (Wireshark's dissector names the same three
values). We honour all three rather than assume one: a tariff sold as "off-peak 00:00-07:00"
suggests the household's clock (local), but some GB Economy 7 meters keep GMT all year, which
a calendar says with 0x00 or 0x01 (our inference; GBCS was not checked on this point). With
local time the meter switches when its local clock passes the start time. We read each instant
the same way, on the local wall clock of that instant, which makes the two clock-change days
come out as a meter's clock does: on 29 March 2026 a switch at 01:30 (a time that never
happens) takes effect at 02:00 BST, the moment the clock jumps past it; on 25 October 2026
the hour 01:00-02:00 happens twice and each pass follows the profile (a band starting at
01:30 starts twice). Dates (seasons, special days) are days on the same clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import TypeVar

from device_backend.clock import LONDON
from device_backend.model import (
    BlockPeriod,
    BlockThresholds,
    ChargingScheme,
    DayProfile,
    Price,
    RateCalendar,
    Schedule,
    TariffPlan,
    TimeReference,
    ZclDate,
)

__all__ = [
    "Band",
    "BlockPosition",
    "Change",
    "Quote",
    "bands",
    "block_position",
    "calendar_at",
    "day_profile",
    "future_tariff",
    "next_change",
    "price_at",
    "special_days",
    "tariff_at",
    "tier_at",
]

# How far ahead a next change is looked for: a future-dated tariff is usually announced
# weeks ahead, never more than a year (and a clock-only tariff changes at least daily).
HORIZON = timedelta(days=400)
_Dated = TypeVar("_Dated", TariffPlan, RateCalendar)


@dataclass(frozen=True, slots=True)
class Quote:
    """The price in force: its tier (0 = none), the block it is in (None: no blocks)."""

    tier: int
    label: str
    pence_per_kwh: Decimal
    block: int | None = None
    tariff: TariffPlan | None = None

    def same_price(self, other: Quote | None) -> bool:
        return (
            other is not None
            and self.tier == other.tier
            and self.pence_per_kwh == other.pence_per_kwh
            and self.block == other.block
        )


@dataclass(frozen=True, slots=True)
class Change:
    at: datetime  # aware UTC
    quote: Quote


@dataclass(frozen=True, slots=True)
class Band:
    """[starts, ends) at one price, aware UTC; clipped to the day asked for."""

    starts: datetime
    ends: datetime
    quote: Quote


@dataclass(frozen=True, slots=True)
class BlockPosition:
    """Where consumption stands in the block period: `used_kwh` of `threshold_kwh` (None in
    the last, open block) at block `block`'s price."""

    block: int
    used_kwh: Decimal
    threshold_kwh: Decimal | None
    pence_per_kwh: Decimal | None
    period_starts: datetime | None
    period_ends: datetime | None
    next_pence_per_kwh: Decimal | None = None  # the next block's price (None in the last)


# -- which tariff and calendar -------------------------------------------------------------


def _started(starts: datetime | None, t: datetime) -> bool:
    return starts is None or starts <= t


def _newest(items: tuple[_Dated, ...], t: datetime) -> _Dated | None:
    """The one in force at `t`: the latest start not after `t`, a newer event id on a tie."""
    started = [i for i in items if _started(i.starts, t)]
    if not started:
        return None
    epoch = datetime.min.replace(tzinfo=UTC)
    return max(started, key=lambda i: (i.starts or epoch, i.event_id))


def tariff_at(schedule: Schedule, t: datetime) -> TariffPlan | None:
    return _newest(schedule.tariffs, t)


def calendar_at(schedule: Schedule, t: datetime) -> RateCalendar | None:
    return _newest(schedule.calendars, t)


def future_tariff(schedule: Schedule, t: datetime) -> TariffPlan | None:
    """The next tariff announced to start after `t` (a future-dated tariff change)."""
    later = [p for p in schedule.tariffs if p.starts is not None and p.starts > t]
    return min(later, key=lambda p: (p.starts, -p.event_id)) if later else None


# -- calendars -------------------------------------------------------------------------------


def _zone(calendar: RateCalendar, local: tzinfo) -> tzinfo:
    if calendar.time_reference is TimeReference.UTC:
        return UTC
    if calendar.time_reference is TimeReference.STANDARD:
        # Standard time is the zone's winter offset (GB: GMT, UTC+0) all year round.
        offset = datetime(2001, 1, 15, tzinfo=local).utcoffset() or timedelta(0)
        return timezone(offset)
    return local


def _season_start(calendar_date: date, starts: ZclDate) -> date | None:
    """The most recent date on or before `calendar_date` that a season start matches."""
    if starts.year is not None and starts.month is not None and starts.day is not None:
        found = date(starts.year, starts.month, starts.day)
        return found if found <= calendar_date else None
    if starts.month is not None and starts.day is not None:  # every year on that date
        for year in (calendar_date.year, calendar_date.year - 1):
            try:
                found = date(year, starts.month, starts.day)
            except ValueError:  # 29 February in a common year
                continue
            if found <= calendar_date:
                return found
    return None


def day_profile(calendar: RateCalendar, day: date) -> DayProfile | None:
    """The day profile a calendar applies on a (local) date: a special day's, else the
    weekday's in the week profile of the season the date falls in."""
    by_id = {d.day_id: d for d in calendar.days}
    for special in calendar.special_days:
        if special.date.matches(day) and special.day_id in by_id:
            return by_id[special.day_id]
    weeks = {w.week_id: w for w in calendar.weeks}
    week = None
    started = [(s, _season_start(day, s.starts)) for s in calendar.seasons]
    current = [(when, s) for s, when in started if when is not None]
    if current:
        week = weeks.get(max(current, key=lambda pair: pair[0])[1].week_id)
    elif calendar.weeks:
        # No season has started yet (or none was sent): the first week profile serves.
        week = min(calendar.weeks, key=lambda w: w.week_id)
    if week is not None:
        return by_id.get(week.days[day.weekday()])
    return calendar.days[0] if len(calendar.days) == 1 else None


def _tier_on(calendar: RateCalendar, day: date, minute: int) -> int | None:
    profile = day_profile(calendar, day)
    if profile is not None:
        entries = sorted(profile.entries)
        earlier = [tier for start, tier in entries if start <= minute]
        if earlier:
            return earlier[-1]
    # A profile whose first switch is after midnight (or none at all) continues the tier
    # the previous day ended in, as a meter's register does.
    before = day_profile(calendar, day - timedelta(days=1))
    if before is not None and before.entries:
        return sorted(before.entries)[-1][1]
    return None


def tier_at(calendar: RateCalendar, t: datetime, local: tzinfo = LONDON) -> int | None:
    wall = t.astimezone(_zone(calendar, local))
    return _tier_on(calendar, wall.date(), wall.hour * 60 + wall.minute)


# -- prices ----------------------------------------------------------------------------------


def _label(plan: TariffPlan | None, tier: int, schedule: Schedule) -> str:
    if plan is not None:
        for number, text in plan.tier_labels:
            if number == tier:
                return text
    for price in reversed(schedule.prices):  # the meter's own rate label for that tier
        if price.tier == tier and price.tier_label:
            return price.tier_label
    return ""


def _matrix_price(plan: TariffPlan, tier: int, block: int) -> Decimal | None:
    for entry in plan.prices:
        if entry.tier == tier and entry.block == block:
            return entry.pence_per_kwh
    return None


def _thresholds(plan: TariffPlan, tier: int) -> tuple[Decimal, ...]:
    chosen: BlockThresholds | None = None
    for entry in plan.thresholds:
        if entry.tier == tier or (entry.tier == 0 and chosen is None):
            chosen = entry
    return chosen.kwh if chosen is not None else ()


def _block_number(thresholds: tuple[Decimal, ...], used: Decimal) -> int:
    """Block 1 until the first threshold is reached, and so on; the last block is open."""
    return 1 + sum(1 for threshold in thresholds if used >= threshold)


def _period_used(schedule: Schedule, t: datetime) -> Decimal:
    period = schedule.block_period
    if period is None or period.used_kwh is None:
        return Decimal(0)
    if _in_period(period, t):
        return period.used_kwh
    return Decimal(0)  # a later period starts from nothing


def _in_period(period: BlockPeriod, t: datetime) -> bool:
    return (period.starts is None or period.starts <= t) and (
        period.ends is None or t < period.ends
    )


def _published_at(schedule: Schedule, t: datetime) -> Price | None:
    """The newest PublishPrice in force at `t`."""
    chosen = None
    for price in schedule.prices:
        if _started(price.starts, t) and (price.ends is None or t < price.ends):
            if chosen is None or (price.starts or t) >= (chosen.starts or t):
                chosen = price
    return chosen


def price_at(schedule: Schedule, t: datetime, local: tzinfo = LONDON) -> Quote | None:
    """The price in force at `t`, from the calendar and price matrix where the meter sent
    them, else from its published (and scheduled) prices."""
    plan = tariff_at(schedule, t)
    calendar = calendar_at(schedule, t)
    if plan is not None and plan.prices:
        block: int | None = None
        tier = 0
        if plan.scheme is not ChargingScheme.BLOCK:
            found = tier_at(calendar, t, local) if calendar is not None else None
            if found is None:
                published = _published_at(schedule, t)
                found = published.tier if published is not None else None
            if found is None:
                return None
            tier = found
        if plan.scheme is ChargingScheme.TOU:
            pence = _matrix_price(plan, tier, 1)
        else:
            block = _block_number(_thresholds(plan, tier), _period_used(schedule, t))
            pence = _matrix_price(plan, tier, block)
        if pence is not None:
            return Quote(tier, _label(plan, tier, schedule), pence, block, plan)
    if calendar is not None:
        tier_now = tier_at(calendar, t, local)
        for price in reversed(schedule.prices):  # the newest price heard for that tier
            if price.tier == tier_now:
                return Quote(price.tier, price.tier_label, price.pence_per_kwh, None, plan)
    published = _published_at(schedule, t)
    if published is None:
        return None
    return Quote(published.tier, published.tier_label, published.pence_per_kwh, None, plan)


def _moments(schedule: Schedule, zones: set[tzinfo], start: datetime) -> Iterator[datetime]:
    """Every instant after `start` at which the price could change, in order, a UTC day at a
    time: each calendar switch time on each local day (both passes of a repeated hour), each
    local midnight, each hour of a day whose UTC offset changes (GB clocks change on the
    hour), and each start or end of a tariff, calendar, published price or block period."""
    fixed: set[datetime] = set()
    starts = [
        *(p.starts for p in schedule.tariffs),
        *(c.starts for c in schedule.calendars),
        *(p.starts for p in schedule.prices),
    ]
    fixed.update(s for s in starts if s is not None)
    for price in schedule.prices:
        if price.ends is not None:
            fixed.add(price.ends)
    if schedule.block_period is not None and schedule.block_period.ends is not None:
        fixed.add(schedule.block_period.ends)
    minutes: set[int] = {0}
    for calendar in schedule.calendars:
        for profile in calendar.days:
            minutes.update(m for m, _ in profile.entries)
    day = start.astimezone(UTC).date()
    last = (start + HORIZON).date()
    while day <= last:
        lo, hi = _utc_midnight(day), _utc_midnight(day + timedelta(days=1))
        found = {f for f in fixed if lo <= f < hi}
        for zone in zones or {UTC}:
            for offset in (-1, 0, 1):
                found.update(_local_instants(day + timedelta(days=offset), minutes, zone))
        yield from sorted(m for m in found if lo <= m < hi and m > start)
        day += timedelta(days=1)


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _local_instants(day: date, minutes: set[int], zone: tzinfo) -> set[datetime]:
    out: set[datetime] = set()
    first = datetime.combine(day, time(0), tzinfo=zone)
    last = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    if first.utcoffset() != last.utcoffset():
        # A clock-change day: every whole UTC hour of it is a candidate, which catches the
        # jump itself (where switch times in a skipped hour take effect).
        hour = first.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        while hour <= last.astimezone(UTC):
            out.add(hour)
            hour += timedelta(hours=1)
    for minute in minutes:
        wall = datetime.combine(day, time(minute // 60, minute % 60))
        for fold in (0, 1):
            out.add(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC))
    return out


def next_change(schedule: Schedule, t: datetime, local: tzinfo = LONDON) -> Change | None:
    """The first moment after `t` at which the price differs from the price at `t`, and the
    price from then on; None when nothing the meter said changes it within HORIZON."""
    now = price_at(schedule, t, local)
    zones = {_zone(c, local) for c in schedule.calendars}
    for moment in _moments(schedule, zones, t):
        quote = price_at(schedule, moment, local)
        if quote is not None and not quote.same_price(now):
            return Change(moment, quote)
        if quote is None and now is not None:
            now = None  # a gap in what we know: the next known price is the change
    return None


def bands(schedule: Schedule, day: date, local: tzinfo = LONDON) -> tuple[Band, ...]:
    """The prices across one local day, as [start, end) bands (48 for a half-hourly tariff)."""
    starts = datetime.combine(day, time(0), tzinfo=local).astimezone(UTC)
    ends = datetime.combine(day + timedelta(days=1), time(0), tzinfo=local).astimezone(UTC)
    out: list[Band] = []
    cursor = starts
    quote = price_at(schedule, cursor, local)
    zones = {_zone(c, local) for c in schedule.calendars}
    for moment in _moments(schedule, zones, cursor):
        if moment >= ends:
            break
        following = price_at(schedule, moment, local)
        if following is not None and following.same_price(quote):
            continue
        if quote is not None:
            out.append(Band(cursor, moment, quote))
        cursor, quote = moment, following
    if quote is not None:
        out.append(Band(cursor, ends, quote))
    return tuple(out)


def special_days(
    schedule: Schedule, t: datetime, days: int = 60, local: tzinfo = LONDON
) -> tuple[tuple[date, DayProfile], ...]:
    """The special days (bank holidays and the like) of the calendar in force on each of the
    next `days` local days from `t`'s, with the day profile each follows."""
    out = []
    today = t.astimezone(local).date()
    for offset in range(days):
        day = today + timedelta(days=offset)
        moment = datetime.combine(day, time(12), tzinfo=local).astimezone(UTC)
        calendar = calendar_at(schedule, moment)
        if calendar is None:
            continue
        by_id = {d.day_id: d for d in calendar.days}
        for special in calendar.special_days:
            if special.date.matches(day) and special.day_id in by_id:
                out.append((day, by_id[special.day_id]))
                break
    return tuple(out)


def block_position(schedule: Schedule, t: datetime, local: tzinfo = LONDON) -> BlockPosition | None:
    """How far into its blocks this block period's consumption is, for a block tariff."""
    plan = tariff_at(schedule, t)
    period = schedule.block_period
    if plan is None or plan.scheme is ChargingScheme.TOU or period is None:
        return None
    if period.used_kwh is None or not _in_period(period, t):
        return None  # no figure, or one for a period that has ended
    tier = 0
    if plan.scheme is ChargingScheme.BLOCK_TOU:
        quote = price_at(schedule, t, local)
        tier = quote.tier if quote is not None else 0
    thresholds = _thresholds(plan, tier)
    block = _block_number(thresholds, period.used_kwh)
    return BlockPosition(
        block=block,
        used_kwh=period.used_kwh,
        threshold_kwh=thresholds[block - 1] if block <= len(thresholds) else None,
        pence_per_kwh=_matrix_price(plan, tier, block),
        period_starts=period.starts,
        period_ends=period.ends,
        next_pence_per_kwh=_matrix_price(plan, tier, block + 1)
        if block <= len(thresholds)
        else None,
    )
