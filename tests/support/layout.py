"""What a person would call a broken layout, found in a live window: cut-off or overlapping
words and controls, scroll bars where there is no list, and buttons too small for a finger."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from ihd_app.widgets.ambient import AmbientSign

TOUCH_PX = 47  # 9 mm on a 7-inch 800x480 panel (about 133 pixels per inch)


def _texts(widget: QWidget) -> str:
    return widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""


def _scroll_content(widget: QWidget) -> QWidget | None:
    """The scroll area's content widget holding `widget`, if any (its rows may scroll)."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if parent.objectName() == "qt_scrollarea_viewport":
            return child
        child, parent = parent, parent.parentWidget()
    return None


def _clip_problem(widget: QWidget, window: QWidget) -> str | None:
    """Where an ancestor cuts the widget off; inside a scroll area, the content may scroll
    up and down, but its width is the viewport's (sideways scrolling is off)."""
    child, parent = widget, widget.parentWidget()
    rect = QRect(widget.rect())
    while parent is not None:
        rect = QRect(child.mapTo(parent, rect.topLeft()), rect.size())
        if parent.objectName() == "qt_scrollarea_viewport":
            content = child
            if content.width() > parent.width() + 1:
                return f"its scroll area is {content.width()} wide in {parent.width()}"
            return None
        if not parent.rect().adjusted(-1, -1, 1, 1).contains(rect):
            return f"cut off by {type(parent).__name__} {parent.objectName()!r}"
        if parent is window:
            return None
        child, parent = parent, parent.parentWidget()
    return None


def _text_problem(widget: QWidget) -> str | None:
    text = _texts(widget)
    if not text.strip():
        return None
    metrics = QFontMetrics(widget.font())
    if isinstance(widget, QLabel):
        room = widget.contentsRect()
        if widget.wordWrap():
            # Words break at spaces, not at a no-break space ("0.5\u00a0kWh" is one word).
            words = [word for word in re.split(r"[ \t\n]+", text) if word]
            widest = max(metrics.horizontalAdvance(word) for word in words)
            if widest > room.width() + 1:
                return f"a word is {widest} px wide in {room.width()}"
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 1:
                return f"needs {needed} px of height, has {widget.height()}"
            return None
        lines = text.split("\n")
        widest = max(metrics.horizontalAdvance(line) for line in lines)
        if widest > room.width() + 1:
            return f"{widest} px of text in {room.width()}"
        if metrics.height() * len(lines) > room.height() + 2:
            return f"{len(lines)} lines in {room.height()} px"
        return None
    hint = widget.sizeHint()
    if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
        return f"needs {hint.width()}x{hint.height()}, has {widget.width()}x{widget.height()}"
    return None


def _visible_parts(window: QWidget) -> list[QWidget]:
    parts = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, QLabel | QAbstractButton | AmbientSign) and w.isVisible()
    ]
    return [w for w in parts if _texts(w).strip() or isinstance(w, AmbientSign | QAbstractButton)]


def layout_problems(window: QWidget) -> list[str]:
    problems = []
    parts = _visible_parts(window)
    for w in parts:
        name = f"{type(w).__name__} {w.objectName()!r} {_texts(w)[:40]!r}"
        if isinstance(w, AmbientSign):
            least = w.minimumSizeHint()
            if w.width() < least.width() or w.height() < least.height():
                problems.append(f"{name}: {w.width()}x{w.height()}, needs {least.toTuple()}")
        why = _text_problem(w)
        if why:
            problems.append(f"{name}: {why}")
        why = _clip_problem(w, window)
        if why:
            problems.append(f"{name}: {why}")
    # Overlaps, compared where they can be: within one scroll area's content, or the window.
    groups: dict[int, list[tuple[QWidget, QRect]]] = {}
    for w in parts:
        root = _scroll_content(w) or window
        rect = QRect(w.mapTo(root, w.rect().topLeft()), w.size())
        groups.setdefault(id(root), []).append((w, rect))
    for members in groups.values():
        for i, (a, ra) in enumerate(members):
            for b, rb in members[i + 1 :]:
                if a.isAncestorOf(b) or b.isAncestorOf(a):
                    continue
                overlap = ra.intersected(rb)
                if overlap.width() > 1 and overlap.height() > 1:
                    first = a.objectName() or _texts(a)[:30]
                    second = b.objectName() or _texts(b)[:30]
                    size = f"{overlap.width()}x{overlap.height()}"
                    problems.append(f"{first!r} overlaps {second!r} by {size}")
    return problems


def touch_problems(window: QWidget) -> list[str]:
    small = []
    for b in window.findChildren(QAbstractButton):
        if b.isVisible() and (b.width() < TOUCH_PX or b.height() < TOUCH_PX):
            small.append(f"{b.objectName()} {b.text()!r} is {b.width()}x{b.height()}")
    return small


def scroll_problems(window: QWidget) -> list[str]:
    """A scroll bar on view, or about to be (the page is taller than its view), anywhere but
    a list (its area has the `list` property)."""
    found = []
    for area in window.findChildren(QScrollArea):
        if not area.isVisible() or area.property("list"):
            continue
        bar = area.verticalScrollBar()
        if bar.isVisible() or bar.maximum() > 0:
            where = area.parentWidget().objectName() if area.parentWidget() else ""
            owner = area.widget().objectName() if area.widget() is not None else ""
            found.append(f"a scroll bar on {where or owner or 'a page'!r} ({bar.maximum()} px)")
    return found
