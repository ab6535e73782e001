"""A scripted trial, end to end on the simulated home: the participant's taps and the home's
events are logged in order, and the export holds them as documented."""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from device_backend.clock import SimulatedClock
from device_backend.facade import Backend
from device_backend.model import Fuel
from device_backend.simulator.scenario import load_scenario
from device_backend.store import Store
from ihd_app.cli import DEFAULT_SCENARIO, build_parser
from ihd_app.totals import StoreTotals
from ihd_app.trial.manage import prepare_trial
from ihd_app.trial.script import SCRIPT_DIR
from ihd_app.trial.session import TrialSession, TrialSettingsFile
from ihd_app.trial.store import COLUMNS, TrialStore
from tests.support.display import Display, send_code

SCRIPT = SCRIPT_DIR / "evening-credit-low.toml"
PIN = "2468"


def _at(hour: int, minute: int) -> datetime:
    return datetime(2026, 1, 12, hour, minute, tzinfo=UTC)


class Trial:
    """The researcher's set-up, the simulated home at full speed, and the participant's hands."""

    def __init__(self, qtbot: Any, loop: asyncio.AbstractEventLoop, folder: Path) -> None:
        TrialStore.open_default().set_researcher_pin(PIN)
        args = build_parser().parse_args(
            ["--trial", "P07", "--script", str(SCRIPT), "--variant", "pounds-first", "--seed", "5"]
        )
        self.prepared = prepare_trial(args, folder / "scenario", DEFAULT_SCENARIO)
        self.store = self.prepared.store
        self.backend = Backend(self.prepared.target, speed=None, seed=5)
        self.history = Store.open(
            folder / "history.db", clock=self.backend.clock, synchronous="NORMAL"
        )
        self.backend.attach_store(self.history)
        settings = TrialSettingsFile(self.store, self.prepared.session_id, self.prepared.settings)
        self.display = Display(qtbot, loop, settings, backend=self.backend)
        self.display.state.set_source(StoreTotals(self.history))
        self.session = TrialSession(
            self.store,
            self.prepared.session_id,
            self.display.window,
            self.display.state,
            export_dir=folder / "exports",
        )

    def run_until(self, moment: datetime) -> None:
        async def run() -> None:
            await self.backend.wait_online(timeout=60)
            await self.backend.wait_for_meters(timeout=60)
            clock = self.backend.clock
            assert isinstance(clock, SimulatedClock)  # as fast as the CPU allows
            await clock.run_until(moment)
            for _ in range(5):
                await asyncio.sleep(0)

        self.display.run(run())
        self.display.settle()

    def close(self) -> None:
        self.session.stop_without_ending()
        self.display.close()
        self.history.close()
        self.store.close()


@pytest.fixture
def trial(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: Any
) -> Iterator[Trial]:
    monkeypatch.setenv("IHD_DATA_DIR", str(tmp_path / "data"))
    running = Trial(qtbot, loop, tmp_path)
    yield running
    running.close()


def _in_order(rows: list[dict[str, Any]], expected: list[tuple[str, str, str]]) -> list[str]:
    """The expected (event, target, value) steps not found in order; "" matches anything."""
    missing, position = [], 0
    for event, target, value in expected:
        for index in range(position, len(rows)):
            row = rows[index]
            if (
                row["event"] == event
                and (not target or row["target"] == target)
                and (not value or str(row["value"]).startswith(value))
            ):
                position = index + 1
                break
        else:
            missing.append(f"{event} {target} {value}")
    return missing


def test_a_scripted_session_runs_end_to_end_and_exports_in_order(
    trial: Trial, tmp_path: Path
) -> None:
    d = trial.display
    assert d.state.settings.settings.pounds_first  # the variant
    d.tap("tab-usage")

    # 18:00 in the script: credit falls to £2.50 and the low-credit alert appears.
    trial.run_until(_at(18, 1))
    assert d.state.alerts.current is not None
    assert d.state.alerts.current.kind == "low_credit"
    d.tap("alert-banner-show")  # "Top up"
    assert d.window.current == "balance"
    d.tap("balance-top-up")
    code = load_scenario(trial.prepared.target.removeprefix("sim:")).issue_top_up(
        Fuel.ELECTRICITY, 1000, 17
    )
    d.tap("topup-key-1")
    d.tap("topup-key-2")  # a slip of the finger ...
    d.tap("topup-clear")  # ... cleared
    for digit in code:
        d.tap(f"topup-key-{digit}")
    send_code(d)
    trial.run_until(_at(18, 2))
    assert d.text("topup-feedback").startswith("Accepted: £10.00 added.")

    # 18:05: a message arrives; the participant reads it from the alert and confirms it.
    trial.run_until(_at(18, 6))
    assert d.state.alerts.current is not None
    assert d.state.alerts.current.kind == "message"
    d.tap("alert-banner-show")  # "Read it"
    confirm = next(
        b.objectName()
        for b in d.window.findChildren(type(d.window.tabs.menu))
        if b.objectName().endswith("-confirm") and b.isVisible()
    )
    d.tap(confirm)
    d.settle()

    # 18:30: the price rises; the participant dismisses the alert.
    trial.run_until(_at(18, 31))
    assert d.state.alerts.current is not None
    assert d.state.alerts.current.kind == "price_rise"
    d.tap("alert-banner-dismiss")
    d.tap("tab-settings")
    d.tap("settings-largest")

    # The researcher ends the session with the PIN; the display closes.
    d.tap("settings-researcher")
    for digit in PIN:
        d.tap(f"researcher-pin-key-{digit}")
    d.tap("researcher-pin-ok")
    d.tap("researcher-end")
    assert not d.window.isVisible()

    bundles = trial.store.export("P07", tmp_path / "out")
    assert len(bundles) == 1
    rows = [json.loads(line) for line in (bundles[0] / "events.jsonl").read_text().splitlines()]
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    expected = [
        ("session_started", "", "pounds-first"),
        ("screen_viewed", "now", ""),
        ("tap", "tab-usage", "Usage"),
        ("screen_left", "now", ""),
        ("screen_viewed", "usage", ""),
        ("meter_event", "credit", "low"),
        ("alert_shown", "low_credit", "Low credit: £2.50 left"),
        ("tap", "alert-banner-show", "Top up"),
        ("alert_dismissed", "low_credit", "show"),
        ("screen_viewed", "balance", ""),
        ("tap", "balance-top-up", "Top up"),
        ("tap", "topup-key-digit", ""),
        ("tap", "topup-clear", "Clear"),
        ("top_up_attempt", "", "sent"),
        ("top_up_outcome", "", "accepted"),
        ("meter_event", "message", ""),
        ("alert_shown", "message", "New message from your supplier."),
        ("tap", "alert-banner-show", "Read it"),
        ("alert_dismissed", "message", "show"),
        ("screen_viewed", "messages", ""),
        ("tap", "", "Confirm"),
        ("meter_event", "price", "27.5"),
        ("alert_shown", "price_rise", "Electricity price going up: 27.50p per kWh"),
        ("tap", "alert-banner-dismiss", "Dismiss"),
        ("alert_dismissed", "price_rise", "dismissed"),
        ("screen_viewed", "settings", ""),
        ("setting_changed", "text_size", "largest"),
        ("tap", "researcher-end", "End session and close"),
        ("screen_left", "settings", ""),
        ("session_ended", "", "researcher"),
    ]
    assert _in_order(rows, expected) == []
    # Durations on view, the display's own (simulated) clock, and no code or PIN digits.
    left = [r for r in rows if r["event"] == "screen_left"]
    assert left
    assert all(r["duration_s"] is not None and r["duration_s"] >= 0 for r in left)
    shown = next(r for r in rows if r["event"] == "alert_shown")
    assert shown["display_time"].startswith("2026-01-12T18:0")
    text = (bundles[0] / "events.jsonl").read_text()
    assert code not in text
    assert code[-8:] not in text
    assert PIN not in text
    assert "topup-key-1" not in text
    assert "researcher-pin-key" not in text.replace("researcher-pin-key-digit", "")

    # The CSV has the documented columns, the same rows, and a manifest names the script.
    with (bundles[0] / "events.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == [name for name, _ in COLUMNS]
    assert [r["event"] for r in table] == [r["event"] for r in rows]
    manifest = json.loads((bundles[0] / "session.json").read_text())
    assert manifest["script"] == "evening-credit-low.toml"
    assert manifest["variant_detail"]["home"] == "pounds"
    assert manifest["end_reason"] == "researcher"
    assert manifest["event_count"] == len(rows)
    assert set(manifest["columns"]) == {name for name, _ in COLUMNS}
