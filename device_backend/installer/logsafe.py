"""Keep keys and install codes out of every log line, whichever library writes it."""

from __future__ import annotations

import logging
from typing import Any

from device_backend.installer.audit import redact

_installed = False


def install_redaction() -> None:
    """Every log record's text is redacted as it is made: zigpy's DEBUG lines print network keys."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is the logger's problem, not ours
            return record
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, ()
        return record

    logging.setLogRecordFactory(factory)
