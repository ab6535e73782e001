"""Cached look-ups the hot paths need: device ids, scalings and each fuel's price timeline."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from device_backend.store.prices import PriceRow, PriceTimeline


class Catalog:
    """Caches filled inside a write transaction; `forget` after a rollback or another writer."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._devices: dict[str, int] = {}
        self._device_names: dict[int, str] = {}
        self._scaling_ids: dict[tuple[int, int, str], int] = {}
        self._scalings: dict[int, tuple[int, int, Decimal]] = {}
        self._timelines: dict[int, PriceTimeline] = {}

    def forget(self) -> None:
        self._devices.clear()
        self._device_names.clear()
        self._scaling_ids.clear()
        self._scalings.clear()
        self._timelines.clear()

    def forget_prices(self, fuel: int) -> None:
        self._timelines.pop(fuel, None)

    def device_id(self, ieee: str, now: int) -> int:
        known = self._devices.get(ieee)
        if known is not None:
            return known
        self._conn.execute(
            "INSERT INTO devices (ieee, first_seen, last_seen) VALUES (?, ?, ?) "
            "ON CONFLICT (ieee) DO NOTHING",
            (ieee, now, now),
        )
        (found,) = self._conn.execute("SELECT id FROM devices WHERE ieee = ?", (ieee,)).fetchone()
        self._devices[ieee] = found
        return int(found)

    def device_name(self, device: int) -> str:
        if device not in self._device_names:
            row = self._conn.execute("SELECT ieee FROM devices WHERE id = ?", (device,)).fetchone()
            self._device_names[device] = row[0] if row else ""
        return self._device_names[device]

    def scaling_id(self, multiplier: int, divisor: int, kwh_per_unit: str) -> int:
        key = (multiplier, divisor, kwh_per_unit)
        known = self._scaling_ids.get(key)
        if known is not None:
            return known
        if divisor == 0:
            raise ValueError("a Metering divisor of 0 cannot be scaled; the reading was refused")
        self._conn.execute(
            "INSERT INTO scalings (multiplier, divisor, kwh_per_unit) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            key,
        )
        (found,) = self._conn.execute(
            "SELECT id FROM scalings WHERE multiplier = ? AND divisor = ? AND kwh_per_unit = ?", key
        ).fetchone()
        self._scaling_ids[key] = found
        return int(found)

    def scaling(self, scaling: int) -> tuple[int, int, Decimal]:
        """(multiplier, divisor, kwh_per_unit) of a scaling id."""
        if scaling not in self._scalings:
            row = self._conn.execute(
                "SELECT multiplier, divisor, kwh_per_unit FROM scalings WHERE id = ?", (scaling,)
            ).fetchone()
            self._scalings[scaling] = (int(row[0]), int(row[1]), Decimal(row[2]))
        return self._scalings[scaling]

    def to_kwh(self, raw: int, scaling: int) -> Decimal:
        """Raw register units to kWh, dividing last so that exact results stay exact."""
        multiplier, divisor, per_unit = self.scaling(scaling)
        return Decimal(raw * multiplier) * per_unit / divisor

    def timeline(self, fuel: int) -> PriceTimeline:
        if fuel not in self._timelines:
            rows = self._conn.execute(
                "SELECT id, starts, ends, micro_pence_per_kwh, standing_micro_pence "
                "FROM prices WHERE fuel = ?",
                (fuel,),
            ).fetchall()
            self._timelines[fuel] = PriceTimeline([PriceRow(*row) for row in rows])
        return self._timelines[fuel]
