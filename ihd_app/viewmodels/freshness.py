"""How trustworthy the figures on screen are, in words: connected, stale or offline, and how old."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from device_backend import model
from ihd_app import formatting

OLD_AFTER = timedelta(seconds=60)  # electricity reports every 10 s; a minute is clearly late


@dataclass(frozen=True, slots=True)
class Freshness:
    severity: str  # "ok", "info", "warning" or "alert"
    text: str


def _tr(text: str) -> str:
    return QCoreApplication.translate("Freshness", text)


def describe(
    connection: model.Connection | None, last_reading: datetime | None, now: datetime
) -> Freshness:
    state = connection.state if connection is not None else model.ConnectionState.CONNECTING
    reason = (connection.reason if connection is not None else "").strip()
    if last_reading is not None:
        shown = _tr("The figures shown are {age} old (from {time}).").format(
            age=formatting.age(last_reading, now), time=formatting.when_label(last_reading, now)
        )
    else:
        shown = _tr("No figures have arrived yet.")
    if state is model.ConnectionState.OFFLINE:
        head = _tr("Offline: not connected to the meter.")
        return Freshness("alert", " ".join(x for x in (head, reason, shown) if x))
    if state is model.ConnectionState.STALE:
        head = _tr("Stale: readings are out of date.")
        return Freshness("warning", " ".join(x for x in (head, reason, shown) if x))
    if state is model.ConnectionState.CONNECTING:
        return Freshness("info", _tr("Connecting to the meter…"))
    if last_reading is None:
        return Freshness("info", _tr("Waiting for the meter…"))
    if state is model.ConnectionState.DEGRADED:
        return Freshness(
            "warning", _tr("Connected, but some readings could not be understood.") + " " + shown
        )
    if now - last_reading > OLD_AFTER:
        return Freshness(
            "warning",
            _tr("No new reading for {age}.").format(age=formatting.age(last_reading, now))
            + " "
            + shown,
        )
    return Freshness(
        "ok", _tr("Live: updated {time}").format(time=formatting.clock_time(last_reading))
    )
