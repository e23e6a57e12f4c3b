"""Texts that read as translations were rewritten; these pin the ones staff named, in Polish as shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from magazyn_desktop.allegro.errors import NotFoundError
from magazyn_desktop.domain.vocabulary import OutboxState
from magazyn_desktop.ui import errors, i18n
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.first_run import FirstRunPage
from magazyn_desktop.ui.labels import app_display_name, outbox_state_label
from magazyn_desktop.ui.tray import InboxTray


@pytest.fixture
def polish(qapp: Any) -> None:
    assert i18n.install_translator("pl")


@pytest.fixture
def inbox_tray(qtbot: Any) -> InboxTray:
    window = QWidget()
    qtbot.addWidget(window)
    return InboxTray(window, show_inbox=lambda: None, quit_=lambda: None)


def test_a_file_named_pdf_that_is_not_one_is_called_so(polish: None, qtbot: Any, tmp_path: Path) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    fake = tmp_path / "duzy.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)  # a program, renamed
    message = composer.add_attachment(fake)
    assert message == "Nie można wysłać pliku duzy.pdf: ma nazwę pliku PDF, ale nie jest plikiem PDF."
    assert composer.attachments() == []
    wrong_type = tmp_path / "faktura.docx"
    wrong_type.write_bytes(b"PK\x03\x04")
    assert "przyjmuje tylko pliki PNG" in (composer.add_attachment(wrong_type) or "")


def test_empty_fields_are_reported_by_the_fields_not_under_the_confirmation(polish: None, qtbot: Any) -> None:
    page = FirstRunPage()
    qtbot.addWidget(page)
    page.connect_button().click()
    assert "identyfikator i tajny klucz aplikacji" in page.form_error_text()
    assert page.status_text() == "" and not page.confirmation_shown()
    page.fill("abc", "sekret")
    page.set_environment("custom")
    page.connect_button().click()
    assert "https://" in page.form_error_text() and not page.confirmation_shown()


def test_the_first_run_screen_names_the_program_and_explains_the_terms(polish: None, qtbot: Any) -> None:
    page = FirstRunPage()
    qtbot.addWidget(page)
    shown = page.visible_texts()
    assert "Witamy w programie Magazyn" in shown
    assert "Identyfikator aplikacji (Client ID):" in shown and "Tajny klucz aplikacji (Client secret):" in shown
    assert not any("magazyn-desktop" in text for text in shown)


def test_the_window_has_a_polish_name(polish: None) -> None:
    assert app_display_name() == "Magazyn – wiadomości Allegro"


@pytest.mark.parametrize(("unread", "expected"), [
    (1, "Magazyn: 1 nieprzeczytana wiadomość"),
    (3, "Magazyn: 3 nieprzeczytane wiadomości"),
    (5, "Magazyn: 5 nieprzeczytanych wiadomości"),
    (22, "Magazyn: 22 nieprzeczytane wiadomości"),
])
def test_the_unread_count_agrees_with_its_number(polish: None, inbox_tray: InboxTray, unread: int,
                                                  expected: str) -> None:
    assert inbox_tray.unread_tooltip(unread) == expected


def test_more_new_messages_agree_with_their_number(polish: None, inbox_tray: InboxTray) -> None:
    assert inbox_tray.more_messages_text(1) == "Jeszcze 1 nowa wiadomość"
    assert inbox_tray.more_messages_text(4) == "Jeszcze 4 nowe wiadomości"
    assert inbox_tray.more_messages_text(12) == "Jeszcze 12 nowych wiadomości"


def test_english_counts_too(inbox_tray: InboxTray) -> None:
    assert i18n.install_translator("en")
    assert inbox_tray.unread_tooltip(1) == "magazyn-desktop: 1 unread"
    assert inbox_tray.more_messages_text(1) == "1 more new message"
    assert inbox_tray.more_messages_text(3) == "3 more new messages"


def test_a_reply_being_checked_says_what_is_checked(polish: None) -> None:
    assert outbox_state_label(OutboxState.UNCERTAIN) == "sprawdzanie, czy dotarła"


def test_an_unknown_conversation_or_order(polish: None) -> None:
    text = errors.describe(NotFoundError("no such thread"))
    assert text == "Allegro nie ma rozmowy ani zamówienia o tym numerze. Sprawdź numer i spróbuj ponownie."
