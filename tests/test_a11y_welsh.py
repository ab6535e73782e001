"""Welsh: chosen in Settings, every word on every page changes; the translation is complete."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from ihd_app import formatting, plural
from ihd_app.translation import TRANSLATIONS, set_language
from tests.support.display import PAGES, Display, feed_a_home, open_page

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str | None:
    """A Qt tool from PySide6: on PATH, or beside this Python (a virtualenv not activated)."""
    beside = Path(sys.executable).parent / name
    return shutil.which(name) or (str(beside) if beside.exists() else None)


LUPDATE, LRELEASE = _tool("pyside6-lupdate"), _tool("pyside6-lrelease")

UNITS = {"kW", "kWh", "m³/h", "£", "%"}
# Names that are the same in both languages: each language's own name for itself, and what
# the supplier wrote (its message, its tariff's name), which the display shows as sent.
PROPER = {"English", "Cymraeg", "Your tariff changes on 1 February.", "Fixed 2026"}


def _visible_texts() -> set[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    texts = set()
    for widget in app.allWidgets():
        if isinstance(widget, QLabel | QAbstractButton) and widget.isVisible():
            text = " ".join(widget.text().split())
            if text:
                texts.add(text)
    return texts


def _walk(d: Display) -> dict[str, set[str]]:
    seen = {}
    for page in PAGES:
        open_page(d, page)
        seen[page] = _visible_texts()
    return seen


def _language_neutral(text: str) -> bool:
    """Numbers, units, symbols and proper names: the same in Welsh and English."""
    rest = text
    for name in sorted(PROPER | UNITS, key=len, reverse=True):
        rest = rest.replace(name, " ")
    return re.search(r"[^\W\d_]", rest) is None


def test_switching_to_welsh_leaves_no_english_on_any_page(
    display: Display, english_after: None
) -> None:
    feed_a_home(display)
    english = _walk(display)
    open_page(display, "settings")
    display.tap("settings-language-cy")
    assert display.state.settings.settings.language == "cy"
    assert display.window.windowTitle() == "Sgrin ynni"
    welsh = _walk(display)
    every_english = set().union(*english.values())
    untranslated = {
        page: sorted(t for t in texts if t in every_english and not _language_neutral(t))
        for page, texts in welsh.items()
    }
    assert {page: found for page, found in untranslated.items() if found} == {}
    # Welsh everywhere, not just different: a few words a reader would look for.
    assert "Trydan nawr" in welsh["now"]
    assert "Ychwanegu credyd" in welsh["balance"]
    assert any(t.startswith("Negeseuon") for t in welsh["menu"])


def test_welsh_dates_and_pence(display: Display, english_after: None) -> None:
    feed_a_home(display)
    open_page(display, "settings")
    display.tap("settings-language-cy")
    open_page(display, "now")
    # With alerts on the status line the date gives way to them (a screen reader still has it).
    assert display.find(QLabel, "clock").accessibleName() == "Yr amser 12:00, Llun 12 Ion"
    while display.state.alerts.current is not None:
        display.state.alerts.dismiss()
    assert display.text("clock") == "12:00  Llun 12 Ion"
    assert display.text("now-electricity-main") == "37c yr awr"  # pounds and pence first
    assert display.text("now-electricity-note") == "ar 24.50c y kWh"
    moment = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    # "Maw" is both Tuesday (dydd Mawrth) and March (Mawrth): the month is written out.
    assert formatting.day_label(moment) == "Maw 3 Mawrth"
    assert formatting.day_label(moment + timedelta(days=30)) == "Iau 2 Ebr"
    assert formatting.number(Decimal("1234.5"), 2) == "1,234.50"
    display.tap("tab-settings")
    display.tap("settings-language-en")
    assert display.text("screen-title") == "Settings"
    assert formatting.day_label(moment) == "Tue 3 Mar"


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def _kind(message: ET.Element) -> str | None:
    translation = message.find("translation")
    return translation.get("type") if translation is not None else "missing"


def test_the_welsh_translation_file_is_complete() -> None:
    messages = _messages(TRANSLATIONS / "ihd_cy.ts")
    assert len(messages) > 250
    unfinished = [
        source
        for (_, source), message in messages.items()
        if not (message.findtext("translation") or "").strip()
        or _kind(message) in ("unfinished", "obsolete", "vanished")
    ]
    assert unfinished == []
    for (_, source), message in messages.items():
        # Every {placeholder} of the English is in the Welsh, or .format() would fail.
        welsh = message.findtext("translation") or ""
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", welsh)), source


def test_every_count_has_each_plural_form_of_both_languages() -> None:
    """A counted message (ICU plural, see ihd_app.plural) gives English its CLDR forms and
    Welsh all six of its own (zero, one, two, few, many, other), each with the same
    placeholders, so no count reads "2 diwrnod" for "2 ddiwrnod"."""
    counted = 0
    for (_, source), message in _messages(TRANSLATIONS / "ihd_cy.ts").items():
        english = plural.branches(source)
        if english is None:
            continue
        counted += 1
        welsh = plural.branches(message.findtext("translation") or "")
        assert welsh is not None, f"not a plural in Welsh: {source}"
        assert "other" in english, source
        assert set(welsh) == set(plural.REQUIRED["cy"]), source
        wanted = set(re.findall(r"\{\w+\}", source))
        for words in (*english.values(), *welsh.values()):
            assert words.strip(), source
            assert set(re.findall(r"\{\w+\}", words)) <= wanted, source
    assert counted >= 10


@pytest.mark.parametrize(
    ("n", "days", "codes"),
    [
        (0, "0 diwrnod", "i 0 cod gael eu gwrthod"),
        (1, "1 diwrnod", "i 1 cod gael ei wrthod"),
        (2, "2 ddiwrnod", "i 2 god gael eu gwrthod"),  # soft mutation after dau
        (3, "3 diwrnod", "i 3 chod gael eu gwrthod"),  # aspirate mutation after tri
        (4, "4 diwrnod", "i 4 cod gael eu gwrthod"),
        (6, "6 diwrnod", "i 6 chod gael eu gwrthod"),  # aspirate mutation after chwe
        (7, "7 diwrnod", "i 7 cod gael eu gwrthod"),
    ],
)
def test_welsh_counts_take_the_form_and_mutation_their_number_needs(
    qapp: Any, english_after: None, n: int, days: str, codes: str
) -> None:
    from PySide6.QtCore import QCoreApplication

    assert set_language(qapp, "cy")
    say = QCoreApplication.translate
    assert plural.counted(say("Formatting", "{n, plural, one {# day} other {# days}}"), n) == days
    paused = plural.counted(
        say(
            "BalanceViewModel",
            "{n, plural, one {Top-up is paused because # code was not accepted. This stops "
            "anyone guessing codes. You can try again at {time} (in {wait}).} other {Top-up "
            "is paused because # codes were not accepted. This stops anyone guessing codes. "
            "You can try again at {time} (in {wait}).}}",
        ),
        n,
        time="18:00",
        wait="5 mun",
    )
    assert codes in paused
    assert paused.endswith("am 18:00 (ymhen 5 mun).")
    set_language(qapp, "en")
    english = say("Formatting", "{n, plural, one {# day} other {# days}}")
    assert plural.counted(english, n) == (f"{n} day" if n == 1 else f"{n} days")


@pytest.mark.skipif(LUPDATE is None, reason="needs pyside6-lupdate")
def test_every_string_in_the_code_is_in_the_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [
            str(LUPDATE),
            "-extensions",
            "py",
            "-recursive",
            str(ROOT / "ihd_app"),
            "-ts",
            str(fresh),
            "-locations",
            "none",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    in_code = set(_messages(fresh))
    shipped = set(_messages(TRANSLATIONS / "ihd_cy.ts"))
    assert in_code - shipped == set()
    assert shipped - in_code == set()  # nothing stale either


@pytest.mark.skipif(LRELEASE is None, reason="needs pyside6-lrelease")
def test_the_compiled_translation_matches_its_source(tmp_path: Path) -> None:
    compiled = tmp_path / "ihd_cy.qm"
    subprocess.run(
        [str(LRELEASE), str(TRANSLATIONS / "ihd_cy.ts"), "-qm", str(compiled)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert compiled.read_bytes() == (TRANSLATIONS / "ihd_cy.qm").read_bytes()


def test_an_unknown_language_falls_back_to_english(qapp: Any, english_after: None) -> None:
    assert set_language(qapp, "fr") is False
    assert formatting.current_locale().name() == "en_GB"
