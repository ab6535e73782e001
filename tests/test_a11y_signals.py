"""The use-level sign never relies on colour alone, and alerts can be heard and are spoken."""

from __future__ import annotations

import wave
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from device_backend import model
from device_backend.model import AmbientLevel
from ihd_app import theme
from ihd_app.screens.now import NowScreen
from ihd_app.settings import Settings
from ihd_app.sound import chime_file
from ihd_app.widgets.ambient import STYLES, AmbientSign
from tests.support.display import START, Display, prepayment, price

LEVELS = (AmbientLevel.LOW, AmbientLevel.MEDIUM, AmbientLevel.HIGH)


def _grey_picture(sign: AmbientSign) -> list[int]:
    """The sign as grey levels, coarsely sampled: what someone who sees no colour sees."""
    image = sign.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    return [image.pixelColor(x, y).value() for x in range(0, 220, 5) for y in range(0, 220, 5)]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(theme.THEMES))
def test_each_level_differs_even_with_every_level_in_the_same_colour(
    qtbot: Any, style: str, name: str
) -> None:
    # One colour for all three levels: only shape, count and words are left to tell them apart.
    same = theme.THEMES[name].medium
    palette = replace(theme.THEMES[name], good=same, medium=same, high=same)
    sign = AmbientSign(palette)
    qtbot.addWidget(sign)
    sign.set_style(style)
    sign.resize(220, 220)
    pictures, words = [], []
    for level in LEVELS:
        sign.set_level(level)
        pictures.append(_grey_picture(sign))
        words.append(sign.words())
        assert sign.accessibleName().endswith(sign.words())
    for i in range(3):
        for j in range(i + 1, 3):
            differing = sum(1 for a, b in zip(pictures[i], pictures[j], strict=True) if a != b)
            assert differing > 40, (style, LEVELS[i], LEVELS[j])
    assert words == ["Low use", "Medium use", "High use"]


def test_the_ambient_style_follows_the_display_variant(display: Display) -> None:
    display.state.settings.replace_all(Settings(ambient_style="gauge", dim_when_idle=False))
    now = display.window.screens["now"]
    assert isinstance(now, NowScreen)
    assert now.ambient.style_ == "gauge"


def _audible(d: Display) -> list[Path]:
    played: list[Path] = []
    d.window.chime.player = played.append
    return played


def test_an_alert_sounds_a_chime_when_sound_is_on(display: Display) -> None:
    played = _audible(display)
    display.tap("tab-settings")
    display.tap("settings-sound-on")
    display.emit(prepayment(START, credit=250, low=True))
    assert display.state.alerts.current is not None
    assert len(played) == 1
    with wave.open(str(played[0])) as chime:
        assert chime.getnframes() / chime.getframerate() == pytest.approx(0.46, abs=0.02)


def test_alerts_are_silent_when_sound_is_off(display: Display) -> None:
    played = _audible(display)
    display.emit(prepayment(START, credit=250, low=True))
    assert display.find(QPushButton, "alert-banner-show").isVisible()
    assert played == []


def test_each_kind_of_alert_appears_once_and_goes_with_its_cause(display: Display) -> None:
    display.emit(
        prepayment(START, credit=250, low=True),
        model.SupplierMessage(time=START, id=5, text="Meter visit on Friday."),
        price(START, pence="24.50"),
        price(START, pence="27.00"),
        model.Supply(time=START, state=model.SupplyState.OFF),
    )
    kinds = [a.kind for a in display.state.alerts.queue]
    assert kinds == ["low_credit", "message", "price_rise", "supply_off"]
    assert "(1\u00a0of\u00a04)" in display.text("alert-banner-text")  # kept on one line
    display.emit(prepayment(START, credit=250, low=True))  # the same state again
    assert len(display.state.alerts.queue) == 4
    display.emit(prepayment(START, credit=2500, low=False))  # topped up
    display.emit(model.Supply(time=START, state=model.SupplyState.ON))
    assert [a.kind for a in display.state.alerts.queue] == ["message", "price_rise"]
    display.tap("alert-banner-show")  # "Read it"
    assert display.window.current == "messages"
    display.tap("alert-banner-dismiss")
    assert display.state.alerts.current is None
    assert not display.find(QPushButton, "alert-banner-show").isVisible()


def test_the_chime_file_is_a_short_wav(tmp_path: Path) -> None:
    path = chime_file(tmp_path)
    with wave.open(str(path)) as chime:
        assert (chime.getnchannels(), chime.getsampwidth()) == (1, 2)
        assert 0.3 < chime.getnframes() / chime.getframerate() < 1.0
