"""Text at 200% (and in Welsh) on the 800x480 panel: no label cut off, none on top of another."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea

from device_backend import model
from tests.support.display import PAGES, START, Display, feed_a_home, open_page, write_settings
from tests.support.layout import layout_problems, touch_problems


@pytest.fixture
def shown(
    request: Any, qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, english_after: None
) -> Any:
    size, language = request.param
    settings = write_settings(tmp_path / "display.json", text_size=size, language=language)
    d = Display(qtbot, loop, settings)
    feed_a_home(d)
    while d.state.alerts.current is not None:  # an alert is for reading, then it goes
        d.state.alerts.dismiss()
    yield d
    d.close()


CASES = [("largest", "en"), ("largest", "cy"), ("normal", "en"), ("normal", "cy"), ("large", "cy")]


@pytest.mark.parametrize("shown", CASES, ids=[f"{s}-{lang}" for s, lang in CASES], indirect=True)
def test_every_page_fits_800x480_without_clipping_or_overlap(shown: Display) -> None:
    window = shown.window
    assert (window.width(), window.height()) == (800, 480)
    found = {}
    for page in PAGES:
        open_page(shown, page)
        problems = layout_problems(window) + touch_problems(window)
        if problems:
            found[page] = problems
    assert not found, "\n".join(f"{page}: {p}" for page, ps in found.items() for p in ps)


@pytest.mark.parametrize("shown", [("largest", "en")], ids=["largest-en"], indirect=True)
def test_text_really_is_doubled(shown: Display) -> None:
    open_page(shown, "balance")
    title = shown.find(QLabel, "screen-title")
    assert title.font().pixelSize() == 48  # 24 px titles at 200%
    # At 200% the page folds (widgets/folding.py): the body text is on its later views.
    body: list[QLabel] = []
    more = shown.find(QAbstractButton, "balance-fold-more")
    while True:
        body += [
            w for w in shown.window.findChildren(QLabel) if w.isVisible() and not w.property("role")
        ]
        if not more.isVisible():
            break
        shown.tap("balance-fold-more")
    assert body
    assert all(w.font().pixelSize() == 36 for w in body)


@pytest.mark.parametrize("shown", [("largest", "en")], ids=["largest-en"], indirect=True)
def test_an_alert_at_200_percent_fits_too(shown: Display) -> None:
    shown.emit(model.SupplierMessage(time=START, id=9, text="Engineer visit."))
    open_page(shown, "now")
    assert shown.find(QAbstractButton, "alert-banner-dismiss").isVisible()
    assert layout_problems(shown.window) == []
    assert isinstance(shown.window.findChild(QScrollArea), QScrollArea)


def test_the_welsh_top_up_chip_at_200_percent_leaves_the_screen_title(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, english_after: None
) -> None:
    """At 800x480 with large text the tab bar is a "Menu" button: the title is what says
    which screen is on view, so the low-credit chip ("Ychwanegu credyd", its ✕ and the
    paused-load mark) must not push it off; the title, the chip's buttons and the clock take
    smaller words first (issue 19)."""
    settings = write_settings(tmp_path / "display.json", text_size="largest", language="cy")
    d = Display(qtbot, loop, settings)
    try:
        feed_a_home(d)  # low credit: the chip is on the status line
        for page, title in (("balance", "Balans"), ("now", "Nawr"), ("tariff", "Prisiau")):
            open_page(d, page)
            assert d.find(QAbstractButton, "alert-banner-show").text() == "Ychwanegu credyd"
            assert d.find(QAbstractButton, "alert-banner-dismiss").isVisible()
            words = d.find(QLabel, "screen-title")
            assert words.isVisible(), page
            assert words.text() == title
            assert layout_problems(d.window) == []
    finally:
        d.close()
