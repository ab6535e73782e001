"""Free text from people: no control characters stored, none written raw to a terminal.

A name holding a newline or an escape sequence could forge a line of output ("In force:
consent 99 ...") or clear a researcher's screen, so stored free text refuses them and anything
printed from a store is escaped, in case an older file already holds some.
"""

from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates reorder what a terminal shows (the "Trojan Source" trick);
# they are format characters (Cf), which otherwise include joiners some names legitimately need.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Co", "Zl", "Zp") or char in _BIDI


def control_problem(text: str, what: str) -> str | None:
    """Words for the first unsafe character in `text`, or None if there is none."""
    for position, char in enumerate(text, start=1):
        if _unsafe(char):
            return (
                f"{what} holds a control character ({escaped(char)} at position {position}): "
                "type it as plain text on one line"
            )
    return None


def escaped(text: str) -> str:
    """`text` with every unsafe character written as a visible escape such as \\n or \\x1b."""
    return "".join(
        char.encode("unicode_escape").decode("ascii") if _unsafe(char) else char for char in text
    )
