"""The sync_schedule table: what the sync's timing must remember across restarts, one row per account.

A restart must not start with a full listing of every issue, a deep pass that ran minutes ago, a send within a
second of the previous one (Allegro answers 429), or a run against a source that was left alone for answering 5xx.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from magazyn_desktop.domain.vocabulary import Kind
from magazyn_desktop.store.models import Conversation, SyncSchedule, assume_utc
from magazyn_desktop.store.records import ScheduleState

# Passed for a time that is to be cleared (None means "leave as stored").
CLEARED: Final = "cleared"

_COLUMNS = ("last_full_issue_listing_at", "last_deep_pass_at", "last_send_at", "backoff_until")


def read_schedule(session: Session, account_id: int) -> ScheduleState:
    row = session.get(SyncSchedule, account_id)
    if row is None:
        return ScheduleState()
    return ScheduleState(*(assume_utc(getattr(row, name)) for name in _COLUMNS))


def update_schedule(session: Session, account_id: int, changes: dict[str, datetime | str | None]) -> None:
    """Write the given times; a value of None is skipped, CLEARED empties the column."""
    unknown = set(changes) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"not a schedule time: {', '.join(sorted(unknown))}")
    wanted = {name: value for name, value in changes.items() if value is not None}
    if not wanted:
        return
    row = session.get(SyncSchedule, account_id)
    if row is None:
        row = SyncSchedule(account_id=account_id)
        session.add(row)
    for name, value in wanted.items():
        setattr(row, name, None if value == CLEARED else assume_utc(value))  # type: ignore[arg-type]


def issue_states(session: Session, account_id: int) -> dict[str, tuple[str | None, bool]]:
    """Issue id -> (status, chat active) as last stored: what a restarted sync knows of each issue's state."""
    rows = session.connection().execute(
        select(Conversation.id, Conversation.status, Conversation.can_reply)
        .where(Conversation.account_id == account_id, Conversation.kind == Kind.ISSUE.value))
    return {conversation_id: (status, bool(can_reply)) for conversation_id, status, can_reply in rows}
