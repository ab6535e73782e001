"""How trustworthy the figures on screen are, in words: connected, stale or offline, and how old."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from device_backend.api import model
from ihd_app import formatting
from ihd_app.translation import current_language

OLD_AFTER = timedelta(seconds=60)  # electricity reports every 10 s; a minute is clearly late


@dataclass(frozen=True, slots=True)
class Freshness:
    severity: str  # "ok", "info", "warning" or "alert"
    text: str


def _reason_in_words(reason: str) -> str:
    """The back end's reason in the display's language; one it has no words for is left out
    of a translated display (the installer page still shows it as it came)."""
    if current_language() == "en":
        return reason
    stale = re.fullmatch(r"No recent readings from (.+)\.", reason)
    if stale:
        meters = stale.group(1)
        if "electricity" in meters and "gas" in meters:
            return QCoreApplication.translate(
                "Freshness", "No recent readings from the electricity and gas meters."
            )
        if "gas" in meters:
            return QCoreApplication.translate("Freshness", "No recent readings from the gas meter.")
        return QCoreApplication.translate(
            "Freshness", "No recent readings from the electricity meter."
        )
    if reason.startswith(("The ZigBee dongle stopped", "Lost the ZigBee dongle")):
        return QCoreApplication.translate("Freshness", "The display's radio stopped answering.")
    if reason.startswith(("No ZigBee dongle", "The dongle at")):
        return QCoreApplication.translate(
            "Freshness", "The display's radio is missing or not answering."
        )
    return ""


def describe(
    connection: model.Connection | None, last_reading: datetime | None, now: datetime
) -> Freshness:
    state = connection.state if connection is not None else model.ConnectionState.CONNECTING
    reason = _reason_in_words((connection.reason if connection is not None else "").strip())
    if last_reading is not None:
        shown = QCoreApplication.translate(
            "Freshness", "The figures shown are {age} old (from {time})."
        ).format(
            age=formatting.age(last_reading, now), time=formatting.when_label(last_reading, now)
        )
    else:
        shown = QCoreApplication.translate("Freshness", "No figures have arrived yet.")
    if state is model.ConnectionState.OFFLINE:
        head = QCoreApplication.translate("Freshness", "Offline: not connected to the meter.")
        return Freshness("alert", " ".join(x for x in (head, reason, shown) if x))
    if state is model.ConnectionState.STALE:
        head = QCoreApplication.translate("Freshness", "Stale: readings are out of date.")
        return Freshness("warning", " ".join(x for x in (head, reason, shown) if x))
    if state is model.ConnectionState.CONNECTING:
        return Freshness(
            "info", QCoreApplication.translate("Freshness", "Connecting to the meter…")
        )
    if last_reading is None:
        waiting = QCoreApplication.translate("Freshness", "Waiting for the meter…")
        return Freshness("info", waiting)
    if state is model.ConnectionState.DEGRADED:
        return Freshness(
            "warning",
            QCoreApplication.translate(
                "Freshness", "Connected, but some readings could not be understood."
            )
            + " "
            + shown,
        )
    if now - last_reading > OLD_AFTER:
        return Freshness(
            "warning",
            QCoreApplication.translate("Freshness", "No new reading for {age}.").format(
                age=formatting.age(last_reading, now)
            )
            + " "
            + shown,
        )
    return Freshness(
        "ok",
        QCoreApplication.translate("Freshness", "Live: updated {time}").format(
            time=formatting.clock_time(last_reading)
        ),
    )
