"""Network: the HAN's channel and IDs, an energy scan chart, forming, retuning, backup and restore."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from device_backend.installer.api import PLAIN_WARNING, InstallerError, NetworkSummary
from installer_tool.operation import Operation, OperationPanel
from installer_tool.pages import common
from installer_tool.session import Session


class EnergyChart(pg.PlotWidget):
    """Energy per channel as bars; the chosen channel is highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("energy-chart")
        self.setBackground("w")
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMenuEnabled(False)
        self.setLabel("left", "Energy (0-255, higher is busier)")
        self.setLabel("bottom", "ZigBee channel")
        self.setYRange(0, 255)
        self.setXRange(10.4, 26.6)
        self.getAxis("bottom").setTicks([[(ch, str(ch)) for ch in range(11, 27)]])
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#4a7fb5")
        self.addItem(self.bars)
        self.energies: dict[int, int] = {}

    def show_energies(self, energies: dict[int, int], chosen: int | None) -> None:
        self.energies = dict(energies)
        channels = sorted(energies)
        brushes = [
            "#2e9e4f" if ch == chosen else ("#c0392b" if energies[ch] > 150 else "#4a7fb5")
            for ch in channels
        ]
        self.bars.setOpts(x=channels, height=[energies[ch] for ch in channels], brushes=brushes)


class NetworkPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operation = Operation(session, self)
        self.channel = common.value_label("network-channel", self)
        self.pan_id = common.value_label("network-pan-id", self)
        self.extended_pan_id = common.value_label("network-extended-pan-id", self)
        self.coordinator = common.value_label("network-coordinator", self)
        self.device_count = common.value_label("network-devices", self)
        summary = QFormLayout()
        summary.addRow("Channel", self.channel)
        summary.addRow("PAN ID", self.pan_id)
        summary.addRow("Extended PAN ID", self.extended_pan_id)
        summary.addRow("Coordinator", self.coordinator)
        summary.addRow("Devices joined", self.device_count)
        refresh = QPushButton("Refresh", self)
        refresh.setObjectName("network-refresh")
        refresh.clicked.connect(self.refresh)

        self.chart = EnergyChart(self)
        self.scan_button = QPushButton("Energy scan", self)
        self.scan_button.setObjectName("network-scan")
        self.scan_button.clicked.connect(self.scan)
        self.choice = QSpinBox(self)
        self.choice.setObjectName("network-channel-choice")
        self.choice.setRange(11, 26)
        self.choice.setValue(15)
        self.form_button = QPushButton("Form a new network on this channel", self)
        self.form_button.setObjectName("network-form")
        self.form_button.clicked.connect(self.form)
        self.move_button = QPushButton("Move the network to this channel", self)
        self.move_button.setObjectName("network-move")
        self.move_button.clicked.connect(self.move_channel)

        self.backup_path = common.PathField(
            "backup-path", "Save network backup", "Backups (*.gbbak)", save=True
        )
        self.backup_pass = QLineEdit(self)
        self.backup_pass.setObjectName("backup-passphrase")
        self.backup_pass.setEchoMode(QLineEdit.EchoMode.Password)
        self.backup_confirm = QLineEdit(self)
        self.backup_confirm.setObjectName("backup-confirm")
        self.backup_confirm.setEchoMode(QLineEdit.EchoMode.Password)
        backup_button = QPushButton("Back up the network", self)
        backup_button.setObjectName("network-backup")
        backup_button.clicked.connect(self.backup)
        plain_button = QPushButton("Export for zigpy-cli or ZHA (unencrypted)...", self)
        plain_button.setObjectName("network-export-plain")
        plain_button.setToolTip(PLAIN_WARNING)
        plain_button.clicked.connect(self.export_plain)
        self.restore_path = common.PathField(
            "restore-path",
            "Open network backup",
            "Backups (*.gbbak *.json);;Ours, encrypted (*.gbbak);;zigpy-cli or ZHA (*.json)",
            save=False,
        )
        self.restore_pass = QLineEdit(self)
        self.restore_pass.setObjectName("restore-passphrase")
        self.restore_pass.setEchoMode(QLineEdit.EchoMode.Password)
        restore_button = QPushButton("Restore onto this dongle", self)
        restore_button.setObjectName("network-restore")
        restore_button.clicked.connect(self.restore)
        self.blank_button = QPushButton("Training: swap in a blank replacement dongle", self)
        self.blank_button.setObjectName("network-blank-dongle")
        self.blank_button.clicked.connect(self.blank_dongle)

        left = QVBoxLayout()
        left.addWidget(common.heading("This HAN", self))
        left.addLayout(summary)
        left.addWidget(refresh)
        left.addSpacing(12)
        left.addWidget(common.heading("Back up (encrypted with your passphrase)", self))
        backup_form = QFormLayout()
        backup_form.addRow("File", self.backup_path)
        backup_form.addRow("Passphrase", self.backup_pass)
        backup_form.addRow("Passphrase again", self.backup_confirm)
        left.addLayout(backup_form)
        left.addWidget(backup_button)
        left.addWidget(plain_button)
        left.addSpacing(12)
        left.addWidget(common.heading("Restore (same or replacement dongle)", self))
        restore_form = QFormLayout()
        restore_form.addRow("File", self.restore_path)
        restore_form.addRow("Passphrase", self.restore_pass)
        self.restore_pass.setPlaceholderText("(none for a zigpy-cli or ZHA backup)")
        left.addLayout(restore_form)
        left.addWidget(restore_button)
        left.addWidget(self.blank_button)
        left.addStretch(1)

        right = QVBoxLayout()
        right.addWidget(common.heading("Channel energy scan", self))
        right.addWidget(self.chart, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.scan_button)
        controls.addWidget(QLabel("Channel:", self))
        controls.addWidget(self.choice)
        controls.addWidget(self.form_button)
        controls.addWidget(self.move_button)
        right.addLayout(controls)
        self.advice = QLabel("Run an energy scan: the quietest channel is chosen for you.", self)
        self.advice.setObjectName("network-advice")
        self.advice.setWordWrap(True)
        right.addWidget(self.advice)
        right.addWidget(OperationPanel(self.operation, "network", self))

        grid = QGridLayout(self)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self.operation.finished.connect(lambda *_: self.refresh())

    def on_shown(self) -> None:
        self.refresh()
        self.blank_button.setVisible(bool(self.session.service and self.session.service.simulated))

    def refresh(self) -> None:
        service = self.session.service
        if service is None:
            return
        try:
            self.show_summary(service.network.summary())
        except InstallerError:
            for label in (
                self.channel,
                self.pan_id,
                self.extended_pan_id,
                self.coordinator,
                self.device_count,
            ):
                label.setText("- (dongle not connected)")

    def show_summary(self, summary: NetworkSummary) -> None:
        self.channel.setText(str(summary.channel))
        self.pan_id.setText(summary.pan_text)
        self.extended_pan_id.setText(summary.extended_pan_id)
        self.coordinator.setText(summary.coordinator_ieee)
        self.device_count.setText(str(summary.devices))

    def scan(self) -> None:
        network = self.session.service.network

        def done(energies: dict[int, int]) -> str:
            best = network.quietest(energies)
            self.choice.setValue(best)
            self.chart.show_energies(energies, best)
            self.advice.setText(
                f"Channel {best} is the quietest (energy {energies[best]}). Red bars are busy "
                "channels, usually Wi-Fi."
            )
            return f"Energy scan complete: channel {best} recommended."

        self.operation.start("the energy scan", lambda p: network.energy_scan(p), describe=done)

    def form(self) -> None:
        channel = self.choice.value()
        if not common.confirm(
            self,
            "Form a new network?",
            f"A new network on channel {channel} gets a new PAN ID and network key. "
            "Every device now joined must be paired again. Go ahead?",
        ):
            self.session.record("form a new network", f"channel {channel}", "not confirmed")
            return
        network = self.session.service.network
        self.operation.start(
            "forming a new network",
            lambda p: network.form(channel, p),
            detail=f"channel {channel}",
            describe=lambda s: f"New network formed on channel {s.channel}, PAN ID {s.pan_text}.",
        )

    def move_channel(self) -> None:
        channel = self.choice.value()
        network = self.session.service.network
        self.operation.start(
            "the channel change",
            lambda p: network.change_channel(channel, p),
            detail=f"to channel {channel}",
            describe=lambda s: f"The network moved to channel {s.channel}.",
        )

    def backup(self) -> None:
        path, passphrase, again = (
            self.backup_path.text(),
            self.backup_pass.text(),
            self.backup_confirm.text(),
        )
        self.backup_pass.clear()
        self.backup_confirm.clear()
        if not path:
            self.operation.finished.emit(False, "Choose where to save the backup.", None)
            return
        network, who = self.session.service.network, self.session.who
        self.operation.start(
            "the network backup",
            lambda p: network.backup(Path(path), passphrase, again, who, p),
            detail=f"to {Path(path).name}",
            describe=lambda written: (
                f"Backup saved to {written}. Keep the passphrase "
                "safe: without it the backup cannot be opened."
            ),
        )

    def export_plain(self) -> None:
        """zigpy's open coordinator backup as plain JSON: only after the warning is accepted."""
        path = self.backup_path.text()
        if not path:
            self.operation.finished.emit(
                False, "Choose where to save the backup (a .json file for zigpy-cli or ZHA).", None
            )
            return
        if not common.confirm(self, "Save the keys unencrypted?", f"{PLAIN_WARNING} Go ahead?"):
            self.session.record("unencrypted network backup", Path(path).name, "not confirmed")
            return
        network = self.session.service.network
        self.operation.start(
            "the unencrypted network backup",
            lambda p: network.export_open_backup(Path(path), plain_text_keys=True, progress=p),
            detail=f"to {Path(path).name} (unencrypted)",
            describe=lambda written: (
                f"Unencrypted backup saved to {written}: it holds the network key in plain "
                "text. Hand it to zigpy-cli or ZHA, then delete it."
            ),
        )

    def restore(self) -> None:
        path, passphrase = self.restore_path.text(), self.restore_pass.text()
        self.restore_pass.clear()
        if not path:
            self.operation.finished.emit(False, "Choose the backup file to restore.", None)
            return
        network = self.session.service.network
        self.operation.start(
            "the network restore",
            lambda p: network.restore(Path(path), passphrase, p),
            detail=f"from {Path(path).name}",
            describe=lambda s: (
                f"Restored: channel {s.channel}, PAN ID {s.pan_text}. "
                "Devices in the backup rejoin without pairing."
            ),
        )

    def blank_dongle(self) -> None:
        try:
            self.session.service.swap_in_blank_dongle()
        except InstallerError as exc:
            self.operation.finished.emit(False, str(exc), exc)
            return
        self.session.record("training: swapped in a blank dongle")
        self.operation.finished.emit(
            True,
            "A blank dongle is in: it forms a new, empty network. Restore "
            "your backup to bring the old network back.",
            None,
        )
