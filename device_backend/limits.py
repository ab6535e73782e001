"""Every number a person types, checked once at the edge: durations, speeds, money, dates, seeds.

The command lines (through `cli_args`) and the scenario loader use these same checks, so
`ihd --after`, `ihd-cli simulate --for` and a scenario's `duration = "..."` accept exactly the
same text, and a value that would overflow the calendar, a ZCL attribute or the simulator's
clock is refused with a one-line reason before anything runs or is written. Each raises
ValueError with words for a person (no type names, no tracebacks).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

# --- durations -------------------------------------------------------------------------------

# One syntax everywhere: one or more parts of a number and a unit, largest unit first, each
# unit at most once: d (days), h (hours), m (minutes), s (seconds); decimals are allowed
# ("1.5h"), spaces between parts are ignored, and a bare number is seconds.
DURATION_HELP = "a duration like 90s, 30m, 1.5h, 2d or 1h30m"
MAX_DURATION = timedelta(days=3660)  # ten years: far beyond any trial or soak, inside the calendar
_PART = re.compile(r"(\d{1,15}(?:\.\d{1,6})?)([dhms])")
_UNIT_SECONDS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
_BARE = re.compile(r"\d{1,15}(?:\.\d{1,6})?")


def parse_duration(text: object) -> timedelta:
    """The one duration syntax; refuses anything above MAX_DURATION."""
    if not isinstance(text, str):
        raise ValueError(f"expected {DURATION_HELP}")
    cleaned = text.strip().lower().replace(" ", "")
    if _BARE.fullmatch(cleaned):
        seconds = Decimal(cleaned)
    else:
        parts = _PART.findall(cleaned)
        units = [unit for _, unit in parts]
        in_order = units == sorted(set(units), key="dhms".index)
        if not parts or "".join(n + u for n, u in parts) != cleaned or not in_order:
            raise ValueError(f"{_shown(text)} is not {DURATION_HELP}")
        seconds = sum((Decimal(n) * _UNIT_SECONDS[u] for n, u in parts), Decimal(0))
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"{_shown(text)} is too long: at most {MAX_DURATION.days}d (ten years)")
    return timedelta(seconds=float(seconds))


def positive_duration(text: object) -> timedelta:
    result = parse_duration(text)
    if result <= timedelta(0):
        raise ValueError(f"a duration must be longer than zero, got {_shown(text)}")
    return result


# --- clock speed -----------------------------------------------------------------------------

MIN_SPEED = 0.01  # a simulated day then takes 100 days: slower is a typing mistake
MAX_SPEED = 1_000_000.0  # well past what the CPU keeps up with; "max" means as fast as it can


def clock_speed(text: object) -> float:
    try:
        speed = float(str(text).strip())
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a number") from None
    if not math.isfinite(speed) or not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValueError(
            f"the speed must be between {MIN_SPEED:g} and {MAX_SPEED:,.0f} times real time "
            f"(1 is real time), got {_shown(text)}"
        )
    return speed


# --- money -----------------------------------------------------------------------------------


def finite_decimal(value: object) -> Decimal:
    """A Decimal that is a number: NaN, sNaN and the infinities are refused."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{_shown(value)} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{_shown(value)} is not a finite number")
    return number


def bounded_decimal(value: object, low: Decimal, high: Decimal, what: str) -> Decimal:
    number = finite_decimal(value)
    if not low <= number <= high:
        raise ValueError(f"must be between {low} and {high}{what}, got {_shown(value)}")
    return number


def places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def pounds_to_pence(text: object, *, max_pence: int) -> int:
    """An amount of money in pounds (e.g. 10 or 12.50): whole pence, above 0, at most max."""
    amount = finite_decimal(text)
    if amount <= 0:
        raise ValueError("a top-up must be worth more than nothing")
    if amount > Decimal(max_pence) / 100:  # compared, not multiplied: 1e999999999 overflows
        raise ValueError(f"a top-up is at most £{Decimal(max_pence) / 100:.2f}, got {_shown(text)}")
    if places(amount) > 2:
        raise ValueError(f"a top-up is a whole number of pence, got {_shown(text)}")
    return int(amount * 100)


def pence(value: int, *, max_pence: int) -> int:
    if not 0 < value <= max_pence:
        raise ValueError(f"a top-up is 1 to {max_pence} pence, got {value}")
    return value


# --- dates and times -------------------------------------------------------------------------

# GB smart metering began in this century and ZigBee time counts from 2000-01-01; keeping every
# date inside it means no sum of a date and a duration can leave Python's or ZigBee's calendar.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def calendar_date(text: object) -> date:
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a date: use YYYY-MM-DD, e.g. 2026-10-01") from None
    return in_calendar(day)


def in_calendar(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day.isoformat()} is outside {FIRST_DAY} to {LAST_DAY}")
    return day


def moment_in_calendar(moment: datetime) -> datetime:
    first = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=UTC)
    last = datetime.combine(LAST_DAY, datetime.max.time(), tzinfo=UTC)
    if not first <= moment <= last:
        raise ValueError(
            f"{moment.isoformat()} is outside {FIRST_DAY} to {LAST_DAY} (UTC), the span the "
            "simulator and ZigBee's clock both cover"
        )
    return moment


# --- seeds and whole numbers -----------------------------------------------------------------

MAX_SEED = 2**63 - 1


def seed(text: object) -> int:
    value = whole_number(text)
    if not 0 <= value <= MAX_SEED:
        raise ValueError(f"a seed is a whole number from 0 to {MAX_SEED}, got {_shown(text)}")
    return value


def whole_number(text: object) -> int:
    raw = str(text).strip()
    if not re.fullmatch(r"[+-]?\d{1,30}", raw):
        raise ValueError(f"{_shown(text)} is not a whole number")
    return int(raw)


def _shown(value: object) -> str:
    """The value as typed, short and with control characters escaped, for a message."""
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"
