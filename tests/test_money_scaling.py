"""Money as GB meters speak it: Currency + trailing digit + sign, to exact Decimal pence.

Values are GB's published GBCS test data as recorded in ../shared/reference/se_clusters.md §2.6
and gb_domain.md §5: PublishPrice 9600 with PriceTrailingDigitAndPriceTier 0x51 is £0.09600 =
9.6p per kWh; a standing charge of 22465 (0x50) is 22.465p a day; Emergency Credit Setup limit
10000000 and threshold 100000 are £100.00 and £1.00; low credit warning 5000000 is £50.00;
maximum credit 25000000 is £250.00; GCS23 conversion factor 102264 @0x50 is 1.02264 and
calorific value 400 @0x10 is 40.0 MJ/m3.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest

from device_backend import model, units
from device_backend.money import GB_SCALE, MoneyBase, MoneyScale
from device_backend.simulator import zcl_io
from device_backend.translate import PREPAYMENT, PRICE, MeterAdapter
from device_backend.zcl import cluster_class
from tests.support.fake_cluster import FakeCluster
from tests.support.sim import run, with_backend

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)


# -- the scale itself ------------------------------------------------------------------------


def test_gb_price_9600_at_0x51_is_9_6_pence_per_kwh_on_tier_1() -> None:
    scale = MoneyScale.from_trailing_byte(826, 0x51)
    assert scale.digits == 5
    assert scale.to_pence(9600) == D("9.6")
    assert units.split_price_tier(0x51).tier == 1


def test_gb_standing_charge_22465_at_0x50_is_22_465_pence_a_day() -> None:
    assert GB_SCALE.to_pence(22465) == D("22.465")


@pytest.mark.parametrize(
    ("raw", "pence"),
    [
        (10000000, D(10000)),  # emergency credit limit £100.00
        (100000, D(100)),  # emergency credit threshold £1.00
        (5000000, D(5000)),  # low credit warning £50.00
        (25000000, D(25000)),  # maximum credit £250.00
        (-1234567, D("-1234.567")),  # a Meter Balance below zero, exactly
    ],
)
def test_gb_prepayment_money_is_scaled_by_the_price_trailing_digit(raw: int, pence: D) -> None:
    assert GB_SCALE.to_pence(raw) == pence


def test_gb_gas_conversion_factor_and_calorific_value_from_gcs23() -> None:
    assert units.conversion_factor(102264, 0x50) == D("1.02264")
    assert units.calorific_value(400, 0x10) == D("40.0")


def test_a_pence_based_meter_reads_right_when_the_display_is_told_so() -> None:
    # A non-GB SE meter publishing 24.86 US cents with three decimals: 24860 @0x30.
    scale = MoneyScale.from_trailing_byte(840, 0x30, MoneyBase.MINOR)
    assert scale.to_pence(24860) == D("24.86")
    assert scale.code == "ISO 840"  # never silently "GBP"


def test_the_simulator_encodes_human_pence_exactly_and_refuses_what_it_would_round() -> None:
    assert GB_SCALE.to_wire(D("24.86")) == 24860
    assert GB_SCALE.to_wire(-50) == -50000
    with pytest.raises(ValueError, match="exactly"):
        GB_SCALE.to_wire(D("24.8612"))


# -- what the display shows ------------------------------------------------------------------


def test_the_display_shows_a_negative_gb_balance_and_other_currencies_in_their_own_units() -> None:
    from ihd_app import formatting

    assert formatting.pounds(GB_SCALE.to_pence(-1234567)) == "-£12.35"
    assert formatting.pounds(GB_SCALE.to_pence(10000000)) == "£100.00"
    assert formatting.pounds(D(1234), "EUR") == "€12.34"
    assert formatting.pounds(D(1234), "ISO 840") == "12.34 ISO 840"


# -- through the display's own translation ---------------------------------------------------


def _adapter(price: FakeCluster, prepayment: FakeCluster, events: list[model.Event]) -> Any:
    return MeterAdapter(
        ieee="00:11:22:33:44:55:66:77",
        fuel=model.Fuel.ELECTRICITY,
        clusters={PRICE: price, PREPAYMENT: prepayment},  # type: ignore[dict-item]
        emit=events.append,
        now=lambda: NOW,
    )


def _frame(cluster_id: int, name: str, **fields: Any) -> bytes:
    return zcl_io.cluster_command(
        cluster_class(cluster_id), name, tsn=1, direction=zcl_io.SERVER_TO_CLIENT, **fields
    )


def test_gb_price_and_tariff_frames_decode_to_gb_pence() -> None:
    events: list[model.Event] = []
    price = FakeCluster(PRICE, {})
    adapter = _adapter(price, FakeCluster(PREPAYMENT, {}), events)
    tariff = _frame(
        PRICE,
        "publish_tariff_information",
        provider_id=1,
        issuer_event_id=1,
        issuer_tariff_id=1,
        start_time=0,
        tariff_type_charging_scheme=0,
        tariff_label=b"GB test",
        number_of_price_tiers_in_use=1,
        number_of_block_thresholds_in_use=0,
        unit_of_measure=0,
        currency=826,
        price_trailing_digit=0x50,
        standing_charge=22465,
        tier_block_mode=0xFF,
        block_threshold_multiplier=1,
        block_threshold_divisor=1,
    )
    adapter.on_command(price, "publish_tariff_information", price.command("", tariff))
    publish = _frame(
        PRICE,
        "publish_price",
        provider_id=1,
        rate_label=b"Standard",
        issuer_event_id=2,
        current_time=0,
        unit_of_measure=0,
        currency=826,
        price_trailing_digit_and_price_tier=0x51,
        number_of_price_tiers_and_register_tier=0x11,
        start_time=0,
        duration_in_minutes=0xFFFF,
        price=9600,
    )
    adapter.on_command(price, "publish_price", price.command("", publish))
    shown = [e for e in events if isinstance(e, model.Price)][-1]
    assert shown.pence_per_kwh == D("9.6")
    assert shown.standing_charge_pence_per_day == D("22.465")
    assert shown.tier == 1
    assert shown.currency == "GBP"


def test_prepayment_money_follows_the_meters_price_trailing_digit_and_currency() -> None:
    events: list[model.Event] = []
    price = FakeCluster(PRICE, {})
    prepayment = FakeCluster(PREPAYMENT, {})
    adapter = _adapter(price, prepayment, events)
    price.read(currency=826, price_trailing_digit=0x50)
    prepayment.read(
        payment_control_configuration=0x0017,
        credit_remaining=-250000,  # -£2.50: a GB Meter Balance in debt to emergency credit
        emergency_credit_remaining=10000000,
        accumulated_debt=5000000,
        low_credit_warning_level=5000000,
        debt_recovery_amount1=50000,
        credit_status=0x08,
    )
    state = adapter.prepayment_snapshot()
    assert state.credit_pence == D(-250)
    assert state.emergency_credit_pence == D(10000)
    assert state.debt_pence == D(5000)
    assert state.low_credit_level_pence == D(5000)
    assert state.debt_recovery_pence_per_day == D(50)
    # A euro meter with two decimals: the same registers now mean cents, and say so.
    price.read(currency=978, price_trailing_digit=0x20)
    latest = [e for e in events if isinstance(e, model.Prepayment)][-1]
    assert latest.currency == "EUR"
    assert latest.credit_pence == D(-250000)  # -€2,500.00 in cents
    assert adapter.top_up_money(1500) == D(1500)


# -- the simulated GB meter on the air -------------------------------------------------------


def test_the_simulated_meter_publishes_gb_wire_money_and_the_display_reads_the_scenario() -> None:
    """prepay-low-credit: 24.86p/kWh and 54.20p/day in its TOML, 420p of credit at start."""
    frames: list[bytes] = []

    async def body(backend: Any, events: Any) -> None:
        backend.app.taps.append(
            lambda direction, src, dst, profile, cluster, ep, payload: (
                frames.append(payload) if cluster == PRICE else None
            )
        )
        await backend.refresh()
        await backend.run_until(backend.clock.now() + timedelta(minutes=1))

    recorded = run(with_backend("prepay-low-credit", _record(body)))
    parsed = [zcl_io.parse_zcl(cluster_class(PRICE), f) for f in frames]
    prices = [p.args for p in parsed if p.command_name == "publish_price"]
    electricity = [p for p in prices if int(p.price) == 24860]
    assert electricity, "no PublishPrice of 24860 (24.86p as £0.24860) on the air"
    assert int(electricity[0].currency) == 826
    assert int(electricity[0].price_trailing_digit_and_price_tier) >> 4 == 5
    price = recorded.last(model.Price, model.Fuel.ELECTRICITY)
    assert price.pence_per_kwh == D("24.86")
    assert price.standing_charge_pence_per_day == D("54.2")
    state = recorded.last(model.Prepayment, model.Fuel.ELECTRICITY)
    assert state.credit_pence <= 420  # spent some since; scaled back to pence, not 1000x
    gas = recorded.last(model.Prepayment, model.Fuel.GAS)  # from the gas proxy's cluster
    assert gas.credit_pence <= 2500
    assert gas.credit_pence > 2000


def _record(body: Any) -> Any:
    async def wrapped(backend: Any, events: Any) -> Any:
        await body(backend, events)
        return events

    return wrapped


def test_each_gb_debt_is_read_with_its_recovery() -> None:
    """GB debts (se_clusters.md §3.1): DebtAmount1/2 time-based with DebtRecoveryAmount1/2 per
    day, DebtAmount3 payment-based with DebtRecoveryTopUpPercentage3; money at 0x50."""
    events: list[model.Event] = []
    price = FakeCluster(PRICE, {"currency": 826, "price_trailing_digit": 0x50})
    prepayment = FakeCluster(PREPAYMENT, {})
    adapter = _adapter(price, prepayment, events)
    prepayment.read(
        payment_control_configuration=0x0017,
        credit_remaining=500000,
        accumulated_debt=4500000,
        debt_amount1=2000000,  # £20.00
        debt_recovery_amount1=100000,  # £1.00 a day
        debt_amount2=500000,  # £5.00
        debt_recovery_amount2=25000,  # 25p a day
        debt_amount3=2000000,  # £20.00
        debt_recovery_top_up_percentage3=1000,  # 10.00 %
    )
    debts = adapter.prepayment_snapshot().debts
    assert [(d.number, d.pence) for d in debts] == [(1, D(2000)), (2, D(500)), (3, D(2000))]
    assert debts[0].recovery_pence_per_day == D(100)
    assert debts[1].recovery_pence_per_day == D(25)
    assert debts[2].recovery_percent == D(10)
