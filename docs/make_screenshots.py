"""Remake the README's screenshots with the programs' own --screenshot option.

    python docs/make_screenshots.py        (with the project installed: pip install -e . or the wheel)

Each home is simulated with a fixed seed, so a picture changes only when the code does. The
programs run with throw-away data, settings and log folders, never the user's. Each PNG is then
stored with a palette of its own 256 commonest colours (a screen of flat colours and text has
few more), which keeps it a third of Qt's size with no visible change.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "screenshots"
# The display at 800x480 in English and Welsh: (name, screen, scenario). The prepayment home
# has a supplier message waiting, so its Balance and Top-up pictures show one pending.
DISPLAY_SHOTS = [
    ("now", "now", "credit-dual-fuel"),
    ("now-prepay", "now", "prepay-low-credit"),
    ("usage", "usage", "credit-dual-fuel"),
    ("balance", "balance", "prepay-low-credit"),
    ("topup", "topup", "prepay-low-credit"),
    ("history", "history", "economy7"),
    ("prices", "tariff", "economy7"),
    ("prices-block", "tariff", "block-tariff"),
    ("prices-48-rate", "tariff", "tou-48-rate"),
    ("prices-future", "tariff", "future-tariff-change"),
]
SHOTS: list[tuple[str, list[str]]] = [
    *(
        (
            f"ihd-{name}{'-welsh' if lang == 'cy' else ''}",
            ["ihd", "--screen", screen, "--scenario", scenario, "--language", lang],
        )
        for name, screen, scenario in DISPLAY_SHOTS
        for lang in ("en", "cy")
    ),
    ("installer-network", ["ihd-installer", "--screen", "network", "--size", "1024x600"]),
    ("installer-pairing", ["ihd-installer", "--screen", "pairing", "--size", "1024x600"]),
    ("installer-diagnostics", ["ihd-installer", "--screen", "diagnostics", "--size", "1024x600"]),
]
DISPLAY_OPTIONS = ["--seed", "3", "--after", "2h"]


def shrink(path: Path) -> None:
    """Re-save `path` with an 8-bit palette of its own commonest colours."""
    import numpy as np
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.width() * image.height())
    colours, counts = np.unique(pixels, return_counts=True)
    palette = [int(c) for c in colours[np.argsort(counts)[::-1][:256]]]
    small = image.convertToFormat(
        QImage.Format.Format_Indexed8, palette, Qt.ImageConversionFlag.AvoidDither
    )
    if not small.save(str(path), "PNG", 0):
        raise OSError(f"could not write {path}")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ihd-screenshots-") as scratch:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "IHD_DATA_DIR": f"{scratch}/data",
            "IHD_LOG_DIR": f"{scratch}/logs",
            "XDG_CONFIG_HOME": f"{scratch}/config",
        }
        for name, command in SHOTS:
            path = OUT / f"{name}.png"
            extra = DISPLAY_OPTIONS if command[0] == "ihd" else []
            subprocess.run([*command, *extra, "--screenshot", str(path)], env=env, check=True)
            shrink(path)
            print(f"{path.relative_to(OUT.parent.parent)}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
