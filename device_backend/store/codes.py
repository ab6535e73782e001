"""Integer codes, exact-number helpers and UTC/London time arithmetic shared by the store."""

from __future__ import annotations

import enum
import math
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from device_backend.clock import LONDON
from device_backend.model import Fuel

SLOT_SECONDS = 1800  # one half-hour; UK offsets are whole hours, so UTC slots are local slots
MICRO = 1_000_000  # prices and standing charges are held as integer millionths of a penny
FUEL_CODE: dict[Fuel, int] = {Fuel.ELECTRICITY: 1, Fuel.GAS: 2}
FUEL_BY_CODE: dict[int, Fuel] = {code: fuel for fuel, code in FUEL_CODE.items()}


class Kind(enum.IntEnum):
    """What a raw reading row holds."""

    DEMAND = 0  # instantaneous demand (kW, or m3/h for gas)
    ENERGY = 1  # cumulative summation register


class Register(enum.IntEnum):
    """Which cumulative register a baseline follows."""

    IMPORT = 0
    EXPORT = 1


def fuel_code(fuel: Fuel | str) -> int:
    return FUEL_CODE[Fuel(fuel)]


def epoch(moment: datetime) -> int:
    """Whole UTC seconds; a naive time is refused because it would be read as local time."""
    if moment.tzinfo is None:
        raise ValueError("store times must be timezone-aware (UTC), not naive")
    return math.floor(moment.timestamp())


def utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def utc_iso(seconds: int) -> str:
    return utc(seconds).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, LONDON).isoformat()


@lru_cache(maxsize=65536)
def local_day_of_hour(hour: int) -> str:
    """The London date (YYYY-MM-DD) of a UTC hour; constant within the hour as offsets are whole."""
    return datetime.fromtimestamp(hour * 3600, LONDON).date().isoformat()


def local_day(seconds: int) -> str:
    return local_day_of_hour(seconds // 3600)


def local_midnight(day: date) -> datetime:
    """Local midnight as an aware London time (midnight always exists: the UK changes at 01:00)."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON)


def day_bounds(day: date) -> tuple[int, int]:
    """UTC seconds of a local day's start and end: 23, 24 or 25 hours apart."""
    return epoch(local_midnight(day)), epoch(local_midnight(day + timedelta(days=1)))


@lru_cache(maxsize=4096)
def day_bounds_of(day: str) -> tuple[int, int]:
    return day_bounds(date.fromisoformat(day))


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def to_micro(value: Decimal) -> int:
    """Exact to a millionth of a penny; finer fractions are rounded half-even."""
    return int((value * MICRO).to_integral_value(ROUND_HALF_EVEN))


def decimal_text(value: Decimal) -> str:
    """A canonical text for a Decimal, so 1, 1.0 and 1.00 are one scaling, not three."""
    return format(value.normalize(), "f")
