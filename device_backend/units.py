"""Exact conversions from Smart Energy wire numbers to what a household reads, and back."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import NamedTuple

from device_backend.clock import ZIGBEE_EPOCH, from_zigbee_time, to_zigbee_time
from device_backend.model import scaled

__all__ = [
    "CURRENCY_GBP",
    "IMPERIAL_M3_PER_100_FT3",
    "MJ_PER_KWH",
    "STANDARD_CONVERSION_FACTOR",
    "ZIGBEE_EPOCH",
    "ZIGBEE_TIME_INVALID",
    "CalorificValueUnit",
    "Currency",
    "NumberFormatting",
    "PriceTierByte",
    "TierCountByte",
    "UnitOfMeasure",
    "calorific_value",
    "conversion_factor",
    "currency",
    "decode_price",
    "decode_trailing",
    "encode_trailing",
    "energy_cost_pence",
    "format_kwh",
    "format_pence",
    "format_pounds",
    "format_reading",
    "from_zigbee_time",
    "from_zigbee_utc",
    "ft3_to_m3",
    "gas_kwh",
    "gas_kwh_from_published",
    "gas_kwh_per_m3",
    "join_nibbles",
    "metering_value",
    "pounds_to_pence",
    "round_pence",
    "round_to",
    "split_price_tier",
    "split_tier_counts",
    "standing_charge_pence",
    "to_zigbee_time",
    "to_zigbee_utc",
    "trailing_digits",
    "unit_name",
]

# Divisions (x / divisor, / 3.6) cannot always be exact in decimal. Doing them in a fixed
# context makes every result independent of whatever context the caller (or a GUI library)
# has set; 28 significant digits is the decimal default, far beyond any meter's resolution.
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)

Number = int | Decimal


def _exact(value: object, name: str) -> Decimal:
    """Accept int or Decimal only: a float has already lost the pennies we are counting."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{name} must be an int or Decimal, not {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}")
    return result


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def _byte(value: object, name: str) -> int:
    byte = _whole(value, name)
    if not 0 <= byte <= 0xFF:
        raise ValueError(f"{name} must be one byte (0-255), not {byte}")
    return byte


# --- Metering scaling and display formatting --------------------------------------------------


def metering_value(raw: int, multiplier: int, divisor: int) -> Decimal:
    """A Metering register in its unit of measure: raw x Multiplier / Divisor.

    Delegates to the model's `scaled` so the GUIs and this module can never disagree; a
    divisor of 0 raises ValueError (a meter that has not been configured yet reports it).
    """
    _whole(raw, "raw")
    _whole(multiplier, "multiplier")
    _whole(divisor, "divisor")
    with localcontext(_CONTEXT):
        return scaled(raw, multiplier, divisor)


@dataclass(frozen=True, slots=True)
class NumberFormatting:
    """The map8 Summation/Demand/HistoricalConsumptionFormatting attribute, decoded."""

    digits_right: int  # bits 0-2: digits after the decimal point (0-7)
    digits_left: int  # bits 3-6: digits before the point (0-15; 0 means "not specified")
    suppress_leading_zeros: bool  # bit 7

    def __post_init__(self) -> None:
        if not 0 <= self.digits_right <= 7:
            raise ValueError(f"digits right of the point must be 0-7, not {self.digits_right}")
        if not 0 <= self.digits_left <= 15:
            raise ValueError(f"digits left of the point must be 0-15, not {self.digits_left}")

    @classmethod
    def from_byte(cls, byte: int) -> NumberFormatting:
        byte = _byte(byte, "formatting byte")
        return cls(
            digits_right=byte & 0x07,
            digits_left=(byte >> 3) & 0x0F,
            suppress_leading_zeros=bool(byte & 0x80),
        )

    def to_byte(self) -> int:
        suppress = 0x80 if self.suppress_leading_zeros else 0
        return self.digits_right | (self.digits_left << 3) | suppress


def format_reading(value: Number, formatting_byte: int) -> str:
    """A register value as the meter's formatting attribute asks it to be shown.

    Extra decimals are truncated, not rounded, as a meter's own register display does: a
    reading must never show consumption that has not happened yet. An integer part longer
    than `digits_left` is shown whole rather than cut, because a display that silently drops
    the leading digits of a reading misleads. Without suppression the integer part is padded
    with zeros to `digits_left`.
    """
    fmt = NumberFormatting.from_byte(formatting_byte)
    number = _exact(value, "value")
    quantum = Decimal(1).scaleb(-fmt.digits_right)
    shown = abs(number).quantize(quantum, rounding=ROUND_DOWN, context=_CONTEXT)
    integer, _, fraction = f"{shown:f}".partition(".")
    if not fmt.suppress_leading_zeros:
        integer = integer.rjust(fmt.digits_left, "0")
    sign = "-" if number < 0 and shown != 0 else ""
    return f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}"


# --- Trailing digits, prices and the packed PublishPrice bytes ---------------------------------


def trailing_digits(byte: int) -> int:
    """Implied decimal places in a ...TrailingDigit map8 (bits 4-7; bits 0-3 are not ours)."""
    return (_byte(byte, "trailing digit byte") >> 4) & 0x0F


def decode_trailing(raw: int, trailing_digit_byte: int) -> Decimal:
    """raw / 10^digits, exactly: building the Decimal from a string never rounds."""
    raw = _whole(raw, "raw")
    return Decimal(f"{raw}E-{trailing_digits(trailing_digit_byte)}")


def decode_price(raw: int, trailing_digit_byte: int) -> Decimal:
    """A Price cluster money value (price, standing charge) in the supplier's currency unit.

    ZSE does not fix whether that unit is pounds or pence (se_clusters.md §2.6); the caller
    knows from its tariff configuration and uses `pounds_to_pence` where needed.
    """
    return decode_trailing(raw, trailing_digit_byte)


def encode_trailing(value: Number, digits: int) -> int:
    """The raw integer that carries `value` with `digits` implied decimals.

    Raises ValueError rather than rounding: a simulator publishing 24.567p with two digits
    would be telling the display a price nobody set.
    """
    number = _exact(value, "value")
    if not 0 <= digits <= 15:
        raise ValueError(f"trailing digits must be 0-15, not {digits}")
    raw = number.scaleb(digits, context=_CONTEXT)
    if raw != raw.to_integral_value():
        raise ValueError(f"{value} cannot be carried exactly with {digits} decimal places")
    return int(raw)


def join_nibbles(high: int, low: int) -> int:
    """Pack two 4-bit fields into one byte (high in bits 4-7), e.g. for PublishPrice."""
    if not (0 <= high <= 0x0F and 0 <= low <= 0x0F):
        raise ValueError(f"both halves must be 0-15, not {high} and {low}")
    return (high << 4) | low


class PriceTierByte(NamedTuple):
    """PublishPrice PriceTrailingDigitAndPriceTier."""

    digits: int  # bits 4-7: implied decimals of Price
    tier: int  # bits 0-3: 0 no tier, 1-14, 15 = tier 15 or "see ExtendedPriceTier"


class TierCountByte(NamedTuple):
    """PublishPrice NumberOfPriceTiersAndRegisterTier."""

    number_of_tiers: int  # bits 4-7
    register_tier: int  # bits 0-3: which CurrentTierNSummationDelivered is accruing


def split_price_tier(byte: int) -> PriceTierByte:
    byte = _byte(byte, "PriceTrailingDigitAndPriceTier")
    return PriceTierByte(digits=byte >> 4, tier=byte & 0x0F)


def split_tier_counts(byte: int) -> TierCountByte:
    byte = _byte(byte, "NumberOfPriceTiersAndRegisterTier")
    return TierCountByte(number_of_tiers=byte >> 4, register_tier=byte & 0x0F)


# --- Money -------------------------------------------------------------------------------------


def pounds_to_pence(pounds: Number) -> Decimal:
    return _exact(pounds, "pounds") * 100


def round_to(value: Number, places: int) -> Decimal:
    """Round to `places` decimals, halves away from zero (ROUND_HALF_UP), as people expect."""
    return _exact(value, "value").quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_CONTEXT
    )


def round_pence(pence: Number) -> int:
    """Whole pence from fractional pence: ROUND_HALF_UP, so 0.5p -> 1p and -0.5p -> -1p.

    Decimal's ROUND_HALF_UP rounds halves away from zero (not towards +infinity), so a
    credit and the matching charge round to the same magnitude and a bill never drifts by a
    penny depending on its sign. Suppliers' own bills differ in places; a display shows an
    estimate, and this rule is the one a household would do by hand.
    """
    return int(round_to(pence, 0))


def format_pounds(pence: int) -> str:
    """Whole pence as pounds for display: 1234 -> "£12.34", -50 -> "-£0.50", "£1,234.56"."""
    pence = _whole(pence, "pence")
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


def format_pence(pence: Number, places: int = 2) -> str:
    """A unit rate or standing charge in pence: Decimal("24.5") -> "24.50p"."""
    return f"{round_to(pence, places):,f}p"


# --- Cost of energy ----------------------------------------------------------------------------


def energy_cost_pence(kwh: Number, pence_per_kwh: Number) -> Decimal:
    """Unrounded cost in pence: round only the total, never each interval, or pennies drift."""
    with localcontext(_CONTEXT):
        return _exact(kwh, "kwh") * _exact(pence_per_kwh, "pence_per_kwh")


def standing_charge_pence(pence_per_day: Number, days: Number = 1) -> Decimal:
    """Standing charge for `days` (GB charges it per day, whether or not energy is used)."""
    day_count = _exact(days, "days")
    if day_count < 0:
        raise ValueError(f"a standing charge covers zero or more days, not {days}")
    with localcontext(_CONTEXT):
        return _exact(pence_per_day, "pence_per_day") * day_count


# --- Gas: volume to energy ---------------------------------------------------------------------

STANDARD_CONVERSION_FACTOR = Decimal("1.02264")  # GB volume correction to standard conditions
MJ_PER_KWH = Decimal("3.6")
# Imperial gas meters count hundreds of cubic feet; GB suppliers convert with 2.83 m3 per
# 100 ft3 (the exact figure is 2.8317; 2.83 is what bills use, so the display matches them).
IMPERIAL_M3_PER_100_FT3 = Decimal("2.83")


class CalorificValueUnit(enum.IntEnum):
    MJ_PER_M3 = 0x01
    MJ_PER_KG = 0x02


def conversion_factor(raw: int, trailing_digit_byte: int) -> Decimal:
    """PublishConversionFactor / attribute 0x0302 with 0x0303: 102264 and 0x50 -> 1.02264."""
    return decode_trailing(raw, trailing_digit_byte)


def calorific_value(raw: int, trailing_digit_byte: int) -> Decimal:
    """PublishCalorificValue / attribute 0x0304 with 0x0306: 395 and 0x10 -> 39.5 MJ/m3."""
    return decode_trailing(raw, trailing_digit_byte)


def ft3_to_m3(ft3: Number) -> Decimal:
    """Imperial volume to cubic metres: ft3 x 2.83 / 100 (exact: dividing by 100 never rounds)."""
    with localcontext(_CONTEXT):
        return _exact(ft3, "ft3") * IMPERIAL_M3_PER_100_FT3 / 100


def gas_kwh(
    volume_m3: Number,
    calorific_value_mj_per_m3: Number,
    conversion_factor: Number = STANDARD_CONVERSION_FACTOR,
) -> Decimal:
    """kWh = m3 x conversion factor x CV (MJ/m3) / 3.6.

    The multiplications are exact; only the final division by 3.6 can be inexact, so it is
    done last, once, to 28 significant digits. 100 m3 at CV 39.5 gives
    1122.063333333333333333333333 kWh, i.e. 1,122.06 to two places.
    """
    volume = _exact(volume_m3, "volume_m3")
    cv = _exact(calorific_value_mj_per_m3, "calorific_value_mj_per_m3")
    cf = _exact(conversion_factor, "conversion_factor")
    with localcontext(_CONTEXT):
        return volume * cf * cv / MJ_PER_KWH


def gas_kwh_per_m3(
    calorific_value_mj_per_m3: Number, conversion_factor: Number = STANDARD_CONVERSION_FACTOR
) -> Decimal:
    """kWh in one m3 (for model.Energy.kwh_per_unit); rounds once at 28 significant digits."""
    return gas_kwh(1, calorific_value_mj_per_m3, conversion_factor)


def gas_kwh_from_published(
    volume_m3: Number,
    *,
    cf_raw: int,
    cf_trailing_digit: int,
    cv_raw: int,
    cv_trailing_digit: int,
    cv_unit: int = CalorificValueUnit.MJ_PER_M3,
) -> Decimal:
    """Gas kWh from CF and CV exactly as the meter publishes them (GCS23: 0x50 and 0x10)."""
    if cv_unit != CalorificValueUnit.MJ_PER_M3:
        # MJ/kg needs a density we are never given; a wrong kWh is worse than none.
        raise ValueError(
            f"calorific value unit {cv_unit:#04x} is not MJ/m3; cannot convert a volume"
        )
    return gas_kwh(
        volume_m3,
        calorific_value(cv_raw, cv_trailing_digit),
        conversion_factor(cf_raw, cf_trailing_digit),
    )


def format_kwh(kwh: Number, places: int = 2) -> str:
    """Energy for display with thousands separators: 1122.0633... -> "1,122.06 kWh"."""
    return f"{round_to(kwh, places):,f} kWh"


# --- ZigBee UTCTime ----------------------------------------------------------------------------

ZIGBEE_TIME_INVALID = 0xFFFFFFFF  # the ZCL "invalid / not set" UTCTime


def to_zigbee_utc(moment: datetime) -> int:
    """clock.to_zigbee_time, refusing what a uint32 UTCTime cannot carry.

    A naive datetime is refused: `astimezone` would silently read it as the host's local
    time, an hour out for half the GB year.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("ZigBee time needs an aware datetime (UTC or with an offset)")
    seconds = to_zigbee_time(moment)
    if not 0 <= seconds < ZIGBEE_TIME_INVALID:
        raise ValueError(f"{moment.isoformat()} is outside the ZigBee UTCTime range")
    return seconds


def from_zigbee_utc(seconds: int) -> datetime:
    """clock.from_zigbee_time for a received uint32, refusing the 0xFFFFFFFF sentinel."""
    seconds = _whole(seconds, "seconds")
    if not 0 <= seconds < ZIGBEE_TIME_INVALID:
        raise ValueError(f"{seconds:#x} is not a ZigBee UTCTime (0xFFFFFFFF means 'not set')")
    return from_zigbee_time(seconds)


# --- Unit of measure and currency names --------------------------------------------------------


class UnitOfMeasure(enum.IntEnum):
    """Metering UnitOfMeasure (0x0300) binary values; 0x80 + the same value is BCD."""

    KWH = 0x00
    M3 = 0x01
    FT3 = 0x02
    CCF = 0x03
    US_GALLONS = 0x04
    IMPERIAL_GALLONS = 0x05
    BTU = 0x06
    LITRES = 0x07
    KPA_GAUGE = 0x08
    KPA_ABSOLUTE = 0x09
    MCF = 0x0A
    UNITLESS = 0x0B
    MJ = 0x0C
    KVAR = 0x0D


# (unit of the summation registers, unit of InstantaneousDemand)
_UNIT_NAMES: dict[UnitOfMeasure, tuple[str, str]] = {
    UnitOfMeasure.KWH: ("kWh", "kW"),
    UnitOfMeasure.M3: ("m³", "m³/h"),
    UnitOfMeasure.FT3: ("ft³", "ft³/h"),
    UnitOfMeasure.CCF: ("ccf", "ccf/h"),
    UnitOfMeasure.US_GALLONS: ("US gal", "US gal/h"),
    UnitOfMeasure.IMPERIAL_GALLONS: ("gal", "gal/h"),
    UnitOfMeasure.BTU: ("BTU", "BTU/h"),
    UnitOfMeasure.LITRES: ("l", "l/h"),
    UnitOfMeasure.KPA_GAUGE: ("kPa (gauge)", "kPa (gauge)"),
    UnitOfMeasure.KPA_ABSOLUTE: ("kPa (absolute)", "kPa (absolute)"),
    UnitOfMeasure.MCF: ("mcf", "mcf/h"),
    UnitOfMeasure.UNITLESS: ("", ""),
    UnitOfMeasure.MJ: ("MJ", "MJ/s"),
    UnitOfMeasure.KVAR: ("kvarh", "kvar"),
}


def unit_name(unit_of_measure: int, *, rate: bool = False) -> str:
    """Display name for a UnitOfMeasure: the summation unit, or with rate=True the demand unit.

    BCD variants (0x80-0x8D) name the same unit; only the register encoding differs. An
    unknown value raises ValueError so a new unit is noticed rather than shown unlabelled.
    """
    code = _byte(unit_of_measure, "unit of measure")
    try:
        unit = UnitOfMeasure(code & 0x7F)
    except ValueError:
        raise ValueError(f"unknown Metering unit of measure {code:#04x}") from None
    summation, demand = _UNIT_NAMES[unit]
    return demand if rate else summation


@dataclass(frozen=True, slots=True)
class Currency:
    code: int  # ISO 4217 numeric, as the Price cluster Currency field carries it
    alpha: str
    symbol: str


CURRENCY_GBP = Currency(code=826, alpha="GBP", symbol="£")
_CURRENCIES = {c.code: c for c in (CURRENCY_GBP, Currency(code=978, alpha="EUR", symbol="€"))}


def currency(code: int) -> Currency:
    """The currency of a Price cluster Currency value; GB meters send 826."""
    try:
        return _CURRENCIES[_whole(code, "currency code")]
    except KeyError:
        raise ValueError(f"unknown currency code {code} (GB meters use 826, GBP)") from None
