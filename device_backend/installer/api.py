"""The field engineer's public surface: what installer_tool may import of the installer back end.

The service (one object over the facade: network, pairing, devices, diagnostics, firmware,
health, capture), the plain types its answers come in, engineer accounts and the audit log,
install code parsing, and the two helpers the pages draw with. Everything else in
device_backend.installer is private to the back end (import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from device_backend.installer.accounts import Accounts, Engineer, SignInError
from device_backend.installer.audit import AuditEntry, AuditLog
from device_backend.installer.backup_format import PLAIN_WARNING
from device_backend.installer.diagnostics import link_colour
from device_backend.installer.firmware import build_image
from device_backend.installer.install_codes import InstallCodeError, PairingCode, parse_pairing
from device_backend.installer.pairing import InterviewFailed
from device_backend.installer.service import InstallerService
from device_backend.installer.storage import open_database
from device_backend.installer.types import (
    AttributeValue,
    ClusterRef,
    CommandSpec,
    DeviceRow,
    DongleLost,
    FirmwareOutcome,
    HealthReport,
    InstallerError,
    NetworkMap,
    NetworkSummary,
    PairingStep,
)

__all__ = [
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
    "FirmwareOutcome",
    "HealthReport",
    "InstallCodeError",
    "InstallerError",
    "InstallerService",
    "InterviewFailed",
    "NetworkMap",
    "NetworkSummary",
    "PairingCode",
    "PairingStep",
    "SignInError",
    "build_image",
    "link_colour",
    "open_database",
    "parse_pairing",
]
