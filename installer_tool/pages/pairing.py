"""Pairing: EUI-64 and install code (typed, pasted or QR text), joining for one device, its progress."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from device_backend.installer.api import (
    InstallCodeError,
    InterviewFailed,
    PairingCode,
    PairingStep,
    parse_pairing,
)
from installer_tool.operation import Operation, OperationPanel
from installer_tool.pages import common
from installer_tool.session import Session

STATE_MARK = {"running": "...", "done": "OK", "failed": "FAILED", "waiting": ""}


class PairingPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation = Operation(session, self)
        self.eui64 = QLineEdit(self)
        self.eui64.setObjectName("pair-eui64")
        self.eui64.setPlaceholderText(
            "16 hex digits, e.g. 00:1E:5E:09:02:B0:00:11 (leave empty for QR text)"
        )
        self.code = QLineEdit(self)
        self.code.setObjectName("pair-code")
        self.code.setPlaceholderText("install code with its CRC, or the QR text (Z:...$I:...)")
        self.check = QLabel("", self)
        self.check.setObjectName("pair-check")
        self.check.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setObjectName("pair-name")
        self.name.setPlaceholderText("e.g. Electricity meter")
        self.location = QLineEdit(self)
        self.location.setObjectName("pair-location")
        self.location.setPlaceholderText("e.g. Under the stairs")
        self.window_s = QSpinBox(self)
        self.window_s.setObjectName("pair-window")
        self.window_s.setRange(10, 254)
        self.window_s.setValue(180)
        self.window_s.setSuffix(" s")
        self.pair_button = QPushButton("Open joining for this device", self)
        self.pair_button.setObjectName("pair-start")
        self.pair_button.clicked.connect(self.pair)
        self.retry_button = QPushButton("Retry interview", self)
        self.retry_button.setObjectName("pair-retry")
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.retry)
        self.steps = QListWidget(self)
        self.steps.setObjectName("pair-steps")
        self.labels = QTableWidget(0, 4, self)
        self.labels.setObjectName("pair-labels")
        self.labels.setHorizontalHeaderLabels(["Device", "EUI-64", "Install code", ""])
        self.labels.verticalHeader().setVisible(False)
        self.labels_heading = common.heading(
            "Training devices waiting to pair (their labels)", self
        )
        self._failed_ieee = ""
        self._steps: dict[str, int] = {}

        form = QFormLayout()
        form.addRow("EUI-64", self.eui64)
        form.addRow("Install code / QR", self.code)
        form.addRow("", self.check)
        form.addRow("Name", self.name)
        form.addRow("Location", self.location)
        form.addRow("Joining window", self.window_s)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pair_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(common.heading("Pair a device", self))
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(OperationPanel(self.operation, "pair", self))
        left.addWidget(self.steps, 1)
        right = QVBoxLayout()
        right.addWidget(self.labels_heading)
        right.addWidget(self.labels, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.eui64.textChanged.connect(self.validate)
        self.code.textChanged.connect(self.validate)
        self.operation.finished.connect(self._finished)

    def on_shown(self) -> None:
        service = self.session.service
        labels = service.bench_labels() if service is not None else []
        self.labels_heading.setVisible(bool(labels))
        self.labels.setVisible(bool(labels))
        if self.labels.rowCount() == len(labels):
            return  # the bench's labels never change
        self.labels.setRowCount(len(labels))
        for row, label in enumerate(labels):
            self.labels.setItem(row, 0, QTableWidgetItem(label.name))
            self.labels.setItem(row, 1, QTableWidgetItem(label.ieee))
            self.labels.setItem(row, 2, QTableWidgetItem(label.install_code))
            use = QPushButton("Scan QR", self.labels)
            use.setObjectName(f"pair-use-{row}")
            use.clicked.connect(lambda _=False, text=label.qr_text: self._scan(text))
            self.labels.setCellWidget(row, 3, use)
        self.labels.resizeColumnsToContents()

    def _scan(self, qr_text: str) -> None:
        """What a handheld scanner types into the focused field."""
        self.eui64.clear()
        self.code.setText(qr_text)

    def parsed(self) -> PairingCode:
        return parse_pairing(self.eui64.text(), self.code.text())

    def validate(self) -> bool:
        if not self.code.text().strip() and not self.eui64.text().strip():
            self.check.setText("")
            return False
        try:
            code = self.parsed()
        except InstallCodeError as exc:
            self.check.setText(str(exc))
            self.check.setStyleSheet("color: #b00020;")
            return False
        self.check.setText(f"Install code accepted for {code.ieee} (CRC correct).")
        self.check.setStyleSheet("color: #1b6e2a;")
        return True

    def _note(self, step: PairingStep) -> None:
        text = f"{step.step}: {STATE_MARK.get(step.state, step.state)} {step.detail}".strip()
        if step.step in self._steps:
            self.steps.item(self._steps[step.step]).setText(text)
        else:
            self._steps[step.step] = self.steps.count()
            self.steps.addItem(text)

    def pair(self) -> None:
        if not self.validate():
            self.operation.finished.emit(
                False, self.check.text() or "Enter the EUI-64 and install code.", None
            )
            return
        code = self.parsed()
        # The code leaves the form now: only the derived key travels on, and nothing is logged.
        self.code.clear()
        self.steps.clear()
        self._steps.clear()
        self.retry_button.setVisible(False)
        name, location, window = self.name.text(), self.location.text(), self.window_s.value()
        service = self.session.service

        async def work(progress: Any) -> Any:
            def note(step: PairingStep) -> None:
                self._note(step)
                progress(step.fraction, step.detail)

            device = await service.pairing.pair(code, note, window_s=window)
            service.names.set(code.ieee, name, location)
            return service.inventory.row(device)

        self.operation.start(
            "pairing",
            work,
            detail=f"EUI-64 {code.ieee}",
            describe=lambda row: (
                f"Paired {row.role} {row.model} ({row.ieee}); reporting is "
                "configured. See it on the Devices page."
            ),
        )

    def retry(self) -> None:
        ieee = self._failed_ieee
        service = self.session.service
        self.retry_button.setVisible(False)

        async def work(progress: Any) -> Any:
            def note(step: PairingStep) -> None:
                self._note(step)
                progress(step.fraction, step.detail)

            device = await service.pairing.retry_interview(ieee, note)
            return service.inventory.row(device)

        self.operation.start(
            "the interview retry",
            work,
            detail=f"EUI-64 {ieee}",
            describe=lambda row: f"Interviewed {row.role} {row.model} ({row.ieee}).",
        )

    def _finished(self, ok: bool, message: str, result: Any) -> None:
        if isinstance(result, InterviewFailed):
            self._failed_ieee = result.ieee
            self.retry_button.setVisible(True)
