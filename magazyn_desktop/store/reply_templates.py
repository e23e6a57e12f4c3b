"""The reply templates' table: the list read in its order, saved whole in one transaction, seeded once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from magazyn_desktop.domain.templates import Template
from magazyn_desktop.store.models import ReplyTemplate, StoreMarker
from magazyn_desktop.store.records import DuplicateTemplateName, StoredTemplate, TemplateEdit

DEFAULTS_SEEDED = "default_templates_seeded"


def _record(row: ReplyTemplate) -> StoredTemplate:
    return StoredTemplate(id=row.id, name=row.name, body=row.body, attachment=row.attachment_file,
                          position=row.position, created_at=row.created_at, updated_at=row.updated_at)


def reply_templates(session: Session) -> list[StoredTemplate]:
    rows = session.scalars(select(ReplyTemplate).order_by(ReplyTemplate.position, ReplyTemplate.id))
    return [_record(row) for row in rows]


def save_reply_templates(session: Session, edits: Sequence[TemplateEdit], at: datetime) -> list[StoredTemplate]:
    """The list becomes exactly `edits`, in their order: new ones added, the others changed, those left out deleted.
    Raises DuplicateTemplateName (names compared without the spaces around them) before writing anything."""
    names: set[str] = set()
    for edit in edits:
        name = edit.name.strip()
        if name in names:
            raise DuplicateTemplateName(name)
        names.add(name)
    existing = {row.id: row for row in session.scalars(select(ReplyTemplate))}
    before = {row_id: (row.name, row.body, row.attachment_file, row.position) for row_id, row in existing.items()}
    kept = {edit.id for edit in edits if edit.id is not None}
    session.execute(delete(ReplyTemplate).where(ReplyTemplate.id.not_in(kept)))
    # Names move out of the way first, so two templates may swap theirs without meeting the unique constraint. A
    # stripped name never begins with a space, so the placeholders meet no real one (PostgreSQL's text refuses NUL).
    for row_id in kept & existing.keys():
        existing[row_id].name = f" {row_id}"
    session.flush()
    for position, edit in enumerate(edits):
        row = existing.get(edit.id) if edit.id is not None else None
        values = (edit.name.strip(), edit.body, edit.attachment, position)
        if row is None:
            row = ReplyTemplate(created_at=at, updated_at=at)
            session.add(row)
        elif before[row.id] != values:
            row.updated_at = at
        row.name, row.body, row.attachment_file, row.position = values
    session.flush()
    return reply_templates(session)


def seed_reply_templates(session: Session, templates: Sequence[Template], at: datetime) -> bool:
    """The default set, the first time only and only into an empty list: once done, deleting the defaults does not
    bring them back. True when they were added."""
    if session.get(StoreMarker, DEFAULTS_SEEDED) is not None:
        return False
    session.add(StoreMarker(name=DEFAULTS_SEEDED, set_at=at))
    if session.scalar(select(ReplyTemplate.id).limit(1)) is not None:
        return False
    for position, template in enumerate(templates):
        session.add(ReplyTemplate(name=template.name.strip(), body=template.body, attachment_file=template.attachment,
                                  position=position, created_at=at, updated_at=at))
    return True
