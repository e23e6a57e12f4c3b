"""Attached files are part of the draft: kept across switches and restarts, flagged when they went or changed since,
cleared by sending, and named on the reply's card before and after it went out.

No sleeps: every wait is on a signal or a condition.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from ui_sample_data import ANNA, MAREK

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, SubKind
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.store.inbox_records import AttachmentRow, ConversationDetail, ConversationRow, OutboxRow
from magazyn_desktop.ui.conversation_view import ConversationView

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n" + b"x" * 32
AT = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def _open(qtbot: Any, window: Any, conversation_id: str) -> None:
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(conversation_id)


def _restart(qtbot: Any, window: Any, make_window: Callable[..., Any]) -> Any:
    window.shutdown()
    window.close()
    return make_window()  # a new backend over the same cache


def _buttons(window: Any) -> list[QToolButton]:
    """The composer's buttons of attached files, in order."""
    return window.composer().attachment_buttons()


def _files(tmp_path: Path) -> tuple[Path, Path]:
    photo, label = tmp_path / "paczka.png", tmp_path / "etykieta.pdf"
    photo.write_bytes(PNG)
    label.write_bytes(PDF)
    return photo, label


def test_attached_files_come_back_after_a_restart_with_their_buttons(
        qtbot: Any, make_window: Callable[..., Any], tmp_path: Path) -> None:
    photo, label = _files(tmp_path)
    window = make_window()
    _open(qtbot, window, ANNA)
    assert window.composer().add_attachment(photo) is None and window.composer().add_attachment(label) is None
    window = _restart(qtbot, window, make_window)

    _open(qtbot, window, ANNA)
    assert window.composer().attachments() == [photo, label]
    assert [button.text() for button in _buttons(window)] == ["paczka.png  \u2715", "etykieta.pdf  \u2715"]
    _buttons(window)[0].click()  # removed after the restart: gone for good
    assert window.composer().attachments() == [label]
    window = _restart(qtbot, window, make_window)

    _open(qtbot, window, ANNA)
    assert window.composer().attachments() == [label]
    _idle(qtbot, window)


def test_switching_conversation_keeps_the_files_and_their_removal(
        qtbot: Any, make_window: Callable[..., Any], tmp_path: Path) -> None:
    photo, label = _files(tmp_path)
    window = make_window()
    composer = window.composer()
    _open(qtbot, window, ANNA)
    composer.add_attachment(photo)
    composer.add_attachment(label)
    _open(qtbot, window, MAREK)
    assert composer.attachments() == []
    _open(qtbot, window, ANNA)
    assert composer.attachments() == [photo, label]
    _buttons(window)[1].click()
    _open(qtbot, window, MAREK)  # quickly away and back: what the user removed stays removed
    _open(qtbot, window, ANNA)
    assert composer.attachments() == [photo]
    _idle(qtbot, window)


def test_deleting_the_text_keeps_the_draft_with_its_files(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, tmp_path: Path) -> None:
    photo, _label = _files(tmp_path)
    window = make_window()
    _open(qtbot, window, ANNA)
    composer = window.composer()
    composer.add_attachment(photo)
    composer.focus_editor()
    qtbot.keyClicks(composer.editor(), "Zdjecie")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        pass  # the typed text is saved
    qtbot.keyClick(composer.editor(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(composer.editor(), Qt.Key.Key_Backspace)
    assert composer.text() == ""
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        pass
    _idle(qtbot, window)
    db = sqlite3.connect(context.paths.database)
    [(text, files)] = db.execute("SELECT text, attachments_json FROM drafts WHERE conversation_id = ?",
                                 (ANNA,)).fetchall()
    assert text == "" and "paczka.png" in files
    db.close()
    window = _restart(qtbot, window, make_window)
    _open(qtbot, window, ANNA)
    assert window.composer().text() == "" and window.composer().attachments() == [photo]
    _idle(qtbot, window)


def test_a_file_gone_since_is_shown_and_blocks_sending_until_removed(
        qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro, tmp_path: Path) -> None:
    photo, label = _files(tmp_path)
    window = make_window()
    _open(qtbot, window, ANNA)
    composer = window.composer()
    composer.add_attachment(photo)
    composer.add_attachment(label)
    composer.editor().insertPlainText("Etykieta w zalaczniku.")
    window = _restart(qtbot, window, make_window)
    photo.unlink()

    _open(qtbot, window, ANNA)
    composer = window.composer()
    assert composer.attachments() == [photo, label]  # never silently dropped
    gone, kept = _buttons(window)
    assert "paczka.png" in gone.text() and "pliku już nie ma" in gone.text()
    assert "pliku już nie ma" not in kept.text()
    assert "Usuń" in gone.toolTip()
    assert not window.composer().send_button().isEnabled()
    composer.editor().setFocus()
    qtbot.keyClick(composer.editor(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "usuń" in composer.problem_text().lower()  # said why nothing was sent
    _idle(qtbot, window)
    assert fake_allegro.sent_messages(ANNA) == []

    gone.click()
    assert composer.attachments() == [label] and window.composer().send_button().isEnabled()
    with qtbot.waitSignal(window.reply_queued, timeout=5000):
        qtbot.keyClick(composer.editor(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(fake_allegro.sent_messages(ANNA)) > 0, timeout=5000)
    [sent] = fake_allegro.sent_messages(ANNA)
    assert [fake_allegro.data.attachments[i].file_name for i in sent.attachment_ids] == ["etykieta.pdf"]
    _idle(qtbot, window)


def test_a_file_changed_since_is_shown_and_blocks_sending(
        qtbot: Any, make_window: Callable[..., Any], tmp_path: Path) -> None:
    photo, _label = _files(tmp_path)
    window = make_window()
    _open(qtbot, window, ANNA)
    window.composer().add_attachment(photo)
    window.composer().editor().insertPlainText("Zdjecie.")
    window = _restart(qtbot, window, make_window)
    photo.write_bytes(PNG + b"another picture")  # still a PNG, but not the one attached
    stat = photo.stat()
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))

    _open(qtbot, window, ANNA)
    [changed] = _buttons(window)
    assert "paczka.png" in changed.text() and "zmienił" in changed.text()
    assert not window.composer().send_button().isEnabled()
    _idle(qtbot, window)


def test_sending_clears_the_stored_files_with_the_draft(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro,
        tmp_path: Path) -> None:
    photo, _label = _files(tmp_path)
    window = make_window()
    _open(qtbot, window, ANNA)
    composer = window.composer()
    composer.add_attachment(photo)
    composer.editor().setFocus()
    composer.editor().insertPlainText("Zdjecie paczki.")
    with qtbot.waitSignal(window.reply_queued, timeout=5000):
        qtbot.keyClick(composer.editor(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, window)
    db = sqlite3.connect(context.paths.database)
    assert db.execute("SELECT count(*) FROM drafts WHERE conversation_id = ?", (ANNA,)).fetchone() == (0,)
    db.close()
    # The sent reply names its file, from its outbox card or as the message Allegro stored.
    qtbot.waitUntil(lambda: len(fake_allegro.sent_messages(ANNA)) > 0, timeout=5000)
    qtbot.waitUntil(lambda: window.conversation_view().outbox_states().count("wysłano")
                    + window.conversation_view().message_texts().count("Zdjecie paczki.") == 1, timeout=5000)
    assert "paczka.png" in [label for label, _tooltip in window.conversation_view().attachment_labels()]
    window = _restart(qtbot, window, make_window)
    _open(qtbot, window, ANNA)
    assert window.composer().attachments() == [] and window.composer().text() == ""
    assert "paczka.png" in [label for label, _tooltip in window.conversation_view().attachment_labels()]
    _idle(qtbot, window)


def test_the_outbox_card_names_its_files(qtbot: Any, tmp_path: Path) -> None:
    row = ConversationRow(id="T" * 43, kind=Kind.THREAD.value, sub_kind=SubKind.COMMON.value, status="OPEN",
                          can_reply=True, read=True, needs_reply=False, closed=False, last_activity_at=AT,
                          interlocutor_login="kupujacy", order_id=None, subject=None, snippet=None,
                          decision_due_at=None)
    copy = tmp_path / "abc.png"
    copy.write_bytes(PNG)
    files = (AttachmentRow(id=0, message_id="", remote_id=None, file_name="paczka.png", mime_type="image/png",
                           url=None, local_path=str(copy)),
             AttachmentRow(id=0, message_id="", remote_id=None, file_name="faktura.pdf", mime_type="application/pdf",
                           url=None, local_path=None))
    queued = OutboxRow(id=1, text="Zdjęcie i faktura", state=OutboxState.QUEUED.value, attempts=0, created_at=AT,
                       sent_at=None, error_code=None, error_message=None, attachments=files)
    view = ConversationView()
    qtbot.addWidget(view)
    view.show_detail(ConversationDetail(conversation=row, messages=(), outbox=(queued,), draft=""))
    assert [label for label, _tooltip in view.attachment_labels()] == ["paczka.png", "faktura.pdf"]
    assert len(view.outbox_states()) == 1
    index = view.message_list().model().index(0, 0)
    with qtbot.waitSignal(view.attachment_requested, timeout=1000) as opened:
        place, _row = view.attachment_buttons(index)[0]
        qtbot.mouseClick(view.message_list().viewport(), Qt.MouseButton.LeftButton, pos=place.center())
    assert opened.args == [files[0]]  # opens the copy queued with the reply
