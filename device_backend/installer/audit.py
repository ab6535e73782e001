"""The audit log: who did what and how it ended, with every key and install code starred out."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from device_backend.store.files import create_private_file
from device_backend.store.privacy import scrub

# Hex runs of 12 bytes or more are keys or install codes whatever their spacing; EUI-64s
# (8 bytes) stay readable because an engineer's log needs them.
_LONG_HEX = re.compile(r"\b(?:[0-9A-Fa-f]{2}[\s:\-]?){11,}[0-9A-Fa-f]{2}\b")


def redact(text: str) -> str:
    return scrub(_LONG_HEX.sub("[redacted]", text))


@dataclass(frozen=True, slots=True)
class AuditEntry:
    time: str
    engineer: str
    action: str
    detail: str
    outcome: str


class AuditLog:
    def __init__(
        self, db: sqlite_utils.Database, now: Callable[[], datetime] | None = None
    ) -> None:
        self._db = db
        self._now = now or (lambda: datetime.now(UTC))
        self.listeners: list[Callable[[AuditEntry], None]] = []

    def record(
        self, engineer: str, action: str, detail: str = "", outcome: str = "done"
    ) -> AuditEntry:
        entry = AuditEntry(
            time=self._now().isoformat(timespec="seconds"),
            engineer=engineer,
            action=redact(action),
            detail=redact(detail),
            outcome=redact(outcome),
        )
        self._db.table("audit").insert(
            {
                "time": entry.time,
                "engineer": entry.engineer,
                "action": entry.action,
                "detail": entry.detail,
                "outcome": entry.outcome,
            }
        )
        for listener in list(self.listeners):
            listener(entry)
        return entry

    def entries(self, limit: int = 500) -> list[AuditEntry]:
        rows = self._db.table("audit").rows_where(order_by="id desc", limit=limit)
        return [
            AuditEntry(
                time=r["time"],
                engineer=r["engineer"],
                action=r["action"],
                detail=r["detail"],
                outcome=r["outcome"],
            )
            for r in rows
        ]

    def export(self, path: Path) -> Path:
        """JSON lines, oldest first; the file is private to its owner like the database."""
        create_private_file(path)
        with path.open("w", encoding="utf-8") as out:
            for entry in reversed(self.entries(limit=1_000_000)):
                out.write(json.dumps(dataclasses.asdict(entry)) + "\n")
        return path
