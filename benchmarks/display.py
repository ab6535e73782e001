"""The display's figures, each measured in a child process: first paint, report to pixel, chart, memory."""

# The parent functions (first_paint, report_to_pixel, chart_year, memory) start children of this
# very module (`python -m benchmarks.display pixel|chart|rss ...`), or of paint_probe for the
# first paint, so every figure comes from a fresh process with nothing else loaded.
#
# A child builds the display the way `ihd` does on a real meter (ihd_app.main): the window and
# its DisplayState, the facade on the simulated home, the history store subscribed to the
# facade's events before the display is attached, then the session started on one qasync loop.
# That opener and the memory probes live in tests/support (wired.py, probes.py), which the soak
# test uses too: both must measure the same program, and tests may not import the benchmarks.

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.common import (
    GROWTH_DEADLINE_ENV,
    ROOT,
    ChildFailed,
    Row,
    child_env,
    median,
    not_measurable,
    percentile,
    report,
    row,
    run_child,
)
from tests.support.probes import ReportCounter, heap_mb, rss_mb, sqlite_mb, trim_heap
from tests.support.wired import SCENARIO, Synchronous, open_display

T = TypeVar("T")


def _display_missing() -> str | None:
    """Why the display cannot be measured yet, or None when its pieces are all there."""
    import importlib.util

    for name in ("ihd_app.main", "ihd_app.window", "ihd_app.state", "ihd_app.widgets.charts"):
        if importlib.util.find_spec(name) is None:
            return f"{name} does not exist yet"
    return None


# -- ihd_first_paint ----------------------------------------------------------------------------


def _paint_time(mode: list[str]) -> float:
    """Seconds from just before the process starts until it reports its first paint."""
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.paint_probe", *mode],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("PAINTED "):
            return float(line.split()[1]) - began
    raise ChildFailed(f"paint probe {mode[0]} exited {done.returncode}: {done.stderr[-600:]}")


def first_paint(quick: bool) -> list[Row]:
    unit = "s from process start to the home screen painted"
    missing = _display_missing()
    if missing:
        return [not_measurable("ihd_first_paint", unit, 1.3, missing, on_ratio=True)]
    runs = 3 if quick else 15
    with tempfile.TemporaryDirectory(prefix="bench-paint-") as folder:
        ihd = ["ihd", str(Path(folder) / "display.json")]
        bare = ["bare"]
        _paint_time(ihd)  # warm the file cache for both before counting
        _paint_time(bare)
        ours: list[float] = []
        base: list[float] = []
        for n in range(runs):
            pair = [(ihd, ours), (bare, base)]
            for mode, out in pair if n % 2 == 0 else reversed(pair):
                out.append(_paint_time(mode))
    return [
        row(
            "ihd_first_paint",
            median(ours),
            f"{unit} (median of {runs}, offscreen)",
            baseline=median(base),
            target=1.3,
            on_ratio=True,
            samples=ours,
            baseline_samples=base,
            notes="ihd_app.main unchanged, with settings in a temporary folder; baseline: a bare "
            "PySide6 window holding a pyqtgraph PlotWidget of ten points; runs alternate; both "
            "start from bytecode compiled by the first (uncounted) run, as an installed program",
        )
    ]


# -- the display in a child ---------------------------------------------------------------------


def _in_qt_loop(body: Callable[[], Awaitable[T]]) -> T:
    import qasync
    from PySide6.QtWidgets import QApplication

    import ihd_app  # noqa: F401 - pins the Qt binding before PySide6 and qasync load

    app = QApplication.instance() or QApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(body())
    finally:
        asyncio.set_event_loop(None)


# -- report_to_pixel_p99 ------------------------------------------------------------------------

# The figure a report changes every time is the power in kW, 20 W apart (_pixel_watts). Which of
# the Now card's two labels holds it follows the "pounds first" setting (on by default since
# issue 19): then the pence an hour is the big figure and moves only every few reports, so
# watching it left two reports in three unpainted and counted at NO_PAINT_S.
POWER_LABELS = ("now-electricity-second", "now-electricity-main")  # pounds first, kWh first
REPORTS_PER_S = 10
NO_PAINT_S = 1.0  # a report whose figure is not painted within this counts as this late


def paint_watch(label: Any, loop: asyncio.AbstractEventLoop) -> Any:
    """An event filter that notes the first paint of `label` showing something other than what
    it showed when armed: `arm()` returns a future holding that paint's perf_counter time."""
    from PySide6.QtCore import QEvent, QObject

    class PaintWatch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.before: str | None = None
            self.painted: asyncio.Future[float] = loop.create_future()

        def arm(self) -> asyncio.Future[float]:
            self.before = label.text()
            self.painted = loop.create_future()
            return self.painted

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and self.before is not None
                and label.text() != self.before
                and not self.painted.done()
            ):
                self.painted.set_result(time.perf_counter())
                self.before = None
            return False

    return PaintWatch()


def power_label(window: Any) -> Any:
    """The Now screen's label that shows the electricity power in kW, as the settings place it."""
    from PySide6.QtWidgets import QLabel

    pounds_first = window.state.settings.settings.pounds_first
    name = POWER_LABELS[0] if pounds_first else POWER_LABELS[1]
    label = window.findChild(QLabel, name)
    if label is None:
        raise RuntimeError(f"the home screen has no label called {name}")
    return label


def _pixel_watts(n: int) -> int:
    """20 W apart, so every report changes the figure shown to two decimal places of a kW."""
    return 500 + 20 * (n % 400)


async def _pixel_latencies(count: int, synchronous: Synchronous) -> list[float]:
    from benchmarks.stack import report_frames

    with tempfile.TemporaryDirectory(prefix="bench-pixel-") as folder:
        shown = await open_display(Path(folder), synchronous)
        try:
            await shown.backend.run_until(shown.backend.clock.now() + timedelta(minutes=5))
            label = power_label(shown.window)
            loop = asyncio.get_running_loop()

            watch = paint_watch(label, loop)
            label.installEventFilter(watch)
            warm = 10
            frames = report_frames(count + warm, watts=_pixel_watts)
            receive = shown.backend.app.packet_received
            latencies: list[float] = []
            began = time.perf_counter()
            for n, packet in enumerate(frames):
                await asyncio.sleep(max(0.0, began + n / REPORTS_PER_S - time.perf_counter()))
                painted = watch.arm()
                sent = time.perf_counter()
                receive(packet)
                try:
                    latency = await asyncio.wait_for(painted, NO_PAINT_S) - sent
                except TimeoutError:
                    latency = NO_PAINT_S
                if n >= warm:
                    latencies.append(latency * 1000)
            label.removeEventFilter(watch)
            return latencies
        finally:
            await shown.close()


def report_to_pixel(quick: bool) -> list[Row]:
    unit = "ms p99, report at packet_received to the figure painted"
    missing = _display_missing()
    if missing:
        return [not_measurable("report_to_pixel_p99", unit, 50.0, missing)]
    runs, count = (1, 60) if quick else (3, 300)
    p99s, p50s, worst = [], [], 0.0
    for _ in range(runs):
        latencies = run_child("benchmarks.display", "pixel", str(count), "FULL")
        p99s.append(percentile(latencies, 99))
        p50s.append(percentile(latencies, 50))
        worst = max(worst, max(latencies))
    return [
        row(
            "report_to_pixel_p99",
            median(p99s),
            f"{unit} ({REPORTS_PER_S} reports/s; median over {runs} runs of {count})",
            target=50.0,
            samples=p99s,
            notes=f"median p50 {median(p50s):.1f} ms, worst {worst:.1f} ms; the label "
            "power in kW on the Now screen, store synchronous=FULL as for a real meter",
        )
    ]


# -- history_chart_year -------------------------------------------------------------------------

YEAR_POINTS = 365 * 8640  # a year of 10-second readings: 3,153,600


def _year_of_demand() -> tuple[Any, Any]:
    import numpy as np

    start = 1_735_689_600.0  # 2025-01-01 UTC
    x = np.arange(YEAR_POINTS, dtype=float) * 10.0 + start
    hour = (x % 86_400) / 3600
    rng = np.random.default_rng(9)
    y = (
        0.2
        + 0.9 * np.exp(-(((hour - 18.5) / 2.2) ** 2))
        + 0.35 * np.exp(-(((hour - 7.5) / 1.2) ** 2))
        + rng.exponential(0.15, YEAR_POINTS)
    )
    return x, y


def _repaint_ms(widget: Any, repeats: int, change: Callable[[], None] | None = None) -> float:
    """Median time of a synchronous repaint (after `change`, when given)."""
    times = []
    for n in range(repeats + 1):
        began = time.perf_counter()
        if change is not None:
            change()
        widget.viewport().repaint()
        if n:  # the first one may still be settling the layout
            times.append((time.perf_counter() - began) * 1000)
    return median(times)


def _chart_figures(repeats: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    import ihd_app  # noqa: F401

    app = QApplication.instance() or QApplication([sys.argv[0]])
    import numpy as np
    import pyqtgraph as pg

    from ihd_app.theme import palette
    from ihd_app.widgets.charts import LiveChart

    x, y = _year_of_demand()
    start, end = float(x[0]), float(x[-1]) + 10.0
    colour = palette(False).bar_electricity
    ours = LiveChart(palette(False))
    ours.resize(780, 330)
    ours.show()
    ours.show_series(x, y, start, end, "kW", colour)
    plain = pg.PlotWidget()
    plain.resize(780, 330)
    plain.show()
    curve = plain.plot(x, y)
    plain.setXRange(start, end, padding=0)
    app.processEvents()
    figures = {}
    for key, widget in (("ours", ours), ("plain", plain)):
        figures[f"{key}_repaint"] = _repaint_ms(widget, repeats)
    # New data: one 10-second report on the end of the year, as the live chart takes it.
    latest = [float(x[-1])]

    def one_more_report() -> None:
        latest[0] += 10.0
        ours.append(np.array([latest[0]]), np.array([0.5]), start, latest[0] + 10.0)

    figures["ours_update"] = _repaint_ms(ours, repeats, one_more_report)
    figures["plain_update"] = _repaint_ms(plain, max(3, repeats // 3), lambda: curve.setData(x, y))
    # The live "Last day" chart as the History screen draws it: a day of 10 s reports on
    # view, one more report added per measurement (the per-report cost of the live chart).
    day = LiveChart(palette(False))
    day.resize(780, 330)
    day.show()
    day_x, day_y = x[-8640:], y[-8640:]
    day.show_series(day_x, day_y, float(day_x[0]), float(day_x[-1]) + 10.0, "kW", colour)
    app.processEvents()
    moment = [float(day_x[-1])]

    def report() -> None:
        moment[0] += 10.0
        day.append(np.array([moment[0]]), np.array([0.7]), moment[0] - 86_400.0, moment[0])

    figures["live_report"] = _repaint_ms(day, repeats * 4, report)
    return figures


def chart_year(quick: bool) -> list[Row]:
    unit = "ms per repaint, a year of 10 s demand (3,153,600 points)"
    missing = _display_missing()
    if missing:
        return [not_measurable("history_chart_year", unit, 30.0, missing)]
    repeats = 3 if quick else 15
    f = run_child("benchmarks.display", "chart", str(repeats))
    where = "ihd_app.widgets.charts.LiveChart (peak downsampling, clip to view), 780x330"
    return [
        row(
            "history_chart_year",
            f["ours_repaint"],
            f"{unit} (median of {repeats})",
            baseline=f["plain_repaint"],
            target=30.0,
            notes=f"{where}; baseline: pg.PlotWidget().plot(x, y) with pyqtgraph's defaults. "
            "The History screen has no year view yet: this is the chart it would use",
        ),
        row(
            "history_chart_year_update",
            f["ours_update"],
            f"ms per new data + repaint, same year (median of {repeats})",
            baseline=f["plain_update"],
            target=30.0,
            notes="LiveChart.append of one 10 s report to the year then a repaint (the arrays "
            "have room at the end: nothing is rebuilt); baseline: setData of the whole year "
            "on the default curve then a repaint",
        ),
        row(
            "live_chart_report",
            f["live_report"],
            f"ms per report, the 'Last day' live chart (median of {repeats * 4})",
            target=30.0,
            notes="one 10 s report appended to a day of them (8,640 points) on a 780x330 "
            "LiveChart, then a repaint; the same budget as a repaint of the year",
        ),
    ]


# -- ihd_rss_week and ihd_rss_growth ------------------------------------------------------------


async def _memory(
    week: timedelta, growth_reports: int, deadline: float, least_s: float, most_s: float
) -> dict[str, Any]:
    """The week, then growth for `growth_reports` or until `deadline` (time.time()), whichever
    comes first, but for at least `least_s` and at most `most_s` seconds.

    Resident memory, and what SQLite holds (sqlite3_memory_used), are sampled after every
    simulated hour from the end of the first simulated day (the soak's warm-up) to the end:
    the figure's slope uses the samples after the week; the samples from the first day on tell
    how much of any growth is SQLite's page cache filling towards its bound.
    """
    from device_backend import model
    from ihd_app.screens import SCREENS

    with tempfile.TemporaryDirectory(prefix="bench-rss-") as folder:
        shown = await open_display(Path(folder), "NORMAL")
        try:
            backend, clock = shown.backend, shown.backend.clock
            drops = [0]

            def dropped(event: Any) -> None:
                if (
                    isinstance(event, model.Connection)
                    and event.state is not model.ConnectionState.ONLINE
                ):
                    drops[0] += 1

            backend.on_event(dropped)
            await backend.run_until(clock.now() + timedelta(minutes=10))
            for screen in (*SCREENS, "now"):  # every screen built once, as a person would
                shown.window.show_screen(screen)
                await asyncio.sleep(0.05)  # Qt paints while the loop waits
            counter = ReportCounter()
            counter.follow(backend.app)
            step = timedelta(hours=1)
            week_began = time.perf_counter()
            first_day = clock.now() + min(week, timedelta(days=1))
            end = clock.now() + week
            # (reports, resident MB, SQLite's MB) after each simulated hour from the first day
            since_day_one: list[tuple[float, float, float | None]] = []
            while clock.now() < end:
                await backend.run_until(min(end, clock.now() + step))
                counter.follow(backend.app)
                if clock.now() >= first_day:
                    since_day_one.append((float(counter.count), rss_mb(), sqlite_mb()))
            week_wall = time.perf_counter() - week_began
            gc.collect()
            after_week, heap_week, sqlite_week = rss_mb(), heap_mb(), sqlite_mb()
            warm_reports = counter.count
            # Growth: as many reports as fit before the deadline (or `growth_reports`), with the
            # resident size sampled after every simulated hour for the slope.
            samples = [(0.0, after_week)]
            blocks = [(0.0, float(sys.getallocatedblocks()))]  # Python objects, reuse or not
            began = time.perf_counter()
            stop = min(max(deadline, time.time() + least_s), time.time() + most_s)
            while counter.count - warm_reports < growth_reports and time.time() < stop:
                await backend.run_until(clock.now() + step)
                counter.follow(backend.app)
                samples.append((float(counter.count - warm_reports), rss_mb()))
                blocks.append((samples[-1][0], float(sys.getallocatedblocks())))
                since_day_one.append((float(counter.count), samples[-1][1], sqlite_mb()))
            gc.collect()
            end_mb, heap_end, sqlite_end = rss_mb(), heap_mb(), sqlite_mb()
            trim_heap()
            trimmed = rss_mb()
            # Diagnosis only, after the figure is taken: how much of it is SQLite's page cache.
            shown.store.db.conn.execute("PRAGMA shrink_memory")
            trim_heap()
            no_page_cache = rss_mb()
            slope, error = slope_per(samples, GROWTH_PER)
            block_slope, block_error = slope_per(blocks, GROWTH_PER)
            outside = [(n, mb - sq) for n, mb, sq in since_day_one if sq]  # None or 0: unknown
            beyond = slope_per(outside, GROWTH_PER) if len(outside) >= 3 else (None, None)
            return {
                "week_mb": after_week,
                "end_mb": end_mb,
                "peak_mb": max(mb for _, mb in samples),
                "slope_mb": slope,
                "slope_error_mb": error,
                "samples": len(samples),
                "heap_growth_mb": heap_end - heap_week,
                "block_slope": block_slope,
                "block_error": block_error,
                "sqlite_week_mb": sqlite_week,
                "sqlite_end_mb": sqlite_end,
                "beyond_sqlite_slope_mb": beyond[0],
                "beyond_sqlite_error_mb": beyond[1],
                "beyond_sqlite_reports": (outside[-1][0] - outside[0][0]) if outside else 0,
                "trimmed_end_mb": trimmed,
                "no_page_cache_mb": no_page_cache,
                "week_reports": warm_reports,
                "week_wall_s": week_wall,
                "growth_reports": counter.count - warm_reports,
                "growth_wall_s": time.perf_counter() - began,
                "connection_drops": drops[0],
                "simulated_days": (clock.now() - (end - week)).total_seconds() / 86400,
            }
        finally:
            await shown.close()


GROWTH_PER = 100_000  # the growth figure is MB per this many Metering reports


def slope_per(points: list[tuple[float, float]], per: float) -> tuple[float, float]:
    """Least-squares slope of (reports, MB) times `per`, and its standard error likewise.

    The standard error is the usual one of an ordinary least-squares slope:
    sqrt(sum of squared residuals / (n - 2) / sum of squared deviations of x).
    """
    if len(points) < 3:
        raise ValueError("a slope and its error need at least three samples")
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if not sxx:
        raise ValueError("the samples are all at the same report count")
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    residuals = sum((y - mean_y - slope * (x - mean_x)) ** 2 for x, y in points)
    error = (residuals / (len(points) - 2) / sxx) ** 0.5
    return slope * per, error * per


def _bare_rss() -> float:
    """Resident MB of a bare PySide6 + pyqtgraph window after importing the same packages as ihd."""
    import numpy as np
    import qasync  # noqa: F401 - resident in ihd too
    import sqlite_utils  # noqa: F401
    import zigpy.application
    import zigpy.zcl  # noqa: F401
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    import ihd_app  # noqa: F401 - pins the Qt binding as ihd does (and nothing else of ours)

    app = QApplication.instance() or QApplication([sys.argv[0]])
    import pyqtgraph as pg

    window = QWidget()
    window.resize(800, 480)
    plot = pg.PlotWidget()
    plot.plot(np.arange(10.0), np.arange(10.0) % 3)
    QVBoxLayout(window).addWidget(plot)
    window.show()
    for _ in range(5):
        app.processEvents()
        time.sleep(0.02)
    gc.collect()
    return rss_mb()


RSS_RATIO_TARGET = 1.25
AFTER_GROWTH_S = 20.0  # the memory child's own ending and the bare window measured after it
GROWTH_TARGET_MB = 0.5  # per 100,000 reports: the 5 MB per million of the first round


def memory(quick: bool) -> list[Row]:
    week_unit = "MB resident"
    growth_unit = f"MB resident per {GROWTH_PER:,} reports"
    missing = _display_missing()
    if missing:
        return [
            not_measurable("ihd_rss_week", week_unit, RSS_RATIO_TARGET, missing, on_ratio=True),
            not_measurable("ihd_rss_growth", growth_unit, GROWTH_TARGET_MB, missing),
        ]
    # The growth phase runs for as many reports as fit before the full run's deadline
    # (benchmarks.__main__ sets it: the run's time goal less what the groups before took),
    # within 60-600 s and up to a million reports; quick: 30 s. The deadline leaves room for
    # the bare window measured after.
    if quick:
        week, reports, least, most, deadline = timedelta(hours=3), 100_000, 30.0, 30.0, 0.0
    else:
        week, reports, least, most = timedelta(days=7), 1_000_000, 60.0, 600.0
        given = os.environ.get(GROWTH_DEADLINE_ENV)
        deadline = float(given) - AFTER_GROWTH_S if given else time.time() + 900.0
    bare = [float(run_child("benchmarks.display", "rss_bare"))]
    f = run_child(
        "benchmarks.display",
        "rss",
        str(week.total_seconds()),
        str(reports),
        f"{deadline:.3f}",
        str(least),
        str(most),
        timeout=3600,
    )
    bare.append(float(run_child("benchmarks.display", "rss_bare")))  # before and after: load
    span = "quick: 3 simulated hours, not a week" if quick else "after 7 simulated days"
    return [
        row(
            "ihd_rss_week",
            f["week_mb"],
            f"{week_unit} ({span})",
            baseline=median(bare),
            target=RSS_RATIO_TARGET,
            on_ratio=True,
            baseline_samples=bare,
            notes=f"absolute {f['week_mb']:.1f} MB: the ihd window on {SCENARIO} with its store, "
            "one process, every screen opened once then the Now screen shown; "
            f"{f['week_reports']:.0f} Metering reports so far; baseline: a bare PySide6 window "
            "with a pyqtgraph PlotWidget of ten points in a process that imported the same "
            f"third-party packages (zigpy, numpy, sqlite-utils, qasync), {median(bare):.1f} MB "
            "(median of one run before and one after)",
        ),
        row(
            "ihd_rss_growth",
            f["slope_mb"],
            f"{growth_unit} (least-squares slope over {f['growth_reports']:,.0f} reports)",
            target=GROWTH_TARGET_MB,
            notes=f"slope {f['slope_mb']:.3f} +/- {f['slope_error_mb']:.3f} MB per "
            f"{GROWTH_PER:,} reports (standard error of the fit) from {f['samples']:.0f} samples, "
            f"one per simulated hour, over {f['growth_reports']:,.0f} Metering reports after the "
            f"week (as many as fit in the run's time: {f['growth_wall_s']:.0f} s); from "
            f"{f['week_mb']:.1f} to {f['end_mb']:.1f} MB (peak {f['peak_mb']:.1f}), "
            f"{f['heap_growth_mb']:.1f} MB of the change anonymous (heap); SQLite itself held "
            f"{_mb(f['sqlite_week_mb'])} after the week and {_mb(f['sqlite_end_mb'])} at the end "
            "(sqlite3_memory_used: its page caches, bounded at 4 MiB a connection, fill as the "
            "history file grows past them); beyond what SQLite holds, the slope from the end "
            f"of the first simulated day to the end is {_slope(f)}; Python's allocated "
            f"blocks (sys.getallocatedblocks, blind to memory reused) changed by "
            f"{f['block_slope']:,.0f} +/- {f['block_error']:,.0f} per {GROWTH_PER:,} reports "
            "after the week; "
            f"{f['trimmed_end_mb']:.1f} MB once malloc_trim returns freed heap and "
            f"{f['no_page_cache_mb']:.1f} MB once SQLite also drops its page cache (PRAGMA "
            f"shrink_memory); {f['simulated_days']:.1f} simulated days in all (the week took "
            f"{f['week_wall_s']:.0f} s), {f['connection_drops']:.0f} connection drops",
        ),
    ]


def _mb(value: float | None) -> str:
    return "(not known)" if value is None else f"{value:.1f} MB"


def _slope(f: dict[str, Any]) -> str:
    if f["beyond_sqlite_slope_mb"] is None:
        return "not known (SQLite's own count could not be read)"
    return (
        f"{f['beyond_sqlite_slope_mb']:.3f} +/- {f['beyond_sqlite_error_mb']:.3f} MB per "
        f"{GROWTH_PER:,} reports over {f['beyond_sqlite_reports']:,.0f} reports"
    )


# -- child entry points -------------------------------------------------------------------------


def _child(argv: list[str]) -> None:
    kind = argv[0]
    if kind == "pixel":
        count = int(argv[1])
        synchronous: Synchronous = "NORMAL" if argv[2] == "NORMAL" else "FULL"
        report(_in_qt_loop(lambda: _pixel_latencies(count, synchronous)))
    elif kind == "chart":
        report(_chart_figures(int(argv[1])))
    elif kind == "rss":
        week, reports = timedelta(seconds=float(argv[1])), int(argv[2])
        deadline, least, most = float(argv[3]), float(argv[4]), float(argv[5])
        report(_in_qt_loop(lambda: _memory(week, reports, deadline, least, most)))
    elif kind == "rss_bare":
        report(_bare_rss())
    else:
        raise SystemExit(f"unknown display child {kind!r}: use pixel, chart, rss or rss_bare")


if __name__ == "__main__":
    _child(sys.argv[1:])
