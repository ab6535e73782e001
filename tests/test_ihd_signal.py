"""Signal bars from the meters' measured link quality (LQI), published by the back end."""

from __future__ import annotations

from types import SimpleNamespace

from device_backend import model
from device_backend.facade import LINK_STEP, Backend, _AppListener
from tests.support.display import START, Display

METER = "00:1a:2b:3c:00:00:e1:01"


def test_the_back_end_publishes_a_meters_lqi_when_it_moves_by_a_step() -> None:
    backend = Backend("sim:credit-dual-fuel")
    seen: list[model.Event] = []
    backend.on_event(seen.append)
    backend.adapters[METER] = object()  # type: ignore[assignment]  # a meter it listens to
    listener = _AppListener(backend)

    def frame(ieee: str, lqi: int | None) -> None:
        listener.handle_message(SimpleNamespace(ieee=ieee, lqi=lqi, rssi=-70), 0x0104, 0x0702)

    frame(METER, 200)
    frame(METER, 200 - LINK_STEP + 1)  # ordinary fading: not worth an event
    frame(METER, None)  # zigpy has not measured it
    frame("00:00:00:00:00:00:00:99", 90)  # not a meter the display shows
    frame(METER, 200 - LINK_STEP)
    links = [e for e in seen if isinstance(e, model.LinkQuality)]
    assert [(e.ieee, e.lqi, e.rssi) for e in links] == [
        (METER, 200, -70),
        (METER, 200 - LINK_STEP, -70),
    ]


def test_the_status_line_shows_fewer_bars_for_a_weak_link(display: Display) -> None:
    display.emit(model.Connection(time=START, state=model.ConnectionState.ONLINE))
    signal = display.window.status.signal
    assert signal.level == 4  # online, nothing measured yet
    for lqi, bars in ((220, 4), (130, 3), (90, 2), (40, 1)):
        display.emit(model.LinkQuality(time=START, ieee=METER, lqi=lqi, rssi=-80))
        assert signal.level == bars
        assert signal.accessibleName() == f"Meter signal: {bars} of 4 bars"
    # The weakest meter decides; a link state worse than the measure still wins.
    display.emit(model.LinkQuality(time=START, ieee="gas", lqi=230, rssi=-50))
    assert signal.level == 1
    display.emit(model.Connection(time=START, state=model.ConnectionState.OFFLINE))
    assert signal.level == 0
