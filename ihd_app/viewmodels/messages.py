"""Supplier messages, newest first, and which of them the household has confirmed."""

from __future__ import annotations

from PySide6.QtCore import QObject

from device_backend.api import model
from ihd_app.session import Session
from ihd_app.viewmodels.base import Now, ViewModel


class MessagesViewModel(ViewModel):
    def __init__(self, now: Now, session: Session, parent: QObject | None = None) -> None:
        super().__init__(now, parent)
        self.session = session
        self._messages: dict[int, model.SupplierMessage] = {}
        self.confirmed: set[int] = set()
        self.confirming: set[int] = set()
        self.problems: dict[int, str] = {}

    def on_message(self, event: model.SupplierMessage) -> None:
        self._messages[event.id] = event
        if event.confirmed:
            self.confirmed.add(event.id)
        self.changed.emit()

    def messages(self) -> list[model.SupplierMessage]:
        """Messages in force, most important then newest first: one whose duration has run out
        (or that was cancelled) is no longer shown, nor one whose start time is still to come."""
        now = self.now()
        current = [
            m
            for m in self._messages.values()
            if (m.ends is None or m.ends > now) and (m.starts is None or m.starts <= now)
        ]
        urgent = {"high", "critical"}
        return sorted(
            current,
            key=lambda m: (m.importance in urgent, m.starts or m.time, m.id),
            reverse=True,
        )

    def needs_confirmation(self, message: model.SupplierMessage) -> bool:
        return message.confirmation_required and message.id not in self.confirmed

    def unconfirmed_count(self) -> int:
        return sum(1 for m in self.messages() if self.needs_confirmation(m))

    def confirm(self, message_id: int) -> None:
        if message_id in self.confirming or message_id in self.confirmed:
            return

        def done(_: None) -> None:
            self.confirming.discard(message_id)
            self.confirmed.add(message_id)
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self.confirming.discard(message_id)
            self.problems[message_id] = self.tr("Could not reach the meter. Please try again.")
            self.changed.emit()

        self.problems.pop(message_id, None)
        if self.session.submit(lambda backend: backend.confirm_message(message_id), done, failed):
            self.confirming.add(message_id)
        else:
            self.problems[message_id] = self.tr("Not connected to the meter yet.")
        self.changed.emit()
