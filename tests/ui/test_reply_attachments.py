"""Files attached in the composer go out with the reply; a file refused when queuing is explained, not lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt
from ui_sample_data import ANNA

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TEXT = "Zdjecie w zalaczniku."


def _send_with_file(qtbot: Any, window: Any, photo: Path, *, before_sending: Callable[[], None] = lambda: None) -> None:
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    composer = window.composer()
    assert composer.add_attachment(photo) is None
    before_sending()
    editor = composer.editor()
    editor.setFocus()
    editor.insertPlainText(TEXT)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_an_attached_file_is_sent_with_the_reply(qtbot: Any, make_window: Callable[..., Any],
                                                 fake_allegro: DemoAllegro, tmp_path: Path) -> None:
    window = make_window()
    photo = tmp_path / "paczka.png"
    photo.write_bytes(PNG)
    with qtbot.waitSignal(window.reply_queued, timeout=5000):
        _send_with_file(qtbot, window, photo)
    assert window.composer().attachments() == [] and window.composer().text() == ""
    qtbot.waitUntil(lambda: len(fake_allegro.sent_messages(ANNA)) > 0, timeout=5000)
    [sent] = fake_allegro.sent_messages(ANNA)
    assert sent.text == TEXT and len(sent.attachment_ids) == 1
    uploaded = fake_allegro.data.attachments[sent.attachment_ids[0]]
    assert (uploaded.file_name, uploaded.content, uploaded.mime_type) == ("paczka.png", PNG, "image/png")
    _idle(qtbot, window)


def test_a_file_refused_when_queuing_is_explained_and_the_reply_kept(
    qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro, tmp_path: Path
) -> None:
    window = make_window()
    photo = tmp_path / "paczka.png"
    photo.write_bytes(PNG)

    def replaced_by_a_program() -> None:  # after it was attached, before the reply is queued
        photo.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")

    with qtbot.waitSignal(window.user_message, timeout=5000) as message:
        _send_with_file(qtbot, window, photo, before_sending=replaced_by_a_program)
    assert "paczka.png" in message.args[0] and "Nie można wysłać" in message.args[0]
    assert window.composer().text() == TEXT  # nothing typed is lost
    _idle(qtbot, window)
    assert fake_allegro.sent_messages(ANNA) == []
    db = sqlite3.connect(context.paths.database)
    assert db.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
    db.close()


def test_attached_files_stay_with_their_reply_across_switches_and_can_be_removed(
        qtbot: Any, make_window: Callable[..., Any], tmp_path: Path) -> None:
    from PySide6.QtWidgets import QToolButton
    from ui_sample_data import MAREK

    window = make_window()
    photo, label = tmp_path / "paczka.png", tmp_path / "etykieta.png"
    photo.write_bytes(PNG)
    label.write_bytes(PNG)
    composer = window.composer()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    assert composer.add_attachment(photo) is None and composer.add_attachment(label) is None
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(MAREK)
    assert composer.attachments() == []  # another conversation's reply has its own files
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    assert composer.attachments() == [photo, label]  # back: the files are still there
    buttons = [b for b in composer.findChildren(QToolButton) if "paczka.png" in b.text()]
    assert len(buttons) == 1
    buttons[0].click()  # a file attached by mistake goes
    assert composer.attachments() == [label]
    _idle(qtbot, window)
