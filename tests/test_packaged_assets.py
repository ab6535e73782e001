"""Shipped files are package data: found through importlib.resources, declared for the wheel,
and a missing one is a message in words (a missing translation: English, with a warning)."""

from __future__ import annotations

import fnmatch
import logging
import tomllib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from device_backend.cli import main as cli_main
from device_backend.resources import asset_path
from device_backend.simulator import scenario
from device_backend.simulator.scenario import SCENARIO_DIR, ScenarioError, list_scenarios
from device_backend.survey.rules import DEFAULT_RULES
from ihd_app import translation
from ihd_app.main import main
from ihd_app.trial.script import SCRIPT_DIR
from tests.support.display import Display, open_page

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("device_backend", "ihd_app", "installer_tool")


def _package_data() -> dict[str, list[str]]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["setuptools"]["package-data"]


def test_every_data_file_in_a_package_is_declared_for_the_wheel() -> None:
    declared = _package_data()
    data_files = [
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert data_files  # scenarios, rules, translations, scripts, py.typed
    undeclared = []
    for path in data_files:
        relative = path.relative_to(ROOT)
        covered = False
        for owner, patterns in declared.items():
            folder = Path(*owner.split("."))
            if relative.is_relative_to(folder):
                inside = relative.relative_to(folder).as_posix()
                covered |= any(fnmatch.fnmatch(inside, pattern) for pattern in patterns)
        if not covered:
            undeclared.append(str(relative))
    assert undeclared == []


def test_the_shipped_files_are_inside_their_packages() -> None:
    assert [name for name, _ in list_scenarios()] == [
        "block-tariff",
        "credit-dual-fuel",
        "difficult-property",
        "economy7",
        "future-tariff-change",
        "gas-battery-stress",
        "prepay-low-credit",
        "solar-export",
        "tou-48-rate",
    ]
    assert SCENARIO_DIR == ROOT / "device_backend" / "simulator" / "scenarios"
    assert DEFAULT_RULES.is_file()
    assert DEFAULT_RULES.parent == ROOT / "device_backend" / "survey"
    assert (SCRIPT_DIR / "evening-credit-low.toml").is_file()
    assert (translation.TRANSLATIONS / "ihd_cy.qm").is_file()
    assert not (ROOT / "assets").exists()


def test_missing_shipped_scenarios_are_named_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(scenario, "SCENARIO_DIR", tmp_path / "scenarios")  # a broken install
    with pytest.raises(ScenarioError, match="installation is incomplete"):
        scenario.load_scenario("credit-dual-fuel")
    assert cli_main(["scenarios"]) == 1
    assert "no shipped scenarios in" in capsys.readouterr().err
    assert asset_path("device_backend.survey", "survey_rules.toml") == DEFAULT_RULES


def test_welsh_without_its_translation_stays_english_with_a_warning(
    display: Display, english_after: None, tmp_path: Path, monkeypatch: Any, caplog: Any
) -> None:
    monkeypatch.setattr(translation, "TRANSLATIONS", tmp_path)  # no ihd_cy.qm there
    open_page(display, "settings")
    with caplog.at_level(logging.WARNING, logger="ihd_app.translation"):
        display.tap("settings-language-cy")
    assert display.state.settings.settings.language == "cy"  # the choice is kept
    assert display.text("screen-title") == "Settings"  # but the words are English
    assert translation.current_language() == "en"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Cymraeg translation" in warnings[0]
    assert "in English" in warnings[0]
    # Another change of setting neither asks again nor rebuilds the screens.
    caplog.clear()
    title = display.find(QLabel, "screen-title")
    display.window.apply_settings()  # what any later change of setting does
    assert display.find(QLabel, "screen-title") is title
    assert [r for r in caplog.records if r.levelno == logging.WARNING] == []


def test_ihd_language_cy_starts_in_english_when_the_translation_is_missing(
    qapp: Any, english_after: None, tmp_path: Path, monkeypatch: Any, caplog: Any
) -> None:
    monkeypatch.setattr(translation, "TRANSLATIONS", tmp_path / "gone")
    shot = tmp_path / "now.png"
    with caplog.at_level(logging.WARNING, logger="ihd_app.translation"):
        code = main(["--language", "cy", "--screenshot", str(shot), "--after", "1m"])
    assert code == 0
    assert shot.stat().st_size > 5000
    assert translation.current_language() == "en"
    assert any("Cymraeg translation" in r.getMessage() for r in caplog.records)


def test_the_licence_file_is_the_licence_the_metadata_names() -> None:
    with (ROOT / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    words = " ".join((ROOT / "LICENSE").read_text(encoding="utf-8").split())
    assert words.startswith("Apache License Version 2.0, January 2004")
    assert "END OF TERMS AND CONDITIONS" in words
