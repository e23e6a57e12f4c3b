"""The launch sequence: the only place that knows the order of the steps.

1. logging and crash log  2. paths  3. single-instance guard (a headless sync holding the folder is asked to hand
it over)  4. migrate once  5. window (its background work, the network's included, begins once the list has been
painted)  6. queued activations.
Each step is logged with its duration. Nothing opens the database before step 4 has finished. A refusal a person can
meet is also shown in a dialog, since a windowed build has no terminal.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from magazyn_desktop import __version__
from magazyn_desktop.activation import Activation
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.app.launch_steps import (
    EXIT_DATA_DIR,
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_NO_DISPLAY,
    EXIT_OK,
    LaunchError,
    lock_error_message,
    migrate_once,
    prepare_paths,
    resolve_language,
    step,
)
from magazyn_desktop.bundle import MissingResourceError
from magazyn_desktop.launch_texts import launch_text
from magazyn_desktop.logsetup import configure_stderr
from magazyn_desktop.paths import AppPaths

if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QApplication

    from magazyn_desktop.guard import ActivationServer, Holder
    from magazyn_desktop.sync.engine import SyncReport
    from magazyn_desktop.ui.main_window import MainWindow

    from magazyn_desktop.app.store_location import StoreLocation
    from magazyn_desktop.store.schema_version import MigrationResult

log = logging.getLogger("magazyn_desktop.startup")

PROGRESS_AFTER_MS = 500
HANDOVER_DEADLINE_S = 120.0  # a headless sync hands over within a request or two; an upgrade may take longer
# Test hook: milliseconds after which an error dialog closes itself, so a test can see it was shown.
DIALOG_AUTOCLOSE_ENV = "MAGAZYN_TEST_DIALOG_AUTOCLOSE_MS"
SMOKE_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class LaunchOptions:
    data_dir: str | None
    demo: bool
    open_conversation_id: str | None
    language: str | None
    smoke_test: bool = False
    smoke_expect_activations: int = 0  # smoke test: stay up until this many second launches were heard
    store_url: str | None = None  # --store: a team's PostgreSQL store (else MAGAZYN_STORE_URL, else the settings)
    store_allow_plaintext: bool = False


def _display_problem() -> str | None:
    """Qt aborts the process when it cannot load its platform plugin; find that out first and say it clearly."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "xcb"
    return None


def _application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("magazyn-desktop")
    app.setApplicationVersion(__version__)
    return app  # type: ignore[return-value]


def _show_error(message: str, language: str, interactive: bool) -> None:
    """On stderr when there is one, and for a person (not the smoke test) in a dialog: a windowed build has no
    terminal, so a refusal before the window must still be seen."""
    if sys.stderr is not None:  # a windowed frozen app may have none
        print(message, file=sys.stderr)
    if not interactive or _display_problem():
        return
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMessageBox

    _application()
    box = QMessageBox(QMessageBox.Icon.Critical, launch_text("error_title", language), message)
    box.setTextFormat(Qt.TextFormat.PlainText)  # paths, ids and SQLite's words are shown as they are
    autoclose_ms = os.environ.get(DIALOG_AUTOCLOSE_ENV, "")
    if autoclose_ms.isdigit():
        QTimer.singleShot(int(autoclose_ms), box.accept)
    log.info("error dialog shown: %s", message.splitlines()[0] if message else "")
    box.exec()


def _wait_for_headless_holder(paths: AppPaths, holder: Holder, language: str,
                              interactive: bool) -> QLockFile | None:
    """A scheduled sync or an upgrade holds the folder: ask it to hand over and wait, with a progress dialog for a
    person. Returns the lock once taken, or None when a window took it first; LaunchError when the holder keeps
    it past the deadline."""
    from magazyn_desktop.guard import HandoverRequest, read_holder, try_lock

    request = HandoverRequest(paths.lock_file)
    request.make()
    log.info("the data folder is held by a background %s (pid %d): waiting for the background sync to hand over",
             holder.role, holder.pid)
    dialog = None
    if interactive and not _display_problem():
        from PySide6.QtWidgets import QProgressDialog

        app = _application()
        dialog = QProgressDialog(launch_text("waiting_for_background", language), "", 0, 0)
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
    deadline = time.monotonic() + HANDOVER_DEADLINE_S
    try:
        while (lock := try_lock(paths.lock_file)) is None:
            now_held_by = read_holder(paths.lock_file)
            if now_held_by is not None and not now_held_by.headless:
                break
            if time.monotonic() > deadline:
                raise LaunchError(launch_text("background_not_finishing", language, pid=holder.pid), EXIT_LOCKED)
            if dialog is not None:
                app.processEvents()
            time.sleep(0.1)  # the holder finishes its current request first
    finally:
        request.withdraw()
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
    if lock is not None:
        log.info("the background %s handed the data folder over", holder.role)
    return lock


def _migrate_with_progress(app: QApplication, paths: AppPaths, language: str, quiet: bool,
                           team: StoreLocation | None = None) -> MigrationResult:
    """Run the upgrade in the window's kind of background task, so the activation channel keeps answering and
    progress can be shown; a dialog appears only when it takes a while. `team`: a team's store, upgraded under its
    own lock (app/team_store.py) instead of the bench's file."""
    from magazyn_desktop.store.schema_version import SchemaState, read_schema_status

    run: Callable[[Callable[[str, float | None], None]], MigrationResult]
    if team is not None and team.team is not None:
        from magazyn_desktop.app.team_store import migrate_team_store

        address, password = team.team, team.password
        run = lambda _progress: migrate_team_store(address, password, language)  # noqa: E731
    else:
        status = read_schema_status(paths.database)
        if status.state is SchemaState.AT_HEAD:
            return migrate_once(paths, language, status=status)  # the usual launch: one small read, no thread, no Qt
        run = lambda progress: migrate_once(paths, language, progress, status=status)  # noqa: E731

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QProgressDialog

    from magazyn_desktop.ui.workers import CancelToken, WorkerPool

    outcome: dict[str, Any] = {}
    latest: list[tuple[str, float | None]] = [("migrate", None)]
    dialog: QProgressDialog | None = None

    def show_progress() -> None:
        nonlocal dialog
        if dialog is None:
            if quiet or "result" in outcome or "error" in outcome:
                return
            dialog = QProgressDialog(launch_text("migrating", language), "", 0, 100)
            dialog.setCancelButton(None)
            dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            dialog.setMinimumDuration(0)
            dialog.show()
        phase, fraction = latest[-1]
        dialog.setLabelText(launch_text("migrating_backup" if phase == "backup" else "migrating", language))
        if fraction is None:
            dialog.setRange(0, 0)
        else:
            dialog.setRange(0, 100)
            dialog.setValue(int(fraction * 100))

    def on_progress(value: tuple[str, float | None]) -> None:
        latest.append(value)
        if dialog is not None:
            show_progress()

    def upgrade(token: CancelToken) -> MigrationResult:
        return run(lambda phase, fraction: token.report((phase, fraction)))

    loop = QEventLoop()
    # Everything the upgrade raises is the launch's to decide, SystemExit and KeyboardInterrupt included.
    pool = WorkerPool(max_threads=1, unhandled=lambda error: outcome.setdefault("error", error),
                      fatal=lambda error: outcome.setdefault("error", error))
    pool.task_finished.connect(loop.quit)
    delay = QTimer()
    delay.setSingleShot(True)
    delay.timeout.connect(show_progress)
    try:
        pool.submit(upgrade, on_result=lambda result: outcome.setdefault("result", result),
                    on_error=lambda error: outcome.setdefault("error", error), on_progress=on_progress)
        delay.start(PROGRESS_AFTER_MS)
        loop.exec()
    finally:
        delay.stop()
        pool.shutdown()
        pool.deleteLater()
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _migrate_waiting_for_team(app: QApplication, paths: AppPaths, language: str, quiet: bool,
                              team: StoreLocation | None, interactive: bool) -> MigrationResult:
    """Step 4, and for a person whose team database does not answer yet: a small window saying why, trying again
    every few seconds until it answers (then the launch goes on) or Cancel (exit 6, as without a person)."""
    from magazyn_desktop.app.team_store import EXIT_STORE_UNREACHABLE

    while True:
        try:
            return _migrate_with_progress(app, paths, language, quiet, team=team)
        except LaunchError as exc:
            if team is None or not interactive or exc.exit_code != EXIT_STORE_UNREACHABLE:
                raise
            from magazyn_desktop.ui.team_wait_dialog import TeamWaitDialog

            log.info("the team database does not answer; waiting for it: %s", str(exc).splitlines()[0])
            dialog = TeamWaitDialog(str(exc), language)
            try:
                if dialog.exec() != TeamWaitDialog.DialogCode.Accepted:
                    log.info("waiting for the team database cancelled")
                    raise
            finally:
                dialog.deleteLater()


def _team_store(paths: AppPaths, language: str, options: LaunchOptions) -> StoreLocation | None:
    """The team's store this bench uses (--store, MAGAZYN_STORE_URL, the settings), None for the bench's own file;
    raises LaunchError for an address that cannot be one."""
    from magazyn_desktop.app.settings import load_settings
    from magazyn_desktop.app.store_choice import chosen_store_url

    settings = load_settings(paths.settings_file)
    url = chosen_store_url(options.store_url, settings)
    if not url:
        return None
    from magazyn_desktop.allegro.credentials import CredentialStore
    from magazyn_desktop.app.store_location import StoreLocation
    from magazyn_desktop.app.team_store import resolve_store_address, store_password

    address = resolve_store_address(url, language,
                                    allow_plaintext=options.store_allow_plaintext or settings.store_allow_plaintext)
    log.info("team mode: the store is %s", address.display())
    from magazyn_desktop.app.bench_person import person_name
    from magazyn_desktop.app.team_leadership import holder_name

    return StoreLocation(paths.database, address.without_password(), store_password(address, CredentialStore()),
                         holder_name(settings), person_name(settings))


def _plausible_conversation_id(value: str) -> bool:
    """--open takes what an Allegro id can be; anything else would only ever be "not found"."""
    from magazyn_desktop.allegro.ids import InvalidIdError, checked_id

    try:
        checked_id(value.strip(), "conversation")
    except InvalidIdError:
        return False
    return True


def run_app(options: LaunchOptions, started_at: float) -> int:
    """The GUI launch. Returns the process exit code."""
    language = resolve_language(options.language)
    configure_stderr()
    log.info("magazyn-desktop %s starting (pid %d)", __version__, os.getpid())
    if options.smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    if options.open_conversation_id is not None and not _plausible_conversation_id(options.open_conversation_id):
        shown = ascii(options.open_conversation_id)[1:-1][:80]  # escaped: bidi and control characters stay visible
        _show_error(launch_text("invalid_open_id", language, value=shown), language, interactive=not options.smoke_test)
        return EXIT_FAILED

    try:
        with step("paths"):
            paths = prepare_paths(options.data_dir, language)
        language = resolve_language(options.language, paths)
        with step("installation check"):
            from magazyn_desktop.bundle import verify_installation
            from magazyn_desktop.store.schema_version import KNOWN_REVISIONS

            try:
                verify_installation(KNOWN_REVISIONS)
            except MissingResourceError as exc:
                raise LaunchError(launch_text("missing_resource", language, detail=exc), EXIT_FAILED) from exc
        with step("guard"):
            lock = _take_the_folder(paths, language, options)
        if lock is None:
            return EXIT_OK
    except LaunchError as exc:
        _show_error(str(exc), language, interactive=not options.smoke_test)
        return exc.exit_code

    platform = _display_problem()
    if platform:
        _show_error(launch_text("no_display", language, platform=platform), language, interactive=False)
        lock.unlock()
        return EXIT_NO_DISPLAY
    try:
        return _run_primary(options, paths, language, lock, started_at)
    finally:
        lock.unlock()


def _take_the_folder(paths: AppPaths, language: str, options: LaunchOptions) -> QLockFile | None:
    """Step 3: the lock (None when a running window took this launch's request instead)."""
    from magazyn_desktop.guard import Delivered, GuardError, HeldHeadless, LockFileError, acquire_or_deliver

    try:
        outcome = acquire_or_deliver(paths.data, paths.lock_file, Activation(options.open_conversation_id, os.getpid()))
    except LockFileError as exc:
        raise LaunchError(lock_error_message(exc.cause, exc.reason, language, paths), EXIT_DATA_DIR) from exc
    except GuardError as exc:
        if exc.holder_pid is None:
            raise LaunchError(launch_text("already_running_unknown", language), EXIT_LOCKED) from exc
        key = "primary_without_channel" if exc.no_channel else "primary_not_answering"
        raise LaunchError(launch_text(key, language, pid=exc.holder_pid), EXIT_LOCKED) from exc
    if isinstance(outcome, Delivered):
        log.info("another launch (pid %s) is the primary; message delivered", outcome.holder_pid)
        return None
    if isinstance(outcome, HeldHeadless):
        try:
            lock = _wait_for_headless_holder(paths, outcome.holder, language, interactive=not options.smoke_test)
        except LockFileError as exc:
            raise LaunchError(lock_error_message(exc.cause, exc.reason, language, paths), EXIT_DATA_DIR) from exc
        # None: another launch that waited too became the window; this one's request goes to it.
        return lock if lock is not None else _take_the_folder(paths, language, options)
    return outcome.lock


def _run_primary(options: LaunchOptions, paths: AppPaths, language: str, lock: QLockFile, started_at: float) -> int:
    from magazyn_desktop.guard import WINDOW, ActivationServer, record_holder

    app = _application()
    app.setQuitOnLastWindowClosed(True)
    interactive = not options.smoke_test

    with step("activation channel"):
        server = ActivationServer(paths.data)
        # Second launches read this: without a channel they are told at once instead of knocking until a deadline.
        record_holder(paths.lock_file, WINDOW, channel=server.listen())
    try:
        team = _team_store(paths, language, options)
        with step("migrate"):
            result = _migrate_waiting_for_team(app, paths, language, quiet=options.smoke_test, team=team,
                                               interactive=interactive)
        log.info("schema at %s (upgraded: %s)", result.after, result.upgraded)
        context = AppContext(paths=paths, language=language, demo=options.demo,
                             open_conversation_id=options.open_conversation_id,
                             smoke_test=options.smoke_test, revision=result.after, store=team)
        with step("window"):
            from magazyn_desktop.ui.main_window import MainWindow

            window = MainWindow(context)
            window.show_as_left()
        startup_ms = (time.perf_counter() - started_at) * 1000
        log.info("first window shown %.0f ms after start", startup_ms)
        # Everything built so far lives as long as the window: keep it out of the collector's full passes,
        # whose pauses would otherwise grow with it and show up as stalls on the GUI thread.
        import gc

        gc.freeze()
        from magazyn_desktop.ui.first_paint import after_first_paint

        after_first_paint(window.list_view().viewport(), window.start_background_work)
    except LaunchError as exc:
        server.close()
        _show_error(str(exc), language, interactive)
        return exc.exit_code
    except MissingResourceError as exc:
        server.close()
        _show_error(launch_text("missing_resource", language, detail=exc), language, interactive)
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


def _run_smoke_test(app: QApplication, window: MainWindow, server: ActivationServer, context: AppContext,
                    startup_ms: float,
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

        def give_up() -> None:
            timed_out["value"] = True
            loop.quit()

        for each in (signal, *also):
            each.connect(on_signal)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(give_up)
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
    from magazyn_desktop.ui import i18n

    report["qt_translation"] = i18n.qt_translation_loaded()  # Qt's own dialogs in the window's language
    report["holiday_calendar"] = _holiday_calendar_report()
    report["timed_out"] = timed_out["value"]
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return EXIT_OK if not timed_out["value"] and not report.get("open_failed") else EXIT_FAILED


def _holiday_calendar_report() -> dict[str, object]:
    """Whether the build carries Poland's public holidays, and which countries' tables it loaded for them."""
    from datetime import date

    from magazyn_desktop.domain.business_calendar import is_business_day

    easter_monday_2027 = date(2027, 3, 29)
    return {"easter_monday_is_a_holiday": not is_business_day(easter_monday_2027),
            "country_modules": sorted(name for name in sys.modules if name.startswith("holidays.countries."))}


def _describe_sync(outcome: SyncReport | BaseException | None) -> dict[str, object] | None:
    if outcome is None:
        return None
    if isinstance(outcome, BaseException):
        return {"error": str(outcome)}
    return {"conversations_added": outcome.conversations_added, "conversations_changed": outcome.conversations_changed,
            "messages_added": outcome.messages_added, "messages_changed": outcome.messages_changed,
            "offline": outcome.offline}
