"""The top-up code being typed: digits in, groups of four out, checked before it can be sent."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from device_backend.utrn import UTRN_LENGTH, UtrnError, UtrnReason, group_utrn, validate_utrn


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
