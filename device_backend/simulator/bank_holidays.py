"""England and Wales bank holidays: rule-based, with the one-off changes government announced."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

__all__ = ["england_bank_holidays", "is_bank_holiday"]


def _easter_sunday(year: int) -> date:
    # Anonymous Gregorian computus (Meeus/Jones/Butcher).
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=last.weekday())


# One-off changes announced by government; the rule-based list cannot know them.
_SPECIAL_ADDED = {date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)}
_SPECIAL_MOVED = {date(2020, 5, 4): date(2020, 5, 8), date(2022, 5, 30): date(2022, 6, 2)}


@lru_cache(maxsize=64)
def england_bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays for a year, with weekend substitute days."""
    days: set[date] = set()
    new_year = date(year, 1, 1)
    days.add(new_year + timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0)))
    easter = _easter_sunday(year)
    days.update({easter - timedelta(days=2), easter + timedelta(days=1)})
    days.update({_first_monday(year, 5), _last_monday(year, 5), _last_monday(year, 8)})
    christmas = date(year, 12, 25)
    # Christmas and Boxing Day each move to the next weekday not already taken.
    taken: set[date] = set()
    for holiday in (christmas, christmas + timedelta(days=1)):
        when = holiday
        while when.weekday() >= 5 or when in taken:
            when += timedelta(days=1)
        taken.add(when)
    days.update(taken)
    for usual, moved in _SPECIAL_MOVED.items():
        if usual in days:
            days.discard(usual)
            days.add(moved)
    days.update(d for d in _SPECIAL_ADDED if d.year == year)
    return frozenset(days)


def is_bank_holiday(day: date) -> bool:
    return day in england_bank_holidays(day.year)
