"""The `ihd` command line: which home, how fast, screenshots, kiosk mode and usability trials."""

from __future__ import annotations

import argparse
from datetime import timedelta

from device_backend.api import (
    HelpFormatter,
    add_standard_options,
    duration,
    positive_speed,
    seed,
    window_size,
)
from ihd_app.screens import SCREENS

DEFAULT_SCENARIO = "credit-dual-fuel"


def parse_duration(text: str) -> timedelta:
    """The one duration syntax (device_backend.limits): "90s", "30m", "1.5h", "1d", "1h30m"."""
    return duration(text)


def participant(text: str) -> str:
    """A participant code, checked as the option is read: an empty one must not fall through
    to starting the display (`--trial-export ""` would otherwise open a window)."""
    from ihd_app.trial.store import TrialError, check_participant

    try:
        return check_participant(text)
    except TrialError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parse_size(text: str) -> tuple[int, int]:
    return window_size(text, (800, 480), "the display")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ihd",
        description="The in-home display for a GB smart-metered home.",
        formatter_class=HelpFormatter,
    )
    add_standard_options(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--scenario",
        metavar="NAME",
        default=None,
        help=f"simulated home to show (default {DEFAULT_SCENARIO})",
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
        "--seed", type=seed, default=None, help="random seed for the simulated home"
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help="history database (default: a temporary one for a simulated home, "
        "the user's data folder for a real meter)",
    )
    parser.add_argument(
        "--settings",
        metavar="PATH",
        default=None,
        help="display settings file (default: in the user's config folder)",
    )
    parser.add_argument(
        "--fullscreen",
        action="store_true",
        help="kiosk mode: full screen, no frame, no mouse cursor",
    )
    parser.add_argument(
        "--size",
        type=parse_size,
        default=(800, 480),
        metavar="WxH",
        help="window size (default 800x480)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        default=None,
        help="run the home for --after simulated time, save --screen as PNG, exit",
    )
    parser.add_argument(
        "--after",
        type=parse_duration,
        default=timedelta(minutes=30),
        metavar="DURATION",
        help="simulated time before the screenshot (default 30m)",
    )
    parser.add_argument(
        "--screen",
        choices=(*SCREENS, "topup"),
        default="now",
        help="the screen to show first (and to save with --screenshot); topup: the keypad",
    )
    trial = parser.add_argument_group(
        "usability trials", "a participant session, its log, export and wipe (see README.md)"
    )
    trial.add_argument(
        "--trial",
        type=participant,
        metavar="PARTICIPANT",
        help="run a trial session for this participant code (e.g. P07; no names)",
    )
    trial.add_argument(
        "--script",
        metavar="FILE|NAME",
        help="a TOML script of [[timeline]] events to play on the scenario, or a shipped "
        "script by name (evening-credit-low)",
    )
    trial.add_argument(
        "--variant",
        metavar="NAME",
        default="standard",
        help="display variant: a preset (standard, kwh-first, pounds-first, gauge, words, "
        "popup-alerts, audible-alerts) or choices like home=pounds,ambient=gauge,"
        "alerts=popup,sound=on",
    )
    trial.add_argument(
        "--language",
        choices=("en", "cy"),
        default=None,
        help="start in English (en) or Welsh (cy); the display's own setting otherwise",
    )
    actions = trial.add_mutually_exclusive_group()
    actions.add_argument(
        "--trial-export",
        type=participant,
        metavar="PARTICIPANT",
        help="write the participant's sessions, then exit",
    )
    actions.add_argument(
        "--trial-wipe",
        type=participant,
        metavar="PARTICIPANT",
        help="delete every trace of the participant from the trial log, then exit",
    )
    actions.add_argument(
        "--trial-set-pin",
        action="store_true",
        help="set the researcher PIN (read from standard input), then exit",
    )
    actions.add_argument(
        "--trial-list", action="store_true", help="list participants and their sessions, then exit"
    )
    trial.add_argument(
        "--to",
        metavar="DIR",
        default=None,
        help="where --trial-export writes (default: .), and the researcher's Export during a "
        "trial (default: trial-exports in the data folder)",
    )
    # Internal: set by the kiosk supervisor for its child, and on a restart after a crash.
    parser.add_argument("--kiosk-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--resume", action="store_true", help=argparse.SUPPRESS)
    return parser


def target_of(args: argparse.Namespace) -> str:
    if args.target is not None:  # an empty --target is refused by parse_target, not the simulator
        return str(args.target)
    return f"sim:{args.scenario or DEFAULT_SCENARIO}"
