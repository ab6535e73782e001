"""`ihd-cli virtual-dongle`: run the virtual EZSP dongle until interrupted.

It prints the target to give the programs (`ezsp:/dev/pts/N`, or `ezsp:socket://...`), then
takes fault commands, one a line, on standard input: `pull`, `replug`, `reset [CODE]`,
`mute`, `unmute`, `wedge`, `unwedge`, `corrupt RATE`, `nak RATE`, `baud N|off`, `status`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any, TextIO

from device_backend.virtual_ncp import ash
from device_backend.virtual_ncp.ncp import DEFAULT_VERSION, SUPPORTED_VERSIONS

HELP = __doc__


def add_command(command: Any) -> None:
    """The `virtual-dongle` subcommand (`command` adds one to ihd-cli's parser)."""
    parser = command(
        "virtual-dongle",
        "emulate a Silicon Labs EZSP USB stick in front of a simulated home",
        "Emulate a Silicon Labs EZSP network co-processor speaking ASH on a pseudo-terminal "
        "(or a TCP socket) in front of a simulated home, and print the target to give ihd "
        "and ihd-installer (ezsp:PATH). Faults are typed on standard input, one a line: "
        "pull, replug, reset [CODE], mute, unmute, wedge, unwedge, corrupt RATE, nak RATE, "
        "baud N|off, status.",
    )
    parser.add_argument("--scenario", default="credit-dual-fuel", help="a scenario name or file")
    parser.add_argument(
        "--port",
        default=None,
        metavar="PTY|PATH|tcp:HOST:PORT",
        help="a new pseudo-terminal (default), a fixed path linked to it (found again after a "
        "replug), or a TCP socket such as tcp:127.0.0.1:9999",
    )
    parser.add_argument(
        "--ezsp-version",
        type=int,
        default=DEFAULT_VERSION,
        choices=SUPPORTED_VERSIONS,
        help=f"the EZSP protocol the emulated firmware speaks (default {DEFAULT_VERSION})",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="the home's clock: N times real time (default 1)"
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed for the home")
    parser.add_argument(
        "--pairing-bench",
        action="store_true",
        help="add the training bench's uncommissioned devices (install codes printed)",
    )
    parser.add_argument(
        "--baud", type=int, default=None, help="pace the NCP's output at this line rate"
    )
    parser.add_argument("--corrupt-rate", type=float, default=0.0, help="damaged frames, 0-1")
    parser.add_argument("--nak-rate", type=float, default=0.0, help="NAKed host frames, 0-1")


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        return asyncio.run(_serve(args, out))
    except KeyboardInterrupt:
        return 0


async def _serve(args: argparse.Namespace, out: TextIO) -> int:
    from device_backend.virtual_ncp.dongle import VirtualDongle

    dongle = VirtualDongle(
        args.scenario,
        port=args.port,
        ezsp_version=args.ezsp_version,
        speed=args.speed,
        seed=args.seed,
        pairing_bench=args.pairing_bench,
    )
    dongle.set_baud(args.baud)
    dongle.set_error_rates(corrupt=args.corrupt_rate, nak=args.nak_rate)
    path = await dongle.start()
    print(f"ezsp:{path}", file=out, flush=True)
    print(
        f"Virtual EZSP {args.ezsp_version} dongle for '{args.scenario}'. Run, for example:\n"
        f"  ihd --target ezsp:{path}\n"
        "Faults, one a line: pull, replug, reset, mute, unmute, wedge, unwedge, "
        "corrupt RATE, nak RATE, baud N|off, status. Ctrl-C stops.",
        file=sys.stderr,
        flush=True,
    )
    if dongle.bench is not None:
        for label in dongle.bench.labels():
            print(f"  bench: {label.name}: {label.ieee} {label.install_code}", file=sys.stderr)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    reading = _watch_stdin(loop, dongle, out, stop)
    try:
        await stop.wait()
    finally:
        if reading:
            loop.remove_reader(sys.stdin.fileno())
        await dongle.stop()
    return 0


def _watch_stdin(loop: asyncio.AbstractEventLoop, dongle: Any, out: TextIO, stop: Any) -> bool:
    try:
        fd = sys.stdin.fileno()
    except (OSError, ValueError):
        return False

    def readable() -> None:
        line = sys.stdin.readline()
        if not line:  # end of input: keep serving, stop listening
            loop.remove_reader(fd)
            return
        print(apply_command(dongle, line), file=out, flush=True)

    try:
        loop.add_reader(fd, readable)
    except (OSError, ValueError, PermissionError):
        return False
    return True


def apply_command(dongle: Any, line: str) -> str:
    """One fault command; the answer says what was done (or why not)."""
    words = line.split()
    if not words:
        return ""
    verb, rest = words[0].lower(), words[1:]
    try:
        if verb == "pull":
            dongle.pull()
            return "pulled: the port has gone"
        if verb == "replug":
            dongle.replug()
            return f"plugged back in at {dongle.path}"
        if verb == "reset":
            code = int(rest[0], 0) if rest else ash.RESET_WATCHDOG
            dongle.reset_mid_session(code)
            return f"reset, RSTACK sent with reset code 0x{code:02X}"
        if verb in ("mute", "unmute"):
            dongle.set_mute(verb == "mute")
            return f"{verb}d"
        if verb in ("wedge", "unwedge"):
            dongle.set_wedged(verb == "wedge")
            return f"{verb}d"
        if verb in ("corrupt", "nak"):
            rate = float(rest[0])
            if not 0 <= rate <= 1:
                raise ValueError("a rate is between 0 and 1")
            faults = dongle.link.faults
            dongle.set_error_rates(
                corrupt=rate if verb == "corrupt" else faults.corrupt_rate,
                nak=rate if verb == "nak" else faults.nak_rate,
            )
            return f"{verb} rate {rate}"
        if verb == "baud":
            baud = None if rest[0] == "off" else int(rest[0])
            dongle.set_baud(baud)
            return f"baud {baud or 'unpaced'}"
        if verb == "status":
            stats = dongle.link.stats
            return (
                f"present={dongle.present} network_up={dongle.ncp.network_up} "
                f"sent={stats.data_sent} received={stats.data_received} "
                f"retransmitted={stats.retransmissions} naks_sent={stats.naks_sent} "
                f"naks_received={stats.naks_received} corrupted={stats.corrupted} "
                f"resets={stats.resets}"
            )
    except (IndexError, ValueError) as exc:
        return f"'{line.strip()}': {exc or 'a value is missing'}"
    return f"'{verb}' is not a fault I know: pull, replug, reset, mute, wedge, corrupt, nak, baud"
