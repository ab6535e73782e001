"""The display says in words when figures are stale or the link is down, and how old they are."""

from __future__ import annotations

from datetime import timedelta

from device_backend import model
from tests.support.display import START, Display, demand


def test_stale_readings_are_named_with_their_age(display: Display) -> None:
    display.emit(demand(START, 900))
    display.tap("tab-now")
    assert display.text("now-freshness") == "Live: updated 12:00"
    display.backend.clock.moment = START + timedelta(minutes=4)
    display.emit(
        model.Connection(
            time=display.backend.clock.now(),
            state=model.ConnectionState.STALE,
            reason="No readings from the electricity meter for 4 min.",
        )
    )
    text = display.text("now-freshness")
    assert text.startswith("Stale: readings are out of date.")
    assert "No readings from the electricity meter for 4 min." in text
    assert "The figures shown are 4 min old (from 12:00)." in text
    assert display.text("link-status") == "⚠ Stale readings"


def test_offline_is_said_with_the_reason(display: Display) -> None:
    display.emit(demand(START, 900))
    display.backend.clock.moment = START + timedelta(seconds=95)
    display.emit(
        model.Connection(
            time=display.backend.clock.now(),
            state=model.ConnectionState.OFFLINE,
            reason="Lost the ZigBee dongle: disconnected.",
        )
    )
    text = display.text("now-freshness")
    assert text.startswith("Offline: not connected to the meter.")
    assert "Lost the ZigBee dongle" in text
    assert "1 min old" in text
    assert display.text("link-status") == "✖ Offline"


def test_a_late_reading_is_flagged_even_when_connected(display: Display) -> None:
    display.emit(demand(START, 900))
    display.backend.clock.moment = START + timedelta(minutes=3)
    display.state.tick()
    assert display.text("now-freshness").startswith("No new reading for 3 min.")
