"""The team's internal notes on a conversation: kept here only, never sent to Allegro."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from magazyn_desktop.domain.notes import NoteProblem, note_problem, note_text
from magazyn_desktop.domain.search_text import indexed_text
from magazyn_desktop.store.models import Conversation, ConversationNote


def add_note(session: Session, conversation_id: str, typed: str, author: str, at: datetime) -> NoteProblem | None:
    """Keep a note as typed; the reason it was refused otherwise (nothing is stored then)."""
    problem = note_problem(typed)
    if problem is not None:
        return problem
    if session.scalar(select(Conversation.id).where(Conversation.id == conversation_id)) is None:
        return NoteProblem.NO_CONVERSATION
    text = note_text(typed)
    session.add(ConversationNote(conversation_id=conversation_id, author=author, text=text,
                                 folded_text=indexed_text(text), created_at=at))
    return None
