"""Meter status bits in words, the gas meter's battery projection, and link-quality history."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from device_backend.installer.types import LinkSample

# Metering Status (0x0200) bit meanings differ by commodity (SE 1.4 D.3.2.2.2).
ELECTRICITY_STATUS = {
    0: "check meter (an internal fault)",
    1: "low battery",
    2: "tamper detected",
    3: "power failure",
    4: "power quality problem",
    5: "leak detected",
    6: "service disconnect open (supply off)",
}
GAS_STATUS = {
    0: "check meter (an internal fault)",
    1: "low battery",
    2: "tamper detected",
    4: "low pressure",
    5: "leak detected",
    6: "service disconnect (valve closed)",
    7: "reverse flow",
}
DESIGN_LIFE_DAYS = 15 * 365  # a GB gas meter's battery is expected to last its 15-year life
LOW_BATTERY_DAYS = 365
LINK_HISTORY = 720  # samples per device kept in memory


def status_words(status: int, *, gas: bool = False) -> list[str]:
    table = GAS_STATUS if gas else ELECTRICITY_STATUS
    words = []
    for bit in range(8):
        if status & (1 << bit):
            words.append(table.get(bit, f"reserved bit {bit} set"))
    return words


@dataclass(frozen=True, slots=True)
class BatteryProjection:
    remaining_days: int | None
    empty_on: datetime | None
    verdict: str
    daily_drain_days: float | None = None  # days of life used per calendar day, from history


def project_battery(
    now: datetime,
    remaining_days: int | None,
    history: list[tuple[datetime, int]] | None = None,
    installed_days: int | None = None,
) -> BatteryProjection:
    """When the gas meter's battery runs out, and whether that is a problem worth a visit."""
    if remaining_days is None or remaining_days in (0xFFFF,):
        return BatteryProjection(
            None, None, "The meter does not report its remaining battery life."
        )
    drain = None
    if history and len(history) >= 2:
        (t0, d0), (t1, d1) = history[0], history[-1]
        elapsed = (t1 - t0).total_seconds() / 86400
        if elapsed > 0.5:
            drain = (d0 - d1) / elapsed
    days = remaining_days
    if drain and drain > 1.05:  # draining faster than the calendar: project from the real rate
        days = int(remaining_days / drain)
    empty = now + timedelta(days=days)
    if days < LOW_BATTERY_DAYS:
        verdict = (
            f"Battery low: about {days} days left (empty around {empty:%B %Y}). Plan a battery or "
            "meter exchange, and look for what keeps the meter awake (poor link, frequent reads)."
        )
    elif drain and drain > 1.5:
        verdict = (
            f"Draining {drain:.1f}x faster than normal: empty around {empty:%B %Y}, short of "
            "its design life. Check the link quality to the gas meter."
        )
    else:
        verdict = f"Battery fine: about {days // 365} years left (empty around {empty:%B %Y})."
    return BatteryProjection(remaining_days, empty, verdict, drain)


class LinkHistory:
    """LQI and RSSI per device over time, from frames heard and neighbour tables read."""

    def __init__(self) -> None:
        self._samples: dict[str, deque[LinkSample]] = {}

    def add(self, ieee: str, time: datetime, lqi: int | None, rssi: int | None) -> None:
        samples = self._samples.setdefault(ieee, deque(maxlen=LINK_HISTORY))
        if samples and samples[-1].time == time:
            return
        samples.append(LinkSample(time=time, lqi=lqi, rssi=rssi))

    def of(self, ieee: str) -> list[LinkSample]:
        return list(self._samples.get(ieee, ()))


def link_colour(lqi: int | None) -> str:
    """good / fair / poor, so a map can colour a link and say it in words as well."""
    if lqi is None:
        return "unknown"
    if lqi >= 150:
        return "good"
    if lqi >= 80:
        return "fair"
    return "poor"
