"""Screen readers: every control on every page has an accessible name and a description."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QScrollArea,
    QScrollBar,
    QWidget,
)

from tests.support.display import PAGES, Display, feed_a_home, open_page, write_settings


def _is_viewport(widget: QWidget) -> bool:
    # A scroll area's (or chart view's) viewport is spoken for by the view that owns it.
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def _controls(window: QWidget) -> list[QWidget]:
    """Everything a person can operate on view: buttons, and anything else taking focus."""
    return [
        w
        for w in window.findChildren(QWidget)
        if w.isVisible()
        and not _is_viewport(w)
        and not isinstance(w, QScrollArea | QScrollBar)
        and (isinstance(w, QAbstractButton) or w.focusPolicy() & Qt.FocusPolicy.TabFocus)
    ]


def _spoken(widget: QWidget) -> tuple[str, str]:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, widget.objectName()
    return (
        interface.text(QAccessible.Text.Name).strip(),
        interface.text(QAccessible.Text.Description).strip(),
    )


def _unnamed(window: QWidget) -> list[str]:
    missing = []
    for w in _controls(window):
        name, description = _spoken(w)
        label = f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}"
        if not name:
            missing.append(f"{label}: no name")
        if not description:
            missing.append(f"{label} {name!r}: no description")
    return missing


@pytest.fixture
def shown(
    request: Any, qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, english_after: None
) -> Any:
    settings = write_settings(tmp_path / "display.json", language=request.param)
    d = Display(qtbot, loop, settings)
    feed_a_home(d)
    yield d
    d.close()


@pytest.mark.parametrize("shown", ["en", "cy"], indirect=True)
def test_every_control_on_every_page_is_named_and_described(shown: Display) -> None:
    found = {}
    for page in PAGES:
        open_page(shown, page)
        missing = _unnamed(shown.window)
        if missing:
            found[page] = missing
    assert not found, "\n".join(f"{page}: {m}" for page, ms in found.items() for m in ms)


@pytest.mark.parametrize("shown", ["en"], indirect=True)
def test_alerts_and_the_popup_are_named_too(shown: Display) -> None:
    assert shown.state.alerts.current is not None  # the low credit from feed_a_home
    assert _unnamed(shown.window) == []
    shown.state.settings.replace_all(
        shown.state.settings.settings.__class__(alert_style="popup", dim_when_idle=False)
    )
    assert shown.window.alerts.popup.isVisible()
    assert _unnamed(shown.window) == []


@pytest.mark.parametrize("shown", ["en"], indirect=True)
def test_names_say_what_symbols_mean(shown: Display) -> None:
    open_page(shown, "settings")
    assert _spoken(shown.find(QAbstractButton, "settings-pounds"))[0] == "Pounds first"
    open_page(shown, "balance-keypad")
    assert _spoken(shown.find(QAbstractButton, "topup-delete"))[0] == "Delete last digit"
    open_page(shown, "now")
    sign = shown.find(QWidget, "ambient-sign")
    assert _spoken(sign)[0] == "Electricity use now: High use"
    assert _spoken(shown.find(QAbstractButton, "tab-messages"))[0] == "Messages (1)"
