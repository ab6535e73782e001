"""Logging as shipped: our messages at INFO, the radio stack's at WARNING, secrets redacted.

zigpy prints the network key at DEBUG and a live top-up code could appear in a message;
the redacting filter replaces anything shaped like a 128-bit key or a 20-digit UTRN before
any handler sees it, whatever level someone later turns on.
"""

from __future__ import annotations

import logging
import re

_KEY_COLON = re.compile(r"\b(?:[0-9A-Fa-f]{2}:){15}[0-9A-Fa-f]{2}\b")
_KEY_HEX = re.compile(r"\b[0-9A-Fa-f]{32}\b")
_UTRN = re.compile(r"\b(?:\d[ -]?){19}\d\b")
_INSTALL_CODE = re.compile(r"\b(?:[0-9A-Fa-f]{4}[ -]?){3,8}[0-9A-Fa-f]{4}\b")


def redact(text: str) -> str:
    text = _KEY_COLON.sub("<key redacted>", text)
    text = _KEY_HEX.sub("<key redacted>", text)
    text = _UTRN.sub("<top-up code redacted>", text)
    return _INSTALL_CODE.sub("<code redacted>", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        # A traceback's last line repeats the exception's text, which may hold a key or code:
        # format it now (handlers reuse exc_text) and redact it like the message.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure(level: int = logging.INFO) -> None:
    """The shipped log set-up for the applications and ihd-cli."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("zigpy", "bellows", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
