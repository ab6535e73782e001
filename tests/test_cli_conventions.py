"""What a user expects of any command: --version, help in words with defaults, a log file that
keeps no secrets, a progress line only for a person watching, and Ctrl-C ending cleanly (130)."""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from device_backend import logs
from device_backend.cli import build_parser as cli_parser
from device_backend.cli import main as cli_main
from device_backend.cli_conventions import EXIT_INTERRUPTED
from device_backend.progress import Progress
from ihd_app.cli import build_parser as ihd_parser
from ihd_app.main import main as ihd_main
from installer_tool.cli import build_parser as installer_parser
from installer_tool.main import main as installer_main

PROGRAMS: list[tuple[str, Callable[[list[str]], int]]] = [
    ("ihd", ihd_main),
    ("ihd-installer", installer_main),
    ("ihd-cli", lambda argv: cli_main(argv)),
]


@pytest.mark.parametrize(("program", "main"), PROGRAMS)
def test_every_program_reports_its_installed_version(
    program: str, main: Callable[[list[str]], int], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    assert (
        capsys.readouterr().out == f"{program} {metadata.version('gb-smart-ihd')} (gb-smart-ihd)\n"
    )


def _parsers(
    parser: argparse.ArgumentParser, path: str
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, f"{path} {name}")


def _options(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in parser._actions:
        if action.option_strings and action.help is not argparse.SUPPRESS:
            if not isinstance(action, argparse._HelpAction):
                yield action


def test_every_ihd_cli_command_is_described_and_every_option_explained() -> None:
    parsers = dict(_parsers(cli_parser(), "ihd-cli"))
    assert {"ihd-cli simulate", "ihd-cli consent grant", "ihd-cli export"} <= set(parsers)
    for path, parser in parsers.items():
        assert parser.description, f"{path} has no description"
        for option in _options(parser):
            assert option.help, f"{path} {option.option_strings[0]} has no help"
            _shows_its_default(parser, option)


def _shows_its_default(parser: argparse.ArgumentParser, option: argparse.Action) -> None:
    if option.default in (None, False, argparse.SUPPRESS):
        return
    shown = parser._get_formatter()._expand_help(option)
    assert "default" in shown, f"{option.option_strings[0]}: {shown!r} does not give its default"


@pytest.mark.parametrize("build", [ihd_parser, installer_parser])
def test_every_option_of_the_windows_is_explained(
    build: Callable[[], argparse.ArgumentParser],
) -> None:
    parser = build()
    assert parser.description
    names = []
    for option in _options(parser):
        assert option.help, f"{option.option_strings[0]} has no help"
        _shows_its_default(parser, option)
        names += option.option_strings
    assert {"--version", "--log-level"} <= set(names)


@pytest.fixture
def shipped_logging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """logs.configure() as the programs call it, into a fresh log folder; undone afterwards."""
    folder = tmp_path / "logs"
    monkeypatch.setenv("IHD_LOG_DIR", str(folder))
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    yield folder
    for handler in list(root.handlers):
        if handler not in saved[0]:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(saved[1])
    for noisy in ("zigpy", "bellows", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.NOTSET)


def test_the_log_file_is_private_rotates_and_keeps_no_key(
    shipped_logging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "LOG_BYTES", 2000)
    path = logs.configure(logging.INFO, program="ihd-test", console_level=logging.CRITICAL)
    assert path == shipped_logging / "ihd-test.log"
    key = "2ccade8c9c3e5d4b8f1a0e6b7d2c4f90"
    for n in range(200):
        logging.getLogger("device_backend.test").info("round %d network key %s", n, key)
    logging.getLogger("device_backend.test").debug("below the level: not kept")
    files = sorted(shipped_logging.iterdir())
    assert [p.name for p in files] == [
        "ihd-test.log",
        "ihd-test.log.1",
        "ihd-test.log.2",
        "ihd-test.log.3",
    ]
    assert stat.S_IMODE(shipped_logging.stat().st_mode) == 0o700
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
        text = file.read_text(encoding="utf-8")
        assert key not in text
        assert "<key redacted>" in text
        assert "below the level" not in text
    assert "round 199" in path.read_text(encoding="utf-8")


def test_configuring_again_replaces_the_handlers(shipped_logging: Path) -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    logs.configure(logging.INFO, program="ihd-test")
    logs.configure(logging.DEBUG, program="ihd-test")
    assert len(root.handlers) == before + 2  # one to stderr, one to the file; not four
    assert root.level == logging.DEBUG


def test_a_log_folder_that_cannot_be_made_is_said_not_fatal(
    shipped_logging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = shipped_logging.parent / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("IHD_LOG_DIR", str(blocker / "logs"))
    assert logs.configure(logging.INFO, program="ihd-test", console_level=logging.CRITICAL) is None


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_for_a_terminal_and_cleared_at_the_end() -> None:
    ticks = iter([0.0, 0.1, 1.0, 2.0])
    screen = _Terminal()
    progress = Progress("Simulating economy7", screen, ticks=lambda: next(ticks))
    progress.update(0.25, "2026-01-19 06:00 UTC")
    progress.update(0.3)  # too soon after the last one: not redrawn
    progress.update(0.5)
    progress.finish()
    assert screen.getvalue().split("\r") == [
        "",
        "Simulating economy7: 25% (2026-01-19 06:00 UTC)",
        "Simulating economy7: 50%" + " " * len(" (2026-01-19 06:00 UTC)"),
        " " * len("Simulating economy7: 50%"),
        "",
    ]


def test_progress_of_work_of_unknown_length_is_a_count() -> None:
    ticks = iter([0.0, 0.1, 1.0])
    screen = _Terminal()
    progress = Progress("Exporting to oct.csv", screen, ticks=lambda: next(ticks))
    progress.note("5,000 rows")
    progress.note("10,000 rows")  # too soon: not redrawn
    progress.note("15,000 rows")
    assert screen.getvalue().split("\r") == [
        "",
        "Exporting to oct.csv: 5,000 rows",
        "Exporting to oct.csv: 15,000 rows",
    ]


def test_progress_is_silent_when_not_a_terminal() -> None:
    captured = io.StringIO()
    progress = Progress("Exporting", captured)
    progress.update(0.5)
    progress.finish()
    assert captured.getvalue() == ""


def test_ctrl_c_ends_a_long_simulation_with_130_and_nothing_half_written(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    command = [sys.executable, "-m", "device_backend.cli", "simulate", "--scenario", "economy7"]
    command += ["--for", "30d", "--jsonl", "--db", str(db)]
    env = {**os.environ, "IHD_DATA_DIR": str(tmp_path / "data")}
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    first = child.stdout.readline()  # it is running: the first event has been written
    assert json.loads(first)["time"]
    child.send_signal(signal.SIGINT)
    rest, errors = child.communicate(timeout=120)
    assert child.returncode == EXIT_INTERRUPTED
    assert errors.strip().splitlines()[-1] == "ihd-cli: interrupted"
    assert "Traceback" not in errors
    for line in rest.splitlines():  # every line whole: each one is a JSON object
        assert isinstance(json.loads(line), dict)
    assert rest == "" or rest.endswith("\n")
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_ctrl_c_closes_the_display_cleanly_with_130(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "IHD_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    command = [sys.executable, "-m", "ihd_app.main", "--scenario", "economy7", "--db"]
    command += [str(tmp_path / "h.db"), "--log-level", "info"]
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    assert child.stderr is not None
    for line in child.stderr:  # until the window is up and its Ctrl-C handler in place
        if "The display is running" in line:
            break
    child.send_signal(signal.SIGINT)
    _, errors = child.communicate(timeout=120)
    assert child.returncode == EXIT_INTERRUPTED
    assert errors.strip().splitlines()[-1] == "ihd: interrupted"
    assert "Traceback" not in errors
