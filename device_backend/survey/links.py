"""Walk-test samples grouped per link and summarised: medians, worst cases, answered share, when."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from device_backend.clock import LONDON
from device_backend.survey import fields as f
from device_backend.survey.model import Sample, Survey


@dataclass(frozen=True, kw_only=True, slots=True)
class LinkSummary:
    key: str  # role pair such as "hub-gsme", or walk-test names for extra points
    label: str
    peer: str  # walk-test names as measured
    position: str
    samples: int
    answered: int
    median_rssi_dbm: Decimal | None
    worst_rssi_dbm: int | None
    median_lqi: Decimal | None
    worst_lqi: int | None
    first: datetime | None
    last: datetime | None
    distance_m: Decimal | None = None
    walls: Decimal | None = None
    floors: Decimal | None = None
    method: str = "probe"  # "listen" when the device at one end sleeps (the gas meter)
    ends_868: str = "unknown"  # yes / no / unknown: can both ends use 868 MHz?
    band_note: str = ""  # each end's 868 MHz capability, as recorded

    @property
    def answered_pct(self) -> Decimal | None:
        if not self.samples:
            return None
        return (Decimal(100) * self.answered / self.samples).quantize(Decimal(1))

    def fact(self, name: str) -> Decimal | str | None:
        value = getattr(self, name)
        if value is None or isinstance(value, str):
            return value
        return Decimal(value)

    def describe(self) -> str:
        """One line an engineer (or a supplier reading the report) can check against the table."""
        if not self.samples:
            return f"{self.label}: not measured"
        parts = [f"{self.answered} of {self.samples} probes answered"]
        if self.median_rssi_dbm is not None:
            parts.insert(
                0,
                f"median RSSI {_n(self.median_rssi_dbm)} dBm "
                f"(worst {self.worst_rssi_dbm}), median LQI {_n(self.median_lqi)} "
                f"(worst {self.worst_lqi})",
            )
        if self.method == "listen":
            parts.append("listened for the sleepy device's own wake-ups")
        if self.first and self.last:
            parts.append(f"{local_time(self.first)}\u2013{local_time(self.last)}")
        return f"{self.label}: " + ", ".join(parts)


def _n(value: Decimal | None) -> str:
    return "-" if value is None else format(value.normalize() + 0, "f")


def local_time(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%H:%M:%S")


def _median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    middle = statistics.median(values)  # an int, or a float ending .5 for an even count
    return Decimal(int(middle)) if middle == int(middle) else Decimal(middle)


def can_use_868(survey: Survey, role: str) -> str:
    """yes / no / unknown, as the engineer recorded the device (the hub by its variant)."""
    if role == "hub":
        variant = survey.value("radio.hub_variant")
        if variant is None or variant == "unknown":
            return "unknown"
        return "yes" if variant.startswith("dual band") else "no"
    if role not in f.ROLES:
        return "unknown"  # a walk-test spot, not a device we know
    return survey.value(f"radio.{role}_868") or "unknown"


def band_ends(survey: Survey, roles: tuple[str, str]) -> tuple[str, str]:
    """(yes / no / unknown for both ends together, each end's capability in words)."""
    each = [can_use_868(survey, r) for r in roles]
    joined = "no" if "no" in each else "yes" if each == ["yes", "yes"] else "unknown"
    note = "868 MHz: " + ", ".join(
        f"{f.DEVICE_NAMES.get(r, r)} {c}" for r, c in zip(roles, each, strict=True)
    )
    return joined, note


def roles_by_name(survey: Survey) -> dict[str, str]:
    """Walk-test name -> role (esme, gsme, hub, ihd) for the positions this survey names."""
    return {survey.position_name(role): role for role in f.ROLES}


def link_key(survey: Survey, peer: str, position: str) -> tuple[str, str, tuple[str, str]]:
    """(key, label, ordered pair) for a measured pair, in the order the survey's pairs use."""
    roles = roles_by_name(survey)
    a, b = roles.get(peer), roles.get(position)
    if a and b:
        for x, y in f.PAIRS:
            if {x, y} == {a, b}:
                return f.pair_key(x, y), f.pair_label(x, y), (x, y)
        return f.pair_key(a, b), f.pair_label(a, b), (a, b)
    label_a = f.ROLES.get(a, peer) if a else peer
    label_b = f.ROLES.get(b, position) if b else position
    return f"{peer}-{position}", f"{label_a} \u2194 {label_b}", (peer, position)


def summarise(survey: Survey) -> dict[str, LinkSummary]:
    """Every measured link, plus an empty summary for each role pair not yet measured."""
    groups: dict[str, list[Sample]] = {}
    names: dict[str, tuple[str, str, str]] = {}
    pairs: dict[str, tuple[str, str]] = {}
    for sample in survey.samples:
        key, label, pair = link_key(survey, sample.peer, sample.position)
        groups.setdefault(key, []).append(sample)
        names.setdefault(key, (label, sample.peer, sample.position))
        pairs.setdefault(key, pair)
    out: dict[str, LinkSummary] = {}
    for a, b in f.PAIRS:
        key = f.pair_key(a, b)
        pairs[key] = (a, b)
        if key not in groups:
            names[key] = (f.pair_label(a, b), survey.position_name(a), survey.position_name(b))
            groups[key] = []
    for key, samples in groups.items():
        ends_868, band_note = band_ends(survey, pairs[key])
        label, peer, position = names[key]
        heard = [s for s in samples if s.answered]
        rssi = [s.rssi_dbm for s in heard if s.rssi_dbm is not None]
        lqi = [s.lqi for s in heard if s.lqi is not None]
        times = sorted(s.time for s in samples)
        known_pair = key in {f.pair_key(a, b) for a, b in f.PAIRS}
        out[key] = LinkSummary(
            key=key,
            label=label,
            peer=peer,
            position=position,
            samples=len(samples),
            answered=len(heard),
            median_rssi_dbm=_median(rssi),
            worst_rssi_dbm=min(rssi) if rssi else None,
            median_lqi=_median(lqi),
            worst_lqi=min(lqi) if lqi else None,
            first=times[0] if times else None,
            last=times[-1] if times else None,
            distance_m=survey.number(f"sep.{key}.distance_m") if known_pair else None,
            walls=survey.number(f"sep.{key}.walls") if known_pair else None,
            floors=survey.number(f"sep.{key}.floors") if known_pair else None,
            method="listen" if any(s.method == "listen" for s in samples) else "probe",
            ends_868=ends_868,
            band_note=band_note,
        )
    return out
