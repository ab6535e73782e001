"""What every command of the toolkit does alike: --version, --log-level, and Ctrl-C.

ihd, ihd-installer and ihd-cli each call add_standard_options() on their parser and
start_logging() once their arguments are read. Ctrl-C (SIGINT) ends a command with the shell's
convention for it, 128 + 2 = 130, after the command's own clean-up has run.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

DISTRIBUTION = "gb-smart-ihd"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a command ended by Ctrl-C
LOG_LEVELS = ("debug", "info", "warning", "error")


def version() -> str:
    """The installed distribution's version (from its metadata, so it is the wheel's own)."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


class _Version(argparse.Action):
    """--version, reading the installed metadata only when asked (start-up stays quick)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"{parser.prog} {version()} ({DISTRIBUTION})")  # stdout, as argparse's own does
        parser.exit()


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each option's default, unless its help already says it or there is none to show."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or "default" in text:
            return text
        return super()._get_help_string(action)


def add_standard_options(parser: argparse.ArgumentParser) -> None:
    """--version and --log-level, the same on all three programs."""
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default=None,
        help="what is logged, to standard error and to a rotating file in the user's log "
        "folder (IHD_LOG_DIR overrides it); default: info in the file, warnings and errors "
        "on standard error",
    )


def start_logging(args: argparse.Namespace, program: str, announce: bool = True) -> Path | None:
    """The shipped log set-up for `program`, at --log-level if given.

    Returns the log file, or None when it cannot be written (said once, on stderr). With
    `announce` False the "started" line waits for announce_start(): reading the installed
    version imports importlib.metadata (about 30 ms), which the display does after its
    first screen has painted.
    """
    from device_backend import logs

    chosen = getattr(args, "log_level", None)
    level = getattr(logging, (chosen or "info").upper())
    console = getattr(logging, (chosen or "warning").upper())
    path = logs.configure(level, program=program, console_level=console)
    if announce:
        announce_start(program)
    return path


def announce_start(program: str) -> None:
    """The log's "PROGRAM VERSION started" line."""
    logging.getLogger(__name__).info("%s %s started", program, version())


def interrupted(program: str) -> int:
    """Ctrl-C: one line instead of a traceback, and the conventional exit status."""
    print(f"{program}: interrupted", file=sys.stderr)
    # The program ends now. The radio stack's tasks that were cut short (a device interview,
    # say) are torn down as the interpreter exits and would log each one's traceback: the
    # person pressed Ctrl-C and was told so, and that is all there is to say.
    logging.disable(logging.CRITICAL)
    return EXIT_INTERRUPTED
