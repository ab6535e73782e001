"""Build and parse the ZCL and ZDO bytes a virtual device sends and receives, through zigpy.

Virtual devices speak only in frames: every value they publish is serialized here with the
same zigpy cluster definitions the coordinator side parses with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import zigpy.types as t
import zigpy.zdo.types as zdo_t
from zigpy.zcl import Cluster, foundation

SERVER_TO_CLIENT = foundation.Direction.Server_to_Client
CLIENT_TO_SERVER = foundation.Direction.Client_to_Server


def _header(
    *,
    tsn: int,
    command_id: int,
    general: bool,
    direction: foundation.Direction,
    disable_default_response: bool,
) -> foundation.ZCLHeader:
    frame_control = foundation.FrameControl(
        frame_type=foundation.FrameType.GLOBAL_COMMAND
        if general
        else foundation.FrameType.CLUSTER_COMMAND,
        is_manufacturer_specific=False,
        direction=direction,
        disable_default_response=disable_default_response,
        reserved=0b000,
    )
    return foundation.ZCLHeader(frame_control=frame_control, tsn=tsn, command_id=command_id)


def cluster_command(
    cluster: type[Cluster],
    name: str,
    *,
    tsn: int,
    direction: foundation.Direction,
    disable_default_response: bool = True,
    **fields: Any,
) -> bytes:
    """A cluster-specific command frame; `direction` selects which side's command set."""
    defs = cluster.ClientCommandDefs if direction is SERVER_TO_CLIENT else cluster.ServerCommandDefs
    command = getattr(defs, name)
    body = command.schema(**fields).serialize()
    hdr = _header(
        tsn=tsn,
        command_id=command.id,
        general=False,
        direction=direction,
        disable_default_response=disable_default_response,
    )
    return hdr.serialize() + body


def attribute_report(
    cluster: type[Cluster],
    values: dict[str | int, Any],
    *,
    tsn: int,
    direction: foundation.Direction = SERVER_TO_CLIENT,
) -> bytes:
    """Report Attributes: per record the attribute id, its ZCL type id and the value, each
    serialized by zigpy's own types (the general command's schema is built the slow way,
    so we lay the records out directly; the bytes are identical)."""
    body = bytearray()
    for key, value in values.items():
        prefix, kind = _record_start(cluster, key)
        body += prefix
        body += _value_bytes(kind, value)
    return _header_bytes(foundation.GeneralCommand.Report_Attributes, True, direction, tsn) + bytes(
        body
    )


_RECORD_STARTS: dict[tuple[type[Cluster], str | int], tuple[bytes, type]] = {}


_VALUE_BYTES: dict[tuple[type, type, Any], bytes] = {}
_VALUE_BYTES_MAX = 4096
_IMMUTABLE = (int, str, bytes, float)


def _value_bytes(kind: type, value: Any) -> bytes:
    """`kind(value).serialize()`, remembered: a meter repeats the same demand, band and status
    values all day, and zigpy's typed ints cost more to build than the bytes they give."""
    if not isinstance(value, _IMMUTABLE):  # only values that cannot change are kept
        return kind(value).serialize()
    key = (kind, type(value), value)  # 1, True and 1.0 are equal keys, not equal inputs
    found = _VALUE_BYTES.get(key)
    if found is not None:
        return found
    data = kind(value).serialize()
    if len(_VALUE_BYTES) >= _VALUE_BYTES_MAX:
        _VALUE_BYTES.clear()
    _VALUE_BYTES[key] = data
    return data


def _record_start(cluster: type[Cluster], key: str | int) -> tuple[bytes, type]:
    """A report record's attribute id and ZCL type id, serialized by zigpy once per attribute
    (they never change; a meter reports the same few every ten seconds), and the value's type."""
    found = _RECORD_STARTS.get((cluster, key))
    if found is None:
        attr = attribute_def(cluster, key)
        prefix = t.uint16_t(attr.id).serialize() + t.uint8_t(attr.zcl_type).serialize()
        found = _RECORD_STARTS[(cluster, key)] = (prefix, attr.type)
    return found


_HEADERS: dict[tuple[int, bool, foundation.Direction], bytes] = {}


def _header_bytes(
    command_id: int, general: bool, direction: foundation.Direction, tsn: int
) -> bytes:
    """A cached zigpy-serialized ZCL header with this frame's sequence number put in."""
    key = (command_id, general, direction)
    cached = _HEADERS.get(key)
    if cached is None:
        cached = _HEADERS[key] = _header(
            tsn=0,
            command_id=command_id,
            general=general,
            direction=direction,
            disable_default_response=True,
        ).serialize()
    return cached[:1] + bytes([tsn & 0xFF]) + cached[2:]


def attribute_def(cluster: type[Cluster], key: str | int) -> foundation.ZCLAttributeDef:
    """An attribute definition by name or by id."""
    return cluster.attributes[key] if isinstance(key, int) else cluster.attributes_by_name[key]


def general_response(
    command: foundation.GeneralCommand, *, tsn: int, direction: foundation.Direction, **fields: Any
) -> bytes:
    body = foundation.GENERAL_COMMANDS[command].schema(**fields).serialize()
    hdr = _header(
        tsn=tsn,
        command_id=command,
        general=True,
        direction=direction,
        disable_default_response=True,
    )
    return hdr.serialize() + body


@dataclass(frozen=True, slots=True)
class ParsedZcl:
    header: foundation.ZCLHeader
    command_name: str | None  # None for a command the cluster does not define
    args: Any


def parse_zcl(cluster: type[Cluster], data: bytes) -> ParsedZcl:
    """Parse a frame arriving at a virtual device, with the same definitions zigpy uses."""
    hdr, rest = foundation.ZCLHeader.deserialize(data)
    if hdr.frame_control.frame_type == foundation.FrameType.GLOBAL_COMMAND:
        # zigpy keys it by GeneralCommand, an int enum: a plain int id hashes and compares equal.
        general = foundation.GENERAL_COMMANDS.get(hdr.command_id)  # type: ignore[call-overload]
        if general is None:
            return ParsedZcl(hdr, None, rest)
        args, _ = general.schema.deserialize(rest)
        return ParsedZcl(hdr, general.name, args)
    commands = (
        cluster.server_commands if hdr.direction is CLIENT_TO_SERVER else cluster.client_commands
    )
    command = commands.get(hdr.command_id)
    if command is None:
        return ParsedZcl(hdr, None, rest)
    args, _ = command.schema.deserialize(rest)
    return ParsedZcl(hdr, command.name, args)


def zdo_frame(command: zdo_t.ZDOCmd, tsn: int, *args: Any) -> bytes:
    _, param_types = zdo_t.CLUSTERS[command]
    return bytes([tsn]) + t.serialize(args, param_types)


def parse_zdo(command: int, data: bytes) -> tuple[int, list[Any]]:
    _, param_types = zdo_t.CLUSTERS[zdo_t.ZDOCmd(command)]
    args, _ = t.deserialize(data[1:], param_types)
    return data[0], args
