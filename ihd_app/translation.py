"""Load a translation of the display's words (Welsh first) when one is installed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

TRANSLATIONS = Path(__file__).resolve().parent.parent / "assets" / "translations"


def install_translator(app: QApplication, language: str | None = None) -> QTranslator | None:
    """`language` like "cy"; by default the system's. English needs no file."""
    translator = QTranslator(app)
    locale = QLocale(language) if language else QLocale.system()
    if translator.load(locale, "ihd", "_", str(TRANSLATIONS)):
        app.installTranslator(translator)
        return translator
    translator.deleteLater()
    return None
