"""The air between the virtual NCP and the simulated home's meters.

The simulated home attaches its meters to "a radio" through a small surface (the one
`simulator.radio.SimulatedRadio` offers: `attach`, `transmit_from`, `links`, `clock`,
`neighbour_table`, `route_table`, `device_left`, `pull_dongle`/`replug_dongle`, `hung`).
This class offers the same surface, but frames a meter puts on the air go to the NCP, which
hands them to the host as EZSP `incomingMessageHandler` callbacks, and frames the host sends
with `sendUnicast` reach the meter's `receive`. The meters, link model, scenario and clock are
the simulator's own; only the coordinator is different.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from typing import Any

import zigpy.types as t
import zigpy.zdo.types as zdo_t

from device_backend.clock import Clock, SimulatedClock
from device_backend.simulator.devices import VirtualDevice, routes_to_coordinator
from device_backend.simulator.radio import LinkState

Heard = Callable[[VirtualDevice, LinkState, int, int, int, int, int, bytes], None]
"""(device, link, src_ep, dst_nwk, dst_ep, cluster, profile, payload) arriving at the NCP."""


class VirtualAir:
    """What the simulated home calls its radio when the coordinator is a virtual NCP."""

    def __init__(self) -> None:
        self.clock: Clock = Clock()
        self.virtual_devices: dict[int, VirtualDevice] = {}
        self.links: dict[int, LinkState] = {}
        self.dongle_present = True
        self.hung = False
        self.nvram: Any = (
            None  # the home's idea of the stick's memory (unused: the NCP keeps its own)
        )
        self.on_nvram_written: Callable[[Any], None] | None = None
        self.rng = random.Random(0)
        self.energy_by_channel: dict[int, int] = {}
        self.heard: Heard | None = None  # set by the NCP
        self.on_pull: Callable[[], None] | None = None
        self.on_replug: Callable[[], None] | None = None
        self.on_hang: Callable[[bool], None] | None = None
        self.extended_pan_id = t.ExtendedPanId([0] * 8)

    # -- what the home and its devices call ------------------------------------------------

    def attach(self, device: VirtualDevice, link: LinkState | None = None) -> None:
        device.radio = self
        self.virtual_devices[int(device.nwk)] = device
        self.links[int(device.nwk)] = link or LinkState()

    def transmit_from(
        self,
        device: VirtualDevice,
        *,
        src_ep: int,
        dst_nwk: int,
        dst_ep: int,
        cluster_id: int,
        profile: int,
        data: bytes,
    ) -> None:
        link = self.links.get(int(device.nwk), LinkState())
        if not link.up or (link.loss and self.rng.random() < link.loss):
            return
        if self.heard is None:
            return
        heard = self.heard
        args = (device, link, src_ep, dst_nwk, dst_ep, cluster_id, profile, bytes(data))
        self._after(link.latency_s, lambda: heard(*args))

    def deliver(self, device: VirtualDevice, packet: t.ZigbeePacket) -> None:
        """A frame the host sent reaches the device after the link's latency."""
        link = self.links.get(int(device.nwk), LinkState())
        self._after(link.latency_s, lambda: device.receive(packet))

    def _after(self, latency_s: float, action: Callable[[], None]) -> None:
        loop = asyncio.get_running_loop()
        clock = self.clock
        if isinstance(clock, SimulatedClock) and not clock.discrete and clock.speed:
            loop.call_later(latency_s / float(clock.speed), action)
        else:
            loop.call_soon(action)

    def neighbour_table(self, device: VirtualDevice) -> list[zdo_t.Neighbor]:
        return [
            neighbour(other, self.links[nwk].lqi, self.extended_pan_id)
            for nwk, other in sorted(self.virtual_devices.items())
            if other is not device and other.joined
        ]

    def route_table(self, device: VirtualDevice) -> list[zdo_t.Route]:
        return routes_to_coordinator()

    def device_left(self, device: VirtualDevice) -> None:
        device.joined = False

    def pull_dongle(self) -> None:
        self.dongle_present = False
        if self.on_pull is not None:
            self.on_pull()

    def replug_dongle(self) -> None:
        self.dongle_present = True
        self.hung = False
        if self.on_replug is not None:
            self.on_replug()

    def device(self, nwk: int) -> VirtualDevice | None:
        return self.virtual_devices.get(int(nwk))

    def device_by_ieee(self, ieee: t.EUI64) -> VirtualDevice | None:
        for device in self.virtual_devices.values():
            if device.ieee == ieee:
                return device
        return None


def neighbour(device: VirtualDevice, lqi: int, extended_pan_id: t.ExtendedPanId) -> zdo_t.Neighbor:
    nd = zdo_t.Neighbor
    return nd(
        extended_pan_id=extended_pan_id,
        ieee=device.ieee,
        nwk=device.nwk,
        device_type=nd.DeviceType.Router if device.mains_powered else nd.DeviceType.EndDevice,
        rx_on_when_idle=nd.RxOnWhenIdle.On if device.mains_powered else nd.RxOnWhenIdle.Off,
        relationship=nd.Relationship.Sibling if device.mains_powered else nd.Relationship.Child,
        reserved1=0,
        permit_joining=nd.PermitJoins.Unknown,
        reserved2=0,
        depth=1,
        lqi=lqi,
    )
