"""The ambient gauge read by someone who sees no colour, or red and green alike.

Each level is painted, the picture is passed through a colour-vision-deficiency simulation
(Machado, Oliveira and Fernandes 2009, "A Physiologically-based Model for Simulation of
Color Vision Deficiency", IEEE TVCG 15(6), severity 1.0 matrices) and then to grey, and the
number of filled steps is counted: it must be the level (1, 2 or 3) for every theme.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage

from device_backend.model import AmbientLevel
from ihd_app import theme
from ihd_app.widgets.ambient import AmbientSign

SIMULATIONS = {
    "none": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
COUNT = {AmbientLevel.LOW: 1, AmbientLevel.MEDIUM: 2, AmbientLevel.HIGH: 3}
SIZE = 240


def _seen(sign: AmbientSign, matrix: np.ndarray) -> np.ndarray:
    """The sign as grey levels 0-1 after the simulation."""
    image = sign.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    rgb = raw.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3)
    simulated = np.clip(rgb.astype(float) / 255 @ matrix.T, 0, 1)
    return simulated @ np.array([0.2126, 0.7152, 0.0722])


def _filled_steps(grey: np.ndarray, sign: AmbientSign) -> int:
    """How many of the gauge's three steps look filled: their middle unlike the background."""
    text = round(sign._font().pixelSize() * 1.6)
    left, top, width, height = 4, 4, sign.width() - 8, sign.height() - text - 8
    gap = width * 0.06
    step = (width - 2 * gap) / 3
    background = float(np.median(grey[: top + 2, :]))
    filled = 0
    for i in range(3):
        step_height = height * (0.4 + 0.3 * i)
        x = int(left + i * (step + gap) + step / 2)
        y = int(top + height - step_height / 2)
        if abs(float(grey[y, x]) - background) > 0.12:
            filled += 1
    return filled


@pytest.mark.parametrize("simulation", sorted(SIMULATIONS))
@pytest.mark.parametrize("name", sorted(theme.THEMES))
def test_the_gauge_shows_its_level_in_steps_whatever_the_colour_vision(
    qtbot: Any, simulation: str, name: str
) -> None:
    sign = AmbientSign(theme.THEMES[name])
    qtbot.addWidget(sign)
    sign.setStyleSheet(f"background: {theme.THEMES[name].background};")
    sign.set_style("gauge")
    sign.resize(SIZE, SIZE)
    for level, count in COUNT.items():
        sign.set_level(level)
        assert _filled_steps(_seen(sign, SIMULATIONS[simulation]), sign) == count, level
