"""Why a conversation takes no reply: a closed thread, a decided issue, an issue whose chat is not active."""

from __future__ import annotations

import pytest

from magazyn_desktop.domain.reply_block import ReplyBlock, reply_block


@pytest.mark.parametrize("kind, status, can_reply, closed, expected", [
    ("thread", "OPEN", True, False, None),
    ("issue", "CLAIM_SUBMITTED", True, False, None),
    ("issue", "CLAIM_ACCEPTED", True, False, None),  # decided, but its chat is still active: replies go
    ("thread", "CLOSED", False, True, ReplyBlock.CLOSED_THREAD),
    ("issue", "CLAIM_ACCEPTED", False, True, ReplyBlock.CLAIM_ACCEPTED),
    ("issue", "CLAIM_REJECTED", False, True, ReplyBlock.CLAIM_REJECTED),
    ("issue", "DISPUTE_CLOSED", True, True, ReplyBlock.DISPUTE_CLOSED),  # closed by its status alone
    ("issue", "DISPUTE_ONGOING", False, True, ReplyBlock.CHAT_INACTIVE),
    ("issue", None, False, True, ReplyBlock.CHAT_INACTIVE),
])
def test_the_reason_a_reply_cannot_be_sent(kind: str, status: str | None, can_reply: bool, closed: bool,
                                           expected: ReplyBlock | None) -> None:
    assert reply_block(kind=kind, status=status, can_reply=can_reply, closed=closed) == expected
