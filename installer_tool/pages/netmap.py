"""The network map widget: nodes round the coordinator, links coloured and labelled by quality."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from device_backend.installer.api import NetworkMap, link_colour

COLOURS = {"good": "#2e9e4f", "fair": "#e0a000", "poor": "#c0392b", "unknown": "#888888"}


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
        self.legend_text = "Links: green good (LQI 150+), amber fair (80-149), red poor (below 80)."

    def show_map(self, network_map: NetworkMap) -> None:
        self.clear()
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
        drawn: set[frozenset[str]] = set()
        for link in sorted(network_map.links, key=lambda lk: lk.source != "neighbour table"):
            pair = frozenset((link.a, link.b))
            if link.a not in positions or link.b not in positions or pair in drawn:
                continue
            drawn.add(pair)
            (x1, y1), (x2, y2) = positions[link.a], positions[link.b]
            colour = COLOURS[link_colour(link.lqi)]
            style = pg.mkPen(colour, width=4 if link.source == "neighbour table" else 2)
            self.plot([x1, x2], [y1, y2], pen=style)
            label = pg.TextItem(f"LQI {link.lqi}", color=colour, anchor=(0.5, 1.0))
            label.setPos(x1 + (x2 - x1) * 0.45, y1 + (y2 - y1) * 0.45)
            self.addItem(label)
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        self.plot(xs, ys, pen=None, symbol="o", symbolSize=26, symbolBrush="#1c3246")
        for ieee, label_text in nodes:
            x, y = positions[ieee]
            text = pg.TextItem(f"{label_text}\n{ieee}", color="#10202e", anchor=(0.5, -0.35))
            text.setPos(x, y)
            self.addItem(text)
        self.setXRange(-1.7, 1.7)
        self.setYRange(-1.3, 1.2)
