"""What staff read when something fails: decided by the failure's kind, never by the class's name."""

from __future__ import annotations

import errno
import logging
import sqlite3
from typing import Any

import pytest

from magazyn_desktop.allegro.errors import ConflictError, NetworkError, NotFoundError
from magazyn_desktop.domain.failures import FailureKind
from magazyn_desktop.ui import errors, i18n


@pytest.fixture
def polish(qapp: Any) -> None:
    assert i18n.install_translator("pl")


@pytest.fixture
def english(qapp: Any) -> None:
    assert i18n.install_translator("en")


@pytest.mark.allow_error_logs
def test_a_key_error_from_a_bug_is_an_unexpected_error_not_an_unknown_conversation(
    english: None, caplog: pytest.LogCaptureFixture
) -> None:
    text = errors.describe(KeyError("conversation_id"), doing="opening a conversation")
    assert "does not know" not in text
    assert "unexpected error" in text and "log" in text
    [record] = [r for r in caplog.records if r.name == errors.log.name]
    assert record.levelno == logging.ERROR and record.exc_info is not None  # the traceback is in the log


@pytest.mark.allow_error_logs
def test_an_unexpected_error_in_polish(polish: None) -> None:
    text = errors.describe(KeyError("x"))
    assert "nieoczekiwany błąd" in text and "dzienniku" in text


def test_a_full_disk_says_so(english: None) -> None:
    text = errors.describe(OSError(errno.ENOSPC, "No space left on device"))
    assert "Something went wrong" not in text
    assert "disk is full" in text


def test_a_full_disk_through_sqlite_says_so_in_polish(polish: None) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    assert "Brak miejsca na dysku" in errors.describe(full)


def test_a_class_name_decides_nothing(english: None) -> None:
    class NetworkNotFoundTokenError(Exception):  # a name that fooled the old substring matching three ways
        pass

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(errors.log, "error", lambda *args, **kwargs: None)
        text = errors.describe(NetworkNotFoundTokenError())
    assert text == errors.failure_text(FailureKind.BUG)


@pytest.mark.parametrize(("error", "words"), [
    (NetworkError("could not reach Allegro"), "no connection"),
    (NotFoundError("Allegro answered 404"), "does not know"),
    (sqlite3.OperationalError("database is locked"), "another program"),
])
def test_each_kind_has_its_sentence(english: None, error: BaseException, words: str) -> None:
    assert words in errors.describe(error).lower()


def test_allegros_own_reason_is_shown_for_a_rejection(polish: None) -> None:
    rejected = ConflictError("Allegro answered 422", user_message="Wątek jest zamknięty.")
    text = errors.describe(rejected)
    assert "Wątek jest zamknięty." in text and "422" not in text and "Allegro answered" not in text


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_kind_has_a_sentence_in_both_languages(qapp: Any, language: str) -> None:
    assert i18n.install_translator(language)
    texts = {kind: errors.failure_text(kind) for kind in FailureKind}
    assert all(texts.values())
    if language == "pl":
        untranslated = [kind for kind, text in texts.items() if text == _english(kind)]
        assert untranslated == []


def _english(kind: FailureKind) -> str:
    from PySide6.QtCore import QCoreApplication

    translators = list(i18n._installed)
    for translator in translators:
        QCoreApplication.removeTranslator(translator)
    try:
        return errors.failure_text(kind)
    finally:
        for translator in translators:
            QCoreApplication.installTranslator(translator)


# -- a failed reply: the stored code is worded at display time -----------------------------------------------------


def _failed_reply_state(qtbot: Any, code: str | None, message: str | None) -> str:
    from datetime import datetime, timezone

    from magazyn_desktop.domain.vocabulary import Kind, OutboxState, SubKind
    from magazyn_desktop.store.inbox_queries import ConversationDetail, ConversationRow, OutboxRow
    from magazyn_desktop.ui.conversation_view import ConversationView

    at = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
    row = ConversationRow(id="T" * 43, kind=Kind.THREAD.value, sub_kind=SubKind.COMMON.value, status="OPEN",
                          can_reply=True, read=True, needs_reply=False, closed=False, last_activity_at=at,
                          interlocutor_login="kupujacy", order_id=None, subject=None, snippet=None,
                          decision_due_at=None)
    failed = OutboxRow(id=1, text="Odpowiedź", state=OutboxState.FAILED.value, attempts=1, created_at=at,
                       sent_at=None, error_code=code, error_message=message)
    view = ConversationView()
    qtbot.addWidget(view)
    view.show_detail(ConversationDetail(conversation=row, messages=(), outbox=(failed,), draft=""))
    [state] = view.outbox_states()
    return state


def test_a_missing_attachment_is_worded_in_polish(polish: None, qtbot: Any) -> None:
    state = _failed_reply_state(qtbot, "ATTACHMENT_MISSING", None)
    assert state.startswith("błąd: ") and "brakuje załączonego pliku" in state


def test_a_rejection_shows_allegros_own_reason(polish: None, qtbot: Any) -> None:
    assert _failed_reply_state(qtbot, "REJECTED", "Wątek jest zamknięty.") == "błąd: Wątek jest zamknięty."
    assert _failed_reply_state(qtbot, "REJECTED", None) == "błąd: Allegro odmówiło wykonania tej operacji."


def test_a_row_written_before_the_codes_still_reads_sensibly(polish: None, qtbot: Any) -> None:
    # Allegro's own code and reason, as earlier versions stored them
    assert _failed_reply_state(qtbot, "THREAD_CLOSED", "Wątek jest zamknięty.") == "błąd: Wątek jest zamknięty."
    assert _failed_reply_state(qtbot, "ValidationError", None) == "błąd"
    # an earlier version's own English reason for a missing file: the code is known, so the window words it
    state = _failed_reply_state(qtbot, "ATTACHMENT_MISSING", "the attached file a.pdf is missing from the data folder")
    assert "missing" not in state and "brakuje" in state


def test_settings_that_cannot_be_saved_on_a_full_disk_say_so_in_polish(
    qtbot: Any, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from magazyn_desktop.ui import main_window

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    window = make_window()
    monkeypatch.setattr(main_window, "save_settings", full)
    with qtbot.waitSignal(window.user_message, timeout=5000) as shown:
        window.apply_settings(window.settings)
    assert "Brak miejsca na dysku" in shown.args[0] and "No space" not in shown.args[0]
