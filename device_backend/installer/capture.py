"""Record the HAN's traffic to a pcap file while the engineer watches a live frame counter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from device_backend.installer.access import RadioAccess
from device_backend.installer.pcap import Frame, PcapWriter
from device_backend.installer.types import InstallerError

COORDINATOR_EP = 1
PREPAYMENT = 0x0705
UTRN_DIGITS = 20
MASK = b"*"
KEPT_DIGITS = 4  # as on a receipt and in the logs: enough to tell two top-ups apart


def mask_utrns(cluster: int, payload: bytes) -> bytes:
    """The frame with each UTRN's digits but the last four starred out, same length.

    A UTRN travels in the Prepayment cluster as an octet string of 20 ASCII digits (length
    octet 20): in ConsumerTopUp (GB PCS01/PECS01) and in the top_up_code attributes of the
    top-up log. Only those digits change, so Wireshark decodes every field as before.
    """
    if cluster != PREPAYMENT:
        return payload
    data = bytearray(payload)
    i = 0
    while i + UTRN_DIGITS < len(data):
        run = data[i + 1 : i + 1 + UTRN_DIGITS]
        if data[i] == UTRN_DIGITS and len(run) == UTRN_DIGITS and run.isdigit():
            data[i + 1 : i + 1 + UTRN_DIGITS - KEPT_DIGITS] = MASK * (UTRN_DIGITS - KEPT_DIGITS)
            i += UTRN_DIGITS + 1
        else:
            i += 1
    return bytes(data)


class Capture:
    """Taps the simulated radio's air; follows the radio across reconnects while recording."""

    def __init__(self, access: RadioAccess) -> None:
        self.access = access
        self.writer: PcapWriter | None = None
        self.listeners: list[Callable[[int], None]] = []
        self._tapped: Any = None
        self.keep_utrns = False
        access.on_new_app(self._on_new_app)

    @property
    def running(self) -> bool:
        return self.writer is not None

    @property
    def frames(self) -> int:
        return self.writer.frames if self.writer is not None else 0

    def available(self) -> bool:
        app = self.access.backend.app
        return app is not None and hasattr(app, "taps")

    def start(self, path: Path, *, keep_utrns: bool = False) -> None:
        """Record to `path` (0600). Top-up codes are masked unless `keep_utrns` is asked for."""
        if self.writer is not None:
            raise InstallerError("A capture is already running: stop it first.")
        app = self.access.app()
        if not hasattr(app, "taps"):
            raise InstallerError(
                "Packet capture needs the simulator's radio: a USB coordinator hands us "
                "decrypted application frames, not the air. Use a sniffer dongle for a real HAN."
            )
        path = Path(path)
        if not path.parent.is_dir():
            raise InstallerError(
                f"The folder {path.parent} does not exist: choose another place to save."
            )
        self.writer = PcapWriter(path, pan_id=int(app.state.network_info.pan_id))
        self.keep_utrns = keep_utrns
        self._tap(app)

    def _tap(self, app: Any) -> None:
        if self._tapped is app or not hasattr(app, "taps"):
            return
        self._untap()
        app.taps.append(self._on_frame)
        self._tapped = app

    def _untap(self) -> None:
        if self._tapped is not None and self._on_frame in self._tapped.taps:
            self._tapped.taps.remove(self._on_frame)
        self._tapped = None

    def _on_new_app(self, app: Any) -> None:
        if self.writer is not None:
            self._tap(app)

    def _on_frame(
        self,
        direction: str,
        src: int,
        dst: int,
        profile: int,
        cluster: int,
        src_ep: int,
        payload: bytes,
    ) -> None:
        writer = self.writer
        if writer is None:
            return
        # The tap gives the source endpoint only; ZDO goes endpoint 0 to 0, and every ZCL frame in
        # the simulated HAN is between endpoint 1 of the coordinator and endpoint 1 of a device.
        dst_ep = 0 if src_ep == 0 else COORDINATOR_EP
        writer.write(
            Frame(
                time=self.access.clock.now(),
                src_nwk=src,
                dst_nwk=dst,
                profile=profile,
                cluster=cluster,
                src_ep=src_ep,
                dst_ep=dst_ep,
                payload=bytes(payload) if self.keep_utrns else mask_utrns(cluster, payload),
            )
        )
        for listener in list(self.listeners):
            listener(writer.frames)

    def stop(self) -> tuple[Path, int]:
        writer = self.writer
        if writer is None:
            raise InstallerError("No capture is running.")
        self._untap()
        self.writer = None
        writer.close()
        return writer.path, writer.frames
