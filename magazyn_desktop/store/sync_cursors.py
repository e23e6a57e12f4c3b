"""The sync_cursors table: where the last sync of each source (threads, issues) of an account stopped, and how."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from magazyn_desktop.redaction import redact
from magazyn_desktop.store.models import SyncCursor, assume_utc, utc_now
from magazyn_desktop.store.records import CursorState


def get_cursor(session: Session, account_id: int, source: str) -> CursorState:
    row = session.get(SyncCursor, (account_id, source))
    if row is None:
        return CursorState(source, None, None, None)
    return CursorState(source, row.newest_seen_at, row.last_success_at, row.last_error)


def cursors(session: Session, account_id: int) -> dict[str, CursorState]:
    rows = session.connection().execute(select(SyncCursor.source, SyncCursor.newest_seen_at, SyncCursor.last_success_at,
                                  SyncCursor.last_error).where(SyncCursor.account_id == account_id))
    return {source: CursorState(source, newest, success, error) for source, newest, success, error in rows}


def set_cursor(session: Session, account_id: int, source: str, *, newest_seen_at: datetime | None,
               succeeded: bool, error: str | None) -> None:
    row = session.get(SyncCursor, (account_id, source))
    if row is None:
        row = SyncCursor(account_id=account_id, source=source)
        session.add(row)
    if newest_seen_at is not None:
        row.newest_seen_at = assume_utc(newest_seen_at)
    if succeeded:
        row.last_success_at = utc_now()
        row.last_error = None
    else:
        # The error may quote Allegro's answer, which has echoed the access token.
        row.last_error = redact(error) if error is not None else None


def last_sync_at(session: Session, account_id: int) -> datetime | None:
    return session.scalar(select(func.max(SyncCursor.last_success_at)).where(SyncCursor.account_id == account_id))
