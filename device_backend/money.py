"""Money on the HAN: a meter's Currency and trailing digit turned into exact Decimal pence.

The Smart Energy Price cluster carries money "in the base unit of Currency", with the decimal
point placed by a trailing digit (bits 4-7 of PriceTrailingDigit, 0x0617, or of the
PriceTrailingDigitAndPriceTier byte of PublishPrice). GB meters speak pounds with five decimals:
GB's published GBCS test data has Currency 826 and PriceTrailingDigit 0x50, so a PublishPrice of
9600 with 0x51 is £0.09600 = 9.6p per kWh and a standing charge of 22465 is £0.22465 = 22.465p
a day. GB scales the Prepayment cluster's money by the same PriceTrailingDigit: an Emergency
Credit Setup limit of 10000000 is £100.00 (../shared/reference/se_clusters.md §2.6).

Some non-GB Smart Energy meters publish in the minor unit (pence, cents) instead; a display set
up for one of those says so with `MoneyScale(base=MINOR)`. It is a setting, not detected: no
attribute declares the base, and a guess from the price's size would be wrong on dynamic
tariffs (translate.MeterAdapter._check_money_base says why, and logs a price 100 times off).
Everything the display holds is in hundredths of the currency ("pence" in the domain types),
exact, whatever the wire said.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "GB_SCALE",
    "MoneyBase",
    "MoneyScale",
    "currency_label",
    "currency_symbol",
    "json_pence",
]

CURRENCY_GBP = 826
CURRENCY_EUR = 978
# ISO 4217 numeric -> alphabetic code and symbol, for the currencies a GB display may meet
# (one GBCS test message uses 978, EUR). Any other code is shown by its number, never as £.
_KNOWN = {CURRENCY_GBP: ("GBP", "£"), CURRENCY_EUR: ("EUR", "€")}
GB_TRAILING_DIGIT = 0x50  # GBCS: five decimals of a pound


class MoneyBase(enum.StrEnum):
    MAJOR = "major"  # the SE spec and GB: pounds (euros, ...) with trailing decimals
    MINOR = "minor"  # some non-GB SE meters: pence (cents, ...) with trailing decimals


@dataclass(frozen=True, slots=True)
class MoneyScale:
    """How one meter writes money: its Currency, its trailing digits and its base unit."""

    currency: int = CURRENCY_GBP
    digits: int = 5
    base: MoneyBase = MoneyBase.MAJOR

    def __post_init__(self) -> None:
        if not 0 <= self.digits <= 15:
            raise ValueError(f"trailing digits must be 0-15, not {self.digits}")

    @classmethod
    def from_trailing_byte(
        cls, currency: int, byte: int, base: MoneyBase = MoneyBase.MAJOR
    ) -> MoneyScale:
        """From a ...TrailingDigit map8 (the digits are bits 4-7; bits 0-3 may be a tier)."""
        if not 0 <= byte <= 0xFF:
            raise ValueError(f"a trailing digit byte is 0-255, not {byte}")
        return cls(currency=int(currency), digits=byte >> 4, base=base)

    @property
    def trailing_byte(self) -> int:
        return self.digits << 4

    @property
    def code(self) -> str:
        """ "GBP", "EUR", or the ISO number for a currency we do not name."""
        return currency_label(self.currency)

    def _exponent(self) -> int:
        """Power of ten from one wire count to one hundredth of the currency."""
        return (2 if self.base is MoneyBase.MAJOR else 0) - self.digits

    def to_pence(self, raw: int) -> Decimal:
        """A wire value (signed where the attribute is) in exact hundredths of its currency."""
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError(f"a wire money value is an int, not {type(raw).__name__}")
        # Built from a string so that no binary fraction or context rounding ever enters;
        # whole pence come back as a whole Decimal ("1500", not "1500.000").
        value = Decimal(f"{raw}E{self._exponent()}")
        whole = value.to_integral_value()
        return whole if value == whole else value.normalize()

    def to_wire(self, pence: int | Decimal) -> int:
        """The wire value for an amount in hundredths; refuses what it cannot carry exactly."""
        if isinstance(pence, bool) or not isinstance(pence, int | Decimal):
            raise TypeError(f"money is an int or Decimal, not {type(pence).__name__}")
        raw = Decimal(pence).scaleb(-self._exponent())
        if raw != raw.to_integral_value():
            raise ValueError(f"{pence} cannot be carried exactly with {self.digits} decimals")
        return int(raw)


GB_SCALE = MoneyScale()  # 826, 0x50, pounds: what every GB meter publishes


def currency_label(code: int) -> str:
    known = _KNOWN.get(code)
    return known[0] if known else f"ISO {code}"


def currency_symbol(label: str) -> str | None:
    """The symbol for a currency label from `currency_label`, or None when we have none."""
    for alpha, symbol in _KNOWN.values():
        if alpha == label:
            return symbol
    return None


def json_pence(value: int | Decimal | None) -> int | str | None:
    """Pence for a JSON log: whole pence as an integer, a fraction as its exact text."""
    if value is None:
        return None
    exact = Decimal(value)
    return int(exact) if exact == exact.to_integral_value() else str(exact)
