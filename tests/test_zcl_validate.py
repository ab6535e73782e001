"""validate_frame beyond single commands: headers, direction, global commands, the seam."""

from __future__ import annotations

from typing import Any

import pytest
import zigpy.profiles.zha
import zigpy.types as t

from device_backend.zcl import MalformedFrameError, validate_frame
from device_backend.zcl.profile import SMART_ENERGY_PROFILE_ID, SmartEnergyProfileMixin


def packet(
    cluster_id: int, data: bytes, profile_id: int = SMART_ENERGY_PROFILE_ID
) -> t.ZigbeePacket:
    return t.ZigbeePacket(
        profile_id=profile_id,
        cluster_id=cluster_id,
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x1234),
        src_ep=1,
        dst_ep=1,
        data=t.SerializableBytes(data),
    )


def test_malformed_frame_error_is_a_value_error() -> None:
    # The profile seam catches ValueError; nothing else needs to know our type.
    assert issubclass(MalformedFrameError, ValueError)


def test_clusters_outside_smart_energy_are_not_inspected() -> None:
    validate_frame(packet(0x0006, b""))
    validate_frame(packet(0x0706, b"\x19"))
    validate_frame(packet(0x0800, b"\x01\x00"))


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty ZCL frame"),
        (b"\x19", "ZCL header truncated \\(1 of 3"),
        (b"\x19\x01", "ZCL header truncated \\(2 of 3"),
        # manufacturer-specific: the header is 5 octets
        (b"\x1d\x34\x12\x01", "ZCL header truncated \\(4 of 5"),
    ],
)
def test_short_headers(data: bytes, problem: str) -> None:
    with pytest.raises(MalformedFrameError, match=rf"Price \(0x0700\): {problem}"):
        validate_frame(packet(0x0700, data))


def test_reserved_frame_type() -> None:
    with pytest.raises(MalformedFrameError, match="reserved ZCL frame type 2"):
        validate_frame(packet(0x0703, b"\x02\x01\x00"))


def test_direction_picks_the_command() -> None:
    # 0x00 is GetCurrentPrice client to server (one octet) and PublishPrice server to
    # client (at least 32 octets): the same payload is fine one way and truncated the other.
    get_current_price = b"\x01\x05\x00" + b"\x01"
    validate_frame(packet(0x0700, get_current_price))
    as_publish_price = b"\x19\x05\x00" + b"\x01"
    with pytest.raises(MalformedFrameError, match=r"publish_price \(0x00, server to client\)"):
        validate_frame(packet(0x0700, as_publish_price))
    with pytest.raises(MalformedFrameError, match=r"get_current_price \(0x00, client to server\)"):
        validate_frame(packet(0x0700, get_current_price + b"\x00"))


def test_unknown_and_manufacturer_commands_are_left_to_zigpy() -> None:
    validate_frame(packet(0x0705, b"\x01\x01\x01\xaa"))  # 0x01 is reserved in Prepayment
    validate_frame(packet(0x0703, b"\x19\x01\x7f"))  # no such Messaging command
    # Manufacturer-specific cluster command (code 0x1234) with an id that is ours otherwise.
    validate_frame(packet(0x0700, b"\x1d\x34\x12\x01\x00"))
    validate_frame(packet(0x0704, b"\x01\x01\x00\x01\x02"))  # Tunneling: no schemas of ours


def test_messages_never_echo_the_payload() -> None:
    utrn = b"73942983744751930738"
    top_up = b"\x01\x01\x04" + b"\x02" + b"\x14" + utrn
    with pytest.raises(MalformedFrameError) as excinfo:
        validate_frame(packet(0x0705, top_up[:-1]))
    message = str(excinfo.value)
    assert "consumer_top_up" in message
    assert "Prepayment (0x0705)" in message
    assert utrn[:8].decode() not in message
    assert utrn[:8].hex() not in message


# ---------------------------------------------------------------------------------------
# Global (foundation) commands: decoded with zigpy's schemas, truncation refused
# ---------------------------------------------------------------------------------------


def test_global_read_attributes() -> None:
    validate_frame(packet(0x0705, b"\x00\x01\x00" + b"\x01\x00\x03\x00"))  # ids 0x0001, 0x0003
    with pytest.raises(MalformedFrameError, match=r"Read_Attributes \(global 0x00\)"):
        validate_frame(packet(0x0705, b"\x00\x01\x00" + b"\x01\x00\x03"))  # half an id


def test_global_report_attributes() -> None:
    # CreditRemaining 0x0001, int32 (0x2B), -250
    report = b"\x18\x02\x0a" + b"\x01\x00" + b"\x2b" + b"\x06\xff\xff\xff"
    validate_frame(packet(0x0705, report))
    with pytest.raises(MalformedFrameError, match="Report_Attributes"):
        validate_frame(packet(0x0705, report[:-1]))
    with pytest.raises(MalformedFrameError, match="Report_Attributes"):
        validate_frame(packet(0x0705, b"\x18\x02\x0a" + b"\x01\x00" + b"\x5a\x00"))  # no type 0x5A


def test_global_read_attributes_response() -> None:
    # InstantaneousDemand 0x0400: success, int24 (0x2A), 1500 = 0x0005DC
    response = b"\x18\x03\x01" + b"\x00\x04" + b"\x00" + b"\x2a" + b"\xdc\x05\x00"
    validate_frame(packet(0x0702, response))
    with pytest.raises(MalformedFrameError, match="Read_Attributes_rsp"):
        validate_frame(packet(0x0702, response[:-2]))


def test_global_commands_may_carry_extra_octets() -> None:
    # Default_Response: command 0x04, status SUCCESS, then an octet a later ZCL might define.
    validate_frame(packet(0x0705, b"\x18\x04\x0b" + b"\x04\x00" + b"\x00"))
    with pytest.raises(MalformedFrameError, match="Default_Response"):
        validate_frame(packet(0x0705, b"\x18\x04\x0b" + b"\x04"))


# ---------------------------------------------------------------------------------------
# At the profile seam
# ---------------------------------------------------------------------------------------


class _Radio:
    """Stands in for a zigpy ControllerApplication: records what reaches zigpy."""

    def __init__(self) -> None:
        self.delivered: list[t.ZigbeePacket] = []

    def packet_received(self, packet: t.ZigbeePacket) -> None:
        self.delivered.append(packet)

    def get_device(self, *, nwk: int) -> object:
        raise KeyError(nwk)  # as zigpy's, for a sender it has never met


class _GuardedRadio(SmartEnergyProfileMixin, _Radio):
    # A plain function stored on a class would be bound as a method and handed `self`.
    frame_validator = staticmethod(validate_frame)


def test_the_seam_drops_malformed_frames_and_passes_good_ones() -> None:
    radio: Any = _GuardedRadio()
    good = packet(0x0700, b"\x01\x05\x00\x01")
    radio.packet_received(packet(0x0700, b"\x19\x05\x00\x01"))  # truncated PublishPrice
    radio.packet_received(good)
    assert radio.rejected_total == 1
    assert "publish_price" in radio.last_rejection
    assert len(radio.delivered) == 1
    assert radio.delivered[0].profile_id == zigpy.profiles.zha.PROFILE_ID
    assert radio.delivered[0].data == good.data
