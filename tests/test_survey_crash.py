"""A survey typed into the GUI survives SIGKILL at any keystroke: the restarted page shows every field."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from device_backend.survey.store import SurveyStore
from installer_tool.survey_page import SurveyPage
from installer_tool.survey_widgets.binding import FieldBinder

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [
    ("job.address", "Old Mill House, Quarry Lane, Settle"),
    ("job.postcode", "BD24 9AA"),
    ("supply.mpan", "1412345678901"),
    ("property.type", "detached house"),
    ("property.floors", "2"),
    ("pos.gsme.description", "external box on the far gable"),
    ("wan.signal_dbm", "-92.5"),
    ("outcome.notes", "Gas box door seized; use the side gate."),
]
KILL_AFTER = (5, 19, 31, 52, 77)  # keystrokes into each run, so kills land in different fields

# The child is the real page: it resumes the survey it finds and types the rest of each field,
# one keystroke at a time, reporting each keystroke after the page has handled it.
CHILD = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from device_backend.survey import fields
from installer_tool.survey_page import SurveyPage
from installer_tool.survey_widgets.binding import FieldBinder
from installer_tool.survey_widgets.editor import STEPS

app = QApplication([])
page = SurveyPage(None, "jo", store_path=sys.argv[1])
page.resize(1366, 700)
page.show()
found = page.store.find()
page.open_survey(found[0].id) if found else page.new_survey()
print("ready", flush=True)
for name, text in json.loads(sys.argv[2]):
    section = fields.spec(name).section
    page.editor.go(next(i for i, (_, s) in enumerate(STEPS) if section in s))
    widget = page.findChild(QWidget, name)
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(widget.findData(text))
        print(name, len(text), flush=True)
        continue
    typed = FieldBinder.text_of(widget)
    for char in text[len(typed):]:
        QTest.keyClicks(widget, char)
        print(name, len(FieldBinder.text_of(widget)), flush=True)
print("done", flush=True)
"""


def stored_texts(path: Path) -> dict[str, str]:
    store = SurveyStore.open(path)
    try:
        surveys = store.find()
        assert len(surveys) <= 1
        if not surveys:
            return {}
        return {name: entry.text for name, entry in store.get(surveys[0].id).entries.items()}
    finally:
        store.close()


def check_nothing_lost(texts: dict[str, str], reported: dict[str, int]) -> None:
    """Every keystroke reported before the kill is stored (one more may be, never fewer)."""
    for name, target in TARGETS:
        if name in reported:
            stored = texts.get(name, "")
            assert target.startswith(stored), (name, stored)
            assert len(stored) >= reported[name], (name, stored, reported[name])


@pytest.mark.reliability
def test_killing_the_page_mid_survey_loses_no_entered_field(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "surveys.db"
    reported: dict[str, int] = {}
    finished = False
    for kill_after in KILL_AFTER:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), json.dumps(TARGETS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith("ready"), child.stderr.read() if child.stderr else first
        for _ in range(kill_after):
            line = child.stdout.readline().split()
            if line == ["done"]:
                finished = True
                break
            reported[line[0]] = int(line[1])
        child.send_signal(signal.SIGKILL)  # as a crash or a flat battery would, mid-keystroke
        child.communicate()
        check_nothing_lost(stored_texts(path), reported)
        if finished:
            break
    assert finished, "the kills should leave the child time to finish the survey"
    texts = stored_texts(path)
    assert {name: texts[name] for name, _ in TARGETS} == dict(TARGETS)
    # Restarted, the page shows every field as it was typed.
    page = SurveyPage(None, "jo", store_path=path)
    qtbot.addWidget(page)
    page.open_survey(page.store.find()[0].id)
    for name, text in TARGETS:
        assert FieldBinder.text_of(page.findChild(QWidget, name)) == text, name
    page.shutdown()
