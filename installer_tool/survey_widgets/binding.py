"""Field widgets bound to the survey store: every edit saved at once, every refusal explained."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from device_backend.survey.api import FieldEntry, Survey, SurveyStore
from device_backend.survey.api import fields as f

PLACEHOLDER = "\u2014 choose \u2014"
# Wide enough for the longest sensible entry, no wider: short fields read as short.
MAX_WIDTH = {
    "int": 140,
    "decimal": 140,
    "mpan": 260,
    "mprn": 200,
    "postcode": 160,
    "position_name": 220,
    "choice": 300,
    "text": 640,
}
# Kinds whose canonical form differs from what people type (spaces, case): shown once valid.
TIDIED = frozenset({"mpan", "mprn", "postcode", "position_name"})
ERROR_STYLE = "color: #b00020;"
FieldWidget = QLineEdit | QComboBox | QPlainTextEdit


class FieldBinder:
    """Creates the widget for each field and writes each change straight to the store.

    The store keeps the text exactly as typed, so a crash mid-word loses nothing; a refused
    value keeps the last good one and its message is shown under the field.
    """

    def __init__(self, store: SurveyStore, on_change: Callable[[FieldEntry], None]) -> None:
        self.store = store
        self.survey_id: str | None = None
        self.widgets: dict[str, FieldWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._on_change = on_change
        self._shown_error: set[str] = set()
        self._last: dict[str, FieldEntry] = {}  # each field as last saved, message shown or not

    def widget_for(self, spec: f.FieldSpec, parent: QWidget) -> FieldWidget:
        widget: FieldWidget
        if spec.kind == "choice":
            widget = QComboBox(parent)
            widget.addItem(PLACEHOLDER, "")
            for choice in spec.choices:
                widget.addItem(choice, choice)
            widget.currentIndexChanged.connect(lambda _i, s=spec: self._save(s, reveal=True))
        elif spec.kind == "notes":
            widget = QPlainTextEdit(parent)
            widget.setTabChangesFocus(True)
            widget.setPlaceholderText(spec.hint or "Anything the next engineer should know")
            widget.textChanged.connect(lambda s=spec: self._save(s, reveal=True))
        else:
            widget = QLineEdit(parent)
            widget.setPlaceholderText(spec.hint or (spec.unit and f"in {spec.unit}"))
            widget.setMaxLength(spec.max_length + 50)  # long enough to explain the limit
            widget.textChanged.connect(lambda _t, s=spec: self._save(s, reveal=False))
            widget.editingFinished.connect(lambda s=spec: self._reveal(s))
        widget.setObjectName(spec.name)
        widget.setAccessibleName(spec.label)
        if spec.kind in MAX_WIDTH:
            widget.setMaximumWidth(MAX_WIDTH[spec.kind])
        error = QLabel(parent)
        error.setObjectName(f"{spec.name}.error")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        self.widgets[spec.name] = widget
        self.errors[spec.name] = error
        return widget

    def form(
        self,
        specs: Iterable[f.FieldSpec],
        parent: QWidget,
        *,
        label: Callable[[f.FieldSpec], str] | None = None,
    ) -> QGridLayout:
        """Label, field and (when refused) its message, one row per field."""
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)  # spare width goes to the right, not into short fields
        grid.setHorizontalSpacing(12)
        row = 0
        for spec in specs:
            text = label(spec) if label else spec.label
            caption = QLabel(text + (f" ({spec.unit})" if spec.unit else ""), parent)
            caption.setMinimumWidth(200)
            widget = self.widget_for(spec, parent)
            caption.setBuddy(widget)
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignVCenter)
            if spec.kind in MAX_WIDTH:
                widget.setMinimumWidth(MAX_WIDTH[spec.kind])
                grid.addWidget(widget, row, 1, Qt.AlignmentFlag.AlignLeft)
                if spec.hint and spec.kind not in ("text", "choice"):
                    hint = QLabel(spec.hint, parent)  # a short field's placeholder is cut off
                    hint.setStyleSheet("color: #555555;")
                    grid.addWidget(hint, row, 2)
            else:
                grid.addWidget(widget, row, 1, 1, 2)
            grid.addWidget(self.errors[spec.name], row + 1, 1, 1, 2)
            row += 2
        return grid

    # -- store <-> widgets -------------------------------------------------------------------

    def load(self, survey: Survey) -> None:
        self.survey_id = survey.id
        self._shown_error = set()
        self._last = dict(survey.entries)
        for name, widget in self.widgets.items():
            text = survey.text(name)
            with QSignalBlocker(widget):
                if isinstance(widget, QComboBox):
                    index = widget.findData(text) if text else 0
                    widget.setCurrentIndex(max(index, 0))
                elif isinstance(widget, QPlainTextEdit):
                    widget.setPlainText(text)
                    widget.moveCursor(QTextCursor.MoveOperation.End)  # carry on where it stopped
                else:
                    widget.setText(text)
            entry = survey.entries.get(name)
            self._show(name, entry.error if entry else "")
        self.set_read_only(survey.status == "complete")

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.widgets.values():
            if isinstance(widget, QComboBox):
                widget.setEnabled(not read_only)
            else:
                widget.setReadOnly(read_only)

    @staticmethod
    def text_of(widget: FieldWidget) -> str:
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def _save(self, spec: f.FieldSpec, *, reveal: bool) -> None:
        if self.survey_id is None:
            return
        entry = self.store.set_field(
            self.survey_id, spec.name, self.text_of(self.widgets[spec.name])
        )
        self._last[spec.name] = entry
        if reveal or spec.name in self._shown_error:
            # A new message waits until the engineer leaves the field, so a half-typed MPAN
            # is not called wrong mid-word; one already shown follows every keystroke.
            self._show(spec.name, entry.error)
        self._on_change(entry)

    def _reveal(self, spec: f.FieldSpec) -> None:
        entry = self._last.get(spec.name)
        if entry is None:
            return
        self._show(spec.name, entry.error)
        widget = self.widgets[spec.name]
        if not entry.error and spec.kind in TIDIED and isinstance(widget, QLineEdit):
            value = entry.value
            if value is not None and value != widget.text():
                widget.setText(value)  # saved again through textChanged, now in its tidy form

    def _show(self, name: str, error: str) -> None:
        label = self.errors[name]
        label.setText(error)
        label.setVisible(bool(error))
        if error:
            self._shown_error.add(name)
        else:
            self._shown_error.discard(name)
        widget = self.widgets[name]
        widget.setProperty("refused", bool(error))
        widget.setStyleSheet("border: 2px solid #b00020;" if error else "")
