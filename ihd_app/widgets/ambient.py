"""The ambient use sign: a colour, a shape and a word together, so no one relies on colour."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from device_backend.model import AmbientLevel
from ihd_app.theme import Palette


class AmbientSign(QWidget):
    """Low: a circle with one bar; medium: a triangle with two; high: a square with three."""

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level: AmbientLevel | None = None
        self.palette_ = palette
        self.scale = 1.0
        self.setObjectName("ambient-sign")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(150, 150)
        self._update_accessibility()

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def set_level(self, level: AmbientLevel | None) -> None:
        if level == self.level:
            return  # the meter repeats its level every 10 s; repaint only on a change
        self.level = level
        self._update_accessibility()
        self.update()

    def set_palette(self, palette: Palette, scale: float) -> None:
        self.palette_ = palette
        self.scale = scale
        self.update()

    def words(self) -> str:
        return {
            AmbientLevel.LOW: self.tr("Low use"),
            AmbientLevel.MEDIUM: self.tr("Medium use"),
            AmbientLevel.HIGH: self.tr("High use"),
            None: self.tr("Use level not known yet"),
        }[self.level]

    def _update_accessibility(self) -> None:
        self.setAccessibleName(self.words())
        self.setToolTip(self.words())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = self.palette_
        colour = {
            AmbientLevel.LOW: p.good,
            AmbientLevel.MEDIUM: p.medium,
            AmbientLevel.HIGH: p.high,
            None: p.border,
        }[self.level]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPixelSize(round(24 * self.scale))
        font.setBold(True)
        text_height = round(font.pixelSize() * 1.6)
        side = min(self.width(), self.height() - text_height) - 8
        if side > 20:
            box = QRectF((self.width() - side) / 2, 4, side, side)
            painter.setPen(QPen(QColor(p.text), 4))
            painter.setBrush(QColor(colour))
            self._draw_shape(painter, box)
            self._draw_bars(painter, box)
        painter.setFont(font)
        painter.setPen(QColor(p.text))
        painter.drawText(
            QRectF(0, self.height() - text_height, self.width(), text_height),
            int(Qt.AlignmentFlag.AlignCenter),
            self.words(),
        )
        painter.end()

    def _draw_shape(self, painter: QPainter, box: QRectF) -> None:
        if self.level is AmbientLevel.LOW:
            painter.drawEllipse(box)
        elif self.level is AmbientLevel.MEDIUM:
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(box.center().x(), box.top()),
                        QPointF(box.right(), box.bottom()),
                        QPointF(box.left(), box.bottom()),
                    ]
                )
            )
        elif self.level is AmbientLevel.HIGH:
            painter.drawRoundedRect(box.adjusted(6, 6, -6, -6), 8, 8)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = QPen(QColor(self.palette_.border), 4, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawEllipse(box)

    def _draw_bars(self, painter: QPainter, box: QRectF) -> None:
        if self.level is None:
            return
        count = {AmbientLevel.LOW: 1, AmbientLevel.MEDIUM: 2, AmbientLevel.HIGH: 3}[self.level]
        if not count:
            return
        # A bar count is a second non-colour cue, legible even in a glance from across a room.
        width = box.width() * 0.09
        gap = width * 0.7
        total = count * width + (count - 1) * gap
        left = box.center().x() - total / 2
        bottom = box.bottom() - box.height() * 0.18
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#000000"))
        for i in range(count):
            height = box.height() * (0.16 + 0.1 * i)
            painter.drawRect(QRectF(left + i * (width + gap), bottom - height, width, height))
