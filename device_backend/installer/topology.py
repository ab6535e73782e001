"""The network map: who hears whom and how well, from neighbour and routing tables."""

from __future__ import annotations

from typing import Any

import zigpy.zdo.types as zdo_t

from device_backend.installer.access import RadioAccess
from device_backend.installer.diagnostics import LinkHistory
from device_backend.installer.inventory import role_of
from device_backend.installer.types import InstallerError, Link, NetworkMap, Progress, no_progress

MAX_PAGES = 10


class Topology:
    def __init__(self, access: RadioAccess, history: LinkHistory) -> None:
        self.access = access
        self.history = history

    def sample(self) -> None:
        """Note every device's link quality as zigpy last heard it."""
        app = self.access.backend.app
        if app is None:
            return
        now = self.access.clock.now()
        for device in list(app.devices.values()):
            if device.nwk != 0 and (device.lqi is not None or device.rssi is not None):
                self.history.add(str(device.ieee), now, device.lqi, device.rssi)

    async def scan(self, progress: Progress = no_progress) -> NetworkMap:
        app = self.access.app()
        coordinator = str(app.state.node_info.ieee)
        devices = [d for d in app.devices.values() if d.nwk != 0]
        nodes = [(coordinator, "Coordinator (this dongle)")]
        nodes += [(str(d.ieee), f"{role_of(d)} {d.model or ''}".strip()) for d in devices]
        known = {str(d.nwk): str(d.ieee) for d in devices}
        links: list[Link] = []
        routes: list[tuple[str, str, str]] = []
        problems: list[str] = []
        self.sample()
        for device in devices:
            if device.lqi is not None:
                links.append(Link(coordinator, str(device.ieee), int(device.lqi), "last frame"))
        routers = [d for d in devices if d.node_desc is not None and d.node_desc.is_mains_powered]
        for n, device in enumerate(routers, start=1):
            label = f"{role_of(device)} {device.ieee}"
            progress(n / (len(routers) + 1), f"Reading the neighbour table of {label}...")
            try:
                for neighbour in await self._neighbours(device):
                    links.append(
                        Link(
                            str(device.ieee),
                            str(neighbour.ieee),
                            int(neighbour.lqi),
                            "neighbour table",
                        )
                    )
                for route in await self._routes(device):
                    destination = known.get(str(route.DstNWK), f"0x{int(route.DstNWK):04X}")
                    if int(route.DstNWK) == 0:
                        destination = coordinator
                    hop = known.get(
                        str(route.NextHop),
                        coordinator if int(route.NextHop) == 0 else f"0x{int(route.NextHop):04X}",
                    )
                    routes.append((str(device.ieee), destination, hop))
            except InstallerError as exc:
                problems.append(f"{label}: {exc}")
        progress(1.0, "Network map up to date.")
        return NetworkMap(
            nodes=tuple(nodes), links=tuple(links), routes=tuple(routes), problems=tuple(problems)
        )

    async def _neighbours(self, device: Any) -> list[Any]:
        found: list[Any] = []
        for _ in range(MAX_PAGES):
            status, table = await self.access.guarded(
                "reading a neighbour table", device.zdo.Mgmt_Lqi_req(len(found))
            )
            if status != zdo_t.Status.SUCCESS:
                raise InstallerError(f"its neighbour table request was refused ({status.name})")
            found.extend(table.NeighborTableList)
            if not table.NeighborTableList or len(found) >= table.Entries:
                break
        return found

    async def _routes(self, device: Any) -> list[Any]:
        found: list[Any] = []
        for _ in range(MAX_PAGES):
            status, table = await self.access.guarded(
                "reading a routing table", device.zdo.Mgmt_Rtg_req(len(found))
            )
            if status != zdo_t.Status.SUCCESS:
                return found  # many end devices have no routing table: not a fault
            found.extend(table.RoutingTableList)
            if not table.RoutingTableList or len(found) >= table.Entries:
                break
        return found
