"""The HAN walk-test step: choose the links, probe them live, watch each sample land and chart."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from device_backend.survey.api import (
    FieldError,
    LinkSource,
    RuleSet,
    Sample,
    Survey,
    SurveyStore,
    WalkPoint,
    WalkTestError,
    check_position_name,
    default_points,
    link_key,
    local_time,
    run_walk_test,
)
from installer_tool.survey_widgets.chart import LinkChart, thresholds


class WalkPanel(QWidget):
    """Runs the walk test as an asyncio task; every probe is saved before the next is sent."""

    changed = Signal()

    def __init__(
        self, store: SurveyStore, source: LinkSource | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.source = source
        self.rules: RuleSet | None = None
        self.survey: Survey | None = None
        self.task: asyncio.Task[None] | None = None
        self._extra: list[WalkPoint] = []

        where = QLabel(self)
        where.setObjectName("walk.source")
        where.setWordWrap(True)
        if source is None:
            where.setText(
                "No network connected: everything else can be filled in offline; "
                "connect the dongle or a simulated home to take HAN measurements."
            )
        else:
            names = ", ".join(source.positions()) or "none yet"
            where.setText(f"Measuring on the {source.description}. Known positions: {names}.")
        self.points = QTableWidget(0, 3, self)
        self.points.setObjectName("walk.points")
        self.points.setHorizontalHeaderLabels(["Link", "From", "To"])
        self.points.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.points.verticalHeader().hide()
        self.points.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.points.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.points.verticalHeader().setDefaultSectionSize(24)
        self.points.itemSelectionChanged.connect(lambda: self._set_running(self.running))
        self.extra_name = QLineEdit(self)
        self.extra_name.setObjectName("walk.extra_name")
        self.extra_name.setPlaceholderText("another position, e.g. landing")
        add = QPushButton("Add position", self)
        add.setObjectName("walk.add")
        add.clicked.connect(self._add_point)
        self.run_button = QPushButton("Run walk test", self)
        self.run_button.setObjectName("walk.run")
        self.run_button.clicked.connect(lambda: self.start())
        self.one_button = QPushButton("Measure selected", self)
        self.one_button.setObjectName("walk.run_selected")
        self.one_button.setToolTip(
            "Probe only the selected links: stand the device in place first."
        )
        self.one_button.clicked.connect(self.start_selected)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("walk.cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.clear_button = QPushButton("Clear measurements\u2026", self)
        self.clear_button.setObjectName("walk.clear")
        self.clear_button.clicked.connect(self._clear)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("walk.progress")
        self.status = QLabel("", self)
        self.status.setObjectName("walk.status")
        self.status.setWordWrap(True)
        self.chart = LinkChart(self)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("walk.samples")
        self.table.setHorizontalHeaderLabels(
            ["Time", "Link", "Answered", "RSSI (dBm)", "LQI", "How"]
        )
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(22)

        extra = QHBoxLayout()
        extra.addWidget(self.extra_name, 1)
        extra.addWidget(add)
        buttons = QHBoxLayout()
        for button in (self.run_button, self.one_button, self.cancel_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(where)
        left.addWidget(self.points, 1)
        left.addLayout(extra)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        top = QHBoxLayout()
        top.addLayout(left, 5)
        top.addWidget(self.chart, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top, 3)
        layout.addWidget(self.table, 2)
        self._set_running(False)

    # -- showing -----------------------------------------------------------------------------

    def show_survey(self, survey: Survey, rules: RuleSet) -> None:
        self.survey, self.rules = survey, rules
        points = self.planned()
        self.points.setRowCount(len(points))
        for row, point in enumerate(points):
            _, label, _ = link_key(survey, point.peer, point.position)
            if point.listen:
                label += " (sleeps: listened to, not probed)"
            for col, text in enumerate((label, point.peer, point.position)):
                self.points.setItem(row, col, QTableWidgetItem(text))
        self.table.setRowCount(len(survey.samples))
        for row, sample in enumerate(reversed(survey.samples)):  # newest first
            _, label, _ = link_key(survey, sample.peer, sample.position)
            cells = (
                local_time(sample.time),
                label,
                "yes" if sample.answered else "NO",
                "" if sample.rssi_dbm is None else str(sample.rssi_dbm),
                "" if sample.lqi is None else str(sample.lqi),
                "listened" if sample.method == "listen" else "probed",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 2 <= col <= 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self.chart.show_survey(survey, thresholds(rules))
        self._set_running(self.running)

    def planned(self) -> list[WalkPoint]:
        if self.survey is None or self.rules is None:
            return []
        return default_points(self.survey, self.rules) + self._extra

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def _set_running(self, running: bool) -> None:
        editable = self.survey is not None and self.survey.status == "draft"
        self.run_button.setEnabled(not running and self.source is not None and editable)
        self.one_button.setEnabled(self.run_button.isEnabled() and bool(self._selected_rows()))
        self.clear_button.setEnabled(
            not running and editable and bool(self.survey and self.survey.samples)
        )
        self.cancel_button.setEnabled(running)

    # -- actions -----------------------------------------------------------------------------

    def _add_point(self) -> None:
        try:
            name = check_position_name(self.extra_name.text())
        except FieldError as refused:
            self.status.setText(str(refused))
            return
        if self.survey is None:
            return
        self._extra.append(WalkPoint(peer=self.survey.position_name("hub"), position=name))
        self.extra_name.clear()
        self.status.setText(f"Added {name}: stand the device there before its turn comes.")
        if self.rules is not None:
            self.show_survey(self.survey, self.rules)

    def _selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.points.selectedIndexes()})

    def start_selected(self) -> None:
        planned = self.planned()
        self.start([planned[r] for r in self._selected_rows() if r < len(planned)])

    def start(self, points: list[WalkPoint] | None = None) -> None:
        """Start the walk test on the running event loop (the buttons' slot)."""
        if self.running or self.source is None or self.survey is None or self.rules is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.status.setText(
                "The walk test needs the application's event loop; "
                "start the toolkit normally and try again."
            )
            return
        chosen = points if points else self.planned()
        self.task = loop.create_task(self.run(chosen), name="survey walk test")

    async def run(self, points: list[WalkPoint]) -> None:
        assert self.source is not None and self.survey is not None and self.rules is not None
        survey_id = self.survey.id
        settings = self.rules.walk_test
        self._set_running(True)
        self.progress.setRange(0, len(points) * settings.samples)
        self.progress.setValue(0)
        self.status.setText("Probing\u2026")

        def record(sample: Sample) -> None:
            self.store.add_sample(survey_id, sample)
            self.changed.emit()

        def progress(done: int, total: int) -> None:
            self.progress.setValue(done)
            self.status.setText(f"Probe {done} of {total} saved.")

        try:
            done = await run_walk_test(self.source, points, settings, record, progress)
            self.status.setText(f"Walk test finished: {done} probes saved.")
        except WalkTestError as error:
            self.status.setText(f"Walk test stopped: {error}")
        except asyncio.CancelledError:
            self.status.setText("Walk test cancelled; the probes already taken are kept.")
            raise
        finally:
            self.task = None
            self._set_running(False)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _clear(self) -> None:
        if self.survey is None:
            return
        answer = QMessageBox.question(
            self,
            "Clear measurements",
            f"Delete all {len(self.survey.samples)} probes of this survey and measure again?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.store.clear_samples(self.survey.id)
            self.changed.emit()

    def close_panel(self) -> None:
        """Stop a running walk test (the page is closing); saved probes stay saved."""
        if self.task is not None:
            self.task.cancel()
