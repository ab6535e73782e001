"""Prepayment accounting a household relies on: to the penny, top-ups, EC, friendly credit, supply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from fractions import Fraction

import pytest

from device_backend.model import Fuel, PaymentMode, SupplyState, TopUpOutcome
from device_backend.simulator.electricity import ElectricityMeter
from device_backend.simulator.household import Household, HouseholdProfile
from device_backend.simulator.prepayment import (
    CreditStatus,
    FriendlyCredit,
    OriginatingDevice,
    PrepaymentAccount,
    PrepaymentSettings,
    ResultType,
    UtrnCounterCache,
)
from device_backend.simulator.tariff import (
    SingleRateTariff,
    Tier,
    TimeBand,
    TimeOfUseTariff,
    economy7,
    parse_clock_range,
)
from device_backend.utrn import issue_utrn, validate_utrn

KEY = bytes.fromhex("00112233445566778899aabbccddeeff")
METER = "00-1A-2B-3C-00-00-E1-99"
MONDAY = datetime(2026, 1, 12, tzinfo=UTC)  # GMT, so UTC is the local clock


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def tou() -> TimeOfUseTariff:
    off = parse_clock_range("00:00-07:00")
    peak = parse_clock_range("16:00-19:00")
    return TimeOfUseTariff(
        label="Peak test",
        standing_charge_pence_per_day=D("53.80"),
        tier_list=(
            Tier(tier=1, label="Off-peak", pence_per_kwh=D("17.45")),
            Tier(tier=2, label="Standard", pence_per_kwh=D("24.50")),
            Tier(tier=3, label="Peak", pence_per_kwh=D("36.80")),
        ),
        bands=(
            TimeBand(start=off[0], end=off[1], tier=1),
            TimeBand(start=peak[0], end=peak[1], tier=3),
        ),
        default_tier=2,
    )


def flat(price: int = 100, standing: int = 0) -> SingleRateTariff:
    return SingleRateTariff(
        label="Flat", standing_charge_pence_per_day=D(standing), pence_per_kwh=D(price)
    )


def account(
    start: datetime, *, tariff: SingleRateTariff | TimeOfUseTariff | None = None, **settings: object
) -> PrepaymentAccount:
    values: dict[str, object] = {"mode": PaymentMode.PREPAYMENT, "start_credit_pence": 1000}
    values.update(settings)
    return PrepaymentAccount(
        PrepaymentSettings(**values),
        tariff or flat(),
        start,  # type: ignore[arg-type]
        meter_id=METER,
        utrn_key=KEY,
    )


def run_meter(meter: ElectricityMeter, start: datetime, end: datetime) -> None:
    t = start
    while t < end:
        t += timedelta(seconds=10)
        meter.advance(t)


def test_a_day_of_credit_equals_half_hourly_energy_cost_standing_charge_and_recovery() -> None:
    home = Household(31, HouseholdProfile(occupants=3))
    acct = account(
        MONDAY,
        tariff=tou(),
        start_credit_pence=5000,
        debt_pence=2000,
        debt_recovery_pence_per_day=D(35),
    )
    meter = ElectricityMeter(home, acct, MONDAY)
    end = MONDAY + timedelta(days=1)
    run_meter(meter, MONDAY, end)
    snap = acct.snapshot(end)

    # Independently: each half-hour's kWh at the price of its tier.
    prices = {1: D("17.45"), 2: D("24.50"), 3: D("36.80")}
    energy_cost = Fraction(0)
    total_j = 0
    for half_hour in range(48):
        start = MONDAY + timedelta(minutes=30 * half_hour)
        joules = home.electric_energy(start, start + timedelta(minutes=30)).import_j
        hour = half_hour / 2
        tier = 1 if hour < 7 else 3 if 16 <= hour < 19 else 2
        energy_cost += Fraction(joules, 3_600_000) * Fraction(prices[tier])
        total_j += joules
    charges = energy_cost + Fraction(D("53.80"))
    expected = 5000 - (charges.numerator // charges.denominator) - 35
    assert snap.credit_pence == expected
    assert snap.debt_pence == 2000 - 35
    assert acct.energy_charged == energy_cost
    assert meter.import_wh == total_j // 3600
    assert 300 < 5000 - expected < 800  # a plausible winter day, so the test means something


def test_economy7_splits_energy_between_day_and_night_registers() -> None:
    home = Household(
        77, HouseholdProfile(gas_hot_water=False, gas_heating=False, storage_heater_kw=3.0)
    )
    e7 = economy7(
        day_pence_per_kwh=D("28.40"),
        night_pence_per_kwh=D("13.90"),
        standing_charge_pence_per_day=D("53.10"),
    )
    acct = account(MONDAY, tariff=e7, mode=PaymentMode.CREDIT)
    meter = ElectricityMeter(home, acct, MONDAY)
    run_meter(meter, MONDAY, MONDAY + timedelta(days=1))
    night_start, night_end = MONDAY + timedelta(minutes=30), MONDAY + timedelta(hours=7, minutes=30)
    night_j = home.electric_energy(night_start, night_end).import_j
    day_j = (
        home.electric_energy(MONDAY, night_start).import_j
        + home.electric_energy(night_end, MONDAY + timedelta(days=1)).import_j
    )
    assert meter.tier_registers_wh == {1: day_j // 3600, 2: night_j // 3600}
    assert meter.tier_wh(2) > meter.tier_wh(1)  # storage heaters charge at night
    assert acct.energy_charged == (
        Fraction(day_j, 3_600_000) * Fraction(D("28.40"))
        + Fraction(night_j, 3_600_000) * Fraction(D("13.90"))
    )


def test_top_up_is_accepted_once_then_refused_as_a_duplicate() -> None:
    acct = account(MONDAY)
    code = issue_utrn(KEY, 5, 1500, METER)
    first = acct.consumer_top_up(code, MONDAY + timedelta(minutes=1), OriginatingDevice.IHD)
    assert first.result is ResultType.ACCEPTED
    assert first.value_pence == 1500
    assert first.credit_remaining_pence == 2500
    again = acct.consumer_top_up(code, MONDAY + timedelta(minutes=2))
    assert again.result is ResultType.DUPLICATE
    assert again.to_event().outcome is TopUpOutcome.DUPLICATE
    assert acct.credit_pence == 2500
    replay = acct.consumer_top_up(issue_utrn(KEY, 5, 700, METER), MONDAY + timedelta(minutes=3))
    assert replay.result is ResultType.DUPLICATE  # same counter, different value
    log = acct.top_up_log
    assert len(log) == 1
    assert log[0].utrn_masked.endswith(code[-4:])
    assert "*" in log[0].utrn_masked
    assert log[0].source is OriginatingDevice.IHD
    assert log[0].value_pence == 1500


def test_the_utrn_counter_is_rebuilt_as_in_gbcs_table_27() -> None:
    # GBCS v1.0 release note (28 Nov 2014) Table 27: highest cached counter V = 2,458,896,167
    # and a PTUT truncated counter of 812 give the UTRN counter 2,458,896,172.
    cache = UtrnCounterCache(100)
    cache.add(2_458_896_167)
    assert cache.deduce(812) == 2_458_896_172
    assert cache.deduce(0b1100100111) == 2_458_896_167  # the same counter again
    assert cache.deduce(200) == 2_458_895_360 + 1024 + 200  # 200 < 807 - 512: wrapped


def test_a_meter_accepts_its_2000th_top_up_and_refuses_a_replay_of_any_of_its_last_100() -> None:
    # The old meter remembered every 10-bit counter and refused every code after its 1,023rd.
    acct = account(MONDAY, max_credit_pence=10_000_000, start_credit_pence=0)
    codes = [issue_utrn(KEY, n % 1024, 1, METER) for n in range(2000)]
    results = [acct.consumer_top_up(code, MONDAY) for code in codes]
    assert all(r.result is ResultType.ACCEPTED for r in results)
    assert acct.credit_pence == 2000
    assert len(acct.utrn_counters) == 100  # bounded: the meter keeps only recent counters
    for code in codes[-100:]:
        assert acct.consumer_top_up(code, MONDAY).result is ResultType.DUPLICATE
    assert acct.credit_pence == 2000
    # Older than everything the full cache holds: refused too, never credited twice.
    assert acct.consumer_top_up(codes[1850], MONDAY).result is ResultType.DUPLICATE
    assert acct.consumer_top_up(issue_utrn(KEY, 2000 % 1024, 1, METER), MONDAY).accepted


def test_out_of_order_codes_within_the_cache_are_accepted_once() -> None:
    acct = account(MONDAY, utrn_counter_cache=2)
    assert acct.consumer_top_up(issue_utrn(KEY, 100, 100, METER), MONDAY).accepted
    assert acct.consumer_top_up(issue_utrn(KEY, 90, 100, METER), MONDAY).accepted  # late, fine
    late = issue_utrn(KEY, 60, 100, METER)  # below the lowest of a full cache: a replay risk
    assert acct.consumer_top_up(late, MONDAY).result is ResultType.DUPLICATE


def test_valid_check_digit_but_wrong_mac_is_invalid() -> None:
    acct = account(MONDAY)
    other_key = issue_utrn(bytes(16 * [7]), 1, 1000, METER)
    other_meter = issue_utrn(KEY, 1, 1000, "00-1A-2B-3C-00-00-E1-98")
    for code in (other_key, other_meter):
        assert validate_utrn(code) == code  # length and check digit are fine
        response = acct.consumer_top_up(code, MONDAY)
        assert response.result is ResultType.INVALID
        assert response.result == 0x01
    good = issue_utrn(KEY, 1, 1000, METER)
    typo = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert acct.consumer_top_up(typo, MONDAY).result is ResultType.INVALID
    assert acct.consumer_top_up("1234", MONDAY).result is ResultType.INVALID
    assert acct.credit_pence == 1000
    assert acct.top_up_log == []
    assert acct.consumer_top_up(good, MONDAY).accepted  # a failed MAC does not burn the counter


def test_top_up_limits_and_credit_mode() -> None:
    acct = account(
        MONDAY, start_credit_pence=24_000, max_credit_pence=25_000, max_top_up_pence=10_000
    )
    assert (
        acct.consumer_top_up(issue_utrn(KEY, 1, 12_000, METER), MONDAY).result
        is ResultType.TOO_LARGE
    )
    assert (
        acct.consumer_top_up(issue_utrn(KEY, 2, 2_000, METER), MONDAY).result
        is ResultType.MAX_CREDIT
    )
    assert acct.consumer_top_up(issue_utrn(KEY, 3, 1_000, METER), MONDAY).accepted
    credit = account(MONDAY, mode=PaymentMode.CREDIT)
    assert credit.consumer_top_up(issue_utrn(KEY, 1, 500, METER), MONDAY).result is ResultType.ERROR


def test_keypad_locks_after_repeated_invalid_codes() -> None:
    acct = account(MONDAY, keypad_lock_after=3, keypad_lock_s=600)
    for _ in range(3):
        assert acct.consumer_top_up("73942983744751930730", MONDAY).result is ResultType.INVALID
    good = issue_utrn(KEY, 1, 1000, METER)
    assert (
        acct.consumer_top_up(good, MONDAY + timedelta(minutes=5)).result is ResultType.KEYPAD_LOCK
    )
    assert acct.consumer_top_up(good, MONDAY + timedelta(minutes=11)).accepted


def test_supply_is_disabled_outside_friendly_credit_armed_by_a_top_up_enabled_on_request() -> None:
    # SMETS2 (gb_domain.md §3): exhaustion disables (0x00), a top-up arms (0x01), the
    # household's LocalChangeSupply enables (0x02).
    ten_am = utc(2026, 1, 12, 10)
    acct = account(ten_am, start_credit_pence=50, emergency_credit_limit_pence=0)
    acct.charge_energy(ten_am, ten_am + timedelta(minutes=10), 1)  # 100p at 100p/kWh
    acct.accrue(ten_am + timedelta(minutes=10))
    assert acct.supply is SupplyState.OFF
    assert acct.supply_status == 0x00
    assert acct.credit_pence == 0
    assert acct.accumulated_debt_pence == 50
    assert acct.credit_status & CreditStatus.CREDIT_EXHAUSTED
    # Asking without credit changes nothing; a top-up alone does not reconnect either.
    assert acct.local_change_supply(ten_am + timedelta(minutes=11)) is SupplyState.OFF
    top_up = acct.consumer_top_up(issue_utrn(KEY, 1, 500, METER), ten_am + timedelta(minutes=12))
    assert top_up.result is ResultType.ACCEPTED_SUPPLY_ARMED
    assert top_up.result == 0x12
    assert acct.supply is SupplyState.ARMED
    assert acct.supply_status == 0x01
    assert acct.credit_pence == 450
    assert acct.accumulated_debt_pence == 0
    assert acct.local_change_supply(ten_am + timedelta(minutes=13)) is SupplyState.ON
    assert acct.supply_status == 0x02


def test_a_negative_cut_off_lets_the_balance_run_down_to_it_then_the_supply_goes_off() -> None:
    # SE 1.4 Prepayment CutOffValue (0x0007) is signed: below it the supply is disconnected.
    # Found with a hostile scenario: a negative cut-off never let the balance below zero, so
    # charges went to debt and the supply stayed on while debt grew without bound.
    ten_am = utc(2026, 1, 12, 10)
    acct = account(
        ten_am, start_credit_pence=50, emergency_credit_limit_pence=0, cut_off_pence=-300
    )
    acct.charge_energy(ten_am, ten_am + timedelta(minutes=10), 2)  # 200p at 100p/kWh
    acct.accrue(ten_am + timedelta(minutes=10))
    assert acct.supply is SupplyState.ON
    assert acct.credit_pence == -150
    assert acct.accumulated_debt_pence == 0
    acct.charge_energy(ten_am + timedelta(minutes=10), ten_am + timedelta(minutes=20), 2)
    acct.accrue(ten_am + timedelta(minutes=20))
    assert acct.supply is SupplyState.OFF  # 350p used against 50p credit and a -300p cut-off
    assert acct.credit_pence == -300
    assert acct.accumulated_debt_pence == 50  # only what went past the cut-off


def test_top_up_too_small_to_clear_debt_leaves_supply_disabled() -> None:
    ten_am = utc(2026, 1, 12, 10)
    acct = account(
        ten_am, start_credit_pence=0, accumulated_debt_pence=800, emergency_credit_limit_pence=0
    )
    acct.accrue(ten_am + timedelta(seconds=1))
    assert acct.supply is SupplyState.OFF
    response = acct.consumer_top_up(issue_utrn(KEY, 1, 500, METER), ten_am + timedelta(minutes=1))
    assert response.result is ResultType.ACCEPTED_SUPPLY_DISABLED
    assert response.result == 0x11
    assert acct.supply is SupplyState.OFF  # still below the threshold: not armed
    assert acct.local_change_supply(ten_am + timedelta(minutes=2)) is SupplyState.OFF
    # The next top-up clears the rest of the debt and lifts credit: armed, then on.
    second = acct.consumer_top_up(issue_utrn(KEY, 2, 500, METER), ten_am + timedelta(minutes=3))
    assert second.result is ResultType.ACCEPTED_SUPPLY_ARMED
    assert acct.local_change_supply(ten_am + timedelta(minutes=4)) is SupplyState.ON


def test_supply_stays_on_through_friendly_credit_then_is_disabled_when_it_ends() -> None:
    evening = utc(2026, 1, 12, 19)  # Monday 19:00, inside the default 18:00-08:00 window
    acct = account(evening, start_credit_pence=50, emergency_credit_limit_pence=0)
    assert acct.friendly_credit_active
    acct.charge_energy(evening, evening + timedelta(hours=1), 3)
    acct.accrue(utc(2026, 1, 13, 7, 59))
    assert acct.supply is SupplyState.ON
    assert acct.accumulated_debt_pence == 250
    acct.accrue(utc(2026, 1, 13, 8, 0, 10))
    assert acct.supply is SupplyState.OFF
    assert "supply_off" in [name for _, name in acct.alerts]


def test_friendly_credit_weekends_and_bank_holidays_are_optional() -> None:
    windows = FriendlyCredit.from_text(["18:00-08:00"], weekends=True, bank_holidays=True)
    assert windows.active_at(utc(2026, 1, 17, 12))  # Saturday noon
    assert windows.active_at(utc(2026, 4, 6, 12))  # Easter Monday
    assert not windows.active_at(utc(2026, 1, 12, 12))
    plain = FriendlyCredit.from_text(["18:00-08:00"])
    assert not plain.active_at(utc(2026, 1, 17, 12))
    assert plain.next_change_after(utc(2026, 1, 12, 12)) == utc(2026, 1, 12, 18)


def test_emergency_credit_offered_selected_used_and_repaid() -> None:
    ten_am = utc(2026, 1, 12, 10)
    acct = account(
        ten_am,
        start_credit_pence=300,
        emergency_credit_threshold_pence=200,
        emergency_credit_limit_pence=1000,
        low_credit_level_pence=250,
    )
    assert not acct.select_emergency_credit(ten_am)  # not offered above the threshold
    acct.charge_energy(ten_am, ten_am + timedelta(minutes=10), Fraction(3, 2))
    status = acct.snapshot(ten_am + timedelta(minutes=10)).credit_status
    assert status & CreditStatus.EC_AVAILABLE
    assert status & CreditStatus.LOW_CREDIT
    assert acct.select_emergency_credit(ten_am + timedelta(minutes=11))
    acct.charge_energy(ten_am + timedelta(minutes=11), ten_am + timedelta(minutes=30), 3)
    snap = acct.snapshot(ten_am + timedelta(minutes=30))
    assert snap.credit_pence == 0
    assert snap.emergency_credit_pence == 850
    assert snap.credit_status & CreditStatus.EC_IN_USE
    assert snap.supply is SupplyState.ON
    response = acct.consumer_top_up(issue_utrn(KEY, 1, 1000, METER), ten_am + timedelta(minutes=31))
    assert response.result is ResultType.ACCEPTED
    assert acct.credit_pence == 850
    assert acct.ec_remaining_pence == 1000
    assert not acct.ec_selected
    event = acct.snapshot().to_event()
    assert event.credit_pence == 850
    assert not event.emergency_credit_selected


def test_standing_charge_and_recovery_accrue_exactly_whatever_the_step() -> None:
    tariff = flat(price=0, standing=D("54.37"))  # type: ignore[arg-type]
    coarse = account(
        MONDAY,
        tariff=tariff,
        start_credit_pence=10_000,
        debt_pence=500,
        debt_recovery_pence_per_day=D("33.3"),
    )
    fine = account(
        MONDAY,
        tariff=tariff,
        start_credit_pence=10_000,
        debt_pence=500,
        debt_recovery_pence_per_day=D("33.3"),
    )
    coarse.accrue(MONDAY + timedelta(days=3))
    t, end = MONDAY, MONDAY + timedelta(days=3)
    while t < end:
        t = min(end, t + timedelta(seconds=7))
        fine.accrue(t)
    for acct in (coarse, fine):
        assert acct.standing_charged == 3 * Fraction(D("54.37"))
        assert acct.debt_recovered_pence == 99  # 99.9p recovered so far: 99 whole pence
        assert acct.credit_pence == 10_000 - 163 - 99  # floor(163.11) of standing charge


def test_payment_mode_switches_at_runtime() -> None:
    acct = account(MONDAY, mode=PaymentMode.CREDIT, start_credit_pence=0)
    acct.charge_energy(MONDAY, MONDAY + timedelta(hours=1), 5)
    assert acct.credit_pence == 0
    assert acct.supply is SupplyState.ON
    assert acct.snapshot().credit_status == CreditStatus.CREDIT_OK
    acct.set_payment_mode(PaymentMode.PREPAYMENT, MONDAY + timedelta(hours=1), credit_pence=2000)
    acct.charge_energy(MONDAY + timedelta(hours=1), MONDAY + timedelta(hours=2), 5)
    assert acct.credit_pence == 1500
    acct.set_payment_mode(PaymentMode.CREDIT, MONDAY + timedelta(hours=2))
    acct.charge_energy(MONDAY + timedelta(hours=2), MONDAY + timedelta(hours=3), 5)
    assert acct.credit_pence == 1500
    assert acct.mode is PaymentMode.CREDIT
    assert acct.fuel is Fuel.ELECTRICITY


def test_disabled_meter_records_no_energy() -> None:
    home = Household(3)
    ten_am = utc(2026, 1, 12, 10)
    acct = account(ten_am, start_credit_pence=1, emergency_credit_limit_pence=0)
    meter = ElectricityMeter(home, acct, ten_am)
    run_meter(meter, ten_am, ten_am + timedelta(hours=1))
    assert acct.supply is SupplyState.OFF
    before = meter.import_j
    run_meter(meter, ten_am + timedelta(hours=1), ten_am + timedelta(hours=2))
    assert meter.import_j == before
    assert meter.demand_w(ten_am + timedelta(hours=2)) == 0


@pytest.mark.parametrize(
    "bad",
    [{"start_credit_pence": -1}, {"max_top_up_pence": 1.5}, {"debt_recovery_pence_per_day": D(-1)}],
)
def test_settings_refuse_nonsense(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        PrepaymentSettings(**bad)  # type: ignore[arg-type]


def test_meter_protocol_shapes() -> None:
    acct = account(MONDAY, start_credit_pence=0, emergency_credit_limit_pence=0)
    acct.accrue(MONDAY + timedelta(hours=10))  # Monday 10:00: no friendly credit
    assert acct.supply_status == 0  # 0x00 disabled: enabling needs credit (and arming) first
    assert not acct.request_supply_on(MONDAY + timedelta(hours=10))
    assert acct.top_up("123", MONDAY + timedelta(hours=10), 2) == (0x01, -1, 0)
    code = issue_utrn(KEY, 3, 700, METER)
    assert acct.top_up(code, MONDAY + timedelta(hours=10), 9) == (0x12, 700, 700)
    assert acct.request_supply_on(MONDAY + timedelta(hours=10))
    assert acct.supply_status == 2
    assert acct.top_up_log[-1].source is OriginatingDevice.IHD


def test_two_time_based_debts_recover_at_their_own_rates_under_the_daily_cap() -> None:
    # SMETS2 (gb_domain.md §3): time debts 1 and 2 with their own recovery rates, and a cap.
    acct = account(
        MONDAY,
        start_credit_pence=10_000,
        debt_pence=2000,
        debt_recovery_pence_per_day=D(100),
        debt2_pence=1000,
        debt2_recovery_pence_per_day=D(50),
    )
    acct.accrue(MONDAY + timedelta(days=1))
    assert (acct.debt_pence, acct.debt2_pence) == (1900, 950)  # uncapped: 100p and 50p
    capped = account(
        MONDAY,
        start_credit_pence=10_000,
        debt_pence=2000,
        debt_recovery_pence_per_day=D(100),
        debt2_pence=1000,
        debt2_recovery_pence_per_day=D(50),
        debt_recovery_cap_pence_per_day=D(120),
    )
    capped.accrue(MONDAY + timedelta(days=1))
    recovered = (2000 - capped.debt_pence) + (1000 - capped.debt2_pence)
    assert recovered == 120  # the cap, not 150
    assert capped.debt_pence < 2000
    assert capped.debt2_pence < 1000


def test_a_top_up_pays_the_payment_debt_share_then_borrowing_then_balance() -> None:
    # 10 % of the £10.00 top-up to the payment-based debt, then the £1.00 accumulated debt and
    # the £2.00 of emergency credit used, and the rest (£6.00) to the Meter Balance.
    acct = account(
        MONDAY,
        start_credit_pence=0,
        accumulated_debt_pence=100,
        emergency_credit_limit_pence=1000,
        payment_debt_pence=5000,
        payment_debt_recovery_percent=D(10),
    )
    acct.ec_remaining_pence = 800  # £2.00 of emergency credit used
    response = acct.consumer_top_up(issue_utrn(KEY, 40, 1000, METER), MONDAY)
    assert response.accepted
    assert acct.payment_debt_pence == 4900
    assert acct.accumulated_debt_pence == 0
    assert acct.ec_remaining_pence == 1000
    assert acct.credit_pence == 600
    snap = acct.snapshot(MONDAY)
    assert snap.payment_debt_pence == 4900
    assert snap.payment_debt_recovery_percent == 10
