"""A row of controls that wraps onto further lines when large text or longer words need the room."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Left to right, then onto the next line; each line is stretched to the full width.

    A fixed row of five buttons fits 800 pixels at normal text but not at 200% or in Welsh;
    wrapping keeps every word whole and every button at least its natural size.
    """

    def __init__(
        self, parent: QWidget | None = None, *, spacing: int = 8, justify: bool = True
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._justify = justify  # stretch each line to the full width (buttons); not for words
        self._wrapped = 0  # the height of the lines at the width last given
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout's item list -------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    # -- sizes -----------------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def sizeHint(self) -> QSize:
        # One line if there is room; the parent's width decides through heightForWidth.
        width = sum(i.sizeHint().width() for i in self._visible()) + self._spacing * max(
            0, len(self._visible()) - 1
        )
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        m = self.contentsMargins()
        return QSize(
            width + m.left() + m.right(), max(height + m.top() + m.bottom(), self._wrapped)
        )

    def minimumSize(self) -> QSize:
        widest = max((i.minimumSize().width() for i in self._visible()), default=0)
        widest = max(widest, max((i.sizeHint().width() for i in self._visible()), default=0))
        tallest = max((i.sizeHint().height() for i in self._visible()), default=0)
        m = self.contentsMargins()
        # Once placed, no less than the wrapped lines need at the width given: a box layout
        # that squeezed a flow to one line would lay the next row of controls over it.
        return QSize(
            widest + m.left() + m.right(), max(tallest + m.top() + m.bottom(), self._wrapped)
        )

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        wrapped = self._arrange(rect, apply=True)
        if wrapped != self._wrapped:
            # Tell the layouts above: box layouts (and a scroll area's page) size a flow by
            # its size hints, which now know how many lines it wraps onto at this width.
            self._wrapped = wrapped
            self.invalidate()

    # -- placing ---------------------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            wanted = item.sizeHint().width()
            if lines[-1] and used + self._spacing + wanted > width:
                lines.append([])
                used = 0
            used += (self._spacing if lines[-1] else 0) + wanted
            lines[-1].append(item)
        return [line for line in lines if line]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        for line in self._lines(area.width()):
            natural = sum(i.sizeHint().width() for i in line)
            spare = max(0, area.width() - natural - self._spacing * (len(line) - 1))
            if not self._justify:
                spare = 0
            widths = []
            for index, item in enumerate(line):
                # Share the spare width evenly, the last item taking the rounding remainder.
                extra = spare // len(line) + (spare % len(line) if index == len(line) - 1 else 0)
                widths.append(min(item.sizeHint().width() + extra, area.width()))
            # Wrapped words get the height they need at the width they were given.
            height = max(
                item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()
                for item, width in zip(line, widths, strict=True)
            )
            x = area.x()
            for item, width in zip(line, widths, strict=True):
                if apply:
                    item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
                x += width + self._spacing
            y += height + self._spacing
        return y - self._spacing - rect.y() + m.bottom() if y > area.y() else m.top() + m.bottom()
