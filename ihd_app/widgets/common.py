"""Small builders for touch-sized parts, styled by a `role` property the theme knows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
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
    """A scroll area that gives its page the height the page needs, and scrolls only then.

    QScrollArea's own sizing (widgetResizable) makes a page as tall as its height for width,
    which a box layout works out from its items' preferred heights: a page that fits at its
    least height still got a scroll bar. Here the page is as tall as the viewport, or its
    least height if that is more: rows of buttons (FlowLayout) report their wrapped height
    as their least, and wrapped words count at their height for the width they are given.
    """

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        page = self.widget()
        layout = page.layout() if page is not None else None
        if page is None or layout is None:
            return
        width = self.width()
        needed = _least_height(layout, width)
        if needed > self.height():
            width -= self.verticalScrollBar().sizeHint().width()
            needed = _least_height(layout, width)
        size = QSize(width, max(needed, self.height()))
        # The bar follows the page's height now: left to itself it changes only when the
        # page is resized, and a page measured at a trial size (widgets/folding.py) and put
        # back could keep a bar it no longer needs.
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if size.height() > self.height()
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        if self.verticalScrollBarPolicy() != policy:
            self.setVerticalScrollBarPolicy(policy)
        if page.size() != size:
            page.resize(size)


def least_height(part: QLayout | QWidget, width: int) -> int:
    """The least height a layout, or a widget with a layout, needs at `width` (see fit);
    for a part that a page may fold away too, so it is measured whether shown or not."""
    if isinstance(part, QLayout):
        return _least_height(part, width)
    inner = part.layout()
    least = part.minimumSizeHint().height()
    if inner is None:
        return max(least, part.heightForWidth(width))
    frame = part.contentsMargins()
    return max(
        least,
        inner.totalMinimumSize().height(),
        _least_of_layout(inner, width - frame.left() - frame.right())
        + frame.top()
        + frame.bottom(),
    )


def _least_height(layout: QLayout, width: int) -> int:
    """The least height of a page's layout at `width`: what its parts need at least, with
    wrapped words at their height for the width they get (Qt's own least height takes a
    wrapped label at one guessed width, and its height for width takes every other part at
    its preferred height)."""
    return max(layout.totalMinimumSize().height(), _least_of_layout(layout, width))


def _least_of_layout(layout: QLayout, width: int) -> int:
    if not isinstance(layout, QBoxLayout):
        return layout.minimumSize().height()  # a FlowLayout's least is already its wrapped height
    margins = layout.contentsMargins()
    inner = width - margins.left() - margins.right()
    parts = [
        item
        for item in (layout.itemAt(i) for i in range(layout.count()))
        if item is not None and not item.isEmpty()
    ]
    vertical = layout.direction() in (
        QBoxLayout.Direction.TopToBottom,
        QBoxLayout.Direction.BottomToTop,
    )
    if vertical:
        heights = [_least_of_item(item, inner) for item in parts]
        body = sum(heights) + layout.spacing() * max(0, len(parts) - 1)
    else:
        # Side by side: each part at the width the last layout pass gave it.
        body = max(
            (_least_of_item(item, item.geometry().width() or inner) for item in parts), default=0
        )
    return body + margins.top() + margins.bottom()


def _least_of_item(item: QLayoutItem, width: int) -> int:
    least = item.minimumSize().height()
    widget = item.widget()
    if isinstance(widget, QLabel):
        return max(least, widget.heightForWidth(width)) if widget.wordWrap() else least
    inner = item.layout() or (widget.layout() if widget is not None else None)
    if inner is None:
        return least
    extra = 0
    if widget is not None:
        frame = widget.contentsMargins()
        width -= frame.left() + frame.right()
        extra = frame.top() + frame.bottom()
    return max(least, _least_of_layout(inner, width) + extra)


def scrolling(content: QWidget, *, is_list: bool = False) -> QScrollArea:
    """Large text sizes may not fit 800x480: scroll rather than clip, by finger drag as well.

    `is_list` marks a list (messages), which may scroll at any size; a page should fit its
    screen, and the layout test fails on a page's scroll bar.
    """
    area = PageScroll()
    area.setProperty("list", is_list)
    area.setWidget(content)
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
