"""The plain records the Store hands out: what a write changed, an account, a sync cursor, an outbox entry,
who has a conversation.

No SQLAlchemy here, so the layers above can name these types without loading the database library. The records the
store keeps for every layer (conversations, messages, orders) live in domain/records.py.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from magazyn_desktop.domain.claim_decision import ClaimDecision
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary
from magazyn_desktop.domain.vocabulary import OutboxState


class ChangeKind(str, enum.Enum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class StoredConversation:
    """What one store_conversation call changed."""

    change: ChangeKind
    messages_added: int
    messages_changed: int
    added_message_ids: tuple[str, ...]  # in the order given (oldest first)
    added_buyer_messages: tuple[ConversationMessage, ...]


@dataclass(frozen=True)
class ConversationWrite:
    """One conversation of a batch for Store.store_conversations: its summary with all its messages, or (messages
    None) the summary alone, which leaves the remote counters as they were (see Store.upsert_conversation).
    `complete` False: what was read is stored, but the conversation still looks changed to the next sync."""

    summary: ConversationSummary
    messages: Sequence[ConversationMessage] | None
    complete: bool = True


@dataclass(frozen=True)
class AccountInfo:
    id: int
    environment: str
    login: str | None
    client_id: str | None
    api_url: str | None
    auth_url: str | None


@dataclass(frozen=True)
class CursorState:
    source: str
    newest_seen_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class ScheduleState:
    """An account's sync timing as stored (UTC), each None until it first happened."""

    last_full_issue_listing_at: datetime | None = None
    last_deep_pass_at: datetime | None = None
    last_send_at: datetime | None = None
    backoff_until: datetime | None = None  # a source kept answering 5xx: no sync before this time


@dataclass(frozen=True)
class OutboxAttachment:
    """A file queued with a reply: the copy in the data folder, and Allegro's id once it was uploaded."""

    path: str
    file_name: str
    mime_type: str
    size: int
    remote_id: str | None = None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    account_id: int
    conversation_id: str
    text: str
    state: OutboxState
    attempts: int
    created_at: datetime
    sending_started_at: datetime | None
    sent_at: datetime | None
    remote_message_id: str | None
    error_code: str | None
    error_message: str | None
    attachments: tuple[OutboxAttachment, ...] = ()
    # The conversation's largest messages.rowid when the entry was last marked sending; None before revision 0005.
    messages_rowid_before: int | None = None
    message_type: str = "REGULAR"  # an issue message's MessageRequest.type
    author: str | None = None  # who queued it ("Ania @ bench 2"); None before revision 0019


@dataclass(frozen=True)
class ClaimDecisionItem:
    """A stored claim decision and where its send stands."""

    id: int
    account_id: int
    issue_id: str
    decision: ClaimDecision
    state: OutboxState
    attempts: int
    created_at: datetime
    sending_started_at: datetime | None
    sent_at: datetime | None
    error_code: str | None  # a FailureKind value
    error_message: str | None  # Allegro's own userMessage
    found_status: str | None  # the claim's status a re-read found


class DuplicateTemplateName(ValueError):
    """Store.save_reply_templates was given two templates of one name; nothing was written."""

    def __init__(self, name: str) -> None:
        super().__init__(f"two templates are named {name!r}")
        self.name = name


@dataclass(frozen=True)
class TemplateEdit:
    """One template of the list given to Store.save_reply_templates, in the order they are to be shown."""

    id: int | None  # None: a new template
    name: str
    body: str
    attachment: str | None  # the file name of its copy in the templates' folder


@dataclass(frozen=True)
class StoredTemplate:
    """A reply template as kept: shared by every account of this computer (the shop's texts, not an account's)."""

    id: int
    name: str
    body: str
    attachment: str | None  # the file name of its copy in the templates' folder
    position: int
    created_at: datetime
    updated_at: datetime


PERSON_LENGTH = 120  # a person's name as conversations.assignee and conversation_notes.author keep it


class AssigneeOnly(Exception):
    """The account lets only the assignee answer, and `assignee` took this conversation: nothing was queued."""

    def __init__(self, conversation_id: str, assignee: str) -> None:
        super().__init__(f"only {assignee} may answer conversation {conversation_id}")
        self.conversation_id = conversation_id
        self.assignee = assignee


@dataclass(frozen=True)
class Assignment:
    """What an assignment change found: whether it was made, and who has the conversation now (None: nobody).

    `exists` False: the conversation is not stored (nothing changed)."""

    changed: bool
    assignee: str | None
    exists: bool = True
