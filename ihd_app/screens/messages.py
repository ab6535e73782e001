"""Messages: what the supplier sent, newest first, with Confirm where they ask for it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ihd_app import formatting
from ihd_app.viewmodels.messages import MessagesViewModel
from ihd_app.widgets.common import button, card, label, scrolling
from ihd_app.widgets.flow import FlowLayout


class MessagesScreen(QWidget):
    def __init__(self, vm: MessagesViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("screen-messages")
        self.content = QWidget()
        self.list = QVBoxLayout(self.content)
        self.list.setContentsMargins(10, 8, 10, 8)
        self.list.setSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(self.content, is_list=True))
        self._shown: tuple[object, ...] | None = None
        vm.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        vm = self.vm
        messages = vm.messages()
        state = tuple(
            (m.id, m.text, m.id in vm.confirmed, m.id in vm.confirming, vm.problems.get(m.id))
            for m in messages
        )
        if state == self._shown:
            return  # rebuilding on every clock tick would reset a finger's scroll position
        self._shown = state
        while self.list.count():
            item = self.list.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Hide at once: deleteLater only acts when control returns to the event loop.
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        if not messages:
            empty = label(
                self.tr("No messages from your supplier."), "placeholder", name="messages-empty"
            )
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.list.addWidget(empty)
            self.list.addStretch(1)
            return
        now = vm.now()
        for message in messages:
            frame, box = card(f"message-{message.id}")
            when = formatting.when_label(message.starts or message.time, now)
            head = self.tr("From your supplier, {when}").format(when=when)
            if message.importance in ("high", "critical"):
                head = self.tr("Important – ") + head
            box.addWidget(label(head, "caption"))
            box.addWidget(label(message.text, "", name=f"message-{message.id}-text"))
            row = FlowLayout(justify=False)
            if vm.needs_confirmation(message):
                confirming = message.id in vm.confirming
                confirm = button(
                    self.tr("Confirming…") if confirming else self.tr("Confirm"),
                    role="primary",
                    name=f"message-{message.id}-confirm",
                    spoken=self.tr("Confirm you have read this message"),
                    description=self.tr("Tell your supplier you have read it"),
                )
                confirm.setEnabled(not confirming)
                confirm.clicked.connect(lambda _=False, i=message.id: vm.confirm(i))
                row.addWidget(confirm)
            elif message.confirmation_required:
                row.addWidget(
                    label(self.tr("✓ Confirmed"), "success", name=f"message-{message.id}-done")
                )
            box.addLayout(row)
            problem = vm.problems.get(message.id)
            if problem:
                box.addWidget(label(problem, "alert"))
            self.list.addWidget(frame)
        self.list.addStretch(1)
