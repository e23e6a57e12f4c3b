"""The launch sequence: the only place that knows the order of the steps.

1. logging and crash log  2. paths  3. single-instance guard  4. migrate once  5. window  6. queued activations.
Each step is logged with its duration. Nothing opens the database before step 4 has finished.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from magazyn_desktop import __version__
from magazyn_desktop.activation import Activation
from magazyn_desktop.app_context import AppContext
from magazyn_desktop.bundle import MissingResourceError
from magazyn_desktop.launch_texts import launch_text
from magazyn_desktop.logsetup import configure_file, configure_stderr
from magazyn_desktop.paths import AppPaths, DataDirError, resolve_paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from magazyn_desktop.store.migrate import MigrationResult

log = logging.getLogger("magazyn_desktop.startup")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_DATA_DIR = 2
EXIT_LOCKED = 3
EXIT_NO_DISPLAY = 4
PROGRESS_AFTER_MS = 500
SMOKE_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class LaunchOptions:
    data_dir: str | None
    demo: bool
    open_conversation_id: str | None
    language: str | None
    smoke_test: bool = False
    smoke_expect_activations: int = 0  # smoke test: stay up until this many second launches were heard


class LaunchError(Exception):
    """A failure with a message for the user; the exit code says what kind."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@contextmanager
def _step(name: str) -> Iterator[None]:
    started = time.perf_counter()
    log.info("launch step '%s' started", name)
    try:
        yield
    finally:
        log.info("launch step '%s' took %.1f ms", name, (time.perf_counter() - started) * 1000)


def prepare_paths(data_dir: str | None, language: str) -> AppPaths:
    """Resolve and create the folders, then start writing the log file there."""
    paths = resolve_paths(data_dir)
    try:
        paths.ensure()
    except DataDirError as exc:
        raise LaunchError(launch_text("data_dir_unusable", language, path=paths.data, reason=exc), EXIT_DATA_DIR) from exc
    configure_file(paths.log_file, paths.crash_log)
    return paths


def migration_error_message(exc: Exception, language: str, paths: AppPaths) -> str:
    from magazyn_desktop.store.migrate import (
        BackupError,
        DamagedDatabaseError,
        NewerDatabaseError,
        UpgradeFailedError,
    )

    if isinstance(exc, NewerDatabaseError):
        return launch_text("newer_database", language, stored=exc.stored, head=exc.head)
    if isinstance(exc, DamagedDatabaseError):
        return launch_text("damaged_database", language, detail=exc.detail, moved_to=exc.moved_to)
    if isinstance(exc, BackupError):
        return launch_text("backup_failed", language, detail=exc)
    if isinstance(exc, UpgradeFailedError):
        key = "upgrade_failed" if exc.restored else "create_failed"
        return launch_text(key, language, detail=exc, log=paths.log_file)
    if isinstance(exc, OSError):
        return launch_text("data_dir_unusable", language, path=paths.data, reason=exc.strerror or exc)
    return launch_text("unexpected", language, log=paths.log_file)


def migrate_once(paths: AppPaths, language: str,
                 progress: Callable[[str, float | None], None] | None = None) -> MigrationResult:
    """Step 4. Raises LaunchError with the user's message; the caller must hold the guard."""
    from magazyn_desktop.store.migrate import MigrationError, upgrade_to_head

    try:
        return upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine, progress=progress)
    except (MigrationError, OSError) as exc:
        log.error("schema upgrade refused or failed: %s", exc)
        raise LaunchError(migration_error_message(exc, language, paths), EXIT_FAILED) from exc


def _display_problem() -> str | None:
    """Qt aborts the process when it cannot load its platform plugin; find that out first and say it clearly."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "xcb"
    return None


def _show_error(message: str, language: str, app: QApplication | None, interactive: bool) -> None:
    if sys.stderr is not None:  # a windowed frozen app may have none
        print(message, file=sys.stderr)
    if app is not None and interactive:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, launch_text("error_title", language), message)


def _migrate_with_progress(app: QApplication, paths: AppPaths, language: str, quiet: bool) -> MigrationResult:
    """Run the upgrade on a helper thread so the activation channel keeps answering and progress can be shown."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QProgressDialog

    from magazyn_desktop.store.schema_version import SchemaState, read_schema_status

    if read_schema_status(paths.database).state is SchemaState.AT_HEAD:
        return migrate_once(paths, language)  # the usual launch: one small read, no thread, no waiting

    outcome: dict[str, Any] = {}
    fractions: list[tuple[str, float | None]] = []
    lock = threading.Lock()
    loop = QEventLoop()

    def report(phase: str, fraction: float | None) -> None:
        with lock:
            fractions.append((phase, fraction))

    def work() -> None:
        try:
            outcome["result"] = migrate_once(paths, language, report)
        except BaseException as exc:  # handed to the GUI thread, which decides
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="schema-upgrade", daemon=True)
    dialog: QProgressDialog | None = None
    started = time.perf_counter()

    def poll() -> None:
        nonlocal dialog
        if not worker.is_alive():
            loop.quit()
            return
        if quiet or (time.perf_counter() - started) * 1000 < PROGRESS_AFTER_MS:
            return
        if dialog is None:
            dialog = QProgressDialog(launch_text("migrating", language), "", 0, 100)
            dialog.setCancelButton(None)
            dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            dialog.setMinimumDuration(0)
            dialog.show()
        with lock:
            phase, fraction = fractions[-1] if fractions else ("migrate", None)
        dialog.setLabelText(launch_text("migrating_backup" if phase == "backup" else "migrating", language))
        if fraction is None:
            dialog.setRange(0, 0)
        else:
            dialog.setRange(0, 100)
            dialog.setValue(int(fraction * 100))

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(poll)
    worker.start()
    timer.start()
    loop.exec()
    timer.stop()
    worker.join()
    if dialog is not None:
        dialog.close()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def resolve_language(requested: str | None, paths: AppPaths | None = None) -> str:
    if requested in ("pl", "en"):
        return requested
    if paths is not None and paths.settings_file.is_file():
        try:
            stored = json.loads(paths.settings_file.read_text(encoding="utf-8")).get("language")
        except (OSError, ValueError, AttributeError):
            stored = None
        if stored in ("pl", "en"):
            return stored
    return "pl"


def run_app(options: LaunchOptions, started_at: float) -> int:
    """The GUI launch. Returns the process exit code."""
    language = resolve_language(options.language)
    configure_stderr()
    log.info("magazyn-desktop %s starting (pid %d)", __version__, os.getpid())
    if options.smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    try:
        with _step("paths"):
            paths = prepare_paths(options.data_dir, language)
        language = resolve_language(options.language, paths)
        with _step("installation check"):
            from magazyn_desktop.bundle import verify_installation
            from magazyn_desktop.store.schema_version import KNOWN_REVISIONS

            try:
                verify_installation(KNOWN_REVISIONS)
            except MissingResourceError as exc:
                raise LaunchError(launch_text("missing_resource", language, detail=exc), EXIT_FAILED) from exc
        with _step("guard"):
            from magazyn_desktop.guard import Acquired, GuardError, acquire_or_deliver

            try:
                outcome = acquire_or_deliver(paths.data, paths.lock_file,
                                             Activation(options.open_conversation_id, os.getpid()))
            except GuardError as exc:
                raise LaunchError(launch_text("primary_not_answering", language, pid=exc.holder_pid), EXIT_LOCKED) from exc
        if not isinstance(outcome, Acquired):
            log.info("another launch (pid %s) is the primary; message delivered", outcome.holder_pid)
            return EXIT_OK
    except LaunchError as exc:
        _show_error(str(exc), language, None, interactive=False)
        return exc.exit_code

    platform = _display_problem()
    if platform:
        _show_error(launch_text("no_display", language, platform=platform), language, None, interactive=False)
        outcome.lock.unlock()
        return EXIT_NO_DISPLAY
    try:
        return _run_primary(options, paths, language, outcome.lock, started_at)
    finally:
        outcome.lock.unlock()


def _run_primary(options: LaunchOptions, paths: AppPaths, language: str, lock: Any, started_at: float) -> int:
    from PySide6.QtWidgets import QApplication

    from magazyn_desktop.guard import ActivationServer

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("magazyn-desktop")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(True)
    interactive = not options.smoke_test

    with _step("activation channel"):
        server = ActivationServer(paths.data)
        server.listen()
    try:
        with _step("migrate"):
            result = _migrate_with_progress(app, paths, language, quiet=options.smoke_test)
        log.info("schema at %s (upgraded: %s)", result.after, result.upgraded)
        context = AppContext(paths=paths, language=language, demo=options.demo,
                             open_conversation_id=options.open_conversation_id,
                             smoke_test=options.smoke_test, revision=result.after)
        with _step("window"):
            from magazyn_desktop.ui.main_window import MainWindow

            window = MainWindow(context)
            window.show()
        startup_ms = (time.perf_counter() - started_at) * 1000
        log.info("first window shown %.0f ms after start", startup_ms)
        # Everything built so far lives as long as the window: keep it out of the collector's full passes,
        # whose pauses would otherwise grow with it and show up as stalls on the GUI thread.
        import gc

        gc.freeze()
        window.start_background_work()
    except LaunchError as exc:
        server.close()
        _show_error(str(exc), language, app, interactive)
        return exc.exit_code
    except MissingResourceError as exc:
        server.close()
        _show_error(launch_text("missing_resource", language, detail=exc), language, app, interactive)
        return EXIT_FAILED

    _quit_on_termination(app)
    if options.open_conversation_id:  # this launch's own request first, then what second launches asked for
        window.activate(options.open_conversation_id)
    server.set_ready(lambda activation: window.activate(activation.open_conversation_id))

    try:
        if options.smoke_test:
            return _run_smoke_test(app, window, server, context, startup_ms, options)
        return app.exec()
    finally:
        window.shutdown()
        server.close()


def _quit_on_termination(app: QApplication) -> None:
    """SIGTERM and Ctrl+C close the window the normal way, so drafts are saved and workers are joined."""
    import signal

    from PySide6.QtCore import QTimer

    def request_quit(_signum: int, _frame: object) -> None:
        app.quit()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_quit)
    # Python runs signal handlers only between bytecodes; a light timer gives it the chance while Qt waits.
    wake = QTimer(app)
    wake.setInterval(250)
    wake.timeout.connect(lambda: None)
    wake.start()


def _run_smoke_test(app: QApplication, window: Any, server: Any, context: AppContext, startup_ms: float,
                    options: LaunchOptions) -> int:
    """The whole launch offscreen: wait for the first sync, open one conversation, print one JSON line."""
    from PySide6.QtCore import QEventLoop, QTimer

    report: dict[str, Any] = {"version": __version__, "revision": context.revision, "startup_ms": round(startup_ms, 1),
                              "demo": context.demo, "opened": None, "sync": None}
    loop = QEventLoop()
    timed_out = {"value": False}

    def wait(signal: Any, condition: Callable[[], bool] | None = None, *also: Any) -> Any:
        """Run the loop until `signal` (or one of `also`) arrives and `condition` holds, or the smoke timeout."""
        received: dict[str, Any] = {}

        def on_signal(value: Any = None) -> None:
            received["value"] = value
            if condition is None or condition():
                loop.quit()

        for each in (signal, *also):
            each.connect(on_signal)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: (timed_out.__setitem__("value", True), loop.quit()))
        timer.start(SMOKE_TIMEOUT_MS)
        if condition is None or not condition():
            loop.exec()
        timer.stop()
        for each in (signal, *also):
            each.disconnect(on_signal)
        return received.get("value")

    displayed: list[str] = []
    failed: list[str] = []
    window.conversation_displayed.connect(displayed.append)
    window.conversation_failed.connect(failed.append)  # an unknown id fails at once, not at the smoke timeout
    report["sync"] = _describe_sync(wait(window.initial_sync_finished))
    target = options.open_conversation_id or window.first_conversation_id()
    if target:
        if not options.open_conversation_id:
            window.open_conversation(target)
        if target not in displayed and target not in failed:
            wait(window.conversation_displayed, lambda: target in displayed or target in failed,
                 window.conversation_failed)
        report["opened"] = target if target in displayed else None
        report["open_failed"] = target if target in failed and target not in displayed else None
    report["conversations"] = window.conversation_count()
    if options.smoke_expect_activations:
        expected = options.smoke_expect_activations
        wait(server.activation_received, lambda: len(server.received) >= expected)
        # An activation asks the window to open its conversation: wait until it is on screen too.
        wanted = {a.open_conversation_id for a in server.received if a.open_conversation_id}
        if wanted - set(displayed):
            wait(window.conversation_displayed, lambda: wanted <= set(displayed))
    report["activations"] = [{"open": a.open_conversation_id, "pid": a.sender_pid} for a in server.received]
    report["displayed"] = displayed
    report["timed_out"] = timed_out["value"]
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return EXIT_OK if not timed_out["value"] and not report.get("open_failed") else EXIT_FAILED


def _describe_sync(outcome: Any) -> Any:
    if outcome is None:
        return None
    if isinstance(outcome, BaseException):
        return {"error": str(outcome)}
    fields = ("conversations_added", "conversations_changed", "messages_added", "messages_changed", "offline")
    return {name: getattr(outcome, name) for name in fields if hasattr(outcome, name)}
