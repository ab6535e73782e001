"""Kiosk mode: a display that crashes is started again, on the screen the participant was on."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ihd_app.kiosk import CHILD_FLAG, KioskState, child_command, supervise
from ihd_app.main import _remember_screens
from tests.support.display import Display

# A stand-in display: the first run notes that it is on "balance" (as the real one does on
# every change of screen) and crashes; the second run records how it was started and exits.
CHILD = """
import json, os, sys
state, runs = sys.argv[1], sys.argv[2]
with open(runs, "a") as out:
    out.write(json.dumps(sys.argv[3:]) + "\\n")
if len(open(runs).read().splitlines()) == 1:
    with open(state, "w") as f:
        json.dump({"screen": "balance", "session": "s1"}, f)
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file left behind
    os.abort()  # a real crash: SIGABRT, no clean-up, as a Qt fatal error would be
sys.exit(0)
"""


def test_a_child_that_crashes_once_is_restarted_on_its_screen(tmp_path: Path) -> None:
    state = KioskState(tmp_path / "kiosk-state.json")
    runs = tmp_path / "runs.jsonl"
    naps: list[float] = []

    def command(argv: Sequence[str], restart: dict[str, Any] | None) -> list[str]:
        real = child_command(argv, restart)  # the command line the real display would get
        return [sys.executable, "-c", CHILD, str(state.path), str(runs), *real[3:]]

    code = supervise(
        ["--fullscreen", "--screen", "now"], state=state, command=command, sleep=naps.append
    )
    assert code == 0
    first, second = (json.loads(line) for line in runs.read_text().splitlines())
    assert first == ["--fullscreen", "--screen", "now", CHILD_FLAG]
    assert second == ["--fullscreen", CHILD_FLAG, "--screen", "balance", "--resume"]
    assert len(naps) == 1  # one pause before the restart
    assert not state.path.exists()  # a clean exit leaves nothing to resume


def test_a_display_that_cannot_start_is_given_up_on(tmp_path: Path, capsys: Any) -> None:
    def command(argv: Sequence[str], restart: dict[str, Any] | None) -> list[str]:
        return [sys.executable, "-c", "import sys; sys.exit(3)"]

    code = supervise(
        [], state=KioskState(tmp_path / "state.json"), command=command, sleep=lambda _: None
    )
    assert code == 3
    assert "giving up" in capsys.readouterr().err


def test_the_child_command_is_the_display_itself() -> None:
    command = child_command(["--trial", "P07", "--screen", "usage"], {"screen": "menu"})
    assert command[:3] == [sys.executable, "-m", "ihd_app.main"]
    assert "--screen" not in command  # the menu is no screen to return to: start on Now
    assert command[-1] == "--resume"


def test_the_display_notes_each_screen_for_a_restart(
    display: Display, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("IHD_DATA_DIR", str(tmp_path / "data"))
    _remember_screens(display.window, "session-1")
    display.tap("tab-balance")
    state = json.loads((tmp_path / "data" / "kiosk-state.json").read_text())
    assert state == {"screen": "balance", "session": "session-1"}
