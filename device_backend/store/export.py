"""CSV export of readings and rollups: UTC and local times, exact decimals, and no secrets.

Only the readings and rollup tables are read, so top-up codes, keys and install codes (which
the store never holds in full anyway) cannot reach an export.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from device_backend.model import Fuel
from device_backend.store.catalog import Catalog
from device_backend.store.codes import (
    MICRO,
    SLOT_SECONDS,
    Kind,
    fuel_code,
    local_day,
    local_iso,
    utc_iso,
)

ROWS_PER_NOTE = 5000  # how often a long export says how far it has got
HEADERS = {
    "readings": [
        "utc_time",
        "local_time",
        "fuel",
        "kind",
        "value",
        "unit",
        "raw",
        "multiplier",
        "divisor",
        "export_raw",
        "kwh_per_unit",
        "device",
    ],
    "half_hourly": [
        "utc_start",
        "local_start",
        "fuel",
        "kwh",
        "export_kwh",
        "energy_cost_pence",
        "unpriced_kwh",
        "average_demand_kw",
    ],
    "daily": [
        "local_date",
        "utc_start",
        "utc_end",
        "hours",
        "fuel",
        "kwh",
        "export_kwh",
        "energy_cost_pence",
        "standing_charge_pence",
        "unpriced_kwh",
    ],
}
_UNITS = {
    (Fuel.ELECTRICITY, Kind.DEMAND): "kW",
    (Fuel.ELECTRICITY, Kind.ENERGY): "kWh",
    (Fuel.GAS, Kind.DEMAND): "m3/h",
    (Fuel.GAS, Kind.ENERGY): "m3",
}


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


class Exporter:
    def __init__(self, conn: sqlite3.Connection, catalog: Catalog) -> None:
        self._conn = conn
        self._catalog = catalog

    def write(
        self,
        path: Path,
        fuel: Fuel,
        low: int,
        high: int,
        kind: str,
        on_rows: Callable[[int], None] | None = None,
    ) -> int:
        """Write atomically (a 0600 temporary file renamed into place); returns the data rows."""
        if kind not in HEADERS:
            raise ValueError(f"unknown export kind {kind!r}: use one of {', '.join(HEADERS)}")
        rows = {"readings": self._readings, "half_hourly": self._half_hours, "daily": self._days}[
            kind
        ]
        partial = path.with_name(path.name + ".partial")
        count = 0
        try:
            partial.unlink(missing_ok=True)  # a leftover's looser mode would be kept otherwise
            # Household consumption is personal data: private to its owner, like the store.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with open(descriptor, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(HEADERS[kind])
                for row in rows(fuel, low, high):
                    writer.writerow(row)
                    count += 1
                    if on_rows is not None and count % ROWS_PER_NOTE == 0:
                        on_rows(count)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        return count

    def _readings(self, fuel: Fuel, low: int, high: int) -> Iterator[list[Any]]:
        rows = self._conn.execute(
            "SELECT t, kind, raw, multiplier, divisor, export_raw, kwh_per_unit, device "
            "FROM readings WHERE fuel = ? AND kind IN (0, 1) AND t >= ? AND t < ? "
            "ORDER BY t, kind, rowid",
            (fuel_code(fuel), low, high),
        )
        for t, kind, raw, multiplier, divisor, export_raw, per_unit, device in rows:
            value = Decimal(raw * multiplier) / divisor
            yield [
                utc_iso(t),
                local_iso(t),
                fuel.value,
                Kind(kind).name.lower(),
                _text(value),
                _UNITS[(fuel, Kind(kind))],
                raw,
                multiplier,
                divisor,
                "" if export_raw is None else export_raw,
                per_unit or "",
                self._catalog.device_name(device),
            ]

    def _half_hours(self, fuel: Fuel, low: int, high: int) -> Iterator[list[Any]]:
        rows = self._conn.execute(
            "SELECT slot, scaling, import_raw, export_raw, cost_units, unpriced_raw, demand_sum, "
            "demand_n FROM half_hourly WHERE fuel = ? AND slot >= ? AND slot < ? ORDER BY slot",
            (fuel_code(fuel), low - low % SLOT_SECONDS, high),
        )
        kwh = self._catalog.to_kwh
        for slot, scaling, imported, exported, cost, unpriced, demand_sum, demand_n in rows:
            multiplier, divisor, _ = self._catalog.scaling(scaling)
            demand = Decimal(demand_sum * multiplier) / (divisor * demand_n) if demand_n else None
            yield [
                utc_iso(slot),
                local_iso(slot),
                fuel.value,
                _text(kwh(imported, scaling)),
                _text(kwh(exported, scaling)),
                _text(kwh(cost, scaling) / MICRO),
                _text(kwh(unpriced, scaling)),
                _text(demand),
            ]

    def _days(self, fuel: Fuel, low: int, high: int) -> Iterator[list[Any]]:
        rows = self._conn.execute(
            "SELECT d.day, d.starts, d.ends, d.scaling, d.import_raw, d.export_raw, d.cost_units, "
            "d.unpriced_raw, s.standing_micro_pence FROM daily d LEFT JOIN daily_standing s "
            "ON s.fuel = d.fuel AND s.day = d.day WHERE d.fuel = ? AND d.day >= ? AND d.day < ? "
            "ORDER BY d.day, d.scaling",
            (fuel_code(fuel), local_day(low), local_day(high)),
        )
        kwh = self._catalog.to_kwh
        for day, starts, ends, scaling, imported, exported, cost, unpriced, standing in rows:
            yield [
                day,
                utc_iso(starts),
                utc_iso(ends),
                (ends - starts) // 3600,
                fuel.value,
                _text(kwh(imported, scaling)),
                _text(kwh(exported, scaling)),
                _text(kwh(cost, scaling) / MICRO),
                _text(None if standing is None else Decimal(standing) / MICRO),
                _text(kwh(unpriced, scaling)),
            ]
