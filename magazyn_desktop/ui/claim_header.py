"""What a post-purchase issue's header says: its state in words (accepted with a refund, rejected, withdrawn, waiting
for a decision; never only "closed"), where this app's own decision stands, and whether one can be made now."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication

from magazyn_desktop.domain.claim_decision import (
    CLAIM_SUBMITTED,
    DecisionChoice,
    Money,
    choice_words,
    describe_issue_state,
    issue_state,
)
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, SubKind
from magazyn_desktop.store.inbox_records import ConversationDetail, DecisionRow
from magazyn_desktop.ui import i18n
from magazyn_desktop.ui.errors import outbox_failure_text
from magazyn_desktop.ui.labels import outbox_state_label

_ON_ITS_WAY = (OutboxState.QUEUED.value, OutboxState.SENDING.value, OutboxState.UNCERTAIN.value)


def _choice(row: DecisionRow) -> DecisionChoice | None:
    try:
        return DecisionChoice(row.choice)
    except ValueError:  # written by a newer version
        return None


def _refund(row: DecisionRow) -> Money | None:
    if row.refund_amount is None or not row.refund_currency:
        return None
    try:
        return Money(Decimal(row.refund_amount), row.refund_currency)
    except InvalidOperation:
        return None


def latest_decision(detail: ConversationDetail) -> DecisionRow | None:
    return detail.decisions[-1] if detail.decisions else None


def issue_state_words(detail: ConversationDetail) -> str | None:
    """The issue's state in words; None for a message thread."""
    row = detail.conversation
    if row.kind != Kind.ISSUE:
        return None
    latest = latest_decision(detail)
    sent = next((d for d in reversed(detail.decisions) if d.state == OutboxState.SENT.value), None)
    # Sent but not read back yet: Allegro's status still says submitted until the next sync.
    pending = latest is not None and (latest.state in _ON_ITS_WAY
                                      or (latest.state == OutboxState.SENT.value and row.status == CLAIM_SUBMITTED))
    view = issue_state(row.status, decided=_choice(sent) if sent else None, refund=_refund(sent) if sent else None,
                       decision_pending=pending)
    return describe_issue_state(view, i18n.current_language())


def can_decide(detail: ConversationDetail | None) -> bool:
    """An open claim with no decision of this app on its way or sent."""
    if detail is None:
        return False
    row = detail.conversation
    if row.sub_kind != SubKind.CLAIM or row.status != CLAIM_SUBMITTED:
        return False
    return all(d.state == OutboxState.FAILED.value for d in detail.decisions)


def decision_text(detail: ConversationDetail) -> str:
    """Where the latest decision made here stands ("Decyzja „Uznaję: zwrot pieniędzy”: wysłano"); "" for none."""
    latest = latest_decision(detail)
    if latest is None:
        return ""
    choice = _choice(latest)
    what = choice_words(choice, i18n.current_language()) if choice is not None else latest.choice
    refund = _refund(latest)
    if refund is not None:
        what = f"{what}: {refund.words(i18n.current_language())}"
    reason = outbox_failure_text(latest.error_code, latest.error_message) \
        if latest.state == OutboxState.FAILED.value else None
    return (QCoreApplication.translate("ClaimHeader", "Decision “%1”: %2")
            .replace("%1", what).replace("%2", outbox_state_label(latest.state, reason)))
