"""The launch's upgrade runs as a background task of the window's kind: progress in a dialog, errors handed back."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from magazyn_desktop import startup
from magazyn_desktop.app.launch_steps import LaunchError
from magazyn_desktop.launch_texts import launch_text
from magazyn_desktop.paths import AppPaths


@pytest.fixture
def new_paths(tmp_path: Path) -> AppPaths:
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    return paths  # no database yet: the upgrade has work to do


def _visible_progress() -> QProgressDialog | None:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    return shown[0] if shown else None


def test_a_slow_upgrade_shows_its_phase_and_fraction(qapp: QApplication, new_paths: AppPaths,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    seen_on_screen = threading.Event()
    result = object()

    def slow_upgrade(paths: AppPaths, language: str, progress: Any = None, status: Any = None) -> Any:
        assert threading.current_thread() is not threading.main_thread()
        progress("backup", 0.5)
        assert seen_on_screen.wait(10), "the dialog never showed the backup at 50%"
        return result

    def look() -> None:
        dialog = _visible_progress()
        if dialog is not None and dialog.value() == 50 and dialog.labelText() == launch_text("migrating_backup", "pl"):
            seen_on_screen.set()

    monkeypatch.setattr(startup, "PROGRESS_AFTER_MS", 0)
    monkeypatch.setattr(startup, "migrate_once", slow_upgrade)
    watcher = QTimer()
    watcher.setInterval(10)
    watcher.timeout.connect(look)
    watcher.start()
    try:
        assert startup._migrate_with_progress(qapp, new_paths, "pl", quiet=False) is result
    finally:
        watcher.stop()
    assert seen_on_screen.is_set()
    assert _visible_progress() is None  # closed once the upgrade ended


@pytest.mark.parametrize("raised", [LaunchError("Nie można uaktualnić bazy", 1), SystemExit(2)])
def test_what_the_upgrade_raises_reaches_the_launch(qapp: QApplication, new_paths: AppPaths,
                                                    monkeypatch: pytest.MonkeyPatch, raised: BaseException) -> None:
    def failing_upgrade(paths: AppPaths, language: str, progress: Any = None, status: Any = None) -> Any:
        raise raised

    monkeypatch.setattr(startup, "migrate_once", failing_upgrade)
    with pytest.raises(type(raised)) as caught:
        startup._migrate_with_progress(qapp, new_paths, "pl", quiet=True)
    assert caught.value is raised


def test_a_real_upgrade_of_a_new_folder_reaches_head(qapp: QApplication, new_paths: AppPaths) -> None:
    from magazyn_desktop.store.schema_version import HEAD_REVISION

    result = startup._migrate_with_progress(qapp, new_paths, "pl", quiet=True)
    assert result.upgraded and result.after == HEAD_REVISION


def test_at_head_the_launch_reads_the_schema_once(qapp: QApplication, new_paths: AppPaths,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from magazyn_desktop.store import schema_version

    startup._migrate_with_progress(qapp, new_paths, "pl", quiet=True)  # a new folder: now at head
    opened: list[Path] = []
    original = schema_version.open_for_inspection

    def counting(database: Path) -> Any:
        opened.append(database)
        return original(database)

    monkeypatch.setattr(schema_version, "open_for_inspection", counting)
    result = startup._migrate_with_progress(qapp, new_paths, "pl", quiet=True)
    assert not result.upgraded
    assert opened == [new_paths.database]
