"""The installer toolkit's Survey tab: guided difficult-property surveys, autosaved, with reports."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from PySide6.QtWidgets import QFileDialog, QLabel, QStackedWidget, QVBoxLayout, QWidget

from device_backend.survey.api import (
    FieldEntry,
    RulesError,
    RuleSet,
    Survey,
    SurveyFileError,
    SurveyStore,
    SurveyStoreError,
    evaluate,
    link_source_for,
    load_rules,
    local_time,
    patch_csv,
    read_survey_file,
    summarise,
    survey_csv,
    survey_json,
    write_text,
)
from installer_tool.survey_widgets.binding import FieldBinder
from installer_tool.survey_widgets.editor import PHOTO_STEP, RESULT_STEP, WALK_STEP, SurveyEditor
from installer_tool.survey_widgets.list_panel import SurveyList
from installer_tool.survey_widgets.photos_panel import PhotosPanel
from installer_tool.survey_widgets.report_pdf import write_pdf
from installer_tool.survey_widgets.result_panel import ResultPanel
from installer_tool.survey_widgets.walk_panel import WalkPanel


class SurveyPage(QWidget):
    """A list of surveys and the guided editor; everything typed is committed as it is typed.

    `store_path` and `rules_path` default to the user's data folder and the shipped
    device_backend/survey/survey_rules.toml.
    """

    def __init__(
        self,
        backend: Any,
        audit_user: str,
        parent: QWidget | None = None,
        *,
        store_path: Path | str | None = None,
        rules_path: Path | str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("survey.page")
        self.backend = backend
        self.audit_user = audit_user
        self.survey: Survey | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        clock = getattr(backend, "clock", None)
        now = clock.now if clock is not None else (lambda: datetime.now(UTC))
        try:
            self.store = SurveyStore.open(store_path, now=now)
        except SurveyStoreError as error:
            # The rest of the toolkit still works; this tab says why surveys cannot.
            failed = QLabel(f"Surveys are unavailable: {error}", self)
            failed.setObjectName("survey.unavailable")
            failed.setWordWrap(True)
            layout.addWidget(failed)
            self.stack = QStackedWidget(self)
            return
        self.rules: RuleSet | None = None
        self.rules_error = ""
        self.use_rules(rules_path)
        self.binder = FieldBinder(self.store, self._field_saved)
        self.walk = WalkPanel(self.store, link_source_for(backend), self)
        self.walk.changed.connect(self.reload)
        self.photos = PhotosPanel(self.store, self)
        self.photos.changed.connect(self.reload)
        self.result = ResultPanel(self)
        self.editor = SurveyEditor(
            self.binder,
            {WALK_STEP: self.walk, PHOTO_STEP: self.photos, RESULT_STEP: self.result},
            self,
        )
        self.editor.on_step = self._show_step
        self.editor.back_to_list.clicked.connect(self.show_list)
        self.list = SurveyList(self)
        self.list.search.textChanged.connect(lambda _t: self.refresh_list())
        self.list.new_button.clicked.connect(self.new_survey)
        self.list.open_button.clicked.connect(self._open_selected)
        self.list.table.doubleClicked.connect(lambda _i: self._open_selected())
        self.list.duplicate_button.clicked.connect(self._duplicate_selected)
        self.list.import_button.clicked.connect(self._import_dialog)
        self.list.export_button.clicked.connect(self._export_patch_dialog)
        self.result.complete_button.clicked.connect(self.complete)
        self.result.reopen_button.clicked.connect(self.reopen)
        self.result.pdf_button.clicked.connect(lambda: self._save_dialog("pdf"))
        self.result.json_button.clicked.connect(lambda: self._save_dialog("json"))
        self.result.csv_button.clicked.connect(lambda: self._save_dialog("csv"))
        self.result.rules_file_button.clicked.connect(self._rules_dialog)
        self.result.rules_reload_button.clicked.connect(
            lambda: self.use_rules(self.rules.path if self.rules else None)
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.editor)
        layout.addWidget(self.stack)
        self.refresh_list()

    # -- rules -------------------------------------------------------------------------------

    def use_rules(self, path: Path | str | None) -> bool:
        """Load a rules file; a bad one is refused with its reason and the old rules stay."""
        try:
            self.rules, self.rules_error = load_rules(path), ""
        except RulesError as error:
            self.rules_error = f"Rules not changed: {error}"
            if self.rules is None:
                self.rules_error = f"No rules loaded: {error}"
            if hasattr(self, "result"):
                self.result.message.setText(self.rules_error)
            return False
        if self.survey is not None:
            self.reload()
        return True

    # -- the list ----------------------------------------------------------------------------

    def refresh_list(self) -> None:
        self.list.show_surveys(self.store.find(self.list.search.text()))

    def show_list(self) -> None:
        self.refresh_list()
        if self.survey is not None:
            self.list.select(self.survey.id)
        self.stack.setCurrentWidget(self.list)

    def new_survey(self) -> Survey:
        return self.open_survey(self.store.create(self.audit_user).id)

    def duplicate_survey(self, survey_id: str) -> Survey:
        return self.open_survey(self.store.duplicate(survey_id, self.audit_user).id)

    def open_survey(self, survey_id: str) -> Survey:
        self.survey = self.store.get(survey_id)
        self.binder.load(self.survey)
        self.result.message.setText("")
        self.editor.go(0)
        self.reload()
        self.stack.setCurrentWidget(self.editor)
        return self.survey

    def _open_selected(self) -> None:
        chosen = self.list.selected_ids()
        if len(chosen) == 1:
            self.open_survey(chosen[0])

    def _duplicate_selected(self) -> None:
        chosen = self.list.selected_ids()
        if len(chosen) == 1:
            self.duplicate_survey(chosen[0])

    # -- the open survey -----------------------------------------------------------------------

    def _field_saved(self, entry: FieldEntry) -> None:
        if self.survey is None:
            return
        # The store has committed it; mirror it here rather than re-read every keystroke.
        entries = dict(self.survey.entries)
        entries[entry.name] = entry
        self.survey = dataclasses.replace(
            self.survey,
            entries=MappingProxyType(entries),
            updated=entry.changed or self.survey.updated,
        )
        self._show_status()
        if self.editor.steps.currentRow() == RESULT_STEP:
            self._show_result()

    def reload(self) -> None:
        if self.survey is None:
            return
        self.survey = self.store.get(self.survey.id)
        self.binder.set_read_only(self.survey.status == "complete")
        self._show_status()
        self._show_step(self.editor.steps.currentRow())

    def _show_status(self) -> None:
        assert self.survey is not None
        missing = 0
        if self.rules is not None:
            summaries = summarise(self.survey)
            missing = sum(
                1 for k in self.rules.required_links(self.survey) if summaries[k].samples == 0
            )
        self.editor.show_status(self.survey, missing)
        self.editor.saved.setText(f"All changes saved \u00b7 {local_time(self.survey.updated)}")

    def _show_step(self, index: int) -> None:
        if self.survey is None:
            return
        if index == WALK_STEP and self.rules is not None:
            self.walk.show_survey(self.survey, self.rules)
        elif index == PHOTO_STEP:
            self.photos.show_survey(self.survey)
        elif index == RESULT_STEP:
            self._show_result()

    def recommendation(self) -> Any:
        if self.survey is None or self.rules is None:
            return None
        return self.survey.recommendation or evaluate(self.rules, self.survey, now=self.store.now())

    def _show_result(self) -> None:
        assert self.survey is not None
        self.result.show_result(self.survey, self.recommendation(), self.rules, self.rules_error)

    def complete(self) -> bool:
        found = self.recommendation()
        if self.survey is None or found is None:
            return False
        try:
            self.survey = self.store.complete(self.survey.id, found)
        except SurveyStoreError as error:
            self.result.message.setText(str(error).split("\n")[0] + " See the list above.")
            self._show_result()
            return False
        self.result.message.setText(
            f"Completed at {local_time(self.store.now())}. Save the PDF report for the job."
        )
        self.reload()
        return True

    def reopen(self) -> None:
        if self.survey is not None:
            self.survey = self.store.reopen(self.survey.id)
            self.result.message.setText(
                "Reopened: the recommendation will be made again when you complete it."
            )
            self.reload()

    # -- files -------------------------------------------------------------------------------

    def save_pdf(self, path: Path | str) -> int:
        assert self.survey is not None and self.rules is not None
        self.survey = self.store.get(self.survey.id)
        return write_pdf(path, self.survey, self.rules, self.store.now())

    def save_json(self, path: Path | str) -> None:
        assert self.survey is not None
        survey = self.store.get(self.survey.id)
        write_text(path, survey_json(survey, self.rules))

    def save_csv(self, path: Path | str) -> None:
        assert self.survey is not None
        write_text(path, survey_csv(self.store.get(self.survey.id)))

    def export_patch(self, path: Path | str, survey_ids: list[str]) -> int:
        assert self.rules is not None
        surveys = [self.store.get(i) for i in survey_ids]
        write_text(path, patch_csv(surveys, self.rules))
        return len(surveys)

    def import_file(self, path: Path | str) -> Survey | None:
        try:
            survey = self.store.insert(read_survey_file(path))
        except (SurveyFileError, SurveyStoreError) as error:
            self.list.message.setText(f"Not imported: {error}")
            return None
        self.list.message.setText(f"Imported {survey.title}.")
        self.refresh_list()
        return survey

    def _suggested_name(self, suffix: str) -> str:
        assert self.survey is not None
        tag = (self.survey.value("job.postcode") or self.survey.id[:8]).replace(" ", "")
        return f"survey-{tag}-{self.survey.id[:6]}.{suffix}"

    def _save_dialog(self, kind: str) -> None:
        if self.survey is None:
            return
        filters = {"pdf": "PDF report (*.pdf)", "json": "JSON (*.json)", "csv": "CSV (*.csv)"}
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the job report", self._suggested_name(kind), filters[kind]
        )
        if not path:
            return
        try:
            if kind == "pdf":
                pages = self.save_pdf(path)
                self.result.message.setText(f"Saved {path} ({pages} pages).")
            else:
                (self.save_json if kind == "json" else self.save_csv)(path)
                self.result.message.setText(f"Saved {path}.")
        except OSError as error:
            self.result.message.setText(f"Could not save {path}: {error.strerror or error}")

    def _export_patch_dialog(self) -> None:
        ids = self.list.selected_ids() or self.list.shown_ids()
        path, _ = QFileDialog.getSaveFileName(
            self, "Export surveys for the programme", "surveys.csv", "CSV (*.csv)"
        )
        if not path:
            return
        try:
            count = self.export_patch(path, ids)
            self.list.message.setText(f"Exported {count} survey(s) to {path}.")
        except OSError as error:
            self.list.message.setText(f"Could not save {path}: {error.strerror or error}")

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a survey", "", "Survey files (*.json *.csv)"
        )
        if path:
            self.import_file(path)

    def _rules_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Rules file", "", "TOML (*.toml)")
        if path and self.use_rules(path):
            self.result.message.setText(f"Using the rules in {path}.")

    # -- lifetime ------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop a walk test in progress and close the survey file (everything is already saved)."""
        if hasattr(self, "walk"):
            self.walk.close_panel()
        if hasattr(self, "binder"):
            self.store.close()
