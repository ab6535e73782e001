"""Start-up: the first screen paints before the radio stack loads; bad targets are refused in words."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST_PAINT = """
import json, sys
import ihd_app
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
seen = []
HEAVY = tuple(sys.argv[2].split(","))

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not seen and watched.objectName() == "ihd-window":
            label = watched.findChild(QLabel, "now-electricity-main")
            seen.append({"zigpy": any(n.split(".")[0] == "zigpy" for n in sys.modules),
                         "heavy": sorted(n for n in sys.modules if n.startswith(HEAVY)),
                         "text": label.text() if label else None})
        return False

spy = FirstPaint()
app.installEventFilter(spy)
from ihd_app.main import main
code = main(["--target", "sim:no-such-home", "--settings", sys.argv[1]])
print(json.dumps({"first_paint": seen[0] if seen else None, "code": code,
                  "zigpy_later": "zigpy" in sys.modules}))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


# What the first paint must not wait for: the radio stack, the database, the chart library (the
# Now screen draws no chart) and the installed-version lookup (logged once the screen is up).
NOT_BEFORE_FIRST_PAINT = (
    "zigpy",
    "bellows",
    "serial",
    "sqlite3",
    "sqlite_utils",
    "pyqtgraph",
    "importlib.metadata",
    "device_backend.facade",
    "device_backend.store",
    "device_backend.simulator",
)


def test_the_first_screen_paints_before_zigpy_is_imported(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            FIRST_PAINT,
            str(tmp_path / "display.json"),
            ",".join(NOT_BEFORE_FIRST_PAINT),
        ],
        cwd=ROOT,
        env={**_env(), "IHD_LOG_DIR": str(logs)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["first_paint"] == {
        "zigpy": False,
        "heavy": [],
        "text": "Waiting for the meter…",
    }
    # The log still says which version started, once the screen was up.
    logged = "".join(p.read_text(encoding="utf-8") for p in logs.glob("*.log*"))
    assert re.search(r"ihd \S+ started", logged), logged
    assert result["zigpy_later"] is True  # the back end did load, after the paint
    assert result["code"] == 2  # an unknown home is refused...
    assert "ihd:" in out.stderr  # ...with a reason


def test_a_malformed_target_is_refused_with_a_reason(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "ihd_app.main",
            "--target",
            "usb",
            "--settings",
            str(tmp_path / "display.json"),
        ],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 2
    assert "is not a connection target" in out.stderr
