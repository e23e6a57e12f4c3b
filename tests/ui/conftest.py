"""Fixtures for the window's tests: a sample database at head, a fake backend, and a window factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.paths import AppPaths
from ui_sample_data import FakeBackend, FakeStore, build_sample_database


@pytest.fixture
def sample_paths(tmp_path: Path) -> AppPaths:
    return build_sample_database(tmp_path / "data")



@pytest.fixture
def fake_backend(sample_paths: AppPaths) -> FakeBackend:
    return FakeBackend(store=FakeStore(sample_paths.database))


@pytest.fixture
def context(sample_paths: AppPaths) -> AppContext:
    return AppContext(paths=sample_paths, language="pl", demo=True)


@pytest.fixture
def make_window(qtbot: Any, context: AppContext, fake_backend: FakeBackend) -> Callable[..., Any]:
    """Build a MainWindow over the sample database with the fake backend; shut down at the end of the test."""
    from magazyn_desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(ctx: AppContext | None = None, backend: FakeBackend | None = None, start: bool = True) -> MainWindow:
        chosen = backend or fake_backend
        window = MainWindow(ctx or context, backend_factory=lambda: chosen)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        if start:
            with qtbot.waitSignal(window.initial_sync_finished, timeout=5000):
                window.start_background_work()
        return window

    yield make
    for window in windows:
        window.shutdown()


@pytest.fixture(autouse=True)
def _forget_language() -> Any:
    """Each test starts without an installed translator, so language tests do not leak into others."""
    from magazyn_desktop.ui import i18n

    yield
    i18n.reset_for_tests()


@pytest.fixture(autouse=True)
def _settings_after_first_run(sample_paths: AppPaths) -> None:
    """The sample data folder belongs to a user who has passed the first-run screen."""
    from magazyn_desktop.app.settings import Settings, save_settings

    if not sample_paths.settings_file.exists():
        save_settings(sample_paths.settings_file, Settings(first_run_done=True))
