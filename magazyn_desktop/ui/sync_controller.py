"""The backend's lifecycle and the conversation with Allegro on a schedule.

Builds the backend in a worker (retrying when that fails), runs the first sync and every later one from a poll
timer paced by sync.schedule.PollSchedule, keeps the offline banner and the progress bar in step with the
outcome, and sends the outbox after each sync and whenever a reply is queued. After a sync the orders of linked
conversations that the cache lacks are fetched on their own channel; the next sync stops that first, so order
requests never hold up conversation fetches.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar

from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.domain.vocabulary import OutboxState
from magazyn_desktop.sync.schedule import PollSchedule
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.labels import format_time
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

if TYPE_CHECKING:
    from magazyn_desktop.sync.engine import NewBuyerMessage, SyncProgress, SyncReport
    from magazyn_desktop.sync.order_prefetch import PrefetchReport
    from magazyn_desktop.sync.claim_decisions import DecisionResult
    from magazyn_desktop.sync.outbox import OutboxResult

log = logging.getLogger(__name__)

BACKEND_RETRY_SECONDS = 60.0
# While a first sync fills an empty cache, the list is read again at most this often, so that rows come in as they
# are stored without the list being re-read for every conversation.
FILL_REFRESH_SECONDS = 1.0
ORDERS_CHANNEL = "order-prefetch"


class _NoAccount(Exception):
    """No Allegro account is connected yet, so there is nothing to sync."""


class SyncController(QObject):
    initial_sync_finished = Signal(object)  # the first sync's report, or the error that stopped it
    sync_finished = Signal(object)  # every sync, report or error
    outbox_processed = Signal(object)
    filling = Signal(int, int)  # a first sync's conversations stored so far, and about how many there are
    filling_ended = Signal()
    orders_prefetched = Signal(object)  # the report of a run that fetched the linked conversations' orders

    def __init__(self, *, pool: WorkerPool, writer: WorkerPool, banner: QLabel, progress: QProgressBar,
                 backend_factory: Callable[[], Backend], poll_interval: Callable[[], float],
                 closed: Callable[[], bool], on_backend: Callable[[Backend], None],
                 after_change: Callable[[Collection[str] | None], None], notify: Callable[[list[NewBuyerMessage]], None],
                 set_status: Callable[[str], None], show_message: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        self._writer = writer  # the old backend is closed on it, after the writes queued against it
        self._banner = banner
        self._progress = progress
        self._backend_factory = backend_factory
        self._poll_interval = poll_interval  # read at each (re)creation of the schedule: settings may change
        self._closed = closed
        self._on_backend = on_backend  # the window's part of switching backends, before the first sync
        # Update the list and the open conversation: the conversations named, or everything shown (None).
        self._after_change = after_change
        self._notify = notify
        self._set_status = set_status
        self._show_message = show_message
        self._backend: Backend | None = None
        self._started = False
        self._initial_sync_done = False
        self._outbox_again = False
        self._orders_again = False
        self._schedule: PollSchedule | None = None
        self._filled_refresh_at: float | None = None  # when the list was last read again during a first sync
        self._poll_timer = QTimer(self)
        self._poll_timer.setSingleShot(True)
        self._poll_timer.timeout.connect(self.sync_now)
        pool.task_finished.connect(self._on_task_finished)  # a stopped order run has ended: the next may start

    @property
    def backend(self) -> Backend | None:
        return self._backend

    # ==== the backend ===========================================================================================

    def start(self) -> None:
        """Build the backend in a worker; the first sync, polling and the outbox follow once it is ready."""
        if self._started or self._closed():
            return
        self._started = True
        self._set_status(self.tr("Connecting…"))
        self._pool.submit(lambda _token: self._backend_factory(), on_result=self._on_backend_ready,
                          on_error=self._on_backend_failed, dispose=_close, channel="backend")

    def replace_backend(self, factory: Callable[[], Backend]) -> None:
        """Build a new backend in a worker and switch to it (after sign-in, or for the demo); then sync."""
        self._set_status(self.tr("Connecting…"))

        def switch(backend: Backend) -> None:
            if self._closed():
                backend.close()
                return
            old, self._backend = self._backend, None
            if old is not None and old is not backend:
                # Closed on the writer, after the writes already queued against it.
                self._writer.submit(lambda _token: old.close(),
                                    on_error=lambda error: log.warning("closing the old backend failed: %s", error))
            self._on_backend_ready(backend)

        # A newer switch (the demo chosen while a sign-in's backend is still being built) closes the older one.
        self._pool.submit(lambda _token: factory(), on_result=switch,
                          on_error=lambda error: self._show_problem(error, self.tr("connecting")), dispose=_close,
                          channel="backend")

    def _on_backend_ready(self, backend: Backend) -> None:
        if self._closed():
            backend.close()
            return
        self._backend = backend
        self._on_backend(backend)
        self.sync_now()

    def _on_backend_failed(self, error: BaseException) -> None:
        self._started = False
        self._show_problem(error, self.tr("connecting"))
        self._finish_initial(error)
        if not self._closed():
            # Try again later (the keyring may unlock, the network may come back); start again from scratch.
            QTimer.singleShot(int(BACKEND_RETRY_SECONDS * 1000), self, self.start)

    def close_backend(self) -> None:
        """At shutdown, after the workers have been joined."""
        if self._backend is not None:
            try:
                self._backend.close()
            except Exception:
                log.exception("closing the backend failed")

    # ==== sync ==================================================================================================

    def sync_now(self) -> None:
        """Check Allegro for new messages now; does nothing while a check is already running."""
        if self._closed() or self._backend is None or self._pool.is_busy("sync"):
            return
        if not isinstance(self._backend, ConnectedBackend):
            self._set_status(self.tr("Not connected to Allegro"))
            self._finish_initial(_NoAccount())
            return
        self._poll_timer.stop()
        self._pool.invalidate(ORDERS_CHANNEL)  # the conversations first; the orders go on after this sync
        sync = self._backend.sync
        self._progress.setRange(0, 0)
        self._progress.show()
        self._set_status(self.tr("Checking for new messages…"))

        def run(token: CancelToken) -> SyncReport:
            return sync.run_once(token.report, token)

        self._pool.submit(run, on_result=self._on_sync_done, on_error=self._on_sync_done,
                          on_progress=self._on_sync_progress, channel="sync")

    def _on_sync_progress(self, progress: SyncProgress) -> None:
        if self._closed():
            return
        done, total = progress.done, progress.total
        if total > 0:
            self._progress.setRange(0, total)
            self._progress.setValue(min(done, total))
            self._set_status(self.tr("Checking for new messages… %1 of %2").replace("%1", str(done))
                             .replace("%2", str(total)))
        if progress.filling and progress.phase == "messages" and total > 0:
            self.filling.emit(done, total)
            now = time.monotonic()
            if self._filled_refresh_at is None or now - self._filled_refresh_at >= FILL_REFRESH_SECONDS:
                self._filled_refresh_at = now
                self._after_change(None)  # the rows stored so far, newest first

    def _on_sync_done(self, outcome: SyncReport | BaseException) -> None:
        self._progress.hide()
        self._filled_refresh_at = None
        self.filling_ended.emit()
        if isinstance(outcome, BaseException):
            report, offline, retry_after = None, errors.is_offline(outcome), None
        else:
            report, offline, retry_after = outcome, outcome.offline, outcome.retry_after
        self.set_offline(offline)
        if isinstance(outcome, BaseException):
            if not offline:
                self._show_problem(outcome, self.tr("checking for new messages"))
        elif retry_after is not None:
            # The schedule waits this long too: say when the check comes, instead of "up to date".
            self._set_status(self.tr("Allegro asked for a pause; next check at %1").replace(
                "%1", format_time(_now() + timedelta(seconds=float(retry_after)))))
        elif outcome.unavailable:
            # A few 5xx in a row stopped the run; the engine asks Allegro nothing before its back-off time.
            until = outcome.backoff_until or _now()
            self._show_message(self.tr("Allegro is answering with server errors; the next check is at %1").replace(
                "%1", format_time(until)))
        elif outcome.timed_out:
            self._set_status(self.tr("The check took too long; the next one goes on from there"))
        elif outcome.needs_sign_in:
            self._show_message(self.tr("Allegro no longer accepts this program's sign-in: press “Connect again” "
                                       "above the conversations."))
        elif outcome.errors:
            # Each failure is in the log with its conversation; "up to date" would hide that some were not read.
            self._show_message(self.tr("Checked at %1. Conversations that could not be read: %2 (details in the "
                                       "program's log).").replace("%1", format_time(_now()))
                               .replace("%2", str(len(outcome.errors))))
        elif not offline:
            self._set_status(self.tr("Up to date (checked at %1)").replace("%1", format_time(_now())))
        # A sync that failed may have stored part of what it read before: then everything shown is read again. One
        # that changed nothing costs the window nothing: no rows read again, no recount.
        if report is None:
            self._after_change(None)
        elif report.changed_conversations:
            self._after_change(report.changed_conversations)
        if report is not None:
            self._notify(report.new_buyer_messages)
        self.process_outbox()
        if report is not None and not (offline or report.needs_sign_in or report.timed_out
                                       or retry_after is not None or report.unavailable):
            self.prefetch_orders(report.changed_conversations)
        self._schedule_next(outcome)
        self.sync_finished.emit(outcome)
        self._finish_initial(outcome)

    def _finish_initial(self, outcome: SyncReport | BaseException) -> None:
        if not self._initial_sync_done:
            self._initial_sync_done = True
            self.initial_sync_finished.emit(outcome)

    def _schedule_next(self, outcome: SyncReport | BaseException) -> None:
        if self._closed():
            return
        if self._schedule is None:
            self._schedule = PollSchedule(interval=float(self._poll_interval()))
        self._poll_timer.start(max(1000, int(self._schedule.next_delay(outcome) * 1000)))

    def reset_schedule(self) -> None:
        """A new poll interval takes effect from the next check."""
        self._schedule = None

    def stop(self) -> None:
        self._poll_timer.stop()

    # ==== orders ================================================================================================

    def prefetch_orders(self, changed: Collection[str] | None = None) -> None:
        """Fetch the orders of linked conversations that the cache lacks, unless a sync or such a run is going.
        `changed`: the conversations the last sync changed, all that a run needs to look at once none is missing."""
        backend = self._backend
        if self._closed() or not isinstance(backend, ConnectedBackend) or self._pool.is_busy("sync"):
            return
        if self._pool.is_busy(ORDERS_CHANNEL):
            # A run stopped by the last sync may still wait for its last answer: start again when it ends, so no
            # order is asked for by two runs at once.
            self._orders_again = True
            return
        self._orders_again = False
        orders = backend.orders

        def run(token: CancelToken) -> PrefetchReport:
            return orders.run(token, changed)

        self._pool.submit(run, on_result=self.orders_prefetched.emit,
                          on_error=lambda error: log.warning("fetching the conversations' orders failed: %s", error),
                          channel=ORDERS_CHANNEL)

    def _on_task_finished(self) -> None:
        if self._orders_again and not self._pool.is_busy(ORDERS_CHANNEL):
            self.prefetch_orders()

    # ==== offline ===============================================================================================

    def set_offline(self, offline: bool) -> None:
        if offline:
            self._banner.setText(self.tr("No connection to Allegro. Saved conversations can be read; replies "
                                         "wait in the queue and are sent when the connection returns."))
            self._set_status(self.tr("Offline"))
        self._banner.setVisible(offline)

    def is_offline_banner_visible(self) -> bool:
        return not self._banner.isHidden()

    # ==== outbox ================================================================================================

    def process_outbox(self) -> None:
        backend = self._backend
        if self._closed() or not isinstance(backend, ConnectedBackend):
            return
        if self._pool.is_busy("outbox"):
            self._outbox_again = True  # one more round when this one ends: a reply came in meanwhile
            return
        self._outbox_again = False
        outbox, decisions = backend.outbox, backend.decisions

        def run(token: CancelToken) -> tuple[list[OutboxResult], list[DecisionResult]]:
            replies = outbox.process(token)
            return replies, decisions.process(token)  # claim decisions after the replies, paced with them

        def done(results: tuple[list[OutboxResult], list[DecisionResult]]) -> None:
            replies, decided = results
            self.outbox_processed.emit(replies)
            changed = {r.conversation_id for r in replies} | {r.issue_id for r in decided}
            if changed:
                self._after_change(changed)
            if any(result.state is OutboxState.SENT for result in decided):
                self.sync_now()  # the claim's new status is read back, for its state in words
            if self._outbox_again:
                self.process_outbox()

        def failed(error: BaseException) -> None:
            if errors.is_offline(error):
                self.set_offline(True)
            else:
                self._show_problem(error, self.tr("sending replies"))
            self._after_change(None)

        self._pool.submit(run, on_result=done, on_error=failed, channel="outbox")

    def _show_problem(self, error: BaseException, doing: str) -> None:
        self._show_message(errors.describe(error, doing=doing))


def _close(backend: Backend) -> None:
    backend.close()


def _now() -> datetime:
    return datetime.now(timezone.utc)
