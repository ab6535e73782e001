"""The ambient use sign: colour is only ever a third cue, after a shape or a count and a word."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from device_backend.api import AmbientLevel
from ihd_app.theme import Palette

STYLES = ("shape", "gauge", "words")
_COUNT = {AmbientLevel.LOW: 1, AmbientLevel.MEDIUM: 2, AmbientLevel.HIGH: 3}


class AmbientSign(QWidget):
    """Three styles, each readable without colour:

    shape: low a circle with one bar, medium a triangle with two, high a square with three;
    gauge: a three-step bar filled to one, two or three steps;
    words: the level in large words with a row of one, two or three filled squares.
    Each has the level in words underneath, and says it to a screen reader.
    """

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level: AmbientLevel | None = None
        self.palette_ = palette
        self.scale = 1.0
        self.style_ = "shape"
        self.setObjectName("ambient-sign")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._update_accessibility()

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def minimumSizeHint(self) -> QSize:
        # The words underneath must fit at any text size.
        metrics = QFontMetrics(self._font())
        widest = max(
            metrics.horizontalAdvance(w)
            for w in (self.tr("Low use"), self.tr("Medium use"), self.tr("High use"))
        )
        # The picture keeps at least 60 px above the words, however large they are: room
        # beside the figures is shared with a prepayment home's credit.
        return QSize(max(150, widest + 12), max(100, round(24 * self.scale * 1.6) + 68))

    def set_level(self, level: AmbientLevel | None) -> None:
        if level == self.level:
            return  # the meter repeats its level every 10 s; repaint only on a change
        self.level = level
        self._update_accessibility()
        self.update()

    def set_palette(self, palette: Palette, scale: float) -> None:
        self.palette_ = palette
        self.scale = scale
        self.updateGeometry()
        self.update()

    def set_style(self, style: str) -> None:
        self.style_ = style if style in STYLES else "shape"
        self.update()

    def words(self) -> str:
        return {
            AmbientLevel.LOW: self.tr("Low use"),
            AmbientLevel.MEDIUM: self.tr("Medium use"),
            AmbientLevel.HIGH: self.tr("High use"),
            None: self.tr("Use level not known yet"),
        }[self.level]

    def retranslate(self) -> None:
        self._update_accessibility()
        self.updateGeometry()
        self.update()

    def _update_accessibility(self) -> None:
        self.setAccessibleName(self.tr("Electricity use now: {level}").format(level=self.words()))
        self.setAccessibleDescription(
            self.tr("How much electricity your home is using now: low, medium or high.")
        )
        self.setToolTip(self.words())

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(round(24 * self.scale))
        font.setBold(True)
        return font

    def _colour(self) -> str:
        p = self.palette_
        return {
            AmbientLevel.LOW: p.good,
            AmbientLevel.MEDIUM: p.medium,
            AmbientLevel.HIGH: p.high,
            None: p.border,
        }[self.level]

    def paintEvent(self, event: QPaintEvent) -> None:
        p = self.palette_
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = self._font()
        text_height = round(font.pixelSize() * 1.6)
        # The picture fills the space above the words, centred.
        picture = QRectF(4, 4, self.width() - 8, self.height() - text_height - 8)
        if self.style_ == "gauge":
            self._draw_gauge(painter, picture)
        elif self.style_ == "words":
            self._draw_words(painter, picture)
        else:
            side = min(picture.width(), picture.height())
            if side > 20:
                box = QRectF((self.width() - side) / 2, 4, side, side)
                painter.setPen(QPen(QColor(p.text), 4))
                painter.setBrush(QColor(self._colour()))
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
        count = _COUNT[self.level]
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

    def _draw_gauge(self, painter: QPainter, area: QRectF) -> None:
        """Three rising steps side by side; the lit ones are filled, the rest only outlined."""
        count = _COUNT.get(self.level, 0) if self.level is not None else 0
        steps = 3
        gap = area.width() * 0.06
        width = (area.width() - gap * (steps - 1)) / steps
        for i in range(steps):
            height = area.height() * (0.4 + 0.3 * i)
            rect = QRectF(area.left() + i * (width + gap), area.bottom() - height, width, height)
            painter.setPen(QPen(QColor(self.palette_.text), 4))
            if i < count:
                painter.setBrush(QColor(self._colour()))
            else:
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)

    def _draw_words(self, painter: QPainter, area: QRectF) -> None:
        """A row of three squares, as many filled as the level; the words below say the rest."""
        count = _COUNT.get(self.level, 0) if self.level is not None else 0
        side = min(area.width() / 4, area.height() * 0.6)
        gap = side / 3
        left = area.center().x() - (3 * side + 2 * gap) / 2
        top = area.center().y() - side / 2
        painter.setPen(QPen(QColor(self.palette_.text), 4))
        for i in range(3):
            painter.setBrush(QColor(self.palette_.text) if i < count else Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(left + i * (side + gap), top, side, side))
