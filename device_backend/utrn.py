"""GB top-up codes (UTRNs): check, decode, issue (simulator MAC) and mask for logs."""

from __future__ import annotations

import enum
import hashlib
import hmac
import unicodedata
from dataclasses import dataclass

from device_backend.units import format_pounds

__all__ = [
    "MAX_COUNTER",
    "MAX_VALUE",
    "PPTD_OFFSET",
    "UTRN_LENGTH",
    "UtrnError",
    "UtrnFields",
    "UtrnReason",
    "ValueClass",
    "check_digit",
    "compute_mac",
    "decode_utrn",
    "encode_utrn",
    "group_utrn",
    "is_valid_utrn",
    "issue_utrn",
    "mask_utrn",
    "validate_utrn",
    "verify_mac",
]

UTRN_LENGTH = 20
_PPTD_LENGTH = UTRN_LENGTH - 1
# GBCS §14: the 19-digit Prepayment Token Decimal is this offset plus the 64-bit PTUT. The
# offset makes every valid code start 739..., which is how a supplier's code looks on paper.
PPTD_OFFSET = 7394156990786306048
_PTUT_LIMIT = 1 << 57  # the top 7 bits of the PTUT are always zero

MAX_COUNTER = (1 << 10) - 1
MAX_VALUE = (1 << 13) - 1

# --- Verhoeff, as GBCS tables 14.8a-c use it ----------------------------------------------------
#
# _MULTIPLY is the dihedral group D5 (textbook Verhoeff d); _PERMUTE row k is row 1 applied
# k times (textbook p). GBCS differs from the textbook in two ways: digits are taken left to
# right with the permutation row starting at 4 for the first digit and advancing by one (mod
# 8) per digit, and the check digit is read from its own inverse table. That table is exactly
# "the digit which, permuted by the next row, (4 + 19) mod 8 = 7, brings the running product
# back to 0", so a whole 20-digit code is valid when folding all 20 digits gives 0 (the tests
# derive the table to prove this reading of "start permutation row 4").

_MULTIPLY = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_PERMUTE = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_GBCS_INVERSE = (1, 2, 6, 7, 5, 8, 3, 0, 9, 4)
_FIRST_PERMUTATION_ROW = 4


def _fold(digits: str) -> int:
    product = 0
    for position, char in enumerate(digits):
        row = _PERMUTE[(_FIRST_PERMUTATION_ROW + position) % 8]
        product = _MULTIPLY[product][row[ord(char) - ord("0")]]
    return product


def check_digit(first19: str) -> int:
    """The GBCS Verhoeff check digit for the first 19 digits of a UTRN."""
    if len(first19) != _PPTD_LENGTH or not _all_digits(first19):
        raise ValueError(f"the check digit is computed over exactly 19 digits, not {first19!r}")
    return _GBCS_INVERSE[_fold(first19)]


# --- Validation with household wording ---------------------------------------------------------


class UtrnReason(enum.StrEnum):
    LENGTH = "length"
    NOT_DIGITS = "not_digits"
    CHECK_DIGIT = "check_digit"
    # Length and check digit fine, but the number is not a top-up token (below the GBCS
    # offset, top bits set, or an undefined value class). Only decode_utrn raises it: a
    # PPMID checks length and check digit, and leaves the rest to the meter.
    NOT_A_TOP_UP = "not_a_top_up"


class UtrnError(ValueError):
    """A code the household must re-enter; str(error) is fit to show them as it is."""

    def __init__(self, message: str, reason: UtrnReason) -> None:
        super().__init__(message)
        self.reason = reason


_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def _normalise(text: str) -> str:
    # NFKC turns full-width digits (phone keyboards) into ASCII ones; the spaces and dashes
    # people copy from a receipt or type to keep their place are dropped.
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and c not in _DASHES)


def _all_digits(text: str) -> bool:
    # Not str.isdigit(): that accepts superscripts and other scripts' digits, which a meter
    # would receive as bytes it cannot read.
    return all("0" <= c <= "9" for c in text)


def validate_utrn(text: str) -> str:
    """The 20 digits of a UTRN a household typed, or a UtrnError saying what to fix."""
    digits = _normalise(text)
    if not _all_digits(digits):
        raise UtrnError(
            "A top-up code is only the digits 0 to 9: please check for letters or symbols.",
            UtrnReason.NOT_DIGITS,
        )
    if len(digits) != UTRN_LENGTH:
        entered = str(len(digits)) if digits else "none"
        raise UtrnError(
            f"A top-up code has {UTRN_LENGTH} digits; you entered {entered}.", UtrnReason.LENGTH
        )
    if _fold(digits) != 0:
        raise UtrnError("That code is not valid: please check the digits.", UtrnReason.CHECK_DIGIT)
    return digits


def is_valid_utrn(text: str) -> bool:
    try:
        validate_utrn(text)
    except UtrnError:
        return False
    return True


# --- The token inside: PTUT fields -------------------------------------------------------------


class ValueClass(enum.IntEnum):
    PENCE = 0b00
    POUNDS = 0b01


@dataclass(frozen=True, kw_only=True, slots=True)
class UtrnFields:
    """The Prepayment Top-Up Token: the high 32 bits are the header, the low 32 the MAC."""

    counter: int  # 10 bits; in GBCS, bits 32-41 of the supplier's 64-bit originator counter
    value_class: ValueClass
    value: int  # 13 bits, in the unit value_class names
    mac: int  # 32 bits

    def __post_init__(self) -> None:
        if not 0 <= self.counter <= MAX_COUNTER:
            raise ValueError(f"the UTRN counter is 10 bits (0-{MAX_COUNTER}), not {self.counter}")
        if not 0 <= self.value <= MAX_VALUE:
            raise ValueError(f"the UTRN value is 13 bits (0-{MAX_VALUE}), not {self.value}")
        if not 0 <= self.mac <= 0xFFFFFFFF:
            raise ValueError(f"the UTRN MAC is 32 bits, not {self.mac:#x}")
        # Coerce a plain 0/1 so `value_pence` can compare by identity; 2 and 3 raise.
        object.__setattr__(self, "value_class", ValueClass(self.value_class))

    @property
    def value_pence(self) -> int:
        return self.value * (100 if self.value_class is ValueClass.POUNDS else 1)

    @property
    def header(self) -> int:
        """7 zero bits | counter (10) | value class (2) | value (13)."""
        return (self.counter << 15) | (int(self.value_class) << 13) | self.value

    @property
    def ptut(self) -> int:
        return (self.header << 32) | self.mac


def decode_utrn(utrn: str) -> UtrnFields:
    """Fields of a UTRN; raises UtrnError for a mistyped code or one that is no top-up token."""
    digits = validate_utrn(utrn)
    ptut = int(digits[:_PPTD_LENGTH]) - PPTD_OFFSET
    header = ptut >> 32
    value_class = (header >> 13) & 0b11
    if not 0 <= ptut < _PTUT_LIMIT or value_class > ValueClass.POUNDS:
        raise UtrnError(
            "That is not a top-up code: please check the digits.", UtrnReason.NOT_A_TOP_UP
        )
    return UtrnFields(
        counter=(header >> 15) & MAX_COUNTER,
        value_class=ValueClass(value_class),
        value=header & MAX_VALUE,
        mac=ptut & 0xFFFFFFFF,
    )


def encode_utrn(fields: UtrnFields) -> str:
    """The 20-digit UTRN carrying `fields`: PPTD then its check digit."""
    pptd = str(PPTD_OFFSET + fields.ptut)
    # The offset is 19 digits and a 57-bit PTUT cannot carry it into a 20th.
    assert len(pptd) == _PPTD_LENGTH
    return pptd + str(check_digit(pptd))


# --- Issuing (simulator only) ------------------------------------------------------------------
#
# A real UTRN's MAC is the last 4 bytes of an AES-GCM GMAC tag under a key agreed between the
# supplier's prepayment key and the meter's key-agreement key (GBCS §14). The simulator has
# neither key, so its "supplier" and "meter" share a secret and use HMAC-SHA256 over the meter
# id and the header instead. Codes keep the real structure and check digit; only a meter of
# this simulator can verify their MAC.


def _meter_bytes(meter_id: str) -> bytes:
    # "00-1A-2B..." and "001a2b..." name the same meter, so they must give the same MAC.
    normal = "".join(c for c in meter_id if c not in " -:").lower()
    if not normal:
        raise ValueError("a meter id is needed to issue or check a top-up code")
    return normal.encode("utf-8")


def compute_mac(key: bytes, meter_id: str, header: int) -> int:
    """HMAC-SHA256(key, meter id + header as 4 big-endian bytes), first 4 bytes."""
    if not isinstance(key, bytes | bytearray) or not key:
        raise ValueError("the top-up key must be non-empty bytes")
    message = _meter_bytes(meter_id) + header.to_bytes(4, "big")
    return int.from_bytes(hmac.new(bytes(key), message, hashlib.sha256).digest()[:4], "big")


def verify_mac(key: bytes, meter_id: str, fields: UtrnFields) -> bool:
    expected = compute_mac(key, meter_id, fields.header)
    # Constant-time so a meter under test does not leak how many MAC bytes were right.
    return hmac.compare_digest(expected.to_bytes(4, "big"), fields.mac.to_bytes(4, "big"))


def issue_utrn(key: bytes, counter: int, value_pence: int, meter_id: str) -> str:
    """A UTRN for `value_pence`, in pence when it fits 13 bits, else in whole pounds."""
    if isinstance(value_pence, bool) or not isinstance(value_pence, int):
        raise TypeError(f"value_pence must be an int, not {type(value_pence).__name__}")
    if value_pence < 0:
        raise ValueError("a top-up cannot be negative")
    if value_pence <= MAX_VALUE:
        value_class, value = ValueClass.PENCE, value_pence
    elif value_pence % 100:
        raise ValueError(
            f"a top-up over {format_pounds(MAX_VALUE)} must be whole pounds; "
            f"{format_pounds(value_pence)} cannot be carried in a UTRN"
        )
    elif value_pence // 100 > MAX_VALUE:
        raise ValueError(
            f"a single top-up cannot exceed {format_pounds(MAX_VALUE * 100)}; "
            f"{format_pounds(value_pence)} asked"
        )
    else:
        value_class, value = ValueClass.POUNDS, value_pence // 100
    header = UtrnFields(counter=counter, value_class=value_class, value=value, mac=0).header
    mac = compute_mac(key, meter_id, header)
    return encode_utrn(UtrnFields(counter=counter, value_class=value_class, value=value, mac=mac))


# --- Display -----------------------------------------------------------------------------------


def group_utrn(digits: str) -> str:
    """Groups of four from the left, as printed on a receipt; works on a part-typed code too."""
    normal = _normalise(digits)
    return " ".join(normal[i : i + 4] for i in range(0, len(normal), 4))


def mask_utrn(utrn: str) -> str:
    """For logs and the store: "**** **** **** **** 0738".

    A UTRN is a bearer token until the meter accepts it, so only the last four digits are
    kept, enough to match a receipt. Anything much shorter than a code is masked entirely,
    because four characters of a short entry would be most of it.
    """
    normal = _normalise(utrn)
    shown = 4 if len(normal) >= 12 else 0
    masked = "*" * (len(normal) - shown) + normal[len(normal) - shown :]
    # Group from the right so the visible four always stand alone.
    head = len(masked) % 4
    groups = ([masked[:head]] if head else []) + [
        masked[i : i + 4] for i in range(head, len(masked), 4)
    ]
    return " ".join(groups)
