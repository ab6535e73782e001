"""Kiosk robustness: run the display in a child process, restart it after a crash, same screen."""

# The supervisor is plain Python with no Qt: whatever brought the display down (a segfault
# in a driver, an abort in Qt, an exception) cannot take the supervisor with it. The child
# writes the screen on view to a small JSON state file; a restart is told to open that screen.

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

LOGGER = logging.getLogger(__name__)
STATE_FILE = "kiosk-state.json"
CHILD_FLAG = "--kiosk-child"
QUICK_S = 60.0  # a child that ran this long was working: its crash starts the count afresh
MAX_QUICK_CRASHES = 5
BACKOFF_S = (0.5, 1.0, 2.0, 5.0, 10.0)


def state_path() -> Path:
    from device_backend.api import data_dir

    return data_dir() / STATE_FILE


@dataclass
class KioskState:
    """What a restarted display needs to carry on: the screen, and the trial session if any."""

    path: Path

    def write(self, screen: str, session: str | None = None) -> None:
        temporary = self.path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"screen": screen, "session": session}, handle)
        os.replace(temporary, self.path)

    def read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def without(argv: Sequence[str], option: str, takes_value: bool) -> list[str]:
    """argv with every use of `option` removed (as "--x v" or "--x=v")."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == option:
            skip = takes_value
            continue
        if takes_value and arg.startswith(option + "="):
            continue
        out.append(arg)
    return out


def child_command(argv: Sequence[str], restart: dict[str, Any] | None) -> list[str]:
    """The display's own command line, as a child; after a crash, on the screen it was on."""
    command = [sys.executable, "-m", "ihd_app.main", *argv, CHILD_FLAG]
    if restart:
        command = without(command, "--screen", True)
        screen = restart.get("screen")
        if isinstance(screen, str) and screen and screen != "menu":
            command += ["--screen", screen]
        command.append("--resume")
    return command


def supervise(
    argv: Sequence[str],
    *,
    state: KioskState | None = None,
    command: Callable[[Sequence[str], dict[str, Any] | None], list[str]] = child_command,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run the display until it exits cleanly; restart it when it crashes.

    Returns the child's last exit code: 0 after a clean exit, or the crash code once it has
    crashed MAX_QUICK_CRASHES times in a row within a minute each (so a service manager sees
    a display that cannot start, rather than a loop that never ends).
    """
    state = state or KioskState(state_path())
    state.clear()
    restart: dict[str, Any] | None = None
    quick_crashes = 0
    child: subprocess.Popen[bytes] | None = None

    def forward(number: int, _frame: FrameType | None) -> None:
        if child is not None and child.poll() is None:
            child.send_signal(number)

    previous = {n: signal.signal(n, forward) for n in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            started = clock()
            child = subprocess.Popen(command(argv, restart))
            code = child.wait()
            if code == 0 or code in (-signal.SIGTERM, -signal.SIGINT):
                state.clear()
                return 0 if code == 0 else 128 + abs(code)
            ran = clock() - started
            quick_crashes = quick_crashes + 1 if ran < QUICK_S else 1
            LOGGER.warning("The display stopped with code %s after %.0f s; restarting", code, ran)
            print(f"ihd: the display stopped (code {code}); restarting it", file=sys.stderr)
            if quick_crashes >= MAX_QUICK_CRASHES:
                print(
                    f"ihd: the display crashed {quick_crashes} times within a minute each; "
                    "giving up (see the messages above for why)",
                    file=sys.stderr,
                )
                return code if code > 0 else 128 + abs(code)
            restart = state.read() or {"screen": None}
            sleep(BACKOFF_S[min(quick_crashes, len(BACKOFF_S)) - 1])
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
