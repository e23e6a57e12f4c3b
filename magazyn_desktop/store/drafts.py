"""The drafts table: what the user typed in a conversation's composer, kept across restarts."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from magazyn_desktop.store.models import Draft, utc_now
from magazyn_desktop.store.sqlite_statements import upsert

_UPSERT_DRAFT = upsert(cast(Table, Draft.__table__), ["conversation_id"], ["text", "updated_at"])


def save_draft(session: Session, conversation_id: str, text: str) -> None:
    if not text.strip():
        session.execute(delete(Draft).where(Draft.conversation_id == conversation_id))
        return
    session.execute(_UPSERT_DRAFT, {"conversation_id": conversation_id, "text": text, "updated_at": utc_now()})


def load_draft(session: Session, conversation_id: str) -> str:
    return session.scalar(select(Draft.text).where(Draft.conversation_id == conversation_id)) or ""
