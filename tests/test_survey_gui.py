"""The Survey tab driven as an engineer would: fill it in, walk-test the simulated home, report."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from device_backend.survey.links import summarise
from device_backend.survey.rules import load_rules
from installer_tool.survey_page import SurveyPage
from installer_tool.survey_widgets.report_pdf import report_document

ALT_HAN = "Needs HAN range extension (Alt HAN)"
DIFFICULT_PROPERTY: dict[int, dict[str, str]] = {  # step -> the fields filled in on it
    0: {
        "job.reference": "JOB-4471",
        "job.address": "Old Mill House, Quarry Lane, Settle",
        "job.postcode": "bd24 9aa",
        "supply.mpan": "1412345678901",
        "supply.gas_present": "yes",
        "supply.mprn": "7654321",
    },
    1: {
        "property.type": "detached house",
        "property.floors": "2",
        "property.construction": "stone",
        "property.insulation": "solid wall (internal)",
        "property.alt_han_present": "no",
        "property.materials": "600 mm stone walls, steel gas meter box",
    },
    2: {
        "pos.esme.location": "basement or cellar",
        "pos.esme.floor": "-1",
        "pos.esme.description": "cellar, by the steps",
        "pos.gsme.location": "external meter box",
        "pos.gsme.floor": "0",
        "pos.gsme.description": "far gable",
        "pos.hub.location": "basement or cellar",
        "pos.hub.floor": "-1",
        "pos.ihd.location": "inside the dwelling",
        "pos.ihd.floor": "0",
        "pos.ihd.description": "living room shelf",
        "pos.hub.space_above_esme": "yes",
        "pos.gsme.height_m": "0.4",
        "radio.hub_variant": "dual band (2.4 GHz and 868 MHz)",
        "radio.esme_868": "yes",
        "radio.gsme_868": "no",
        "radio.ihd_868": "yes",
    },
    3: {
        "sep.hub-esme.distance_m": "0.3",
        "sep.hub-esme.walls": "0",
        "sep.hub-esme.floors": "0",
        "sep.hub-gsme.distance_m": "12.5",
        "sep.hub-gsme.walls": "2",
        "sep.hub-gsme.floors": "1",
        "sep.hub-gsme.materials": "600 mm stone",
        "sep.hub-ihd.distance_m": "10.6",
        "sep.hub-ihd.walls": "1",
        "sep.hub-ihd.floors": "1",
        "sep.esme-gsme.distance_m": "12.4",
        "sep.esme-gsme.walls": "2",
        "sep.esme-gsme.floors": "1",
    },
    4: {
        "wan.region": "North",
        "wan.technology": "long-range radio",
        "wan.signal_dbm": "-92",
        "wan.signal_measure": "RSSI",
        "wan.aerial": "internal",
        "wan.install_and_leave": "no",
    },
}


def find(page: SurveyPage, kind: type, name: str) -> Any:
    widget = page.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} called {name!r}"
    return widget


def click(qtbot: Any, page: SurveyPage, name: str) -> None:
    button = find(page, QPushButton, name)
    assert button.isVisible(), f"{name} cannot be seen"
    assert button.isEnabled(), f"{name} cannot be clicked"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def drive(loop: asyncio.AbstractEventLoop, body: Callable[[], Awaitable[None]]) -> None:
    """Run a test's steps inside the event loop, as the toolkit runs: with qasync, Qt events
    handled outside a running loop would run the back end's callbacks with no loop at all."""
    loop.run_until_complete(body())


def fill(qtbot: Any, page: SurveyPage, name: str, text: str) -> None:
    """Type (or choose) as a person would, then leave the field."""
    widget = find(page, QWidget, name)
    assert widget.isVisible(), f"{name} is not on screen"
    if isinstance(widget, QComboBox):
        index = widget.findData(text)
        assert index > 0, f"{name} has no choice {text!r}"
        widget.setCurrentIndex(index)
    elif isinstance(widget, QPlainTextEdit):
        qtbot.keyClicks(widget, text)
    else:
        assert isinstance(widget, QLineEdit)
        widget.selectAll()
        qtbot.keyClicks(widget, text)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget.editingFinished.emit()  # offscreen focus changes are not guaranteed


async def run_walk_test(qtbot: Any, page: SurveyPage) -> None:
    click(qtbot, page, "walk.run")
    task = page.walk.task
    assert task is not None
    await task


async def complete_difficult_survey(qtbot: Any, page: SurveyPage, tmp_path: Path) -> None:
    click(qtbot, page, "survey.new")
    for step, values in DIFFICULT_PROPERTY.items():
        assert page.editor.steps.currentRow() == step
        for name, text in values.items():
            fill(qtbot, page, name, text)
        click(qtbot, page, "survey.next")
    await run_walk_test(qtbot, page)
    click(qtbot, page, "survey.next")
    picture = tmp_path / "gas-box.png"
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#8a6d3b"))
    image.save(str(picture))
    assert page.photos.add_files([str(picture)]) == 1
    click(qtbot, page, "survey.next")
    click(qtbot, page, "result.complete")


def test_a_survey_completed_through_the_gui_recommends_alt_han(
    qtbot: Any, loop: asyncio.AbstractEventLoop, live_page: SurveyPage, tmp_path: Path
) -> None:
    page = live_page

    async def body() -> None:
        await complete_difficult_survey(qtbot, page, tmp_path)
        assert page.survey is not None
        assert page.survey.status == "complete"
        assert page.survey.recommendation is not None
        assert page.survey.recommendation.outcome == "alt_han"
        assert find(page, QLabel, "result.title").text() == ALT_HAN
        assert "when the survey was completed" in find(page, QLabel, "result.state").text()
        reasons = page.result.reasons.toPlainText()
        assert "Gas meter link is below what IEEE 802.15.4 guarantees" in reasons
        assert "is below -85 dBm" in reasons
        # Each link's own outcome, and the display's install status, are on screen too.
        assert "Communications hub \u2194 Gas meter: needs Alt HAN" in reasons
        assert "IHD install status: I (Installed)" in reasons
        assert page.survey.value("job.postcode") == "BD24 9AA"  # tidied as the field was left
        assert find(page, QLineEdit, "job.postcode").text() == "BD24 9AA"
        # The rules behind it are on screen, each one in words.
        rules_text = page.result.rules_text.toPlainText()
        assert all(f"[{rule.id}]" in rules_text for rule in load_rules().rules)
        # Completed means read-only until reopened.
        assert find(page, QLineEdit, "supply.mpan").isReadOnly()
        click(qtbot, page, "result.reopen")
        assert not find(page, QLineEdit, "supply.mpan").isReadOnly()

    drive(loop, body)


def test_the_pdf_report_holds_the_recommendation_and_the_measurements(
    qtbot: Any, loop: asyncio.AbstractEventLoop, live_page: SurveyPage, tmp_path: Path
) -> None:
    page = live_page
    drive(loop, lambda: complete_difficult_survey(qtbot, page, tmp_path))
    assert page.survey is not None
    path = tmp_path / "report.pdf"
    pages = page.save_pdf(path)
    assert pages >= 2
    assert path.read_bytes().startswith(b"%PDF")
    gas = summarise(page.survey)["hub-gsme"]
    expected = [
        ALT_HAN,
        "Old Mill House",
        "jo.engineer",
        "1412345678901",
        "7654321",
        "Communications hub \u2194 Gas meter",
        f"{gas.answered} ({gas.answered_pct}%)",
        str(gas.median_rssi_dbm),
        "Every probe",
        "gas-box.png",
        "han-too-weak",
    ]
    # What Qt laid out ...
    laid_out = report_document(page.survey, load_rules(), page.store.now()).toPlainText()
    assert all(words in laid_out for words in expected), laid_out
    # ... is what the PDF says, read back by poppler's pdftotext where it is installed.
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        flowing = " ".join(text.split())  # table cells and wrapped lines, as one line
        for words in expected[:-1]:  # a rule id may be hyphen-wrapped at a line end
            assert words in flowing, words
        assert "install code" not in text.replace("no network keys, link keys or install codes", "")


def test_invalid_entries_are_refused_with_a_message_and_the_good_value_kept(
    qtbot: Any, loop: asyncio.AbstractEventLoop, page: SurveyPage
) -> None:
    async def body() -> None:
        click(qtbot, page, "survey.new")
        assert page.survey is not None
        fill(qtbot, page, "supply.mpan", "1412345678901")
        fill(qtbot, page, "supply.mpan", "1412345678902")
        message = find(page, QLabel, "supply.mpan.error")
        assert message.isVisible()
        assert "check digit does not match" in message.text()
        assert page.store.get(page.survey.id).value("supply.mpan") == "1412345678901"
        fill(qtbot, page, "supply.mprn", "12345")
        assert "6 to 10 digits; this has 5" in find(page, QLabel, "supply.mprn.error").text()
        # Mending the entry clears the message as soon as it is right.
        qtbot.keyClicks(find(page, QLineEdit, "supply.mprn"), "6")
        assert not find(page, QLabel, "supply.mprn.error").isVisible()
        # Completing is refused, naming what is wrong.
        page.editor.go(7)
        click(qtbot, page, "result.complete")
        assert page.survey.status == "draft"
        assert "cannot be completed yet" in find(page, QLabel, "result.message").text()
        problems = find(page, QLabel, "result.problems").text()
        assert "<li>MPAN: The MPAN" in problems
        assert "check digit does not match" in problems

    drive(loop, body)


def test_a_half_typed_number_is_not_called_wrong_until_the_field_is_left(
    qtbot: Any, loop: asyncio.AbstractEventLoop, page: SurveyPage
) -> None:
    async def body() -> None:
        click(qtbot, page, "survey.new")
        assert page.survey is not None
        mpan = find(page, QLineEdit, "supply.mpan")
        qtbot.keyClicks(mpan, "14123")
        assert not find(page, QLabel, "supply.mpan.error").isVisible()
        assert page.store.get(page.survey.id).text("supply.mpan") == "14123"  # already saved
        mpan.editingFinished.emit()
        assert "13 digits; this has 5" in find(page, QLabel, "supply.mpan.error").text()

    drive(loop, body)


def test_surveys_are_listed_searched_resumed_and_copied_for_the_next_flat(
    qtbot: Any, loop: asyncio.AbstractEventLoop, page: SurveyPage
) -> None:
    async def body() -> None:
        click(qtbot, page, "survey.new")
        fill(qtbot, page, "job.address", "Flat 1, Quarry Court")
        fill(qtbot, page, "supply.mpan", "1412345678901")
        click(qtbot, page, "survey.next")
        fill(qtbot, page, "property.type", "flat or maisonette")
        fill(qtbot, page, "property.dwellings", "24")
        assert page.survey is not None
        first = page.survey.id
        click(qtbot, page, "survey.list")
        table = page.list.table
        assert table.rowCount() == 1
        assert table.item(0, 0).text() == "Flat 1, Quarry Court"
        page.list.select(first)
        click(qtbot, page, "survey.duplicate")
        assert page.survey.id != first
        assert page.survey.copied_from == first
        assert find(page, QLineEdit, "supply.mpan").text() == ""  # each flat has its own meter
        fill(qtbot, page, "job.address", "Flat 2, Quarry Court")
        click(qtbot, page, "survey.next")
        assert find(page, QLineEdit, "property.dwellings").text() == "24"
        click(qtbot, page, "survey.list")
        assert page.list.table.rowCount() == 2
        qtbot.keyClicks(page.list.search, "1412345678901")
        assert page.list.shown_ids() == [first]
        page.list.select(first)
        click(qtbot, page, "survey.open")
        assert page.survey.id == first
        assert find(page, QLineEdit, "job.address").text() == "Flat 1, Quarry Court"

    drive(loop, body)


def test_photographs_are_attached_from_files_and_other_files_refused(
    qtbot: Any, loop: asyncio.AbstractEventLoop, page: SurveyPage, tmp_path: Path
) -> None:
    async def body() -> None:
        click(qtbot, page, "survey.new")
        assert page.survey is not None
        page.editor.go(6)
        picture = tmp_path / "meter.png"
        QImage(64, 48, QImage.Format.Format_RGB32).save(str(picture))
        not_a_picture = tmp_path / "readme.txt"
        not_a_picture.write_text("hello")
        assert page.photos.add_files([str(picture), str(not_a_picture)]) == 1
        assert "readme.txt is not a photograph" in find(page, QLabel, "photos.message").text()
        assert page.photos.list.count() == 1
        page.photos.list.setCurrentRow(0)
        qtbot.keyClicks(page.photos.caption, "ESME in cellar")
        assert page.store.get(page.survey.id).photos[0].caption == "ESME in cellar"

    drive(loop, body)


def test_the_page_fits_an_engineers_laptop_screen(
    loop: asyncio.AbstractEventLoop, page: SurveyPage
) -> None:
    async def body() -> None:
        page.new_survey()
        for step in range(8):
            page.editor.go(step)
            hint = page.minimumSizeHint()
            assert hint.width() <= 1366, (step, hint)
            assert hint.height() <= 700, (step, hint)

    drive(loop, body)


def test_without_a_network_everything_but_the_walk_test_works_offline(
    qtbot: Any, tmp_path: Path
) -> None:
    offline = SurveyPage(None, "jo", store_path=tmp_path / "s.db")
    qtbot.addWidget(offline)
    offline.show()
    offline.new_survey()
    offline.editor.go(5)
    assert not find(offline, QPushButton, "walk.run").isEnabled()
    assert "No network connected" in find(offline, QLabel, "walk.source").text()
    offline.shutdown()


def test_a_survey_saved_as_csv_imports_on_another_laptop(
    qtbot: Any, loop: asyncio.AbstractEventLoop, page: SurveyPage, tmp_path: Path
) -> None:
    async def body() -> None:
        click(qtbot, page, "survey.new")
        fill(qtbot, page, "job.address", "Flat 9, Quarry Court")
        fill(qtbot, page, "supply.mpan", "1412345678901")
        page.save_csv(tmp_path / "flat9.csv")
        page.save_json(tmp_path / "flat9.json")

    drive(loop, body)
    other = SurveyPage(None, "sam", store_path=tmp_path / "other.db")
    qtbot.addWidget(other)
    imported = other.import_file(tmp_path / "flat9.csv")
    assert imported is not None
    assert imported.value("supply.mpan") == "1412345678901"
    assert "Imported Flat 9, Quarry Court" in find(other, QLabel, "survey.list_message").text()
    again = other.import_file(tmp_path / "flat9.json")  # the same survey twice: a new id
    assert again is not None
    assert again.id != imported.id
    (tmp_path / "junk.csv").write_text("a,b\n1,2\n")
    assert other.import_file(tmp_path / "junk.csv") is None
    assert (
        "Not imported: junk.csv: not a survey CSV"
        in find(other, QLabel, "survey.list_message").text()
    )
    assert other.list.table.rowCount() == 2
    other.shutdown()


def test_a_bad_rules_file_is_refused_on_screen_and_the_rules_in_use_stay(
    loop: asyncio.AbstractEventLoop, page: SurveyPage, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rules]]\nid = 'x'\noutcome = 'perhaps'\n")
    before = page.rules
    assert page.use_rules(bad) is False
    assert page.rules is before
    assert "Rules not changed: bad.toml rule 'x': outcome must be one of" in page.rules_error


def test_an_unreadable_survey_file_is_explained_not_crashed_on(qtbot: Any, tmp_path: Path) -> None:
    damaged = tmp_path / "surveys.db"
    damaged.write_text("not a database " * 100)
    page = SurveyPage(None, "jo", store_path=damaged)
    qtbot.addWidget(page)
    message = find(page, QLabel, "survey.unavailable").text()
    assert message.startswith("Surveys are unavailable: cannot open the survey file")
    assert damaged.read_text().startswith("not a database")  # left as it was, for recovery
