"""The plain records the inbox's read queries hand to the window: list rows, pages, one conversation in full.

No SQL and no database library here: the window builds and compares these directly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timezone

from magazyn_desktop.store.draft_files import DraftFile


class Filter(str, enum.Enum):
    ALL = "all"
    NEEDS_REPLY = "needs_reply"
    UNREAD = "unread"
    ISSUES = "issues"  # purchase problems, disputes and claims
    CLOSED = "closed"
    REMINDERS = "reminders"  # a follow-up reminder due today or earlier
    DEADLINES = "deadlines"  # something due (a claim's decision, a dispute's date, a reply), soonest first
    MINE = "mine"  # taken by the person at this bench (team mode's "Moje")


@dataclass(frozen=True)
class ConversationRow:
    """One line of the inbox list."""

    id: str
    kind: str
    sub_kind: str
    status: str | None
    can_reply: bool
    read: bool
    needs_reply: bool
    closed: bool
    last_activity_at: datetime | None
    interlocutor_login: str | None
    order_id: str | None
    subject: str | None
    snippet: str | None
    decision_due_at: datetime | None
    done: bool = False  # a user marked it as needing no reply
    remind_on: date | None = None  # the local date of its follow-up reminder
    due_at: datetime | None = None  # the deadline (store/conversation_writes.py), None when nothing is due
    assignee: str | None = None  # the person who took it (store/assignment.py), None when nobody has


@dataclass(frozen=True)
class PageKey:
    """Where the next page starts: the sort key of the last row already shown. The list runs by last activity,
    newest first, except the deadlines filter unsearched, which runs by (due_at, id), soonest first."""

    last_activity_at: str | None  # as stored, so comparisons happen on the stored text
    id: str
    due_at: str | None = None  # as stored; the key of the deadlines order


@dataclass(frozen=True)
class Page:
    rows: tuple[ConversationRow, ...]
    next_key: PageKey | None  # None when this was the last page
    keys: tuple[PageKey, ...] = ()  # each row's sort key, in the same order


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    message_id: str
    remote_id: str | None
    file_name: str
    mime_type: str | None
    url: str | None
    local_path: str | None


@dataclass(frozen=True)
class MessageRow:
    id: str
    author_role: str
    author_login: str | None
    text: str
    created_at: datetime | None
    attachments: tuple[AttachmentRow, ...] = ()
    written_by: str | None = None  # a reply sent from the outbox: who queued it (its entry's author)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    text: str
    state: str
    attempts: int
    created_at: datetime | None
    sent_at: datetime | None
    error_code: str | None
    error_message: str | None
    # The files queued with the reply; local_path is the copy in the outgoing folder, while it is there.
    attachments: tuple[AttachmentRow, ...] = ()
    author: str | None = None  # who queued it ("Ania @ bench 2"); None before revision 0019


@dataclass(frozen=True)
class DecisionRow:
    """A claim decision made in this app and where its send stands (the claim_decisions table)."""

    id: int
    choice: str  # ClaimStatusChangeRequest.status
    refund_amount: str | None  # "25.50"
    refund_currency: str | None
    state: str  # an OutboxState value
    error_code: str | None
    error_message: str | None  # Allegro's userMessage
    found_status: str | None


@dataclass(frozen=True)
class NoteRow:
    """An internal note: plain text for the team, never sent to Allegro."""

    id: int
    author: str
    text: str
    created_at: datetime | None


@dataclass(frozen=True)
class ConversationDetail:
    conversation: ConversationRow
    messages: tuple[MessageRow, ...]
    outbox: tuple[OutboxRow, ...]
    draft: str
    # Allegro no longer shows this conversation (since then); the cache keeps it, as it keeps every message.
    kept_locally_since: datetime | None = None
    draft_files: tuple[DraftFile, ...] = ()  # the files attached to the draft, as they were then
    notes: tuple[NoteRow, ...] = ()  # oldest first
    decisions: tuple[DecisionRow, ...] = ()  # a claim's decisions made here, oldest first
    newest_message_rowid: int = 0  # of the messages read: what was shown, for team mode's send-time check


def parse_date(value: object) -> date | None:
    """A stored date (ISO text) to a date; None for anything unreadable."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_time(value: object) -> datetime | None:
    """Stored UTC text (as SQLAlchemy writes it) to an aware datetime; None for anything unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
