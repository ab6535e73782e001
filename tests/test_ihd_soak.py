"""The live chart survives thousands of updates (PySide6 6.12.0 on Python 3.11 did not)."""

from __future__ import annotations

from datetime import timedelta

from tests.support.display import START, Display, demand


def test_the_live_chart_takes_thousands_of_updates(display: Display) -> None:
    display.tap("tab-history")
    display.tap("history-day")
    for i in range(3000):
        display.backend.clock.moment = START + timedelta(seconds=10 * i)
        display.emit(demand(display.backend.clock.moment, 300 + (i * 7919) % 3000))
    x, _ = display.window.screens["history"].live.curve.getData()
    assert len(x) == 3000
    assert display.text("history-readout").startswith("Now ")
