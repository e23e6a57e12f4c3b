"""Background work for the window: every task ends with a result or an error, delivered on the GUI thread.

Tasks are QRunnables on a private QThreadPool. Their outcome travels through a signal on a QObject that lives
in the GUI thread (never on the runnable itself, which Qt may delete). Cancellation is cooperative: a task gets
a CancelToken to poll. Tasks submitted under a `channel` (for example "conversation") supersede each other:
a newer submission cancels the older one and the older result is dropped (handed to the task's `dispose`, so a
backend or sign-in flow nobody takes any more is closed), so the screen only ever shows what the user asked for
last. A task reports progress with `token.report(value)`; it reaches `on_progress` on the GUI thread.

A failure with no `on_error`, or one raised by a handler, goes to the pool's `unhandled` callback (the window shows
it). SystemExit and KeyboardInterrupt are no failures to show: they go to `fatal`, which ends the application.

A pool made `abandonable` (the one for network work) runs each task's function on a daemon thread of its own and
stops waiting for it when the pool shuts down: a request blocked on a silent server cannot be cancelled
cooperatively, and must hold neither the pool's shutdown nor the process's exit. Until then a cancelled task keeps
its slot, so the pool never runs more requests at once than its thread limit.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal, Slot

log = logging.getLogger(__name__)

DEFAULT_MAX_THREADS = 4
T = TypeVar("T")


def _log_unhandled(error: BaseException) -> None:
    log.error("a background task failed and nobody handled it", exc_info=error)


def _end_application(error: BaseException) -> None:
    """What the main thread would have done: SystemExit ends with its code, Ctrl+C ends the program."""
    from PySide6.QtCore import QCoreApplication

    code = error.code if isinstance(error, SystemExit) and isinstance(error.code, int) else 1
    log.warning("a background task raised %s: the application ends", type(error).__name__)
    QCoreApplication.exit(code)


class CancelledError(Exception):
    """Raised inside a task that noticed its token was cancelled."""


class CancelToken:
    """Checked by a task between steps, and its way to report progress; thread-safe."""

    def __init__(self, report: Callable[[object], None] | None = None) -> None:
        self._event = threading.Event()
        self._report = report

    def report(self, value: object) -> None:
        """Progress for the GUI thread; dropped once the task is cancelled."""
        if self._report is not None and not self._event.is_set():
            self._report(value)

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def __call__(self) -> bool:  # so a token can be passed where a `cancelled()` callable is expected
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError()


@dataclass(frozen=True)
class _Outcome:
    task_id: int
    result: Any = None
    error: BaseException | None = None


class _Bridge(QObject):
    """Carries outcomes and progress from pool threads to the GUI thread."""

    done = Signal(object)
    progress = Signal(int, object)  # task id, value


class _Task(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[CancelToken], Any], token: CancelToken, bridge: _Bridge,
                 abandoned: threading.Event | None) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task_id = task_id
        self._fn = fn
        self._token = token
        self._bridge = bridge
        self._abandoned = abandoned  # set when the pool shuts down; None: the pool never abandons its tasks

    def run(self) -> None:
        try:
            if self._token.cancelled:
                raise CancelledError()
            result = self._fn(self._token) if self._abandoned is None else self._run_until_abandoned(self._abandoned)
            outcome = _Outcome(self._task_id, result=result)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI thread as an error
            outcome = _Outcome(self._task_id, error=exc)
        self._bridge.done.emit(outcome)

    def _run_until_abandoned(self, abandoned: threading.Event) -> Any:
        """The function on a daemon thread; its outcome, or CancelledError once the pool has abandoned it."""
        ended = threading.Event()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["result"] = self._fn(self._token)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting task below
                outcome["error"] = exc
            finally:
                ended.set()

        threading.Thread(target=work, name="network-task", daemon=True).start()
        while not ended.wait(0.1):  # checked often enough for a 2 s quit, rarely enough to cost nothing
            if abandoned.is_set():
                break
        if "error" in outcome:
            raise outcome["error"]
        if "result" not in outcome:
            raise CancelledError()  # abandoned: whatever it still does, nobody waits for it
        return outcome["result"]


@dataclass
class _Pending:
    token: CancelToken
    on_result: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[Any], None] | None
    dispose: Callable[[Any], None] | None
    channel: str | None
    generation: int


class TaskHandle:
    def __init__(self, task_id: int, token: CancelToken) -> None:
        self.id = task_id
        self.token = token

    def cancel(self) -> None:
        self.token.cancel()


class WorkerPool(QObject):
    """A small pool for the window's background tasks; `shutdown()` cancels everything and waits."""

    task_finished = Signal()  # after each outcome was handled (or dropped); handy for tests

    def __init__(self, max_threads: int = DEFAULT_MAX_THREADS, parent: QObject | None = None, *,
                 abandonable: bool = False, unhandled: Callable[[BaseException], None] | None = None,
                 fatal: Callable[[BaseException], None] | None = None) -> None:
        super().__init__(parent)
        self._unhandled = unhandled or _log_unhandled
        self._fatal = fatal or _end_application
        self._abandoned = threading.Event() if abandonable else None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._bridge = _Bridge(self)
        # Queued: outcomes are emitted from pool threads and handled in the GUI thread's event loop.
        self._bridge.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._bridge.progress.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._generations: dict[str, int] = {}
        self._closed = False

    def submit(self, fn: Callable[[CancelToken], T], *, on_result: Callable[[T], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               on_progress: Callable[[Any], None] | None = None, dispose: Callable[[T], None] | None = None,
               channel: str | None = None) -> TaskHandle:
        """Run fn(token) in the pool; exactly one of on_result/on_error is called later on the GUI thread,
        unless the task was cancelled or superseded in its channel: then neither is, and a result it still
        produced goes to `dispose`."""
        task_id = next(self._ids)
        bridge = self._bridge
        token = CancelToken(lambda value: bridge.progress.emit(task_id, value))
        generation = 0
        if channel is not None:
            generation = self._generations.get(channel, 0) + 1
            self._generations[channel] = generation
            for pending in self._pending.values():
                if pending.channel == channel:
                    pending.token.cancel()
        if self._closed:
            token.cancel()
            return TaskHandle(task_id, token)
        self._pending[task_id] = _Pending(token, on_result, on_error, on_progress, dispose, channel, generation)
        self._pool.start(_Task(task_id, fn, token, self._bridge, self._abandoned))
        return TaskHandle(task_id, token)

    def invalidate(self, channel: str) -> None:
        """Drop whatever is running in a channel (the user left the conversation it was loading)."""
        self._generations[channel] = self._generations.get(channel, 0) + 1
        for pending in self._pending.values():
            if pending.channel == channel:
                pending.token.cancel()

    def active_count(self) -> int:
        return len(self._pending)

    def is_busy(self, channel: str) -> bool:
        return any(pending.channel == channel for pending in self._pending.values())

    def _is_current(self, pending: _Pending) -> bool:
        stale = pending.channel is not None and self._generations.get(pending.channel) != pending.generation
        return not (self._closed or stale or pending.token.cancelled)

    @Slot(int, object)
    def _deliver_progress(self, task_id: int, value: object) -> None:
        pending = self._pending.get(task_id)
        if pending is None or pending.on_progress is None or not self._is_current(pending):
            return
        try:
            pending.on_progress(value)
        except Exception as exc:  # a broken handler must not break the task's later deliveries
            self._unhandled(exc)

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        pending = self._pending.pop(outcome.task_id, None)
        if pending is None:
            return
        try:
            if outcome.error is not None and not isinstance(outcome.error, Exception):
                self._fatal(outcome.error)  # SystemExit, KeyboardInterrupt: not a failure to show and go on from
            elif not self._is_current(pending) or isinstance(outcome.error, CancelledError):
                if outcome.error is None and pending.dispose is not None:
                    pending.dispose(outcome.result)
            elif outcome.error is not None:
                (pending.on_error or self._unhandled)(outcome.error)
            elif pending.on_result is not None:
                pending.on_result(outcome.result)
        except Exception as exc:  # a broken handler must not break the delivery of later outcomes
            self._unhandled(exc)
        finally:
            self.task_finished.emit()

    def shutdown(self, timeout_ms: int = 10000, *, drain: bool = False) -> bool:
        """Cancel every task, wait for the running ones, and remove the pool's threads. Idempotent.

        drain=True lets queued tasks run to the end instead (the writer's last draft must reach the disk).
        """
        self._closed = True
        if not drain:
            for pending in self._pending.values():
                pending.token.cancel()
            self._pool.clear()  # tasks not started yet never start
            if self._abandoned is not None:
                self._abandoned.set()
        finished = self._pool.waitForDone(timeout_ms)
        if not finished:
            log.warning("background tasks still running after %d ms", timeout_ms)
        self._pending.clear()
        return finished
