"""The devices table: role, model, firmware, power, last seen and link quality of every node."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from device_backend.installer.access import RadioAccess
from device_backend.installer.audit import redact
from device_backend.installer.firmware import version_text
from device_backend.installer.types import DeviceRow
from device_backend.zcl.ids import METERING, METERING_DEVICE, OTA

IHD_TYPES = {0x0507}  # SE In-Home Display
LOAD_SWITCH_TYPES = {
    0x0508,
    0x0009,
    0x0051,
    0x0502,
}  # SE load control, mains outlet, smart plug, LCD
METER_TYPE = METERING_DEVICE


def role_of(device: Any) -> str:
    endpoints = [ep for epid, ep in device.endpoints.items() if epid != 0]
    types = {getattr(ep, "device_type", None) for ep in endpoints}
    if types & LOAD_SWITCH_TYPES:
        return "load switch"
    if types & IHD_TYPES:
        return "IHD"
    for ep in endpoints:
        if METERING in ep.in_clusters:
            kind = ep.in_clusters[METERING].get("metering_device_type")
            if kind is not None and int(kind) & 0x7F == 1:
                return "GSME"
            if METER_TYPE in types or kind is not None:
                return "ESME"
    return "other"


def firmware_of(device: Any) -> str:
    for epid, ep in device.endpoints.items():
        if epid != 0 and OTA in ep.out_clusters:
            version = ep.out_clusters[OTA].get("current_file_version")
            if version is not None:
                return version_text(int(version))
    return "unknown"


def power_of(device: Any) -> str:
    if device.node_desc is None:
        return "unknown"
    return "mains" if device.node_desc.is_mains_powered else "battery"


class Names:
    """Device names and locations the engineer gave, kept in the installer's database."""

    def __init__(self, db: sqlite_utils.Database | None) -> None:
        self._db = db
        self._memory: dict[str, tuple[str, str]] = {}

    def set(self, ieee: str, name: str, location: str) -> None:
        # Typed free text: an install code or key copied from a label is starred out, never kept.
        name, location = redact(name.strip()), redact(location.strip())
        self._memory[ieee] = (name, location)
        if self._db is not None:
            self._db.table("device_names").upsert(
                {"ieee": ieee, "name": name, "location": location}, pk="ieee"
            )

    def get(self, ieee: str) -> tuple[str, str]:
        if ieee in self._memory:
            return self._memory[ieee]
        if self._db is not None:
            rows = list(self._db.table("device_names").rows_where("ieee = ?", [ieee]))
            if rows:
                return rows[0]["name"], rows[0]["location"]
        return "", ""


class Inventory:
    def __init__(self, access: RadioAccess, names: Names) -> None:
        self.access = access
        self.names = names

    def rows(self) -> list[DeviceRow]:
        app = self.access.app()
        out = []
        for device in app.devices.values():
            if device.nwk == 0:
                continue
            out.append(self.row(device))
        return sorted(out, key=lambda r: (r.role == "other", r.role, r.ieee))

    def row(self, device: Any) -> DeviceRow:
        ieee = str(device.ieee)
        name, location = self.names.get(ieee)
        seen = device.last_seen
        last_seen = None
        if seen:
            last_seen = (
                seen if isinstance(seen, datetime) else datetime.fromtimestamp(float(seen), UTC)
            )
        return DeviceRow(
            ieee=ieee,
            nwk=int(device.nwk),
            role=role_of(device),
            model=device.model or "",
            manufacturer=device.manufacturer or "",
            firmware=firmware_of(device),
            power_source=power_of(device),
            last_seen=last_seen,
            lqi=device.lqi,
            rssi=device.rssi,
            name=name,
            location=location,
            interviewed=bool(device.is_initialized and device.model),
        )
