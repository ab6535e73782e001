"""Every screen in every state fits the panel: no page scroll bar, nothing cut off or elided.

The matrix is screens x states x languages x text sizes x panel sizes, sampled so that it runs
in well under a minute on two cores: every screen in every state in English and Welsh at
800x480 with normal text (the panel the display is made for, and where a household most
often meets an alert), and the busiest states at 150% and 200% text and on the 1024x600 and
1280x800 panels. A failure saves a screenshot of the broken screen (see SHOTS).
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from tests.support.display import (
    PAGES,
    Display,
    feed_a_home,
    open_page,
    write_settings,
)
from tests.support.display_states import STATES
from tests.support.layout import layout_problems, scroll_problems, touch_problems

# Where failing screens are saved: CI keeps this folder as an artefact.
SHOTS = Path(os.environ.get("IHD_LAYOUT_SHOTS", Path(__file__).parent.parent / "layout-failures"))


# At 150% and 200% text on an 800x480 panel (about nine and six lines under the status line)
# a page folds onto further views behind "More details" (widgets/folding.py): every view of
# every page is checked, as a person would reach it, by tapping "More details" to the last.
MAX_VIEWS = 8

# (state, language, text size, panel)
CASES = [(state, lang, "normal", (800, 480)) for state in STATES for lang in ("en", "cy")]
CASES += [
    (state, lang, size, (800, 480))
    for state in ("alerts-pending", "credit-panel", "budget", "top-up-log")
    for lang in ("en", "cy")
    for size in ("large", "largest")
]
CASES += [
    (state, lang, "normal", panel)
    for state in ("alerts-pending", "quiet")
    for lang in ("en", "cy")
    for panel in ((1024, 600), (1280, 800))
]
CASES += [("alerts-pending", "cy", "large", (1280, 800))]


def _case_id(case: tuple[str, str, str, tuple[int, int]]) -> str:
    state, lang, size, (w, h) = case
    return f"{state}-{lang}-{size}-{w}x{h}"


def _shoot(d: Display, case_id: str, page: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{case_id}-{page}.png"
    d.window.grab().save(str(path))
    return path


def _page_problems(d: Display) -> list[str]:
    return layout_problems(d.window) + touch_problems(d.window) + scroll_problems(d.window)


def _more_details(d: Display) -> QPushButton | None:
    """The page's "More details" button, if the page is folded and not on its last view."""
    shown = [
        b
        for b in d.window.findChildren(QPushButton)
        if b.objectName().endswith("-fold-more") and b.isVisible()
    ]
    assert len(shown) <= 1, [b.objectName() for b in shown]
    return shown[0] if shown else None


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_every_screen_fits(
    case: tuple[str, str, str, tuple[int, int]],
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    english_after: None,
) -> None:
    state, language, size, panel = case
    settings = write_settings(tmp_path / "display.json", text_size=size, language=language)
    d = Display(qtbot, loop, settings)
    try:
        d.window.resize(*panel)
        feed_a_home(d)
        STATES[state](d)
        # Only lists scroll (Messages, Settings, the Menu: their own scroll areas are marked
        # as lists), at every size; a page too tall for the panel folds instead.
        failed = {}
        for page in PAGES:
            open_page(d, page)
            popup = d.window.alerts.popup
            if popup.isVisible() and page != PAGES[0]:
                continue  # the popup is on top of every page alike: checked once, on Now
            for view in range(1, MAX_VIEWS + 1):
                where = page if view == 1 else f"{page} (view {view})"
                problems = _page_problems(d)
                if problems:
                    shot = _shoot(d, re.sub(r"[^\w-]", "_", _case_id(case)), f"{page}-{view}")
                    failed[where] = [*problems, f"screenshot: {shot}"]
                more = _more_details(d)
                if more is not None and size == "normal":
                    failed[where] = ["folds at normal text, where every page fits"]
                if more is None or popup.isVisible():
                    break
                d.tap(more.objectName())
                QApplication.processEvents()
            else:
                failed[page] = [f"still more details after {MAX_VIEWS} views"]
        assert (d.window.width(), d.window.height()) == panel
    finally:
        d.close()
    assert not failed, "\n".join(f"{page}: {p}" for page, ps in failed.items() for p in ps)
