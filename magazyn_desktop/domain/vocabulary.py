"""Kinds of conversation, who wrote a message, the states of an outbox entry, and what counts as closed."""

from __future__ import annotations

import enum


class Kind(str, enum.Enum):
    """Which API a conversation id belongs to."""

    THREAD = "thread"  # /messaging/threads/{id}
    ISSUE = "issue"  # /sale/issues/{id}


class SubKind(str, enum.Enum):
    COMMON = "COMMON"  # Wiadomość
    POST_PURCHASE_ISSUE = "POST_PURCHASE_ISSUE"  # Problem z zakupem
    DISPUTE = "DISPUTE"  # Dyskusja
    CLAIM = "CLAIM"  # Reklamacja


# Purchase problems, disputes and claims: what the inbox's "Issues" filter shows.
ISSUE_SUB_KINDS: tuple[SubKind, ...] = (SubKind.POST_PURCHASE_ISSUE, SubKind.DISPUTE, SubKind.CLAIM)


class Role(str, enum.Enum):
    """Who wrote a message, as the inbox shows it."""

    BUYER = "BUYER"  # Kupujący
    SELLER = "SELLER"  # Ty: the account this app is signed in as
    ALLEGRO = "ALLEGRO"  # Allegro (advisors, consultants, system entries)


class OutboxState(str, enum.Enum):
    """Where a reply stands; store/outbox.py lists the moves allowed between them (TRANSITIONS)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


# The states that need a person's attention in the window.
PROBLEM_OUTBOX_STATES: tuple[OutboxState, ...] = (OutboxState.FAILED, OutboxState.UNCERTAIN)

# A conversation is closed when Allegro says so -- a thread's status CLOSED, an issue status ending in _CLOSED
# (DISPUTE_CLOSED) -- or when it no longer takes replies.
CLOSED_THREAD_STATUS = "CLOSED"
CLOSED_ISSUE_STATUS_SUFFIX = "_CLOSED"
