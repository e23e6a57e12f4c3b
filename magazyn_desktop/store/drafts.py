"""The drafts table: what the user typed in a conversation's composer and the files attached, kept across restarts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from magazyn_desktop.store.draft_files import DraftFile, files_from_json, files_to_json
from magazyn_desktop.store.models import Draft, utc_now
from magazyn_desktop.store.statements import upsert

_UPSERT_DRAFT = upsert(cast(Table, Draft.__table__), ["conversation_id", "person"],
                       ["text", "attachments_json", "updated_at"])


def save_draft(session: Session, conversation_id: str, text: str, files: Sequence[DraftFile] = (),
               person: str = "") -> None:
    """`person`'s whole draft ("" on a single bench): a blank text without files removes it; files alone keep it."""
    if not text.strip() and not files:
        delete_draft(session, conversation_id, person)
        return
    session.execute(_UPSERT_DRAFT.on(session), {"conversation_id": conversation_id, "person": person, "text": text,
                                    "attachments_json": files_to_json(files), "updated_at": utc_now()})


def delete_draft(session: Session, conversation_id: str, person: str = "") -> None:
    session.execute(delete(Draft).where(Draft.conversation_id == conversation_id, Draft.person == person))


def load_draft(session: Session, conversation_id: str, person: str = "") -> str:
    return session.scalar(select(Draft.text).where(Draft.conversation_id == conversation_id,
                                                   Draft.person == person)) or ""


def load_draft_files(session: Session, conversation_id: str, person: str = "") -> tuple[DraftFile, ...]:
    return files_from_json(session.scalar(select(Draft.attachments_json)
                                          .where(Draft.conversation_id == conversation_id, Draft.person == person)))
