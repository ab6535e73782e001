"""Keyboard and single-switch use: Tab and arrows move, Space or Enter press; optional scanning."""

# A single switch (a big button, a sip-puff or head switch) usually arrives as one key,
# Space or Enter. With scanning on, the focus steps through the controls by itself and the
# switch presses the one highlighted; with it off, Tab or the arrow keys move the focus.
# Controls are visited in the window's focus chain order: the alert, the screen, the tabs.

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget

ACTIVATE = {Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select}
NEXT = {Qt.Key.Key_Down, Qt.Key.Key_Right}
PREVIOUS = {Qt.Key.Key_Up, Qt.Key.Key_Left}
# Tab is ours as well, so that it visits every choice in a group, in the same order as a scan.
TAB = {Qt.Key.Key_Tab, Qt.Key.Key_Backtab}
_TOUCH = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}


def focusable(widget: QWidget, window: QWidget) -> bool:
    policy = widget.focusPolicy()
    # Qt takes Tab focus away from the unchosen buttons of an exclusive group (they are
    # meant to be reached with arrows); a switch user must be able to reach every choice.
    reachable = bool(policy & Qt.FocusPolicy.TabFocus) or (
        isinstance(widget, QAbstractButton) and bool(policy & Qt.FocusPolicy.ClickFocus)
    )
    return widget.window() is window and widget.isVisible() and widget.isEnabled() and reachable


def reveal(widget: QWidget) -> None:
    """Scroll the widget into view inside any scroll area holding it."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 20, 20)
        parent = parent.parentWidget()


class SwitchAccess(QObject):
    focus_visible_changed = Signal(bool)
    activated = Signal(object, str)  # the control pressed, and how: "key" or "switch"

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.scanning = False
        self.focus_visible = False
        self._timer = QTimer(self)
        self._timer.setInterval(2000)
        self._timer.timeout.connect(self.step)
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self)

    # -- scanning ----------------------------------------------------------------------------

    def set_scanning(self, on: bool, seconds: float) -> None:
        self._timer.setInterval(round(seconds * 1000))
        if on == self.scanning:
            return
        self.scanning = on
        if on:
            self._show_focus(True)
            self.step()
            self._timer.start()
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    def controls(self) -> list[QWidget]:
        """Every control the focus can reach now, in focus order."""
        found: list[QWidget] = []
        widget = self.window.nextInFocusChain()
        while widget is not None and widget is not self.window and len(found) < 1000:
            if focusable(widget, self.window) and widget not in found:
                found.append(widget)
            widget = widget.nextInFocusChain()
        return found

    def step(self, forward: bool = True) -> QWidget | None:
        """Move the focus to the next (or previous) control, wrapping round."""
        controls = self.controls()
        if not controls:
            return None
        current = QApplication.focusWidget()
        if current in controls:
            index = controls.index(current) + (1 if forward else -1)
        else:
            index = 0 if forward else -1
        target = controls[index % len(controls)]
        target.setFocus(
            Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
        )
        reveal(target)
        return target

    # -- keys and touches --------------------------------------------------------------------

    def _show_focus(self, on: bool) -> None:
        if on != self.focus_visible:
            self.focus_visible = on
            self.focus_visible_changed.emit(on)

    def _ours(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and watched.window() is self.window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _TOUCH and self._ours(watched) and not self.scanning:
            self._show_focus(False)
            return False
        if kind != QEvent.Type.KeyPress or not self._ours(watched):
            return False
        dimmer = getattr(self.window, "dimmer", None)
        if dimmer is not None and getattr(dimmer, "idle", False):
            return False  # the dimmer takes this press to wake the screen
        assert isinstance(event, QKeyEvent)
        self._show_focus(True)
        key = Qt.Key(event.key())
        focus = QApplication.focusWidget()
        if key in ACTIVATE and isinstance(focus, QAbstractButton) and focus.window() is self.window:
            if event.isAutoRepeat():
                return True  # a switch held down presses once
            self.activated.emit(focus, "switch" if self.scanning else "key")
            focus.click()
            if self.scanning:
                self._timer.start()  # a full interval on whatever comes next
            return True
        if key in TAB:
            backwards = key == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            self.step(forward=not backwards)
            return True
        if key in ACTIVATE and focus is None:
            self.step()
            return True
        if key in NEXT | PREVIOUS and (focus is None or isinstance(focus, QAbstractButton)):
            self.step(forward=key in NEXT)
            return True
        return False
