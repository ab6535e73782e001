"""Participants cannot leave trial mode; the researcher can, with the PIN; a crash resumes it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ihd_app.cli import DEFAULT_SCENARIO, build_parser
from ihd_app.trial.manage import PreparedTrial, prepare_trial
from ihd_app.trial.session import TrialSession, TrialSettingsFile
from ihd_app.trial.store import TrialError, TrialStore
from tests.support.display import Display

PIN = "97531"


def _prepare(folder: Path, *extra: str) -> PreparedTrial:
    args = build_parser().parse_args(["--trial", "P11", "--variant", "popup-alerts", *extra])
    return prepare_trial(args, folder, DEFAULT_SCENARIO)


class Running:
    def __init__(
        self, qtbot: Any, loop: asyncio.AbstractEventLoop, prepared: PreparedTrial, folder: Path
    ) -> None:
        self.prepared = prepared
        settings = TrialSettingsFile(prepared.store, prepared.session_id, prepared.settings)
        self.display = Display(qtbot, loop, settings)
        self.session = TrialSession(
            prepared.store,
            prepared.session_id,
            self.display.window,
            self.display.state,
            export_dir=folder / "exports",
            resumed=prepared.resumed,
        )

    def close(self) -> None:
        # As when the process stops: the session stays open, and the window may close.
        self.session.stop_without_ending()
        self.display.close()
        self.prepared.store.close()

    def events(self) -> list[tuple[str, str]]:
        rows = self.prepared.store.events(self.prepared.session_id)
        return [(r["event"], r["value"]) for r in rows]

    def enter_pin(self, pin: str) -> None:
        for digit in pin:
            self.display.tap(f"researcher-pin-key-{digit}")
        self.display.tap("researcher-pin-ok")


@pytest.fixture
def trial(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: Any
) -> Iterator[Running]:
    monkeypatch.setenv("IHD_DATA_DIR", str(tmp_path / "data"))
    TrialStore.open_default().set_researcher_pin(PIN)
    running = Running(qtbot, loop, _prepare(tmp_path), tmp_path)
    yield running
    running.close()


def test_closing_without_the_researcher_pin_is_refused_and_logged(trial: Running) -> None:
    window = trial.display.window
    window.close()  # what Alt+F4, a window manager's close button or Escape all come to
    assert window.isVisible()
    assert trial.events().count(("locked_exit", "")) >= 1


def test_a_wrong_pin_keeps_the_researcher_area_shut(trial: Running) -> None:
    d = trial.display
    d.tap("tab-settings")
    d.tap("settings-researcher")
    trial.enter_pin("12345")
    assert d.text("researcher-pin-feedback") == "That PIN is not right."
    assert not trial.session.gate.unlocked
    d.window.close()
    assert d.window.isVisible()


def test_the_researcher_ends_the_session_with_the_pin(trial: Running) -> None:
    d = trial.display
    d.tap("tab-settings")
    d.tap("settings-researcher")
    trial.enter_pin(PIN)
    assert "Participant P11" in d.text("researcher-info")
    d.tap("researcher-export")
    assert d.text("researcher-feedback").startswith("Written to ")
    d.tap("researcher-end")
    assert not d.window.isVisible()
    info = trial.prepared.store.session(trial.prepared.session_id)
    assert info.ended is not None
    assert info.end_reason == "researcher"


def test_leaving_the_researcher_area_locks_it_again(trial: Running) -> None:
    d = trial.display
    d.tap("tab-settings")
    d.tap("settings-researcher")
    trial.enter_pin(PIN)
    d.tap("tab-now")  # walking away from the display
    assert not trial.session.gate.unlocked
    d.window.close()
    assert d.window.isVisible()


def test_the_variant_sets_the_participant_s_starting_display(trial: Running) -> None:
    s = trial.display.state.settings.settings
    assert (s.alert_style, s.pounds_first) == ("popup", False)
    assert trial.events()[0] == ("session_started", "popup-alerts")


def test_a_restart_after_a_crash_resumes_the_same_session(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("IHD_DATA_DIR", str(tmp_path / "data"))
    TrialStore.open_default().set_researcher_pin(PIN)
    first = _prepare(tmp_path)
    first.store.save_settings(first.session_id, {"text_size": "largest", "alert_style": "popup"})
    first.store.close()  # the display died here, the session never ended
    again = _prepare(tmp_path, "--resume")
    assert (again.session_id, again.resumed) == (first.session_id, True)
    running = Running(qtbot, loop, again, tmp_path)
    try:
        assert running.display.state.settings.settings.text_size == "largest"
        assert ("session_resumed", "popup-alerts") in running.events()
    finally:
        running.close()
    # A new start (not a restart) closes the interrupted session and begins another.
    fresh = _prepare(tmp_path)
    assert fresh.session_id != first.session_id
    assert fresh.store.session(first.session_id).end_reason == "interrupted"
    fresh.store.close()


def test_no_trial_without_a_researcher_pin(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("IHD_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(TrialError, match="set a researcher PIN"):
        _prepare(tmp_path)
