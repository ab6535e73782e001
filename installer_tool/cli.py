"""The `ihd-installer` command line: which HAN, where the engineer data lives, screenshots."""

from __future__ import annotations

import argparse

from device_backend.api import (
    HelpFormatter,
    add_standard_options,
    positive_speed,
    window_size,
)

DEFAULT_SCENARIO = "credit-dual-fuel"
SCREENS = ("network", "pairing", "devices", "diagnostics", "firmware", "survey")
MIN_SIZE = (1024, 600)


def parse_size(text: str) -> tuple[int, int]:
    return window_size(text, MIN_SIZE, "the toolkit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ihd-installer",
        description="The field engineer's toolkit for a GB smart-metering HAN.",
        formatter_class=HelpFormatter,
    )
    add_standard_options(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--scenario",
        metavar="NAME",
        default=None,
        help=f"simulated home for training (default {DEFAULT_SCENARIO})",
    )
    where.add_argument(
        "--target",
        metavar="sim:NAME|ezsp:PORT",
        help="connection target, e.g. sim:economy7 or ezsp:/dev/ttyUSB0",
    )
    parser.add_argument(
        "--speed", type=positive_speed, default=1.0, help="simulated clock speed (1 = real time)"
    )
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        default=None,
        help="where engineer accounts and the audit log live (default: the user data folder)",
    )
    parser.add_argument(
        "--size",
        type=parse_size,
        default=(1366, 768),
        metavar="WxH",
        help="window size (default 1366x768)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        default=None,
        help="open --screen on the simulator, save it as PNG and exit",
    )
    parser.add_argument(
        "--screen",
        choices=SCREENS,
        default="network",
        help="the screen to show first (and to save with --screenshot)",
    )
    return parser


def target_of(args: argparse.Namespace) -> str:
    if args.target is not None:  # an empty --target is refused by parse_target, not the simulator
        return str(args.target)
    return f"sim:{args.scenario or DEFAULT_SCENARIO}"
