"""`ihd-cli capture`: record a simulated HAN's traffic to a pcap file, headless.

It is the installer toolkit's Diagnostics capture (device_backend.installer.capture.Capture,
the same tap on the simulator's air and the same pcap writer) without the window, so captures
can be made in scripts and CI and opened in Wireshark.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_BAD_INPUT = 2


def add_command(command: Any, duration: Any, speed: Any) -> None:
    """The `capture` subcommand, on ihd-cli's parser (`command` adds one; the others parse)."""
    capture = command(
        "capture",
        "record a simulated home's HAN traffic to a pcap file Wireshark decodes",
        "Run a simulated home and record every frame on its HAN, as the installer toolkit's "
        "Diagnostics capture does, to a pcap file (802.15.4, ZigBee NWK and APS, Smart "
        "Energy ZCL) that Wireshark and tshark decode. The file is created 0600: it holds "
        "the household's readings.",
    )
    capture.add_argument(
        "--scenario", default="credit-dual-fuel", help="a scenario name or a TOML file"
    )
    capture.add_argument(
        "--for",
        dest="duration",
        type=duration,
        default="30m",
        metavar="DURATION",
        help="simulated time to record, e.g. 10m, 2h, 1d",
    )
    capture.add_argument(
        "--speed",
        type=speed,
        default=None,
        help="clock speed: N times real time, or max (default max)",
    )
    capture.add_argument(
        "--out", type=Path, required=True, metavar="FILE.pcap", help="the pcap file to write"
    )
    capture.add_argument(
        "--force", action="store_true", help="replace --out if it exists (never a data file)"
    )
    capture.add_argument(
        "--keep-utrns",
        action="store_true",
        help="keep top-up codes whole (default: all but their last four digits starred out)",
    )


async def run(args: argparse.Namespace, out: TextIO) -> int:
    from device_backend.facade import Backend
    from device_backend.installer.access import RadioAccess
    from device_backend.installer.capture import Capture
    from device_backend.installer.types import InstallerError
    from device_backend.outputs import output_refusal
    from device_backend.progress import Progress

    refusal = output_refusal(args.out, None, force=args.force)
    if refusal:
        print(f"ihd-cli: {refusal}", file=sys.stderr)
        return EXIT_BAD_INPUT
    backend = Backend(f"sim:{args.scenario}", speed=args.speed)
    access = RadioAccess(backend)
    capture = Capture(access)
    progress = Progress(f"Capturing {args.scenario}")
    start = backend.clock.now()
    end = start + args.duration

    def show_progress(_frames: int) -> None:
        now = backend.clock.now()
        progress.update((now - start) / args.duration, f"{capture.frames} frames")

    capture.listeners.append(show_progress)
    await backend.start()
    try:
        await backend.wait_online(timeout=30)
        try:
            # as the engineer's Start does, once the radio is up
            capture.start(args.out, keep_utrns=args.keep_utrns)
        except InstallerError as error:
            print(f"ihd-cli: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        await backend.wait_for_meters(timeout=30)
        await backend.run_until(end)
    finally:
        progress.finish()
        # Each frame is written whole and flushed, so even a capture cut short by Ctrl-C is a
        # valid pcap of what went over the air until then.
        written = capture.stop() if capture.running else None
        access.close()
        await backend.stop()
    if written is not None:
        path, frames = written
        print(
            f"Captured {frames} frames of {backend.home.scenario.name} until "
            f"{backend.clock.now():%Y-%m-%d %H:%M} UTC to {path}",
            file=out,
        )
    return 0
