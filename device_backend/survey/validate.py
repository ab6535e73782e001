"""Turn what an engineer typed into a field's canonical value, or refuse it with a reason."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from device_backend.survey.fields import FieldSpec

_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_EUI64 = re.compile(r"^[0-9a-f]{2}([:-]?[0-9a-f]{2}){7}$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
# 16+ hex digits in a row (spaces or dashes between groups) look like an install code or a key;
# device addresses written with colons are allowed, since they are not secret.
_SECRET_LIKE = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f][ -]?){15,}[0-9A-Fa-f](?![0-9A-Fa-f:])")
_MAX_DECIMALS = 2
# An MPAN (Wikipedia, "Meter Point Administration Number"; gb_domain.md §10): the 13-digit core
# (distributor 2 digits, unique id 8, check digit 1), and in its full 21-character form a top
# line before it: profile class (2 digits, 00-08), meter time-switch code (3 digits, 001-999)
# and line loss factor class (3 letters or digits).
_MPAN_FULL = re.compile(r"^(\d{2})(\d{3})([A-Z0-9]{3})(\d{13})$")
_MPAN_WEIGHTS = (3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43)  # primes, 11 left out
_DISTRIBUTORS = range(10, 39)  # 10-23 the regional DNOs, 24 and up the independent IDNOs
_PROFILE_CLASSES = range(0, 9)


class FieldError(ValueError):
    """What is wrong with a field's text and how to put it right."""


def mask_secrets(text: str) -> str:
    """`text` with anything shaped like an install code or key starred out but its last four
    characters: what the store keeps of refused typing and of a photograph's caption."""
    return _SECRET_LIKE.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)


def mpan_core(text: str) -> str:
    """The 13-digit core of a (validated) MPAN: the bottom line."""
    return text[-13:]


def _clean_digits(text: str) -> str:
    return re.sub(r"[\s-]", "", text)


def check_mpan(text: str) -> str:
    raw = _clean_digits(text).upper().removeprefix("S")
    if not raw.isalnum():
        raise FieldError(
            "An MPAN is digits only (the full 21-character form also has a 3-character "
            "line loss class)."
        )
    if raw.isdigit() and len(raw) != 13 and len(raw) != 21:
        raise FieldError(
            f"An MPAN core has 13 digits; this has {len(raw)}. Copy the bottom line of "
            "the MPAN from the bill or the meter."
        )
    if len(raw) == 13 and raw.isdigit():
        top, core = None, raw
    elif match := _MPAN_FULL.match(raw):
        top, core = match.groups()[:2], match.group(4)
    else:
        raise FieldError("This is not an MPAN: use the 13-digit core, or all 21 characters.")
    if int(core[:2]) not in _DISTRIBUTORS:
        raise FieldError(
            f"An MPAN starts with its distributor (10 to 38); {core[:2]} is not "
            "one. Re-read the number."
        )
    top_ok = top is None or (int(top[0]) in _PROFILE_CLASSES and int(top[1]) > 0)
    if not top_ok and _check_digit_ok(core):
        raise FieldError(
            "The MPAN's top line (profile class or meter time-switch code) is not "
            "valid; enter just the 13-digit core if unsure."
        )
    if not _check_digit_ok(core):
        raise FieldError(
            "The MPAN's check digit does not match: a digit is probably mistyped. "
            "Re-read the number from the bill or the meter."
        )
    return raw


def _check_digit_ok(core: str) -> bool:
    """The sum of each of the first 12 digits times its weight, mod 11, then mod 10."""
    total = sum(w * int(d) for w, d in zip(_MPAN_WEIGHTS, core[:12], strict=True))
    return total % 11 % 10 == int(core[12])


def check_mprn(text: str) -> str:
    raw = _clean_digits(text)
    if not raw.isdigit():
        raise FieldError("An MPRN is digits only.")
    if not 6 <= len(raw) <= 10:
        raise FieldError(f"An MPRN has 6 to 10 digits; this has {len(raw)}.")
    return raw


def check_postcode(text: str) -> str:
    raw = re.sub(r"\s+", " ", text.strip().upper())
    if not _POSTCODE.match(raw):
        raise FieldError("Not a UK postcode: expected something like SW1A 1AA.")
    compact = raw.replace(" ", "")
    return f"{compact[:-3]} {compact[-3:]}"


def check_position_name(text: str) -> str:
    raw = text.strip().lower()
    if _EUI64.match(raw):
        digits = re.sub(r"[:-]", "", raw)
        return ":".join(digits[i : i + 2] for i in range(0, 16, 2))
    if not _NAME.match(raw):
        raise FieldError(
            "A position name is a short word (letters, digits, - or _, starting with "
            "a letter, e.g. landing-2) or a device address such as "
            "00:1a:2b:3c:00:00:e1:04."
        )
    return raw


def _number(text: str, spec: FieldSpec, *, integer: bool) -> str:
    raw = text.strip().replace("\u2212", "-")
    unit = f" {spec.unit}" if spec.unit else ""
    if integer:
        if not _INTEGER.match(raw):
            raise FieldError(f"Enter a whole number{unit}.")
        value = Decimal(int(raw))
    else:
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise FieldError("Enter a number such as 12.5 (use a point, not a comma).") from None
        if not value.is_finite():
            raise FieldError(f"Enter a number{unit}.")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -_MAX_DECIMALS:
            raise FieldError(f"At most {_MAX_DECIMALS} decimal places.")
    if spec.low is not None and spec.high is not None and not spec.low <= value <= spec.high:
        raise FieldError(f"Must be between {spec.low} and {spec.high}{unit}.")
    return str(int(value)) if integer else format(value.normalize() + 0, "f")


def check_text(text: str, spec: FieldSpec) -> str:
    raw = text.strip()
    if len(raw) > spec.max_length:
        raise FieldError(f"Limited to {spec.max_length} characters ({len(raw)} typed).")
    if any(ord(c) < 32 and c not in "\n\t" for c in raw):
        raise FieldError("Contains control characters; retype it.")
    if _SECRET_LIKE.search(raw):
        raise FieldError(
            "This looks like an install code or a key: a survey must not hold "
            "secrets. Remove it (write a device address with colons, "
            "e.g. 00:1a:2b:3c:00:00:e1:04)."
        )
    return raw


def check_choice(text: str, spec: FieldSpec) -> str:
    wanted = text.strip().lower()
    for choice in spec.choices:
        if choice.lower() == wanted:
            return choice
    raise FieldError(f"Choose one of: {', '.join(spec.choices)}.")


def check(spec: FieldSpec, text: str) -> str | None:
    """The canonical value of `text` for `spec`; None for an empty field. Raises FieldError."""
    if not text.strip():
        return None
    match spec.kind:
        case "mpan":
            return check_mpan(text)
        case "mprn":
            return check_mprn(text)
        case "postcode":
            return check_postcode(text)
        case "position_name":
            return check_position_name(text)
        case "int":
            return _number(text, spec, integer=True)
        case "decimal":
            return _number(text, spec, integer=False)
        case "choice":
            return check_choice(text, spec)
        case "text" | "notes":
            return check_text(text, spec)
    raise AssertionError(f"unknown field kind {spec.kind}")
