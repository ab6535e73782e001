"""A time-of-use calendar the GB way: day profiles, week profiles, seasons and special days.

This is what an ESME holds as its Tariff Switching Table and publishes through the Smart
Energy Calendar cluster (0x0707): a day profile lists the switch times of one kind of day and
the tier each one starts; a week profile names a day profile for each weekday; a season says
from which date a week profile applies; a special day (a bank holiday, say) follows its own
day profile whatever its weekday.

Limits: SMETS2 (v1.2+, section 5.13 "Tariff Switching Table") gives an ESME room for 16 day
profiles of up to 48 switching points each, 4 week profiles, 4 seasons and 50 special days; we
refuse a calendar larger than that. Seasons recur every year from a month and day.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from device_backend.simulator.bank_holidays import england_bank_holidays

__all__ = [
    "MAX_DAY_PROFILES",
    "MAX_SEASONS",
    "MAX_SPECIAL_DAYS",
    "MAX_SWITCHES_PER_DAY",
    "MAX_WEEK_PROFILES",
    "DayProfile",
    "Season",
    "SpecialDay",
    "TouCalendar",
    "WeekProfile",
]

MAX_DAY_PROFILES = 16
MAX_SWITCHES_PER_DAY = 48
MAX_WEEK_PROFILES = 4
MAX_SEASONS = 4
MAX_SPECIAL_DAYS = 50
_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, kw_only=True, slots=True)
class DayProfile:
    """One kind of day: from each switch minute (after local midnight) on, its tier applies."""

    day_id: int
    name: str
    switches: tuple[tuple[int, int], ...]  # (minute 0..1439, tier 1..48), by minute

    def __post_init__(self) -> None:
        if not self.switches:
            raise ValueError(f"day profile {self.name!r} has no switch times")
        if len(self.switches) > MAX_SWITCHES_PER_DAY:
            raise ValueError(
                f"day profile {self.name!r} has {len(self.switches)} switch times; a GB meter "
                f"holds at most {MAX_SWITCHES_PER_DAY} a day"
            )
        minutes = [m for m, _ in self.switches]
        if minutes[0] != 0:
            raise ValueError(f"day profile {self.name!r} must start at 00:00")
        if any(b <= a for a, b in itertools.pairwise(minutes)):
            raise ValueError(f"day profile {self.name!r} switch times must increase")
        if minutes[-1] >= _MINUTES_PER_DAY:
            raise ValueError(f"day profile {self.name!r} switches after 23:59")
        for _, tier in self.switches:
            if not 1 <= tier <= 48:
                raise ValueError(f"day profile {self.name!r} uses tier {tier}, not 1-48")

    def tier_at_minute(self, minute: int) -> int:
        index = bisect.bisect_right([m for m, _ in self.switches], minute) - 1
        return self.switches[index][1]

    def day_map(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(start minutes, tiers) with equal neighbours merged: where the price really changes."""
        starts: list[int] = []
        tiers: list[int] = []
        for minute, tier in self.switches:
            if not tiers or tiers[-1] != tier:
                starts.append(minute)
                tiers.append(tier)
        return tuple(starts), tuple(tiers)


@dataclass(frozen=True, kw_only=True, slots=True)
class WeekProfile:
    week_id: int
    name: str
    day_ids: tuple[int, ...]  # Monday first, 7 of them

    def __post_init__(self) -> None:
        if len(self.day_ids) != 7:
            raise ValueError(f"week profile {self.name!r} needs 7 days, Monday first")


@dataclass(frozen=True, kw_only=True, slots=True)
class Season:
    """From this month and day on, every year, the week profile applies (to the next season)."""

    month: int
    day: int
    week_id: int

    def __post_init__(self) -> None:
        date(2024, self.month, self.day)  # a leap year, so 29 February is a valid start

    def on(self, year: int) -> date:
        # 29 February starts on 1 March in other years.
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return date(year, 3, 1)


@dataclass(frozen=True, kw_only=True, slots=True)
class SpecialDay:
    day: date
    day_id: int


@dataclass(frozen=True, kw_only=True)
class TouCalendar:
    """Which day profile applies on a date: special day, else season's week profile."""

    name: str
    day_profiles: tuple[DayProfile, ...]
    week_profiles: tuple[WeekProfile, ...]
    seasons: tuple[Season, ...]
    special_days: tuple[SpecialDay, ...] = ()
    bank_holiday_day_id: int | None = None  # England & Wales bank holidays use this profile

    _days: dict[int, DayProfile] = field(init=False, repr=False, compare=False)
    _weeks: dict[int, WeekProfile] = field(init=False, repr=False, compare=False)
    _special: dict[date, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.name.encode("utf-8")) > 12:
            raise ValueError(f"calendar name {self.name!r} is longer than the 12 octets ZSE allows")
        for what, items, most in (
            ("day profiles", self.day_profiles, MAX_DAY_PROFILES),
            ("week profiles", self.week_profiles, MAX_WEEK_PROFILES),
            ("seasons", self.seasons, MAX_SEASONS),
            ("special days", self.special_days, MAX_SPECIAL_DAYS),
        ):
            if len(items) > most:
                raise ValueError(f"{len(items)} {what}; a GB meter holds at most {most}")
        if not self.day_profiles or not self.week_profiles or not self.seasons:
            raise ValueError("a calendar needs a day profile, a week profile and a season")
        days = {d.day_id: d for d in self.day_profiles}
        weeks = {w.week_id: w for w in self.week_profiles}
        if len(days) != len(self.day_profiles) or len(weeks) != len(self.week_profiles):
            raise ValueError("day and week profile ids must be unique")
        for week in self.week_profiles:
            for day_id in week.day_ids:
                if day_id not in days:
                    raise ValueError(f"week profile {week.name!r} names unknown day {day_id}")
        for season in self.seasons:
            if season.week_id not in weeks:
                raise ValueError(f"a season names unknown week profile {season.week_id}")
        special = {s.day: s.day_id for s in self.special_days}
        if len(special) != len(self.special_days):
            raise ValueError("a date is given twice as a special day")
        referenced: list[int | None] = [*special.values(), self.bank_holiday_day_id]
        for ref in referenced:
            if ref is not None and ref not in days:
                raise ValueError(f"a special day names unknown day profile {ref}")
        starts = [(s.month, s.day) for s in self.seasons]
        if len(set(starts)) != len(starts):
            raise ValueError("two seasons start on the same date")
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "_weeks", weeks)
        object.__setattr__(self, "_special", special)
        object.__setattr__(
            self, "seasons", tuple(sorted(self.seasons, key=lambda s: (s.month, s.day)))
        )

    # -- which profile applies --------------------------------------------------------------

    @property
    def tiers(self) -> frozenset[int]:
        return frozenset(tier for d in self.day_profiles for _, tier in d.switches)

    def season_on(self, day: date) -> Season:
        key = (day.month, day.day)
        current = self.seasons[-1]  # the last season of the year runs on into January
        for season in self.seasons:
            if (season.month, season.day) <= key:
                current = season
        return current

    def special_day_id(self, day: date) -> int | None:
        if day in self._special:
            return self._special[day]
        if self.bank_holiday_day_id is not None and day in england_bank_holidays(day.year):
            return self.bank_holiday_day_id
        return None

    def day_profile_on(self, day: date) -> DayProfile:
        special = self.special_day_id(day)
        if special is not None:
            return self._days[special]
        week = self._weeks[self.season_on(day).week_id]
        return self._days[week.day_ids[day.weekday()]]

    def day_profile(self, day_id: int) -> DayProfile:
        return self._days[day_id]

    # -- what a meter publishes ---------------------------------------------------------------

    def season_starts(self, first: date, last: date) -> list[tuple[date, int]]:
        """Concrete season start dates (with week ids) from the one in force on `first` to `last`."""
        out: list[tuple[date, int]] = []
        for year in range(first.year - 1, last.year + 1):
            for season in self.seasons:
                out.append((season.on(year), season.week_id))
        out.sort()
        in_force = [s for s in out if s[0] <= first]
        later = [s for s in out if first < s[0] <= last]
        return in_force[-1:] + later

    def special_days_between(self, first: date, last: date) -> list[SpecialDay]:
        """Special days (given dates and E&W bank holidays) in [first, last], by date."""
        found: dict[date, int] = {d: i for d, i in self._special.items() if first <= d <= last}
        if self.bank_holiday_day_id is not None:
            for year in range(first.year, last.year + 1):
                for holiday in england_bank_holidays(year):
                    if first <= holiday <= last:
                        found.setdefault(holiday, self.bank_holiday_day_id)
        return [SpecialDay(day=d, day_id=i) for d, i in sorted(found.items())]

    @classmethod
    def from_bands(
        cls,
        name: str,
        weekday: Sequence[tuple[int, int]],
        weekend: Sequence[tuple[int, int]] | None,
    ) -> TouCalendar:
        """The calendar of a tariff written as daily bands (weekend plan also for bank holidays)."""
        days = [DayProfile(day_id=1, name="weekday", switches=tuple(weekday))]
        week = [1] * 7
        holiday = None
        if weekend is not None:
            days.append(DayProfile(day_id=2, name="weekend", switches=tuple(weekend)))
            week = [1, 1, 1, 1, 1, 2, 2]
            holiday = 2
        return cls(
            name=name[:12],
            day_profiles=tuple(days),
            week_profiles=(WeekProfile(week_id=1, name="all year", day_ids=tuple(week)),),
            seasons=(Season(month=1, day=1, week_id=1),),
            bank_holiday_day_id=holiday,
        )
