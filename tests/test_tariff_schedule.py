"""The tariff schedule read from a meter's calendar and price matrix, with hand-written values.

The calendars are GB shapes: a three-rate time-of-use tariff (off-peak 00:00-07:00, peak
16:00-19:00 on weekdays, standard otherwise), an Economy 7 (night 00:30-07:30), a block tariff
with GB's test-data thresholds (1,000/2,000/3,000 kWh) and a 48-rate half-hourly tariff. The
dates are 2026's: GMT -> BST on Sunday 29 March at 01:00 UTC, BST -> GMT on Sunday 25 October
at 01:00 UTC, and the Spring bank holiday on Monday 25 May (gov.uk/bank-holidays).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from device_backend import tariff_schedule as ts
from device_backend.model import (
    BlockPeriod,
    BlockThresholds,
    ChargingScheme,
    DayProfile,
    Fuel,
    Price,
    RateCalendar,
    Schedule,
    Season,
    SpecialDay,
    TariffPlan,
    TierPrice,
    TimeReference,
    WeekProfile,
    ZclDate,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


D = Decimal
WEEKDAY, WEEKEND = 1, 2
TOU_PRICES = (
    TierPrice(tier=1, block=1, pence_per_kwh=D("17.45")),
    TierPrice(tier=2, block=1, pence_per_kwh=D("24.50")),
    TierPrice(tier=3, block=1, pence_per_kwh=D("36.80")),
)
LABELS = ((1, "Off-peak"), (2, "Standard"), (3, "Peak"))
TOU = TariffPlan(
    tariff_id=1, label="Flex Saver 2026", prices=TOU_PRICES, tier_labels=LABELS, tier_count=3
)
TOU_CALENDAR = RateCalendar(
    calendar_id=10,
    name="Flex Saver",
    days=(
        DayProfile(day_id=WEEKDAY, entries=((0, 1), (7 * 60, 2), (16 * 60, 3), (19 * 60, 2))),
        DayProfile(day_id=WEEKEND, entries=((0, 1), (7 * 60, 2))),
    ),
    weeks=(WeekProfile(week_id=1, days=(1, 1, 1, 1, 1, 2, 2)),),
    seasons=(Season(starts=ZclDate(year=2026, month=1, day=1), week_id=1),),
    special_days=(
        SpecialDay(date=ZclDate(year=2026, month=5, day=25), day_id=WEEKEND),  # Spring bank hol.
        SpecialDay(date=ZclDate(month=12, day=25), day_id=WEEKEND),  # every Christmas Day
    ),
)


def schedule(
    *,
    tariffs: tuple[TariffPlan, ...] = (TOU,),
    calendars: tuple[RateCalendar, ...] = (TOU_CALENDAR,),
    prices: tuple[Price, ...] = (),
    block_period: BlockPeriod | None = None,
) -> Schedule:
    return Schedule(
        time=utc(2026, 1, 1),
        fuel=Fuel.ELECTRICITY,
        tariffs=tariffs,
        calendars=calendars,
        prices=prices,
        block_period=block_period,
    )


# -- time of use on an ordinary winter weekday -------------------------------------------------


def test_price_now_and_the_exact_next_change_on_a_winter_weekday() -> None:
    s = schedule()
    monday_10 = utc(2026, 1, 12, 10)  # GMT: local = UTC
    quote = ts.price_at(s, monday_10)
    assert quote is not None
    assert (quote.tier, quote.label, quote.pence_per_kwh) == (2, "Standard", D("24.50"))
    change = ts.next_change(s, monday_10)
    assert change is not None
    assert change.at == utc(2026, 1, 12, 16)
    assert (change.quote.label, change.quote.pence_per_kwh) == ("Peak", D("36.80"))
    after_peak = ts.next_change(s, utc(2026, 1, 12, 17, 59))
    assert after_peak is not None
    assert after_peak.at == utc(2026, 1, 12, 19)
    assert after_peak.quote.pence_per_kwh == D("24.50")
    # At the very moment of a switch the new price is in force, and the next is later.
    at_switch = ts.next_change(s, utc(2026, 1, 12, 16))
    assert at_switch is not None
    assert at_switch.at == utc(2026, 1, 12, 19)


def test_todays_and_tomorrows_bands() -> None:
    s = schedule()
    monday = ts.bands(s, date(2026, 1, 12))
    assert [(b.starts, b.ends, b.quote.label) for b in monday] == [
        (utc(2026, 1, 12, 0), utc(2026, 1, 12, 7), "Off-peak"),
        (utc(2026, 1, 12, 7), utc(2026, 1, 12, 16), "Standard"),
        (utc(2026, 1, 12, 16), utc(2026, 1, 12, 19), "Peak"),
        (utc(2026, 1, 12, 19), utc(2026, 1, 13, 0), "Standard"),
    ]
    saturday = ts.bands(s, date(2026, 1, 17))
    assert [(b.starts.hour, b.ends.hour, b.quote.label) for b in saturday] == [
        (0, 7, "Off-peak"),
        (7, 0, "Standard"),
    ]


def test_a_summer_day_switches_on_the_local_clock() -> None:
    s = schedule()
    wednesday_noon_bst = utc(2026, 6, 10, 11)
    change = ts.next_change(s, wednesday_noon_bst)
    assert change is not None
    assert change.at == utc(2026, 6, 10, 15)  # 16:00 BST
    june = ts.bands(s, date(2026, 6, 10))
    assert june[0].starts == utc(2026, 6, 9, 23)  # local midnight
    assert [b.quote.label for b in june] == ["Off-peak", "Standard", "Peak", "Standard"]
    assert june[2].starts == utc(2026, 6, 10, 15)
    assert june[2].ends == utc(2026, 6, 10, 18)


# -- the two clock changes of 2026 -------------------------------------------------------------

E7_PLAN = TariffPlan(
    tariff_id=7,
    label="Economy 7",
    prices=(
        TierPrice(tier=1, block=1, pence_per_kwh=D("28.40")),
        TierPrice(tier=2, block=1, pence_per_kwh=D("13.90")),
    ),
    tier_labels=((1, "Day"), (2, "Night")),
)
E7 = RateCalendar(
    calendar_id=7,
    days=(DayProfile(day_id=1, entries=((0, 1), (30, 2), (7 * 60 + 30, 1))),),
    weeks=(WeekProfile(week_id=1, days=(1,) * 7),),
)


def test_economy7_night_across_the_spring_clock_change() -> None:
    s = schedule(tariffs=(E7_PLAN,), calendars=(E7,))
    day = ts.bands(s, date(2026, 3, 29))  # a 23-hour day
    assert [(b.starts, b.ends, b.quote.label) for b in day] == [
        (utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 30), "Day"),
        (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 6, 30), "Night"),  # 07:30 BST
        (utc(2026, 3, 29, 6, 30), utc(2026, 3, 29, 23), "Day"),
    ]
    change = ts.next_change(s, utc(2026, 3, 29, 0, 45))
    assert change is not None
    assert change.at == utc(2026, 3, 29, 6, 30)
    assert change.quote.pence_per_kwh == D("28.40")


def test_economy7_night_across_the_autumn_clock_change() -> None:
    s = schedule(tariffs=(E7_PLAN,), calendars=(E7,))
    day = ts.bands(s, date(2026, 10, 25))  # a 25-hour day, from 23:00 UTC on the 24th
    assert [(b.starts, b.ends, b.quote.label) for b in day] == [
        (utc(2026, 10, 24, 23), utc(2026, 10, 24, 23, 30), "Day"),
        (utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 7, 30), "Night"),  # 8 hours of night
        (utc(2026, 10, 25, 7, 30), utc(2026, 10, 26, 0), "Day"),
    ]


def test_a_switch_in_the_skipped_hour_takes_effect_when_the_clock_jumps() -> None:
    # A switch at 01:30 local on 29 March: 01:00-02:00 never happens, so the tier starts at
    # 01:00 UTC, when the clock jumps from 01:00 GMT to 02:00 BST.
    boost = replace(E7, days=(DayProfile(day_id=1, entries=((0, 1), (90, 2), (300, 1))),))
    s = schedule(tariffs=(E7_PLAN,), calendars=(boost,))
    change = ts.next_change(s, utc(2026, 3, 29, 0, 15))
    assert change is not None
    assert change.at == utc(2026, 3, 29, 1)
    assert change.quote.label == "Night"
    following = ts.next_change(s, change.at)
    assert following is not None
    assert following.at == utc(2026, 3, 29, 4)


def test_a_switch_in_the_repeated_hour_happens_on_each_pass() -> None:
    boost = replace(E7, days=(DayProfile(day_id=1, entries=((0, 1), (90, 2), (300, 1))),))
    s = schedule(tariffs=(E7_PLAN,), calendars=(boost,))
    day = ts.bands(s, date(2026, 10, 25))
    assert [(b.starts, b.quote.label) for b in day] == [
        (utc(2026, 10, 24, 23), "Day"),
        (utc(2026, 10, 25, 0, 30), "Night"),  # 01:30 BST
        (utc(2026, 10, 25, 1), "Day"),  # the clock goes back to 01:00 GMT
        (utc(2026, 10, 25, 1, 30), "Night"),  # 01:30 GMT
        (utc(2026, 10, 25, 5), "Day"),
    ]


def test_a_utc_calendar_keeps_gmt_all_year() -> None:
    utc_e7 = replace(E7, time_reference=TimeReference.UTC)
    s = schedule(tariffs=(E7_PLAN,), calendars=(utc_e7,))
    change = ts.next_change(s, utc(2026, 7, 1, 0, 10))
    assert change is not None
    assert change.at == utc(2026, 7, 1, 0, 30)
    standard = replace(E7, time_reference=TimeReference.STANDARD)  # GB standard time is GMT
    s = schedule(tariffs=(E7_PLAN,), calendars=(standard,))
    change = ts.next_change(s, utc(2026, 7, 1, 0, 10))
    assert change is not None
    assert change.at == utc(2026, 7, 1, 0, 30)


# -- special days and seasons ------------------------------------------------------------------


def test_a_bank_holiday_follows_its_special_day_profile() -> None:
    s = schedule()
    bank_holiday_noon = utc(2026, 5, 25, 11)  # Monday 12:00 BST: no peak today
    change = ts.next_change(s, bank_holiday_noon)
    assert change is not None
    assert change.at == utc(2026, 5, 25, 23)  # midnight BST, into Tuesday's off-peak
    assert change.quote.label == "Off-peak"
    ordinary_monday = ts.next_change(s, utc(2026, 5, 18, 11))
    assert ordinary_monday is not None
    assert ordinary_monday.at == utc(2026, 5, 18, 15)
    listed = ts.special_days(s, utc(2026, 5, 20, 9), days=240)
    assert [day for day, _ in listed] == [date(2026, 5, 25), date(2026, 12, 25)]
    assert all(profile.day_id == WEEKEND for _, profile in listed)


def test_seasons_choose_the_week_profile_and_recur_each_year() -> None:
    summer_week = WeekProfile(week_id=2, days=(3, 3, 3, 3, 3, 2, 2))
    summer_day = DayProfile(day_id=3, entries=((0, 1), (7 * 60, 2), (17 * 60, 3), (20 * 60, 2)))
    calendar = replace(
        TOU_CALENDAR,
        days=(*TOU_CALENDAR.days, summer_day),
        weeks=(*TOU_CALENDAR.weeks, summer_week),
        seasons=(
            Season(starts=ZclDate(month=4, day=1), week_id=2),  # summer, every year
            Season(starts=ZclDate(month=10, day=1), week_id=1),  # winter, every year
        ),
    )
    s = schedule(calendars=(calendar,))
    june = ts.next_change(s, utc(2026, 6, 10, 11))
    assert june is not None
    assert june.at == utc(2026, 6, 10, 16)
    january = ts.next_change(s, utc(2026, 1, 12, 11))  # last October's season still holds
    assert january is not None
    assert january.at == utc(2026, 1, 12, 16)


def test_a_profile_starting_after_midnight_continues_the_day_before() -> None:
    late = RateCalendar(
        calendar_id=3,
        days=(DayProfile(day_id=1, entries=((6 * 60, 1), (22 * 60, 2))),),
        weeks=(WeekProfile(week_id=1, days=(1,) * 7),),
    )
    s = schedule(tariffs=(E7_PLAN,), calendars=(late,))
    quote = ts.price_at(s, utc(2026, 1, 13, 3))
    assert quote is not None
    assert quote.label == "Night"


# -- future-dated tariffs ----------------------------------------------------------------------

NEW_YEAR = utc(2027, 1, 1)
TOU_2027 = TariffPlan(
    tariff_id=2,
    event_id=5,
    label="Flex Saver 2027",
    starts=NEW_YEAR,
    standing_charge_pence_per_day=D("55.12"),
    prices=(
        TierPrice(tier=1, block=1, pence_per_kwh=D("16.95")),
        TierPrice(tier=2, block=1, pence_per_kwh=D("24.86")),
        TierPrice(tier=3, block=1, pence_per_kwh=D("37.90")),
    ),
    tier_labels=LABELS,
)


def test_a_future_dated_tariff_is_known_before_it_starts() -> None:
    s = schedule(tariffs=(TOU, TOU_2027))
    new_year_eve = utc(2026, 12, 31, 20)
    assert ts.future_tariff(s, new_year_eve) == TOU_2027
    assert ts.tariff_at(s, new_year_eve) == TOU
    change = ts.next_change(s, new_year_eve)
    assert change is not None
    assert change.at == NEW_YEAR
    assert change.quote.pence_per_kwh == D("16.95")  # the new tariff's off-peak
    assert change.quote.tariff == TOU_2027
    assert ts.future_tariff(s, NEW_YEAR) is None
    on_the_day = ts.price_at(s, utc(2027, 1, 4, 10))
    assert on_the_day is not None
    assert on_the_day.pence_per_kwh == D("24.86")


def test_a_newer_announcement_for_the_same_start_wins() -> None:
    corrected = replace(TOU_2027, tariff_id=3, event_id=6, label="Flex Saver 2027b")
    s = schedule(tariffs=(TOU, TOU_2027, corrected))
    assert ts.tariff_at(s, utc(2027, 1, 2)) == corrected


# -- blocks ------------------------------------------------------------------------------------

BLOCK = TariffPlan(
    tariff_id=4,
    label="Block 2026",
    scheme=ChargingScheme.BLOCK,
    threshold_count=3,
    prices=(
        TierPrice(tier=0, block=1, pence_per_kwh=D("21.00")),
        TierPrice(tier=0, block=2, pence_per_kwh=D("25.00")),
        TierPrice(tier=0, block=3, pence_per_kwh=D("29.00")),
        TierPrice(tier=0, block=4, pence_per_kwh=D("33.00")),
    ),
    # GB test data: 1000000, 2000000, 3000000 with divisor 1000
    thresholds=(BlockThresholds(tier=0, kwh=(D(1000), D(2000), D(3000))),),
)
YEAR = BlockPeriod(starts=utc(2026, 1, 1), ends=utc(2027, 1, 1), used_kwh=D(412))


@pytest.mark.parametrize(
    ("used", "block", "threshold", "pence"),
    [
        (D(412), 1, D(1000), D("21.00")),
        (D(1000), 2, D(2000), D("25.00")),  # the threshold itself starts the next block
        (D("2999.999"), 3, D(3000), D("29.00")),
        (D(3200), 4, None, D("33.00")),
    ],
)
def test_block_position(
    used: Decimal, block: int, threshold: Decimal | None, pence: Decimal
) -> None:
    s = schedule(tariffs=(BLOCK,), calendars=(), block_period=replace(YEAR, used_kwh=used))
    position = ts.block_position(s, utc(2026, 8, 1))
    assert position is not None
    assert (position.block, position.used_kwh, position.threshold_kwh) == (block, used, threshold)
    assert position.pence_per_kwh == pence
    quote = ts.price_at(s, utc(2026, 8, 1))
    assert quote is not None
    assert (quote.block, quote.pence_per_kwh) == (block, pence)


def test_a_block_period_ending_starts_again_at_the_first_block() -> None:
    s = schedule(tariffs=(BLOCK,), calendars=(), block_period=replace(YEAR, used_kwh=D(2500)))
    change = ts.next_change(s, utc(2026, 12, 31, 23))
    assert change is not None
    assert change.at == utc(2027, 1, 1)
    assert (change.quote.block, change.quote.pence_per_kwh) == (1, D("21.00"))
    assert ts.block_position(s, utc(2027, 1, 2)) is None  # a period we have no figure for
    assert ts.block_position(schedule(), utc(2026, 8, 1)) is None  # not a block tariff


def test_block_and_time_of_use_together() -> None:
    plan = TariffPlan(
        tariff_id=5,
        scheme=ChargingScheme.BLOCK_TOU,
        prices=(
            TierPrice(tier=1, block=1, pence_per_kwh=D("15.00")),
            TierPrice(tier=1, block=2, pence_per_kwh=D("18.00")),
            TierPrice(tier=2, block=1, pence_per_kwh=D("22.00")),
            TierPrice(tier=2, block=2, pence_per_kwh=D("26.00")),
            TierPrice(tier=3, block=1, pence_per_kwh=D("34.00")),
            TierPrice(tier=3, block=2, pence_per_kwh=D("39.00")),
        ),
        thresholds=(BlockThresholds(tier=0, kwh=(D(1000),)),),
        tier_labels=LABELS,
    )
    s = schedule(tariffs=(plan,), block_period=replace(YEAR, used_kwh=D(1200)))
    quote = ts.price_at(s, utc(2026, 1, 12, 17))
    assert quote is not None
    assert (quote.label, quote.block, quote.pence_per_kwh) == (
        "Peak",
        2,
        D("39.00"),
    )
    change = ts.next_change(s, utc(2026, 1, 12, 17))
    assert change is not None
    assert change.at == utc(2026, 1, 12, 19)
    assert change.quote.pence_per_kwh == D("26.00")
    position = ts.block_position(s, utc(2026, 1, 12, 17))
    assert position is not None
    assert (position.block, position.threshold_kwh) == (2, None)


# -- 48 rates ----------------------------------------------------------------------------------


def test_a_48_rate_half_hourly_tariff() -> None:
    prices = tuple(TierPrice(tier=n, block=1, pence_per_kwh=D(10) + D(n) / 4) for n in range(1, 49))
    plan = TariffPlan(tariff_id=48, label="Agile-like", prices=prices, tier_count=48)
    calendar = RateCalendar(
        calendar_id=48,
        days=(DayProfile(day_id=1, entries=tuple((30 * (n - 1), n) for n in range(1, 49))),),
        weeks=(WeekProfile(week_id=1, days=(1,) * 7),),
    )
    s = schedule(tariffs=(plan,), calendars=(calendar,))
    day = ts.bands(s, date(2026, 1, 12))
    assert len(day) == 48
    assert day[-1].quote.tier == 48
    assert day[-1].quote.pence_per_kwh == D("22.00")
    change = ts.next_change(s, utc(2026, 1, 12, 23, 40))
    assert change is not None
    assert (change.at, change.quote.tier) == (utc(2026, 1, 13), 1)
    # BST: the half-hours follow the local clock, and the 23-hour day has 46.
    assert len(ts.bands(s, date(2026, 3, 29))) == 46


# -- no calendar: published and scheduled prices -----------------------------------------------


def _price(tier: int, label: str, pence: str, starts: datetime, minutes: int | None) -> Price:
    return Price(
        time=starts,
        fuel=Fuel.ELECTRICITY,
        pence_per_kwh=D(pence),
        standing_charge_pence_per_day=D("53.80"),
        tier=tier,
        tier_label=label,
        starts=starts,
        ends=None if minutes is None else starts + timedelta(minutes=minutes),
    )


def test_scheduled_prices_alone_name_the_next_change() -> None:
    now = _price(2, "Standard", "24.50", utc(2026, 1, 12, 7), 9 * 60)
    peak = _price(3, "Peak", "36.80", utc(2026, 1, 12, 16), 3 * 60)
    s = schedule(tariffs=(), calendars=(), prices=(now, peak))
    change = ts.next_change(s, utc(2026, 1, 12, 10))
    assert change is not None
    assert (change.at, change.quote.label, change.quote.pence_per_kwh) == (
        utc(2026, 1, 12, 16),
        "Peak",
        D("36.80"),
    )
    # After the last scheduled price ends, nothing more is known: no change is invented.
    assert ts.next_change(s, utc(2026, 1, 12, 17)) is None


def test_a_calendar_without_a_price_matrix_prices_tiers_from_published_prices() -> None:
    heard = (
        _price(1, "Off-peak", "17.45", utc(2026, 1, 12, 0), 7 * 60),
        _price(2, "Standard", "24.50", utc(2026, 1, 12, 7), 9 * 60),
        _price(3, "Peak", "36.80", utc(2026, 1, 11, 16), 3 * 60),
    )
    s = schedule(tariffs=(), prices=heard)
    change = ts.next_change(s, utc(2026, 1, 12, 10))
    assert change is not None
    assert (change.at, change.quote.pence_per_kwh) == (utc(2026, 1, 12, 16), D("36.80"))


def test_nothing_known_means_no_price() -> None:
    empty = schedule(tariffs=(), calendars=())
    assert ts.price_at(empty, utc(2026, 1, 12)) is None
    assert ts.next_change(empty, utc(2026, 1, 12)) is None
    assert ts.bands(empty, date(2026, 1, 12)) == ()
