"""Write HAN frames to a pcap Wireshark decodes: 802.15.4 (no FCS) + ZigBee NWK + APS + ZCL.

The NWK and APS layers are written without security, so the capture shows the ZCL a meter
really sent; the radio's own encryption is not part of what the simulator (or zigpy) hands us.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

LINKTYPE_IEEE802_15_4_NOFCS = 230
_GLOBAL_HEADER = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_IEEE802_15_4_NOFCS)
BROADCAST_NWK = 0xFFFC


@dataclass(frozen=True, slots=True)
class Frame:
    time: datetime
    src_nwk: int
    dst_nwk: int
    profile: int
    cluster: int
    src_ep: int
    dst_ep: int
    payload: bytes


def mac_header(seq: int, pan_id: int, dst: int, src: int) -> bytes:
    # Data frame, PAN ID compression, 16-bit destination and source addresses, 2003 version.
    frame_control = 0x0001 | 0x0040 | (0x2 << 10) | (0x2 << 14)
    if dst < 0xFFF8:
        frame_control |= 0x0020  # unicast: ask for an acknowledgement as a real node does
    return struct.pack("<HBHHH", frame_control, seq & 0xFF, pan_id, dst & 0xFFFF, src & 0xFFFF)


def nwk_header(seq: int, dst: int, src: int, radius: int = 30) -> bytes:
    # Data frame, protocol version 2 (ZigBee PRO), route discovery suppressed, no security.
    frame_control = 0x0000 | (2 << 2)
    return struct.pack("<HHHBB", frame_control, dst & 0xFFFF, src & 0xFFFF, radius, seq & 0xFF)


def aps_header(counter: int, dst_ep: int, cluster: int, profile: int, src_ep: int) -> bytes:
    # Data frame, unicast to an endpoint, no security, no acknowledgement request.
    return struct.pack("<BBHHBB", 0x00, dst_ep, cluster, profile, src_ep, counter & 0xFF)


class PcapWriter:
    """Frames appended as they happen; flushed each time so a crash keeps what was written."""

    def __init__(self, path: Path, pan_id: int) -> None:
        self.path = Path(path)
        self.pan_id = pan_id
        self.frames = 0
        # 0600: a capture holds the household's readings as they went over the air.
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file: BinaryIO | None = os.fdopen(descriptor, "wb")
        self._file.write(_GLOBAL_HEADER)
        self._file.flush()
        self._seq = 0

    def encode(self, frame: Frame) -> bytes:
        self._seq += 1
        return (
            mac_header(self._seq, self.pan_id, frame.dst_nwk, frame.src_nwk)
            + nwk_header(self._seq, frame.dst_nwk, frame.src_nwk)
            + aps_header(self._seq, frame.dst_ep, frame.cluster, frame.profile, frame.src_ep)
            + frame.payload
        )

    def write(self, frame: Frame) -> None:
        if self._file is None:
            raise ValueError("the capture file is closed")
        body = self.encode(frame)
        stamp = frame.time.timestamp()
        seconds = int(stamp)
        micros = round((stamp - seconds) * 1_000_000) % 1_000_000
        self._file.write(struct.pack("<IIII", seconds, micros, len(body), len(body)) + body)
        self._file.flush()
        self.frames += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
