"""Exact unit arithmetic: metering scaling, prices, money, gas conversion and ZigBee time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device_backend import units
from device_backend.clock import ZIGBEE_EPOCH
from device_backend.model import scaled

D = Decimal


# --- Metering scaling --------------------------------------------------------------------------


def test_demand_1234_over_1000_is_1_234_kw() -> None:
    value = units.metering_value(1234, 1, 1000)
    assert value == D("1.234")
    assert units.unit_name(0, rate=True) == "kW"


def test_negative_demand_is_export() -> None:
    assert units.metering_value(-500, 1, 1000) == D("-0.5")


def test_divisor_zero_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="divisor of 0"):
        units.metering_value(1, 1, 0)


def test_float_raw_is_refused() -> None:
    with pytest.raises(TypeError):
        units.metering_value(1.5, 1, 1)  # type: ignore[arg-type]


@given(
    raw=st.integers(-(2**23), 2**48 - 1),
    multiplier=st.integers(0, 2**24 - 1),
    divisor=st.integers(1, 2**24 - 1),
)
def test_metering_value_agrees_with_the_model(raw: int, multiplier: int, divisor: int) -> None:
    assert units.metering_value(raw, multiplier, divisor) == scaled(raw, multiplier, divisor)


# --- Number formatting -------------------------------------------------------------------------


def test_number_formatting_bits() -> None:
    fmt = units.NumberFormatting.from_byte(0b1_0101_011)
    assert fmt == units.NumberFormatting(digits_right=3, digits_left=5, suppress_leading_zeros=True)
    assert fmt.to_byte() == 0b1_0101_011


@given(st.integers(0, 255))
def test_number_formatting_round_trips_every_byte(byte: int) -> None:
    assert units.NumberFormatting.from_byte(byte).to_byte() == byte


def test_number_formatting_rejects_out_of_range() -> None:
    with pytest.raises(ValueError, match="one byte"):
        units.NumberFormatting.from_byte(256)
    with pytest.raises(ValueError, match="right of the point must be 0-7"):
        units.NumberFormatting(digits_right=8, digits_left=0, suppress_leading_zeros=False)


@pytest.mark.parametrize(
    ("value", "byte", "shown"),
    [
        (D("123.4567"), (5 << 3) | 3, "00123.456"),  # padded, truncated not rounded
        (D("123.4567"), 0x80 | (5 << 3) | 3, "123.456"),
        (D("123456.7"), (5 << 3) | 1, "123456.7"),  # never cut leading digits
        (D("0.25"), 0x80 | 2, "0.25"),
        (D("-1.2"), 0x80 | (5 << 3) | 3, "-1.200"),
        (D("-0.0004"), 0x80 | 3, "0.000"),  # no "-0.000"
        (42, (3 << 3), "042"),
        (D("9.999"), 0x80 | (1 << 3) | 2, "9.99"),
    ],
)
def test_format_reading(value: Decimal | int, byte: int, shown: str) -> None:
    assert units.format_reading(value, byte) == shown


# --- Trailing digits and prices ----------------------------------------------------------------


def test_trailing_digits_uses_the_high_nibble_only() -> None:
    assert units.trailing_digits(0x5F) == 5
    assert units.trailing_digits(0x00) == 0


def test_decode_price_is_exact() -> None:
    assert units.decode_price(2456, 0x20) == D("24.56")
    assert units.decode_price(2456, 0x20).as_tuple().exponent == -2
    assert units.decode_price(123456789, 0xF0) == D("0.000000123456789")


@given(raw=st.integers(0, 2**32 - 1), digits=st.integers(0, 15))
def test_trailing_round_trip(raw: int, digits: int) -> None:
    value = units.decode_trailing(raw, digits << 4)
    assert units.encode_trailing(value, digits) == raw


def test_encode_trailing_refuses_to_round() -> None:
    with pytest.raises(ValueError, match="exactly"):
        units.encode_trailing(D("24.567"), 2)


def test_price_tier_byte_split() -> None:
    assert units.split_price_tier(0x23) == units.PriceTierByte(digits=2, tier=3)
    assert units.split_price_tier(units.join_nibbles(4, 15)) == (4, 15)


def test_tier_count_byte_split() -> None:
    assert units.split_tier_counts(0x41) == units.TierCountByte(number_of_tiers=4, register_tier=1)


def test_join_nibbles_rejects_wide_values() -> None:
    with pytest.raises(ValueError, match="halves must be 0-15"):
        units.join_nibbles(16, 0)


# --- Money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pence", "shown"),
    [
        (1234, "£12.34"),
        (-50, "-£0.50"),
        (123456, "£1,234.56"),
        (0, "£0.00"),
        (5, "£0.05"),
        (-123456789, "-£1,234,567.89"),
    ],
)
def test_format_pounds(pence: int, shown: str) -> None:
    assert units.format_pounds(pence) == shown


def test_format_pounds_wants_whole_pence() -> None:
    with pytest.raises(TypeError):
        units.format_pounds(D("12.5"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        units.format_pounds(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pence", "whole"),
    [(D("0.5"), 1), (D("-0.5"), -1), (D("1.49"), 1), (D("2.5"), 3), (D("-2.51"), -3), (7, 7)],
)
def test_round_pence_half_up_away_from_zero(pence: Decimal, whole: int) -> None:
    assert units.round_pence(pence) == whole


def test_format_pence() -> None:
    assert units.format_pence(D("24.5")) == "24.50p"
    assert units.format_pence(D("1234.567"), 1) == "1,234.6p"


def test_energy_cost_and_standing_charge() -> None:
    assert units.energy_cost_pence(D("3.5"), D("24.50")) == D("85.75")
    assert units.standing_charge_pence(D("53.35"), 7) == D("373.45")
    assert units.standing_charge_pence(D("53.35")) == D("53.35")
    with pytest.raises(ValueError, match="zero or more days"):
        units.standing_charge_pence(D("53.35"), -1)


def test_money_never_accepts_float() -> None:
    with pytest.raises(TypeError):
        units.energy_cost_pence(1.5, D("24.5"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        units.round_pence(0.5)  # type: ignore[arg-type]


@given(
    kwh=st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False),
    rate=st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
)
def test_energy_cost_is_exact_product(kwh: Decimal, rate: Decimal) -> None:
    cost = units.energy_cost_pence(kwh, rate)
    assert cost == kwh * rate
    assert abs(units.round_pence(cost) - cost) <= D("0.5")


# --- Gas ---------------------------------------------------------------------------------------


def test_published_cf_and_cv_decode() -> None:
    assert units.conversion_factor(102264, 0x50) == units.STANDARD_CONVERSION_FACTOR
    assert units.calorific_value(395, 0x10) == D("39.5")


def test_100_m3_at_cv_39_5_is_1122_06_kwh() -> None:
    kwh = units.gas_kwh_from_published(
        100, cf_raw=102264, cf_trailing_digit=0x50, cv_raw=395, cv_trailing_digit=0x10
    )
    # 100 x 1.02264 x 39.5 = 4039.428 MJ exactly; / 3.6 recurs, so 28 significant digits.
    assert kwh == D("1122.063333333333333333333333")
    assert units.round_to(kwh, 2) == D("1122.06")
    assert units.format_kwh(kwh) == "1,122.06 kWh"
    assert units.gas_kwh(100, D("39.5")) == kwh


def test_gas_kwh_per_m3_feeds_the_model() -> None:
    per_m3 = units.gas_kwh_per_m3(D("39.5"))
    assert units.round_to(per_m3 * 100, 2) == D("1122.06")


def test_gas_in_mj_per_kg_is_refused() -> None:
    with pytest.raises(ValueError, match="MJ/m3"):
        units.gas_kwh_from_published(
            1, cf_raw=102264, cf_trailing_digit=0x50, cv_raw=395, cv_trailing_digit=0x10, cv_unit=2
        )


def test_imperial_hundreds_of_cubic_feet() -> None:
    assert units.ft3_to_m3(100) == D("2.83")
    assert units.ft3_to_m3(D("3531")) == D("99.9273")


# --- ZigBee time -------------------------------------------------------------------------------


def test_zigbee_epoch_is_2000() -> None:
    assert units.to_zigbee_utc(datetime(2000, 1, 1, tzinfo=UTC)) == 0
    assert units.from_zigbee_utc(86400) == datetime(2000, 1, 2, tzinfo=UTC)
    assert units.ZIGBEE_EPOCH == ZIGBEE_EPOCH


def test_zigbee_time_round_trip_with_offset() -> None:
    moment = datetime(2024, 7, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    seconds = units.to_zigbee_utc(moment)
    assert units.from_zigbee_utc(seconds) == moment
    assert units.from_zigbee_utc(seconds).tzinfo is UTC


def test_zigbee_time_refuses_naive_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="aware"):
        units.to_zigbee_utc(datetime(2024, 1, 1))  # noqa: DTZ001 - the naive time is the point
    with pytest.raises(ValueError, match="outside the ZigBee UTCTime range"):
        units.to_zigbee_utc(datetime(1999, 12, 31, tzinfo=UTC))
    with pytest.raises(ValueError, match="not set"):
        units.from_zigbee_utc(units.ZIGBEE_TIME_INVALID)


@given(st.integers(0, units.ZIGBEE_TIME_INVALID - 1))
def test_zigbee_time_round_trip(seconds: int) -> None:
    assert units.to_zigbee_utc(units.from_zigbee_utc(seconds)) == seconds


# --- Names -------------------------------------------------------------------------------------


def test_unit_names() -> None:
    assert units.unit_name(0x00) == "kWh"
    assert units.unit_name(0x00, rate=True) == "kW"
    assert units.unit_name(0x01) == "m³"
    assert units.unit_name(0x01, rate=True) == "m³/h"
    assert units.unit_name(0x81) == "m³"  # BCD variant, same unit
    with pytest.raises(ValueError, match="unknown"):
        units.unit_name(0x42)


def test_gbp() -> None:
    gbp = units.currency(826)
    assert (gbp.alpha, gbp.symbol) == ("GBP", "£")
    with pytest.raises(ValueError, match="826"):
        units.currency(840)
