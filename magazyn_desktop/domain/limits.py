"""Allegro's limits and shapes the app checks before anything is sent (allegro-api-notes.md)."""

from __future__ import annotations

import re

from .vocabulary import Kind

THREAD_TEXT_LIMIT = 2000  # POST /messaging/threads/{id}/messages
ISSUE_TEXT_LIMIT = 20000  # POST /sale/issues/{id}/message


def text_limit(kind: Kind) -> int:
    """The longest reply Allegro takes in a conversation of this kind, in characters."""
    return THREAD_TEXT_LIMIT if kind is Kind.THREAD else ISSUE_TEXT_LIMIT


ATTACHMENT_MAX_BYTES = 5_242_880  # POST /messaging/message-attachments: size at most 5,242,880 (5 MiB)
# Allegro accepts exactly these media types; the extension decides the type (a ";charset" suffix gives 415).
ATTACHMENT_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
}
ATTACHMENT_MEDIA_TYPES = frozenset(ATTACHMENT_TYPES.values())

# Issue ids (and orders, attachments of issues) are UUIDs; thread ids are 43-character base62 strings.
UUID_SHAPE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# Allegro: one message send a second per user. The rate limiter (allegro/ratelimit.py) is the one place that paces
# sends; it keeps them strictly more than this apart, whatever the clocks' rounding.
SEND_INTERVAL_SECONDS = 1.0
