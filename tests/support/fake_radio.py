"""A fake radio at zigpy's seam: recorded meter frames in, and a serial link that can fail.

Unlike the simulator there is no home here. The stick replays Metering frames recorded from a
simulator run into `packet_received`, answers the coordinator's reads from the values those
frames last carried, and its USB serial link can fail in the two ways a real stick does:

- pulled: the port goes away and zigpy hears `connection_lost` at once;
- stalled: the port stays open, nothing is reported, but no write ever completes (so neither
  `send_packet` nor the watchdog returns) and nothing is received until the stall clears.

The facade reaches this radio the way it reaches bellows: through its table of radio
libraries, with a port path in zigpy's device configuration and zigpy's own database.
"""

from __future__ import annotations

import asyncio
import errno
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import zigpy.application
import zigpy.config as zconf
import zigpy.device
import zigpy.endpoint
import zigpy.exceptions
import zigpy.state
import zigpy.types as t
import zigpy.zdo.types as zdo_t
from zigpy.zcl import foundation

from device_backend.simulator import zcl_io
from device_backend.simulator.devices import cluster_class

SE_PROFILE = 0x0109
METERING = 0x0702
BASIC = 0x0000
COORDINATOR_NWK = 0x0000
COORDINATOR_IEEE = t.EUI64.convert("00:0d:6f:00:0f:fa:4e:01")

#: port path -> the stick plugged in there; a test plugs one in and takes it out again
PORTS: dict[str, FakeDongle] = {}


@dataclass(frozen=True, slots=True)
class Recording:
    """What one electricity meter said over a stretch of a simulator run."""

    ieee: t.EUI64
    nwk: int
    endpoint: int
    scaling: dict[str, int]  # metering_device_type, multiplier, divisor, unit_of_measure
    frames: list[bytes]  # ZCL payloads of its Metering cluster, in the order they were heard


async def record_meter(minutes: int = 10) -> Recording:
    """Run the simulated home at full speed and keep the ESME's Metering frames, as sent."""
    from device_backend.facade import Backend

    backend = Backend("sim:credit-dual-fuel", speed=None, seed=7)
    await backend.start()
    try:
        await backend.wait_online(timeout=20)
        await backend.wait_for_meters(timeout=20)
        esme = backend.home.esme
        frames: list[bytes] = []

        def keep(
            direction: str, src: int, dst: int, profile: int, cluster: int, src_ep: int, data: bytes
        ) -> None:
            if (
                direction == "rx"
                and src == esme.nwk
                and profile == SE_PROFILE
                and cluster == METERING
            ):
                frames.append(bytes(data))

        backend.app.taps.append(keep)
        scaling = await backend.read_attributes(
            str(esme.ieee),
            METERING,
            ["metering_device_type", "multiplier", "divisor", "unit_of_measure"],
        )
        frames.clear()  # the read's own answer is not a report
        await backend.run_until(backend.clock.now() + timedelta(minutes=minutes))
        return Recording(
            ieee=esme.ieee,
            nwk=int(esme.nwk),
            endpoint=1,
            scaling={k: int(v) for k, v in scaling.items()},
            frames=frames,
        )
    finally:
        await backend.stop()


@dataclass
class FakeDongle:
    """The stick, its serial link and the one meter it hears; outlives each radio object."""

    port: str
    recording: Recording
    present: bool = True
    stalled: bool = False
    nvram: tuple[zigpy.state.NodeInfo, zigpy.state.NetworkInfo] | None = None
    app: FakeRadio | None = None
    heard: int = 0  # recorded frames the meter has sent so far (heard by us or not)
    delivered: int = 0  # of those, how many reached zigpy
    meter_values: dict[int, Any] = field(default_factory=dict)  # Metering attribute id -> value
    _flowing: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._flowing.set()
        for name, value in self.recording.scaling.items():
            self.meter_values[zcl_io.attribute_def(cluster_class(METERING), name).id] = value

    # -- what a test does to the stick ------------------------------------------------------

    def plug_in(self) -> FakeDongle:
        PORTS[self.port] = self
        return self

    def remove(self) -> None:
        PORTS.pop(self.port, None)

    def stall(self) -> None:
        """The serial link seizes: writes hang, nothing arrives, and nobody is told."""
        self.stalled = True
        self._flowing.clear()

    def unstall(self) -> None:
        self.stalled = False
        self._flowing.set()

    def pull(self) -> None:
        """Out of the USB socket: the port reports the loss, as pyserial's does."""
        self.present = False
        if self.app is not None:
            self.app.connection_lost(ConnectionResetError("the serial port was closed"))

    def replug(self) -> None:
        self.present = True

    def meter_sends(self, count: int = 1) -> int:
        """The meter sends its next `count` recorded frames; returns how many zigpy was given.

        The meter meters whatever the link is doing: frames sent while the stick is out or
        stalled are lost, and the register they carried is still the meter's register."""
        given = 0
        for _ in range(count):
            if self.heard >= len(self.recording.frames):
                raise IndexError("the recording has run out; record more minutes")
            data = self.recording.frames[self.heard]
            self.heard += 1
            self._remember(data)
            if self.app is not None and self.present and not self.stalled:
                self.app.deliver_from_meter(METERING, data)
                self.delivered += 1
                given += 1
        return given

    def _remember(self, data: bytes) -> None:
        parsed = zcl_io.parse_zcl(cluster_class(METERING), data)
        if parsed.header.command_id == foundation.GeneralCommand.Report_Attributes:
            for report in parsed.args.attribute_reports:
                self.meter_values[int(report.attrid)] = report.value.value

    # -- the serial link ---------------------------------------------------------------------

    async def write(self) -> None:
        """One host-to-stick exchange; never completes while the link is stalled."""
        if not self.present:
            raise ConnectionResetError("the serial port is gone")
        await self._flowing.wait()
        if not self.present:
            raise ConnectionResetError("the serial port is gone")


class FakeRadio(zigpy.application.ControllerApplication):
    """A zigpy radio on a `FakeDongle` found by its port path, like a serial radio library."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.dongle: FakeDongle | None = None

    # -- connection -----------------------------------------------------------------------

    async def connect(self) -> None:
        path = self.config[zconf.CONF_DEVICE][zconf.CONF_DEVICE_PATH]
        dongle = PORTS.get(path)
        if dongle is None or not dongle.present:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        await dongle.write()  # the version handshake
        self.dongle = dongle
        dongle.app = self
        self.state.node_info = zigpy.state.NodeInfo(
            nwk=t.NWK(COORDINATOR_NWK),
            ieee=COORDINATOR_IEEE,
            logical_type=zdo_t.LogicalType.Coordinator,
            model="Fake stick",
            manufacturer="tests",
            version="1.0",
        )

    async def disconnect(self) -> None:
        if self.dongle is not None and self.dongle.app is self:
            self.dongle.app = None
        self.dongle = None

    async def _watchdog_feed(self) -> None:
        """A no-op command over the serial link, as bellows and other radio libraries send."""
        await self._link().write()

    def _link(self) -> FakeDongle:
        if self.dongle is None:
            raise zigpy.exceptions.DeliveryError("the radio is not connected")
        return self.dongle

    # -- the network the stick keeps -------------------------------------------------------

    async def write_network_info(
        self, *, network_info: zigpy.state.NetworkInfo, node_info: zigpy.state.NodeInfo
    ) -> None:
        await self._link().write()
        if node_info.ieee == t.EUI64.UNKNOWN:
            node_info = node_info.replace(ieee=COORDINATOR_IEEE)
        # zigpy forms with a plain int; kept as one, it would be saved in a backup zigpy cannot load.
        node_info = node_info.replace(nwk=t.NWK(node_info.nwk))
        self._link().nvram = (node_info, network_info)

    async def load_network_info(self, *, load_devices: bool = False) -> None:
        await self._link().write()
        if self._link().nvram is None:
            raise zigpy.exceptions.NetworkNotFormed("the fake stick has no network")
        self.state.node_info, self.state.network_info = self._link().nvram

    async def reset_network_info(self) -> None:
        self._link().nvram = None

    async def start_network(self) -> None:
        await self._link().write()
        coordinator = self.add_device(ieee=self.state.node_info.ieee, nwk=COORDINATOR_NWK)
        coordinator.node_desc = _node_descriptor(zdo_t.LogicalType.Coordinator)
        endpoint = coordinator.add_endpoint(1)
        endpoint.status = zigpy.endpoint.Status.ZDO_INIT
        endpoint.profile_id = SE_PROFILE
        endpoint.device_type = 0x0507  # In-Home Display
        endpoint.add_input_cluster(BASIC)
        endpoint.add_output_cluster(METERING)

    async def force_remove(self, dev: zigpy.device.Device) -> None:
        return None

    async def add_endpoint(self, descriptor: zdo_t.SimpleDescriptor) -> None:
        return None

    async def permit_ncp(self, time_s: int = 60) -> None:
        await self._link().write()

    async def permit_with_link_key(
        self, node: t.EUI64, link_key: t.KeyData, time_s: int = 60
    ) -> None:
        await self._link().write()

    # -- frames ------------------------------------------------------------------------------

    async def send_packet(self, packet: t.ZigbeePacket) -> None:
        dongle = self._link()
        if not dongle.present:
            raise zigpy.exceptions.DeliveryError("the ZigBee stick is unplugged")
        await dongle.write()
        recording = dongle.recording
        if packet.dst.addr_mode != t.AddrMode.NWK or packet.dst.address != recording.nwk:
            return  # broadcasts, and anything for nodes that are not there
        if packet.dst_ep == recording.endpoint and packet.cluster_id == METERING:
            reply = _meter_answer(dongle, packet.data.serialize())
            if reply is not None:
                # A radio's receive callback runs later, never inside the send.
                asyncio.get_running_loop().call_soon(self.deliver_from_meter, METERING, reply)
        return

    def deliver_from_meter(self, cluster_id: int, data: bytes) -> None:
        dongle = self.dongle
        if dongle is None or not dongle.present or dongle.stalled:
            return
        recording = dongle.recording
        self.packet_received(
            t.ZigbeePacket(
                src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=recording.nwk),
                src_ep=recording.endpoint,
                dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=COORDINATOR_NWK),
                dst_ep=1,
                profile_id=SE_PROFILE,
                cluster_id=cluster_id,
                data=t.SerializableBytes(data),
                lqi=210,
                rssi=-58,
            )
        )


def _meter_answer(dongle: FakeDongle, data: bytes) -> bytes | None:
    """The meter's answer to a Metering request: reads from its last values, else refused."""
    parsed = zcl_io.parse_zcl(cluster_class(METERING), data)
    general = foundation.GeneralCommand
    if (
        parsed.header.frame_control.frame_type == foundation.FrameType.GLOBAL_COMMAND
        and parsed.header.command_id == general.Read_Attributes
    ):
        records = []
        for attrid in parsed.args.attribute_ids:
            attr = cluster_class(METERING).attributes.get(attrid)
            if attr is None or int(attrid) not in dongle.meter_values:
                records.append(
                    foundation.ReadAttributeRecord(
                        attrid=attrid, status=foundation.Status.UNSUPPORTED_ATTRIBUTE
                    )
                )
            else:
                records.append(
                    foundation.ReadAttributeRecord(
                        attrid=attrid,
                        status=foundation.Status.SUCCESS,
                        value=foundation.TypeValue(
                            type=attr.zcl_type, value=attr.type(dongle.meter_values[int(attrid)])
                        ),
                    )
                )
        return zcl_io.general_response(
            general.Read_Attributes_rsp,
            tsn=parsed.header.tsn,
            direction=zcl_io.SERVER_TO_CLIENT,
            status_records=records,
        )
    if parsed.header.frame_control.disable_default_response:
        return None
    status = (
        foundation.Status.UNSUP_GENERAL_COMMAND
        if parsed.header.frame_control.frame_type == foundation.FrameType.GLOBAL_COMMAND
        else foundation.Status.UNSUP_CLUSTER_COMMAND
    )
    return zcl_io.general_response(
        general.Default_Response,
        tsn=parsed.header.tsn,
        direction=zcl_io.SERVER_TO_CLIENT,
        command_id=parsed.header.command_id,
        status=status,
    )


def _node_descriptor(logical_type: zdo_t.LogicalType) -> zdo_t.NodeDescriptor:
    flags = zdo_t.NodeDescriptor.MACCapabilityFlags
    return zdo_t.NodeDescriptor(
        logical_type=logical_type,
        complex_descriptor_available=0,
        user_descriptor_available=0,
        reserved=0,
        aps_flags=0,
        frequency_band=zdo_t.NodeDescriptor.FrequencyBand.Freq2400MHz,
        mac_capability_flags=flags.AllocateAddress | flags.MainsPowered | flags.RxOnWhenIdle,
        manufacturer_code=0x1234,
        maximum_buffer_size=82,
        maximum_incoming_transfer_size=82,
        server_mask=0,
        maximum_outgoing_transfer_size=82,
        descriptor_capability_field=zdo_t.NodeDescriptor.DescriptorCapability.NONE,
    )


def radio_config(port: str, database: str) -> dict[str, Any]:
    """The configuration the facade builds for a serial radio, with a fixed channel so that
    forming the network skips an energy scan this stick cannot answer."""
    return {
        zconf.CONF_DEVICE: {zconf.CONF_DEVICE_PATH: port},
        zconf.CONF_DATABASE: database,
        zconf.CONF_NWK: {zconf.CONF_NWK_CHANNEL: 15},
    }


async def pair_meter_beforehand(dongle: FakeDongle, database: str) -> None:
    """An earlier session: form the network on the stick and keep the meter in zigpy's database,
    as the installer's pairing left it. The stick itself keeps no device list."""
    app = await FakeRadio.new(radio_config(dongle.port, database), start_radio=False)
    try:
        await app.startup(auto_form=True)
        recording = dongle.recording
        meter = app.add_device(ieee=recording.ieee, nwk=t.NWK(recording.nwk))
        meter.node_desc = _node_descriptor(zdo_t.LogicalType.Router)
        meter.manufacturer, meter.model = "tests", "Fake ESME"
        endpoint = meter.add_endpoint(recording.endpoint)
        endpoint.status = zigpy.endpoint.Status.ZDO_INIT
        endpoint.profile_id = SE_PROFILE
        endpoint.device_type = 0x0501  # Metering device
        endpoint.add_input_cluster(BASIC)
        endpoint.add_input_cluster(METERING)
        app.device_initialized(meter)
    finally:
        await app.shutdown()
