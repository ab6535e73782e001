"""The simulator as a zigpy radio: a ControllerApplication whose air is a virtual GB home.

zigpy sends through `send_packet`; we hand the frame to the addressed virtual device, and
its answers come back through `packet_received` on a later loop iteration, exactly as a
serial radio's callbacks do. Nothing here shortcuts zigpy's parsing.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from typing import Any

import zigpy.application
import zigpy.config as zconf
import zigpy.device
import zigpy.endpoint
import zigpy.exceptions
import zigpy.state
import zigpy.types as t
import zigpy.zdo.types as zdo_t

from device_backend.clock import Clock, SimulatedClock
from device_backend.link_keys import link_key_matches
from device_backend.simulator import zcl_io
from device_backend.simulator.devices import COORDINATOR_NWK, VirtualDevice, routes_to_coordinator
from device_backend.simulator.links import LinkState
from device_backend.zcl import ids
from device_backend.zcl.profile import SmartEnergyProfileMixin
from device_backend.zcl.validate import validate_frame

LOGGER = logging.getLogger(__name__)

COORDINATOR_IEEE = t.EUI64.convert("00:0d:6f:00:0a:90:01:01")
JOIN_DELAY_S = 0.2  # wall seconds between opening joining and the device's announcement
# The coordinator is our IHD/CAD side of the HAN: a client of the meters' clusters.
COORDINATOR_OUT_CLUSTERS = [*ids.SMART_ENERGY_CLUSTERS, ids.OTA]
COORDINATOR_IN_CLUSTERS = [ids.BASIC, ids.IDENTIFY, ids.TIME, ids.OTA]


FrameTap = Callable[[str, int, int, int, int, int, bytes], None]
"""(direction 'rx'|'tx', src_nwk, dst_nwk, profile, cluster, src_ep, aps payload) for capture."""


class SimulatedRadio(SmartEnergyProfileMixin, zigpy.application.ControllerApplication):
    """A zigpy radio with no serial port; the simulated home attaches its devices to it."""

    frame_validator = staticmethod(validate_frame)

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.clock: Clock = Clock()
        self.virtual_devices: dict[int, VirtualDevice] = {}
        self.links: dict[int, LinkState] = {}
        self.dongle_present = True
        self.hung = False  # firmware wedged: the serial link still takes frames, nothing answers
        self.nvram: tuple[zigpy.state.NodeInfo, zigpy.state.NetworkInfo] | None = None
        self.permitted: dict[t.EUI64, t.KeyData] = {}
        self.taps: list[FrameTap] = []
        self.rng = random.Random(0)
        self.energy_by_channel: dict[int, int] = {}
        # The stick's memory outlives this object (a home keeps it across reconnects).
        self.on_nvram_written: Callable[[Any], None] | None = None
        self.rejected_joins: list[t.EUI64] = []  # devices whose install code did not match

    # -- the virtual air ---------------------------------------------------------------------

    def attach(self, device: VirtualDevice, link: LinkState | None = None) -> None:
        device.radio = self
        self.virtual_devices[device.nwk] = device
        self.links[device.nwk] = link or LinkState()

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
        """A virtual device puts a frame on the air; the coordinator may or may not hear it."""
        link = self.links.get(device.nwk, LinkState())
        if (
            not self.dongle_present
            or self.hung
            or not link.up
            or (link.loss and self.rng.random() < link.loss)
        ):
            return
        for tap in self.taps:
            tap("rx", device.nwk, dst_nwk, profile, cluster_id, src_ep, data)
        self._use_simulated_time(device)
        packet = t.ZigbeePacket(
            src=_nwk_address(device.nwk),
            src_ep=src_ep,
            dst=_nwk_address(dst_nwk),
            dst_ep=dst_ep,
            profile_id=profile,
            cluster_id=cluster_id,
            data=t.SerializableBytes(data),
            lqi=link.lqi,
            rssi=link.rssi,
            tsn=data[0] if src_ep == 0 else None,
        )
        self._deliver(self.packet_received, packet, link.latency_s)

    def _use_simulated_time(self, device: VirtualDevice) -> None:
        """zigpy drops a frame identical to one seen in the last 10 s of loop time. At 1000x a
        meter's 8-bit sequence number wraps within that window and real reports would be
        dropped, so the duplicate window of a simulated device runs on the simulated clock."""
        zdevice = self.devices.get(_lookup_key(device))
        if zdevice is None or getattr(zdevice, "_sim_clocked", False):
            return
        debouncer = getattr(zdevice, "_packet_debouncer", None)
        if debouncer is not None:
            debouncer.__dict__["_loop"] = _SimulatedTimeSource(self.clock)
            zdevice._sim_clocked = True

    def _deliver(
        self, callback: Callable[[t.ZigbeePacket], None], packet: t.ZigbeePacket, latency_s: float
    ) -> None:
        loop = asyncio.get_running_loop()
        clock = self.clock
        if isinstance(clock, SimulatedClock) and not clock.discrete and clock.speed:
            loop.call_later(latency_s / float(clock.speed), callback, packet)
        else:
            loop.call_soon(callback, packet)

    def pull_dongle(self) -> None:
        """The USB stick is removed: zigpy hears connection_lost, as from a real serial port."""
        if not self.dongle_present:
            return
        self.dongle_present = False
        self.connection_lost(ConnectionResetError("the ZigBee dongle was unplugged"))

    def replug_dongle(self) -> None:
        self.dongle_present = True
        self.hung = False

    async def _watchdog_feed(self) -> None:
        """What the health probe asks: a wedged stick takes the request and never replies."""
        if self.hung or not self.dongle_present:
            await asyncio.Event().wait()
        self.hung = False  # firmware wedged: the serial link still takes frames, nothing answers

    def neighbour_table(self, device: VirtualDevice) -> list[zdo_t.Neighbor]:
        out = []
        for nwk, other in sorted(self.virtual_devices.items()):
            if other is device or not other.joined:
                continue
            out.append(self._neighbour(other, self.links[nwk].lqi))
        return out

    def _neighbour(self, device: VirtualDevice, lqi: int) -> zdo_t.Neighbor:
        nd = zdo_t.Neighbor
        return nd(
            extended_pan_id=self.state.network_info.extended_pan_id,
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

    def route_table(self, device: VirtualDevice) -> list[zdo_t.Route]:
        return routes_to_coordinator()

    def device_left(self, device: VirtualDevice) -> None:
        device.joined = False

    async def join_virtual_devices(self) -> None:
        """Commissioned meters (re)join and announce themselves; zigpy interviews them."""
        for device in self.virtual_devices.values():
            if device.joined or (
                device.install_code is not None
                and device.ieee not in self.permitted
                and not self._holds_network_key(device)
            ):
                continue
            await self.join(device)

    async def join(self, device: VirtualDevice) -> None:
        device.joined = True
        device.network_key = self._network_key()
        device.announce()

    def _network_key(self) -> Any:
        try:
            return bytes(self.state.network_info.network_key.key)
        except AttributeError:
            return None

    def _holds_network_key(self, device: VirtualDevice) -> bool:
        """A device that joined this network before rejoins it without a new install code."""
        key = getattr(device, "network_key", None)
        return key is not None and key == self._network_key()

    def _join_with_link_key(self, node: t.EUI64, link_key: t.KeyData) -> None:
        """A waiting device joins only if its own install code hashes to the key we were given."""
        for device in self.virtual_devices.values():
            if device.ieee != node or device.joined or device.install_code is None:
                continue
            if not link_key_matches(device.install_code, bytes(link_key)):
                self.rejected_joins.append(node)  # its join request fails authentication
                continue
            asyncio.get_running_loop().call_later(JOIN_DELAY_S, self._complete_join, device)

    def _complete_join(self, device: VirtualDevice) -> None:
        if not self.dongle_present or device.joined or device.ieee not in self.permitted:
            return
        device.joined = True
        device.network_key = self._network_key()
        device.announce()

    # -- ControllerApplication ---------------------------------------------------------------

    async def connect(self) -> None:
        if not self.dongle_present:
            path = self.config[zconf.CONF_DEVICE][zconf.CONF_DEVICE_PATH]
            raise FileNotFoundError(f"No ZigBee dongle at {path}: the simulated stick is unplugged")
        # What a real stick reports about itself on connecting.
        self.state.node_info = zigpy.state.NodeInfo(
            nwk=t.NWK(COORDINATOR_NWK),
            ieee=COORDINATOR_IEEE,
            logical_type=zdo_t.LogicalType.Coordinator,
            model="Simulated HAN coordinator",
            manufacturer="gb-smart-ihd",
            version="1.0",
        )

    async def disconnect(self) -> None:
        return None

    async def start_network(self) -> None:
        if self.nvram is None:
            raise zigpy.exceptions.NetworkNotFormed("the simulated dongle has no network yet")
        coordinator = self.add_device(ieee=self.state.node_info.ieee, nwk=COORDINATOR_NWK)
        coordinator.node_desc = zdo_t.NodeDescriptor(
            logical_type=zdo_t.LogicalType.Coordinator,
            complex_descriptor_available=0,
            user_descriptor_available=0,
            reserved=0,
            aps_flags=0,
            frequency_band=zdo_t.NodeDescriptor.FrequencyBand.Freq2400MHz,
            mac_capability_flags=zdo_t.NodeDescriptor.MACCapabilityFlags.AllocateAddress
            | zdo_t.NodeDescriptor.MACCapabilityFlags.MainsPowered
            | zdo_t.NodeDescriptor.MACCapabilityFlags.RxOnWhenIdle,
            manufacturer_code=0x1234,
            maximum_buffer_size=82,
            maximum_incoming_transfer_size=82,
            server_mask=0,
            maximum_outgoing_transfer_size=82,
            descriptor_capability_field=zdo_t.NodeDescriptor.DescriptorCapability.NONE,
        )
        endpoint = coordinator.add_endpoint(1)
        endpoint.status = zigpy.endpoint.Status.ZDO_INIT
        endpoint.profile_id = ids.SMART_ENERGY_PROFILE
        endpoint.device_type = 0x0507  # SE In-Home Display
        for cluster_id in COORDINATOR_IN_CLUSTERS:
            endpoint.add_input_cluster(cluster_id)
        for cluster_id in COORDINATOR_OUT_CLUSTERS:
            endpoint.add_output_cluster(cluster_id)
        coordinator.model = "Simulated HAN coordinator"
        coordinator.manufacturer = "gb-smart-ihd"

    async def force_remove(self, dev: zigpy.device.Device) -> None:
        device = self.virtual_devices.get(dev.nwk)
        if device is not None:
            device.joined = False

    async def add_endpoint(self, descriptor: zdo_t.SimpleDescriptor) -> None:
        return None

    async def permit_ncp(self, time_s: int = 60) -> None:
        return None

    async def permit_with_link_key(
        self, node: t.EUI64, link_key: t.KeyData, time_s: int = 60
    ) -> None:
        self.permitted[node] = link_key
        self._join_with_link_key(node, link_key)

    async def write_network_info(
        self, *, network_info: zigpy.state.NetworkInfo, node_info: zigpy.state.NodeInfo
    ) -> None:
        if node_info.ieee == t.EUI64.UNKNOWN:  # zigpy's way of saying "use the stick's own"
            node_info = node_info.replace(ieee=COORDINATOR_IEEE)
        # zigpy forms with a plain int; kept so, the backup it saves could not be loaded again.
        node_info = node_info.replace(nwk=t.NWK(node_info.nwk))
        self.nvram = (node_info, network_info)
        if self.on_nvram_written is not None:
            self.on_nvram_written(self.nvram)

    async def load_network_info(self, *, load_devices: bool = False) -> None:
        if self.nvram is None:
            raise zigpy.exceptions.NetworkNotFormed("the simulated dongle has no network yet")
        node_info, network_info = self.nvram
        self.state.node_info = node_info
        self.state.network_info = network_info

    async def reset_network_info(self) -> None:
        self.nvram = None
        if self.on_nvram_written is not None:
            self.on_nvram_written(None)

    async def _move_network_to_channel(self, new_channel: int, new_nwk_update_id: int) -> None:
        """The stick retunes; the joined devices heard the broadcast and follow it."""
        if self.nvram is None:
            raise zigpy.exceptions.NetworkNotFormed("the simulated dongle has no network yet")
        node_info, network_info = self.nvram
        network_info = network_info.replace(
            channel=new_channel,
            nwk_update_id=new_nwk_update_id,
            channel_mask=t.Channels.from_channel_list([new_channel]),
        )
        await self.write_network_info(network_info=network_info, node_info=node_info)

    async def send_packet(self, packet: t.ZigbeePacket) -> None:
        if not self.dongle_present:
            raise zigpy.exceptions.DeliveryError("the ZigBee dongle is unplugged")
        data = packet.data.serialize()
        dst = packet.dst
        if dst.addr_mode == t.AddrMode.Broadcast:
            return None  # permit-join and similar broadcasts: nothing for the meters to answer
        nwk = dst.address if dst.addr_mode == t.AddrMode.NWK else self._nwk_of(dst.address)
        for tap in self.taps:
            tap(
                "tx",
                COORDINATOR_NWK,
                int(nwk),
                packet.profile_id,
                packet.cluster_id,
                packet.src_ep or 0,
                data,
            )
        if nwk == COORDINATOR_NWK:
            self._coordinator_zdo(packet, data)
            return None
        device = self.virtual_devices.get(nwk)
        link = self.links.get(nwk)
        if device is None or link is None or not device.joined or not link.up:
            raise zigpy.exceptions.DeliveryError(
                f"no route to 0x{int(nwk):04X}", status=t.MACStatus.MAC_NO_ACK
            )
        if link.loss and self.rng.random() < link.loss:
            raise zigpy.exceptions.DeliveryError(
                f"no ACK from 0x{int(nwk):04X}", status=t.MACStatus.MAC_NO_ACK
            )
        self._deliver(device.receive, packet, link.latency_s)
        return None

    def _nwk_of(self, ieee: t.EUI64) -> int:
        for device in self.virtual_devices.values():
            if device.ieee == ieee:
                return int(device.nwk)
        return -1

    def _coordinator_zdo(self, packet: t.ZigbeePacket, data: bytes) -> None:
        """Requests zigpy addresses to its own coordinator (energy scan)."""
        if packet.cluster_id != zdo_t.ZDOCmd.Mgmt_NWK_Update_req:
            return
        tsn, args = zcl_io.parse_zdo(packet.cluster_id, data)
        channels = list(args[0].ScanChannels)
        energies = [self.energy_by_channel.get(ch, 20 + (ch * 37) % 60) for ch in channels]
        reply = zcl_io.zdo_frame(
            zdo_t.ZDOCmd.Mgmt_NWK_Update_rsp,
            tsn,
            zdo_t.Status.SUCCESS,
            t.Channels.from_channel_list(channels),
            16,
            0,
            energies,
        )
        response = t.ZigbeePacket(
            src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=COORDINATOR_NWK),
            src_ep=0,
            dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=COORDINATOR_NWK),
            dst_ep=0,
            profile_id=0,
            cluster_id=zdo_t.ZDOCmd.Mgmt_NWK_Update_rsp,
            data=t.SerializableBytes(reply),
        )
        self._deliver(self.packet_received, response, 0.0)


class _HashedEUI64(t.EUI64):
    """The same IEEE address with its hash worked out once: zigpy hashes an EUI64 by formatting
    its text, which cost more than the rest of finding the device for every frame."""

    _hash: int

    def __hash__(self) -> int:
        return self._hash


def _lookup_key(device: VirtualDevice) -> t.EUI64:
    key = getattr(device, "_ieee_key", None)
    if key is None or key != device.ieee:  # made once, and again if the address is changed
        key = _HashedEUI64(device.ieee)
        key._hash = hash(device.ieee)
        device._ieee_key = key  # type: ignore[attr-defined]
    return key


_NWK_ADDRESSES: dict[int, t.AddrModeAddress] = {}


def _nwk_address(nwk: int) -> t.AddrModeAddress:
    """One AddrModeAddress per short address, shared by every frame to or from it (zigpy only
    reads a packet's addresses), instead of two new ones per frame."""
    found = _NWK_ADDRESSES.get(nwk)
    if found is None:
        found = _NWK_ADDRESSES[nwk] = t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=nwk)
    return found


class _SimulatedTimeSource:
    """Looks like an event loop to zigpy's Debouncer: `time()` in simulated seconds."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def time(self) -> float:
        return self._clock.now().timestamp()


def radio_config(path: str, database: str | None = None) -> dict[str, Any]:
    """zigpy configuration for the simulated dongle (`path` is only used in messages)."""
    return {
        zconf.CONF_DATABASE: database,
        zconf.CONF_DEVICE: {zconf.CONF_DEVICE_PATH: path},
        zconf.CONF_OTA: {zconf.CONF_OTA_ENABLED: False},
        zconf.CONF_TOPO_SCAN_ENABLED: False,
        zconf.CONF_NWK_BACKUP_ENABLED: False,
        zconf.CONF_WATCHDOG_ENABLED: False,
    }
