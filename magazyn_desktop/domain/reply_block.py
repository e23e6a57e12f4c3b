"""Why a conversation takes no reply, when it takes none: the composer words it, so staff know what happened."""

from __future__ import annotations

import enum

from magazyn_desktop.domain.vocabulary import CLOSED_ISSUE_STATUS_SUFFIX, Kind

CLAIM_ACCEPTED = "CLAIM_ACCEPTED"
CLAIM_REJECTED = "CLAIM_REJECTED"
DISPUTE_CLOSED = "DISPUTE_CLOSED"
# An issue in one of these was decided; Allegro refuses messages to it (DISPUTE_ALREADY_RESOLVED) unless its chat
# stays active.
DECIDED_ISSUE_STATUSES = frozenset({DISPUTE_CLOSED, CLAIM_ACCEPTED, CLAIM_REJECTED})


class ReplyBlock(str, enum.Enum):
    CLOSED_THREAD = "closed_thread"  # a Message Center thread Allegro closed
    CLAIM_ACCEPTED = "claim_accepted"
    CLAIM_REJECTED = "claim_rejected"
    DISPUTE_CLOSED = "dispute_closed"
    CHAT_INACTIVE = "chat_inactive"  # an issue still open whose chat Allegro does not take messages in now


def reply_block(*, kind: str, status: str | None, can_reply: bool, closed: bool) -> ReplyBlock | None:
    """None when a reply can be sent; otherwise the reason, the most specific one the stored facts give."""
    if can_reply and not closed:
        return None
    if kind != Kind.ISSUE:
        return ReplyBlock.CLOSED_THREAD
    if status == CLAIM_ACCEPTED:
        return ReplyBlock.CLAIM_ACCEPTED
    if status == CLAIM_REJECTED:
        return ReplyBlock.CLAIM_REJECTED
    if status == DISPUTE_CLOSED or (status or "").endswith(CLOSED_ISSUE_STATUS_SUFFIX):
        return ReplyBlock.DISPUTE_CLOSED
    return ReplyBlock.CHAT_INACTIVE
