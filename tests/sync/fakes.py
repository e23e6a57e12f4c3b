"""A small in-memory Allegro with the AllegroClient surface that sync and the outbox use, plus fake time."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from magazyn_desktop.allegro.errors import AllegroError, NotFoundError
from magazyn_desktop.allegro.models import Conversation, IssuePage, MessageList, ThreadPage
from magazyn_desktop.domain.issue_messages import IssueMessageType
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary, SentMessage
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import SyncEngine

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
THREADS = "GET /messaging/threads"
THREAD_MESSAGES = "GET /messaging/threads/{id}/messages"
ISSUES = "GET /sale/issues"
ISSUE = "GET /sale/issues/{id}"
ISSUE_CHAT = "GET /sale/issues/{id}/chat"
SEND = "POST send"


class FakeTime:
    """A monotonic clock whose sleeper advances it; records every requested wait."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class FakeConversation:
    summary: ConversationSummary
    messages: list[ConversationMessage] = field(default_factory=list)


def thread_id(n: int) -> str:
    return f"T{n:03d}".ljust(43, "x")


def issue_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


class FakeAllegro:
    def __init__(self, *, now: datetime = NOW) -> None:
        self.now = now
        self.threads: dict[str, FakeConversation] = {}
        self.issues: dict[str, FakeConversation] = {}
        self.counts: Counter[str] = Counter()
        self.failing: dict[str, BaseException] = {}  # conversation id -> error its message fetch raises
        self.list_error: BaseException | None = None
        self.issue_lists: list[tuple[str, ...] | None] = []  # the statuses filter of each issue list request
        self.lookup_errors: dict[str, BaseException] = {}  # issue id -> error its GET /sale/issues/{id} raises
        self.send_outcomes: list[BaseException | str] = []  # "ok", "deliver-then-raise:<error>" ... see send_message
        self.reread_error: BaseException | None = None
        self.sent: list[tuple[str, str]] = []
        self.on_send: list = []  # callables run at the start of send_message (to inspect the store)
        self.empty_answers: set[str] = set()  # conversation ids whose next message fetch answers no messages
        self._lock = threading.Lock()
        self._ids = 0

    # -- building data ---------------------------------------------------------------------------------------------

    def _next_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids}"

    def add_thread(self, n: int, *, minutes_ago: float, buyer_last: bool = True) -> str:
        tid = thread_id(n)
        at = self.now - timedelta(minutes=minutes_ago)
        summary = ConversationSummary(id=tid, kind=Kind.THREAD, sub_kind=SubKind.COMMON, last_activity_at=at,
                                      interlocutor_login=f"buyer{n}", read=False)
        messages = [ConversationMessage(self._next_id("m"), tid, Role.BUYER, f"buyer{n}", f"pytanie {n}",
                                        at - timedelta(minutes=1))]
        if not buyer_last:
            messages.append(ConversationMessage(self._next_id("m"), tid, Role.SELLER, "shop", f"odpowiedź {n}", at))
        else:
            messages[-1] = replace(messages[-1], created_at=at)
        self.threads[tid] = FakeConversation(summary, messages)
        return tid

    def add_issue(self, n: int, *, minutes_ago: float) -> str:
        iid = issue_id(n)
        at = self.now - timedelta(minutes=minutes_ago)
        message = ConversationMessage(self._next_id("c"), iid, Role.BUYER, f"client{n}", f"reklamacja {n}", at)
        summary = ConversationSummary(id=iid, kind=Kind.ISSUE, sub_kind=SubKind.CLAIM, last_activity_at=at,
                                      interlocutor_login=f"client{n}", status="CLAIM_SUBMITTED", messages_count=1,
                                      last_message_status="BUYER_REPLIED")
        self.issues[iid] = FakeConversation(summary, [message])
        return iid

    def decide_issue(self, issue: str, status: str = "CLAIM_ACCEPTED", *, chat_active: bool = False,
                     note: str | None = "Reklamacja została rozpatrzona.") -> None:
        """The issue leaves the open states; Allegro's chat gets a system entry for the decision (if `note`)."""
        self.now += timedelta(minutes=1)
        conversation = self.issues[issue]
        summary = replace(conversation.summary, status=status, can_reply=chat_active)
        if note is not None:
            conversation.messages.append(ConversationMessage(self._next_id("m"), issue, Role.ALLEGRO, None, note,
                                                             self.now))
            summary = replace(summary, messages_count=len(conversation.messages),
                              last_message_status="ALLEGRO_ADVISOR_REPLIED", last_activity_at=self.now)
        conversation.summary = summary

    def buyer_writes(self, conversation_id: str, text: str, *, at: datetime | None = None) -> None:
        """A new buyer message: the summary's activity (and for issues the counters) move as Allegro's would."""
        self.now += timedelta(minutes=1)
        at = at or self.now
        store = self.threads if conversation_id in self.threads else self.issues
        conversation = store[conversation_id]
        conversation.messages.append(ConversationMessage(self._next_id("m"), conversation_id, Role.BUYER, "buyer",
                                                         text, at))
        summary = conversation.summary
        if summary.kind is Kind.ISSUE:
            summary = replace(summary, messages_count=len(conversation.messages), last_message_status="BUYER_REPLIED")
        conversation.summary = replace(summary, last_activity_at=at)

    def publish_late(self, conversation_id: str, text: str, *, written_at: datetime, message_id: str | None = None) -> str:
        """A buyer message Allegro publishes only now, dated when it was written (held by moderation or a warning):
        it takes its place by time, and the thread's activity moves only if it is the newest message."""
        self.now += timedelta(minutes=1)
        conversation = self.threads[conversation_id]
        message = ConversationMessage(message_id or self._next_id("late"), conversation_id, Role.BUYER,
                                      conversation.summary.interlocutor_login, text, written_at)
        conversation.messages = sorted([*conversation.messages, message], key=lambda m: m.created_at)
        newest = conversation.messages[-1].created_at
        conversation.summary = replace(conversation.summary, last_activity_at=newest)
        return message.id

    # -- the client surface ------------------------------------------------------------------------------------------

    def _count(self, name: str) -> None:
        with self._lock:
            self.counts[name] += 1

    def request_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counts)

    def server_now(self) -> datetime | None:
        return None  # like a client before any answer: the engine judges times by its own clock

    def list_threads(self, *, page_id: str | None = None, offset: int | None = None, limit: int = 20) -> ThreadPage:
        self._count(THREADS)
        if self.list_error is not None:
            raise self.list_error
        ordered = sorted(self.threads.values(), key=lambda c: c.summary.last_activity_at, reverse=True)
        start = int(page_id) if page_id else 0
        page = ordered[start:start + limit]
        following = start + limit
        return ThreadPage(tuple(c.summary for c in page), str(following) if following < len(ordered) else None)

    def thread_messages(self, thread_id: str) -> MessageList:
        self._count(THREAD_MESSAGES)
        if thread_id in self.failing:
            raise self.failing[thread_id]
        if thread_id in self.empty_answers:
            self.empty_answers.discard(thread_id)
            return MessageList(())
        return MessageList(tuple(self.threads[thread_id].messages))

    def list_issues(self, *, offset: int = 0, limit: int = 100,
                    statuses: Sequence[str] | None = None) -> IssuePage:
        self._count(ISSUES)
        self.issue_lists.append(tuple(statuses) if statuses else None)
        ordered = sorted((c for c in self.issues.values() if not statuses or c.summary.status in statuses),
                         key=lambda c: c.summary.id)
        return IssuePage(tuple(c.summary for c in ordered[offset:offset + limit]))

    def get_issue(self, issue_id: str) -> ConversationSummary:
        self._count(ISSUE)
        if issue_id in self.lookup_errors:
            raise self.lookup_errors[issue_id]
        if issue_id not in self.issues:
            raise NotFoundError("no such issue", code="POST_PURCHASE_ISSUE_NOT_FOUND", endpoint="/sale/issues/{id}")
        return self.issues[issue_id].summary

    def issue_chat(self, issue_id: str) -> MessageList:
        self._count(ISSUE_CHAT)
        if issue_id in self.failing:
            raise self.failing[issue_id]
        if issue_id in self.empty_answers:
            self.empty_answers.discard(issue_id)
            return MessageList(())
        return MessageList(tuple(self.issues[issue_id].messages))

    def _conversation(self, conversation_id: str) -> FakeConversation:
        return self.threads.get(conversation_id) or self.issues[conversation_id]

    def conversation_messages(self, summary: ConversationSummary) -> MessageList:
        self._count("reread")
        if self.reread_error is not None:
            raise self.reread_error
        return MessageList(tuple(self._conversation(summary.id).messages))

    def open_conversation(self, conversation_id: str) -> Conversation:
        self._count("reread")
        if self.reread_error is not None:
            raise self.reread_error
        found = self._conversation(conversation_id)
        return Conversation(found.summary, tuple(found.messages))

    def send_message(self, conversation_id: str, kind: Kind, text: str, attachment_ids: Sequence[str] = (),
                     message_type: IssueMessageType = IssueMessageType.REGULAR) -> SentMessage:
        """Outcomes, taken in turn (default "ok"): "ok"; an exception (not delivered); or ("delivered", exception):
        the message arrives, then the answer is lost."""
        self._count(SEND)
        for check in self.on_send:
            check(conversation_id, text)
        outcome: object = self.send_outcomes.pop(0) if self.send_outcomes else "ok"
        if isinstance(outcome, BaseException):
            raise outcome
        self.now += timedelta(seconds=2)
        message = ConversationMessage(self._next_id("s"), conversation_id, Role.SELLER, "shop", text, self.now)
        conversation = self._conversation(conversation_id)
        conversation.messages.append(message)
        conversation.summary = replace(conversation.summary, last_activity_at=self.now)
        self.sent.append((conversation_id, text))
        if isinstance(outcome, tuple):
            _, error = outcome
            raise error
        return SentMessage(message.id, conversation_id, message.created_at, text)


def allegro_error(cls: type[AllegroError], code: str = "X", user_message: str = "Nie udało się", **extra: object) -> AllegroError:
    return cls(f"{cls.__name__} for a test", code=code, user_message=user_message, endpoint="test", **extra)  # type: ignore[arg-type]


def seeded(allegro: FakeAllegro, threads: int = 45, issues: int = 3) -> FakeAllegro:
    """The fake with `threads` threads, every other one waiting for the seller, and `issues` issues."""
    for n in range(threads):
        allegro.add_thread(n, minutes_ago=10 + n * 7, buyer_last=n % 2 == 0)
    for n in range(issues):
        allegro.add_issue(n, minutes_ago=30 + n)
    return allegro


def engine(allegro: FakeAllegro, store: Store, account_id: int, **options: object) -> SyncEngine:
    return SyncEngine(client=allegro, store=store, account_id=account_id, **options)  # type: ignore[arg-type]
