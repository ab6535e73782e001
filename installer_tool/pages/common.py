"""Small pieces the screens share: headings, read-only value labels, file pickers, confirmations."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet("font-size: 16px; font-weight: bold;")
    return label


def value_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel("-", parent)
    label.setObjectName(name)
    label.setStyleSheet("font-family: monospace; font-size: 14px;")
    return label


def group(title: str, parent: QWidget) -> QGroupBox:
    box = QGroupBox(title, parent)
    return box


class PathField(QWidget):
    """A path typed or chosen with a dialog (the dialog is optional: tests and keyboards type)."""

    def __init__(
        self, name: str, caption: str, filters: str, *, save: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.caption, self.filters, self.save = caption, filters, save
        self.edit = QLineEdit(self)
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText("Type a file path or choose...")
        self.browse = QPushButton("Choose...", self)
        self.browse.setObjectName(f"{name}-browse")
        self.browse.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse)

    def _choose(self) -> None:
        chooser = QFileDialog.getSaveFileName if self.save else QFileDialog.getOpenFileName
        path, _ = chooser(self, self.caption, self.edit.text(), self.filters)
        if path:
            self.edit.setText(path)

    def text(self) -> str:
        return self.edit.text().strip()


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask before something that cannot be undone (tests replace this with their answer)."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
