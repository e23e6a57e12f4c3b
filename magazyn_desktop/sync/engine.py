"""Incremental polling of Allegro: cheap when nothing happened, about one request per changed conversation otherwise.

Allegro has no push for messages. Threads are listed newest activity first, so paging stops at the first thread that
has not changed since the last sync. Issues have no activity order; their summaries carry chat.messagesCount and
chat.lastMessage, which tell changed issues from unchanged ones without reading their chats. Most of a seller's issues
are decided and quiet, so a routine sync lists only the issues whose state lets them change (a status filter), looks
up by id each issue that left that listing, and lists every issue on the engine's first sync and then every
`full_issue_listing_interval` seconds.

Allegro publishes some buyer messages late, dated when they were written: a routine refresh keeps paging past the
first unchanged thread through an overlap window (`overlap`), which catches a thread whose new activity sorts it just
under threads that did not change; the deep pass (sync/deep_pass.py) catches the rest on a schedule. What the
schedule must remember across restarts (the last full issue listing, the last deep pass, a back-off) is in the store.

Only changed conversations are fetched, a few at a time, while the listing goes on to its next page; one storing
thread writes what the fetch workers hand it, in batches (sync/pipeline.py), and a conversation is written whole
(summary and messages) or not at all. A failure of one conversation is reported and the others are kept. A refresh
that finds nothing new writes nothing: unchanged summaries are compared by key before any write, and a cursor that
would be written as it is stored is left alone.

Nothing Allegro answers is taken on trust where a wrong answer would lose messages for good: an answer that
contradicts the conversation's summary (no messages where there is a last message, fewer chat entries than
messagesCount) is stored but leaves the conversation due for another fetch; times outside the plausible window
(sync/plausibility.py) never move a cursor; every failure, of whatever kind, is one sentence in the report, and a run
never ends in a traceback. A run has a total deadline, and stops at Allegro's first "wait N seconds"; after a few 5xx in a row it stops too,
and no run asks Allegro anything until its back-off time has passed.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from magazyn_desktop.allegro.deadline import run_deadline
from magazyn_desktop.allegro.errors import (
    AllegroError,
    NotFoundError,
    RateLimitedError,
    WrongKindError,
)
from magazyn_desktop.allegro.models import IssuePage, MessageList, SkippedRecord, ThreadPage
from magazyn_desktop.domain.failures import FailureKind
from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.reply_block import DECIDED_ISSUE_STATUSES
from magazyn_desktop.domain.vocabulary import Kind
from magazyn_desktop.failures import failure_of
from magazyn_desktop.redaction import redact
from magazyn_desktop.store.leadership import Fence, LeadershipLost
from magazyn_desktop.store.records import ChangeKind, CursorState, StoredConversation
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.sync_schedule import CLEARED
from magazyn_desktop.sync.leading import CurrentFence, LeadCheck, always_leads, round_lead
from magazyn_desktop.sync.deep_pass import (
    DEEP_PASS_INTERVAL,
    DEEP_PASS_LOOKBACK,
    DEEP_PASS_SLICE,
    DeepPass,
    DeepPassReport,
    freshest,
)
from magazyn_desktop.sync.fetched import PreparedFetch, prepare_fetched
from magazyn_desktop.sync.pipeline import FetchPipeline, PipelineCost
from magazyn_desktop.sync.plausibility import for_storage, is_plausible, usable_for_cursor

log = logging.getLogger(__name__)

THREADS = "threads"
ISSUES = "issues"
THREAD_PAGE_SIZE = 20  # Allegro's maximum for thread lists
ISSUE_PAGE_SIZE = 100  # Allegro's maximum for issue lists: one request holds a typical seller's issues
FULL_ISSUE_LISTING_INTERVAL = 30 * 60.0  # seconds between listings of every issue, whatever its state
# A run that takes longer stops where it is; what it did not reach waits for the next run. Generous for a first sync
# of a big account (it resumes where it stopped), short enough that a silent server cannot hold a run for long.
RUN_DEADLINE = 180.0
RATE_LIMIT_WAIT = 60.0  # over the app budget, Allegro blocks the Client ID for a minute when it names no time
# How far below the newest activity of the last complete listing a refresh keeps paging: Allegro publishes a message a
# buyer confirmed after a warning, or one its moderation held, dated when it was written (usually minutes before).
SYNC_OVERLAP = timedelta(minutes=30)
# Answers of 5xx in a row (each after the client's own retries) that stop a run: the source is down, and reading
# every other conversation first would only multiply the failures. The back-off doubles with each such run.
UNAVAILABLE_STOP = 3
UNAVAILABLE_BACKOFF = 120.0
UNAVAILABLE_BACKOFF_MAX = 900.0
_CURSOR_STEP_BACK = timedelta(microseconds=1)
# A sync that changes nothing else about a cursor rewrites its success time only when the stored one is this old
# (seconds), so that a refresh with nothing new writes nothing.
SUCCESS_TIME_RESOLUTION = 5 * 60.0

# Which issues a routine sync lists. PostPurchaseIssueStatus has three open states and three decided ones
# (allegro-api-notes.md §2.2). The open ones always change: DISPUTE_ONGOING (buyer and seller talking),
# DISPUTE_UNRESOLVED (the buyer called Allegro in: an advisor writes) and CLAIM_SUBMITTED (waiting for the seller).
#
# The decided ones -- DISPUTE_CLOSED, CLAIM_ACCEPTED, CLAIM_REJECTED -- normally take no more messages: a send to a
# resolved issue is refused with DISPUTE_ALREADY_RESOLVED (409, §2.3, #12635). But the notes do not make the status
# the rule for the chat: currentState.chatActive is a separate flag ("whether new messages may be sent now", §2.2),
# and one real account had chatActive false in only 10 of 100 issues (§2.3), so an accepted claim whose return and
# refund are still under way, or a rejected one an advisor steps into, may keep a live chat. A reopened issue is
# not a worry: reopening puts it back in an open state (openedDate is "latest open/reopen"), where the next routine
# listing finds it. Hence a routine sync lists the open states, plus any decided state in which Allegro last showed
# an issue with chatActive true (in practice, when chats of decided issues stay live, that account pays for them).
# A quiet decided issue that still changes (an unusual late message, a status Allegro adds later) waits at most
# until the next full listing.
OPEN_ISSUE_STATUSES = frozenset({"DISPUTE_ONGOING", "DISPUTE_UNRESOLVED", "CLAIM_SUBMITTED"})


class SyncClient(Protocol):
    """The part of AllegroClient that sync uses."""

    def request_counts(self) -> dict[str, int]: ...

    def server_now(self) -> datetime | None: ...

    def list_threads(self, *, page_id: str | None = None, offset: int | None = None, limit: int = 20) -> ThreadPage: ...

    def thread_messages(self, thread_id: str) -> MessageList: ...

    def list_issues(
        self, *, offset: int = 0, limit: int = 100, statuses: Sequence[str] | None = None
    ) -> IssuePage: ...

    def get_issue(self, issue_id: str) -> ConversationSummary: ...

    def issue_chat(self, issue_id: str) -> MessageList: ...


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # "threads", "issues", "messages", "done"
    done: int
    total: int  # 0 while the total is not known yet
    message: str = ""
    # This run fills an empty cache (a first sync): the window shows its rows as they are stored, with the count.
    filling: bool = False


class NewBuyerMessage(tuple):
    """(conversation_id, message_id), with the author and text attached for a notification."""

    author_login: str | None
    text: str

    def __new__(cls, conversation_id: str, message_id: str, author_login: str | None = None, text: str = "") -> NewBuyerMessage:
        item = super().__new__(cls, (conversation_id, message_id))
        item.author_login = author_login
        item.text = text
        return item

    @property
    def conversation_id(self) -> str:
        return str(self[0])

    @property
    def message_id(self) -> str:
        return str(self[1])


@dataclass
class SyncReport:
    started_at: datetime
    finished_at: datetime | None = None
    conversations_added: int = 0
    conversations_changed: int = 0
    messages_added: int = 0
    messages_changed: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # What was read but not trusted (skipped records, contradicting answers, impossible times): those conversations
    # are fetched again by a later sync.
    warnings: list[str] = field(default_factory=list)
    offline: bool = False  # Allegro could not be reached
    needs_sign_in: bool = False  # Allegro refused the token: the user must sign in again
    cancelled: bool = False
    timed_out: bool = False  # the run's deadline passed; the next run goes on from where this one stopped
    retry_after: float | None = None  # Allegro asked not to come back for this many seconds
    unavailable: bool = False  # Allegro kept answering 5xx: the run stopped, and no run asks it before backoff_until
    backoff_until: datetime | None = None
    deep_pass: DeepPassReport | None = None  # what this run did of a deep pass, when it did some
    new_buyer_messages: list[NewBuyerMessage] = field(default_factory=list)
    # The conversations whose row or messages this run changed in the cache: the window updates just those rows.
    changed_conversations: set[str] = field(default_factory=set)
    cost: PipelineCost = field(default_factory=PipelineCost)  # what fetching and storing took
    # Team mode: another bench leads the account; this run asked Allegro nothing, or it found its lease lost at a
    # write and stored nothing more.
    led_elsewhere: bool = False

    @property
    def ok(self) -> bool:
        return not (self.errors or self.offline or self.needs_sign_in or self.cancelled or self.timed_out
                    or self.retry_after is not None or self.unavailable)

    @property
    def request_total(self) -> int:
        return sum(self.requests.values())


class _Stop(Exception):
    """Internal: ends a phase early (cancelled, offline or signed out); the report already says why."""


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _describe(error: BaseException) -> str:
    """One sentence for the report and the log: never SQL, bound values or message text, which some exceptions
    carry in their own text."""
    if isinstance(error, RateLimitedError):
        wait = error.retry_after if error.retry_after is not None else RATE_LIMIT_WAIT
        return redact(f"{error}; Allegro asked to wait {wait:.0f} s: this sync stops, the next one waits as long")
    if isinstance(error, AllegroError):
        return redact(str(error))
    if isinstance(error, DBAPIError) and isinstance(error.orig, sqlite3.Error):
        # SQLite's own messages are fixed sentences ("database or disk is full"), free of values.
        return f"the local database refused the change ({type(error.orig).__name__}: {error.orig})"
    if isinstance(error, SQLAlchemyError):
        return f"the local database refused the change ({type(error).__name__})"
    if isinstance(error, OSError):
        return f"the system refused ({error.strerror or type(error).__name__})"
    if isinstance(error, RecursionError):
        return "an answer was nested too deeply to read"
    return f"an unexpected error ({type(error).__name__})"


def _describe_cost(cost: PipelineCost) -> str:
    """For the log: a fetch's time in a worker (the request's latency included) and a stored conversation's."""
    if not cost.fetches:
        return ""
    return (f"; {cost.per_fetch_ms():.1f} ms a fetch, {cost.per_stored_ms():.1f} ms a stored conversation "
            f"({cost.stored} in {cost.batches} transactions)")


def _describe_skipped(skipped: SkippedRecord) -> str:
    name = f"{skipped.record} {skipped.record_id}" if skipped.record_id else f"a {skipped.record} without an id"
    return redact(f"{name} skipped ({skipped.endpoint}): {skipped.reason}")


class SyncEngine:
    def __init__(
        self,
        *,
        client: SyncClient,
        store: Store,
        account_id: int,
        max_workers: int = 4,
        page_guard: int = 500,
        full_issue_listing_interval: float = FULL_ISSUE_LISTING_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utc_now,
        run_deadline: float = RUN_DEADLINE,
        overlap: timedelta = SYNC_OVERLAP,
        deep_pass_interval: float = DEEP_PASS_INTERVAL,
        deep_pass_lookback: timedelta = DEEP_PASS_LOOKBACK,
        deep_pass_slice: int = DEEP_PASS_SLICE,
        leads: LeadCheck = always_leads,
        fence: CurrentFence | None = None,
    ) -> None:
        """`full_issue_listing_interval`: seconds on `clock` between listings of every issue (0: every sync); the
        first sync of an engine lists every issue unless the store says one was made within that time.
        `run_deadline`: seconds on `clock` a run may take. `wall_clock`: the PC's time, the reference for plausible
        times when Allegro's own is not known, and for the schedule's stored times. `overlap`: how far below the
        last listing's newest activity a refresh keeps paging. `deep_pass_interval`: seconds between scheduled
        deep passes (0: none unless asked for), each reading the threads active within `deep_pass_lookback`,
        `deep_pass_slice` threads per run. `leads`: whether this bench talks to Allegro now (team mode); a run
        while another bench leads asks nothing and says so."""
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        if full_issue_listing_interval < 0:
            raise ValueError("full_issue_listing_interval must not be negative")
        if run_deadline <= 0:
            raise ValueError("run_deadline must be positive")
        if overlap < timedelta(0) or deep_pass_interval < 0 or deep_pass_slice < 1:
            raise ValueError("overlap and deep_pass_interval must not be negative, deep_pass_slice at least 1")
        self._client = client
        self._store = store
        self._leads = leads
        self._fence = fence  # team mode: the lease the run's stores of what it fetched prove it still holds
        self._run_fence: Fence | None = None  # the running run's fence (set under _run_lock)
        self._account_id = account_id
        self._max_workers = max_workers
        self._page_guard = page_guard
        self._full_issue_interval = full_issue_listing_interval
        self._clock = clock
        self._wall_clock = wall_clock
        self._run_deadline = run_deadline
        self._overlap = overlap
        self._deep_interval = deep_pass_interval
        self._deep_lookback = deep_pass_lookback
        self._deep_slice = deep_pass_slice
        self._run_lock = threading.Lock()  # one sync at a time per engine
        # What the issue phase remembers between runs (touched only under _run_lock, on the listing thread):
        self._last_full_issue_listing: float | None = None  # clock time of the last complete listing of every issue
        self._issue_full_due = True  # set when a routine listing cannot be trusted; the next listing is full
        self._issue_seen: dict[str, tuple[str | None, bool]] = {}  # id -> (status, chatActive) as Allegro last said
        self._issue_retry: set[str] = set()  # issues to look up by id if a routine listing leaves them out
        self._schedule_read = False  # the stored schedule is read by the first run
        self._last_deep_pass: float | None = None  # clock time the last complete deep pass started
        self._deep: DeepPass | None = None  # a scheduled pass still being read, slice by slice
        self._unavailable_runs = 0  # runs in a row that stopped on 5xx
        self._backoff_until: datetime | None = None  # no run asks Allegro anything before this (wall clock)

    # -- the public entry point ----------------------------------------------------------------------------------

    def run_once(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        *,
        deep: bool = False,
    ) -> SyncReport:
        """One sync; `deep`: the whole deep pass now, after the routine phases."""
        leading, fence = round_lead(self._leads, self._fence)
        if not leading:
            wall = self._wall_clock()
            return SyncReport(started_at=wall, finished_at=wall, led_elsewhere=True)
        with self._run_lock, run_deadline(self._run_deadline, self._clock) as deadline:
            report = SyncReport(started_at=self._wall_clock())
            self._run_fence = fence
            counts_before = self._request_counts()
            state = _RunState(report=report, progress=progress, cancelled=cancelled, notify=False,
                              time_left=deadline.remaining, clock_started=self._clock(),
                              wall_started=self._wall_clock(), fence=fence)
            try:
                state.cursors = self._store.cursors(self._account_id)
                # The very first sync fills an empty cache: announcing every old buyer message would be noise.
                state.notify = any(c.last_success_at is not None for c in state.cursors.values())
                first_sync = self._read_schedule(state)
                if not self._backing_off(state):
                    for source, phase in ((THREADS, self._sync_threads), (ISSUES, self._sync_issues)):
                        if state.must_stop():
                            break
                        try:
                            phase(state)
                        except _Stop:
                            pass
                        except LeadershipLost as lost:
                            state.lose_lead(lost)
                        except Exception as exc:  # noqa: BLE001 - whatever breaks, the run ends in a report
                            state.fail_phase(source, exc)
                    if first_sync:
                        # A first sync reads every thread: a deep pass would read them again.
                        if report.ok:
                            self._deep_pass_done(state, state.clock_started, state.wall_started)
                    elif not state.must_stop():
                        try:
                            self._deep_pass(state, forced=deep)
                        except Exception as exc:  # noqa: BLE001
                            state.fail_phase("deep pass", exc)
                    self._settle_backoff(state)
                if state.schedule_changes and not report.led_elsewhere:
                    self._store.set_sync_schedule(self._account_id, fence=fence, **state.schedule_changes)
                if state.gone and not report.led_elsewhere:
                    marked = self._store.mark_kept_locally(self._account_id, state.gone, state.wall_started,
                                                           fence=fence)
                    if marked:
                        log.info("sync: %d conversation(s) Allegro no longer shows are kept on this computer", marked)
                        report.changed_conversations |= state.gone
            except LeadershipLost as lost:
                state.lose_lead(lost)
            except Exception as exc:  # noqa: BLE001 - the store could not even be read
                state.fail_phase("sync", exc)
            finally:
                report.cancelled = report.cancelled or bool(cancelled())
                counts_after = self._request_counts()
                report.requests = {
                    name: counts_after[name] - counts_before.get(name, 0)
                    for name in sorted(counts_after)
                    if counts_after[name] - counts_before.get(name, 0) > 0
                }
                report.finished_at = self._wall_clock()
                state.emit("done", 1, 1, "")
            log.info(
                "sync: +%d/~%d conversations, +%d/~%d messages, %d requests, %d errors, %d warnings%s%s%s%s%s%s",
                report.conversations_added, report.conversations_changed, report.messages_added,
                report.messages_changed, report.request_total, len(report.errors), len(report.warnings),
                ", offline" if report.offline else "", ", sign-in needed" if report.needs_sign_in else "",
                ", cancelled" if report.cancelled else "", ", out of time" if report.timed_out else "",
                f", asked to wait {report.retry_after:.0f} s" if report.retry_after is not None else "",
                _describe_cost(report.cost),
            )
            return report

    # -- the schedule ---------------------------------------------------------------------------------------------

    def _read_schedule(self, state: _RunState) -> bool:
        """At an engine's first run, take up the schedule where the last process left it; returns whether this
        run fills an empty cache (a first sync)."""
        threads_cursor = state.cursors.get(THREADS)
        first_sync = threads_cursor is None or threads_cursor.newest_seen_at is None
        if self._schedule_read:
            return first_sync
        self._schedule_read = True
        stored = self._store.sync_schedule(self._account_id)
        self._backoff_until = stored.backoff_until
        now, wall = state.clock_started, state.wall_started
        issues_cursor = state.cursors.get(ISSUES)
        if (stored.last_full_issue_listing_at is not None and issues_cursor is not None
                and issues_cursor.last_error is None):
            age = max(0.0, (wall - stored.last_full_issue_listing_at).total_seconds())
            if age < self._full_issue_interval:
                # The states the last process saw are the cache's: a routine listing looks up those that left it.
                self._last_full_issue_listing = now - age
                self._issue_full_due = False
                self._issue_seen = self._store.issue_states(self._account_id)
        if stored.last_deep_pass_at is not None:
            self._last_deep_pass = now - max(0.0, (wall - stored.last_deep_pass_at).total_seconds())
        return first_sync

    def _backing_off(self, state: _RunState) -> bool:
        """A source kept answering 5xx: until the stored time has passed, a run asks Allegro nothing."""
        until = self._backoff_until
        if until is None or state.wall_started >= until:
            return False
        state.report.unavailable = True
        state.report.backoff_until = until
        state.report.errors.append(
            f"Allegro kept answering with server errors (5xx); the next attempt is after {until:%H:%M:%S} UTC")
        return True

    def _settle_backoff(self, state: _RunState) -> None:
        if state.report.unavailable:
            self._unavailable_runs += 1
            wait = min(UNAVAILABLE_BACKOFF_MAX, UNAVAILABLE_BACKOFF * 2 ** (self._unavailable_runs - 1))
            until = state.wall_started + timedelta(seconds=wait)
            state.report.backoff_until = until
            self._backoff_until = until
            state.schedule_changes["backoff_until"] = until
            log.warning("sync: Allegro kept answering 5xx; no sync before %s", until.isoformat())
            return
        self._unavailable_runs = 0
        if self._backoff_until is not None:
            self._backoff_until = None
            state.schedule_changes["backoff_until"] = CLEARED

    # -- the deep pass --------------------------------------------------------------------------------------------

    def _deep_pass_done(self, state: _RunState, started_clock: float, started_wall: datetime) -> None:
        self._last_deep_pass = started_clock
        state.schedule_changes["last_deep_pass_at"] = started_wall

    def _deep_pass_due(self, now: float) -> bool:
        if self._deep_interval <= 0:
            return False
        return self._last_deep_pass is None or now - self._last_deep_pass >= self._deep_interval

    def _deep_pass(self, state: _RunState, *, forced: bool) -> None:
        """A forced pass reads everything now; a scheduled one reads a slice per run, after the routine phases."""
        if forced:
            self._deep = DeepPass(started_at=state.wall_started, started_clock=state.clock_started,
                                  lookback=self._deep_lookback)
        elif self._deep is None:
            if not self._deep_pass_due(state.clock_started):
                return
            self._deep = DeepPass(started_at=state.wall_started, started_clock=state.clock_started,
                                  lookback=self._deep_lookback)
        deep = self._deep
        part = DeepPassReport(started_at=deep.started_at)
        state.report.deep_pass = part
        if not deep.listed:
            def list_page(page_id: str | None, offset: int | None) -> ThreadPage:
                part.pages += 1
                return self._client.list_threads(page_id=page_id, offset=offset, limit=THREAD_PAGE_SIZE)
            try:
                deep.list_threads(list_page, self._page_guard)
            except AllegroError as exc:
                state.fail_source("deep pass", exc)
                return
            if deep.reached_since:
                # Active here within the look-back time, but no longer listed: Allegro dropped the thread.
                state.gone |= self._store.threads_active_since(self._account_id, deep.since) - deep.listed_ids
        batch = deep.take(None if forced else self._deep_slice)
        added_before = state.report.messages_added
        cached = self._store.conversation_summaries([summary.id for summary in batch])
        pipeline = self._pipeline(state)
        try:
            pipeline.fetch([freshest(summary, cached.get(summary.id)) for summary in batch])
        finally:
            failed = pipeline.close()
        part.threads_read = len(batch) - len(failed)
        part.unreadable = len(failed)
        part.messages_added = state.report.messages_added - added_before
        if state.must_stop():
            # What a stop left unread goes back, to be read by the next run.
            stored = state.stored_ids()
            deep.pending[:0] = [summary for summary in batch if summary.id not in stored]
        part.remaining = len(deep.pending)
        if deep.done:
            part.complete = True
            self._deep = None
            self._deep_pass_done(state, deep.started_clock, deep.started_at)
            log.info("sync: deep pass since %s complete", deep.since.isoformat())

    def _reference_time(self) -> datetime:
        """Allegro's clock when an answer has told it, else the PC's."""
        return self._client.server_now() or self._wall_clock()

    def _request_counts(self) -> dict[str, int]:
        try:
            return dict(self._client.request_counts())
        except Exception:  # counting is diagnostics only
            return {}

    # -- threads -------------------------------------------------------------------------------------------------

    def _sync_threads(self, state: _RunState) -> None:
        before = state.cursors.get(THREADS, CursorState(THREADS, None, None, None))
        stored_cursor = before.newest_seen_at
        cursor: datetime | None = None
        newest_seen: datetime | None = None
        seen_ids: set[str] = set()
        seen_page_keys: set[tuple[str | None, int | None]] = set()
        skipped_listing = False
        page_id: str | None = None
        offset: int | None = None
        pages = 0
        listing_complete = False
        pipeline = self._pipeline(state)
        try:
            while True:
                state.check()
                if pages >= self._page_guard:
                    self._guard(state, f"threads: stopped after {pages} pages (page guard)")
                    break
                page = self._call(state, THREADS, lambda: self._client.list_threads(page_id=page_id, offset=offset,
                                                                                     limit=THREAD_PAGE_SIZE))
                pages += 1
                reference = self._reference_time()  # each answer brings the server's clock up to date
                if pages == 1 and stored_cursor is not None:
                    cursor = stored_cursor
                    if not is_plausible(cursor, reference):
                        # Written from an impossible time (by an older version, or a clock far ahead): it would
                        # hide every newer message. Paging goes down to the known threads instead, as on a first
                        # sync.
                        state.warn(f"threads: the stored sync position ({cursor:%Y-%m-%d}) is not plausible; "
                                   "not used")
                        cursor = None
                if page.skipped:
                    # A thread that could not be read may lie above the cursor: it must not move past it.
                    skipped_listing = True
                    state.skipped(page.skipped)
                state.emit(THREADS, pages, 0, "")
                # What the cache holds is read for this page's threads only: the cost follows the page, not the
                # inbox.
                known = self._store.known_thread_state(self._account_id, [t.id for t in page.threads
                                                                           if t.id not in seen_ids])
                reached_known = False
                fresh_on_page = 0
                changed: list[ConversationSummary] = []
                unchanged: list[ConversationSummary] = []
                for summary in page.threads:
                    if summary.id in seen_ids:
                        continue
                    seen_ids.add(summary.id)
                    fresh_on_page += 1
                    at = summary.last_activity_at
                    usable = usable_for_cursor(at, reference)
                    if usable is not None and (newest_seen is None or usable > newest_seen):
                        newest_seen = usable
                    if self._thread_changed(summary, known):
                        changed.append(summary)
                    elif cursor is not None and (at is None or usable is not None and at <= cursor - self._overlap):
                        # Newest first: everything below this thread is older than the last complete listing
                        # reached, by more than the time Allegro takes to publish a late message.
                        reached_known = True
                        break
                    else:
                        # Unchanged, but no complete listing has vouched for what lies below it yet (a first sync
                        # that was interrupted, a thread opened by id): keep paging and keep its summary current.
                        unchanged.append(summary)
                pipeline.fetch(changed)  # fetched while the next page is listed
                self._keep_summaries(pipeline, unchanged, reference)
                if reached_known:
                    listing_complete = True
                    break
                if page.threads and fresh_on_page == 0:
                    # A server that ignores the cursor hands out the same page again (reported for offset).
                    self._guard(state, "threads: a page repeated threads already seen; stopped paging")
                    break
                next_key = (page.next_page_id, page.next_offset)
                if page.next_page_id is None and page.next_offset is None or not page.threads:
                    listing_complete = True
                    break
                if next_key in seen_page_keys or (page.next_page_id is not None and page.next_page_id == page_id):
                    self._guard(state, "threads: the next-page cursor repeated; stopped paging")
                    break
                seen_page_keys.add(next_key)
                page_id, offset = page.next_page_id, page.next_offset
        finally:
            # Conversations never fetched because the run stopped are neither stored nor failed: must_stop()
            # below leaves the cursor where it was, so the next sync lists them again.
            failed = pipeline.close()

        if state.must_stop():
            return
        reference = self._reference_time()
        # The cursor moves only as far as every thread above it is stored: a failed thread is listed again next time.
        if not listing_complete:
            self._record_cursor(THREADS, before, succeeded=False, error="listing incomplete")
        elif skipped_listing and not failed:
            self._record_cursor(THREADS, before, succeeded=False, error="a listed thread was unreadable")
        elif failed:
            # Keep the cursor below every failed thread, so that paging reaches them again next time.
            failed_times = [t for t in (usable_for_cursor(s.last_activity_at, reference) for s in failed) if t]
            lowered = min(failed_times) - _CURSOR_STEP_BACK if failed_times else None
            if lowered is not None and cursor is not None:
                lowered = min(lowered, cursor)
            self._record_cursor(THREADS, before, newest_seen_at=lowered, succeeded=False,
                                error=f"{len(failed)} thread(s) failed")
        else:
            advanced = newest_seen if cursor is None or (newest_seen is not None and newest_seen > cursor) else None
            self._record_cursor(THREADS, before, newest_seen_at=advanced, succeeded=True)

    @staticmethod
    def _thread_changed(summary: ConversationSummary, known: dict[str, datetime | None]) -> bool:
        if summary.id not in known:
            return True
        stored = known[summary.id]
        at = summary.last_activity_at
        if at is None:
            return False
        return stored is None or at > stored

    # -- issues --------------------------------------------------------------------------------------------------

    def _sync_issues(self, state: _RunState) -> None:
        before = state.cursors.get(ISSUES, CursorState(ISSUES, None, None, None))
        known: dict[str, tuple[int | None, str | None, datetime | None]] = {}
        looked_up: set[str] = set()  # the issues whose stored state is in `known` (absent there: never fetched)

        def learn(issue_ids: Sequence[str]) -> None:
            wanted = [issue_id for issue_id in issue_ids if issue_id not in looked_up]
            if wanted:
                known.update(self._store.known_issue_state(self._account_id, wanted))
                looked_up.update(wanted)

        reference = self._reference_time()
        started = self._clock()
        full = self._full_issue_listing_due(started)
        statuses = None if full else self._routine_issue_statuses()
        changed: list[ConversationSummary] = []
        unchanged: list[ConversationSummary] = []
        listed: dict[str, ConversationSummary] = {}
        pipeline = self._pipeline(state)

        def take(issue: ConversationSummary) -> None:
            learn([issue.id])  # already read with its page, unless it was looked up by id
            self._issue_seen[issue.id] = (issue.status, issue.can_reply)
            if self._issue_changed(issue, known):
                changed.append(issue)
                # Until it is stored, look it up by id whenever a routine listing leaves it out (it may have been
                # seen in a state that routine listings skip, or leave theirs before the next sync).
                self._issue_retry.add(issue.id)
            else:
                unchanged.append(issue)  # status or deadline may move without a new message
                self._issue_retry.discard(issue.id)

        def hand_over() -> None:
            """What `take` found goes to the pipeline, to be fetched while the listing goes on."""
            pipeline.fetch(changed)
            self._keep_summaries(pipeline, unchanged, reference)
            changed.clear()
            unchanged.clear()

        offset = 0
        pages = 0
        listing_complete = False
        skipped_listing = False
        lookups_failed = 0
        try:
            while True:
                state.check()
                if pages >= self._page_guard:
                    self._guard(state, f"issues: stopped after {pages} pages (page guard)")
                    break
                page = self._call(state, ISSUES, lambda: self._client.list_issues(
                    offset=offset, limit=ISSUE_PAGE_SIZE, statuses=statuses))
                pages += 1
                reference = self._reference_time()  # each answer brings the server's clock up to date
                state.emit(ISSUES, pages, 0, "")
                if page.skipped:
                    skipped_listing = True
                    state.skipped(page.skipped)
                fresh = [issue for issue in page.issues if issue.id not in listed]
                learn([issue.id for issue in fresh])
                for issue in fresh:
                    listed[issue.id] = issue
                    take(issue)
                hand_over()
                # A short page is the last one. A full page may be the last as well, but the answer carries no
                # total that would prove it, so a full page costs one more (maybe empty) request.
                if page.record_count < ISSUE_PAGE_SIZE:
                    listing_complete = True
                    break
                if not fresh:
                    self._guard(state, "issues: a page repeated issues already seen; stopped paging")
                    break
                offset += page.record_count

            if full:
                if listing_complete:
                    # Every issue Allegro has was just listed: forget what it no longer lists.
                    self._issue_seen = {i: self._issue_seen[i] for i in listed}
                    self._issue_retry &= set(listed)
                    if not skipped_listing:  # (an unreadable record may be one of the stored issues)
                        state.gone |= set(self._store.known_issue_state(self._account_id)) - set(listed)
            elif listing_complete:
                lookups_failed = self._look_up_missing(state, statuses or (), listed, take, hand_over)
        finally:
            failed = pipeline.close()
            self._issue_retry -= state.stored_ids()  # failed ones, and those a stop left unfetched, stay

        if state.must_stop():
            return  # a full listing cut short is not counted: the next sync lists everything again
        if not listing_complete:
            self._issue_full_due = True  # what this listing missed is unknown: the next one lists everything
        elif full:
            self._issue_full_due = False
            self._last_full_issue_listing = started
            state.schedule_changes["last_full_issue_listing_at"] = state.wall_started
        if skipped_listing:
            # An unreadable issue record hides an issue whose state is unknown: the next listing lists everything.
            self._issue_full_due = True
        ok = listing_complete and not failed and not lookups_failed and not skipped_listing
        failures = len(failed) + lookups_failed
        error = (None if ok else f"{failures} issue(s) failed" if failures
                 else "listing incomplete" if not listing_complete else "a listed issue was unreadable")
        self._record_cursor(ISSUES, before, succeeded=ok, error=error)

    def _full_issue_listing_due(self, now: float) -> bool:
        if self._issue_full_due or self._last_full_issue_listing is None:
            return True
        return now - self._last_full_issue_listing >= self._full_issue_interval

    def _routine_issue_statuses(self) -> tuple[str, ...]:
        live_decided = {status for status, chat_active in self._issue_seen.values()
                        if chat_active and status in DECIDED_ISSUE_STATUSES}
        return tuple(sorted(OPEN_ISSUE_STATUSES | live_decided))

    def _look_up_missing(
        self,
        state: _RunState,
        statuses: Sequence[str],
        listed: dict[str, ConversationSummary],
        take: Callable[[ConversationSummary], None],
        hand_over: Callable[[], None],
    ) -> int:
        """Look up by id each issue a complete routine listing should have shown but did not: it was in a listed
        state (so it has left it: closed, decided, or moved down past a page boundary while paging) or its fetch
        failed last time. Returns how many lookups failed."""
        wanted = set(statuses)
        missing = sorted(
            {i for i, (status, _) in self._issue_seen.items() if status in wanted and i not in listed}
            | {i for i in self._issue_retry if i not in listed}
        )
        failed = 0
        for issue_id in missing:
            state.check()
            try:
                issue = self._client.get_issue(issue_id)
            except (NotFoundError, WrongKindError) as exc:
                # Allegro no longer knows it: stop looking; what is stored stays, marked as kept only here.
                log.warning("sync: issue %s is gone (%s)", issue_id, _describe(exc))
                self._issue_seen.pop(issue_id, None)
                self._issue_retry.discard(issue_id)
                state.gone.add(issue_id)
                continue
            except AllegroError as exc:
                failed += 1
                self._issue_retry.add(issue_id)
                state.fail_lookup(Kind.ISSUE, issue_id, exc)
                continue
            take(issue)
            hand_over()
        return failed

    @staticmethod
    def _issue_changed(
        summary: ConversationSummary, known: dict[str, tuple[int | None, str | None, datetime | None]]
    ) -> bool:
        stored = known.get(summary.id)
        if stored is None:
            return True
        count, status, at = stored
        return (summary.messages_count, summary.last_message_status, summary.last_activity_at) != (count, status, at)

    # -- fetching changed conversations --------------------------------------------------------------------------

    def _pipeline(self, state: _RunState) -> FetchPipeline:
        state.next_fetch_phase()
        return FetchPipeline(store=self._store, account_id=self._account_id, workers=self._max_workers,
                             fetch=lambda summary: self._fetch_one(state, summary), run=state,
                             cost=state.report.cost, fence=state.fence)

    def _fetch_one(self, state: _RunState, summary: ConversationSummary) -> PreparedFetch:
        """Runs in a fetch worker: the conversation's messages, ready for the storing thread."""
        if summary.kind is Kind.THREAD:
            listed = self._client.thread_messages(summary.id)
        else:
            listed = self._client.issue_chat(summary.id)
        state.skipped(listed.skipped)
        for warning in listed.warnings:
            state.warn(redact(f"{summary.kind.value} {summary.id}: {warning}"))
        return prepare_fetched(summary, listed.messages, complete=listed.complete, reference=self._reference_time())

    def _keep_summaries(self, pipeline: FetchPipeline, summaries: Sequence[ConversationSummary],
                        reference: datetime) -> None:
        """Unchanged conversations whose listed summary says something new (a status, a deadline, the read flag)
        get it stored; those the cache already has as listed cost one read by key and no write."""
        if not summaries:
            return
        kept = [for_storage(summary, (), reference)[0] for summary in summaries]
        try:
            differing = self._store.summaries_to_write(self._account_id, kept)
        except Exception as exc:  # the summary refresh is a nicety; messages are what matter
            log.warning("sync: could not compare the summaries of %d conversations (%s)", len(kept), _describe(exc))
            return
        pipeline.keep(differing)

    def _record_cursor(self, source: str, before: CursorState, *, newest_seen_at: datetime | None = None,
                       succeeded: bool, error: str | None = None) -> None:
        """Record how the source's sync ended, unless the stored cursor says so already: a refresh that found
        nothing new writes nothing. The success time, which only the doctor reports, is written again once the
        stored one is SUCCESS_TIME_RESOLUTION old."""
        if newest_seen_at is None or newest_seen_at == before.newest_seen_at:
            if succeeded and before.last_error is None and before.last_success_at is not None:
                age = (_utc_now() - before.last_success_at).total_seconds()
                if 0 <= age < SUCCESS_TIME_RESOLUTION:
                    return
            if not succeeded and error is not None and redact(error) == before.last_error:
                return
        self._store.set_cursor(self._account_id, source, newest_seen_at=newest_seen_at, succeeded=succeeded,
                               error=error, fence=self._run_fence)

    # -- helpers -------------------------------------------------------------------------------------------------

    def _call(self, state: _RunState, source: str, request: Callable[[], Any]) -> Any:
        try:
            return request()
        except AllegroError as exc:
            state.fail_source(source, exc)
            self._record_cursor(source, state.cursors.get(source, CursorState(source, None, None, None)),
                                succeeded=False, error=_describe(exc))
            raise _Stop() from exc
        # Anything else (an answer the parser could not cope with) ends the phase through run_once's handler.

    @staticmethod
    def _guard(state: _RunState, text: str) -> None:
        log.warning("sync: %s", text)
        state.report.errors.append(text)


class _RunState:
    """What one run shares between the listing thread and the fetch workers."""

    def __init__(
        self,
        *,
        report: SyncReport,
        progress: Callable[[SyncProgress], None] | None,
        cancelled: Callable[[], bool],
        notify: bool,
        time_left: Callable[[], float],
        clock_started: float,
        wall_started: datetime,
        fence: Fence | None = None,
    ) -> None:
        self.report = report
        self.fence = fence  # team mode: the lease the run's writes show (store/leadership.check_fence)
        self._progress = progress
        self._cancelled = cancelled
        self.notify = notify  # set once the store has said whether this is the first sync
        self._time_left = time_left
        self._lock = threading.Lock()
        self._stored: set[str] = set()
        self.cursors: dict[str, CursorState] = {}  # as stored when the run began
        self.clock_started = clock_started
        self.wall_started = wall_started
        self._unavailable_in_a_row = 0
        self._fetch_base = (0, 0)  # conversations done and handed over by the run's earlier pipelines
        self._fetch_last = (0, 0)  # the same, of the current pipeline
        # Conversations Allegro no longer shows (answered 404, or missing from a listing that shows everything):
        # the cache keeps them, marked.
        self.gone: set[str] = set()
        # The schedule's times this run moved, written together when it ends (store.sync_schedule).
        self.schedule_changes: dict[str, datetime | str] = {}

    def next_fetch_phase(self) -> None:
        """A new pipeline starts: its conversations count on from the previous ones', so the run's progress is one
        count (threads, then issues, then a deep pass)."""
        with self._lock:
            self._fetch_base = (self._fetch_base[0] + self._fetch_last[0], self._fetch_base[1] + self._fetch_last[1])
            self._fetch_last = (0, 0)

    def emit(self, phase: str, done: int, total: int, message: str) -> None:
        if self._progress is None:
            return
        if phase == "messages":
            with self._lock:
                self._fetch_last = (done, total)
                done, total = done + self._fetch_base[0], total + self._fetch_base[1]
        try:
            self._progress(SyncProgress(phase, done, total, message, filling=not self.notify))
        except Exception:  # a broken progress display must not break the sync
            log.warning("sync: the progress callback failed", exc_info=True)

    def must_stop(self) -> bool:
        if self._cancelled():
            self.report.cancelled = True
        if not self.report.timed_out and self._time_left() <= 0:
            with self._lock:
                self.report.timed_out = True
                self.report.errors.append("the sync ran out of time; the next sync goes on from here")
            log.warning("sync: out of time, stopping")
        return (self.report.cancelled or self.report.offline or self.report.needs_sign_in or self.report.timed_out
                or self.report.retry_after is not None or self.report.unavailable or self.report.led_elsewhere)

    def lose_lead(self, lost: LeadershipLost) -> None:
        """A write found the lease lost (team mode): the run stores nothing more and stops; another bench leads."""
        with self._lock:
            if not self.report.led_elsewhere:
                log.warning("sync: this bench no longer leads the account; the run stops (%s)", lost)
            self.report.led_elsewhere = True

    def check(self) -> None:
        if self.must_stop():
            raise _Stop()

    def fail_source(self, source: str, error: AllegroError) -> None:
        with self._lock:
            self._classify(error)
            self.report.errors.append(f"{source}: {_describe(error)}")
        log.warning("sync: listing %s failed: %s", source, _describe(error))

    def fail_lookup(self, kind: Kind, conversation_id: str, error: AllegroError) -> None:
        with self._lock:
            self._classify(error)
            self.report.errors.append(f"{kind.value} {conversation_id}: {_describe(error)}")
        log.warning("sync: looking up %s %s failed: %s", kind.value, conversation_id, _describe(error))

    def fail_phase(self, source: str, error: BaseException) -> None:
        """Something other than Allegro's answer ended a phase (the store, a bug): one sentence, no traceback."""
        with self._lock:
            if isinstance(error, AllegroError):
                self._classify(error)
            self.report.errors.append(f"{source}: {_describe(error)}")
        log.warning("sync: %s stopped: %s", source, _describe(error))

    def warn(self, text: str) -> None:
        with self._lock:
            self.report.warnings.append(text)
        log.warning("sync: %s", text)

    def skipped(self, records: Sequence[SkippedRecord]) -> None:
        for record in records:
            self.warn(_describe_skipped(record))

    def fail(self, summary: ConversationSummary, error: BaseException) -> None:
        with self._lock:
            if isinstance(error, NotFoundError) and not isinstance(error, WrongKindError):
                self.gone.add(summary.id)
            if isinstance(error, AllegroError):
                self._classify(error)
            self.report.errors.append(f"{summary.kind.value} {summary.id}: {_describe(error)}")
        log.warning("sync: %s %s failed: %s", summary.kind.value, summary.id, _describe(error))

    def answered(self) -> None:
        """A fetch got an answer: 5xx before it were not in a row."""
        with self._lock:
            self._unavailable_in_a_row = 0

    def _classify(self, error: AllegroError) -> None:
        failure = failure_of(error)
        if failure.kind is FailureKind.UNAVAILABLE:
            self._unavailable_in_a_row += 1
            if self._unavailable_in_a_row >= UNAVAILABLE_STOP and not self.report.unavailable:
                self.report.unavailable = True
                self.report.errors.append(
                    f"Allegro answered with server errors (5xx) {self._unavailable_in_a_row} times in a row; "
                    "this sync stopped and the next one waits")
        if failure.kind is FailureKind.TIMED_OUT:
            self.report.timed_out = True
        elif failure.offline:
            self.report.offline = True
        elif failure.kind is FailureKind.SIGN_IN_NEEDED:
            self.report.needs_sign_in = True
        elif isinstance(error, RateLimitedError):
            # Asking again sooner only extends the block: stop, and let the schedule wait this long.
            wait = error.retry_after if error.retry_after is not None else RATE_LIMIT_WAIT
            self.report.retry_after = max(wait, self.report.retry_after or 0.0)

    def stored_ids(self) -> set[str]:
        """Conversations this run fetched and stored."""
        with self._lock:
            return set(self._stored)

    def record(self, summary: ConversationSummary, stored: StoredConversation) -> None:
        with self._lock:
            self._stored.add(summary.id)
            if stored.change is not ChangeKind.UNCHANGED or stored.messages_added or stored.messages_changed:
                self.report.changed_conversations.add(summary.id)
            if stored.change is ChangeKind.ADDED:
                self.report.conversations_added += 1
            elif stored.change is ChangeKind.CHANGED:
                self.report.conversations_changed += 1
            self.report.messages_added += stored.messages_added
            self.report.messages_changed += stored.messages_changed
            if self.notify:
                self.report.new_buyer_messages.extend(
                    NewBuyerMessage(summary.id, m.id, m.author_login, m.text) for m in stored.added_buyer_messages
                )

    def count_summary_change(self, conversation_id: str) -> None:
        with self._lock:
            self.report.conversations_changed += 1
            self.report.changed_conversations.add(conversation_id)

