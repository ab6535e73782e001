"""What the store may keep of a secret: a UTRN's last four digits, and no long codes in notes."""

from __future__ import annotations

import re

from device_backend.text import escaped
from device_backend.utrn import mask_utrn

# A 20-digit UTRN (however spaced), or a key / install code of 10+ bytes in hex. An 8-byte
# run is left alone: that is an IEEE address, which an installer's log needs to show.
_LONG_CODE = re.compile(r"\b(?:(?:\d[\s-]?){19}\d|(?:[0-9A-Fa-f]{2}[\s:-]?){9,}[0-9A-Fa-f]{2})\b")


def masked_utrn(text: str) -> str:
    """Masked with utrn.mask_utrn, then any digit left beyond the last four is starred as well."""
    masked = mask_utrn(text)
    digits = sum(ch.isdigit() for ch in masked)
    out = []
    for ch in masked:
        if ch.isdigit() and digits > 4:
            digits -= 1
            ch = "*"
        out.append(ch)
    return "".join(out)


def scrub(text: str) -> str:
    """Star anything in a free-text note that looks like a UTRN, key or install code.

    Control characters are written as visible escapes (\\n, \\x1b): a note stored here is
    later printed to a terminal or a log, where a raw one could forge a line or clear a screen.
    """
    return escaped(_LONG_CODE.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text))
