"""The installer's figures: its first paint against a bare window, and drawing a 50-node network map."""

# installer_first_paint runs ihd-installer's main unchanged (benchmarks.paint_probe installer),
# with its engineer database in a temporary folder, until its sign-in page has painted, in
# alternating runs with the same bare PySide6 + pyqtgraph window ihd_first_paint is judged by.
#
# installer_network_map_50 draws a network map of 50 nodes (the coordinator and 49 devices) as
# the Network page's NetworkMapView shows one: the map is the NetworkMap a scan returns, built
# here as a scan would build it from the neighbour tables of the mains-powered devices (each
# hearing its two neighbours either side on the arc, and the coordinator hearing everyone's last
# frame), so the figure is the drawing, not the radio round trips of a scan. It is timed from
# show_map to the end of a synchronous repaint of the widget, in a child process.

from __future__ import annotations

import sys
import tempfile
import time

from benchmarks.common import Row, median, not_measurable, report, row, run_child
from benchmarks.display import _paint_time
from tests.support.netmap import MAP_NODES, fifty_node_map

MAP_TARGET_MS = 100.0
PAINT_TARGET = 1.3


def first_paint(quick: bool) -> list[Row]:
    unit = "s from process start to the sign-in page painted"
    import importlib.util

    if importlib.util.find_spec("installer_tool.main") is None:
        return [not_measurable("installer_first_paint", unit, PAINT_TARGET, "no installer_tool")]
    runs = 3 if quick else 15
    with tempfile.TemporaryDirectory(prefix="bench-installer-paint-") as folder:
        ours_mode = ["installer", folder]
        bare = ["bare"]
        _paint_time(ours_mode)  # warm the file cache for both before counting
        _paint_time(bare)
        ours: list[float] = []
        base: list[float] = []
        for n in range(runs):
            pair = [(ours_mode, ours), (bare, base)]
            for mode, out in pair if n % 2 == 0 else reversed(pair):
                out.append(_paint_time(mode))
    return [
        row(
            "installer_first_paint",
            median(ours),
            f"{unit} (median of {runs}, offscreen)",
            baseline=median(base),
            target=PAINT_TARGET,
            on_ratio=True,
            samples=ours,
            baseline_samples=base,
            notes="installer_tool.main unchanged, engineer database in a temporary folder; "
            "baseline: a bare PySide6 window holding a pyqtgraph PlotWidget of ten points; "
            "runs alternate, from bytecode compiled by the first (uncounted) run. The sign-in "
            "page imports no zigpy: device_backend.installer.api "
            "loads the service, pairing, install codes, firmware and backup format on first "
            "use, and the work pages are imported when they are built, after the first paint",
        )
    ]


def _map_times(repeats: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    import installer_tool  # noqa: F401 - pins the Qt binding as the installer does

    app = QApplication.instance() or QApplication([sys.argv[0]])
    from installer_tool.pages.netmap import NetworkMapView

    network_map = fifty_node_map()
    view = NetworkMapView()
    view.resize(780, 480)
    view.show()
    app.processEvents()
    times = []
    for n in range(repeats + 1):
        began = time.perf_counter()
        view.show_map(network_map)
        view.viewport().repaint()
        if n:  # the first draw also builds pyqtgraph's item caches
            times.append((time.perf_counter() - began) * 1000)
    drawn = len(view.getPlotItem().items)
    return {"median_ms": median(times), "worst_ms": max(times), "items": float(drawn)}


def network_map_50(quick: bool) -> list[Row]:
    repeats = 5 if quick else 21
    f = run_child("benchmarks.installer", "netmap", str(repeats))
    return [
        row(
            "installer_network_map_50",
            f["median_ms"],
            f"ms to draw a {MAP_NODES}-node network map (median of {repeats})",
            target=MAP_TARGET_MS,
            notes=f"installer_tool.pages.netmap.NetworkMapView.show_map then a synchronous "
            f"repaint, 780x480; the map as a scan builds it from the neighbour tables of "
            f"{MAP_NODES - 1} routers (two neighbours either side each, and the coordinator's "
            f"last-frame links): {f['items']:.0f} plot items; worst {f['worst_ms']:.1f} ms. "
            "show_map draws one line item per colour and width (connect='pairs'), one "
            "scatter of nodes and one layer painting every label that fits without overlap",
        )
    ]


def run(quick: bool) -> list[Row]:
    return [*first_paint(quick), *network_map_50(quick)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["netmap"]:
        report(_map_times(int(sys.argv[2])))
    else:
        raise SystemExit("usage: python -m benchmarks.installer netmap REPEATS")
