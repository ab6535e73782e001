"""A large network map as a scan returns it: shared by the installer's tests and its benchmark."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from device_backend.installer.types import NetworkMap

MAP_NODES = 50


def fifty_node_map(nodes: int = MAP_NODES) -> NetworkMap:
    """A NetworkMap as a scan of `nodes` nodes returns it, from neighbour tables."""
    from device_backend.installer.types import Link, NetworkMap

    coordinator = "00:0d:6f:00:00:00:00:00"
    devices = [f"00:0d:6f:00:00:00:{n // 256:02x}:{n % 256:02x}" for n in range(1, nodes)]
    labels = [(coordinator, "Coordinator (this dongle)")]
    labels += [(ieee, f"Router {n}") for n, ieee in enumerate(devices, 1)]
    links = [Link(coordinator, ieee, 120 + n % 130, "last frame") for n, ieee in enumerate(devices)]
    for n, ieee in enumerate(devices):
        for step in (1, 2):
            if n + step < len(devices):
                lqi = 60 + (n * 37 + step * 11) % 195  # every colour band: poor, fair and good
                links.append(Link(ieee, devices[n + step], lqi, "neighbour table"))
    return NetworkMap(nodes=tuple(labels), links=tuple(links), routes=())
