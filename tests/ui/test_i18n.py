"""Qt's own texts and the dates follow the chosen language, not the system's locale."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QMessageBox

from magazyn_desktop.ui import i18n
from magazyn_desktop.ui.labels import format_datetime, format_time


@pytest.fixture
def c_locale_system(qapp: Any) -> Iterator[None]:
    """A machine started with LANG=C: Qt's default locale formats dates as "1 12 2026"."""
    before = QLocale()
    QLocale.setDefault(QLocale.c())
    yield
    i18n.reset_for_tests()
    QLocale.setDefault(before)


def _message_box_buttons() -> list[str]:
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    return sorted(button.text().replace("&", "") for button in box.buttons())


def test_qt_dialogs_speak_polish(c_locale_system: None) -> None:
    assert i18n.install_translator("pl")
    assert i18n.qt_translation_loaded()
    assert _message_box_buttons() == ["Anuluj", "Tak"]
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Szukaj w:"
    assert QCoreApplication.translate("QFileDialog", "Files of type:") == "Pliki rodzaju:"


def test_qt_dialogs_speak_english_after_switching(c_locale_system: None) -> None:
    assert i18n.install_translator("pl")
    i18n.reset_for_tests()
    assert i18n.install_translator("en")
    assert _message_box_buttons() == ["Cancel", "Yes"]


def test_qt_translation_found_in_pyside6_when_qt_points_elsewhere(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A frozen build whose Qt prefix is not where its files are: PySide6's own folder still has them.
    monkeypatch.setattr(i18n.QLibraryInfo, "path", lambda _which: str(tmp_path))
    assert i18n.install_translator("pl")
    assert i18n.qt_translation_loaded()
    assert _message_box_buttons() == ["Anuluj", "Tak"]


def test_dates_in_the_polish_format(c_locale_system: None) -> None:
    assert i18n.install_translator("pl")
    moment = datetime(2026, 12, 1, 9, 5).astimezone()
    assert format_datetime(moment) == "1.12.2026 09:05"
    assert format_time(moment, now=datetime(2026, 12, 1, 17, 0).astimezone()) == "09:05"
    assert format_time(moment, now=datetime(2026, 12, 3, 17, 0).astimezone()) == "1 gru"
    assert format_time(moment, now=datetime(2027, 1, 2, 17, 0).astimezone()) == "1.12.2026"


def test_dates_in_the_english_format(c_locale_system: None) -> None:
    assert i18n.install_translator("en")
    moment = datetime(2026, 12, 1, 9, 5).astimezone()
    assert format_datetime(moment) == "01/12/2026 09:05"
    assert format_time(moment, now=datetime(2026, 12, 3, 17, 0).astimezone()) == "1 Dec"
    assert format_time(moment, now=datetime(2027, 1, 2, 17, 0).astimezone()) == "01/12/2026"
