"""Who has a conversation in a team: taken ("assigned to me"), handed to someone, released; and the account's rule
that a conversation someone took is answered by that person only.

Each change is one conditional UPDATE, so two benches taking the same conversation at once cannot both win: the
second finds it held and is told by whom. Every function takes the session of the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, or_, select, union, update
from sqlalchemy.orm import Session

from magazyn_desktop.store.models import Account, Conversation, Presence
from magazyn_desktop.store.records import PERSON_LENGTH, AssigneeOnly, Assignment


def _person(name: str) -> str:
    person = name.strip()[:PERSON_LENGTH]
    if not person:
        raise ValueError("an assignment needs a person's name")
    return person


def _set(session: Session, conversation_id: str, assignee: str | None, at: datetime | None,
         only_if: ColumnElement[bool] | None = None) -> Assignment:
    which = Conversation.id == conversation_id
    result = cast(CursorResult[Any], session.execute(
        update(Conversation).where(which if only_if is None else and_(which, only_if))
        .values(assignee=assignee, assigned_at=at)))
    holder = session.execute(select(Conversation.assignee).where(which)).first()
    if holder is None:
        return Assignment(False, None, exists=False)
    return Assignment(bool(result.rowcount), holder[0])


def take(session: Session, conversation_id: str, person: str, at: datetime, *, take_over: bool = False) -> Assignment:
    """Assigns the conversation to `person`, unless another person has it and `take_over` is False (then
    nothing changes and the result names the holder)."""
    me = _person(person)
    free = None if take_over else or_(Conversation.assignee.is_(None), Conversation.assignee == me)
    return _set(session, conversation_id, me, at, free)


def hand_to(session: Session, conversation_id: str, person: str, at: datetime) -> Assignment:
    """Gives the conversation to `person`, whoever had it: a hand-over is explicit."""
    return _set(session, conversation_id, _person(person), at)


def release(session: Session, conversation_id: str, holder: str) -> Assignment:
    """Nobody has it any more, if `holder` had it; someone who took it meanwhile keeps it."""
    return _set(session, conversation_id, None, None, Conversation.assignee == _person(holder))


def people(session: Session, account_id: int) -> list[str]:
    """The people the team has seen on the account: those who have a conversation and those at a bench (presence,
    stale rows too: someone away for lunch may still be handed a conversation), sorted."""
    named = union(
        select(Conversation.assignee.label("person"))
        .where(Conversation.account_id == account_id, Conversation.assignee.is_not(None)),
        select(Presence.person.label("person")).where(Presence.account_id == account_id),
    ).subquery()
    return sorted({str(name) for name in session.scalars(select(named.c.person)) if name and str(name).strip()},
                  key=str.casefold)


def check_may_send(session: Session, account_id: int, conversation_id: str, person: str | None) -> None:
    """Raises AssigneeOnly when the account lets only the assignee answer and someone other than `person` took
    the conversation. On PostgreSQL the conversation's row stays locked until the caller's transaction ends, so a
    take or hand-over committed meanwhile on another bench is either seen here or waits for this reply."""
    rule = session.scalar(select(Account.only_assignee_sends).where(Account.id == account_id))
    if not rule:
        return
    assignee = session.scalar(select(Conversation.assignee).where(Conversation.id == conversation_id)
                              .with_for_update())
    if assignee is not None and assignee != (person or "").strip()[:PERSON_LENGTH]:
        raise AssigneeOnly(conversation_id, assignee)


def only_assignee_sends(session: Session, account_id: int) -> bool:
    return bool(session.scalar(select(Account.only_assignee_sends).where(Account.id == account_id)))


def set_only_assignee_sends(session: Session, account_id: int, on: bool) -> bool:
    """Turns the rule on or off; False when the account is not stored."""
    result = cast(CursorResult[Any], session.execute(
        update(Account).where(Account.id == account_id).values(only_assignee_sends=on)))
    return bool(result.rowcount)
