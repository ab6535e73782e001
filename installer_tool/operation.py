"""One long operation at a time per panel: progress, cancel, a clear outcome, and an audit entry."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from device_backend.installer.api import DongleLost, InstallerError

LOGGER = logging.getLogger(__name__)

Work = Callable[[Callable[[float | None, str], None]], Coroutine[Any, Any, Any]]


class Operation(QObject):
    """Runs `work(progress)` as a task; reports progress and how it ended, in words."""

    progressed = Signal(object, str)  # fraction or None, message
    finished = Signal(bool, str, object)  # succeeded, message, result (or the exception)
    running_changed = Signal(bool)

    def __init__(self, session: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: asyncio.Task[Any] | None = None
        self.what = ""

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(
        self,
        what: str,
        work: Work,
        *,
        detail: str = "",
        describe: Callable[[Any], str] | None = None,
    ) -> asyncio.Task[Any] | None:
        if self.running:
            self.finished.emit(False, f"Wait for {self.what} to finish (or cancel it) first.", None)
            return None
        self.what = what
        self.running_changed.emit(True)
        self.progressed.emit(None, f"{what[:1].upper()}{what[1:]}...")
        self.task = asyncio.get_event_loop().create_task(self._run(what, work, detail, describe))
        return self.task

    def cancel(self) -> None:
        if self.running and self.task is not None:
            self.task.cancel()

    async def _run(
        self, what: str, work: Work, detail: str, describe: Callable[[Any], str] | None
    ) -> Any:
        audit = self.session.record
        try:
            result = await work(lambda f, m: self.progressed.emit(f, m))
        except asyncio.CancelledError:
            audit(what, detail, "cancelled")
            self._done(False, f"Cancelled {what}. Nothing more was sent.", None)
            return None
        except DongleLost as exc:  # said the same way whichever step noticed it
            message = f"The dongle was disconnected during {what}. {exc.reason}"
            audit(what, detail, f"failed: {message}")
            self._done(False, message, exc)
            return None
        except InstallerError as exc:
            audit(what, detail, f"failed: {exc}")
            self._done(False, str(exc), exc)
            return None
        except Exception as exc:
            LOGGER.exception("%s failed unexpectedly", what)
            message = (
                f"{what[:1].upper()}{what[1:]} failed unexpectedly ({type(exc).__name__}). "
                "Try again; if it repeats, save the event log and report it."
            )
            audit(what, detail, f"failed: {type(exc).__name__}")
            self._done(False, message, exc)
            return None
        message = (
            describe(result) if describe is not None else f"{what[:1].upper()}{what[1:]}: done."
        )
        audit(what, detail, "succeeded")
        self._done(True, message, result)
        return result

    def _done(self, ok: bool, message: str, result: Any) -> None:
        self.running_changed.emit(False)
        self.finished.emit(ok, message, result)


class OperationPanel(QWidget):
    """Progress bar, words and a Cancel button for one Operation."""

    def __init__(self, operation: Operation, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operation = operation
        self.bar = QProgressBar(self)
        self.bar.setObjectName(f"{name}-progress")
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.message = QLabel("", self)
        self.message.setObjectName(f"{name}-message")
        self.message.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName(f"{name}-cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(operation.cancel)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)
        operation.progressed.connect(self._progress)
        operation.finished.connect(self._finished)
        operation.running_changed.connect(self.cancel_button.setEnabled)

    def _progress(self, fraction: float | None, message: str) -> None:
        if fraction is None:
            self.bar.setRange(0, 0)  # busy: length unknown
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        self.message.setText(message)
        self.message.setStyleSheet("")

    def _finished(self, ok: bool, message: str, result: Any) -> None:
        self.bar.setRange(0, 1000)
        self.bar.setValue(1000 if ok else 0)
        self.message.setText(message)
        self.message.setStyleSheet(
            "color: #1b6e2a;" if ok else "color: #b00020; font-weight: bold;"
        )
