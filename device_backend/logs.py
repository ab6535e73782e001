"""Logging as shipped: our messages at INFO, the radio stack's at WARNING, secrets redacted.

zigpy prints the network key at DEBUG and a live top-up code could appear in a message;
the redacting filter replaces anything shaped like a 128-bit key or a 20-digit UTRN before
any handler sees it, whatever level someone later turns on.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path
from typing import Any

from device_backend.paths import APP_NAME, create_private

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


# Our handlers carry this name, so a second configure() in one process replaces them.
_HANDLER_NAME = "gb-smart-ihd"
LOG_BYTES = 1_000_000  # per file; with LOG_BACKUPS old ones, at most 4 MB per program
LOG_BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir() -> Path:
    """The user's log folder (platformdirs); IHD_LOG_DIR overrides it."""
    override = os.environ.get("IHD_LOG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME))


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file, the new one after a rotation too, is created 0600 in a 0700 folder."""

    def _open(self) -> Any:
        create_private(Path(self.baseFilename))
        return super()._open()


def configure(
    level: int = logging.INFO, *, program: str | None = None, console_level: int | None = None
) -> Path | None:
    """The shipped log set-up for the applications and ihd-cli.

    Standard error shows `console_level` (default `level`) and up; with `program`, a rotating
    file `<program>.log` in log_dir() keeps `level` and up. Every handler redacts. Returns
    the file, or None if there is none (a folder that cannot be written is said on stderr).
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactingFilter())
    handler.setLevel(level if console_level is None else console_level)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("zigpy", "bellows", "aiosqlite", "asyncio"):
        # Only someone asking for debug gets the radio stack's chatter (redacted all the same).
        logging.getLogger(noisy).setLevel(
            logging.DEBUG if level <= logging.DEBUG else logging.WARNING
        )
    if program is None:
        return None
    path = log_dir() / f"{program}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        to_file = _PrivateRotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger(__name__).warning("No log file: cannot write %s (%s)", path, error)
        return None
    to_file.set_name(_HANDLER_NAME)
    to_file.setFormatter(logging.Formatter(_FORMAT))
    to_file.addFilter(RedactingFilter())
    to_file.setLevel(level)
    root.addHandler(to_file)
    return path
