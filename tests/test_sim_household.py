"""The household load model: exact energy sums, determinism, daily and seasonal shape."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from device_backend.simulator.household import Household, HouseholdProfile, sun_times

JAN = datetime(2026, 1, 12, tzinfo=UTC)  # a Monday
JUNE = datetime(2026, 6, 15, tzinfo=UTC)


def test_ten_second_energies_sum_exactly_to_each_half_hour() -> None:
    home = Household(11, HouseholdProfile(solar_kwp=3.0))
    step = timedelta(seconds=10)
    for day_start in (JAN, JUNE):
        for half_hour in range(48):
            start = day_start + timedelta(minutes=30 * half_hour)
            whole = home.electric_energy(start, start + timedelta(minutes=30))
            parts = [
                home.electric_energy(start + i * step, start + (i + 1) * step) for i in range(180)
            ]
            assert sum(p.import_j for p in parts) == whole.import_j
            assert sum(p.export_j for p in parts) == whole.export_j
            gas = sum(
                home.gas_volume_ml(start + i * step, start + (i + 1) * step) for i in range(180)
            )
            assert gas == home.gas_volume_ml(start, start + timedelta(minutes=30))


def test_uneven_splits_across_midnight_sum_exactly() -> None:
    home = Household(3)
    start = JAN - timedelta(hours=1, seconds=7)
    cuts = [start + timedelta(seconds=s) for s in (0, 13, 999, 3607, 3613, 7201, 9000)]
    pieces = [home.electric_energy(a, b).import_j for a, b in itertools.pairwise(cuts)]
    assert sum(pieces) == home.electric_energy(cuts[0], cuts[-1]).import_j


def test_vectorised_series_matches_interval_queries() -> None:
    home = Household(5, HouseholdProfile(solar_kwp=4.0))
    series = home.series(JUNE, JUNE + timedelta(days=2), 1800)
    assert len(series.starts) == 96
    for i in (0, 17, 40, 95):
        start = JUNE + timedelta(minutes=30 * i)
        energy = home.electric_energy(start, start + timedelta(minutes=30))
        assert (series.import_j[i], series.export_j[i]) == (energy.import_j, energy.export_j)
        assert series.gas_ml[i] == home.gas_volume_ml(start, start + timedelta(minutes=30))


def test_same_seed_same_output_different_seed_different() -> None:
    a = Household(42).series(JAN, JAN + timedelta(days=3), 600)
    b = Household(42).series(JAN, JAN + timedelta(days=3), 600)
    c = Household(43).series(JAN, JAN + timedelta(days=3), 600)
    assert np.array_equal(a.import_j, b.import_j)
    assert np.array_equal(a.gas_ml, b.gas_ml)
    assert not np.array_equal(a.import_j, c.import_j)


def test_a_day_does_not_depend_on_the_days_simulated_before_it() -> None:
    target = date(2026, 2, 20)
    fresh = Household(9).day(target)
    warmed = Household(9)
    for offset in range(5, 0, -1):
        warmed.day(target - timedelta(days=offset))
    assert np.array_equal(fresh.load_w, warmed.day(target).load_w)
    assert np.array_equal(fresh.gas_mlps, warmed.day(target).gas_mlps)


@pytest.mark.parametrize(
    ("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 7, 1), 24)]
)
def test_local_days_follow_uk_clock_changes(day: date, hours: int) -> None:
    home = Household(1)
    assert home.day(day).n * 10 == hours * 3600


def test_evening_peak_and_quiet_night() -> None:
    home = Household(21, HouseholdProfile(occupants=3))
    # Over a fortnight, 17:00-21:00 local uses far more than 02:00-05:00.
    evening = night = 0
    for d in range(14):
        day = JAN + timedelta(days=d)
        evening += home.electric_energy(
            day + timedelta(hours=17), day + timedelta(hours=21)
        ).import_j
        night += home.electric_energy(day + timedelta(hours=2), day + timedelta(hours=5)).import_j
    assert evening > 3 * night


def test_weekdays_are_emptier_than_weekends_in_the_daytime() -> None:
    home = Household(8, HouseholdProfile(occupants=2))
    weekday = weekend = 0
    for d in range(28):
        day = JAN + timedelta(days=d)
        energy = home.electric_energy(day + timedelta(hours=10), day + timedelta(hours=15)).import_j
        if day.weekday() >= 5:
            weekend += energy
        else:
            weekday += energy
    assert weekend / 8 > 1.3 * weekday / 20


def test_gas_heating_season_and_hot_water() -> None:
    home = Household(4)
    january = home.series(JAN, JAN + timedelta(days=7), 86400).gas_ml.sum()
    july = home.series(
        datetime(2026, 7, 6, tzinfo=UTC), datetime(2026, 7, 13, tzinfo=UTC), 86400
    ).gas_ml.sum()
    assert july > 0  # showers and washing-up all year
    assert january > 4 * july


def test_solar_exports_by_day_not_at_night() -> None:
    home = Household(6, HouseholdProfile(solar_kwp=4.0))
    rise, sets = sun_times(date(2026, 6, 15))
    assert rise.hour in (3, 4)
    assert sets.hour in (20, 21)
    week = home.series(JUNE, JUNE + timedelta(days=7), 3600)
    by_hour = week.export_j.reshape(7, 24).sum(axis=0)
    assert by_hour[0:3].sum() == 0
    assert by_hour[22:24].sum() == 0
    assert by_hour[10:14].sum() > 0
    assert home.generation_watts(JUNE + timedelta(hours=1)) == 0


def test_load_control_switches_the_named_load_off() -> None:
    home = Household(6, HouseholdProfile(solar_kwp=4.0))
    noon = JUNE + timedelta(hours=11)
    before = home.electric_energy(noon, noon + timedelta(hours=1)).export_j
    home.control_load("solar", noon, noon + timedelta(hours=1))
    assert before > 0
    assert home.electric_energy(noon, noon + timedelta(hours=1)).export_j == 0
    assert home.generation_watts(noon + timedelta(minutes=5)) == 0
    with pytest.raises(ValueError, match="not a controllable load"):
        home.control_load("kettle", noon, noon + timedelta(hours=1))


def test_point_values_agree_with_energy() -> None:
    home = Household(2, HouseholdProfile(solar_kwp=2.0))
    t = JUNE + timedelta(hours=12, seconds=20)
    energy = home.electric_energy(t, t + timedelta(seconds=10))
    watts = home.electric_watts(t)
    assert energy.import_j - energy.export_j == watts * 10
    assert home.gas_m3_per_hour(t) * 1_000_000 == home.gas_ml_per_second(t) * 3600
