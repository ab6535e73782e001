"""A virtual ZigBee node: ZDO and ZCL server behaviour driven only by the frames it receives.

Subclasses (the meters) add cluster command handlers and change attribute values; this base
answers what any real node answers so zigpy can interview, read, write, bind and configure it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import zigpy.types as t
import zigpy.zdo.types as zdo_t
from zigpy.zcl import Cluster, foundation

from device_backend.clock import Clock
from device_backend.simulator import zcl_io
from device_backend.simulator.ota_client import OtaClient
from device_backend.zcl import cluster_class
from device_backend.zcl.ids import OTA as OTA_CLUSTER

LOGGER = logging.getLogger(__name__)

COORDINATOR_NWK = 0x0000


def routes_to_coordinator() -> list[zdo_t.Route]:
    """A virtual node's routing table: one active route, straight to the coordinator."""
    return [
        zdo_t.Route(
            DstNWK=COORDINATOR_NWK,
            RouteStatus=zdo_t.RouteStatus.Active,
            MemoryConstrained=0,
            ManyToOne=0,
            RouteRecordRequired=0,
            Reserved=0,
            NextHop=COORDINATOR_NWK,
        )
    ]


COORDINATOR_EP = 1

_ATTRIBUTE_IDS: dict[int, dict[str | int, int]] = {}


def _attribute_ids(cluster_id: int) -> dict[str | int, int]:
    """A cluster's attribute ids by name or id, each looked up in its definitions once: a meter
    sets and reports the same few registers every ten seconds."""
    found = _ATTRIBUTE_IDS.get(cluster_id)
    if found is None:
        found = _ATTRIBUTE_IDS[cluster_id] = {}
    return found


def _attribute_id(cluster_id: int, key: str | int, ids: dict[str | int, int]) -> int:
    found = ids[key] = zcl_io.attribute_def(cluster_class(cluster_id), key).id
    return found


CommandHandler = Callable[[zcl_io.ParsedZcl, t.ZigbeePacket], None]


@dataclass
class EndpointSpec:
    endpoint: int
    profile: int
    device_type: int
    in_clusters: list[int]
    out_clusters: list[int] = field(default_factory=list)


class Air(Protocol):
    """What a node needs of the radio it is attached to (SimulatedRadio, simulator/radio.py).

    A protocol, not an import: the radio imports the nodes it carries, never the other way.
    """

    @property
    def clock(self) -> Clock: ...

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
    ) -> None: ...

    def neighbour_table(self, device: VirtualDevice) -> list[zdo_t.Neighbor]: ...

    def route_table(self, device: VirtualDevice) -> list[zdo_t.Route]: ...

    def device_left(self, device: VirtualDevice) -> None: ...


class VirtualDevice:
    """One node of the simulated HAN."""

    logical_type = zdo_t.LogicalType.Router

    def __init__(
        self,
        *,
        ieee: str,
        nwk: int,
        endpoints: list[EndpointSpec],
        manufacturer: str,
        model: str,
        firmware_version: int = 0x00000101,
        mains_powered: bool = True,
        manufacturer_code: int = 0x1234,
        install_code: bytes | None = None,
        label: str = "",
    ) -> None:
        self.ieee = t.EUI64.convert(ieee)
        self.nwk = t.NWK(nwk)
        self.endpoints = {ep.endpoint: ep for ep in endpoints}
        self.manufacturer = manufacturer
        self.model = model
        self.firmware_version = firmware_version
        self.mains_powered = mains_powered
        self.manufacturer_code = manufacturer_code
        self.install_code = install_code
        self.label = label or model
        self.radio: Air | None = None
        self.silent = False  # a meter that has gone quiet: it neither reports nor answers
        self.joined = False
        self.network_key: bytes | None = None  # the HAN's key once joined: it can rejoin later
        self.transactions = 0  # every frame sent or answered; the gas battery model charges it
        self._tsn = 0
        self.attributes: dict[tuple[int, int], dict[int, Any]] = {}
        self.reporting: dict[tuple[int, int, int], tuple[int, int]] = {}
        self.bindings: list[tuple[int, int, int]] = []  # (src_ep, cluster, dst_nwk)
        self.handlers: dict[tuple[int, str], CommandHandler] = {}
        self.handlers[(OTA_CLUSTER, "image_notify")] = self._on_image_notify
        self.ota_client: OtaClient | None = None
        if any(OTA_CLUSTER in ep.out_clusters for ep in endpoints):
            self.ota_client = OtaClient(
                self
            )  # accepts firmware images (QueryNextImage, blocks, end)
        for ep in endpoints:
            for cluster_id in ep.in_clusters:
                self.attributes[(ep.endpoint, cluster_id)] = {}
            self.attributes.setdefault((ep.endpoint, 0x0000), {})
            if OTA_CLUSTER in ep.out_clusters:  # the OTA client's own attributes, read at interview
                self.set_attributes(
                    ep.endpoint,
                    OTA_CLUSTER,
                    {
                        "current_file_version": firmware_version,
                        "manufacturer_id": manufacturer_code,
                        "image_type_id": 0x0001,
                        "image_upgrade_status": 0,
                    },
                )
            self.set_attributes(
                ep.endpoint,
                0x0000,
                {
                    "zcl_version": 3,
                    "manufacturer": manufacturer,
                    "model": model,
                    "power_source": 1 if mains_powered else 3,
                    "sw_build_id": f"{firmware_version:08X}",
                    "location_desc": "",  # writable: an installer may note where the device is
                },
            )

    # -- attribute store -------------------------------------------------------------------

    def set_attributes(self, endpoint: int, cluster_id: int, values: Mapping[Any, Any]) -> None:
        """Set attributes by name or by id (ids for families such as PreviousDayN)."""
        store = self.attributes.setdefault((endpoint, cluster_id), {})
        ids = _attribute_ids(cluster_id)
        for key, value in values.items():
            attr_id = ids.get(key)
            store[_attribute_id(cluster_id, key, ids) if attr_id is None else attr_id] = value

    def get_attribute(self, endpoint: int, cluster_id: int, key: str | int) -> Any:
        ids = _attribute_ids(cluster_id)
        attr_id = ids.get(key)
        if attr_id is None:
            attr_id = _attribute_id(cluster_id, key, ids)
        return self.attributes[(endpoint, cluster_id)].get(attr_id)

    # -- sending -----------------------------------------------------------------------------

    def next_tsn(self) -> int:
        self._tsn = (self._tsn + 1) & 0xFF
        return self._tsn

    def send(
        self,
        endpoint: int,
        cluster_id: int,
        data: bytes,
        *,
        dst_nwk: int = COORDINATOR_NWK,
        dst_ep: int = COORDINATOR_EP,
    ) -> None:
        """Put one frame on the air towards the coordinator (or another node)."""
        if self.radio is None or self.silent or not self.joined:
            return
        self.transactions += 1
        self.radio.transmit_from(
            self,
            src_ep=endpoint,
            dst_nwk=dst_nwk,
            dst_ep=dst_ep,
            cluster_id=cluster_id,
            profile=self.endpoints[endpoint].profile,
            data=data,
        )

    def report(self, endpoint: int, cluster_id: int, names: list[str | int]) -> None:
        """Report the current value of some attributes, as configured reporting does."""
        cls = cluster_class(cluster_id)
        store = self.attributes[(endpoint, cluster_id)]
        ids = _attribute_ids(cluster_id)
        values = {
            n: store.get(ids[n] if n in ids else _attribute_id(cluster_id, n, ids)) for n in names
        }
        self.send(endpoint, cluster_id, zcl_io.attribute_report(cls, values, tsn=self.next_tsn()))

    def send_command(
        self, endpoint: int, cluster_id: int, name: str, *, tsn: int | None = None, **fields: Any
    ) -> None:
        """A server-to-client cluster command (PublishPrice, DisplayMessage, ...)."""
        cls = cluster_class(cluster_id)
        frame = zcl_io.cluster_command(
            cls,
            name,
            tsn=self.next_tsn() if tsn is None else tsn,
            direction=zcl_io.SERVER_TO_CLIENT,
            **fields,
        )
        self.send(endpoint, cluster_id, frame)

    # -- receiving ---------------------------------------------------------------------------

    def receive(self, packet: t.ZigbeePacket) -> None:
        if self.silent:
            return
        data = packet.data.serialize()
        if packet.dst_ep == 0:
            self._receive_zdo(packet.cluster_id, data)
            return
        self.transactions += 1
        cls = cluster_class(packet.cluster_id)
        try:
            parsed = zcl_io.parse_zcl(cls, data)
        except (ValueError, KeyError) as exc:
            LOGGER.debug("%s ignored a malformed frame: %s", self.label, exc)
            return
        if parsed.header.frame_control.frame_type == foundation.FrameType.GLOBAL_COMMAND:
            self._receive_general(packet, cls, parsed)
            return
        handler = self.handlers.get((packet.cluster_id, parsed.command_name or ""))
        if handler is not None:
            handler(parsed, packet)
        elif not parsed.header.frame_control.disable_default_response:
            status = (
                foundation.Status.UNSUP_CLUSTER_COMMAND
                if parsed.command_name is None
                else foundation.Status.SUCCESS
            )
            self.default_response(packet, parsed, status)

    def _on_image_notify(self, parsed: zcl_io.ParsedZcl, packet: t.ZigbeePacket) -> None:
        """An OTA client answers Image Notify by asking the server for its next image."""
        frame = zcl_io.cluster_command(
            cluster_class(OTA_CLUSTER),
            "query_next_image",
            tsn=parsed.header.tsn,
            direction=zcl_io.CLIENT_TO_SERVER,
            disable_default_response=False,
            field_control=0,
            manufacturer_code=self.manufacturer_code,
            image_type=0x0001,
            current_file_version=self.firmware_version,
        )
        self.send(packet.dst_ep, OTA_CLUSTER, frame, dst_ep=packet.src_ep)

    def _reply_direction(self, packet: t.ZigbeePacket) -> foundation.Direction:
        """Answers from a server cluster go server-to-client; from a client cluster, the reverse."""
        spec = self.endpoints.get(packet.dst_ep)
        if (
            spec is not None
            and packet.cluster_id in spec.out_clusters
            and packet.cluster_id not in spec.in_clusters
        ):
            return zcl_io.CLIENT_TO_SERVER
        return zcl_io.SERVER_TO_CLIENT

    def default_response(
        self, packet: t.ZigbeePacket, parsed: zcl_io.ParsedZcl, status: foundation.Status
    ) -> None:
        frame = zcl_io.general_response(
            foundation.GeneralCommand.Default_Response,
            tsn=parsed.header.tsn,
            direction=self._reply_direction(packet),
            command_id=parsed.header.command_id,
            status=status,
        )
        self.send(packet.dst_ep, packet.cluster_id, frame, dst_ep=packet.src_ep)

    def _receive_general(
        self, packet: t.ZigbeePacket, cls: type[Cluster], parsed: zcl_io.ParsedZcl
    ) -> None:
        ep, cluster_id, tsn = packet.dst_ep, packet.cluster_id, parsed.header.tsn
        store = self.attributes.get((ep, cluster_id))
        general = foundation.GeneralCommand
        command = parsed.header.command_id
        if store is None:
            return
        if command == general.Read_Attributes:
            self.before_read(ep, cluster_id)
            records = []
            for attrid in parsed.args.attribute_ids:
                attr = cls.attributes.get(attrid)
                if attr is None or attrid not in store or store[attrid] is None:
                    records.append(
                        foundation.ReadAttributeRecord(
                            attrid=attrid, status=foundation.Status.UNSUPPORTED_ATTRIBUTE
                        )
                    )
                    continue
                records.append(
                    foundation.ReadAttributeRecord(
                        attrid=attrid,
                        status=foundation.Status.SUCCESS,
                        value=foundation.TypeValue(
                            type=attr.zcl_type, value=attr.type(store[attrid])
                        ),
                    )
                )
            reply = zcl_io.general_response(
                general.Read_Attributes_rsp,
                tsn=tsn,
                direction=self._reply_direction(packet),
                status_records=records,
            )
            self.send(ep, cluster_id, reply, dst_ep=packet.src_ep)
        elif command in (general.Write_Attributes, general.Write_Attributes_Undivided):
            failures = []
            for record in parsed.args.attributes:
                attr = cls.attributes.get(record.attrid)
                if attr is None or record.attrid not in store:
                    failures.append(
                        foundation.WriteAttributesStatusRecord(
                            status=foundation.Status.UNSUPPORTED_ATTRIBUTE, attrid=record.attrid
                        )
                    )
                elif not (
                    attr.access is not None and attr.access & foundation.ZCLAttributeAccess.Write
                ):
                    failures.append(
                        foundation.WriteAttributesStatusRecord(
                            status=foundation.Status.READ_ONLY, attrid=record.attrid
                        )
                    )
                else:
                    store[record.attrid] = attr.type(record.value.value)
                    self.attribute_written(ep, cluster_id, attr.name, store[record.attrid])
            records = failures or [
                foundation.WriteAttributesStatusRecord(status=foundation.Status.SUCCESS)
            ]
            reply = zcl_io.general_response(
                general.Write_Attributes_rsp,
                tsn=tsn,
                direction=zcl_io.SERVER_TO_CLIENT,
                status_records=foundation.WriteAttributesResponse(records),
            )
            self.send(ep, cluster_id, reply, dst_ep=packet.src_ep)
        elif command == general.Configure_Reporting:
            out = []
            for cfg in parsed.args.config_records:
                if cfg.attrid in store:
                    self.reporting[(ep, cluster_id, cfg.attrid)] = (
                        cfg.min_interval,
                        cfg.max_interval,
                    )
                    out.append(
                        foundation.ConfigureReportingResponseRecord(
                            status=foundation.Status.SUCCESS, direction=0, attrid=cfg.attrid
                        )
                    )
                else:
                    out.append(
                        foundation.ConfigureReportingResponseRecord(
                            status=foundation.Status.UNSUPPORTED_ATTRIBUTE,
                            direction=0,
                            attrid=cfg.attrid,
                        )
                    )
            reply = zcl_io.general_response(
                general.Configure_Reporting_rsp,
                tsn=tsn,
                direction=zcl_io.SERVER_TO_CLIENT,
                status_records=foundation.ConfigureReportingResponse(out),
            )
            self.send(ep, cluster_id, reply, dst_ep=packet.src_ep)
        elif command == general.Discover_Attributes:
            start = parsed.args.start_attribute_id
            ids = sorted(a for a in store if a >= start)[: parsed.args.max_attribute_ids]
            infos = [
                foundation.DiscoverAttributesResponseRecord(
                    attrid=a, datatype=cls.attributes[a].zcl_type
                )
                for a in ids
                if a in cls.attributes
            ]
            reply = zcl_io.general_response(
                general.Discover_Attributes_rsp,
                tsn=tsn,
                direction=zcl_io.SERVER_TO_CLIENT,
                discovery_complete=t.Bool(1),
                attribute_info=infos,
            )
            self.send(ep, cluster_id, reply, dst_ep=packet.src_ep)

    def before_read(self, endpoint: int, cluster_id: int) -> None:
        """Hook for subclasses: bring computed registers up to date before answering a read."""

    def attribute_written(self, endpoint: int, cluster_id: int, name: str, value: Any) -> None:
        """Hook for subclasses: a client wrote one of our attributes."""

    # -- ZDO ---------------------------------------------------------------------------------

    def node_descriptor(self) -> zdo_t.NodeDescriptor:
        mac = zdo_t.NodeDescriptor.MACCapabilityFlags.AllocateAddress
        if self.mains_powered:
            mac |= (
                zdo_t.NodeDescriptor.MACCapabilityFlags.MainsPowered
                | zdo_t.NodeDescriptor.MACCapabilityFlags.RxOnWhenIdle
                | zdo_t.NodeDescriptor.MACCapabilityFlags.FullFunctionDevice
            )
        return zdo_t.NodeDescriptor(
            logical_type=self.logical_type,
            complex_descriptor_available=0,
            user_descriptor_available=0,
            reserved=0,
            aps_flags=0,
            frequency_band=zdo_t.NodeDescriptor.FrequencyBand.Freq2400MHz,
            mac_capability_flags=mac,
            manufacturer_code=self.manufacturer_code,
            maximum_buffer_size=82,
            maximum_incoming_transfer_size=82,
            server_mask=0,
            maximum_outgoing_transfer_size=82,
            descriptor_capability_field=zdo_t.NodeDescriptor.DescriptorCapability.NONE,
        )

    def _zdo_reply(self, command: zdo_t.ZDOCmd, tsn: int, *args: Any) -> None:
        if self.radio is None:
            return
        self.transactions += 1
        self.radio.transmit_from(
            self,
            src_ep=0,
            dst_nwk=COORDINATOR_NWK,
            dst_ep=0,
            cluster_id=command,
            profile=0x0000,
            data=zcl_io.zdo_frame(command, tsn, *args),
        )

    def _receive_zdo(self, cluster_id: int, data: bytes) -> None:
        cmd = zdo_t.ZDOCmd
        ok = zdo_t.Status.SUCCESS
        try:
            command = cmd(cluster_id)
            tsn, args = zcl_io.parse_zdo(command, data)
        except (ValueError, KeyError):
            return
        if command == cmd.Node_Desc_req:
            self._zdo_reply(cmd.Node_Desc_rsp, tsn, ok, self.nwk, self.node_descriptor())
        elif command == cmd.Active_EP_req:
            self._zdo_reply(cmd.Active_EP_rsp, tsn, ok, self.nwk, sorted(self.endpoints))
        elif command == cmd.Simple_Desc_req:
            spec = self.endpoints.get(args[1])
            if spec is None:
                self._zdo_reply(cmd.Simple_Desc_rsp, tsn, zdo_t.Status.NOT_ACTIVE, self.nwk, None)
                return
            desc = zdo_t.SizePrefixedSimpleDescriptor(
                endpoint=spec.endpoint,
                profile=spec.profile,
                device_type=spec.device_type,
                device_version=1,
                input_clusters=spec.in_clusters,
                output_clusters=spec.out_clusters,
            )
            self._zdo_reply(cmd.Simple_Desc_rsp, tsn, ok, self.nwk, desc)
        elif command == cmd.IEEE_addr_req:
            self._zdo_reply(cmd.IEEE_addr_rsp, tsn, ok, self.ieee, self.nwk, 0, 0, [])
        elif command == cmd.NWK_addr_req:
            self._zdo_reply(cmd.NWK_addr_rsp, tsn, ok, self.ieee, self.nwk, 0, 0, [])
        elif command in (cmd.Bind_req, cmd.Unbind_req):
            self._zdo_reply(cmd.Bind_rsp if command == cmd.Bind_req else cmd.Unbind_rsp, tsn, ok)
        elif command == cmd.Mgmt_Lqi_req:
            start = args[0]
            neighbours = self.radio.neighbour_table(self) if self.radio else []
            page = neighbours[start : start + 3]
            self._zdo_reply(
                cmd.Mgmt_Lqi_rsp,
                tsn,
                ok,
                zdo_t.Neighbors(Entries=len(neighbours), StartIndex=start, NeighborTableList=page),
            )
        elif command == cmd.Mgmt_Rtg_req:
            start = args[0]
            routes = self.radio.route_table(self) if self.radio else []
            page = routes[start : start + 3]
            self._zdo_reply(
                cmd.Mgmt_Rtg_rsp,
                tsn,
                ok,
                zdo_t.Routes(Entries=len(routes), StartIndex=start, RoutingTableList=page),
            )
        elif command == cmd.Mgmt_Leave_req:
            self._zdo_reply(cmd.Mgmt_Leave_rsp, tsn, ok)
            if self.radio is not None:
                self.radio.device_left(self)
        elif command == cmd.Mgmt_Permit_Joining_req:
            pass  # broadcast; nothing to answer

    def announce(self) -> None:
        """Device_annce after joining, as a real node broadcasts it."""
        if self.radio is None:
            return
        capability = 0x8E if self.mains_powered else 0x80
        self.radio.transmit_from(
            self,
            src_ep=0,
            dst_nwk=COORDINATOR_NWK,
            dst_ep=0,
            cluster_id=zdo_t.ZDOCmd.Device_annce,
            profile=0x0000,
            data=zcl_io.zdo_frame(
                zdo_t.ZDOCmd.Device_annce, self.next_tsn(), self.nwk, self.ieee, capability
            ),
        )
