"""Setting up trials: participant codes, display variants, scripts, the PIN and the command line."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from device_backend.simulator.scenario import SCENARIO_DIR, load_scenario
from ihd_app.main import main
from ihd_app.settings import Settings
from ihd_app.trial.script import (
    SCRIPT_DIR,
    build_scenario,
    merged_scenario_text,
    read_script,
    script_path,
)
from ihd_app.trial.store import FILE_NAME, TrialError, TrialStore, check_participant
from ihd_app.trial.variants import PRESETS, parse_variant

SCRIPT = SCRIPT_DIR / "evening-credit-low.toml"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: Any) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("IHD_DATA_DIR", str(folder))
    return folder


@pytest.mark.parametrize("code", ["P07", "pilot-3_b", "A" * 32])
def test_participant_codes(code: str) -> None:
    assert check_participant(code) == code


@pytest.mark.parametrize("code", ["", "Jane Smith", "jane@example.com", "-P1", "A" * 33, "P/1"])
def test_anything_like_personal_data_is_refused_as_a_participant_code(code: str) -> None:
    with pytest.raises(TrialError, match="no names or other personal details"):
        check_participant(code)


def test_variants_from_presets_and_choices() -> None:
    assert parse_variant("pounds-first").home == "pounds"
    mixed = parse_variant("popup-alerts,ambient=gauge,sound=on")
    assert (mixed.alerts, mixed.ambient, mixed.sound, mixed.home) == ("popup", "gauge", True, "kwh")
    settings = mixed.settings(Settings(text_size="large"))
    assert (settings.alert_style, settings.ambient_style, settings.alert_sound) == (
        "popup",
        "gauge",
        True,
    )
    assert settings.text_size == "large"  # what the variant does not choose is left alone
    assert set(PRESETS) >= {"standard", "kwh-first", "pounds-first"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("louder", "unknown display variant"),
        ("colour=red", "unknown variant choice"),
        ("alerts=flashing", "alerts must be one of banner, popup"),
    ],
)
def test_a_bad_variant_says_what_is_allowed(text: str, reason: str) -> None:
    with pytest.raises(TrialError, match=reason):
        parse_variant(text)


def test_a_script_replaces_the_base_timeline(tmp_path: Path) -> None:
    script = read_script(SCRIPT)
    assert script.base == "prepay-low-credit"
    path = build_scenario("prepay-low-credit", script, tmp_path)
    scenario = load_scenario(path)
    kinds = [type(e).__name__ for e in scenario.timeline]
    assert kinds == ["PaymentModeChange", "SupplierMessage", "PriceChange"]
    assert scenario.name == "prepay-low-credit"  # the home itself is unchanged
    base = (SCENARIO_DIR / "prepay-low-credit.toml").read_text()
    assert merged_scenario_text(base, script.text).count("[[timeline]]") == 3


def test_a_bad_script_event_names_the_script_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[timeline]]\nat = "+1h"\ntype = "supplier_message"\ntext = ""\n')
    with pytest.raises(TrialError, match=r"bad.toml \(on scenario prepay-low-credit\): timeline"):
        build_scenario("prepay-low-credit", read_script(bad), tmp_path / "out")
    empty = tmp_path / "empty.toml"
    empty.write_text('[trial]\nscenario = "economy7"\n')
    with pytest.raises(TrialError, match="no \\[\\[timeline\\]\\] events"):
        read_script(empty)


def test_the_researcher_pin_is_kept_only_as_a_hash(data: Path) -> None:
    store = TrialStore.open_default()
    assert not store.researcher_pin_set
    store.set_researcher_pin("864209")
    assert store.researcher_pin_matches("864209")
    assert not store.researcher_pin_matches("864200")
    with pytest.raises(TrialError):
        store.set_researcher_pin("12")
    store.close()
    assert b"864209" not in (data / FILE_NAME).read_bytes()
    assert (data / FILE_NAME).stat().st_mode & 0o077 == 0  # owner only


def test_the_command_line_sets_the_pin_lists_and_exports(
    data: Path, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("4321\n"))
    assert main(["--trial-set-pin"]) == 0
    store = TrialStore.open_default()
    assert store.researcher_pin_matches("4321")
    session = store.start_session(
        "P21", scenario="economy7", variant="words", variant_detail={"ambient": "words"}
    )
    store.end_session(session, "researcher")
    store.close()
    capsys.readouterr()
    assert main(["--trial-list"]) == 0
    assert f"P21\t{session}" in capsys.readouterr().out
    assert main(["--trial-export", "P21", "--to", str(tmp_path / "out")]) == 0
    bundle = Path(capsys.readouterr().out.strip())
    assert {p.name for p in bundle.iterdir()} == {"events.csv", "events.jsonl", "session.json"}
    assert json.loads((bundle / "session.json").read_text())["variant"] == "words"
    assert main(["--trial-export", "P99", "--to", str(tmp_path / "out")]) == 2
    assert "no trial data for participant P99" in capsys.readouterr().err


def test_a_shipped_script_is_found_by_name_and_any_other_by_path(tmp_path: Path) -> None:
    assert script_path("evening-credit-low") == SCRIPT
    assert read_script(script_path("evening-credit-low")).base == "prepay-low-credit"
    mine = tmp_path / "mine.toml"
    assert script_path(str(mine)) == mine
    assert script_path("scripts/evening") == Path("scripts/evening")


def test_an_export_cut_short_leaves_no_half_written_folder_and_keeps_the_last_one(
    data: Path, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    store = TrialStore.open_default()
    session = store.start_session("P22", scenario="economy7", variant="standard", variant_detail={})
    store.end_session(session, "researcher")
    store.close()
    out = tmp_path / "out"
    assert main(["--trial-export", "P22", "--to", str(out)]) == 0
    bundle = Path(capsys.readouterr().out.strip())
    before = {p.name: p.read_bytes() for p in bundle.iterdir()}

    def interrupted(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt  # Ctrl-C as the second file is being written

    monkeypatch.setattr("ihd_app.trial.store.json.dumps", interrupted)
    try:
        assert main(["--trial-export", "P22", "--to", str(out)]) == 130
    finally:
        logging.disable(logging.NOTSET)  # an interrupted program silences logging as it exits
    assert capsys.readouterr().err.strip() == "ihd: interrupted"
    assert [p.name for p in out.iterdir()] == [bundle.name]  # no .partial folder left
    assert {p.name: p.read_bytes() for p in bundle.iterdir()} == before


def test_a_trial_is_refused_in_words_before_any_window_opens(data: Path, capsys: Any) -> None:
    assert main(["--trial", "P01", "--screenshot", "/dev/null"]) == 2
    assert "set a researcher PIN" in capsys.readouterr().err
    assert main(["--script", str(SCRIPT)]) == 2
    assert "--script with --trial" in capsys.readouterr().err
