"""The top-up code being typed, checked before it can be sent, and the pause after refused codes."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QCoreApplication

from device_backend.api import UTRN_LENGTH, UtrnError, UtrnReason, group_utrn, validate_utrn


class UtrnEntry:
    def __init__(self) -> None:
        self.digits = ""

    def press(self, digit: str) -> bool:
        if len(digit) != 1 or not "0" <= digit <= "9" or len(self.digits) >= UTRN_LENGTH:
            return False
        self.digits += digit
        return True

    def delete(self) -> None:
        self.digits = self.digits[:-1]

    def clear(self) -> None:
        self.digits = ""

    @property
    def complete(self) -> bool:
        return len(self.digits) == UTRN_LENGTH

    def grouped(self) -> str:
        """Typed digits in fours, the rest as dashes, so the length needed is always visible."""
        padded = self.digits + "–" * (UTRN_LENGTH - len(self.digits))
        return (
            group_utrn(self.digits)
            if self.complete
            else " ".join(padded[i : i + 4] for i in range(0, UTRN_LENGTH, 4))
        )

    def problem(self) -> str | None:
        """Why this code cannot be sent (length or check digit), in household words; else None."""
        try:
            validate_utrn(self.digits)
        except UtrnError as error:
            return _in_words(error, len(self.digits))
        return None

    def problem_kind(self) -> str:
        """The reason as a fixed word for logs ("length", "check_digit", ...), or "ok"."""
        try:
            validate_utrn(self.digits)
        except UtrnError as error:
            return str(error.reason.value)
        return "ok"


def _in_words(error: UtrnError, entered: int) -> str:
    """The back end's reason, in the display's language (its own text is English only)."""
    if error.reason is UtrnReason.LENGTH:
        return QCoreApplication.translate(
            "UtrnEntry", "A top-up code has {need} digits; you entered {n}."
        ).format(need=UTRN_LENGTH, n=entered)
    if error.reason is UtrnReason.CHECK_DIGIT:
        return QCoreApplication.translate(
            "UtrnEntry", "That code is not valid: please check the digits."
        )
    if error.reason is UtrnReason.NOT_DIGITS:
        return QCoreApplication.translate(
            "UtrnEntry",
            "A top-up code is only the digits 0 to 9: please check for letters or symbols.",
        )
    return QCoreApplication.translate(
        "UtrnEntry", "That is not a top-up code: please check the digits."
    )


# -- pausing entry after refused codes ------------------------------------------------------
#
# What counts as a refusal: a code the meter answered INVALID (its MAC or counter is wrong:
# the answer a guesser is fishing for) or DUPLICATE (an old code replayed: a probe of the
# meter's anti-replay counter, and never a code that would have added credit). A wrong check
# digit caught here does not count: the check digit is public (Verhoeff, GBCS 14.8), so it
# tells a guesser nothing and the meter never sees the code, while it is exactly the typo an
# honest person makes, perhaps with the supply off. Answers that judge nothing about the code
# (not connected, no answer, maximum credit, value too large, the meter's own keypad lock)
# do not count either.

REFUSALS_BEFORE_PAUSE = 5
REFUSAL_WINDOW = timedelta(hours=1)  # refusals older than this are forgotten
PAUSES = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
FORGET_PAUSES_AFTER = timedelta(hours=24)  # a day with no pause starts the lengths again
WARN_WHEN_LEFT = 2  # say how many tries are left once this few remain


@dataclass(frozen=True, slots=True)
class GuardState:
    """When codes were refused and how long entry is paused; never the codes themselves."""

    refused_at: tuple[datetime, ...] = ()
    paused_until: datetime | None = None
    pauses: int = 0  # pauses since the last accepted top-up: the next one is longer

    def dump(self) -> tuple[tuple[str, ...], str, int]:
        """As the settings file keeps it: ISO times in UTC."""
        until = self.paused_until.astimezone(UTC).isoformat() if self.paused_until else ""
        return tuple(t.astimezone(UTC).isoformat() for t in self.refused_at), until, self.pauses

    @classmethod
    def load(cls, refused_at: Iterable[object], paused_until: object, pauses: object) -> GuardState:
        """From the settings file; a damaged entry is dropped rather than trusted or fatal."""
        times = tuple(t for t in (_moment(v) for v in refused_at) if t is not None)
        count = pauses if isinstance(pauses, int) and not isinstance(pauses, bool) else 0
        return cls(times, _moment(paused_until), max(0, count))


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class GuardStore(Protocol):
    def load_topup_guard(self) -> GuardState: ...
    def save_topup_guard(self, state: GuardState) -> None: ...


class TopUpGuard:
    """Counts refused codes and pauses entry for 1, then 5, then 15 minutes; kept in `store`."""

    def __init__(self, store: GuardStore | None = None) -> None:
        self.store = store
        self.state = store.load_topup_guard() if store is not None else GuardState()

    def _set(self, state: GuardState) -> None:
        if state != self.state:
            self.state = state
            if self.store is not None:
                self.store.save_topup_guard(state)

    def _tidy(self, now: datetime) -> GuardState:
        """Forget what is too old; never trust a time in the future further than it could be.

        A clock set back (a real display's clock corrected at boot, or another simulated
        home) must not leave entry paused for longer than the longest pause.
        """
        s = self.state
        refused = tuple(min(t, now) for t in s.refused_at if now - t < REFUSAL_WINDOW)
        until, pauses = s.paused_until, s.pauses
        if until is not None and until - now > PAUSES[-1]:
            until = now + PAUSES[-1]
        if until is not None and now - until >= FORGET_PAUSES_AFTER:
            until, pauses = None, 0
        self._set(GuardState(refused, until, pauses))
        return self.state

    def paused_until(self, now: datetime) -> datetime | None:
        """When entry opens again, while it is paused; else None."""
        until = self._tidy(now).paused_until
        return until if until is not None and now < until else None

    def refusals_left(self, now: datetime) -> int:
        return max(0, REFUSALS_BEFORE_PAUSE - len(self._tidy(now).refused_at))

    def refused(self, now: datetime) -> timedelta | None:
        """Count a refused code; the length of the pause it starts, if it starts one."""
        s = self._tidy(now)
        refused = (*s.refused_at, now)
        if len(refused) < REFUSALS_BEFORE_PAUSE:
            self._set(GuardState(refused, s.paused_until, s.pauses))
            return None
        length = PAUSES[min(s.pauses, len(PAUSES) - 1)]
        # The count starts again: the next pause needs as many refusals again, and is longer.
        self._set(GuardState((), now + length, s.pauses + 1))
        return length

    def accepted(self) -> None:
        """A code the meter took: whoever is typing has real codes, so start afresh."""
        self._set(GuardState())


def countdown(left: timedelta) -> str:
    """ "4:59": minutes and seconds to go, rounded up so it never shows 0:00 while paused."""
    seconds = max(0, math.ceil(left.total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"
