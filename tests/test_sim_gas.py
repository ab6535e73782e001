"""The simulated gas meter: volume, kWh by CV and CF, charging, and the battery projection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from fractions import Fraction

from device_backend.model import Fuel, PaymentMode, SupplyState
from device_backend.simulator.gas import (
    BatterySpec,
    GasBattery,
    GasMeter,
    RadioDuty,
    TransactionKind,
)
from device_backend.simulator.household import Household
from device_backend.simulator.prepayment import PrepaymentAccount, PrepaymentSettings
from device_backend.simulator.scenario import load_scenario
from device_backend.simulator.tariff import SingleRateTariff
from device_backend.units import gas_kwh

MONDAY = datetime(2026, 1, 12, tzinfo=UTC)
GAS_TARIFF = SingleRateTariff(
    label="Gas", standing_charge_pence_per_day=D("32.10"), pence_per_kwh=D("6.30")
)


def run(
    meter: GasMeter, start: datetime, end: datetime, step: timedelta = timedelta(seconds=10)
) -> None:
    t = start
    while t < end:
        t = min(end, t + step)
        meter.advance(t)


def credit_account(start: datetime) -> PrepaymentAccount:
    return PrepaymentAccount(
        PrepaymentSettings(mode=PaymentMode.CREDIT), GAS_TARIFF, start, fuel=Fuel.GAS
    )


def test_kwh_follows_volume_cv_and_conversion_factor() -> None:
    home = Household(12)
    acct = credit_account(MONDAY)
    meter = GasMeter(home, MONDAY, account=acct, calorific_value=D("39.5"))
    run(meter, MONDAY, MONDAY + timedelta(days=1))
    litres = meter.volume_register
    assert litres == home.gas_volume_ml(MONDAY, MONDAY + timedelta(days=1)) // 1000
    assert 3_000 < litres < 12_000  # 3-12 m3 on a January day
    exact = Fraction(litres, 1000) * Fraction(D("1.02264")) * Fraction(D("39.5")) / Fraction(36, 10)
    assert meter._energy == exact
    assert abs(meter.energy_kwh - gas_kwh(meter.volume_m3, D("39.5"))) < D("1e-20")
    assert acct.energy_charged == exact * Fraction(D("6.30"))


def test_a_new_calorific_value_applies_from_its_time() -> None:
    home = Household(12)
    meter = GasMeter(home, MONDAY, calorific_value=D("39.5"))
    noon = MONDAY + timedelta(hours=12)
    meter.set_calorific_value(D("38.9"), noon)
    run(meter, MONDAY, MONDAY + timedelta(days=1), timedelta(minutes=30))
    morning = home.gas_volume_ml(MONDAY, noon) // 1000
    total = meter.volume_register
    expected = gas_kwh(D(morning) / 1000, D("39.5")) + gas_kwh(D(total - morning) / 1000, D("38.9"))
    assert abs(meter.energy_kwh - expected) < D("1e-20")
    assert meter.kwh_per_m3(noon) == gas_kwh(1, D("38.9"))


def test_valve_closed_while_supply_is_disabled() -> None:
    home = Household(12)
    acct = PrepaymentAccount(
        PrepaymentSettings(
            mode=PaymentMode.PREPAYMENT, start_credit_pence=0, emergency_credit_limit_pence=0
        ),
        GAS_TARIFF,
        MONDAY + timedelta(hours=10),
        fuel=Fuel.GAS,
    )
    meter = GasMeter(home, MONDAY + timedelta(hours=10), account=acct)
    run(meter, MONDAY + timedelta(hours=10), MONDAY + timedelta(hours=16))
    assert acct.supply is SupplyState.OFF
    assert meter.volume_register == 0
    assert meter.flow_m3_per_hour(MONDAY + timedelta(hours=12)) == 0


def test_battery_drain_is_sleep_plus_transactions() -> None:
    spec = BatterySpec(
        capacity_mah=1000,
        usable_fraction=D(1),
        sleep_current_ua=D(10),
        wake_uc=100,
        report_uc=200,
        reply_uc=50,
    )
    battery = GasBattery(spec, MONDAY)
    battery.advance(MONDAY + timedelta(hours=1))
    battery.transaction(TransactionKind.REPORT, 3)
    battery.transaction("wake")
    assert battery.used_uc == 10 * 3600 + 3 * 200 + 100
    assert battery.transactions[TransactionKind.REPORT] == 3


def battery_after_two_days(scenario_name: str) -> GasBattery:
    scenario = load_scenario(scenario_name)
    assert scenario.gas is not None
    battery = GasBattery(scenario.gas.battery, scenario.start, scenario.gas.radio)
    t = scenario.start
    for _ in range(2 * 24):
        battery.apply_duty(t, t + timedelta(hours=1))
        t += timedelta(hours=1)
    return battery


def test_chatty_radio_projects_well_short_of_design_life() -> None:
    normal = battery_after_two_days("credit-dual-fuel")
    stressed = battery_after_two_days("gas-battery-stress")
    assert normal.meets_design_life
    assert normal.projected_life_years() >= 15
    assert stressed.projected_life_years() < 5
    assert not stressed.meets_design_life
    assert stressed.daily_drain_uc() > 5 * normal.daily_drain_uc()
    assert 0 < stressed.remaining_days() < normal.remaining_days() <= 0xFFFE
    assert stressed.transactions[TransactionKind.WAKE] == 2 * 8640


def test_duty_counts_scheduled_transactions_by_the_clock() -> None:
    battery = GasBattery(
        BatterySpec(), MONDAY, RadioDuty(poll_interval_s=60, report_interval_s=1800)
    )
    battery.apply_duty(MONDAY, MONDAY + timedelta(hours=1))
    assert battery.transactions[TransactionKind.WAKE] == 60
    assert battery.transactions[TransactionKind.REPORT] == 2
    assert battery.transactions[TransactionKind.REPLY] == 2
