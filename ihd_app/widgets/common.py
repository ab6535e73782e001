"""Small builders for touch-sized parts, styled by a `role` property the theme knows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def set_role(widget: QWidget, role: str) -> None:
    """Change a widget's role and make the style sheet notice (Qt caches property styles)."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def label(text: str = "", role: str = "", *, wrap: bool = True, name: str = "") -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    if name:
        widget.setObjectName(name)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


class TouchButton(QPushButton):
    """A push button whose screen-reader name follows its words unless it was given its own."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._own_name = False
        super().setAccessibleName(_spoken(text))

    def setText(self, text: str) -> None:
        super().setText(text)
        if not self._own_name:
            super().setAccessibleName(_spoken(text))

    def setAccessibleName(self, name: str) -> None:
        self._own_name = bool(name)
        super().setAccessibleName(name or _spoken(self.text()))


def _spoken(text: str) -> str:
    # A screen reader should say "Messages (2)" on one line, not pause at a line break.
    return " ".join(text.split())


def button(
    text: str,
    *,
    role: str = "",
    name: str = "",
    checkable: bool = False,
    description: str = "",
    spoken: str = "",
) -> QPushButton:
    """A touch-sized button; `spoken` replaces the words for a screen reader (e.g. for "£")."""
    widget = TouchButton(text)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    widget.setCheckable(checkable)
    if spoken:
        widget.setAccessibleName(spoken)
    widget.setAccessibleDescription(description)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return widget


def card(name: str = "") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    if name:
        frame.setObjectName(name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 10)
    layout.setSpacing(4)
    return frame, layout


class PageScroll(QScrollArea):
    """A scroll area whose page is always as tall as its wrapped rows need.

    QScrollArea sizes a page by its height for the viewport's width, then a scroll bar may
    appear and narrow it, so rows of buttons wrap once more into height they were not given
    and overlap. The page's least height is therefore kept at its height for the width left
    beside a scroll bar.
    """

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        page = self.widget()
        layout = page.layout() if page is not None else None
        if layout is None or not layout.hasHeightForWidth():
            return
        width = self.width() - self.verticalScrollBar().sizeHint().width()
        needed = max(layout.totalHeightForWidth(width), layout.totalMinimumSize().height())
        if needed != page.minimumHeight():
            page.setMinimumHeight(needed)


def scrolling(content: QWidget, *, is_list: bool = False) -> QScrollArea:
    """Large text sizes may not fit 800x480: scroll rather than clip, by finger drag as well.

    `is_list` marks a list (messages), which may scroll at any size; a page should fit its
    screen, and the layout test fails on a page's scroll bar.
    """
    area = PageScroll()
    area.setProperty("list", is_list)
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # The page itself is no stop for Tab or a switch: focusing a control scrolls it into view.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


def severity_role(severity: str) -> str:
    return {
        "ok": "status",
        "info": "placeholder",
        "warning": "warning",
        "alert": "alert",
        "success": "success",
        "error": "alert",
    }.get(severity, "status")
