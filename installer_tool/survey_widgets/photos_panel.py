"""The photographs step: attach pictures from files, caption them, remove a wrong one."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from device_backend.survey.api import PhotoError, Survey, SurveyStore

THUMB = QSize(200, 150)
IMAGE_FILTER = "Photographs (*.jpg *.jpeg *.png *.gif *.bmp *.webp)"


def thumbnail(data: bytes) -> QPixmap:
    image = QImage.fromData(data)
    if image.isNull():
        placeholder = QPixmap(THUMB)
        placeholder.fill(Qt.GlobalColor.lightGray)
        return placeholder
    return QPixmap.fromImage(
        image.scaled(
            THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    )


class PhotosPanel(QWidget):
    changed = Signal()

    def __init__(self, store: SurveyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.survey: Survey | None = None
        intro = QLabel(
            "Photograph the meters, the hub position, the meter box or cupboard and "
            "anything that blocks the signal. Each photograph is saved into the survey, "
            "so it stays even if the file is moved.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("photos.list")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(8)
        self.list.currentItemChanged.connect(self._selected)
        self.add_button = QPushButton("Add photographs\u2026", self)
        self.add_button.setObjectName("photos.add")
        self.add_button.clicked.connect(self._choose)
        self.remove_button = QPushButton("Remove\u2026", self)
        self.remove_button.setObjectName("photos.remove")
        self.remove_button.clicked.connect(self._remove)
        self.caption = QLineEdit(self)
        self.caption.setObjectName("photos.caption")
        self.caption.setPlaceholderText("Caption for the selected photograph, e.g. gas meter box")
        self.caption.textEdited.connect(self._caption_edited)
        self.message = QLabel("", self)
        self.message.setObjectName("photos.message")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.caption, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)

    def show_survey(self, survey: Survey) -> None:
        selected = (
            self.list.currentItem().data(Qt.ItemDataRole.UserRole)
            if self.list.currentItem()
            else None
        )
        self.survey = survey
        self.list.blockSignals(True)
        self.list.clear()
        for photo in survey.photos:
            text = photo.caption or photo.filename
            item = QListWidgetItem(QIcon(thumbnail(photo.data)), text)
            item.setData(Qt.ItemDataRole.UserRole, photo.id)
            item.setToolTip(f"{photo.filename}\n{photo.caption}")
            self.list.addItem(item)
            if photo.id == selected:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        editable = survey.status == "draft"
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and self.list.currentItem() is not None)
        self.caption.setReadOnly(not editable)
        self._selected(self.list.currentItem(), None)

    def add_files(self, paths: list[str]) -> int:
        """Attach each file; a file that is not a photograph is refused by name. Returns added."""
        if self.survey is None:
            return 0
        added, refused = 0, []
        for path in paths:
            try:
                self.store.add_photo_file(self.survey.id, path)
                added += 1
            except PhotoError as error:
                refused.append(str(error))
        self.message.setText(" ".join([f"{added} photograph(s) added." if added else "", *refused]))
        self.changed.emit()
        return added

    def _choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add photographs", "", IMAGE_FILTER)
        if paths:
            self.add_files(paths)

    def _current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _selected(self, current: QListWidgetItem | None, _previous: object) -> None:
        photo_id = None if current is None else int(current.data(Qt.ItemDataRole.UserRole))
        photo = (
            next((p for p in self.survey.photos if p.id == photo_id), None) if self.survey else None
        )
        self.caption.setText(photo.caption if photo else "")
        self.caption.setEnabled(photo is not None)
        self.remove_button.setEnabled(
            photo is not None
            and bool(self.survey)
            and self.survey is not None
            and self.survey.status == "draft"
        )

    def _caption_edited(self, text: str) -> None:
        photo_id = self._current_id()
        if self.survey is None or photo_id is None:
            return
        self.store.set_photo_caption(self.survey.id, photo_id, text)
        item = self.list.currentItem()
        if item is not None:
            item.setText(text or item.toolTip().split("\n")[0])

    def _remove(self) -> None:
        photo_id = self._current_id()
        if self.survey is None or photo_id is None:
            return
        answer = QMessageBox.question(
            self, "Remove photograph", "Remove this photograph from the survey?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.store.remove_photo(self.survey.id, photo_id)
            self.changed.emit()
