"""A survey as frozen values: typed fields, walk-test samples, photographs and the recommendation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from device_backend.survey import fields as f

Status = Literal["draft", "complete"]


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldEntry:
    """One field: the text as typed (always kept) and the last value that passed validation."""

    name: str
    text: str
    value: str | None
    error: str = ""
    changed: datetime | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Sample:
    """One walk-test probe between two named positions; unanswered probes have no RSSI/LQI.

    `method` is "probe" (we asked, it answered) or "listen" (we waited for a sleepy device's
    own wake-up frame, as a battery gas meter talks to its hub).
    """

    time: datetime
    peer: str
    position: str
    answered: bool
    rssi_dbm: int | None = None
    lqi: int | None = None
    source: str = ""
    method: str = "probe"


@dataclass(frozen=True, kw_only=True, slots=True)
class Photo:
    id: int
    filename: str
    media_type: str
    data: bytes = field(repr=False)
    sha256: str
    caption: str = ""
    added: datetime | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Reason:
    """Why a rule fired, with the measurements (or entries) it rests on, in words."""

    rule: str
    outcome: str
    text: str
    evidence: tuple[str, ...]


# The IHD install status as Xoserve records it and passes on in the D0205 flow (as cited in
# issue 21; the flow's own text was not readable here): Installed, Declined, Existing, Failed.
IHD_STATUS = {"I": "Installed", "D": "Declined", "E": "Existing", "F": "Failed"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Recommendation:
    outcome: str  # one of rules.OUTCOMES, or incomplete
    title: str
    reasons: tuple[Reason, ...]
    rules_source: str  # file name and SHA-256, so a report says which rules made it
    made: datetime | None = None
    # Per link ("hub-gsme" ...): the worst outcome its own measurements led to.
    links: tuple[tuple[str, str], ...] = ()
    ihd_status: str = ""  # a key of IHD_STATUS; "" when nothing is fitted (or not decided yet)
    abort_reason: str = ""  # the industry's words, only for an abort
    dual_band_devices: tuple[str, ...] = ()  # roles that must have 868 MHz for dual band

    @property
    def ihd_status_text(self) -> str:
        return IHD_STATUS.get(self.ihd_status, "")

    @property
    def complete(self) -> bool:
        return self.outcome != "incomplete"


@dataclass(frozen=True, kw_only=True, slots=True)
class Survey:
    id: str
    engineer: str
    created: datetime
    updated: datetime
    status: Status = "draft"
    completed: datetime | None = None
    copied_from: str | None = None
    entries: Mapping[str, FieldEntry] = field(default_factory=lambda: MappingProxyType({}))
    samples: tuple[Sample, ...] = ()
    photos: tuple[Photo, ...] = ()
    recommendation: Recommendation | None = None

    def text(self, name: str) -> str:
        entry = self.entries.get(name)
        return entry.text if entry else ""

    def value(self, name: str) -> str | None:
        f.spec(name)  # a typo in a field name is a bug, not an empty field
        entry = self.entries.get(name)
        return entry.value if entry else None

    def number(self, name: str) -> Decimal | None:
        found = self.value(name)
        return Decimal(found) if found is not None else None

    def values(self) -> dict[str, str | None]:
        return {name: entry.value for name, entry in self.entries.items()}

    @property
    def gas(self) -> bool:
        return self.value("supply.gas_present") != "no"

    def position_name(self, role: str) -> str:
        return self.value(f"pos.{role}.name") or role

    @property
    def title(self) -> str:
        parts = [self.value("job.address") or "(no address yet)", self.value("job.postcode") or ""]
        return ", ".join(p for p in parts if p)

    def field_problems(self) -> dict[str, str]:
        """Field name -> why it stops completion (refused, or required and still empty)."""
        found: dict[str, str] = {}
        values = self.values()
        for spec in f.FIELDS:
            entry = self.entries.get(spec.name)
            if entry is not None and entry.error:
                found[spec.name] = entry.error
            elif f.is_required(spec, values) and (entry is None or entry.value is None):
                found[spec.name] = "required."
        return found

    def problems(self) -> list[str]:
        """What stops this survey being completed, in words."""
        problems = self.field_problems().items()
        # Refused entries first: they are mistakes to mend, the rest just work still to do.
        ordered = sorted(problems, key=lambda item: item[1] == "required.")
        found = [f"{f.spec(name).label}: {why}" for name, why in ordered]
        names = [self.position_name(r) for r in f.ROLES if self.gas or r not in f.GAS_ROLES]
        if len(set(names)) != len(names):
            found.append("Walk-test names: each position needs its own name.")
        return found
