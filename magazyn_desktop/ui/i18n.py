"""Loading the translations: the window's own (English source strings, Polish, the default, from a compiled .qm file)
and Qt's own (qtbase: file dialogs, standard buttons), with the language's locale for dates and numbers."""

from __future__ import annotations

import logging
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from magazyn_desktop.bundle import MissingResourceError, resource_path

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("pl", "en")
DEFAULT_LANGUAGE = "pl"

# Kept alive here: a QTranslator that is garbage-collected silently stops translating.
_installed: list[QTranslator] = []
_current: str | None = None
_qt_loaded = False


def install_translator(language: str) -> bool:
    """Make `language` the application's language; idempotent. Returns False when its file is missing.

    English is the source language, so "en" needs no file of the app's. Qt's own strings (file dialogs, standard
    buttons) come from Qt's qtbase translation of the same language, and dates and numbers follow the language's
    QLocale, set as the default.
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
    _install_qt_translation(language)
    return ok


def current_language() -> str:
    """The installed language, for the domain's own Polish/English words."""
    return _current or DEFAULT_LANGUAGE


def qt_translation_dirs() -> list[Path]:
    """Where Qt's own translations (qtbase_*.qm) may be: Qt's configured folder, then PySide6's own, which is where
    a frozen build carries them should Qt's configured prefix point elsewhere."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    return list(dict.fromkeys(dirs))


def _install_qt_translation(language: str) -> None:
    """Qt's own texts (file dialogs, standard buttons, context menus) in `language`; English when not found."""
    global _qt_loaded
    _qt_loaded = False
    for folder in qt_translation_dirs():
        translator = QTranslator()
        if translator.load(f"qtbase_{language}", str(folder)):
            QCoreApplication.installTranslator(translator)
            _installed.append(translator)
            _qt_loaded = True
            return
    if language != "en":
        log.warning("Qt's own translation for %s was not found; its dialogs will be in English", language)


def qt_translation_loaded() -> bool:
    """Whether Qt's own texts are translated into the installed language (the smoke test reports it)."""
    return _qt_loaded


def reset_for_tests() -> None:
    """Forget the installed language (tests switch languages within one process)."""
    global _current, _qt_loaded
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    _current = None
    _qt_loaded = False
