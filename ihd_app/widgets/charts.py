"""pyqtgraph charts sized for touch: a bar chart you can tap, and a live line with London times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QWidget

from device_backend.api import LONDON
from ihd_app.theme import Palette

BAR_WIDTH = 0.7
MIN_ROOM = 4096  # points: a day of 10-second reports is 8,640
DECIMATE_ABOVE = 4 * 1024  # points: more than this and runs are drawn (a day of 10 s reports too)
RUNS = 1024  # a longer line is drawn as at most this many runs' lowest and highest (~1.3 a pixel)
HEADROOM = 60  # the view runs 1/60 of its span ahead of the newest reading
KEEP_BEFORE_S = 3600.0  # points this far left of the view are dropped when the arrays fill


class LondonDateAxis(pg.DateAxisItem):
    """Tick labels in Europe/London whatever the machine's own zone (ticks in UTC seconds)."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        middle = (minVal + maxVal) / 2 if np.isfinite(minVal + maxVal) else 0.0
        try:
            offset = datetime.fromtimestamp(middle, UTC).astimezone(LONDON).utcoffset()
        except (OverflowError, OSError, ValueError):
            offset = None
        # pyqtgraph subtracts utcOffset from each timestamp, so it is minus London's offset.
        self.utcOffset = -int(offset.total_seconds()) if offset is not None else 0
        return super().tickValues(minVal, maxVal, size)


def _style(plot: pg.PlotWidget, palette: Palette, scale: float) -> None:
    plot.setBackground(palette.background)
    font = QFont()
    font.setPixelSize(round(15 * scale))
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTextPen(pg.mkPen(palette.text))
        axis.setPen(pg.mkPen(palette.muted))
        axis.setStyle(tickFont=font)
        axis.label.setFont(font)


def _touch_only(plot: pg.PlotWidget) -> None:
    """A finger drag on a small screen should not pan the chart away; taps are for reading."""
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMenuEnabled(False)


class BarChart(pg.PlotWidget):
    """Touch a bar for its figures; with a keyboard or switch, Left and Right step along them."""

    bar_touched = Signal(int)

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history-bars")
        self.setProperty("role", "focusable")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("History chart"))
        _touch_only(self)
        self._selected: int | None = None
        self.palette_ = palette
        self.scale = 1.0
        self._notes: list[pg.TextItem] = []
        self.colour = palette.bar_electricity
        self.bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=self.colour)
        self.addItem(self.bars)
        self._count = 0
        self.scene().sigMouseClicked.connect(self._clicked)
        self.getAxis("left").setWidth(64)

    def set_palette(self, palette: Palette, scale: float) -> None:
        self.palette_ = palette
        self.scale = scale
        _style(self, palette, scale)

    def show_bars(
        self,
        values: Sequence[float],
        labels: Sequence[str],
        unit: str,
        selected: int | None,
        colour: str,
        missing: Sequence[bool] = (),
        missing_text: str = "",
    ) -> None:
        """`missing` bars had no reading at all: they say `missing_text` instead of a bar."""
        self._count = len(values)
        self._selected = selected
        x = np.arange(len(values), dtype=float)
        heights = np.asarray(values, dtype=float)
        if len(values):
            brushes = [
                pg.mkBrush(self.palette_.text if i == selected else colour)
                for i in range(len(values))
            ]
            pens = [
                pg.mkPen(
                    self.palette_.accent if i == selected else self.palette_.background, width=3
                )
                for i in range(len(values))
            ]
            self.bars.setOpts(x=x, height=heights, width=BAR_WIDTH, brushes=brushes, pens=pens)
        else:
            # pyqtgraph 0.14 fails on an empty per-bar pen list, so an empty chart uses one pen.
            self.bars.setOpts(
                x=x,
                height=heights,
                width=BAR_WIDTH,
                brushes=None,
                pens=None,
                brush=colour,
                pen=self.palette_.background,
            )
        self.getAxis("bottom").setTicks([list(zip(x.tolist(), labels, strict=True))])
        for note in self._notes:
            self.removeItem(note)
        self._notes = []
        font = QFont()
        font.setPixelSize(round(15 * self.scale))
        for index, gone in enumerate(missing):
            if gone:  # words where the bar would stand: not a day of zero use
                note = pg.TextItem(missing_text, color=self.palette_.muted, anchor=(0.5, 1.0))
                note.setFont(font)
                note.setPos(index, 0)
                self.addItem(note)
                self._notes.append(note)
        self.setLabel("left", unit)
        top = max(values) if len(values) and max(values) > 0 else 1.0
        self.setXRange(-0.6, max(len(values) - 0.4, 0.4), padding=0)
        self.setYRange(0, top * 1.1, padding=0)

    def bar_centre(self, index: int) -> tuple[float, float]:
        """Where bar `index` is on this widget, for a test's tap (widget coordinates)."""
        view = self.getViewBox()
        heights = self.bars.opts.get("height")
        height = float(heights[index]) if heights is not None and len(heights) > index else 0.0
        scene = view.mapViewToScene(pg.Point(index, height / 2))
        point = self.mapFromScene(scene)
        return float(point.x()), float(point.y())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(event.key()))
        if step is None or not self._count:
            super().keyPressEvent(event)
            return
        start = self._count if self._selected is None and step < 0 else self._selected
        index = (start if start is not None else -1) + step
        self.bar_touched.emit(min(max(index, 0), self._count - 1))

    def _clicked(self, event: object) -> None:
        pos = event.scenePos()  # type: ignore[attr-defined]
        view = self.getViewBox()
        if not view.sceneBoundingRect().contains(pos):
            return
        x = view.mapSceneToView(pos).x()
        index = round(x)
        # The whole column counts, not just the bar: a short bar is hard to hit with a finger.
        if 0 <= index < self._count and abs(x - index) <= 0.5:
            self.bar_touched.emit(index)


class LiveChart(pg.PlotWidget):
    """One persistent curve updated with setData: peak downsampling keeps spikes, clip-to-view
    draws only what is on screen.

    The line's points live in arrays with spare room at the end: a new report is written
    into that room (`append`) and the curve is given views of the arrays, so nothing is
    rebuilt per report; the arrays double when full and drop points long off the left edge.
    """

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": LondonDateAxis(orientation="bottom")})
        self.setObjectName("history-live")
        self.setAccessibleName(self.tr("Live use chart"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to operate: the readout says it all
        _touch_only(self)
        self.setDownsampling(auto=True, mode="peak")
        self.setClipToView(True)
        self.curve = self.plot([], [], pen=pg.mkPen(palette.bar_electricity, width=3))
        self.getAxis("left").setWidth(64)
        self.showGrid(x=False, y=True, alpha=0.3)
        self._x = np.empty(MIN_ROOM)
        self._y = np.empty(MIN_ROOM)
        self._count = 0
        self._top = 0.0
        self._bottom = 0.0
        self._view = (0.0, 0.0)
        self._y_view = (0.0, 0.0)
        self._forget_runs()

    def _forget_runs(self) -> None:
        self._run = 0  # points in a run; 0 while every point is drawn
        self._runs_done = 0  # the points already folded into runs
        self._peaks_x = np.empty(0)
        self._peaks_y = np.empty(0)

    def set_palette(self, palette: Palette, scale: float) -> None:
        _style(self, palette, scale)

    def show_series(
        self, x: np.ndarray, y: np.ndarray, start: float, end: float, unit: str, colour: str
    ) -> None:
        """A whole new line: another view, fuel or unit."""
        self.curve.setPen(pg.mkPen(QColor(colour), width=3))
        self.setLabel("left", unit)
        room = max(MIN_ROOM, 2 * len(x))
        self._x, self._y = np.empty(room), np.empty(room)
        self._count = len(x)
        self._x[: len(x)] = x
        self._y[: len(y)] = y
        self._top = float(np.max(y)) if len(y) else 0.0
        self._bottom = min(0.0, float(np.min(y))) if len(y) else 0.0
        self._forget_runs()
        self._redraw(start, end, moved=True)

    def append(self, x: np.ndarray, y: np.ndarray, start: float, end: float) -> None:
        """New readings after the last ones shown; `start` and `end` are the span on view."""
        added = len(x)
        if added:
            self._make_room(added, start)
            self._x[self._count : self._count + added] = x
            self._y[self._count : self._count + added] = y
            self._count += added
            self._top = max(self._top, float(np.max(y)))
            self._bottom = min(self._bottom, float(np.min(y)))
        self._redraw(start, end)

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """The line's points (views, not copies)."""
        return self._x[: self._count], self._y[: self._count]

    def _make_room(self, added: int, start: float) -> None:
        if self._count + added <= len(self._x):
            return
        # Points long off the left edge go first; the arrays double only if still short.
        keep = int(np.searchsorted(self._x[: self._count], start - KEEP_BEFORE_S))
        count = self._count - keep
        room = len(self._x) if count + added <= len(self._x) else 2 * (count + added)
        x, y = np.empty(room), np.empty(room)
        x[:count] = self._x[keep : self._count]
        y[:count] = self._y[keep : self._count]
        self._x, self._y, self._count = x, y, count
        if keep:
            self._forget_runs()  # the runs were counted from the old first point

    def _redraw(self, start: float, end: float, *, moved: bool = False) -> None:
        # Each change of range makes pyqtgraph clip and downsample the whole line again, so
        # the view moves on in steps of 1/60 of its span rather than with every report.
        span = end - start
        left, right = self._view
        if moved or end > right or start < left - span / 30 or right - left > span * 1.1:
            self._view = (start, end + span / HEADROOM)
            self.setXRange(*self._view, padding=0)
        top = max(self._top if self._count else 1.0, 0.1) * 1.1
        if (self._bottom, top) != self._y_view:
            self._y_view = (self._bottom, top)
            self.setYRange(self._bottom, top, padding=0)
        # The readings are finite numbers already; skip pyqtgraph's check of every point.
        x, y = self._drawn()
        self.curve.setData(x, y, skipFiniteCheck=True)

    def _drawn(self) -> tuple[np.ndarray, np.ndarray]:
        """What the curve is given: every point, or for a long line (a year) each run of
        points as its lowest and highest, kept up to date run by run as reports arrive, so
        that pyqtgraph never has to sweep millions of points per report. Peaks survive, as
        with pyqtgraph's own peak downsampling."""
        count = self._count
        if count <= DECIMATE_ABOVE:
            return self._x[:count], self._y[:count]
        run = 1 << max(0, int(np.ceil(np.log2(count / RUNS))))
        if run != self._run:
            self._run, self._runs_done = run, 0
            self._peaks_x, self._peaks_y = np.empty(0), np.empty(0)
        whole = (count - self._runs_done) // run
        if whole:
            start, stop = self._runs_done, self._runs_done + whole * run
            xs = self._x[start:stop].reshape(whole, run)
            ys = self._y[start:stop].reshape(whole, run)
            px = np.repeat(xs[:, 0], 2)
            py = np.column_stack((ys.min(axis=1), ys.max(axis=1))).ravel()
            self._peaks_x = np.concatenate((self._peaks_x, px))
            self._peaks_y = np.concatenate((self._peaks_y, py))
            self._runs_done = stop
        tail = slice(self._runs_done, count)
        return (
            np.concatenate((self._peaks_x, self._x[tail])),
            np.concatenate((self._peaks_y, self._y[tail])),
        )
