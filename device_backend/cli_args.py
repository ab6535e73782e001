"""Command-line value parsers shared by ihd, ihd-installer and ihd-cli (no Qt, no zigpy).

Each wraps one of the checks in `device_backend.limits` (which the scenario loader uses too), so
a refused value is argparse's one-line usage error and exit status 2.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from device_backend import limits

T = TypeVar("T")
MAX_SIDE = 16_384  # pixels: past what any screen or Qt's offscreen buffer is for


def _argument(check: Callable[[str], T]) -> Callable[[str], T]:
    def parse(text: str) -> T:
        try:
            return check(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = check.__name__
    return parse


positive_speed: Callable[[str], float] = _argument(limits.clock_speed)
calendar_date: Callable[[str], date] = _argument(limits.calendar_date)
duration: Callable[[str], timedelta] = _argument(limits.positive_duration)
seed: Callable[[str], int] = _argument(limits.seed)


def window_size(text: str, minimum: tuple[int, int], what: str) -> tuple[int, int]:
    """WIDTHxHEIGHT, at least `minimum`; `what` names the application in the message."""
    match = re.fullmatch(r"(\d{1,5})[xX](\d{1,5})", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a size: use WIDTHxHEIGHT, e.g. {minimum[0]}x{minimum[1]}"
        )
    width, height = int(match.group(1)), int(match.group(2))
    if width < minimum[0] or height < minimum[1]:
        raise argparse.ArgumentTypeError(f"{what} needs at least {minimum[0]}x{minimum[1]}")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise argparse.ArgumentTypeError(f"a window is at most {MAX_SIDE}x{MAX_SIDE}")
    return width, height
