"""The field engineer's public surface: what installer_tool may import of the installer back end.

The service (one object over the facade: network, pairing, devices, diagnostics, firmware,
health, capture), the plain types its answers come in, engineer accounts and the audit log,
install code parsing, and the two helpers the pages draw with. Everything else in
device_backend.installer is private to the back end (import-linter contract in pyproject.toml).

The toolkit paints its sign-in page before the radio stack loads, and sign-in needs only the
accounts, the audit log and the types, none of which import zigpy. So the names whose modules
do (the service, pairing, install codes, firmware images, the backup format) load on first use
(PEP 562 module `__getattr__`), as `device_backend.api` loads the facade.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from device_backend.installer.accounts import Accounts, Engineer, SignInError
from device_backend.installer.audit import AuditEntry, AuditLog
from device_backend.installer.diagnostics import link_colour
from device_backend.installer.storage import open_database
from device_backend.installer.types import (
    AttributeValue,
    ClusterRef,
    CommandSpec,
    DeviceRow,
    DongleLost,
    EventConfigRow,
    FirmwareOutcome,
    HealthReport,
    InstallerError,
    MeterEventRow,
    NetworkMap,
    NetworkSummary,
    PairingStep,
)

if TYPE_CHECKING:
    from device_backend.installer.backup_format import PLAIN_WARNING
    from device_backend.installer.firmware import build_image
    from device_backend.installer.install_codes import InstallCodeError, PairingCode, parse_pairing
    from device_backend.installer.meter_logs import LOGS, export_events
    from device_backend.installer.pairing import InterviewFailed
    from device_backend.installer.service import InstallerService

# name -> the module that defines it (each imports zigpy), imported the first time it is asked for
_LATER = {
    "PLAIN_WARNING": "device_backend.installer.backup_format",
    "build_image": "device_backend.installer.firmware",
    "InstallCodeError": "device_backend.installer.install_codes",
    "PairingCode": "device_backend.installer.install_codes",
    "parse_pairing": "device_backend.installer.install_codes",
    "InterviewFailed": "device_backend.installer.pairing",
    "LOGS": "device_backend.installer.meter_logs",
    "export_events": "device_backend.installer.meter_logs",
    "InstallerService": "device_backend.installer.service",
}

__all__ = [
    "LOGS",
    "PLAIN_WARNING",
    "Accounts",
    "AttributeValue",
    "AuditEntry",
    "AuditLog",
    "ClusterRef",
    "CommandSpec",
    "DeviceRow",
    "DongleLost",
    "Engineer",
    "EventConfigRow",
    "FirmwareOutcome",
    "HealthReport",
    "InstallCodeError",
    "InstallerError",
    "InstallerService",
    "InterviewFailed",
    "MeterEventRow",
    "NetworkMap",
    "NetworkSummary",
    "PairingCode",
    "PairingStep",
    "SignInError",
    "build_image",
    "export_events",
    "link_colour",
    "open_database",
    "parse_pairing",
]

if not TYPE_CHECKING:  # mypy reads the imports above; a module __getattr__ would hide typos

    def __getattr__(name: str) -> Any:
        where = _LATER.get(name)
        if where is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where), name)
        globals()[name] = value  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(__all__)
