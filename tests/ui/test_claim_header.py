"""An issue's header in words: where this app's decision stands (Allegro's reason when it failed) and the claim's
or discussion's state, never only "closed"."""

from __future__ import annotations

from typing import Any

import pytest

from magazyn_desktop.store.inbox_records import ConversationDetail, ConversationRow, DecisionRow
from magazyn_desktop.ui import i18n
from magazyn_desktop.ui.claim_header import can_decide, decision_text, issue_state_words


def _detail(status: str, *decisions: DecisionRow, sub_kind: str = "CLAIM") -> ConversationDetail:
    row = ConversationRow(id="c1", kind="issue", sub_kind=sub_kind, status=status, can_reply=True, read=True,
                          needs_reply=False, closed=status != "CLAIM_SUBMITTED", last_activity_at=None,
                          interlocutor_login="ewa_w", order_id="o1", subject=None, snippet=None, decision_due_at=None)
    return ConversationDetail(row, (), (), "", decisions=decisions)


def _decision(choice: str, state: str, *, code: str | None = None, message: str | None = None,
              amount: str | None = None) -> DecisionRow:
    return DecisionRow(1, choice, amount, "PLN" if amount else None, state, code, message, None)


@pytest.fixture(autouse=True)
def polish(qapp: Any) -> None:
    assert i18n.install_translator("pl")


def test_a_failed_decision_shows_allegros_reason_and_the_claim_can_be_decided_again() -> None:
    detail = _detail("CLAIM_SUBMITTED", _decision("ACCEPTED_REFUND", "failed", code="REJECTED",
                                                  message="Reklamacja została już rozpatrzona."))
    assert decision_text(detail) == "Decyzja „Uznaję: zwrot pieniędzy”: błąd: Reklamacja została już rozpatrzona."
    assert issue_state_words(detail) == "czeka na decyzję"
    assert can_decide(detail)


def test_an_uncertain_decision_is_being_checked_and_blocks_another() -> None:
    detail = _detail("CLAIM_SUBMITTED", _decision("REJECTED_MINOR_DEFECT", "uncertain", code="TIMEOUT"))
    assert decision_text(detail) == "Decyzja „Odrzucam: wada jest nieistotna”: sprawdzanie, czy dotarła"
    assert issue_state_words(detail) == "decyzja jest wysyłana"
    assert not can_decide(detail)


@pytest.mark.parametrize(("status", "decisions", "words"), [
    ("CLAIM_REJECTED", (_decision("REJECTED_MINOR_DEFECT", "sent"),), "odrzucona – wada nieistotna"),
    ("CLAIM_REJECTED", (_decision("REJECTED_CLAIM_WITHDRAWN_BY_BUYER", "sent"),), "wycofana przez kupującego"),
    ("CLAIM_ACCEPTED", (_decision("ACCEPTED_PARTIAL_REFUND", "sent", amount="25.50"),),
     "uznana – częściowy zwrot 25,50 zł"),
    ("CLAIM_ACCEPTED", (), "uznana"),
])
def test_a_decided_claim_says_how(status: str, decisions: tuple[DecisionRow, ...], words: str) -> None:
    assert issue_state_words(_detail(status, *decisions)) == words
    assert not can_decide(_detail(status, *decisions))


def test_a_closed_discussion_says_so_in_words() -> None:
    assert issue_state_words(_detail("DISPUTE_CLOSED", sub_kind="DISPUTE")) == "dyskusja zamknięta"
    assert not can_decide(_detail("DISPUTE_ONGOING", sub_kind="DISPUTE"))
