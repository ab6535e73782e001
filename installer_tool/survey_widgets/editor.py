"""The guided survey: numbered steps down the side, one form at a time, Back and Next below."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from device_backend.survey.api import Survey
from device_backend.survey.api import fields as f
from installer_tool.survey_widgets.binding import FieldBinder

# (title, the field sections it holds); the walk test, photographs and result are panels.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Job and supply numbers", ("job", "supply")),
    ("Property", ("property",)),
    ("Meter and hub positions", ("positions", "radio")),
    ("Distances, walls, floors", ("separations",)),
    ("WAN signal", ("wan",)),
    ("HAN walk test", ()),
    ("Photographs", ()),
    ("Recommendation and report", ("outcome",)),
)
WALK_STEP, PHOTO_STEP, RESULT_STEP = 5, 6, 7
INTRO = {
    "job": "Where the job is. The address stays on this laptop and in the PDF report.",
    "supply": "Copy the numbers from the bill or the meter; they are checked as you type.",
    "positions": "Where each device is, or will be. The walk-test name is the name used when "
    "probing it (the simulator knows hub, esme, gsme and ihd).",
    "radio": "868 MHz only helps where both ends of a link have it: record each device's "
    "bands from its label or the kit list.",
    "separations": "Measure or pace the distance, and count the walls and floors in between.",
    "wan": "Read the WAN signal from the hub (or the CSP's tool) at the hub position, and say "
    "what it measures: RSRP for 4G cellular, RSSI for 2G/3G or the North's long-range radio. "
    "Weak on the internal aerial? Fit an external one and read it again before any abort.",
}


def _scrolling(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(inner)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class SurveyEditor(QWidget):
    """Holds the step list and the pages; `panels` supplies the walk, photo and result steps."""

    def __init__(
        self, binder: FieldBinder, panels: dict[int, QWidget], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.binder = binder
        self.header = QLabel("", self)
        self.header.setObjectName("survey.header")
        self.header.setWordWrap(True)
        self.saved = QLabel("", self)
        self.saved.setObjectName("survey.saved")
        self.back_to_list = QPushButton("\u2190 All surveys", self)
        self.back_to_list.setObjectName("survey.list")
        self.steps = QListWidget(self)
        self.steps.setObjectName("survey.steps")
        self.steps.setFixedWidth(250)
        self.steps.setWordWrap(True)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setStyleSheet("QListWidget::item { padding: 7px 4px; }")
        self.pages = QStackedWidget(self)
        for index, (title, sections) in enumerate(STEPS):
            self.steps.addItem(f"{index + 1}. {title}")
            page = panels.get(index) or QWidget()
            if sections:
                page = self._form_page(sections, panels.get(index))
            self.pages.addWidget(page)
        self.steps.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.steps.currentRowChanged.connect(self._step_changed)
        self.previous_button = QPushButton("\u2190 Back", self)
        self.previous_button.setObjectName("survey.back")
        self.previous_button.clicked.connect(lambda: self.go(self.steps.currentRow() - 1))
        self.next_button = QPushButton("Next \u2192", self)
        self.next_button.setObjectName("survey.next")
        self.next_button.clicked.connect(lambda: self.go(self.steps.currentRow() + 1))
        self.on_step: Callable[[int], None] = lambda _i: None

        top = QHBoxLayout()
        top.addWidget(self.back_to_list)
        top.addWidget(self.header, 1)
        top.addWidget(self.saved)
        body = QHBoxLayout()
        body.addWidget(self.steps)
        body.addWidget(self.pages, 1)
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.previous_button)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addLayout(nav)
        self.steps.setCurrentRow(0)

    def _form_page(self, sections: tuple[str, ...], panel: QWidget | None) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        for section in sections:
            heading = QLabel(f"<b>{f.SECTIONS[section]}</b>", inner)
            layout.addWidget(heading)
            if section in INTRO:
                intro = QLabel(INTRO[section], inner)
                intro.setWordWrap(True)
                layout.addWidget(intro)
            if section == "positions":
                layout.addLayout(self._positions_grid(inner))
                extra = [
                    f.spec(name)
                    for name in (
                        "pos.hub.space_above_esme",
                        "pos.esme.height_m",
                        "pos.gsme.height_m",
                        "pos.ihd.offer",
                    )
                ]
                layout.addLayout(self.binder.form(extra, inner))
            elif section == "separations":
                layout.addLayout(self._separations_grid(inner))
            elif section == "outcome" and panel is not None:
                heading.hide()  # the result panel leads; the notes sit under it
                layout.addWidget(panel, 1)
                layout.addLayout(self.binder.form(f.in_section(section), inner))
                notes = self.binder.widgets["outcome.notes"]
                notes.setMaximumHeight(80)
                return inner  # the result panel brings its own scrolling
            else:
                layout.addLayout(self.binder.form(f.in_section(section), inner))
        layout.addStretch(1)
        return _scrolling(inner)

    def _grid(
        self, parent: QWidget, rows: list[tuple[str, str]], columns: list[tuple[str, str]]
    ) -> QGridLayout:
        """A table of fields: one row per device (or pair), one column per attribute."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        for col, (_, heading) in enumerate(columns, start=1):
            grid.addWidget(QLabel(f"<b>{heading}</b>", parent), 0, col)
        for i, (prefix, label) in enumerate(rows):
            row = 1 + 2 * i
            grid.addWidget(QLabel(label, parent), row, 0)
            for col, (suffix, _) in enumerate(columns, start=1):
                spec = f.spec(f"{prefix}.{suffix}")
                widget = self.binder.widget_for(spec, parent)
                grid.addWidget(widget, row, col)
                grid.addWidget(self.binder.errors[spec.name], row + 1, col)
        grid.setColumnStretch(len(columns), 1)
        return grid

    def _positions_grid(self, parent: QWidget) -> QGridLayout:
        rows = [(f"pos.{role}", label) for role, label in f.ROLES.items()]
        columns = [
            ("location", "Location"),
            ("floor", "Floor (0 ground, -1 basement)"),
            ("name", "Walk-test name"),
            ("description", "Where exactly"),
        ]
        return self._grid(parent, rows, columns)

    def _separations_grid(self, parent: QWidget) -> QGridLayout:
        rows = [(f"sep.{f.pair_key(a, b)}", f.pair_label(a, b)) for a, b in f.PAIRS]
        columns = [
            ("distance_m", "Distance (m)"),
            ("walls", "Walls"),
            ("floors", "Floors"),
            ("materials", "Wall and floor materials"),
        ]
        return self._grid(parent, rows, columns)

    # -- navigation and status -----------------------------------------------------------------

    def go(self, index: int) -> None:
        if 0 <= index < len(STEPS):
            self.steps.setCurrentRow(index)

    def _step_changed(self, index: int) -> None:
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(STEPS) - 1)
        self.on_step(index)

    def show_status(self, survey: Survey, missing_links: int) -> None:
        """Each step's title says whether anything is still to do there."""
        problems = survey.field_problems() if survey.status == "draft" else {}
        for index, (title, sections) in enumerate(STEPS):
            todo = sum(1 for name in problems if f.spec(name).section in sections)
            if index == WALK_STEP:
                todo = missing_links
            mark = "  \u2713" if not todo else f"  ({todo} to do)"
            if index in (PHOTO_STEP, RESULT_STEP):
                mark = ""
            item = self.steps.item(index)
            item.setText(f"{index + 1}. {title}{mark}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text())
        state = "completed" if survey.status == "complete" else "draft"
        self.header.setText(
            f"<b>{escape(survey.title)}</b> \u00b7 {state} \u00b7 engineer "
            f"{escape(survey.engineer)}"
        )
