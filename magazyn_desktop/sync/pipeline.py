"""Fetching the changed conversations of one sync phase and storing them: a few fetch workers, one storing thread.

The listing thread hands each page's changed conversations to `fetch` and goes on to the next page while workers
fetch them, so the listing overlaps the fetches. A worker requests a conversation, makes the answer ready for the
store (sync/fetched.py), hands it to the storing thread through a bounded queue (which bounds the memory a fast
network can fill) and takes the next one: no worker waits for the database or for another worker's write. The
storing thread commits whatever has queued up, up to MAX_BATCH conversations, in one transaction: while the
fetches outrun the database the commit's cost is shared, and when they do not a conversation is stored as soon as
it arrives. A batch the store refuses is stored again one conversation per transaction, so that a conversation
that cannot be stored fails alone and is reported as any failed fetch is.

Cancellation: the workers take no new conversation once the run must stop; what was fetched by then is still
stored (`close` flushes the queue), and what was never fetched is neither stored nor failed: the caller sees the
stop and leaves its cursor where it was.
"""

from __future__ import annotations

import contextvars
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.store.leadership import Fence, LeadershipLost
from magazyn_desktop.store.records import ChangeKind, ConversationWrite, StoredConversation
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.fetched import PreparedFetch

log = logging.getLogger(__name__)

MAX_BATCH = 50  # conversations in one transaction: the GUI's own writes wait at most one batch for the lock
QUEUE_LENGTH = 2 * MAX_BATCH  # fetched conversations waiting for the storing thread, at most
GATHER_SECONDS = 0.025  # how long the storing thread waits for more of a batch: about one request's latency

# Runs in a fetch worker: the request and the preparation of its answer, never the store.
Fetch = Callable[[ConversationSummary], PreparedFetch]


class RunReporting(Protocol):
    """The part of a sync run's shared state that the pipeline reports to (thread-safe)."""

    def must_stop(self) -> bool: ...

    def emit(self, phase: str, done: int, total: int, message: str) -> None: ...

    def fail(self, summary: ConversationSummary, error: BaseException) -> None: ...

    def answered(self) -> None: ...

    def warn(self, text: str) -> None: ...

    def record(self, summary: ConversationSummary, stored: StoredConversation) -> None: ...

    def count_summary_change(self, conversation_id: str) -> None: ...

    def lose_lead(self, lost: LeadershipLost) -> None: ...


@dataclass
class PipelineCost:
    """What fetching and storing took in a run, for the report and the benchmark."""

    fetches: int = 0  # answers received
    fetch_seconds: float = 0.0  # the workers' wall time from taking a conversation to handing its answer on, summed
    fetch_cpu_seconds: float = 0.0  # the CPU time of the same
    stored: int = 0  # fetched conversations stored
    batches: int = 0  # transactions of the storing thread (summaries alone included)
    store_seconds: float = 0.0  # the storing thread's wall time in those transactions

    def per_fetch_ms(self) -> float:
        return 1000 * self.fetch_seconds / self.fetches if self.fetches else 0.0

    def per_stored_ms(self) -> float:
        return 1000 * self.store_seconds / self.stored if self.stored else 0.0


@dataclass(frozen=True)
class _Fetched:
    summary: ConversationSummary
    prepared: PreparedFetch


@dataclass(frozen=True)
class _SummaryAlone:
    summary: ConversationSummary


_Item = _Fetched | _SummaryAlone
_END = object()  # the storing thread's last item


class FetchPipeline:
    """One phase's fetch workers and storing thread, started when first needed; `close` ends both."""

    def __init__(self, *, store: Store, account_id: int, fetch: Fetch, run: RunReporting, workers: int,
                 cost: PipelineCost, fence: Fence | None = None) -> None:
        if workers < 1:
            raise ValueError("at least one worker")
        self._store = store
        self._fence = fence  # team mode: the run's lease, checked by each batch's transaction
        self._lead_lost = False  # set by the storing thread: nothing more is stored
        self._account_id = account_id
        self._fetch = fetch
        self._run = run
        self._max_workers = workers
        self._cost = cost
        self._pending: queue.SimpleQueue[ConversationSummary | None] = queue.SimpleQueue()
        self._to_store: queue.Queue[object] = queue.Queue(maxsize=QUEUE_LENGTH)
        self._workers: list[threading.Thread] = []
        self._writer: threading.Thread | None = None
        self._lock = threading.Lock()  # guards what follows, and orders the progress reports
        self._failed: list[ConversationSummary] = []
        self._total = 0
        self._done = 0
        self._unfetched = 0  # handed to `fetch`, neither handed to the storing thread nor failed yet
        self._closed = False

    # -- the listing thread's side --------------------------------------------------------------------------------

    def fetch(self, summaries: Sequence[ConversationSummary]) -> None:
        """Fetch and store these conversations (a page's changed ones), while the caller lists on."""
        if not summaries:
            return
        self._start_writer()
        with self._lock:
            self._total += len(summaries)
            self._unfetched += len(summaries)
            self._run.emit("messages", self._done, self._total, "")
        for summary in summaries:
            self._pending.put(summary)
        while len(self._workers) < min(self._max_workers, self._total):
            self._start(f"sync-fetch-{len(self._workers)}", self._work, self._workers)

    def keep(self, summaries: Sequence[ConversationSummary]) -> None:
        """Store these summaries alone (their messages are known); a failure is logged, never reported: the
        summary refresh is a nicety, the messages are what matter."""
        if not summaries:
            return
        self._start_writer()
        for summary in summaries:
            self._to_store.put(_SummaryAlone(summary))

    def close(self) -> list[ConversationSummary]:
        """Wait for the workers (they stop early if the run must stop) and for everything fetched to be stored;
        returns the conversations that failed or whose answer was not trusted (stored, but due again)."""
        if not self._closed:
            self._closed = True
            for _ in self._workers:
                self._pending.put(None)
            for thread in self._workers:
                thread.join()
            if self._writer is not None:
                self._to_store.put(_END)
                self._writer.join()
        with self._lock:
            return list(self._failed)

    def _start_writer(self) -> None:
        if self._closed:
            raise RuntimeError("the pipeline is closed")
        if self._writer is None:
            started: list[threading.Thread] = []
            self._start("sync-store", self._store_all, started)
            self._writer = started[0]

    @staticmethod
    def _start(name: str, target: Callable[[], None], into: list[threading.Thread]) -> None:
        # In a copy of the listing thread's context, so the run's deadline reaches the workers' requests too.
        # Daemons: a fetch hung on a silent server is abandoned at quit instead of holding the process.
        thread = threading.Thread(target=contextvars.copy_context().run, args=(target,), name=name, daemon=True)
        into.append(thread)
        thread.start()

    # -- fetch workers --------------------------------------------------------------------------------------------

    def _work(self) -> None:
        while (summary := self._pending.get()) is not None:
            if self._run.must_stop():
                return
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                prepared = self._fetch(summary)
            except BaseException as exc:  # noqa: BLE001 - whatever breaks one fetch, the others go on
                self._finish(summary, error=exc)
                with self._lock:
                    self._unfetched -= 1
                continue
            self._run.answered()
            with self._lock:
                self._cost.fetches += 1
                self._cost.fetch_seconds += time.perf_counter() - started
                self._cost.fetch_cpu_seconds += time.thread_time() - cpu
            self._to_store.put(_Fetched(summary, prepared))
            with self._lock:
                self._unfetched -= 1

    # -- the storing thread ---------------------------------------------------------------------------------------

    def _store_all(self) -> None:
        ended = False
        while not ended:
            first = self._to_store.get()
            if first is _END:
                return
            batch: list[_Item] = [first]  # type: ignore[list-item]
            # While fetches are under way, wait a little for more of them: each transaction has a fixed cost. The
            # last one of a phase (or a refresh's only one) is stored at once.
            gather_until = time.monotonic() + GATHER_SECONDS
            while len(batch) < MAX_BATCH:
                try:
                    if self._unfetched > 0:
                        item = self._to_store.get(timeout=max(0.0, gather_until - time.monotonic()))
                    else:
                        item = self._to_store.get_nowait()
                except queue.Empty:
                    break
                if item is _END:
                    ended = True
                    break
                batch.append(item)  # type: ignore[arg-type]
            try:
                self._store_batch(batch)
            except BaseException as exc:  # noqa: BLE001 - the storing thread must outlive any one batch
                log.warning("sync: storing a batch failed unexpectedly (%s)", type(exc).__name__)
                for item in batch:
                    if isinstance(item, _Fetched):
                        self._finish(item.summary, error=exc)

    def _store_batch(self, batch: list[_Item]) -> None:
        started = time.perf_counter()
        outcomes: list[StoredConversation | BaseException]
        if self._lead_lost:
            self._drop(batch)
            return
        try:
            outcomes = list(self._store_writes([_write(item) for item in batch]))
            transactions = 1
        except LeadershipLost as lost:
            # Another bench leads now: what was fetched is its to store. Not an error of these conversations.
            self._lead_lost = True
            self._run.lose_lead(lost)
            self._drop(batch)
            return
        except Exception as exc:
            if len(batch) == 1:
                outcomes, transactions = [exc], 1
            else:
                # One of them is refused: store each on its own, so that only that one fails.
                outcomes, transactions = [self._store_alone(item) for item in batch], 1 + len(batch)
        with self._lock:
            self._cost.batches += transactions
            self._cost.store_seconds += time.perf_counter() - started
        for item, outcome in zip(batch, outcomes):
            if isinstance(item, _SummaryAlone):
                if isinstance(outcome, BaseException):
                    log.warning("sync: could not update the summary of %s (%s)", item.summary.id,
                                type(outcome).__name__)
                elif outcome.change is ChangeKind.CHANGED:
                    self._run.count_summary_change(item.summary.id)
                continue
            if isinstance(outcome, BaseException):
                self._finish(item.summary, error=outcome)
                continue
            name = f"{item.summary.kind.value} {item.summary.id}"
            for warning in item.prepared.warnings:
                self._run.warn(f"{name}: {warning}")
            self._run.record(item.summary, outcome)
            self._finish(item.summary, stored=True, trusted=item.prepared.complete)

    def _store_alone(self, item: _Item) -> StoredConversation | BaseException:
        try:
            return self._store_writes([_write(item)])[0]
        except Exception as exc:
            return exc

    def _store_writes(self, writes: list[ConversationWrite]) -> list[StoredConversation]:
        if self._fence is None:  # a single bench: nothing to check
            return self._store.store_conversations(self._account_id, writes)
        return self._store.store_conversations(self._account_id, writes, fence=self._fence)

    def _drop(self, batch: list[_Item]) -> None:
        """A batch not stored because the lead was lost: its conversations count as not synced, without an error."""
        for item in batch:
            if isinstance(item, _Fetched):
                self._finish(item.summary)

    def _finish(self, summary: ConversationSummary, *, error: BaseException | None = None, stored: bool = False,
                trusted: bool = False) -> None:
        if error is not None:
            self._run.fail(summary, error)
        with self._lock:
            if stored:
                self._cost.stored += 1
            if error is not None or not trusted:
                self._failed.append(summary)
            self._done += 1
            self._run.emit("messages", self._done, self._total, summary.id)


def _write(item: _Item) -> ConversationWrite:
    if isinstance(item, _SummaryAlone):
        return ConversationWrite(item.summary, None)
    return item.prepared.write
