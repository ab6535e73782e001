"""GB load control: an auxiliary load control switch (ALCS) on the ESME switches a storage
heater by its calendar (Calendar type 0x04), the supplier overrides it, and the display says
so ("Storage heater switched off by your supplier until 16:30"). DRLC stays for non-GB meters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from device_backend import model
from device_backend.simulator.alcs import AuxSwitch, day_entries, off_windows
from device_backend.simulator.scenario import ScenarioError, load_scenario
from tests.support.display import START, Display
from tests.support.scenarios import PREPAY_TOU
from tests.support.sim import advance, run, started

HEATER = """
[alcs]
switches = [
  { switch = 1, label = "Storage heater", on = ["00:30-07:30", "13:00-16:00"], load = "storage_heating" },
]

[[timeline]]
at = "+1h"
type = "alcs_override"
switch = 1
state = "off"
until = "+2h30m"
"""
DAY = ((0, 0), (30, 1), (450, 0), (780, 1), (960, 0))  # minutes, bitmap (bit 0 = switch 1)


def _home(tmp_path: Path, extra: str = HEATER) -> Path:
    text = PREPAY_TOU.format(seed=11).replace(
        "[home]\noccupants = 3", "[home]\noccupants = 3\nstorage_heater_kw = 3.0"
    )
    path = tmp_path / "heater.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_the_calendar_day_is_the_switch_times_as_se_bitmaps() -> None:
    heater = AuxSwitch(number=1, label="Storage heater", on=load_scenario_bands())
    immersion = AuxSwitch(number=2, label="Immersion", on=((t(1, 0), t(3, 0)),))
    assert day_entries((heater,)) == list(DAY)
    assert day_entries((heater, immersion)) == [
        (0, 0),
        (30, 1),
        (60, 3),  # both closed: bits 0 and 1
        (180, 1),
        (450, 0),
        (780, 1),
        (960, 0),
    ]
    # The switch is open outside its bands, by local time (13:00-16:00 BST is 12:00-15:00 UTC).
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    windows = off_windows(heater, summer, summer + timedelta(hours=8))
    assert windows == [
        (summer, summer + timedelta(hours=2)),
        (summer + timedelta(hours=5), summer + timedelta(hours=8)),
    ]


def t(hour: int, minute: int) -> Any:
    from datetime import time

    return time(hour, minute)


def load_scenario_bands() -> tuple[Any, ...]:
    return ((t(0, 30), t(7, 30)), (t(13, 0), t(16, 0)))


def test_the_meter_publishes_its_alcs_calendar_and_the_override_through_zigpy(
    tmp_path: Path,
) -> None:
    path = _home(tmp_path)

    async def body() -> None:
        backend, recorder = await started(path)
        try:
            start = backend.clock.now()
            await advance(backend, timedelta(hours=1, minutes=5))
            schedule, override, again = recorder.of(model.LoadSwitchCalendar)
            assert schedule.entries == DAY
            assert schedule.labels[0] == "Storage heater"
            assert schedule.local_time is True
            assert override.entries == ((0, 0),)  # held open all day
            assert override.starts == start + timedelta(hours=1)
            assert again.entries == DAY
            assert again.starts == start + timedelta(hours=2, minutes=30)  # future-dated
            # The heater charges from 00:30 on its calendar, and stops when the supplier says.
            demand = {
                round((d.time - start).total_seconds() / 60): d.kw
                for d in recorder.of(model.Demand, model.Fuel.ELECTRICITY)
            }
            assert min(v for m, v in demand.items() if 40 <= m < 60) >= 3
            assert max(v for m, v in demand.items() if 61 <= m <= 64) < 3
            # The meter logged it: GBCS 0x8131 (Wireshark packet-gbcs-gbz.c).
            logged = backend.home.admin.logs.matching(0, 0x8131, None, None)
            assert [e.time for e in logged] == [start + timedelta(hours=1)]
        finally:
            await backend.stop()

    run(body())


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        ("switch = 6", "timeline[0].switch", "must be"),
        ('until = "+30m"', "timeline[0].until", "must be after"),
    ],
)
def test_bad_overrides_are_refused_with_the_field(
    tmp_path: Path, line: str, field: str, reason: str
) -> None:
    key = line.split(" = ")[0]
    bad = HEATER.replace(
        next(x for x in HEATER.splitlines() if x.startswith(f"{key} =") and "alcs" not in x),
        line,
    )
    with pytest.raises(ScenarioError) as error:
        load_scenario(_home(tmp_path, bad))
    assert error.value.field == field
    assert reason in error.value.reason


def _calendar(calendar_id: int, starts: datetime, entries: tuple[tuple[int, int], ...]) -> Any:
    return model.LoadSwitchCalendar(
        time=START,
        calendar_id=calendar_id,
        name="",
        starts=starts,
        entries=entries,
        labels=("Storage heater",),
    )


def test_the_display_says_who_switched_the_heater_off_and_until_when(display: Display) -> None:
    until = START + timedelta(hours=4, minutes=30)  # 16:30 in January, UTC = London
    display.emit(
        _calendar(1, START - timedelta(days=1), DAY),
        _calendar(2, START, ((0, 0),)),
        _calendar(3, until, DAY),
    )
    sentence = "Storage heater switched off by your supplier until 16:30"
    assert display.text("load-control-badge") == f"❚❚ {sentence}"
    assert display.find(
        type(display.window.status.paused), "load-control-badge"
    ).accessibleName() == (sentence)
    display.backend.clock.moment = until
    display.state.tick()
    assert display.text("load-control-badge") == ""  # back on its schedule: nothing to say


def test_the_schedule_alone_is_not_an_override(display: Display) -> None:
    display.emit(_calendar(1, START - timedelta(hours=1), DAY))
    assert display.state.load_switches.overrides() == []
    assert display.text("load-control-badge") == ""


def test_the_override_in_welsh(display: Display, english_after: None) -> None:
    display.window.show_screen("settings")
    display.tap("settings-language-cy")
    display.emit(_calendar(2, START, ((0, 0),)), _calendar(3, START + timedelta(hours=4), DAY))
    # Spoken whole; on the line, words or only the mark as room allows.
    badge = display.find(type(display.window.status.paused), "load-control-badge")
    assert badge.accessibleName() == "Storage heater wedi'i ddiffodd gan eich cyflenwr tan 16:00"
    assert badge.text() in ("❚❚", "❚❚ " + badge.accessibleName())
