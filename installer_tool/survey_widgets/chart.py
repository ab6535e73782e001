"""The walk-test chart: each link's probes (RSSI) beside the rule thresholds, on screen and in PDF."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from device_backend.survey.api import RuleSet, Sample, Survey, link_key

TOP_DBM, BOTTOM_DBM = -20.0, -110.0
INK = QColor("#1b1b1b")
GRID = QColor("#d0d0d0")
DOT = QColor("#1f5fa8")
LOST = QColor("#b00020")
LINE = QColor("#7a4b00")


def thresholds(rules: RuleSet | None) -> list[tuple[float, str]]:
    """Each RSSI threshold a rule uses, labelled with the outcome it leads to."""
    found: dict[float, str] = {}
    if rules is None:
        return []
    for rule in rules.rules:
        for condition in rule.when:
            if condition.fact in ("median_rssi_dbm", "worst_rssi_dbm") and condition.op in (
                "below",
                "at_most",
            ):
                found.setdefault(float(str(condition.operand)), rules.titles[rule.outcome])
    return sorted(found.items(), reverse=True)


def _groups(survey: Survey) -> list[tuple[str, list[Sample]]]:
    groups: dict[str, tuple[str, list[Sample]]] = {}
    for sample in survey.samples:
        key, label, _ = link_key(survey, sample.peer, sample.position)
        groups.setdefault(key, (label, []))[1].append(sample)
    return list(groups.values())


def paint_chart(
    painter: QPainter, area: QRectF, survey: Survey, lines: list[tuple[float, str]]
) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(painter.font())
    font.setPointSizeF(max(7.0, area.height() / 40))
    painter.setFont(font)
    metrics = painter.fontMetrics()
    left = area.left() + metrics.horizontalAdvance("-100 dBm") + 8
    legend_lines = 1 + len(lines)
    plot = QRectF(
        left,
        area.top() + (legend_lines + 0.3) * metrics.height(),
        area.right() - left - 4,
        area.height() - (legend_lines + 2.8) * metrics.height(),
    )

    def y_of(dbm: float) -> float:
        dbm = max(BOTTOM_DBM, min(TOP_DBM, dbm))
        return plot.top() + (TOP_DBM - dbm) / (TOP_DBM - BOTTOM_DBM) * plot.height()

    painter.setPen(QPen(GRID, 1))
    for dbm in range(-20, -111, -10):
        y = y_of(dbm)
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(INK)
        painter.drawText(
            QRectF(area.left(), y - metrics.height() / 2, left - area.left() - 6, metrics.height()),
            Qt.AlignmentFlag.AlignRight,
            f"{dbm} dBm",
        )
        painter.setPen(QPen(GRID, 1))
    painter.setPen(INK)
    painter.drawText(
        QRectF(plot.left(), area.top(), plot.width(), metrics.height()),
        Qt.AlignmentFlag.AlignLeft,
        "RSSI of each probe (\u00d7 = not answered)",
    )
    groups = _groups(survey)
    if groups:
        width = plot.width() / len(groups)
        for i, (label, samples) in enumerate(groups):
            x0 = plot.left() + i * width
            step = (width - 16) / max(1, len(samples))
            for j, sample in enumerate(samples):
                x = x0 + 8 + step * (j + 0.5)
                if sample.answered and sample.rssi_dbm is not None:
                    painter.setPen(QPen(DOT, 1))
                    painter.setBrush(DOT)
                    painter.drawEllipse(QPointF(x, y_of(sample.rssi_dbm)), 4, 4)
                else:
                    painter.setPen(QPen(LOST, 2))
                    y = plot.bottom() - 6
                    painter.drawLine(QPointF(x - 4, y - 4), QPointF(x + 4, y + 4))
                    painter.drawLine(QPointF(x - 4, y + 4), QPointF(x + 4, y - 4))
            painter.setPen(INK)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawText(
                QRectF(x0, plot.bottom() + 4, width, 2 * metrics.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                label,
            )
            if i:
                painter.setPen(QPen(GRID, 1, Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(x0, plot.top()), QPointF(x0, plot.bottom()))
    else:
        painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No probes yet: run the walk test.")
    for threshold, _label in lines:
        y = y_of(threshold)
        painter.setPen(QPen(LINE, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(LINE)
        painter.drawText(
            QRectF(plot.right() - 60, y - metrics.height(), 56, metrics.height()),
            Qt.AlignmentFlag.AlignRight,
            f"{threshold:g}",
        )
    painter.setPen(LINE)
    for row, (threshold, label) in enumerate(lines, start=1):
        # The words go above the plot, where they never hide a probe.
        legend = f"- - - below {threshold:g} dBm: {label}"
        painter.drawText(
            QRectF(
                plot.left(), area.top() + row * metrics.height(), plot.width(), metrics.height()
            ),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(legend, Qt.TextElideMode.ElideRight, int(plot.width())),
        )
    painter.setPen(QPen(INK, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(plot)
    painter.restore()


def chart_image(survey: Survey, lines: list[tuple[float, str]], size: QSize) -> QImage:
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_chart(painter, QRectF(0, 0, size.width(), size.height()), survey, lines)
    painter.end()
    return image


class LinkChart(QWidget):
    """The chart on the walk-test step, repainted as each probe is saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("survey.chart")
        self.setMinimumSize(360, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._survey: Survey | None = None
        self._lines: list[tuple[float, str]] = []

    def show_survey(self, survey: Survey, lines: list[tuple[float, str]]) -> None:
        self._survey, self._lines = survey, lines
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self._survey is not None:
            paint_chart(
                painter, QRectF(self.rect()).adjusted(4, 4, -4, -4), self._survey, self._lines
            )
        painter.end()
