"""The virtual NCP's own ASH layer against the frames printed in Silicon Labs UG101.

Source: UG101 "UART-EZSP Gateway Protocol Reference", Frame Formats
(docs.silabs.com/zigbee/latest/uart-gateway-protocol-reference/03-frame-formats).
"""

from __future__ import annotations

import asyncio

import pytest

from device_backend.virtual_ncp import ash


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


# UG101's examples, verbatim.
RST = h("C0 38 BC 7E")
RSTACK_POWER_ON = h("C1 02 02 9B 7B 7E")
ERROR_V1 = h("C2 01 52 FA BD 7E")
VERSION_COMMAND = h("00 00 00 02")
VERSION_RESPONSE = h("00 80 00 02 02 11 30")
DATA_2_5_PLAIN = h("25 00 00 00 02 1A AD 7E")
DATA_5_3_PLAIN = h("53 00 80 00 02 02 11 30 63 16 7E")
DATA_2_5 = h("25 42 21 A8 56 A6 09 7E")
DATA_5_3 = h("53 42 A1 A8 56 28 04 82 96 23 7E")


def test_crc_and_control_bytes_match_ug101_rst_rstack_error() -> None:
    assert ash.encode(ash.RST) == RST
    assert ash.rstack_frame(ash.RESET_POWER_ON) == RSTACK_POWER_ON
    # UG101's ERROR example (version 1, code 0x52) prints the CRC FA BD, which no CRC-CCITT
    # gives for C2 01 52: Python's binascii.crc_hqx agrees with ours (CD 8D). An erratum in the
    # guide; the control byte and layout are still checked.
    import binascii

    ours = ash.encode(ash.ERROR, h("01 52"))
    assert ours[:3] == ERROR_V1[:3]
    assert ours[-1:] == ERROR_V1[-1:]
    assert ours[3:5] == binascii.crc_hqx(h("C2 01 52"), 0xFFFF).to_bytes(2, "big") == h("CD 8D")


def test_data_frames_match_ug101_with_and_without_randomisation() -> None:
    # The guide prints its un-randomised examples before byte stuffing (the CRC of the first
    # contains 0x1A, which goes on the wire as 7D 3A).
    def unstuffed(frame: bytes) -> bytes:
        return ash.unstuff(frame[:-1]) + frame[-1:]

    assert unstuffed(ash.encode(0x25, VERSION_COMMAND)) == DATA_2_5_PLAIN
    assert ash.encode(0x25, VERSION_COMMAND) == h("25 00 00 00 02 7D 3A AD 7E")
    assert unstuffed(ash.encode(0x53, VERSION_RESPONSE)) == DATA_5_3_PLAIN
    assert ash.data_frame(2, 5, VERSION_COMMAND) == DATA_2_5
    # The randomised response: control and data agree with the guide byte for byte, but its
    # printed CRC (96 23) is not the CRC-CCITT of those bytes; binascii.crc_hqx gives 03 2A,
    # as we do. Another erratum in the guide (its un-randomised twin above is consistent).
    import binascii

    ours = ash.data_frame(5, 3, VERSION_RESPONSE)
    assert ours[:8] == DATA_5_3[:8]
    assert ours[8:10] == binascii.crc_hqx(DATA_5_3[:8], 0xFFFF).to_bytes(2, "big") == h("03 2A")


def test_pseudo_random_sequence_starts_as_ug101_says() -> None:
    # UG101: the sequence begins 0x42, 0x21, 0xA8, 0x54, 0x2A (seed 0x42, XOR 0xB8 on a 1).
    assert ash.PSEUDO_RANDOM[:5] == h("42 21 A8 54 2A")


def test_deframer_reads_ug101_frames_back() -> None:
    frames = ash.Deframer().feed(RST + RSTACK_POWER_ON + DATA_2_5)
    assert [f.kind if f else None for f in frames] == ["rst", "rstack", "data"]
    data = frames[2]
    assert data is not None
    assert (data.frm_num, data.ack_num, data.re_tx) == (2, 5, False)
    assert data.data == VERSION_COMMAND


def test_reserved_bytes_are_stuffed_and_unstuffed() -> None:
    payload = bytes([0x7E, 0x7D, 0x11, 0x13, 0x18, 0x1A, 0x42])
    assert ash.stuff(payload) == h("7D 5E 7D 5D 7D 31 7D 33 7D 38 7D 3A 42")
    assert ash.unstuff(ash.stuff(payload)) == payload
    wire = ash.encode(0x80 | 3, payload)
    assert all(b not in ash.RESERVED - {ash.ESCAPE} for b in wire[:-1])
    frame = ash.Deframer().feed(wire)[0]
    assert frame is not None
    assert frame.data == payload


def test_bad_crc_cancel_and_substitute() -> None:
    deframer = ash.Deframer()
    damaged = bytearray(DATA_2_5)
    damaged[2] ^= 0x01
    assert deframer.feed(bytes(damaged)) == [None]
    # Cancel throws away what came before it; Substitute spoils the frame it is in.
    assert [f.kind for f in deframer.feed(h("12 34 1A") + RST) if f] == ["rst"]
    assert deframer.feed(h("C0 18 38 BC 7E") + RST)[0].kind == "rst"  # type: ignore[union-attr]


def test_ack_and_nak_frames_agree_with_bellows_decoder() -> None:
    """bellows's own parser is an independent reading of the same guide."""
    from bellows import ash as host

    ack = host.parse_frame(ash.unstuff(ash.ack_frame(5)[:-1]))
    nak = host.parse_frame(ash.unstuff(ash.nak_frame(2)[:-1]))
    assert isinstance(ack, host.AckFrame)
    assert ack.ack_num == 5
    assert isinstance(nak, host.NakFrame)
    assert nak.ack_num == 2
    data = host.parse_frame(ash.unstuff(ash.data_frame(3, 6, b"\x7e\x11abc")[:-1]))
    assert isinstance(data, host.DataFrame)
    assert (data.frm_num, data.ack_num, data.ezsp_frame) == (3, 6, b"\x7e\x11abc")


class _Wire:
    def __init__(self) -> None:
        self.out = bytearray()
        self.received: list[bytes] = []
        self.resets = 0

    def link(self, **faults: object) -> ash.NcpLink:
        return ash.NcpLink(
            self.out.extend,
            self.received.append,
            self._reset,
            faults=ash.LinkFaults(**faults),  # type: ignore[arg-type]
        )

    def _reset(self) -> None:
        self.resets += 1

    def frames(self) -> list[ash.Frame | None]:
        frames = ash.Deframer().feed(bytes(self.out))
        self.out.clear()
        return frames


def _run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_link_rst_then_data_ack_and_response() -> None:
    async def scenario() -> None:
        wire = _Wire()
        link = wire.link()
        link.feed(ash.data_frame(0, 0, b"ignored before reset"))
        assert wire.frames() == []
        assert wire.received == []
        link.feed(RST)
        assert wire.resets == 1
        (rstack,) = wire.frames()
        assert rstack is not None
        assert rstack.kind == "rstack"
        assert rstack.data == bytes((2, ash.RESET_SOFTWARE))
        link.feed(ash.data_frame(0, 0, VERSION_COMMAND))
        assert wire.received == [VERSION_COMMAND]
        (ack,) = wire.frames()
        assert ack is not None
        assert ack.kind == "ack"
        assert ack.ack_num == 1
        link.send(VERSION_RESPONSE)
        (data,) = wire.frames()
        assert data is not None
        assert (data.kind, data.frm_num, data.ack_num) == ("data", 0, 1)
        assert data.data == VERSION_RESPONSE
        link.feed(ash.ack_frame(1))  # the host has it: nothing is resent
        link.send(b"second")
        (second,) = wire.frames()
        assert second is not None
        assert second.frm_num == 1
        assert not second.re_tx
        link.close()

    _run(scenario())


def test_link_naks_bad_and_out_of_sequence_frames_once_and_acks_retransmissions() -> None:
    async def scenario() -> None:
        wire = _Wire()
        link = wire.link()
        link.feed(RST)
        wire.frames()
        damaged = bytearray(ash.data_frame(0, 0, b"abc"))
        damaged[1] ^= 0x04
        link.feed(bytes(damaged))
        link.feed(ash.data_frame(1, 0, b"out of order"))
        naks = wire.frames()
        assert [(f.kind, f.ack_num) for f in naks if f] == [("nak", 0)]  # reject condition
        link.feed(ash.data_frame(0, 0, b"abc", re_tx=True))
        link.feed(ash.data_frame(0, 0, b"abc", re_tx=True))  # a duplicate: ACKed, not delivered
        assert wire.received == [b"abc"]
        assert [(f.kind, f.ack_num) for f in wire.frames() if f] == [("ack", 1), ("ack", 1)]
        link.close()

    _run(scenario())


def test_link_retransmits_on_nak_with_the_retransmit_flag() -> None:
    async def scenario() -> None:
        wire = _Wire()
        link = wire.link()
        link.feed(RST)
        wire.frames()
        link.send(b"response")
        first = wire.frames()[0]
        link.feed(ash.nak_frame(0))
        (again,) = wire.frames()
        assert first is not None
        assert again is not None
        assert (again.frm_num, again.re_tx, again.data) == (0, True, b"response")
        assert link.stats.retransmissions == 1
        link.close()

    _run(scenario())


def test_link_retransmits_when_the_ack_timer_runs_out() -> None:
    async def scenario() -> None:
        wire = _Wire()
        link = wire.link()
        link.feed(RST)
        wire.frames()
        link.send(b"callback")
        wire.frames()
        await asyncio.sleep(ash.T_RX_ACK_INIT + 0.1)
        (again,) = wire.frames()
        assert again is not None
        assert again.re_tx
        assert again.data == b"callback"
        link.close()

    _run(scenario())


def test_link_keeps_five_frames_in_flight_and_goes_back_to_the_one_the_host_missed() -> None:
    # UG101, Configuration Parameters: "TX_K 5 - Maximum number of DATA frames the NCP can
    # transmit without having received acknowledgements".
    async def scenario() -> None:
        wire = _Wire()
        link = wire.link()
        link.feed(RST)
        wire.frames()
        for n in range(7):
            link.send(bytes((n,)))
        sent = [f for f in wire.frames() if f]
        assert [(f.frm_num, f.data) for f in sent] == [(n, bytes((n,))) for n in range(5)]
        link.feed(ash.ack_frame(2))  # frames 0 and 1 arrived: two more may go
        assert [(f.frm_num, f.re_tx) for f in wire.frames() if f] == [(5, False), (6, False)]
        link.feed(ash.nak_frame(3))  # frame 2 arrived, 3 did not: resend 3 to 6, in order
        again = [f for f in wire.frames() if f]
        assert [(f.frm_num, f.re_tx, f.data) for f in again] == [
            (n, True, bytes((n,))) for n in range(3, 7)
        ]
        link.feed(ash.ack_frame(7))
        link.send(b"next")
        (after,) = wire.frames()
        assert after is not None
        assert (after.frm_num, after.re_tx) == (7, False)
        link.close()

    _run(scenario())


@pytest.mark.reliability
def test_mute_ncp_answers_nothing_and_corruption_is_caught_by_crc() -> None:
    async def scenario() -> None:
        wire = _Wire()
        link = wire.link(mute=True)
        link.feed(RST)
        assert wire.frames() == []
        link.faults.mute = False
        link.faults.corrupt_rate = 1.0
        link.feed(RST)
        assert wire.frames() == [None]  # the RSTACK went out damaged
        assert link.stats.corrupted == 1
        link.close()

    _run(scenario())
