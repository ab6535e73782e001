"""Strict checking of inbound Smart Energy ZCL frames, for the profile seam's frame_validator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import zigpy.types as t
from zigpy.zcl import foundation

from device_backend.zcl import ids
from device_backend.zcl.calendar import Calendar
from device_backend.zcl.device_management import DeviceManagement
from device_backend.zcl.drlc import Drlc
from device_backend.zcl.events import Events
from device_backend.zcl.messaging import Messaging
from device_backend.zcl.metering import Metering
from device_backend.zcl.prepayment import Prepayment
from device_backend.zcl.price import Price

SE_CLUSTER_IDS: Final = frozenset(
    [*range(ids.PRICE, ids.PREPAYMENT + 1), *ids.GB_SCHEDULE_AND_ADMIN_CLUSTERS]
)  # Tunneling 0x0704 included (only its global commands are checked)

# The ZCL frame control byte, decoded by hand: it is cheaper than zigpy's header struct and
# this runs on every Smart Energy frame.
_FRAME_TYPE_MASK: Final = 0x03
_FRAME_TYPE_GLOBAL: Final = 0b00
_FRAME_TYPE_CLUSTER: Final = 0b01
_MANUFACTURER_SPECIFIC: Final = 0x04
_SERVER_TO_CLIENT: Final = 0x08

# Whatever zigpy's types raise on bad input. Struct decoding of bit fields uses assert, and
# a few paths raise KeyError/IndexError rather than ValueError.
_DECODE_ERRORS: Final = (ValueError, TypeError, KeyError, IndexError, AssertionError)


class MalformedFrameError(ValueError):
    """A Smart Energy frame that does not match its command's layout."""


# How messages name each cluster, e.g. "Price (0x0700)".
_CLUSTER_LABELS: Final[dict[int, str]] = {
    cluster_id: f"{name} (0x{cluster_id:04X})"
    for cluster_id, name in [
        *zip(
            range(ids.PRICE, ids.PREPAYMENT + 1),
            ("Price", "Drlc", "Metering", "Messaging", "Tunneling", "Prepayment"),
            strict=True,
        ),
        *zip(
            ids.GB_SCHEDULE_AND_ADMIN_CLUSTERS,
            ("Calendar", "DeviceManagement", "Events"),
            strict=True,
        ),
    ]
}

# Decodes a payload and returns the octets left after the last field; raises on truncation.
_Decoder = Callable[[bytes], bytes]


def _decoder(schema: type[t.Struct]) -> _Decoder:
    """The cheapest way to decode a payload with `schema` just to see what is left over.

    A plain Struct's deserialize decodes the fields and then builds an instance from them,
    which re-checks nothing and costs as much again, so for schemas that keep zigpy's
    deserialize we stop after the decoding step.
    """
    fields = schema.fields
    if getattr(schema.deserialize, "__func__", None) is t.Struct.deserialize.__func__:
        return lambda payload: schema._deserialize_internal(fields, payload)[1]
    return lambda payload: schema.deserialize(payload)[1]


# (cluster id, direction bit, command id) -> (decoder, label naming the command)
_CLUSTER_COMMANDS: dict[tuple[int, int, int], tuple[_Decoder, str]] = {}
for _cluster in (Price, Drlc, Metering, Messaging, Prepayment, Calendar, DeviceManagement, Events):
    # Server-to-client frames carry the commands a server generates, which zigpy files
    # under ClientCommandDefs (the client receives them), and the reverse.
    for _direction, _defs, _arrow in (
        (1, _cluster.ClientCommandDefs, "server to client"),
        (0, _cluster.ServerCommandDefs, "client to server"),
    ):
        for _command in _defs:
            _CLUSTER_COMMANDS[(_cluster.cluster_id, _direction, _command.id)] = (
                _decoder(_command.schema),
                f"{_command.name} (0x{_command.id:02X}, {_arrow})",
            )
del _cluster, _direction, _defs, _arrow, _command

_GLOBAL_COMMANDS: Final[dict[int, tuple[_Decoder, str]]] = {
    int(command_id): (
        _decoder(command.schema),
        f"{command.name} (global 0x{int(command_id):02X})",
    )
    for command_id, command in foundation.GENERAL_COMMANDS.items()
}


# Octets taken by a value of each fixed-size ZCL data type (type id -> size), and the
# length-prefix size of the string types. Attribute reports are by far the commonest SE
# frame, and walking their records with this table costs a fraction of a full decode.
_FIXED_SIZES: Final[dict[int, int]] = {
    **{0x08 + n: n + 1 for n in range(8)},  # data8..data64
    0x10: 1,  # bool
    **{0x18 + n: n + 1 for n in range(8)},  # map8..map64
    **{0x20 + n: n + 1 for n in range(8)},  # uint8..uint64
    **{0x28 + n: n + 1 for n in range(8)},  # int8..int64
    0x30: 1,
    0x31: 2,  # enum8, enum16
    0x38: 2,
    0x39: 4,
    0x3A: 8,  # semi, single, double precision
    0xE0: 4,
    0xE1: 4,
    0xE2: 4,  # time of day, date, UTC time
    0xE8: 2,
    0xE9: 2,
    0xEA: 4,  # cluster id, attribute id, BACnet OID
    0xF0: 8,
    0xF1: 16,  # IEEE address, 128-bit key
}
_PREFIXED_SIZES: Final[dict[int, int]] = {0x41: 1, 0x42: 1, 0x43: 2, 0x44: 2}
_REPORT_ATTRIBUTES: Final = int(foundation.GeneralCommand.Report_Attributes)


def _report_is_whole(payload: bytes) -> bool | None:
    """True if every attribute record fits; False if one is cut short; None: not sure (an
    array or structure value), so let the full decoder judge."""
    at, end = 0, len(payload)
    while at < end:
        if at + 3 > end:
            return False
        type_id = payload[at + 2]
        at += 3
        size = _FIXED_SIZES.get(type_id)
        if size is None:
            prefix = _PREFIXED_SIZES.get(type_id)
            if prefix is None:
                return None
            if at + prefix > end:
                return False
            length = int.from_bytes(payload[at : at + prefix], "little")
            invalid = (1 << (8 * prefix)) - 1  # 0xFF / 0xFFFF: an invalid string, no body
            size = prefix + (0 if length == invalid else length)
        at += size
    return at == end


def validate_frame(packet: t.ZigbeePacket) -> None:
    """Raise MalformedFrameError if an inbound frame on clusters 0x0700-0x0705 or 0x0707-0x0709
    is malformed.

    Cluster-specific commands of our clusters are decoded with their schema, chosen by the
    frame's direction; a truncated frame and bytes left after the last field are both
    errors. Global commands are decoded with zigpy's foundation schemas and only truncation
    is an error. Frames we have no schema for (unknown or manufacturer-specific cluster
    commands) are left to zigpy, which answers them with a default response.
    """
    cluster_id = packet.cluster_id
    if cluster_id not in SE_CLUSTER_IDS:
        return

    data = bytes(packet.data.serialize())  # a radio may hand over a bytearray
    cluster = _CLUSTER_LABELS[cluster_id]
    if not data:
        raise MalformedFrameError(f"{cluster}: empty ZCL frame")

    frame_control = data[0]
    header_length = 5 if frame_control & _MANUFACTURER_SPECIFIC else 3
    if len(data) < header_length:
        raise MalformedFrameError(
            f"{cluster}: ZCL header truncated ({len(data)} of {header_length} octets)"
        )
    command_id = data[header_length - 1]
    payload = data[header_length:]
    frame_type = frame_control & _FRAME_TYPE_MASK

    if frame_type == _FRAME_TYPE_CLUSTER:
        if frame_control & _MANUFACTURER_SPECIFIC:
            return  # a manufacturer's own command: not ours to judge
        direction = 1 if frame_control & _SERVER_TO_CLIENT else 0
        entry = _CLUSTER_COMMANDS.get((cluster_id, direction, command_id))
        if entry is None:
            return
        decode, label = entry
        _check(decode, payload, cluster, label, reject_leftovers=True)
    elif frame_type == _FRAME_TYPE_GLOBAL:
        if command_id == _REPORT_ATTRIBUTES and _report_is_whole(payload):
            return
        entry = _GLOBAL_COMMANDS.get(command_id)
        if entry is None:
            return
        decode, label = entry
        # The general commands may grow in later ZCL revisions, so extra octets are left
        # to zigpy (which ignores them); only a frame too short to decode is refused.
        _check(decode, payload, cluster, label, reject_leftovers=False)
    else:
        raise MalformedFrameError(
            f"{cluster}: reserved ZCL frame type {frame_type} (command 0x{command_id:02X})"
        )


def _check(
    decode: _Decoder, payload: bytes, cluster: str, label: str, *, reject_leftovers: bool
) -> None:
    # Messages name the command and the problem but never echo the payload: it may hold a
    # live top-up code (UTRN), and these messages are logged.
    try:
        rest = decode(payload)
    except _DECODE_ERRORS as exc:
        raise MalformedFrameError(
            f"{cluster} {label}: truncated or invalid payload ({len(payload)} octets): {exc}"
        ) from exc
    if rest and reject_leftovers:
        raise MalformedFrameError(
            f"{cluster} {label}: {len(rest)} unexpected octet(s) after the last field"
        )
