"""Reading events to column batches, and one write of raw rows plus their rollups.

The hot path avoids per-event Python work where it can: attribute getters and `map` run in C,
a column holding one repeated value (the usual fuel, device and scaling) is passed to SQLite
as `itertools.repeat`, and the rollup arithmetic runs in numpy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import repeat
from operator import attrgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from device_backend.model import Demand, Energy
from device_backend.store import rollup
from device_backend.store.catalog import Catalog
from device_backend.store.codes import (
    Kind,
    Register,
    day_bounds_of,
    decimal_text,
    fuel_code,
    local_day,
)
from device_backend.store.prices import FOREVER
from device_backend.store.rollup import Baseline, BaselineKey, Entry, SlotKey

READING_INSERT = (
    "INSERT INTO readings (t, fuel, kind, raw, multiplier, divisor, export_raw, kwh_per_unit, "
    "device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_TIME, _TZ = attrgetter("time"), attrgetter("tzinfo")
_FUEL, _DEVICE = attrgetter("fuel"), attrgetter("device")
_MULTIPLIER, _DIVISOR = attrgetter("multiplier"), attrgetter("divisor")
_IMPORT, _EXPORT, _RAW = attrgetter("import_raw"), attrgetter("export_raw"), attrgetter("raw")
_KWH = attrgetter("kwh_per_unit")
_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Column:
    """A column that is usually one repeated value, kept as that value until a list is needed."""

    single: Any = None
    values: list[Any] | None = None

    def rows(self) -> Iterable[Any]:
        return repeat(self.single) if self.values is None else self.values

    def array(self, n: int) -> NDArray[np.int64]:
        if self.values is None:
            return np.full(n, self.single, dtype=np.int64)
        return np.array(self.values, dtype=np.int64)


def _mapped(values: list[Any], encode: Callable[[Any], Any]) -> Column:
    """Encode each distinct value once; distinct by identity first, as enum hashing is slow."""
    first = values[0]
    if values.count(first) == len(values):
        return Column(single=encode(first))
    codes = {
        key: encode(value) for key, value in dict(zip(map(id, values), values, strict=True)).items()
    }
    return Column(values=list(map(codes.__getitem__, map(id, values))))


@dataclass(frozen=True, slots=True)
class ReadingBatch:
    """One kind of reading as columns: what goes into `readings` and what the rollups need."""

    kind: Kind
    t: NDArray[np.int64]
    raw: list[int]
    fuel: Column
    device: Column
    scaling: Column  # scalings.id of (multiplier, divisor, kWh factor)
    unit: Column  # scalings.id of (multiplier, divisor, 1): the register's own units
    multiplier: Column
    divisor: Column
    kwh_text: Column
    export: list[int | None] | None  # None when no reading in the batch has an export register

    def __len__(self) -> int:
        return len(self.raw)

    def rows(self) -> Iterable[tuple[Any, ...]]:
        export = repeat(None) if self.export is None else self.export
        return zip(  # the list columns set the length; uniform ones repeat
            self.t.tolist(),
            self.fuel.rows(),
            repeat(int(self.kind)),
            self.raw,
            self.multiplier.rows(),
            self.divisor.rows(),
            export,
            self.kwh_text.rows(),
            self.device.rows(),
            strict=False,
        )


def epochs(times: list[datetime]) -> NDArray[np.int64]:
    """Whole UTC seconds (floored), refusing naive times, which would be read as local."""
    if list(map(_TZ, times)).count(None):
        raise ValueError("reading times must be timezone-aware (UTC), not naive")
    seconds = np.fromiter(map(datetime.timestamp, times), dtype=np.float64, count=len(times))
    return np.floor(seconds).astype(np.int64)


def _kwh_text(value: Decimal) -> str | None:
    return None if value == _ONE else decimal_text(value)


def batch_from_events(
    events: Sequence[Energy] | Sequence[Demand], catalog: Catalog, now: int
) -> ReadingBatch:
    """Columns for events all of one class (Energy or Demand)."""
    energy = type(events[0]) is Energy
    t = epochs(list(map(_TIME, events)))
    multiplier = _mapped(list(map(_MULTIPLIER, events)), int)
    divisor = _mapped(list(map(_DIVISOR, events)), int)
    kwh_text = _mapped(list(map(_KWH, events)), _kwh_text) if energy else Column(single=None)
    scaling = _scalings(catalog, multiplier, divisor, kwh_text)
    unit = scaling if kwh_text == Column(single=None) else _scalings(catalog, multiplier, divisor)
    export: list[int | None] | None = None
    if energy:
        export = list(map(_EXPORT, events))
        if export.count(None) == len(export):
            export = None
    return ReadingBatch(
        kind=Kind.ENERGY if energy else Kind.DEMAND,
        t=t,
        raw=list(map(_IMPORT if energy else _RAW, events)),
        fuel=_mapped(list(map(_FUEL, events)), fuel_code),
        device=_mapped(list(map(_DEVICE, events)), lambda ieee: catalog.device_id(str(ieee), now)),
        scaling=scaling,
        unit=unit,
        multiplier=multiplier,
        divisor=divisor,
        kwh_text=kwh_text,
        export=export,
    )


def _scalings(
    catalog: Catalog, multiplier: Column, divisor: Column, kwh_text: Column | None = None
) -> Column:
    factor = kwh_text or Column(single=None)
    if multiplier.values is None and divisor.values is None and factor.values is None:
        single = catalog.scaling_id(multiplier.single, divisor.single, factor.single or "1")
        return Column(single=single)
    # Uniform columns are endless repeats: the one list among them sets the length.
    triples = zip(multiplier.rows(), divisor.rows(), factor.rows(), strict=False)
    return Column(values=[catalog.scaling_id(m, d, k or "1") for m, d, k in triples])


def load_baselines(conn: sqlite3.Connection) -> dict[BaselineKey, Baseline]:
    rows = conn.execute("SELECT device, fuel, register, unit, t, raw FROM register_baselines")
    return {(d, f, r): Baseline(s, t, raw) for d, f, r, s, t, raw in rows}


def _add_batch(
    totals: dict[SlotKey, Entry], baselines: dict[BaselineKey, Baseline], batch: ReadingBatch
) -> int:
    n = len(batch)
    raw = np.array(batch.raw, dtype=np.int64)
    fuel, scaling = batch.fuel.array(n), batch.scaling.array(n)
    if batch.kind is Kind.DEMAND:
        rollup.add_demand(totals, batch.t, raw, fuel, scaling)
        return 0
    device, unit = batch.device.array(n), batch.unit.array(n)
    late = rollup.add_register_steps(
        totals, baselines, Register.IMPORT, (batch.t, raw, device, fuel, unit, scaling)
    )
    if batch.export is not None:
        has = np.array([value is not None for value in batch.export], dtype=bool)
        exported = np.array([value or 0 for value in batch.export], dtype=np.int64)
        columns = (batch.t[has], exported[has], device[has], fuel[has], unit[has], scaling[has])
        rollup.add_register_steps(totals, baselines, Register.EXPORT, columns)
    return late


def write_batches(conn: sqlite3.Connection, catalog: Catalog, batches: list[ReadingBatch]) -> int:
    """Insert raw rows and fold them into the rollups; returns readings that arrived late."""
    baselines = load_baselines(conn)
    before = dict(baselines)
    totals: dict[SlotKey, Entry] = {}
    late = 0
    for batch in batches:
        conn.executemany(READING_INSERT, batch.rows())
        late += _add_batch(totals, baselines, batch)
    price_entries(totals, catalog)
    upsert_rollups(conn, catalog, totals)
    conn.executemany(
        "INSERT OR REPLACE INTO register_baselines (device, fuel, register, unit, t, raw) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(*key, b.unit, b.t, b.raw) for key, b in baselines.items() if before.get(key) != b],
    )
    return late


def price_entries(totals: dict[SlotKey, Entry], catalog: Catalog) -> None:
    """Cost each half-hour's consumption at the unit price in force at the half-hour's start."""
    for fuel in {key[0] for key in totals}:
        keys = [key for key in totals if key[0] == fuel]
        slots = np.array([key[1] for key in keys], dtype=np.int64)
        prices, known = catalog.timeline(fuel).unit_prices(slots)
        for key, price, priced in zip(keys, prices.tolist(), known.tolist(), strict=True):
            entry = totals[key]
            consumed = int(entry[rollup.IMPORT])  # type: ignore[arg-type]
            entry[rollup.COST] = consumed * price if priced else 0
            entry[rollup.UNPRICED] = 0 if priced else consumed


def _upsert_sql(table: str, key: str, extra: tuple[str, ...] = ()) -> str:
    columns = ("fuel", key, "scaling", *extra, *rollup.SUM_COLUMNS, "demand_max")
    adds = ", ".join(f"{c} = {c} + excluded.{c}" for c in rollup.SUM_COLUMNS)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (fuel, {key}, scaling) DO UPDATE SET {adds}, demand_max = CASE "
        "WHEN excluded.demand_max IS NOT NULL AND (demand_max IS NULL OR "
        "excluded.demand_max > demand_max) THEN excluded.demand_max ELSE demand_max END"
    )


HALF_HOURLY_UPSERT = _upsert_sql("half_hourly", "slot")
DAILY_UPSERT = _upsert_sql("daily", "day", ("starts", "ends"))


def upsert_rollups(
    conn: sqlite3.Connection, catalog: Catalog, totals: dict[SlotKey, Entry]
) -> None:
    conn.executemany(HALF_HOURLY_UPSERT, [(*key, *entry) for key, entry in totals.items()])
    days = rollup.by_local_day(totals)
    conn.executemany(
        DAILY_UPSERT, [(*key, *day_bounds_of(key[1]), *entry) for key, entry in days.items()]
    )
    refresh_standing(conn, catalog, {(fuel, day) for fuel, day, _ in days})


def refresh_standing(
    conn: sqlite3.Connection, catalog: Catalog, days: Iterable[tuple[int, str]]
) -> None:
    """Each day with data carries the standing charge in force that day, or none if unknown."""
    keep, drop = [], []
    for fuel, day in days:
        charge = catalog.timeline(fuel).standing_for_day(*day_bounds_of(day))
        (drop.append((fuel, day)) if charge is None else keep.append((fuel, day, charge)))
    conn.executemany("INSERT OR REPLACE INTO daily_standing VALUES (?, ?, ?)", keep)
    conn.executemany("DELETE FROM daily_standing WHERE fuel = ? AND day = ?", drop)


def reprice(
    conn: sqlite3.Connection, catalog: Catalog, fuel: int, start: int, end: int | None
) -> None:
    """After a price change, recompute costs of half-hours and days from `start` to `end`."""
    stop = FOREVER if end is None else end
    first = start - start % 1800
    rows = conn.execute(
        "SELECT slot, scaling, import_raw FROM half_hourly "
        "WHERE fuel = ? AND slot >= ? AND slot < ?",
        (fuel, first, stop),
    ).fetchall()
    if rows:
        slots = np.array([row[0] for row in rows], dtype=np.int64)
        prices, known = catalog.timeline(fuel).unit_prices(slots)
        updates = [
            (raw * price if priced else 0, 0 if priced else raw, fuel, slot, scaling)
            for (slot, scaling, raw), price, priced in zip(
                rows, prices.tolist(), known.tolist(), strict=True
            )
        ]
        conn.executemany(
            "UPDATE half_hourly SET cost_units = ?, unpriced_raw = ? "
            "WHERE fuel = ? AND slot = ? AND scaling = ?",
            updates,
        )
        for day in sorted({local_day(slot) for slot, _, _ in rows}):
            _resum_day_costs(conn, fuel, day)
    last_day = "9999-12-31" if end is None else local_day(end - 1)
    days = conn.execute(
        "SELECT DISTINCT day FROM daily WHERE fuel = ? AND day >= ? AND day <= ?",
        (fuel, local_day(start), last_day),
    ).fetchall()
    refresh_standing(conn, catalog, [(fuel, day) for (day,) in days])


def _resum_day_costs(conn: sqlite3.Connection, fuel: int, day: str) -> None:
    low, high = day_bounds_of(day)
    conn.execute(
        "UPDATE daily SET (cost_units, unpriced_raw) = (SELECT coalesce(sum(h.cost_units), 0), "
        "coalesce(sum(h.unpriced_raw), 0) FROM half_hourly h WHERE h.fuel = daily.fuel "
        "AND h.scaling = daily.scaling AND h.slot >= ? AND h.slot < ?) WHERE fuel = ? AND day = ?",
        (low, high, fuel, day),
    )
