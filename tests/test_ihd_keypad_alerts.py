"""A message or alert never stands between a household and the top-up keypad."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QPushButton, QWidget

from device_backend import model
from device_backend.utrn import issue_utrn
from tests.support.display import START, Display, prepayment, send_code, write_settings

KEY = bytes.fromhex("a3f09c1e27b84d65e0c1f2a3b4c5d6e7")
METER = "00-1A-2B-3C-00-00-E1-02"
KEYS = [f"topup-key-{d}" for d in "0123456789"] + ["topup-clear", "topup-delete", "topup-send"]


def _on_window(d: Display, name: str) -> QRect:
    """Where the control is in the window; it must be wholly inside the window and on view."""
    widget = d.find(QPushButton, name)
    rect = QRect(widget.mapTo(d.window, widget.rect().topLeft()), widget.size())
    assert widget.isVisible(), name
    assert d.window.rect().contains(rect), f"{name} at {rect} is off the 800x480 window"
    return rect


def _covered(d: Display, name: str) -> bool:
    """True when something else (a popup) is what a finger on the control's centre would hit."""
    widget = d.find(QPushButton, name)
    centre = widget.mapTo(d.window, widget.rect().center())
    return d.window.childAt(centre) is not widget


@pytest.fixture(params=["en", "cy"])
def home(
    request: Any, qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path, english_after: None
) -> Any:
    settings = write_settings(tmp_path / "display.json", language=request.param)
    d = Display(qtbot, loop, settings)
    d.emit(
        prepayment(START, credit=250, low=True),
        model.SupplierMessage(time=START, id=4, text="Your tariff changes on 1 February."),
        model.SupplierMessage(
            time=START, id=5, text="Meter reading due.", confirmation_required=True
        ),
    )
    yield d
    d.close()


def test_a_full_code_is_typed_and_sent_with_messages_waiting(home: Display) -> None:
    d = home
    assert (d.window.width(), d.window.height()) == (800, 480)
    assert d.state.alerts.current is not None  # waiting on the status line, not dismissed
    d.tap("tab-balance")
    d.tap("balance-top-up")
    code = issue_utrn(KEY, 21, 1000, METER)
    for name in KEYS:
        _on_window(d, name)
        assert not _covered(d, name), name
    for digit in code:
        d.tap(f"topup-key-{digit}")
    send_code(d)
    d.settle()
    assert d.backend.sent == [("top_up", code)]
    assert d.state.alerts.current is not None  # still there for later: nothing was dismissed
    assert d.state.messages.unconfirmed_count() == 1


def test_an_urgent_message_arriving_mid_code_neither_covers_nor_moves_the_keypad(
    home: Display,
) -> None:
    d = home
    d.tap("tab-balance")
    d.tap("balance-top-up")
    d.tap("topup-key-1")
    before = {name: _on_window(d, name) for name in KEYS}
    d.emit(
        model.SupplierMessage(time=START, id=9, text="Supply work tomorrow.", importance="high"),
        model.Supply(time=START, state=model.SupplyState.OFF),
    )
    assert not d.window.alerts.popup.isVisible()
    assert {name: _on_window(d, name) for name in KEYS} == before
    assert not any(_covered(d, name) for name in KEYS)
    assert d.find(QPushButton, "alert-banner-show").isVisible()  # the badge says it meanwhile
    d.tap("topup-back")
    # Done with the code: now the urgent alert asks for an answer.
    assert d.window.alerts.popup.isVisible()
    assert isinstance(d.window.childAt(d.window.rect().center()), QWidget)


def test_no_popup_covers_the_pin_keypad_either(home: Display) -> None:
    d = home
    d.tap("tab-settings")
    d.window.screens["settings"]._open_installer()
    d.emit(model.Supply(time=START, state=model.SupplyState.OFF))
    assert not d.window.alerts.popup.isVisible()
    d.tap("tab-now")
    assert d.window.alerts.popup.isVisible()


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("size", ["large", "largest"])
def test_at_large_text_a_whole_code_is_typed_checked_and_sent_without_scrolling(
    size: str,
    language: str,
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    english_after: None,
) -> None:
    """Issue 19 item 2: at 150% and 200% text on the 800x480 panel the keypad, the code, the
    fuel choice, Back and Top up are all on view at once, in a dual-fuel home with a message
    waiting; and the code's read-back and the meter's answer need no scrolling either."""
    from dataclasses import replace

    from tests.support.layout import layout_problems, scroll_problems

    settings = write_settings(tmp_path / "display.json", language=language, text_size=size)
    d = Display(qtbot, loop, settings)
    try:
        d.emit(
            prepayment(START, credit=250, low=True),
            replace(prepayment(START, credit=1280), fuel=model.Fuel.GAS),
            model.SupplierMessage(time=START, id=4, text="Your tariff changes on 1 February."),
        )
        d.window.show_screen("balance")
        d.tap("balance-top-up")
        d.settle()
        for name in [*KEYS, "topup-back", "topup-fuel-electricity", "topup-fuel-gas"]:
            _on_window(d, name)
        assert d.find(QWidget, "topup-code").isVisible()
        code = issue_utrn(KEY, 22, 1000, METER)
        for digit in code:
            d.tap(f"topup-key-{digit}")
        d.settle()
        # The short count at large text: the read-back that follows asks for the check.
        assert d.text("topup-count") == {"en": "20 of 20 digits", "cy": "20 o 20 digid"}[language]
        assert scroll_problems(d.window) == []
        assert layout_problems(d.window) == []
        d.tap("topup-send")  # the read-back of the whole code, with Send and Change
        d.settle()
        assert d.find(QWidget, "topup-confirm-send").isVisible()
        assert scroll_problems(d.window) == []
        assert layout_problems(d.window) == []
        d.tap("topup-confirm-send")
        d.settle()
        assert d.backend.sent == [("top_up", code)]
        assert scroll_problems(d.window) == []
        assert layout_problems(d.window) == []
    finally:
        d.close()
