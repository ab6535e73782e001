"""The engineer's session: who is signed in, the back end and installer service, and the audit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from device_backend.api import model
from device_backend.installer.api import Accounts, AuditEntry, AuditLog, Engineer, open_database


class Session(QObject):
    connection = Signal(object)  # model.Connection
    device_change = Signal(object)  # model.DeviceChange
    audited = Signal(object)  # AuditEntry
    signed_in = Signal(object)  # Engineer or None when signed out

    def __init__(self, data_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.db = open_database(data_dir)
        self.accounts = Accounts(self.db)
        self.audit = AuditLog(self.db)
        self.audit.listeners.append(self.audited.emit)
        self.engineer: Engineer | None = None
        self.backend: Any = None
        self.service: Any = None
        self._unsubscribe: Any = None

    @property
    def who(self) -> str:
        return self.engineer.username if self.engineer is not None else "(nobody signed in)"

    def record(self, action: str, detail: str = "", outcome: str = "done") -> AuditEntry:
        return self.audit.record(self.who, action, detail, outcome)

    def sign_in(self, engineer: Engineer) -> None:
        self.engineer = engineer
        self.record("signed in")
        self.signed_in.emit(engineer)

    def sign_out(self) -> None:
        if self.engineer is not None:
            self.record("signed out")
        self.engineer = None
        self.signed_in.emit(None)

    def attach(self, backend: Any, service: Any) -> None:
        self.backend, self.service = backend, service
        self._unsubscribe = backend.on_event(self._on_event)

    def _on_event(self, event: model.Event) -> None:
        if isinstance(event, model.Connection):
            self.connection.emit(event)
        elif isinstance(event, model.DeviceChange):
            self.device_change.emit(event)

    async def start(self) -> None:
        await self.backend.start()
        await self.service.start()

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.service is not None:
            await self.service.stop()
        if self.backend is not None:
            await self.backend.stop()

    def close(self) -> None:
        self.db.close()
