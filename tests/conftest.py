"""Shared test set-up: offscreen Qt, a pinned keyring backend, every folder in a temporary place.

The environment is set at import time, before any test module imports Qt, keyring or platformdirs.
Tests fail on Qt warnings (pytest-qt's qt_log_level_fail), on unexpected ERROR log records and on
threads left running.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import threading
import traceback
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


class _QtWorkWatch:
    """Records every QTimer started and every QThreadPool given a task, with the call site, for the leak check.

    The app never uses the global pool (each WorkerPool has its own), so watching QThreadPool.start on every
    instance is what catches a task a test leaves behind.
    """

    def __init__(self) -> None:
        self.timers: list[tuple[Any, str]] = []
        self.pools: list[tuple[Any, str]] = []
        self._installed = False

    def install(self) -> None:
        if self._installed:
            return
        from PySide6.QtCore import QThreadPool, QTimer

        watch = self
        original_timer_start = QTimer.start
        original_pool_start = QThreadPool.start

        def timer_start(timer: Any, *args: Any) -> None:
            watch.timers.append((weakref.ref(timer), _call_site()))
            original_timer_start(timer, *args)

        def pool_start(pool: Any, *args: Any, **kwargs: Any) -> None:
            watch.pools.append((weakref.ref(pool), _call_site()))
            original_pool_start(pool, *args, **kwargs)

        QTimer.start = timer_start  # type: ignore[method-assign]
        QThreadPool.start = pool_start  # type: ignore[method-assign]
        self._installed = True

    def reset(self) -> None:
        self.timers.clear()
        self.pools.clear()

    def leaks(self) -> list[str]:
        """What is still running; stops the leaked timers and waits for the pools so the next test starts clean."""
        from shiboken6 import isValid

        found: list[str] = []
        for ref, site in self.timers:
            timer = ref()
            if timer is not None and isValid(timer) and timer.isActive():
                found.append(f"a QTimer ({timer.interval()} ms) started at {site} is still active")
                timer.stop()
        reported: set[int] = set()
        for ref, site in self.pools:
            pool = ref()
            if pool is None or not isValid(pool) or id(pool) in reported:
                continue
            if pool.activeThreadCount() > 0:
                reported.add(id(pool))
                found.append(f"a QThreadPool task started at {site} is still running")
                pool.clear()
                pool.waitForDone(5000)
        self.reset()
        return found


def _call_site() -> str:
    """The innermost frame outside Qt's wrappers and this file: where the test or the app started the work."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if frame.filename != __file__:
            return f"{Path(frame.filename).name}:{frame.lineno} ({frame.name})"
    return "?"


_QT_WORK = _QtWorkWatch()


@pytest.fixture(autouse=True)
def _no_leaked_work() -> Iterator[None]:
    """Fails a test that leaves a QTimer active, a task running in any QThreadPool, or a thread running (checked
    after qtbot closed its widgets: autouse fixtures are torn down after the ones a test asks for). Qt work is
    looked at first: joining a thread could let a leaked task finish unseen."""
    _QT_WORK.install()
    _QT_WORK.reset()
    threads_before = {t.ident for t in threading.enumerate()}
    yield
    from PySide6.QtCore import QThreadPool

    leaks = _QT_WORK.leaks()
    if not QThreadPool.globalInstance().waitForDone(5000):
        leaks.append("the global QThreadPool still runs a task")
    threads = [t for t in threading.enumerate() if t.ident not in threads_before and t.is_alive() and not t.daemon]
    for thread in threads:
        thread.join(timeout=5)
    leaks.extend(f"the thread {t.name!r} is still running" for t in threads if t.is_alive())
    if leaks:
        pytest.fail("work left running after the test: " + "; ".join(leaks))


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
def reader(paths: "AppPaths") -> Iterator["sqlite3.Connection"]:
    """A read-only connection to that database, as the window's queries use, closed after the test."""
    from magazyn_desktop.store.db import connect

    connection = connect(paths.database, read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    return folder
