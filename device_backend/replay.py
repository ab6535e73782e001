"""Replay a HAN capture through the display's own translation: pcap in, domain events out.

A capture of a real (or simulated) HAN is decoded layer by layer: pcap (IEEE 802.15.4 link
types 195, with FCS, and 230, without), the 802.15.4 MAC data frame, the ZigBee NWK header
(unsecured, or NWK-secured and decrypted with the network key given), the APS data frame, and
the ZCL frame. Smart Energy frames a meter sent are then handed to the same `MeterAdapter` the
facade uses, through a cluster stand-in that keeps attribute values as zigpy's cache does, so a
replay derives the events a display would have shown. A frame that cannot be decoded is
reported with its number and the reason, and the replay goes on.

Layer layouts: IEEE 802.15.4-2006 §7.2 (MAC), ZigBee PRO 2007 (05-3474) §3.3 NWK and §2.2.5
APS frame formats, §4.5.1 auxiliary security header and CCM* nonce; ZCL 07-5123 §2.4.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from zigpy.zcl import foundation

from device_backend import model
from device_backend.translate import MeterAdapter
from device_backend.zcl import cluster_class
from device_backend.zcl.ids import DRLC, MESSAGING, METERING, PREPAYMENT, PRICE

LINKTYPE_WITH_FCS = 195
LINKTYPE_NO_FCS = 230
SMART_ENERGY_CLUSTERS = (PRICE, DRLC, METERING, MESSAGING, PREPAYMENT)
GAS_DEVICE_TYPES = {1, 0x81}  # MeteringDeviceType gas metering (and its mirrored form)
VOLUME_UNITS = {0x01, 0x02, 0x03}  # m3, ft3, ccf: a GB gas meter's unit of measure


class UndecodableFrame(ValueError):
    """Why one frame of a capture could not be read; the replay carries on without it."""


@dataclass(frozen=True, slots=True)
class CapturedFrame:
    number: int  # 1-based, as Wireshark counts
    time: datetime
    data: bytes  # the MAC frame, FCS removed


def read_pcap(path: Path) -> Iterator[CapturedFrame]:
    """Frames of a classic pcap file of link type 195 or 230."""
    data = Path(path).read_bytes()
    if len(data) < 24:
        raise ValueError(f"{path} is not a pcap file (too short)")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError(f"{path} is not a classic pcap file (pcapng is not read here)")
    nanos = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype not in (LINKTYPE_WITH_FCS, LINKTYPE_NO_FCS):
        raise ValueError(f"link type {linktype} is not IEEE 802.15.4 (195 or 230)")
    offset, number = 24, 0
    while offset + 16 <= len(data):
        seconds, fraction, captured, _ = struct.unpack(endian + "IIII", data[offset : offset + 16])
        offset += 16
        body = data[offset : offset + captured]
        offset += captured
        number += 1
        stamp = seconds + fraction / (1e9 if nanos else 1e6)
        if linktype == LINKTYPE_WITH_FCS:
            body = body[:-2]
        yield CapturedFrame(number, datetime.fromtimestamp(stamp, UTC), body)


# -- 802.15.4 MAC ---------------------------------------------------------------------------


def _mac_payload(data: bytes) -> tuple[int | None, bytes] | None:
    """(source short address or None, MAC payload) of a data frame; None for other frames."""
    if len(data) < 3:
        raise UndecodableFrame("shorter than a MAC header")
    control = struct.unpack_from("<H", data)[0]
    if control & 0x7 != 1:
        return None  # beacon, acknowledgement or MAC command: nothing for a display
    if control & 0x8:
        raise UndecodableFrame("MAC-layer security is not used on a ZigBee HAN")
    pan_compressed = bool(control & 0x40)
    dst_mode, src_mode = (control >> 10) & 0x3, (control >> 14) & 0x3
    offset = 3
    sizes = {0: 0, 2: 2, 3: 8}
    if dst_mode:
        offset += 2 + sizes[dst_mode]
    source = None
    if src_mode:
        if not pan_compressed:
            offset += 2
        if src_mode == 2:
            source = struct.unpack_from("<H", data, offset)[0]
        offset += sizes[src_mode]
    if offset > len(data):
        raise UndecodableFrame("MAC header longer than the frame")
    return source, data[offset:]


# -- ZigBee NWK -----------------------------------------------------------------------------


def _nwk_payload(data: bytes, key: bytes | None) -> tuple[int, bytes] | None:
    """(NWK source, APS frame) of a NWK data frame; None for NWK commands."""
    if len(data) < 8:
        raise UndecodableFrame("shorter than a NWK header")
    control, _dst, source, _radius, _seq = struct.unpack_from("<HHHBB", data)
    offset = 8
    if control & 0x0800:
        offset += 8  # destination IEEE address
    source_ieee = None
    if control & 0x1000:
        source_ieee = data[offset : offset + 8]
        offset += 8
    if control & 0x0100:
        offset += 1  # multicast control
    if control & 0x0400:
        count = data[offset]
        offset += 2 + 2 * count  # relay count, relay index, relay list
    if control & 0x0200:
        payload = _nwk_decrypt(data, offset, source_ieee, key)
    else:
        payload = data[offset:]
    if control & 0x3 != 0:
        return None  # a NWK command (route request, leave, ...)
    return source, payload


def _nwk_decrypt(data: bytes, offset: int, source_ieee: bytes | None, key: bytes | None) -> bytes:
    """AES-CCM* with a 4-byte MIC (security level 5), as the ZigBee network key secures."""
    if key is None:
        raise UndecodableFrame("NWK-secured: give --network-key to decrypt it")
    security_control = data[offset]
    counter = data[offset + 1 : offset + 5]
    aux_end = offset + 5
    if security_control & 0x20:  # extended nonce: the sender's IEEE address is in the header
        source_ieee = data[aux_end : aux_end + 8]
        aux_end += 8
    if (security_control >> 3) & 0x3 == 1:
        aux_end += 1  # key sequence number
    if source_ieee is None or len(source_ieee) != 8:
        raise UndecodableFrame("NWK-secured without the sender's IEEE address")
    # The level on the air reads 0; the MIC was computed over level 5 (ZigBee spec §4.3.1.2).
    patched = (security_control & ~0x07) | 0x05
    header = data[:offset] + bytes([patched]) + data[offset + 1 : aux_end]
    nonce = source_ieee + counter + bytes([patched])
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESCCM

    try:
        return AESCCM(key, tag_length=4).decrypt(nonce, data[aux_end:], header)
    except InvalidTag:
        raise UndecodableFrame("NWK MIC check failed: wrong network key?") from None


# -- APS ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApsData:
    cluster: int
    profile: int
    src_ep: int
    payload: bytes


def _aps(data: bytes) -> ApsData | None:
    if not data:
        raise UndecodableFrame("empty APS frame")
    control = data[0]
    if control & 0x3 != 0:
        return None  # APS command or acknowledgement
    if control & 0x20:
        raise UndecodableFrame("APS-secured (link key); only NWK security is decrypted here")
    delivery = (control >> 2) & 0x3
    offset = 1
    if delivery in (0, 2):
        offset += 1  # destination endpoint
    elif delivery == 3:
        offset += 2  # group address
    if len(data) < offset + 6:
        raise UndecodableFrame("APS header longer than the frame")
    cluster, profile, src_ep, _counter = struct.unpack_from("<HHBB", data, offset)
    offset += 6
    if control & 0x80:
        extended = data[offset]
        offset += 1 + (2 if extended & 0x3 == 1 else 0)  # fragmentation block/ack fields
        if extended & 0x3:
            raise UndecodableFrame("an APS fragment (reassembly is not done here)")
    return ApsData(cluster, profile, src_ep, data[offset:])


# -- a meter as the replay sees it ----------------------------------------------------------


class ReplayCluster:
    """What MeterAdapter uses of a zigpy cluster, filled from the frames of a capture."""

    def __init__(self, cluster_id: int) -> None:
        self.cluster_id = cluster_id
        self.cls = cluster_class(cluster_id)
        self.client_commands = self.cls.client_commands
        self.values: dict[str, Any] = {}
        self._handlers: dict[str, list[Callable[[Any], None]]] = {}
        self._listeners: list[Any] = []

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def on_event(self, name: str, handler: Callable[[Any], None]) -> Callable[[], None]:
        self._handlers.setdefault(name, []).append(handler)
        return lambda: None

    def add_listener(self, listener: Any) -> None:
        self._listeners.append(listener)

    def attribute(self, event: str, attrid: int, value: Any) -> str | None:
        definition = self.cls.attributes.get(attrid)
        if definition is None:
            return None
        try:
            typed = definition.type(value)
        except (TypeError, ValueError):
            typed = value
        self.values[definition.name] = typed
        for handler in self._handlers.get(event, []):
            handler(SimpleNamespace(attribute_name=definition.name, value=typed))
        return definition.name

    def command(self, tsn: int, command_id: int, args: Any) -> None:
        for listener in self._listeners:
            listener.cluster_command(tsn, command_id, args)


class Replayer:
    """Feeds frames to one MeterAdapter per meter, emitting what the facade would."""

    def __init__(self, emit: Callable[[model.Event], None], network_key: bytes | None = None):
        from device_backend.facade import CHANGE_ONLY, _same_state

        self._emit_out = emit
        self.network_key = network_key
        self.meters: dict[int, MeterAdapter] = {}
        self._now = datetime.fromtimestamp(0, UTC)
        self._latest: dict[tuple[str, str], model.Event] = {}
        self._change_only = CHANGE_ONLY
        self._same = _same_state

    def _emit(self, event: model.Event) -> None:
        # As the facade does: a state that has not changed is not an event.
        if isinstance(event, self._change_only):
            key = (type(event).__name__, str(getattr(event, "fuel", "")))
            before = self._latest.get(key)
            self._latest[key] = event
            if before is not None and self._same(before, event):
                return
        self._emit_out(event)

    def _meter(self, source: int) -> MeterAdapter:
        adapter = self.meters.get(source)
        if adapter is None:
            clusters = {cid: ReplayCluster(cid) for cid in SMART_ENERGY_CLUSTERS}
            adapter = MeterAdapter(
                ieee=f"nwk:0x{source:04X}",
                fuel=model.Fuel.ELECTRICITY,  # until the meter says it is gas
                clusters=clusters,  # type: ignore[arg-type]
                emit=self._emit,
                now=lambda: self._now,
            )
            self.meters[source] = adapter
        return adapter

    def feed(self, frame: CapturedFrame) -> None:
        """One captured frame; raises UndecodableFrame with the reason when it cannot."""
        mac = _mac_payload(frame.data)
        if mac is None:
            return
        nwk = _nwk_payload(mac[1], self.network_key)
        if nwk is None:
            return
        source, aps_frame = nwk
        aps = _aps(aps_frame)
        if aps is None or aps.cluster not in SMART_ENERGY_CLUSTERS:
            return
        try:
            header, rest = foundation.ZCLHeader.deserialize(aps.payload)
        except (ValueError, KeyError) as exc:
            raise UndecodableFrame(f"ZCL header: {exc}") from None
        if header.direction != foundation.Direction.Server_to_Client:
            return  # what the display itself asked; the meter's answer follows
        self._now = frame.time
        adapter = self._meter(source)
        cluster = adapter.clusters[aps.cluster]
        assert isinstance(cluster, ReplayCluster)
        try:
            if header.frame_control.frame_type == foundation.FrameType.GLOBAL_COMMAND:
                self._general(adapter, cluster, header, rest)
            else:
                command = cluster.client_commands.get(header.command_id)
                if command is None:
                    raise UndecodableFrame(f"unknown command 0x{header.command_id:02X}")
                args, _ = command.schema.deserialize(rest)
                cluster.command(header.tsn, header.command_id, args)
        except UndecodableFrame:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad frame must not end the replay
            raise UndecodableFrame(f"ZCL payload: {exc}") from None

    def _general(
        self, adapter: MeterAdapter, cluster: ReplayCluster, header: Any, rest: bytes
    ) -> None:
        command = foundation.GENERAL_COMMANDS.get(header.command_id)
        if command is None or command.name not in (
            "Report_Attributes",
            "Read_Attributes_rsp",
        ):
            return
        args: Any  # the schema's fields depend on the command, so zigpy types it loosely
        args, _ = command.schema.deserialize(rest)
        if command.name == "Report_Attributes":
            records = [(r.attrid, r.value.value) for r in args.attribute_reports]
            event = "attribute_report"
        else:
            records = [
                (r.attrid, r.value.value)
                for r in args.status_records
                if r.status == foundation.Status.SUCCESS
            ]
            event = "attribute_read"
        # Scaling first, as a display reads it before the values it scales.
        for attrid, value in records:
            if cluster.cluster_id != METERING:
                continue
            if attrid == 0x0306 and int(value) in GAS_DEVICE_TYPES:  # MeteringDeviceType
                adapter.fuel = model.Fuel.GAS
            elif attrid == 0x0300 and int(value) & 0x7F in VOLUME_UNITS:  # UnitOfMeasure
                adapter.fuel = model.Fuel.GAS  # a capture begun after the interview
        for attrid, value in records:
            cluster.attribute(event, attrid, value)


def replay(
    path: Path,
    emit: Callable[[model.Event], None],
    problem: Callable[[int, str], None],
    network_key: bytes | None = None,
) -> int:
    """Replay every frame of `path`; returns how many frames were read."""
    replayer = Replayer(emit, network_key)
    count = 0
    for frame in read_pcap(path):
        count += 1
        try:
            replayer.feed(frame)
        except UndecodableFrame as exc:
            problem(frame.number, str(exc))
    return count
