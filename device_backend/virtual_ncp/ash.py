"""ASH, the NCP's side: framing, byte stuffing, CRC, data randomisation, ACK/NAK, RST/RSTACK.

Written from Silicon Labs UG101 ("UART-EZSP Gateway Protocol Reference"), not from any host
implementation, so that a framing mistake on either side shows up as a failure between them.
The values the guide fixes:

- a frame is control byte, data, CRC-CCITT (polynomial 0x1021, initial 0xFFFF, big-endian,
  over control and data), then the Flag byte 0x7E;
- the reserved bytes 0x7E, 0x7D, 0x11, 0x13, 0x18, 0x1A are sent as 0x7D then the byte with
  bit 5 inverted; Cancel (0x1A) throws away a frame in progress, Substitute (0x18) marks it bad;
- DATA fields are XORed with a pseudo-random sequence from an LFSR seeded 0x42 (shift right,
  XOR 0xB8 when the bit shifted out was 1);
- control bytes: DATA 0FFFRAAA, ACK 100rNAAA, NAK 101rNAAA, RST 0xC0, RSTACK 0xC1, ERROR 0xC2;
  RSTACK and ERROR carry the ASH version (2) and a reset or error code.

The link (`NcpLink`) numbers its DATA frames modulo 8, keeps up to TX_K = 5 of them in flight
unacknowledged (UG101's configuration table: the NCP's window is 5, the host's own is separate
and bellows keeps it at 1), acknowledges the host's, NAKs a bad or out-of-sequence frame once
(the "reject condition"), goes back to the oldest unacknowledged frame and sends the window
again on a NAK or when the ACK timer runs out (t_rx_ack starts at 1.6 s, doubles on a timeout,
capped at 3.2 s), and can be told to misbehave.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

LOGGER = logging.getLogger(__name__)

FLAG = 0x7E
ESCAPE = 0x7D
XON = 0x11
XOFF = 0x13
SUBSTITUTE = 0x18
CANCEL = 0x1A
RESERVED = frozenset({FLAG, ESCAPE, XON, XOFF, SUBSTITUTE, CANCEL})
ASH_VERSION = 2

RST = 0xC0
RSTACK = 0xC1
ERROR = 0xC2

# UG101 table of reset and error codes (the ones this emulator sends).
RESET_UNKNOWN = 0x00
RESET_EXTERNAL = 0x01
RESET_POWER_ON = 0x02
RESET_WATCHDOG = 0x03
RESET_ASSERT = 0x06
RESET_BOOTLOADER = 0x09
RESET_SOFTWARE = 0x0B
ERROR_EXCEEDED_MAXIMUM_ACK_TIMEOUT_COUNT = 0x51

# UG101 timing: the NCP's ACK timer and how many times a DATA frame is sent before giving up.
T_RX_ACK_INIT = 1.6
T_RX_ACK_MIN = 0.4
T_RX_ACK_MAX = 3.2
ACK_TIMEOUTS = 4
# UG101 "TX_K 5: maximum number of DATA frames the NCP can transmit without having received
# acknowledgements". With a window of one, a callback waited for the host to ACK the frame before
# it, and a host busy for a few milliseconds (a synchronous write to its store) held every
# later report back by that long: the report-to-pixel benchmark's worst cases.
TX_WINDOW = 5
UART_BITS_PER_BYTE = 10  # 8N1: start, eight data bits, stop


def crc_ccitt(data: bytes, crc: int = 0xFFFF) -> int:
    """CRC-CCITT as UG101 specifies it (polynomial x^16 + x^12 + x^5 + 1, initial 0xFFFF)."""
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _pseudo_random_sequence(length: int) -> bytes:
    out = bytearray()
    value = 0x42
    for _ in range(length):
        out.append(value)
        value = (value >> 1) ^ 0xB8 if value & 1 else value >> 1
    return bytes(out)


PSEUDO_RANDOM = _pseudo_random_sequence(256)


def randomise(data: bytes) -> bytes:
    """XOR with the pseudo-random sequence; the same call undoes it."""
    return bytes(b ^ r for b, r in zip(data, PSEUDO_RANDOM, strict=False))


def stuff(data: bytes) -> bytes:
    out = bytearray()
    for byte in data:
        if byte in RESERVED:
            out += bytes((ESCAPE, byte ^ 0x20))
        else:
            out.append(byte)
    return bytes(out)


def unstuff(data: bytes) -> bytes:
    out = bytearray()
    escaped = False
    for byte in data:
        if escaped:
            out.append(byte ^ 0x20)
            escaped = False
        elif byte == ESCAPE:
            escaped = True
        else:
            out.append(byte)
    if escaped:
        raise ValueError("frame ends in an escape byte")
    return bytes(out)


def encode(control: int, data: bytes = b"") -> bytes:
    """One complete frame on the wire: stuffed control, data and CRC, then the Flag."""
    body = bytes((control,)) + data
    return stuff(body + crc_ccitt(body).to_bytes(2, "big")) + bytes((FLAG,))


def data_frame(frm_num: int, ack_num: int, payload: bytes, *, re_tx: bool = False) -> bytes:
    control = (frm_num & 7) << 4 | (0x08 if re_tx else 0) | (ack_num & 7)
    return encode(control, randomise(payload))


def ack_frame(ack_num: int, *, not_ready: bool = False) -> bytes:
    return encode(0x80 | (0x08 if not_ready else 0) | (ack_num & 7))


def nak_frame(ack_num: int, *, not_ready: bool = False) -> bytes:
    return encode(0xA0 | (0x08 if not_ready else 0) | (ack_num & 7))


def rstack_frame(reset_code: int) -> bytes:
    return encode(RSTACK, bytes((ASH_VERSION, reset_code)))


def error_frame(error_code: int) -> bytes:
    return encode(ERROR, bytes((ASH_VERSION, error_code)))


@dataclass(frozen=True)
class Frame:
    """A received frame whose CRC was good; `kind` is data, ack, nak, rst, rstack or error."""

    kind: str
    control: int
    data: bytes = b""

    @property
    def frm_num(self) -> int:
        return (self.control >> 4) & 7

    @property
    def ack_num(self) -> int:
        return self.control & 7

    @property
    def re_tx(self) -> bool:
        return bool(self.control & 0x08)


def classify(control: int) -> str:
    if control & 0x80 == 0:
        return "data"
    if control & 0xE0 == 0x80:
        return "ack"
    if control & 0xE0 == 0xA0:
        return "nak"
    return {RST: "rst", RSTACK: "rstack", ERROR: "error"}.get(control, "unknown")


class Deframer:
    """Bytes in, frames out. A frame whose CRC fails is reported as `None`: the link NAKs it."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._discard = False  # after a Substitute byte: drop everything up to the next Flag

    def feed(self, chunk: bytes) -> list[Frame | None]:
        frames: list[Frame | None] = []
        for byte in chunk:
            if byte in (XON, XOFF):
                continue  # software flow control is not ours to act on
            if byte == CANCEL:
                self._buffer.clear()
                self._discard = False
                continue
            if byte == SUBSTITUTE:
                self._discard = True
                continue
            if byte != FLAG:
                if not self._discard:
                    self._buffer.append(byte)
                continue
            raw, self._buffer = bytes(self._buffer), bytearray()
            if self._discard:
                self._discard = False
                continue
            if raw:
                frames.append(self._parse(raw))
        return frames

    @staticmethod
    def _parse(raw: bytes) -> Frame | None:
        try:
            body = unstuff(raw)
        except ValueError:
            return None
        if len(body) < 3 or crc_ccitt(body[:-2]) != int.from_bytes(body[-2:], "big"):
            return None
        control, data = body[0], body[1:-2]
        kind = classify(control)
        if kind == "data":
            data = randomise(data)
        return Frame(kind, control, data)


@dataclass
class LinkFaults:
    """Misbehaviour on demand; rates are probabilities per frame."""

    corrupt_rate: float = 0.0  # our outgoing frames arrive with a bad CRC (the host NAKs)
    nak_rate: float = 0.0  # good DATA frames from the host are NAKed as if damaged
    mute: bool = False  # the NCP stops answering: no ACKs, no responses, the port stays open
    baud: int | None = None  # pace our output at this line rate (e.g. 115200)


@dataclass
class LinkStats:
    data_sent: int = 0
    data_received: int = 0
    retransmissions: int = 0
    naks_sent: int = 0
    naks_received: int = 0
    corrupted: int = 0
    resets: int = 0


@dataclass
class _Pending:
    frm_num: int
    payload: bytes
    attempts: int = 0
    sent_at: float = 0.0


class NcpLink:
    """The NCP end of one ASH connection. `write` puts bytes on the serial line."""

    def __init__(
        self,
        write: Callable[[bytes], None],
        on_data: Callable[[bytes], None],
        on_reset: Callable[[], None],
        *,
        faults: LinkFaults | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._write_now = write
        self.on_data = on_data
        self.on_reset = on_reset
        self.faults = faults or LinkFaults()
        self.stats = LinkStats()
        self.rng = rng or random.Random(0)
        self._deframer = Deframer()
        self._tx_seq = 0  # frmNum of our next new DATA frame
        self._rx_seq = 0  # the host's next expected frmNum (our ackNum)
        self._rejecting = False
        self._queue: deque[bytes] = deque()  # EZSP frames waiting for the window
        self._window: deque[_Pending] = deque()
        self._t_rx_ack = T_RX_ACK_INIT
        self._ack_timer: asyncio.TimerHandle | None = None  # runs for the oldest frame in flight
        self._line_free_at = 0.0
        self.running = False  # until the host's RST (or our own power-on RSTACK)

    # -- bytes from the host -----------------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        for frame in self._deframer.feed(chunk):
            if self.faults.mute:
                continue
            if frame is None:
                self._reject()
                continue
            self._handle(frame)

    def _handle(self, frame: Frame) -> None:
        if frame.kind == "rst":
            self.reset(RESET_SOFTWARE)
            return
        if not self.running:
            return  # UG101: before RSTACK the NCP ignores everything but RST
        if frame.kind in ("data", "ack", "nak"):
            self._acknowledged(frame.ack_num)
        if frame.kind == "nak":
            self.stats.naks_received += 1
            self._retransmit_from(frame.ack_num)
        elif frame.kind == "data":
            self._data(frame)

    def _data(self, frame: Frame) -> None:
        if frame.frm_num == self._rx_seq:
            if self.faults.nak_rate and self.rng.random() < self.faults.nak_rate:
                self._reject()
                return
            self._rx_seq = (self._rx_seq + 1) & 7
            self._rejecting = False
            self.stats.data_received += 1
            self._send_raw(ack_frame(self._rx_seq))
            self.on_data(frame.data)
        elif frame.re_tx:
            self._send_raw(ack_frame(self._rx_seq))  # a copy of one we already have
        else:
            self._reject()

    def _reject(self) -> None:
        if not self.running or self._rejecting:
            return
        self._rejecting = True
        self.stats.naks_sent += 1
        self._send_raw(nak_frame(self._rx_seq))

    # -- frames to the host ------------------------------------------------------------------

    def send(self, payload: bytes) -> None:
        """Queue one EZSP frame (a response or a callback) for the host."""
        if not self.running or self.faults.mute:
            return
        self._queue.append(payload)
        self._pump()

    def _pump(self) -> None:
        while self._queue and len(self._window) < TX_WINDOW:
            pending = _Pending(self._tx_seq, self._queue.popleft())
            self._tx_seq = (self._tx_seq + 1) & 7
            self._window.append(pending)
            self._transmit(pending)
        self._arm_ack_timer()

    def _transmit(self, pending: _Pending) -> None:
        if pending.attempts:
            self.stats.retransmissions += 1
        else:
            self.stats.data_sent += 1
        pending.attempts += 1
        frame = data_frame(
            pending.frm_num, self._rx_seq, pending.payload, re_tx=pending.attempts > 1
        )
        self._send_raw(frame)
        pending.sent_at = asyncio.get_running_loop().time()

    def _arm_ack_timer(self) -> None:
        """One timer, for the oldest frame in flight, from when it was last sent."""
        if self._ack_timer is not None:
            self._ack_timer.cancel()
            self._ack_timer = None
        if self._window:
            loop = asyncio.get_running_loop()
            due = self._window[0].sent_at + self._t_rx_ack
            self._ack_timer = loop.call_at(due, self._ack_timeout)

    def _ack_timeout(self) -> None:
        self._ack_timer = None
        if not self._window or self.faults.mute:
            return
        self._t_rx_ack = min(self._t_rx_ack * 2, T_RX_ACK_MAX)
        oldest = self._window[0]
        if oldest.attempts > ACK_TIMEOUTS:
            LOGGER.debug("The host never acknowledged frame %d; dropping it", oldest.frm_num)
            self._window.popleft()
            self._pump()
            return
        # Go back N: the host threw away everything after the frame it missed.
        for pending in self._window:
            self._transmit(pending)
        self._arm_ack_timer()

    def _acknowledged(self, ack_num: int) -> None:
        """ackNum is the host's next expected frame: every frame before it has arrived."""
        while self._window:
            first = self._window[0]
            # Frames in flight are the window's oldest up to TX_WINDOW - 1 after it; ackNum
            # acknowledges `first` when it lies 1..len(window) frames ahead of it.
            ahead = (ack_num - first.frm_num) & 7
            if ahead == 0 or ahead > len(self._window):
                break
            self._window.popleft()
            if first.attempts == 1:  # an ACK of a resent frame cannot say which copy it answers
                elapsed = asyncio.get_running_loop().time() - first.sent_at
                new = self._t_rx_ack * 7 / 8 + elapsed / 2  # UG101's smoothing of the timer
                self._t_rx_ack = max(T_RX_ACK_MIN, min(new, T_RX_ACK_MAX))
        self._pump()

    def _retransmit_from(self, ack_num: int) -> None:
        # `_acknowledged` has already dropped every frame before ackNum: resend the rest.
        for pending in self._window:
            self._transmit(pending)
        self._arm_ack_timer()

    def _send_raw(self, frame: bytes) -> None:
        if self.faults.corrupt_rate and self.rng.random() < self.faults.corrupt_rate:
            self.stats.corrupted += 1
            frame = _damage(frame, self.rng)
        if not self.faults.baud:
            self._write_now(frame)
            return
        # 115,200 baud is 11,520 bytes a second: each frame leaves when the line is free.
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, self._line_free_at)
        self._line_free_at = start + len(frame) * UART_BITS_PER_BYTE / self.faults.baud
        loop.call_at(self._line_free_at, self._write_now, frame)

    # -- reset -------------------------------------------------------------------------------

    def _stop_ack_timer(self) -> None:
        if self._ack_timer is not None:
            self._ack_timer.cancel()
            self._ack_timer = None

    def reset(self, code: int) -> None:
        """The NCP (re)starts: sequence numbers from zero, nothing pending, then RSTACK."""
        self._stop_ack_timer()
        self._window.clear()
        self._queue.clear()
        self._tx_seq = self._rx_seq = 0
        self._rejecting = False
        self._t_rx_ack = T_RX_ACK_INIT
        self.stats.resets += 1
        self.running = True
        self.on_reset()
        self._send_raw(rstack_frame(code))

    def close(self) -> None:
        self._stop_ack_timer()
        self._window.clear()
        self._queue.clear()
        self.running = False


def _damage(frame: bytes, rng: random.Random) -> bytes:
    """Flip one bit of a byte before the Flag (never creating a reserved byte, which would
    change the framing rather than the CRC)."""
    if len(frame) < 2:
        return frame
    out = bytearray(frame)
    for _ in range(8):
        index = rng.randrange(len(out) - 1)
        flipped = out[index] ^ (1 << rng.randrange(8))
        if flipped not in RESERVED and out[index] not in RESERVED:
            out[index] = flipped
            return bytes(out)
    return frame
