"""The types a message in a post-purchase issue may carry (MessageRequest.type), and where each applies.

A dispute's seller may ask to end the discussion; a claim's seller may say whether the product comes back and how.
Anything else is a plain message: threads take no type at all.
"""

from __future__ import annotations

import enum

from .vocabulary import SubKind


class IssueMessageType(str, enum.Enum):
    REGULAR = "REGULAR"
    END_REQUEST = "END_REQUEST"  # disputes: the seller asks to close the discussion
    RETURN_REQUIRED_SELLER_LABEL = "RETURN_REQUIRED_SELLER_LABEL"  # claims: sent back on the seller's label
    RETURN_REQUIRED_CUSTOM = "RETURN_REQUIRED_CUSTOM"  # claims: sent back as the message says
    RETURN_NOT_REQUIRED = "RETURN_NOT_REQUIRED"  # claims: the buyer keeps the product


_BY_SUB_KIND: dict[str, tuple[IssueMessageType, ...]] = {
    SubKind.DISPUTE.value: (IssueMessageType.REGULAR, IssueMessageType.END_REQUEST),
    SubKind.CLAIM.value: (IssueMessageType.REGULAR, IssueMessageType.RETURN_REQUIRED_SELLER_LABEL,
                          IssueMessageType.RETURN_REQUIRED_CUSTOM, IssueMessageType.RETURN_NOT_REQUIRED),
}


def message_types_for(sub_kind: str | None) -> tuple[IssueMessageType, ...]:
    """The types a reply in a conversation of this sub-kind may carry, REGULAR first."""
    return _BY_SUB_KIND.get(sub_kind or "", (IssueMessageType.REGULAR,))
