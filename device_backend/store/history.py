"""History in Europe/London time from the rollups: period totals with cost, and chart series.

Every query reads the half-hourly or daily rollups (a few hundred rows at most), never the raw
10-second rows, except a chart of a day or less, which shows the raw demand itself.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from device_backend.clock import LONDON
from device_backend.model import Fuel
from device_backend.store.catalog import Catalog
from device_backend.store.codes import (
    MICRO,
    SLOT_SECONDS,
    Kind,
    epoch,
    fuel_code,
    local_date,
    local_midnight,
    utc,
)

RAW_SERIES_LIMIT = timedelta(hours=26)  # up to a (25-hour) day: raw points
HALF_HOUR_SERIES_LIMIT = timedelta(days=62)  # up to two months: half-hour averages; then days


class Bucket(enum.StrEnum):
    HALF_HOUR = "half_hour"
    DAY = "day"
    WEEK = "week"  # starts on Monday
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, kw_only=True, slots=True)
class PeriodTotal:
    """Consumption and cost of one period; energy exact, money in exact pence (not rounded).

    `cost_pence` = energy cost + standing charge, and `includes_standing_charge` says whether
    the latter is in it (never for half-hour periods; not when no tariff was known). VAT is
    as published in the prices.
    """

    fuel: Fuel
    start: datetime  # Europe/London
    end: datetime
    kwh: Decimal
    export_kwh: Decimal
    energy_cost_pence: Decimal | None  # None: no data, or none of the use had a known price
    unpriced_kwh: Decimal  # use with no price in force, left out of the cost
    standing_charge_pence: Decimal | None

    @property
    def includes_standing_charge(self) -> bool:
        return self.standing_charge_pence is not None

    @property
    def cost_pence(self) -> Decimal | None:
        parts = [p for p in (self.energy_cost_pence, self.standing_charge_pence) if p is not None]
        return sum(parts, Decimal(0)) if parts else None

    @property
    def hours(self) -> int:
        """23 or 25 for the days the clocks change."""
        # Aware datetimes sharing a tzinfo subtract as wall clocks, so compare in UTC.
        return round((self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() / 3600)


@dataclass(frozen=True, slots=True)
class Series:
    """Chart data: floats are fine here and only here. Times are UTC epoch seconds."""

    times: NDArray[np.float64]
    kw: NDArray[np.float64]
    resolution: str  # "raw", "half_hour" or "day" (a period's average kW at its start)


def bucket_floor(day: date, bucket: Bucket) -> date:
    if bucket is Bucket.WEEK:
        return day - timedelta(days=day.weekday())
    if bucket is Bucket.MONTH:
        return day.replace(day=1)
    if bucket is Bucket.YEAR:
        return day.replace(month=1, day=1)
    return day


def bucket_next(day: date, bucket: Bucket) -> date:
    if bucket is Bucket.WEEK:
        return day + timedelta(days=7)
    if bucket is Bucket.MONTH:
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if bucket is Bucket.YEAR:
        return date(day.year + 1, 1, 1)
    return day + timedelta(days=1)


def bucket_days(first: date, stop: date, bucket: Bucket) -> Iterator[tuple[date, date]]:
    """(start, end) local dates of whole buckets from the one holding `first` up to `stop`."""
    day = bucket_floor(first, bucket)
    while day < stop:
        following = bucket_next(day, bucket)
        yield day, following
        day = following


def recent_span(today: date, count: int, bucket: Bucket) -> tuple[date, date]:
    """Local dates spanning the last `count` whole buckets, the one holding `today` last."""
    first = bucket_floor(today, bucket)
    for _ in range(count - 1):
        first = bucket_floor(first - timedelta(days=1), bucket)
    return first, bucket_next(bucket_floor(today, bucket), bucket)


_BUCKET_SQL = {
    Bucket.DAY: "day",
    Bucket.WEEK: "date(day, '-6 days', 'weekday 1')",  # the Monday on or before
    Bucket.MONTH: "substr(day, 1, 8) || '01'",
    Bucket.YEAR: "substr(day, 1, 5) || '01-01'",
}


@dataclass(slots=True)
class _Sums:
    kwh: Decimal = Decimal(0)
    export_kwh: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    unpriced_kwh: Decimal = Decimal(0)
    rows: int = 0
    standing: Decimal | None = None


class History:
    """The read side of the store: queries over rollups for one connection."""

    def __init__(self, conn: sqlite3.Connection, catalog: Catalog) -> None:
        self._conn = conn
        self._catalog = catalog

    def _add(self, sums: _Sums, scaling: int, raws: tuple[int, int, int, int]) -> None:
        imported, exported, cost_units, unpriced = raws
        kwh = self._catalog.to_kwh
        sums.kwh += kwh(imported, scaling)
        sums.export_kwh += kwh(exported, scaling)
        sums.cost += kwh(cost_units, scaling) / MICRO
        sums.unpriced_kwh += kwh(unpriced, scaling)
        sums.rows += 1

    def period_totals(
        self, fuel: Fuel, start: datetime, end: datetime, bucket: Bucket
    ) -> list[PeriodTotal]:
        """Whole buckets (local days, Monday weeks, months, years, half-hours) over [start, end)."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("history periods need timezone-aware times")
        if bucket is Bucket.HALF_HOUR:
            return self._half_hours(fuel, start, end)
        stop = local_date(end - timedelta(microseconds=1)) + timedelta(days=1)
        spans = list(bucket_days(local_date(start), stop, bucket))
        if not spans:
            return []
        sums = {first: _Sums() for first, _ in spans}
        low, high, code = spans[0][0].isoformat(), spans[-1][1].isoformat(), fuel_code(fuel)
        rows = self._conn.execute(
            f"SELECT {_BUCKET_SQL[bucket]} AS b, scaling, sum(import_raw), sum(export_raw), "
            "sum(cost_units), sum(unpriced_raw) FROM daily WHERE fuel = ? AND day >= ? AND day < ? "
            "GROUP BY b, scaling",
            (code, low, high),
        )
        for key, scaling, *raws in rows:
            self._add(sums[date.fromisoformat(key)], scaling, tuple(raws))
        standing = self._conn.execute(
            f"SELECT {_BUCKET_SQL[bucket]} AS b, sum(standing_micro_pence) FROM daily_standing "
            "WHERE fuel = ? AND day >= ? AND day < ? GROUP BY b",
            (code, low, high),
        )
        for key, micro in standing:
            sums[date.fromisoformat(key)].standing = Decimal(micro) / MICRO
        return [
            _total(fuel, local_midnight(first), local_midnight(following), sums[first])
            for first, following in spans
        ]

    def _half_hours(self, fuel: Fuel, start: datetime, end: datetime) -> list[PeriodTotal]:
        first = epoch(start) - epoch(start) % SLOT_SECONDS
        stop = epoch(end)
        sums = {slot: _Sums() for slot in range(first, stop, SLOT_SECONDS)}
        rows = self._conn.execute(
            "SELECT slot, scaling, import_raw, export_raw, cost_units, unpriced_raw "
            "FROM half_hourly "
            "WHERE fuel = ? AND slot >= ? AND slot < ?",
            (fuel_code(fuel), first, stop),
        )
        for slot, scaling, *raws in rows:
            self._add(sums[slot], scaling, tuple(raws))
        return [
            _total(
                fuel, utc(slot).astimezone(LONDON), utc(slot + SLOT_SECONDS).astimezone(LONDON), s
            )
            for slot, s in sums.items()
        ]

    def series(
        self, fuel: Fuel, start: datetime, end: datetime, resolution: str = "auto"
    ) -> Series:
        """Average kW over time for charts: raw for a day or less, then half-hours, then days."""
        span = end - start
        if resolution == "auto":
            resolution = (
                "raw"
                if span <= RAW_SERIES_LIMIT
                else ("half_hour" if span <= HALF_HOUR_SERIES_LIMIT else "day")
            )
        low, high, code = epoch(start), epoch(end), fuel_code(fuel)
        if resolution == "raw":
            found = self._raw_series(code, low, high)
            if found is not None:
                return found
            resolution = "half_hour"
        if resolution == "half_hour":
            return self._rollup_series(code, low, high, half_hour=True)
        if resolution == "day":
            return self._rollup_series(code, low, high, half_hour=False)
        raise ValueError(
            f"unknown series resolution {resolution!r}: use auto, raw, half_hour or day"
        )

    def _raw_series(self, code: int, low: int, high: int) -> Series | None:
        if code == fuel_code(Fuel.ELECTRICITY):  # gas demand is m3/h, not kW: use its register
            rows = self._conn.execute(
                "SELECT t, raw * 1.0 * multiplier / divisor FROM readings "
                "WHERE fuel = ? AND kind = ? AND t >= ? AND t < ? ORDER BY t",
                (code, int(Kind.DEMAND), low, high),
            ).fetchall()
            if rows:
                data = np.array(rows, dtype=np.float64)
                return Series(data[:, 0].copy(), data[:, 1].copy(), "raw")
        rows = self._conn.execute(
            "SELECT t, raw, multiplier * 1.0 / divisor * CAST(coalesce(kwh_per_unit, '1') AS REAL) "
            "FROM readings WHERE fuel = ? AND kind = ? AND t >= ? AND t < ? ORDER BY t",
            (code, int(Kind.ENERGY), low, high),
        ).fetchall()
        if len(rows) < 2:
            return None
        data = np.array(rows, dtype=np.float64)
        dt = np.diff(data[:, 0])
        steps = np.diff(data[:, 1])
        ok = (dt > 0) & (steps >= 0)  # a reset or a repeated second gives no rate
        kw = steps[ok] * data[1:, 2][ok] * 3600.0 / dt[ok]
        return Series(data[1:, 0][ok], kw, "raw")

    def _rollup_series(self, code: int, low: int, high: int, *, half_hour: bool) -> Series:
        # Energy steps give a true average; demand means stand in where there is no register.
        kw = (
            "CASE WHEN r.energy_n > 0 THEN r.import_raw * 1.0 * s.multiplier / s.divisor "
            "* CAST(s.kwh_per_unit AS REAL) * 3600.0 / ({span}) "
            f"WHEN r.fuel = {fuel_code(Fuel.ELECTRICITY)} AND r.demand_n > 0 "
            "THEN r.demand_sum * 1.0 * s.multiplier / s.divisor / r.demand_n END"
        )
        if half_hour:
            sql = (
                f"SELECT r.slot, sum({kw.format(span=SLOT_SECONDS)}) FROM half_hourly r "
                "JOIN scalings s ON s.id = r.scaling "
                "WHERE r.fuel = ? AND r.slot >= ? AND r.slot < ? "
                "GROUP BY r.slot ORDER BY r.slot"
            )
            params: tuple[object, ...] = (code, low - low % SLOT_SECONDS, high)
        else:
            first = local_date(utc(low)).isoformat()
            last = local_date(utc(high - 1)).isoformat()
            sql = (
                f"SELECT r.starts, sum({kw.format(span='r.ends - r.starts')}) FROM daily r "
                "JOIN scalings s ON s.id = r.scaling "
                "WHERE r.fuel = ? AND r.day >= ? AND r.day <= ? "
                "GROUP BY r.day ORDER BY r.day"
            )
            params = (code, first, last)
        rows = [row for row in self._conn.execute(sql, params) if row[1] is not None]
        data = np.array(rows, dtype=np.float64).reshape(-1, 2)
        return Series(data[:, 0].copy(), data[:, 1].copy(), "half_hour" if half_hour else "day")


def _total(fuel: Fuel, start: datetime, end: datetime, sums: _Sums) -> PeriodTotal:
    return PeriodTotal(
        fuel=fuel,
        start=start,
        end=end,
        kwh=sums.kwh,
        export_kwh=sums.export_kwh,
        # No cost when there is no data, or when there was use and none of it had a price.
        energy_cost_pence=None if not sums.rows or 0 < sums.kwh == sums.unpriced_kwh else sums.cost,
        unpriced_kwh=sums.unpriced_kwh,
        standing_charge_pence=sums.standing,
    )
