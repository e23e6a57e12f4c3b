"""Loading the window's translations: English source strings, Polish (the default) from a compiled .qm file."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from magazyn_desktop.bundle import MissingResourceError, resource_path

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("pl", "en")
DEFAULT_LANGUAGE = "pl"

# Kept alive here: a QTranslator that is garbage-collected silently stops translating.
_installed: list[QTranslator] = []
_current: str | None = None


def install_translator(language: str) -> bool:
    """Make `language` the application's language; idempotent. Returns False when its file is missing.

    English is the source language, so "en" needs no file; Qt's own strings (standard buttons) are loaded
    from Qt's translations when they are installed.
    """
    global _current
    if language not in SUPPORTED_LANGUAGES:
        language = DEFAULT_LANGUAGE
    if language == _current:
        return True
    app = QCoreApplication.instance()
    if app is None:
        return False
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    _current = language
    QLocale.setDefault(QLocale(QLocale.Language.Polish if language == "pl" else QLocale.Language.English,
                               QLocale.Country.Poland if language == "pl" else QLocale.Country.UnitedKingdom))
    ok = True
    try:
        own = resource_path("translations", f"magazyn_{language}.qm")
    except MissingResourceError:
        own = None
        ok = language == "en"
        if not ok:
            log.warning("translation file for %s is missing; the window will be in English", language)
    if own is not None:
        translator = QTranslator()
        if translator.load(str(own)):
            QCoreApplication.installTranslator(translator)
            _installed.append(translator)
        else:
            ok = False
            log.warning("translation file %s could not be loaded", own.name)
    qt_translator = QTranslator()
    if qt_translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        QCoreApplication.installTranslator(qt_translator)
        _installed.append(qt_translator)
    return ok


def reset_for_tests() -> None:
    """Forget the installed language (tests switch languages within one process)."""
    global _current
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    _current = None
