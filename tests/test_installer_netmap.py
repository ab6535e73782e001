"""The network map as an engineer reads it: every name and LQI on a small map, none overlapping."""

from __future__ import annotations

from itertools import combinations

from pytestqt.qtbot import QtBot

from device_backend.installer.types import Link, NetworkMap
from installer_tool.pages.netmap import NetworkMapView

COORDINATOR = "00:0d:6f:00:0a:90:01:01"
ESME = "00:1a:2b:3c:00:00:e1:01"
GSME = "00:1a:2b:3c:00:00:6a:01"


def _drawn(qtbot: QtBot, network_map: NetworkMap) -> tuple[NetworkMapView, list[str]]:
    view = NetworkMapView()
    qtbot.addWidget(view)
    view.resize(780, 480)
    view.show()
    view.show_map(network_map)
    view.grab()  # paints the map as the screen would
    assert view.labels is not None
    return view, [text for text, _ in view.labels.drawn]


def test_a_home_map_shows_every_node_name_and_link_lqi(qtbot: QtBot) -> None:
    home = NetworkMap(
        nodes=((COORDINATOR, "Coordinator (this dongle)"), (ESME, "ESME"), (GSME, "Gas proxy")),
        links=(
            Link(COORDINATOR, ESME, 255, "last frame"),
            Link(COORDINATOR, GSME, 140, "last frame"),
            Link(ESME, GSME, 70, "neighbour table"),
            Link(GSME, ESME, 72, "neighbour table"),  # the same pair heard the other way round
        ),
        routes=(),
    )
    _, texts = _drawn(qtbot, home)
    assert sorted(texts) == sorted(
        [
            f"Coordinator (this dongle)\n{COORDINATOR}",
            f"ESME\n{ESME}",
            f"Gas proxy\n{GSME}",
            "LQI 255",
            "LQI 140",
            "LQI 70",
        ]
    )


def test_a_crowded_map_draws_only_labels_that_do_not_overlap(qtbot: QtBot) -> None:
    from benchmarks.installer import fifty_node_map

    network_map = fifty_node_map()
    view, texts = _drawn(qtbot, network_map)
    assert view.labels is not None
    rects = [rect for _, rect in view.labels.drawn]
    assert not any(a.intersects(b) for a, b in combinations(rects, 2))
    assert texts[0].startswith("Coordinator (this dongle)")
    assert 0 < len(texts) < len(view.labels.labels)  # some left for zooming in to show
    assert len(view.getPlotItem().items) < 10  # batched: not one item per label
