"""The display makes no outbound network connection: a household's data stays in the house.

The display runs in a child process with a Python audit hook that records every socket
connect, send-to, bind and name lookup on an internet address family. Local plumbing
(asyncio's self-pipe is an AF_UNIX socket pair) is not network traffic and is allowed.
Qt's own networking is C++ and invisible to the hook, so the child also reports whether
PySide6.QtNetwork was ever loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.security

ROOT = Path(__file__).resolve().parent.parent

WATCHED_RUN = """
import json, socket, sys

INTERNET = (socket.AF_INET, socket.AF_INET6)
seen = []

def hook(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg", "socket.bind"):
        sock = args[0]
        if sock.family in INTERNET:
            seen.append([event, repr(args[1:])])
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
        seen.append([event, repr(args[:2])])

sys.addaudithook(hook)

from ihd_app.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "network": seen,
                  "qtnetwork": "PySide6.QtNetwork" in sys.modules}))
"""


def _run_display(*argv: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", WATCHED_RUN, *argv],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_display_opens_no_network_connection(tmp_path: Path) -> None:
    shot = tmp_path / "history.png"
    result = _run_display(
        "--scenario",
        "prepay-low-credit",
        "--after",
        "3h",
        "--screen",
        "history",
        "--screenshot",
        str(shot),
        "--db",
        str(tmp_path / "history.db"),
        "--settings",
        str(tmp_path / "display.json"),
    )
    assert result["code"] == 0
    assert shot.stat().st_size > 0  # the display really ran: zigpy, the store and the window
    assert result["network"] == []
    assert result["qtnetwork"] is False


def test_the_watch_would_see_a_connection() -> None:
    """The hook is not blind: the same hook records an attempted connection to a local port."""
    probe = WATCHED_RUN.replace(
        "from ihd_app.main import main\ncode = main(sys.argv[1:])",
        "s = socket.socket()\ntry:\n    s.connect(('127.0.0.1', 9))\nexcept OSError:\n    pass\n"
        "s.close()\ncode = 0",
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert [event for event, _ in result["network"]] == ["socket.connect"]
