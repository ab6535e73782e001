"""The network map widget: nodes round the coordinator, links coloured and labelled by quality."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from device_backend.installer.api import NetworkMap, link_colour

COLOURS = {"good": "#2e9e4f", "fair": "#e0a000", "poor": "#c0392b", "unknown": "#888888"}
NODE_TEXT = "#10202e"
NODE_SIZE = 26  # pixels across a node's dot
_GAP = 2.0  # pixels kept clear between two labels
_BACKING = QColor(255, 255, 255, 200)  # the white under a label lets the dots show through faintly


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    colour: str
    below: bool  # a node's name hangs under its dot; a link's LQI sits above its mid-point


class LabelLayer(pg.GraphicsObject):
    """Every label of the map drawn by one item, in screen pixels, and only where it is readable.

    A pyqtgraph TextItem per label (195 of them on a 50-node map) cost most of the half second
    the map took to draw. Here one paint call places them all: labels come in priority order
    (node names before LQIs) and one that would overlap a label already drawn is left out at
    this zoom; zooming in with the mouse wheel spreads the nodes apart and brings it back.
    """

    def __init__(self, labels: list[Label]) -> None:
        super().__init__()
        self.labels = labels
        # What the last paint put on screen: each text and where, in pixels (tests read it).
        self.drawn: list[tuple[str, QRectF]] = []
        self._sizes: dict[str, tuple[float, float]] = {}

    def boundingRect(self) -> QRectF:
        # Text keeps its pixel size whatever the zoom, so its extent in data units changes with
        # the view: claim the visible area, and say so again whenever the view moves.
        view = self.viewRect()
        return QRectF(view) if view is not None else QRectF()

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        to_screen = painter.transform()
        painter.save()
        painter.resetTransform()
        metrics = painter.fontMetrics()
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        taken: list[QRectF] = []
        drawn: list[tuple[str, QRectF]] = []
        for label in self.labels:
            size = self._sizes.get(label.text)
            if size is None:
                box = metrics.boundingRect(0, 0, 10_000, 10_000, int(flags), label.text)
                size = self._sizes[label.text] = (float(box.width()), float(box.height()))
            width, height = size
            at = to_screen.map(QPointF(label.x, label.y))
            # A node's name goes under its dot, or over it when that is taken; an LQI over
            # its point on the link, or under it.
            clearance = NODE_SIZE / 2 if label.below else 0.0
            under = at.y() + clearance
            over = at.y() - clearance - height
            for top in (under, over) if label.below else (over, under):
                rect = QRectF(at.x() - width / 2, top, width, height)
                clear = rect.adjusted(-_GAP, -_GAP, _GAP, _GAP)
                if not any(clear.intersects(other) for other in taken):
                    break
            else:
                continue  # nowhere readable at this zoom
            taken.append(rect)
            drawn.append((label.text, rect))
            painter.fillRect(rect, _BACKING)  # legible over dots and lines alike
            painter.setPen(QColor(label.colour))
            painter.drawText(rect, int(flags), label.text)
        painter.restore()
        self.drawn = drawn


class NetworkMapView(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("network-map")
        self.setBackground("w")
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setAspectLocked(True)
        self.setMenuEnabled(False)
        self.shown_map: NetworkMap | None = None
        self.labels: LabelLayer | None = None
        self.legend_text = "Links: green good (LQI 150+), amber fair (80-149), red poor (below 80)."

    def show_map(self, network_map: NetworkMap) -> None:
        # A handful of items whatever the map's size: one line item per colour and width
        # (segments joined in pairs), one scatter of nodes, and one layer for every label.
        self.clear()
        self.labels = None
        self.shown_map = network_map
        positions: dict[str, tuple[float, float]] = {}
        nodes = list(network_map.nodes)
        if not nodes:
            return
        # The coordinator sits at the top and the devices on an arc below it, so a link between
        # two devices never runs through the coordinator's own node.
        positions[nodes[0][0]] = (0.0, 0.9)
        others = nodes[1:]
        for i, (ieee, _) in enumerate(others):
            angle = math.pi * (i + 1) / (len(others) + 1)
            positions[ieee] = (-1.3 * math.cos(angle), -0.2 - 0.8 * math.sin(angle))
        names = [
            Label(*positions[ieee], f"{text}\n{ieee}", NODE_TEXT, below=True)
            for ieee, text in nodes
        ]
        lqis: list[Label] = []
        segments: dict[tuple[str, int], tuple[list[float], list[float]]] = {}
        drawn: set[frozenset[str]] = set()
        for link in sorted(network_map.links, key=lambda lk: lk.source != "neighbour table"):
            pair = frozenset((link.a, link.b))
            if link.a not in positions or link.b not in positions or pair in drawn:
                continue
            drawn.add(pair)
            (x1, y1), (x2, y2) = positions[link.a], positions[link.b]
            colour = COLOURS[link_colour(link.lqi)]
            width = 4 if link.source == "neighbour table" else 2
            xs, ys = segments.setdefault((colour, width), ([], []))
            xs += (x1, x2)
            ys += (y1, y2)
            at = 0.45  # a little towards the first end, so the labels of crossing links part
            lqis.append(
                Label(x1 + (x2 - x1) * at, y1 + (y2 - y1) * at, f"LQI {link.lqi}", colour, False)
            )
        # Bare curve and scatter items: a PlotDataItem would bring a scatter of its own per link
        # colour, and building those was most of what was left of the drawing time.
        for (colour, width), (xs, ys) in segments.items():
            pen = pg.mkPen(colour, width=width)
            self.addItem(pg.PlotCurveItem(xs, ys, pen=pen, connect="pairs"))
        dots = pg.ScatterPlotItem(
            pos=list(positions.values()), size=NODE_SIZE, brush="#1c3246", symbol="o"
        )
        self.addItem(dots)
        self.labels = LabelLayer(names + lqis)
        self.labels.setZValue(10)  # over the dots and the links
        self.addItem(self.labels, ignoreBounds=True)
        self.setXRange(-1.7, 1.7)
        self.setYRange(-1.3, 1.2)
