"""The budget at a glance: what is spent against it as a bar, and the forecast in words.

The bar reads without colour: an outlined track, filled in the text colour as far as the
money spent, with a notch where the forecast lands (an arrow at the end when it lands past
the budget), and the same in words above and below it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from ihd_app.viewmodels.budget import BudgetViewModel
from ihd_app.widgets.common import label

BAR_HEIGHT = 16


class BudgetBar(QWidget):
    """Spent as a filled share of the track; the forecast as a notch (or an arrow past it)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.used = 0.0  # spent / budget
        self.forecast: float | None = None  # forecast / budget
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(BAR_HEIGHT + 8)
        self.setMinimumWidth(80)

    def sizeHint(self) -> QSize:
        return QSize(200, BAR_HEIGHT + 8)

    def set_values(self, used: float, forecast: float | None) -> None:
        if (used, forecast) != (self.used, self.forecast):
            self.used, self.forecast = used, forecast
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        colour = self.palette().color(self.foregroundRole())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        arrow = 12.0 if self.forecast is not None and self.forecast > 1 else 0.0
        track = QRectF(2, 4, self.width() - 4 - arrow, BAR_HEIGHT)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(track, 4, 4)
        filled = QRectF(track)
        filled.setWidth(track.width() * min(1.0, max(0.0, self.used)))
        painter.setBrush(colour)
        painter.drawRoundedRect(filled, 4, 4)
        if self.forecast is not None:
            if arrow:
                # Past the end of the track: the forecast is over the budget.
                tip = track.right() + arrow
                mid = track.center().y()
                painter.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(track.right() + 2, track.top() - 2),
                            QPointF(tip, mid),
                            QPointF(track.right() + 2, track.bottom() + 2),
                        ]
                    )
                )
            else:
                x = track.left() + track.width() * max(0.0, self.forecast)
                painter.setPen(QPen(colour, 3, Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.end()


class BudgetPanel(QWidget):
    """The headline ("Weekly budget: £9.40 of £30.00"), the bar and the forecast; hidden when
    no budget is set."""

    def __init__(self, vm: BudgetViewModel, name: str, *, compact: bool = False) -> None:
        super().__init__()
        self.vm = vm
        self.compact = compact  # the headline and bar only, in smaller words (Now)
        self.setObjectName(name)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        # Compact (on Now, where every line counts), the words and the bar share one line.
        self.line = line = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        self.headline = label(
            "", "caption" if compact else "", wrap=not compact, name=f"{name}-headline"
        )
        self.headline.setStyleSheet("font-weight: bold;")
        self.bar = BudgetBar(f"{name}-bar")
        self.forecast = label("", "caption", name=f"{name}-forecast")
        if compact:
            line.addWidget(self.headline)
            line.addWidget(self.bar, 1)
            box.addLayout(line)
        else:
            box.addWidget(self.headline)
            box.addWidget(self.bar)
        box.addWidget(self.forecast)
        self.forecast.setVisible(not compact)
        vm.changed.connect(self.refresh)
        self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        """The bar goes under the words when both do not fit one line (large text, Welsh)."""
        if not self.compact:
            return
        room = self.width() - self.line.spacing() - self.bar.minimumWidth()
        words = self.headline.fontMetrics().horizontalAdvance(self.headline.text())
        margins = self.headline.contentsMargins()
        beside = words + margins.left() + margins.right() <= room
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self.line.direction() != direction:
            self.line.setDirection(direction)
        # Under the bar, the words may take more than one line too (Welsh at 150% beside the
        # credit on Now).
        self.headline.setWordWrap(not beside)

    def refresh(self) -> None:
        status = self.vm.status
        self.setVisible(status is not None)
        if status is None:
            return
        over = self.vm.over()
        # A mark as well as the words: being over reads without colour and from across a room.
        self.headline.setText(("⚠ " if over else "") + self.vm.headline())
        self._place()
        forecast = (
            float(status.forecast / status.limit)
            if status.forecast is not None and status.limit > 0
            else None
        )
        self.bar.set_values(float(status.used), forecast)
        self.bar.setAccessibleName(self.vm.spoken())
        self.forecast.setText(self.vm.forecast_text())
        # Compact, the forecast is said to a screen reader with the bar.
        self.bar.setAccessibleDescription(self.forecast.text() if self.compact else "")
