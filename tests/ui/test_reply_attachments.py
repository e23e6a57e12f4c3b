"""Files attached in the composer reach the outbox's enqueue; a file refused there is explained, not lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt

from magazyn_desktop.sync.outgoing import AttachmentRejected
from ui_sample_data import FakeBackend, FakeOutbox, FakeStore

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class RecordingOutbox(FakeOutbox):
    def __init__(self, store: FakeStore, reject: bool = False) -> None:
        super().__init__(store)
        self.reject = reject
        self.attachments: list[list[Path]] = []

    def enqueue(self, conversation_id: str, text: str, attachments: Any = ()) -> int:  # type: ignore[override]
        if self.reject:
            raise AttachmentRejected("paczka.png", "content")
        self.attachments.append(list(attachments))
        return super().enqueue(conversation_id, text)


def _send_with_file(qtbot: Any, window: Any, photo: Path) -> None:
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation("thread-anna")
    composer = window.composer()
    assert composer.add_attachment(photo) is None
    editor = composer.editor()
    editor.setFocus()
    editor.insertPlainText("Zdjecie w zalaczniku.")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_an_attached_file_is_queued_with_the_reply(qtbot: Any, make_window: Callable[..., Any],
                                                   fake_backend: FakeBackend, tmp_path: Path) -> None:
    outbox = RecordingOutbox(fake_backend.store)
    fake_backend.outbox = outbox
    window = make_window()
    photo = tmp_path / "paczka.png"
    photo.write_bytes(PNG)
    with qtbot.waitSignals([window.reply_queued, window.outbox_processed], timeout=5000):
        _send_with_file(qtbot, window, photo)
    assert outbox.attachments == [[photo]]
    assert window.composer().attachments() == [] and window.composer().text() == ""
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_a_file_refused_when_queuing_is_explained_and_the_reply_kept(
    qtbot: Any, make_window: Callable[..., Any], fake_backend: FakeBackend, tmp_path: Path
) -> None:
    fake_backend.outbox = RecordingOutbox(fake_backend.store, reject=True)
    window = make_window()
    photo = tmp_path / "paczka.png"
    photo.write_bytes(PNG)
    with qtbot.waitSignal(window.user_message, timeout=5000) as message:
        _send_with_file(qtbot, window, photo)
    assert "paczka.png" in message.args[0] and "Nie można wysłać" in message.args[0]
    assert window.composer().text() == "Zdjecie w zalaczniku."  # nothing typed is lost
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)
