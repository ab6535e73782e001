"""`ihd --screenshot` runs a simulated home forward and saves the chosen screen as a PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from ihd_app.main import main
from ihd_app.screens import SCREENS

SCENARIO = {"balance": "prepay-low-credit", "export": "solar-export", "tariff": "economy7"}


@pytest.mark.parametrize("screen", SCREENS)
def test_each_screen_can_be_saved(qapp: Any, tmp_path: Path, screen: str) -> None:
    path = tmp_path / f"{screen}.png"
    scenario = SCENARIO.get(screen, "credit-dual-fuel")
    code = main(
        [
            "--scenario",
            scenario,
            "--screenshot",
            str(path),
            "--after",
            "15m",
            "--screen",
            screen,
            "--seed",
            "3",
        ]
    )
    assert code == 0
    assert path.stat().st_size > 5000
    image = QImage(str(path))
    assert (image.width(), image.height()) == (800, 480)


def test_a_larger_size_is_honoured(qapp: Any, tmp_path: Path) -> None:
    path = tmp_path / "now.png"
    assert main(["--screenshot", str(path), "--after", "1m", "--size", "1024x600"]) == 0
    assert QImage(str(path)).width() == 1024
