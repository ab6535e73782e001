"""Time from the HAN: the Time cluster read at adoption, and a note when the host differs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from device_backend import model
from device_backend.clock import HanClock
from tests.support.display import START, Display
from tests.support.sim import run, with_backend


def test_a_han_clock_keeps_the_meters_time() -> None:
    clock = HanClock()
    clock.offset = timedelta(minutes=-7)
    assert abs(clock.now() - (clock.host_now() - timedelta(minutes=7))) < timedelta(seconds=1)


def test_the_time_cluster_is_read_when_a_meter_is_adopted() -> None:
    async def body(backend: Any, events: Any) -> model.ClockCheck:
        return events.last(model.ClockCheck)

    check = run(with_backend("credit-dual-fuel", body))
    # The simulated hub keeps the simulated time, so the two agree.
    assert abs(check.offset_s) <= 10
    assert check.han_time.tzinfo is not None


def test_a_host_clock_more_than_two_minutes_out_is_said_on_screen(display: Display) -> None:
    meter_time = START + timedelta(minutes=5)
    display.emit(model.ClockCheck(time=START, han_time=meter_time, offset_s=300))
    display.settle()
    # On the status line, which has one height whatever it holds: a few words, and the whole
    # sentence for a screen reader and as the tooltip.
    note = display.window.status.clock_note
    assert display.text("clock-note") == "⚠ Computer clock 5 min slow"
    assert note.accessibleName() == (
        "Showing the meter's time: this computer's clock is 5 min slow."
    )
    assert note.isVisible()
    display.emit(model.ClockCheck(time=START, han_time=START, offset_s=90))  # ordinary drift
    display.settle()
    assert not display.window.status.clock_note.isVisible()
