"""The `ihd-installer` command line: which HAN, where the engineer data lives, screenshots."""

from __future__ import annotations

import argparse
import re

DEFAULT_SCENARIO = "credit-dual-fuel"
SCREENS = ("network", "pairing", "devices", "diagnostics", "firmware", "survey")
MIN_SIZE = (1024, 600)


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)[xX](\d+)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size: use WIDTHxHEIGHT, e.g. 1366x768")
    width, height = int(match.group(1)), int(match.group(2))
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        raise argparse.ArgumentTypeError(f"the toolkit needs at least {MIN_SIZE[0]}x{MIN_SIZE[1]}")
    return width, height


def positive_speed(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if speed <= 0:
        raise argparse.ArgumentTypeError("the speed must be above 0 (1 is real time)")
    return speed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ihd-installer", description="The field engineer's toolkit for a GB smart-metering HAN.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scenario", metavar="NAME", default=None,
                       help=f"simulated home for training (default {DEFAULT_SCENARIO})")
    where.add_argument("--target", metavar="sim:NAME|ezsp:PORT",
                       help="connection target, e.g. sim:economy7 or ezsp:/dev/ttyUSB0")
    parser.add_argument("--speed", type=positive_speed, default=1.0,
                        help="simulated clock speed (1 = real time)")
    parser.add_argument("--data-dir", metavar="PATH", default=None,
                        help="where engineer accounts and the audit log live (default: the user data folder)")
    parser.add_argument("--size", type=parse_size, default=(1366, 768), metavar="WxH",
                        help="window size (default 1366x768)")
    parser.add_argument("--screenshot", metavar="PATH", default=None,
                        help="open --screen on the simulator, save it as PNG and exit")
    parser.add_argument("--screen", choices=SCREENS, default="network",
                        help="the screen to show first (and to save with --screenshot)")
    return parser


def target_of(args: argparse.Namespace) -> str:
    if args.target:
        return str(args.target)
    return f"sim:{args.scenario or DEFAULT_SCENARIO}"
