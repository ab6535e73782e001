"""Command-line value parsers shared by ihd, ihd-installer and ihd-cli (no Qt, no zigpy)."""

from __future__ import annotations

import argparse
import re
from datetime import date


def positive_speed(text: str) -> float:
    """A simulated clock speed: a number above 0 (1 is real time)."""
    try:
        speed = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if speed <= 0:
        raise argparse.ArgumentTypeError("the speed must be above 0 (1 is real time)")
    return speed


def window_size(text: str, minimum: tuple[int, int], what: str) -> tuple[int, int]:
    """WIDTHxHEIGHT, at least `minimum`; `what` names the application in the message."""
    match = re.fullmatch(r"(\d+)[xX](\d+)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a size: use WIDTHxHEIGHT, e.g. {minimum[0]}x{minimum[1]}"
        )
    width, height = int(match.group(1)), int(match.group(2))
    if width < minimum[0] or height < minimum[1]:
        raise argparse.ArgumentTypeError(f"{what} needs at least {minimum[0]}x{minimum[1]}")
    return width, height


def calendar_date(text: str) -> date:
    """A calendar date as YYYY-MM-DD (a day in Europe/London, as the display counts days)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-10-01"
        ) from None
