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


DONGLE_RUN = """
import asyncio, json, socket, sys, tempfile
from pathlib import Path

INTERNET = (socket.AF_INET, socket.AF_INET6)
seen = []

def hook(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg", "socket.bind"):
        if args[0].family in INTERNET:
            seen.append([event, repr(args[1:])])
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
        seen.append([event, repr(args[:2])])

sys.addaudithook(hook)

from device_backend.facade import Backend
from device_backend.virtual_ncp.dongle import VirtualDongle

OTA = 0x0019

async def main():
    with tempfile.TemporaryDirectory() as folder:
        dongle = VirtualDongle("credit-dual-fuel", port=str(Path(folder) / "tty"), speed=30.0)
        answered = asyncio.Event()
        deliver = dongle.air.deliver

        def watched(device, packet):
            if packet.cluster_id == OTA:  # our answer to a meter's QueryNextImage
                answered.set()
            deliver(device, packet)

        dongle.air.deliver = watched
        await dongle.start()
        backend = Backend(f"ezsp:{dongle.path}", zigpy_database=str(Path(folder) / "z.db"))
        await backend.start()
        try:
            await backend.wait_online(60)
            await backend.wait_for_meters(60)
            await asyncio.wait_for(answered.wait(), 60)
        finally:
            await backend.stop()
            await dongle.stop()

asyncio.run(main())
print(json.dumps({"network": seen}))
"""


def test_the_back_end_on_a_stick_looks_up_no_firmware_server() -> None:
    """On `ezsp:` (the real bellows stack, here on the virtual dongle) a meter asks for a new
    image as it joins (QueryNextImage) and is answered, without zigpy's public OTA indexes being
    fetched: a GB meter's firmware comes from its supplier, and nothing leaves the house."""
    out = subprocess.run(
        [sys.executable, "-c", DONGLE_RUN],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1])["network"] == []
