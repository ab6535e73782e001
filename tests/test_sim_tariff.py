"""Tariffs: tiers by local time, next change, Economy 7, blocks, scheduled price changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from fractions import Fraction

import pytest

from device_backend.simulator.tariff import (
    Block,
    BlockTariff,
    BlockTouTariff,
    SingleRateTariff,
    TariffSchedule,
    Tier,
    TimeBand,
    TimeOfUseTariff,
    economy7,
    england_bank_holidays,
    parse_clock_range,
)
from device_backend.simulator.tou_calendar import (
    DayProfile,
    Season,
    SpecialDay,
    TouCalendar,
    WeekProfile,
)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def peak_tariff() -> TimeOfUseTariff:
    off_start, off_end = parse_clock_range("00:00-07:00")
    peak_start, peak_end = parse_clock_range("16:00-19:00")
    return TimeOfUseTariff(
        label="Peak test",
        standing_charge_pence_per_day=D("53.80"),
        tier_list=(
            Tier(tier=1, label="Off-peak", pence_per_kwh=D("17.45")),
            Tier(tier=2, label="Standard", pence_per_kwh=D("24.50")),
            Tier(tier=3, label="Peak", pence_per_kwh=D("36.80")),
        ),
        bands=(
            TimeBand(start=off_start, end=off_end, tier=1),
            TimeBand(start=peak_start, end=peak_end, tier=3),
        ),
        default_tier=2,
    )


def test_time_of_use_prices_follow_local_time() -> None:
    tariff = peak_tariff()
    assert tariff.price_at(utc(2026, 1, 12, 16, 30)) == (3, "Peak", D("36.80"))
    # In summer 16:30 UTC is 17:30 BST, still peak; 15:30 UTC is 16:30 BST, peak too.
    assert tariff.price_at(utc(2026, 7, 1, 15, 30)).label == "Peak"
    assert tariff.price_at(utc(2026, 1, 12, 15, 30)).label == "Standard"
    assert tariff.price_at(utc(2026, 1, 12, 6, 59)).tier == 1


def test_next_change_after() -> None:
    tariff = peak_tariff()
    change = tariff.next_change_after(utc(2026, 1, 12, 10, 0))
    assert change is not None
    assert change.at == utc(2026, 1, 12, 16, 0)
    assert change.tier == 3
    assert change.label == "Peak"
    after_peak = tariff.next_change_after(utc(2026, 1, 12, 16, 0))
    assert after_peak is not None
    assert after_peak.at == utc(2026, 1, 12, 19, 0)
    overnight = tariff.next_change_after(utc(2026, 1, 12, 20, 0))
    assert overnight is not None
    assert overnight.at == utc(2026, 1, 13, 0, 0)
    assert (
        SingleRateTariff(
            label="x", standing_charge_pence_per_day=D(54), pence_per_kwh=D("24.5")
        ).next_change_after(utc(2026, 1, 1))
        is None
    )


def test_economy7_night_is_local_time_unless_utc_clock() -> None:
    e7 = economy7(
        day_pence_per_kwh=D("28.4"),
        night_pence_per_kwh=D("13.9"),
        standing_charge_pence_per_day=D("53.1"),
    )
    assert e7.price_at(utc(2026, 1, 12, 0, 30)).label == "Night"
    assert e7.price_at(utc(2026, 1, 12, 7, 30)).label == "Day"
    # 23:45 UTC in July is 00:45 BST: night on the local clock, day on a GMT clock.
    assert e7.price_at(utc(2026, 7, 1, 23, 45)).label == "Night"
    gmt = economy7(
        day_pence_per_kwh=D("28.4"),
        night_pence_per_kwh=D("13.9"),
        standing_charge_pence_per_day=D("53.1"),
        utc_clock=True,
    )
    assert gmt.price_at(utc(2026, 7, 1, 23, 45)).label == "Day"
    assert [t.label for t in e7.tiers] == ["Day", "Night"]


def test_weekend_bands_apply_on_weekends_and_bank_holidays() -> None:
    start, end = parse_clock_range("16:00-19:00")
    tariff = TimeOfUseTariff(
        label="Weekday peak",
        standing_charge_pence_per_day=D(50),
        tier_list=(
            Tier(tier=1, label="Standard", pence_per_kwh=D(24)),
            Tier(tier=2, label="Peak", pence_per_kwh=D(35)),
        ),
        bands=(TimeBand(start=start, end=end, tier=2),),
        default_tier=1,
        weekend_bands=(),
    )
    assert tariff.price_at(utc(2026, 1, 12, 17)).label == "Peak"  # Monday
    assert tariff.price_at(utc(2026, 1, 17, 17)).label == "Standard"  # Saturday
    assert tariff.price_at(utc(2026, 4, 6, 16)).label == "Standard"  # Easter Monday


def test_block_tariff_splits_energy_at_thresholds() -> None:
    tariff = BlockTariff(
        label="Blocks",
        standing_charge_pence_per_day=D(50),
        period="day",
        blocks=(
            Block(label="First", pence_per_kwh=D(20), up_to_kwh=D(5)),
            Block(label="Rest", pence_per_kwh=D(30)),
        ),
    )
    t = utc(2026, 1, 12, 12)
    assert tariff.price_at(t, 0).label == "First"
    assert tariff.price_at(t, 5).label == "Rest"
    assert tariff.cost_pence(t, t + timedelta(hours=1), 2, used_kwh=4) == Fraction(20 + 30)
    change = tariff.next_change_after(t)
    assert change is not None
    assert change.at == utc(2026, 1, 13, 0)
    assert change.tier == 1


def test_time_of_use_cost_splits_an_interval_across_a_change() -> None:
    tariff = peak_tariff()
    cost = tariff.cost_pence(utc(2026, 1, 12, 15, 30), utc(2026, 1, 12, 16, 30), 2)
    assert cost == Fraction(D("24.50")) + Fraction(D("36.80"))


def test_schedule_applies_a_price_change_from_its_time() -> None:
    old = SingleRateTariff(label="Old", standing_charge_pence_per_day=D(50), pence_per_kwh=D(24))
    new = SingleRateTariff(label="New", standing_charge_pence_per_day=D(55), pence_per_kwh=D(26))
    schedule = TariffSchedule(old)
    when = utc(2026, 2, 1)
    schedule.change_at(when, new)
    assert schedule.price_at(when - timedelta(seconds=1)).pence_per_kwh == 24
    change = schedule.next_change_after(when - timedelta(hours=1))
    assert change is not None
    assert change.at == when
    assert change.pence_per_kwh == 26
    assert schedule.standing_charge_at(when) == 55
    assert schedule.cost_pence(when - timedelta(hours=1), when + timedelta(hours=1), 2) == 50


def test_england_bank_holidays_2026() -> None:
    assert england_bank_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    }


@pytest.mark.parametrize("text", ["16:00", "25:00-01:00", "4pm-7pm", "16:00-19:0"])
def test_bad_clock_ranges_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"clock range|time of day"):
        parse_clock_range(text)


# --- calendars and block + time of use (issue 18) ---------------------------------------------


def seasonal_calendar() -> TouCalendar:
    return TouCalendar(
        name="Seasons",
        day_profiles=(
            DayProfile(day_id=1, name="winter", switches=((0, 1), (16 * 60, 2))),
            DayProfile(day_id=2, name="summer", switches=((0, 1), (12 * 60, 2))),
            DayProfile(day_id=3, name="holiday", switches=((0, 1),)),
        ),
        week_profiles=(
            WeekProfile(week_id=1, name="winter", day_ids=(1,) * 7),
            WeekProfile(week_id=2, name="summer", day_ids=(2,) * 7),
        ),
        seasons=(Season(month=10, day=26, week_id=1), Season(month=4, day=1, week_id=2)),
        special_days=(SpecialDay(day=date(2026, 10, 27), day_id=2),),
        bank_holiday_day_id=3,
    )


def test_a_calendar_picks_special_days_then_bank_holidays_then_the_season_s_week() -> None:
    calendar = seasonal_calendar()
    assert calendar.day_profile_on(date(2026, 1, 5)).name == "winter"  # the last season wraps
    assert calendar.day_profile_on(date(2026, 4, 1)).name == "summer"
    assert calendar.day_profile_on(date(2026, 4, 3)).name == "holiday"  # Good Friday
    assert calendar.day_profile_on(date(2026, 10, 26)).name == "winter"
    assert calendar.day_profile_on(date(2026, 10, 27)).name == "summer"  # the special day
    assert calendar.season_starts(date(2026, 3, 30), date(2026, 12, 31)) == [
        (date(2025, 10, 26), 1),
        (date(2026, 4, 1), 2),
        (date(2026, 10, 26), 1),
    ]
    tariff = TimeOfUseTariff(
        label="Seasonal",
        standing_charge_pence_per_day=D(40),
        tier_list=(
            Tier(tier=1, label="Low", pence_per_kwh=D(10)),
            Tier(tier=2, label="High", pence_per_kwh=D(30)),
        ),
        bands=(),
        default_tier=1,
        calendar=calendar,
    )
    # 13:00 BST on 31 March is winter (low until 16:00), on 1 April summer (high from 12:00).
    assert tariff.price_at(utc(2026, 3, 31, 12)).label == "Low"
    assert tariff.price_at(utc(2026, 4, 1, 12)).label == "High"
    change = tariff.next_change_after(utc(2026, 4, 2, 12))
    assert change is not None
    assert (change.at, change.label) == (utc(2026, 4, 2, 23), "Low")  # midnight BST
    after = tariff.next_change_after(change.at)
    assert after is not None
    # Good Friday (a bank holiday) stays low all day; Saturday is high from noon BST.
    assert (after.at, after.label) == (utc(2026, 4, 4, 11), "High")
    with pytest.raises(ValueError, match=r"the calendar uses tier 1, not one of \[3\]"):
        TimeOfUseTariff(
            label="Bad",
            standing_charge_pence_per_day=D(40),
            tier_list=(Tier(tier=3, label="x", pence_per_kwh=D(1)),),
            bands=(),
            default_tier=3,
            calendar=calendar,
        )


def test_block_and_time_of_use_costs_split_at_the_switch_and_the_threshold() -> None:
    night_start, night_end = parse_clock_range("00:00-07:00")
    tou = TimeOfUseTariff(
        label="Two rate",
        standing_charge_pence_per_day=D(40),
        tier_list=(
            Tier(tier=1, label="Night", pence_per_kwh=D(10)),
            Tier(tier=2, label="Day", pence_per_kwh=D(30)),
        ),
        bands=(TimeBand(start=night_start, end=night_end, tier=1),),
        default_tier=2,
    )
    tariff = BlockTouTariff(
        label="Blocks by time",
        standing_charge_pence_per_day=D(40),
        tou=tou,
        thresholds_kwh=(D(1),),
        block_prices=((1, (D(10), D(20))), (2, (D(30), D(40)))),
        period="day",
    )
    # 06:00-08:00 GMT, 4 kWh evenly: 1 kWh of night at block 1 (10p), 1 at block 2 (20p),
    # then 2 kWh of day at block 2 (40p): 110p.
    assert tariff.cost_pence(utc(2026, 1, 12, 6), utc(2026, 1, 12, 8), 4) == 110
    assert tariff.price_at(utc(2026, 1, 12, 9), used_kwh=D("0.5")).pence_per_kwh == 30
    assert tariff.price_at(utc(2026, 1, 12, 9), used_kwh=1) == (2, "Day", D(40))
    change = tariff.next_change_after(utc(2026, 1, 12, 20))
    assert change is not None
    assert (change.at, change.label, change.pence_per_kwh) == (utc(2026, 1, 13), "Night", D(10))
    # The day block period follows the local calendar: 25 October 2026 lasts 25 hours.
    assert tariff.block_period_start(utc(2026, 10, 25, 12)) == utc(2026, 10, 24, 23)
    assert tariff.block_period_end(utc(2026, 10, 25, 12)) == utc(2026, 10, 26, 0)
    with pytest.raises(ValueError, match="needs 2 block prices"):
        BlockTouTariff(
            label="Bad",
            standing_charge_pence_per_day=D(40),
            tou=tou,
            thresholds_kwh=(D(1),),
            block_prices=((1, (D(10),)), (2, (D(30), D(40)))),
        )


def test_a_yearly_block_period_runs_from_local_new_year() -> None:
    tariff = BlockTariff(
        label="Yearly",
        standing_charge_pence_per_day=D(40),
        blocks=(
            Block(label="1", pence_per_kwh=D(20), up_to_kwh=D(1000)),
            Block(label="2", pence_per_kwh=D(30)),
        ),
        period="year",
    )
    assert tariff.block_period_start(utc(2026, 7, 1)) == utc(2026, 1, 1)
    assert tariff.block_period_end(utc(2026, 7, 1)) == utc(2027, 1, 1)
    assert tariff.block_index(D(1000)) == 1
