"""What the installer screens are shown: frozen, zigpy-free values with words already in them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

Progress = Callable[[float | None, str], None]
"""(fraction done 0-1, or None when unknown; what is happening now, in words)."""


def no_progress(fraction: float | None, message: str) -> None:
    return None


class InstallerError(Exception):
    """An operation failed: the message names the cause and what to try next."""


class DongleLost(InstallerError):
    """The radio went away while an operation was running; `reason` says why and what to do."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    channel: int
    pan_id: int
    extended_pan_id: str
    coordinator_ieee: str
    nwk_update_id: int
    devices: int

    @property
    def pan_text(self) -> str:
        return f"0x{self.pan_id:04X}"


@dataclass(frozen=True, slots=True)
class DeviceRow:
    ieee: str
    nwk: int
    role: str  # ESME, GSME, IHD, load switch, other
    model: str
    manufacturer: str
    firmware: str
    power_source: str
    last_seen: datetime | None
    lqi: int | None
    rssi: int | None
    name: str = ""
    location: str = ""
    interviewed: bool = True
    joined: bool = True


@dataclass(frozen=True, slots=True)
class ClusterRef:
    endpoint: int
    cluster_id: int
    name: str
    server: bool  # True: the device serves it (attributes live there); False: a client cluster

    @property
    def label(self) -> str:
        side = "server" if self.server else "client"
        return f"EP{self.endpoint} 0x{self.cluster_id:04X} {self.name} ({side})"


@dataclass(frozen=True, slots=True)
class AttributeValue:
    attr_id: int
    name: str
    type_name: str
    writable: bool
    raw: str  # the value as received, or "" if not read yet
    shown: str  # decoded: units, scaling, enumerations in words
    status: str = "ok"  # ok, unsupported, not read, failed


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type_name: str
    hint: str  # how to type it: "0-255", "hex bytes", "one of: On, Off", ...
    optional: bool = False


@dataclass(frozen=True, slots=True)
class CommandSpec:
    command_id: int
    name: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True, slots=True)
class Link:
    a: str
    b: str
    lqi: int
    source: str  # "neighbour table" or "last frame"


@dataclass(frozen=True, slots=True)
class NetworkMap:
    nodes: tuple[tuple[str, str], ...]  # (ieee, label)
    links: tuple[Link, ...]
    routes: tuple[tuple[str, str, str], ...]  # (device, destination, next hop)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkSample:
    time: datetime
    lqi: int | None
    rssi: int | None


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool | None  # None: could not be checked this time (the reason says why)
    reason: str
    attribute: str = ""  # the attribute at fault, when one is

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "NOT CHECKED"}[self.passed]


@dataclass(frozen=True, slots=True)
class HealthReport:
    ieee: str
    role: str
    model: str
    time: datetime
    engineer: str
    results: tuple[CheckResult, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(r.passed is not False for r in self.results) and any(
            r.passed for r in self.results
        )

    def text(self) -> str:
        lines = [
            "HAN health check",
            f"Device: {self.role} {self.model} ({self.ieee})",
            f"Checked: {self.time.isoformat(timespec='seconds')} by {self.engineer}",
            f"Overall: {'PASS' if self.passed else 'FAIL'}",
            "",
        ]
        for result in self.results:
            lines.append(f"[{result.verdict}] {result.name}: {result.reason}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class FirmwareOutcome:
    ieee: str
    before: str
    after: str
    succeeded: bool
    message: str


@dataclass(frozen=True, slots=True)
class PairingStep:
    """One line of the pairing log: a step's name, its state and what it means."""

    step: str
    state: str  # waiting, running, done, failed
    detail: str = ""
    fraction: float | None = None


@dataclass(frozen=True, slots=True)
class MeterEventRow:
    """One entry of a meter's event log (Events 0x0709 PublishEventLog), in words."""

    time: str  # ISO 8601 UTC
    log: str
    event_id: int  # the GBCS event/alert code
    event: str
    data: str  # the event's data octets in hex, "" when none


@dataclass(frozen=True, slots=True)
class EventConfigRow:
    """How a meter treats one event (Device Management ReportEventConfiguration)."""

    event_id: int
    event: str
    logged_to: str
    tells: str
