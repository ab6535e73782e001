"""Large text on the 800x480 panel: a page folds onto views behind "More details" instead of
scrolling (issue 19 item 2), the key figures first, and nothing is out of reach."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ihd_app.widgets.folding import FoldingPage
from tests.support.display import Display, feed_a_home, open_page, write_settings
from tests.support.display_states import STATES

WORDS = {
    "en": {"more": "More details ▸", "back": "◂ Back", "of": "{n} of {total}"},
    "cy": {"more": "Mwy o fanylion ▸", "back": "◂ Yn ôl", "of": "{n} o {total}"},
}


def _folding(d: Display, page: str) -> FoldingPage:
    return d.find(FoldingPage, f"{page}-folding")


def _words_on_view(page: FoldingPage) -> set[str]:
    return {w.text() for w in page.content.findChildren(QLabel) if w.isVisible() and w.text()}


def _step(d: Display, name: str) -> None:
    d.tap(name)
    QApplication.processEvents()


@pytest.mark.parametrize("size", ["large", "largest"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_now_folds_with_the_credit_and_live_figures_first_and_every_part_on_some_view(
    size: str,
    language: str,
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    english_after: None,
) -> None:
    d = Display(qtbot, loop, write_settings(tmp_path / "d.json", text_size=size, language=language))
    try:
        feed_a_home(d)
        STATES["budget"](d)  # live figures, credit of both fuels, days left, a budget, gas
        open_page(d, "now")
        page = _folding(d, "now")
        words = WORDS[language]
        # Every label the page has to say, folded away or not.
        wanted = {
            w.text()
            for s in page.sections
            if s.present()
            for w in s.findChildren(QLabel)
            if not w.isHidden() and w.text()
        }
        assert d.text("now-electricity-main") in wanted

        # The first view: a prepayment home's credit (its first question, issue 19 item 4)
        # and at 150% the live figures beside it (at 200% they come next), and a way on; no
        # way back.
        assert d.find(QWidget, "now-balance").isVisible()
        assert d.find(QWidget, "now-electricity-main").isVisible() == (size == "large")
        assert d.find(QWidget, "now-fold-more").text() == words["more"]
        assert not d.find(QWidget, "now-fold-back").isVisible()
        assert len(page.views) >= 2
        seen = _words_on_view(page)
        steps = 0
        while d.find(QWidget, "now-fold-more").isVisible():
            assert steps < 8, "more than eight views"
            _step(d, "now-fold-more")
            steps += 1
            # "2 of 3": where the household is, in its own language.
            assert d.text("now-fold-position") == words["of"].format(
                n=steps + 1, total=len(page.views)
            )
            assert d.find(QWidget, "now-fold-back").text() == words["back"]
            seen |= _words_on_view(page)
        # Everything the page says was on some view.
        assert wanted <= seen, wanted - seen

        # Back steps back one view at a time.
        _step(d, "now-fold-back")
        assert page.index == steps - 1
        # Leaving the screen and coming back starts again at the key figures.
        open_page(d, "usage")
        open_page(d, "now")
        assert page.index == 0
        assert d.find(QWidget, "now-balance").isVisible()
        assert not d.find(QWidget, "now-fold-back").isVisible()
    finally:
        d.close()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_balance_at_200_percent_shows_the_credit_and_top_up_first(
    language: str,
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    english_after: None,
) -> None:
    settings = write_settings(tmp_path / "d.json", text_size="largest", language=language)
    d = Display(qtbot, loop, settings)
    try:
        feed_a_home(d)
        STATES["credit-panel"](d)  # dual-fuel prepayment, low credit
        open_page(d, "balance")
        assert d.find(QWidget, "balance-fold-more").isVisible()
        for name in ("balance-credit", "balance-top-up"):
            assert d.find(QWidget, name).isVisible(), name
        # The gas meter's credit is on a later view, reached by "More details".
        gas = d.find(QWidget, "balance-gas")
        while not gas.isVisible():
            _step(d, "balance-fold-more")
        assert "£12.80" in gas.text()
    finally:
        d.close()


def test_a_keyboard_user_stays_on_the_fold_buttons(
    qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, english_after: None
) -> None:
    """Pressing "More details" on the last view but one leaves only "Back": focus goes there,
    not back to the start of the screen."""
    d = Display(qtbot, loop, write_settings(tmp_path / "d.json", text_size="largest"))
    try:
        feed_a_home(d)
        STATES["budget"](d)
        open_page(d, "usage")
        page = _folding(d, "usage")
        more, back = page.more, page.back
        for _ in range(len(page.views) - 1):
            more.setFocus()
            qtbot.keyClick(more, Qt.Key.Key_Space)
            QApplication.processEvents()
        assert not more.isVisible()
        assert back.hasFocus()
    finally:
        d.close()
