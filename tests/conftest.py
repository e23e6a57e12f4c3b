"""Shared test set-up: offscreen Qt, a pinned keyring backend, every folder in a temporary place.

The environment is set at import time, before any test module imports Qt, keyring or platformdirs.
Tests fail on Qt warnings (pytest-qt's qt_log_level_fail), on unexpected ERROR log records and on
threads left running.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from magazyn_desktop.paths import AppPaths
    from magazyn_desktop.store.repository import Store

REAL_HOME = Path(os.path.expanduser("~"))
_SANDBOX = Path(tempfile.mkdtemp(prefix="magazyn-tests-"))
os.environ["HOME"] = str(_SANDBOX / "home")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "home" / ".local" / "share")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "home" / ".config")
os.environ["XDG_CACHE_HOME"] = str(_SANDBOX / "home" / ".cache")
os.environ["XDG_STATE_HOME"] = str(_SANDBOX / "home" / ".local" / "state")
os.environ["XDG_RUNTIME_DIR"] = str(_SANDBOX / "runtime")
os.environ["MAGAZYN_DATA_DIR"] = str(_SANDBOX / "default-data")
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.pop("MAGAZYN_ACCESS_TOKEN", None)
os.environ.pop("MAGAZYN_API_URL", None)
os.environ.pop("MAGAZYN_AUTH_URL", None)
for _folder in ("home", "runtime"):
    (_SANDBOX / _folder).mkdir(mode=0o700, parents=True, exist_ok=True)

# Places the app would write to under the real home if a test forgot to redirect it.
_GUARDED_UNDER_REAL_HOME = [
    REAL_HOME / ".local" / "share" / "magazyn-desktop",
    REAL_HOME / ".config" / "magazyn-desktop",
    REAL_HOME / ".cache" / "magazyn-desktop",
    REAL_HOME / ".local" / "state" / "magazyn-desktop",
]


def _snapshot(paths: list[Path]) -> dict[Path, float | None]:
    return {path: (path.stat().st_mtime if path.exists() else None) for path in paths}


_REAL_HOME_BEFORE = _snapshot(_GUARDED_UNDER_REAL_HOME)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    after = _snapshot(_GUARDED_UNDER_REAL_HOME)
    changed = [str(path) for path, mtime in after.items() if mtime != _REAL_HOME_BEFORE[path]]
    if changed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nFAILED: tests wrote under the real home folder: {changed}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_error_logs: the test expects ERROR log records")


@pytest.fixture(autouse=True)
def _no_error_logs(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    if request.node.get_closest_marker("allow_error_logs"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    if errors:
        pytest.fail("unexpected ERROR log records: " + "; ".join(f"{r.name}: {r.getMessage()}" for r in errors))


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    leaked = [t for t in threading.enumerate() if t.ident not in before and t.is_alive() and not t.daemon]
    for thread in leaked:
        thread.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    if still:
        pytest.fail(f"threads left running: {still}")
    try:
        from PySide6.QtCore import QThreadPool
    except ImportError:  # pragma: no cover - Qt is a hard dependency
        return
    import sys

    if "PySide6.QtWidgets" in sys.modules or "PySide6.QtCore" in sys.modules:
        pool = QThreadPool.globalInstance()
        if not pool.waitForDone(5000):
            pytest.fail("QThreadPool workers still running after the test")


@pytest.fixture
def paths(tmp_path: Path) -> "AppPaths":
    """A data folder with its database at head."""
    from magazyn_desktop.paths import AppPaths
    from magazyn_desktop.store.migrate import upgrade_to_head

    app_paths = AppPaths(tmp_path / "data")
    app_paths.ensure()
    upgrade_to_head(app_paths.database, backups=app_paths.backups, quarantine=app_paths.quarantine)
    return app_paths


@pytest.fixture
def store(paths: "AppPaths") -> Iterator["Store"]:
    """The single writer over that database, closed after the test."""
    from magazyn_desktop.store.repository import Store

    opened = Store.open(paths.database)
    yield opened
    opened.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    return folder
