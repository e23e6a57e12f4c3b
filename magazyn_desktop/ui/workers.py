"""Background work for the window: every task ends with a result or an error, delivered on the GUI thread.

Tasks are QRunnables on a private QThreadPool. Their outcome travels through a signal on a QObject that lives
in the GUI thread (never on the runnable itself, which Qt may delete). Cancellation is cooperative: a task gets
a CancelToken to poll. Tasks submitted under a `channel` (for example "conversation") supersede each other:
a newer submission cancels the older one and the older result is dropped, so the screen only ever shows what
the user asked for last.

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
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal, Slot

log = logging.getLogger(__name__)

DEFAULT_MAX_THREADS = 4


class CancelledError(Exception):
    """Raised inside a task that noticed its token was cancelled."""


class CancelToken:
    """Checked by a task between steps; thread-safe."""

    def __init__(self) -> None:
        self._event = threading.Event()

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
    """Carries outcomes from pool threads to the GUI thread."""

    done = Signal(object)


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
                 abandonable: bool = False) -> None:
        super().__init__(parent)
        self._abandoned = threading.Event() if abandonable else None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._bridge = _Bridge(self)
        # Queued: outcomes are emitted from pool threads and handled in the GUI thread's event loop.
        self._bridge.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._generations: dict[str, int] = {}
        self._closed = False

    def submit(self, fn: Callable[[CancelToken], Any], *, on_result: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None, channel: str | None = None) -> TaskHandle:
        """Run fn(token) in the pool; exactly one of on_result/on_error is called later on the GUI thread,
        unless the task was cancelled or superseded in its channel, in which case neither is."""
        task_id = next(self._ids)
        token = CancelToken()
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
        self._pending[task_id] = _Pending(token, on_result, on_error, channel, generation)
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

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        pending = self._pending.pop(outcome.task_id, None)
        if pending is None:
            return
        stale = pending.channel is not None and self._generations.get(pending.channel) != pending.generation
        try:
            if self._closed or stale or pending.token.cancelled or isinstance(outcome.error, CancelledError):
                return
            if outcome.error is not None:
                if pending.on_error is not None:
                    pending.on_error(outcome.error)
                else:
                    log.error("background task failed", exc_info=outcome.error)
            elif pending.on_result is not None:
                pending.on_result(outcome.result)
        except Exception:  # a broken handler must not break the delivery of later outcomes
            log.exception("handling a background task's outcome failed")
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
