"""The surveys on this laptop: search, resume, start the next flat in a block, import and export."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from device_backend.api import LONDON
from device_backend.survey.api import SurveySummary


class SurveyList(QWidget):
    """Shows; the page owns what its buttons do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(
            "<b>Difficult-property surveys</b><br>Every entry is saved as you type, "
            "so a survey can be left and resumed at any time, even after a crash or "
            "a flat battery.",
            self,
        )
        intro.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setObjectName("survey.search")
        self.search.setPlaceholderText("Search by address, postcode, MPAN, MPRN, engineer\u2026")
        self.search.setClearButtonEnabled(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("survey.table")
        self.table.setHorizontalHeaderLabels(
            ["Property", "Status", "Recommendation", "Engineer", "Last change"]
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (1, 3, 4):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.new_button = QPushButton("New survey", self)
        self.new_button.setObjectName("survey.new")
        self.open_button = QPushButton("Open", self)
        self.open_button.setObjectName("survey.open")
        self.duplicate_button = QPushButton("Next flat in this block", self)
        self.duplicate_button.setObjectName("survey.duplicate")
        self.duplicate_button.setToolTip(
            "A new survey with this one's building, WAN and address "
            "filled in; supply numbers and measurements start empty."
        )
        self.import_button = QPushButton("Import\u2026", self)
        self.import_button.setObjectName("survey.import")
        self.export_button = QPushButton("Export for the programme (CSV)\u2026", self)
        self.export_button.setObjectName("survey.export_patch")
        self.export_button.setToolTip(
            "One row per selected survey (all shown, if none are "
            "selected): type, cause and measurements, for counting."
        )
        self.message = QLabel("", self)
        self.message.setObjectName("survey.list_message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.duplicate_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()

    def show_surveys(self, surveys: list[SurveySummary]) -> None:
        self.table.setRowCount(len(surveys))
        for row, summary in enumerate(surveys):
            cells = (
                summary.title,
                summary.status,
                summary.outcome or "\u2014",
                summary.engineer,
                summary.updated.astimezone(LONDON).strftime("%d %b %Y %H:%M"),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, summary.id)
                self.table.setItem(row, col, item)
        self._selection_changed()

    def _id_at(self, row: int) -> str:
        item = self.table.item(row, 0)
        return "" if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self._id_at(r) for r in rows]

    def shown_ids(self) -> list[str]:
        return [self._id_at(r) for r in range(self.table.rowCount())]

    def select(self, survey_id: str) -> None:
        for row in range(self.table.rowCount()):
            if self._id_at(row) == survey_id:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        one = len(self.selected_ids()) == 1
        self.open_button.setEnabled(one)
        self.duplicate_button.setEnabled(one)
        self.export_button.setEnabled(self.table.rowCount() > 0)
