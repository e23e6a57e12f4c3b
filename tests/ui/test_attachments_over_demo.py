"""The window over the real backend and the demo Allegro: a buyer's disguised executable is kept, not opened."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from magazyn_desktop.fake_allegro import DemoAllegro, DisguisedFile
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.app.settings import Settings, save_settings


@pytest.fixture
def demo_window(qtbot: Any, tmp_path: Path) -> Iterator[tuple[Any, DemoAllegro]]:
    from magazyn_desktop.app.backend import build_backend
    from magazyn_desktop.ui.main_window import MainWindow

    paths = AppPaths(tmp_path / "demo-data")
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    save_settings(paths.settings_file, Settings(first_run_done=True))
    backend = build_backend(paths, demo=True, language="pl")
    window = MainWindow(AppContext(paths=paths, language="pl", demo=True), backend_factory=lambda: backend)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.initial_sync_finished, timeout=30000):
        window.start_background_work()
    yield window, backend.fake_allegro
    window.shutdown()


def _a_thread_with_an_attachment(window: Any) -> str:
    db = sqlite3.connect(window._paths.database)
    try:
        row = db.execute("SELECT c.id FROM attachments a JOIN messages m ON a.message_id = m.id "
                         "JOIN conversations c ON m.conversation_id = c.id WHERE c.kind = 'thread' "
                         "ORDER BY c.id LIMIT 1").fetchone()
    finally:
        db.close()
    assert row is not None, "the demo data has attachments in threads"
    return str(row[0])


def _download_first_attachment(qtbot: Any, window: Any) -> Path:
    conversation_id = _a_thread_with_an_attachment(window)
    with qtbot.waitSignal(window.conversation_displayed, timeout=10000):
        window.open_conversation(conversation_id)
    attachment = next(a for m in window.conversation_view().detail.messages for a in m.attachments)
    with qtbot.waitSignal(window.attachment_saved, timeout=10000) as blocker:
        window.conversation_view().attachment_requested.emit(attachment)
    return blocker.args[0]


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=10000)


def test_demo_attachments_open_directly(qtbot: Any, demo_window: tuple[Any, DemoAllegro]) -> None:
    window, _demo = demo_window
    opened: list[Path] = []
    window.open_file = opened.append
    path = _download_first_attachment(qtbot, window)
    assert opened == [path] and path.suffix in (".pdf", ".png", ".jpg")
    _idle(qtbot, window)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen platform, dialogs
def test_a_disguised_executable_from_allegro_is_kept_and_shown_in_its_folder(
        qtbot: Any, demo_window: tuple[Any, DemoAllegro]) -> None:
    window, demo = demo_window
    opened: list[Path] = []
    folders: list[Path] = []
    window.open_file = opened.append
    window.open_folder = folders.append
    demo.faults.disguised_download = DisguisedFile(
        "faktura\u202egpj.exe", b"MZ\x90\x00\x03\x00\x00\x00", "image/jpeg")
    path = _download_first_attachment(qtbot, window)
    assert path.name == "faktura⟨U+202E⟩gpj_exe.bin" and path.read_bytes().startswith(b"MZ")
    box = window.findChild(QMessageBox, "attachmentWarning")
    qtbot.waitUntil(box.isVisible, timeout=5000)
    assert "⟨U+202E⟩" in box.text() and "\u202e" not in box.text()
    box.findChild(QPushButton, "showInFolder").click()
    assert opened == [] and folders == [path.parent]
    _idle(qtbot, window)
