"""Checking hand-written ZCL frames against our cluster definitions, for the frame tests.

Times are UTC seconds since 2000-01-01 (ZigBee UTCTime): 2024-01-01 00:00 = 757382400 =
0x2D24BD00, 07:30 the same day = 0x2D252678. The caller registers our clusters with zigpy
first (device_backend.zcl.register_clusters), as the facade does.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import zigpy.types as t
from zigpy.zcl import Cluster, foundation

from device_backend.zcl import validate_frame
from device_backend.zcl.profile import SMART_ENERGY_PROFILE_ID

T0 = 0x2D24BD00  # 2024-01-01 00:00:00 UTC
T1 = 0x2D252678  # 2024-01-01 07:30:00 UTC

S2C = foundation.Direction.Server_to_Client
C2S = foundation.Direction.Client_to_Server


def hexbytes(text: str) -> bytes:
    """Hex with spaces and `#` comments allowed, one field per line."""
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    return bytes.fromhex(" ".join(lines))


def packet(cluster_id: int, data: bytes) -> t.ZigbeePacket:
    return t.ZigbeePacket(
        profile_id=SMART_ENERGY_PROFILE_ID,
        cluster_id=cluster_id,
        src_ep=1,
        dst_ep=1,
        data=t.SerializableBytes(data),
    )


def check_frame(
    cls: type[Cluster],
    command: foundation.ZCLCommandDef,
    direction: foundation.Direction,
    expected: bytes,
    **fields: Any,
) -> foundation.CommandSchema:
    """Build the command, compare it with the hand-written frame, then parse that frame."""
    header = expected[:3]
    assert header[2] == command.id
    direction_bit = 0x08 if direction == S2C else 0x00
    assert header[0] & 0x08 == direction_bit, "the hand-written header has the wrong direction"

    built = command.schema(**fields)
    assert built.serialize() == expected[3:]
    zigpy_header = foundation.ZCLHeader.cluster(
        tsn=header[1], command_id=command.id, direction=direction
    )
    if header[0] == zigpy_header.frame_control:  # zigpy's default frame control for that way
        assert zigpy_header.serialize() + built.serialize() == expected

    cluster = Cluster.from_id(MagicMock(), cls.cluster_id)
    parsed_header, parsed = cluster.deserialize(expected)
    assert parsed_header.command_id == command.id
    assert parsed_header.direction == direction
    assert type(parsed) is command.schema
    assert parsed == built
    validate_frame(packet(cls.cluster_id, expected))
    return parsed
