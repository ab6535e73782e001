"""EZSP frames: headers (legacy and extended) and parameters, encoded with bellows's own types.

Parameter layouts are taken from bellows's per-version command tables (`bellows.ezsp.vN`):
sharing them means a field bellows reads differently from how we wrote it cannot show here,
so the layouts are the one thing this emulator does not check independently (its ASH layer,
its behaviour and its ordering are its own). Handlers speak sl_Status (EmberZNet 8 naming);
frames for EZSP 13 and older get the EmberStatus/EzspStatus equivalents.

EZSP header (UG100 section 3): sequence, frame control, frame id. Protocol 8 and later use a
16-bit frame control (high byte bit 0 = frame format version 1) and a 16-bit frame id; the
first `version` command of a session is always in the legacy 3-byte form, answered in kind.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import bellows.ezsp
import bellows.types as bt
from bellows.types.named import SL_STATUS_MAP

FC_RESPONSE = 0x80
FC_ASYNC_CALLBACK = 0x10  # callbackType 2 in bits 4:3
FC_HIGH_FORMAT_V1 = 0x01
VERSION_FRAME_ID = 0x0000

# Newer bellows tables name parameters in snake case; older ones in camel case. Handlers use
# the newer names and these cover the older ones.
ALIASES = {
    "type": "message_type",
    "indexOrDestination": "nwk",
    "apsFrame": "aps_frame",
    "messageTag": "message_tag",
    "messageContents": "message",
    "lastHopLqi": "lqi",
    "lastHopRssi": "rssi",
    "sender": "nwk",
    "bindingIndex": "binding_index",
    "addressIndex": "address_index",
}


@dataclass(frozen=True)
class Header:
    sequence: int
    frame_id: int
    extended: bool


def parse_header(frame: bytes) -> tuple[Header, bytes]:
    if len(frame) >= 5 and frame[2] & 0x03 == FC_HIGH_FORMAT_V1:
        return Header(frame[0], int.from_bytes(frame[3:5], "little"), True), frame[5:]
    if len(frame) < 3:
        raise ValueError(f"EZSP frame too short: {frame.hex()}")
    return Header(frame[0], frame[2], False), frame[3:]


def header_bytes(sequence: int, frame_id: int, *, extended: bool, callback: bool) -> bytes:
    control = FC_RESPONSE | (FC_ASYNC_CALLBACK if callback else 0)
    if extended:
        return bytes((sequence, control, FC_HIGH_FORMAT_V1)) + frame_id.to_bytes(2, "little")
    return bytes((sequence, control, frame_id & 0xFF))


@functools.cache
def commands(version: int) -> dict[str, tuple[int, Any, Any]]:
    return bellows.ezsp.EZSP._BY_VERSION[version].COMMANDS


@functools.cache
def names_by_id(version: int) -> dict[int, str]:
    return {frame_id: name for name, (frame_id, _tx, _rx) in commands(version).items()}


def decode_parameters(version: int, name: str, data: bytes) -> dict[str, Any]:
    _frame_id, schema, _rx = commands(version)[name]
    if isinstance(schema, dict):
        values, _rest = bt.deserialize_dict(data, schema)
        return dict(values)
    value, _rest = schema.deserialize(data)
    return {"value": value}


def _status_for(target: Any, value: Any) -> Any:
    """A status in the type the frame's schema wants (sl_Status in, Ember/EZSP out)."""
    if isinstance(value, target):
        return value
    if target is bt.sl_Status:
        return bt.sl_Status.from_ember_status(value)
    if isinstance(value, bt.sl_Status):
        for (kind, old), new in SL_STATUS_MAP.items():
            if kind is target and new == value:
                return old
        return target(0x01) if target is bt.EmberStatus else bt.EzspStatus.ERROR_INVALID_CALL
    return target(value)


STATUS_TYPES = (bt.sl_Status, bt.EmberStatus, bt.EzspStatus)


def _field_value(name: str, kind: type, values: dict[str, Any]) -> Any:
    if name in values:
        value = values[name]
    elif ALIASES.get(name) in values:
        value = values[ALIASES[name]]
    else:
        raise KeyError(name)
    if kind in STATUS_TYPES:
        return _status_for(kind, value)
    if isinstance(value, kind):
        return value
    return kind(value)


def encode_parameters(version: int, name: str, values: dict[str, Any]) -> bytes:
    _frame_id, _tx, schema = commands(version)[name]
    if isinstance(schema, dict):
        return b"".join(
            _field_value(field, kind, values).serialize() for field, kind in schema.items()
        )
    # A Struct response (getTokenData): fields by name, optional ones left out when absent.
    fields = {}
    for field in schema.fields:
        if field.name in values:
            fields[field.name] = _field_value(field.name, field.type, values)
    return schema(**fields).serialize()
