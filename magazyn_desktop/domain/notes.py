"""Internal notes on a conversation: plain text for the team, never sent to Allegro, and what makes one unfit to keep."""

from __future__ import annotations

import enum

# A note is a remark for colleagues, not a document: long pastes belong in a file beside the order.
NOTE_MAX_CHARS = 10_000


class NoteProblem(enum.Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_CONVERSATION = "no_conversation"  # the conversation is no longer in the cache


def note_text(typed: str) -> str:
    """The text a note keeps: as typed (markup included, shown as plain text), without blank edges."""
    return typed.strip()


def note_problem(typed: str) -> NoteProblem | None:
    """Why the typed text cannot be kept as a note, or None when it can."""
    text = note_text(typed)
    if not text:
        return NoteProblem.EMPTY
    if len(text) > NOTE_MAX_CHARS:
        return NoteProblem.TOO_LONG
    return None
