"""Keyboard and single-switch use: every control reachable, the focus visible, Space presses."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from ihd_app.screens.history import HistoryScreen
from tests.support.display import Display, feed_a_home, open_page


def _key(d: Display, key: Qt.Key) -> None:
    """A key press where the focus is, inside the loop (a press may start a command)."""

    async def press() -> None:
        target = QApplication.focusWidget() or d.window
        QTest.keyClick(target, key)
        await asyncio.sleep(0)

    d.run(press())


def _focus() -> QWidget | None:
    return QApplication.focusWidget()


def _image(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def test_tab_reaches_every_control_on_the_page_and_then_wraps(display: Display) -> None:
    feed_a_home(display)
    open_page(display, "settings")
    display.window.activateWindow()
    controls = display.window.switch.controls()
    assert {c.objectName() for c in controls} >= {
        "settings-kwh",
        "settings-pounds",
        "settings-largest",
        "settings-language-cy",
        "settings-scan-off",
        "settings-installer",
        "tab-now",
        "tab-settings",
    }
    visited = []
    for _ in range(len(controls)):
        _key(display, Qt.Key.Key_Tab)
        visited.append(_focus())
    assert set(visited) == set(controls)
    assert len(set(visited)) == len(controls)  # each once: a single, predictable order


def test_the_focus_is_drawn_once_keys_are_in_use_and_not_for_fingers(display: Display) -> None:
    open_page(display, "settings")
    button = display.find(QAbstractButton, "settings-dimmer")
    plain = _image(button)
    button.setFocus(Qt.FocusReason.MouseFocusReason)
    QApplication.processEvents()
    assert _image(button) == plain  # touched, not highlighted
    _key(display, Qt.Key.Key_Tab)  # any key shows the focus from then on
    button.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert display.window.switch.focus_visible
    focused = _image(button)
    assert focused != plain
    # Filled with the focus colour: a big change, not a one-pixel outline.
    changed = sum(
        1
        for x in range(0, focused.width(), 4)
        for y in range(0, focused.height(), 4)
        if focused.pixel(x, y) != plain.pixel(x, y)
    )
    assert changed > 0.3 * (focused.width() // 4) * (focused.height() // 4)
    display.tap("tab-now")  # a finger again: the highlight goes
    assert not display.window.switch.focus_visible


def test_space_and_enter_press_the_focused_control(display: Display) -> None:
    display.find(QAbstractButton, "tab-usage").setFocus(Qt.FocusReason.TabFocusReason)
    _key(display, Qt.Key.Key_Space)
    assert display.window.current == "usage"
    display.find(QAbstractButton, "tab-balance").setFocus(Qt.FocusReason.TabFocusReason)
    _key(display, Qt.Key.Key_Return)
    assert display.window.current == "balance"


def test_arrow_keys_step_between_controls(display: Display) -> None:
    open_page(display, "settings")
    first = display.find(QAbstractButton, "settings-kwh")
    first.setFocus(Qt.FocusReason.TabFocusReason)
    _key(display, Qt.Key.Key_Down)
    assert _focus() is display.find(QAbstractButton, "settings-pounds")
    _key(display, Qt.Key.Key_Up)
    assert _focus() is first


def test_one_switch_with_scanning_reaches_and_presses_any_screen(display: Display) -> None:
    open_page(display, "settings")
    display.tap("settings-scan-2")
    switch = display.window.switch
    assert switch.scanning
    assert display.state.settings.settings.switch_scanning
    # The scan clock is stopped so that the steps below are the test's own, in order.
    switch.stop()
    for _ in range(60):
        if _focus() is display.find(QAbstractButton, "tab-balance"):
            break
        switch.step()
    else:
        raise AssertionError("scanning never reached the Balance tab")
    _key(display, Qt.Key.Key_Space)  # the switch
    assert display.window.current == "balance"
    assert switch.focus_visible


def test_history_bars_can_be_read_with_the_arrow_keys(display: Display) -> None:
    feed_a_home(display)
    open_page(display, "history")
    history = display.window.screens["history"]
    assert isinstance(history, HistoryScreen)
    chart = history.bars
    chart.setFocus(Qt.FocusReason.TabFocusReason)
    _key(display, Qt.Key.Key_Left)
    assert display.state.history.selected == 7  # from the right-hand end: today
    _key(display, Qt.Key.Key_Left)
    assert display.state.history.selected == 6
    assert display.text("history-readout").startswith("Sun 11 Jan")
    assert chart.accessibleDescription() == display.text("history-readout")


def test_a_popup_alert_keeps_keys_and_switches_inside_it(display: Any) -> None:
    from ihd_app.settings import Settings

    display.state.settings.replace_all(Settings(alert_style="popup", dim_when_idle=False))
    feed_a_home(display)
    popup = display.window.alerts.popup
    assert popup.isVisible()
    reachable = display.window.switch.controls()
    assert reachable
    assert all(popup.isAncestorOf(c) for c in reachable)
    assert _focus() is popup.card.show_me
    _key(display, Qt.Key.Key_Space)  # "Top up": to the balance, alert answered
    assert display.window.current == "balance"
    assert not popup.isVisible() or display.state.alerts.current is not None
