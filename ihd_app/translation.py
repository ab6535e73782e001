"""The display's languages: English as written in the code, Welsh from a compiled Qt translation."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from device_backend.api import asset_path
from ihd_app import formatting

LOGGER = logging.getLogger(__name__)
# Package data (ihd_app/translations): the .ts source and the .qm that Qt loads.
TRANSLATIONS = asset_path("ihd_app", "translations")
# Each language's name in that language: someone looking for Welsh looks for "Cymraeg".
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
_LOCALES = {
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
    "cy": (QLocale.Language.Welsh, QLocale.Country.UnitedKingdom),
}

_installed: QTranslator | None = None
_current = "en"
_requested = "en"


def current_language() -> str:
    """The language the display is in now."""
    return _current


def requested_language() -> str:
    """The language last asked for, which may have fallen back to English."""
    return _requested


def set_language(app: QCoreApplication, language: str) -> bool:
    """Switch every later tr() call, and dates and numbers, to `language` ("en" or "cy").

    False (and English) when the language is unknown or its translation file is missing.
    """
    global _installed, _current, _requested
    _requested = language
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed.deleteLater()
        _installed = None
    chosen = language if language in LANGUAGES else "en"
    ok = chosen == language
    if chosen != "en":
        translator = QTranslator(app)
        if translator.load(f"ihd_{chosen}", str(TRANSLATIONS)):
            app.installTranslator(translator)
            _installed = translator
        else:
            translator.deleteLater()
            LOGGER.warning(
                "The %s translation (ihd_%s.qm in %s) is missing or unreadable; "
                "the display is in English",
                LANGUAGES[chosen],
                chosen,
                TRANSLATIONS,
            )
            chosen, ok = "en", False
    _current = chosen
    locale = QLocale(*_LOCALES[chosen])
    QLocale.setDefault(locale)
    formatting.set_locale(locale)
    return ok


def system_language() -> str:
    return "cy" if QLocale.system().language() is QLocale.Language.Welsh else "en"


def install_translator(app: QCoreApplication, language: str | None = None) -> QTranslator | None:
    """Start-up: `language` like "cy"; by default Welsh on a Welsh system, else English."""
    set_language(app, language or system_language())
    return _installed
