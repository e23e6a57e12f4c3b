"""The claim_decisions table: decisions stored before any request, and the states they move through.

The same discipline as the reply outbox (store/outbox.py): TRANSITIONS is the whole state machine, and every move
is an UPDATE that matches only rows in a state allowed to move to the new one. One difference: an uncertain
decision may fail, when re-reading the claim found it decided otherwise than asked. A claim holds at most one
decision that is queued, being sent, uncertain or sent; the check and the insert are one transaction under the
store's writer lock. sync/claim_decisions.py decides when each move happens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, select, update
from sqlalchemy.orm import Session

from magazyn_desktop.domain.claim_decision import ClaimDecision, DecisionChoice, DecisionRefused, Money, Refusal
from magazyn_desktop.domain.failures import FailureKind
from magazyn_desktop.domain.vocabulary import OutboxState
from magazyn_desktop.store.models import ClaimDecisionEntry, assume_utc, utc_now
from magazyn_desktop.store.records import ClaimDecisionItem

TRANSITIONS: Mapping[OutboxState, frozenset[OutboxState]] = MappingProxyType({
    OutboxState.QUEUED: frozenset({OutboxState.SENDING}),
    OutboxState.SENDING: frozenset({OutboxState.SENT, OutboxState.FAILED, OutboxState.QUEUED, OutboxState.UNCERTAIN}),
    OutboxState.UNCERTAIN: frozenset({OutboxState.SENT, OutboxState.QUEUED, OutboxState.FAILED}),
    OutboxState.SENT: frozenset(),
    OutboxState.FAILED: frozenset(),
})
# A claim with a decision in one of these takes no other: it is on its way, or Allegro has it.
LIVE_STATES: tuple[OutboxState, ...] = (OutboxState.QUEUED, OutboxState.SENDING, OutboxState.UNCERTAIN,
                                        OutboxState.SENT)


def _move(session: Session, target: OutboxState, which: ColumnElement[bool], **values: Any) -> int:
    sources = [state.value for state, targets in TRANSITIONS.items() if target in targets]
    result = cast(CursorResult[Any], session.execute(
        update(ClaimDecisionEntry)
        .where(which, ClaimDecisionEntry.state.in_(sources))
        .values(state=target.value, updated_at=utc_now(), **values)
    ))
    return int(result.rowcount or 0)


def add_decision(session: Session, account_id: int, issue_id: str, decision: ClaimDecision) -> int:
    """Store a checked decision, queued; DecisionRefused (DECISION_EXISTS) when the claim has a live one."""
    live = session.scalar(
        select(ClaimDecisionEntry.id)
        .where(ClaimDecisionEntry.issue_id == issue_id,
               ClaimDecisionEntry.state.in_([s.value for s in LIVE_STATES]))
        .limit(1)
    )
    if live is not None:
        raise DecisionRefused(Refusal.DECISION_EXISTS)
    now = utc_now()
    refund = decision.partial_refund
    row = ClaimDecisionEntry(
        account_id=account_id,
        issue_id=issue_id,
        choice=decision.choice.value,
        message=decision.message,
        refund_amount=refund.amount_text if refund else None,
        refund_currency=refund.currency if refund else None,
        state=OutboxState.QUEUED.value,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def mark_sending(session: Session, decision_id: int, started_at: datetime | None) -> bool:
    return bool(_move(
        session, OutboxState.SENDING, ClaimDecisionEntry.id == decision_id,
        attempts=ClaimDecisionEntry.attempts + 1,
        sending_started_at=assume_utc(started_at) or utc_now(),
        error_code=None,
        error_message=None,
    ))


def mark_sent(session: Session, decision_id: int, found_status: str | None) -> bool:
    return bool(_move(
        session, OutboxState.SENT, ClaimDecisionEntry.id == decision_id,
        sent_at=utc_now(), error_code=None, error_message=None, found_status=found_status,
    ))


def mark_with_reason(session: Session, decision_id: int, target: OutboxState, code: str | None,
                     message: str | None, found_status: str | None = None) -> bool:
    """Failed, queued again or uncertain, with the reason (and the claim's status a re-read found, if any)."""
    return bool(_move(session, target, ClaimDecisionEntry.id == decision_id, error_code=code,
                      error_message=message, found_status=found_status))


def recover_interrupted(session: Session, account_id: int | None) -> int:
    which = ClaimDecisionEntry.state == OutboxState.SENDING.value
    if account_id is not None:
        which = which & (ClaimDecisionEntry.account_id == account_id)
    return _move(session, OutboxState.UNCERTAIN, which, error_code=FailureKind.INTERRUPTED.value, error_message=None)


def decision(session: Session, decision_id: int) -> ClaimDecisionItem | None:
    row = session.get(ClaimDecisionEntry, decision_id)
    return _item(row) if row is not None else None


def in_states(session: Session, account_id: int, states: Sequence[OutboxState]) -> list[ClaimDecisionItem]:
    """The account's decisions in these states, oldest first."""
    rows = session.scalars(
        select(ClaimDecisionEntry)
        .where(ClaimDecisionEntry.account_id == account_id,
               ClaimDecisionEntry.state.in_([s.value for s in states]))
        .order_by(ClaimDecisionEntry.created_at, ClaimDecisionEntry.id)
    ).all()
    return [_item(row) for row in rows]


def for_issue(session: Session, issue_id: str) -> list[ClaimDecisionItem]:
    rows = session.scalars(
        select(ClaimDecisionEntry)
        .where(ClaimDecisionEntry.issue_id == issue_id)
        .order_by(ClaimDecisionEntry.created_at, ClaimDecisionEntry.id)
    ).all()
    return [_item(row) for row in rows]


def _item(row: ClaimDecisionEntry) -> ClaimDecisionItem:
    refund = (Money(Decimal(row.refund_amount), row.refund_currency)
              if row.refund_amount is not None and row.refund_currency else None)
    return ClaimDecisionItem(
        id=row.id,
        account_id=row.account_id,
        issue_id=row.issue_id,
        decision=ClaimDecision(DecisionChoice(row.choice), row.message, refund),
        state=OutboxState(row.state),
        attempts=row.attempts or 0,
        created_at=row.created_at,
        sending_started_at=row.sending_started_at,
        sent_at=row.sent_at,
        error_code=row.error_code,
        error_message=row.error_message,
        found_status=row.found_status,
    )
