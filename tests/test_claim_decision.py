"""Deciding a claim: exactly the spec's choices, in words; every bad decision refused before it is stored; an
issue's state in words."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from magazyn_desktop.domain.claim_decision import (
    ACCEPTING_CHOICES,
    REJECTING_CHOICES,
    DecisionChoice,
    DecisionRefused,
    IssueState,
    Money,
    Refusal,
    checked_decision,
    choice_words,
    describe_issue_state,
    issue_state,
)
from magazyn_desktop.domain.limits import ISSUE_TEXT_LIMIT

CONTRACT = Path(__file__).parent / "demo" / "allegro-conversations-contract.yaml"


def _spec_statuses() -> list[str]:
    contract = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    return list(contract["components"]["schemas"]["ClaimStatusChangeRequest"]["properties"]["status"]["enum"])


def test_the_choices_are_exactly_the_specs_in_its_order() -> None:
    assert [choice.value for choice in DecisionChoice] == _spec_statuses()
    assert ACCEPTING_CHOICES + REJECTING_CHOICES == tuple(DecisionChoice)
    assert all(choice.accepts for choice in ACCEPTING_CHOICES)
    assert not any(choice.accepts for choice in REJECTING_CHOICES)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_choice_has_its_own_words(language: str) -> None:
    words = [choice_words(choice, language) for choice in DecisionChoice]
    assert all(words) and len(set(words)) == len(words)
    assert not any(choice.value in text for choice, text in zip(DecisionChoice, words))  # words, not codes


def test_the_polish_words_say_what_happens_to_the_product() -> None:
    assert "naprawa" in choice_words(DecisionChoice.ACCEPTED_REPAIR, "pl")
    assert "wymiana" in choice_words(DecisionChoice.ACCEPTED_EXCHANGE, "pl")
    assert "wycofał" in choice_words(DecisionChoice.REJECTED_CLAIM_WITHDRAWN_BY_BUYER, "pl")


def test_a_partial_refund_within_the_order_is_kept_with_the_orders_currency() -> None:
    decision = checked_decision(DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwracam część ceny.", amount="25,50",
                                order_total="129.00", order_currency="PLN")
    assert decision.partial_refund == Money(Decimal("25.50"), "PLN")
    assert decision.partial_refund.amount_text == "25.50"


def test_the_whole_order_amount_may_be_refunded_in_part() -> None:
    decision = checked_decision(DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwrot.", amount="129", currency="pln",
                                order_total="129.00", order_currency="PLN")
    assert decision.partial_refund == Money(Decimal("129.00"), "PLN")


@pytest.mark.parametrize("amount, currency, refusal", [
    ("129.01", None, Refusal.AMOUNT_OVER_ORDER_TOTAL),
    ("1000", None, Refusal.AMOUNT_OVER_ORDER_TOTAL),
    ("0", None, Refusal.AMOUNT_NOT_POSITIVE),
    ("0,00", None, Refusal.AMOUNT_NOT_POSITIVE),
    ("-5", None, Refusal.AMOUNT_NOT_POSITIVE),
    ("12.345", None, Refusal.AMOUNT_TOO_PRECISE),
    ("12,5x", None, Refusal.AMOUNT_NOT_A_NUMBER),
    ("NaN", None, Refusal.AMOUNT_NOT_A_NUMBER),
    ("Infinity", None, Refusal.AMOUNT_NOT_A_NUMBER),
    ("1e2", None, Refusal.AMOUNT_NOT_A_NUMBER),
    ("", None, Refusal.AMOUNT_MISSING),
    (None, None, Refusal.AMOUNT_MISSING),
    ("20", "EUR", Refusal.OTHER_CURRENCY),
])
def test_a_bad_partial_refund_is_refused(amount: str | None, currency: str | None, refusal: Refusal) -> None:
    with pytest.raises(DecisionRefused) as caught:
        checked_decision(DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwracam część.", amount=amount,
                         currency=currency, order_total="129.00", order_currency="PLN")
    assert caught.value.refusal is refusal
    for language in ("pl", "en"):
        assert caught.value.words(language)


def test_an_amount_over_the_order_names_both_amounts() -> None:
    with pytest.raises(DecisionRefused) as caught:
        checked_decision(DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwrot.", amount="150",
                         order_total="129.00", order_currency="PLN")
    assert "150,00 zł" in caught.value.words("pl") and "129,00 zł" in caught.value.words("pl")
    assert "PLN 150.00" in caught.value.words("en")


def test_another_currency_names_the_orders() -> None:
    with pytest.raises(DecisionRefused) as caught:
        checked_decision(DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwrot.", amount="10", currency="EUR",
                         order_total="129.00", order_currency="PLN")
    assert "PLN" in caught.value.words("pl") and "EUR" in caught.value.words("pl")


def test_a_partial_refund_without_the_orders_amount_is_refused() -> None:
    with pytest.raises(DecisionRefused) as caught:
        checked_decision(DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwrot.", amount="10",
                         order_total=None, order_currency=None)
    assert caught.value.refusal is Refusal.ORDER_AMOUNT_UNKNOWN


def test_an_amount_with_another_choice_is_refused() -> None:
    with pytest.raises(DecisionRefused) as caught:
        checked_decision(DecisionChoice.ACCEPTED_REFUND, "Zwrot.", amount="10", order_total="129.00",
                         order_currency="PLN")
    assert caught.value.refusal is Refusal.AMOUNT_NOT_ASKED


@pytest.mark.parametrize("message, refusal", [
    ("", Refusal.MESSAGE_MISSING),
    ("   \n", Refusal.MESSAGE_MISSING),
    ("x" * (ISSUE_TEXT_LIMIT + 1), Refusal.MESSAGE_TOO_LONG),
])
def test_the_message_is_required_and_limited(message: str, refusal: Refusal) -> None:
    with pytest.raises(DecisionRefused) as caught:
        checked_decision(DecisionChoice.REJECTED_MINOR_DEFECT, message, order_total="129.00", order_currency="PLN")
    assert caught.value.refusal is refusal


def test_a_message_at_the_limit_is_taken_and_no_order_is_needed_without_an_amount() -> None:
    decision = checked_decision(DecisionChoice.REJECTED_OTHER, "x" * ISSUE_TEXT_LIMIT, order_total=None,
                                order_currency=None)
    assert decision.partial_refund is None and decision.choice is DecisionChoice.REJECTED_OTHER


@pytest.mark.parametrize("status, decided, pending, state, polish", [
    ("CLAIM_SUBMITTED", None, False, IssueState.WAITING_FOR_DECISION, "czeka na decyzję"),
    ("CLAIM_SUBMITTED", None, True, IssueState.DECISION_BEING_SENT, "decyzja jest wysyłana"),
    ("CLAIM_ACCEPTED", None, False, IssueState.ACCEPTED, "uznana"),
    ("CLAIM_ACCEPTED", DecisionChoice.ACCEPTED_REFUND, False, IssueState.ACCEPTED_REFUND, "uznana – zwrot pieniędzy"),
    ("CLAIM_ACCEPTED", DecisionChoice.ACCEPTED_REPAIR, False, IssueState.ACCEPTED_REPAIR, "uznana – naprawa"),
    ("CLAIM_ACCEPTED", DecisionChoice.REJECTED_OTHER, False, IssueState.ACCEPTED, "uznana"),  # Allegro's word wins
    ("CLAIM_REJECTED", None, False, IssueState.REJECTED, "odrzucona"),
    ("CLAIM_REJECTED", DecisionChoice.REJECTED_MINOR_DEFECT, False, IssueState.REJECTED,
     "odrzucona – wada nieistotna"),
    ("CLAIM_REJECTED", DecisionChoice.REJECTED_CLAIM_WITHDRAWN_BY_BUYER, False, IssueState.WITHDRAWN,
     "wycofana przez kupującego"),
    ("DISPUTE_ONGOING", None, False, IssueState.DISPUTE_ONGOING, "dyskusja trwa"),
    ("DISPUTE_UNRESOLVED", None, False, IssueState.DISPUTE_UNRESOLVED, "dyskusja nierozstrzygnięta"),
    ("DISPUTE_CLOSED", None, False, IssueState.DISPUTE_CLOSED, "dyskusja zamknięta"),
])
def test_the_issue_state_in_words(status: str, decided: DecisionChoice | None, pending: bool, state: IssueState,
                                  polish: str) -> None:
    view = issue_state(status, decided=decided, decision_pending=pending)
    assert view.state is state
    assert describe_issue_state(view, "pl") == polish
    english = describe_issue_state(view, "en")
    assert english and "closed" != english


def test_an_accepted_partial_refund_names_its_amount() -> None:
    view = issue_state("CLAIM_ACCEPTED", decided=DecisionChoice.ACCEPTED_PARTIAL_REFUND,
                       refund=Money(Decimal("25.50"), "PLN"))
    assert view.state is IssueState.ACCEPTED_PARTIAL_REFUND
    assert describe_issue_state(view, "pl") == "uznana – częściowy zwrot 25,50 zł"
    assert describe_issue_state(view, "en") == "accepted with a partial refund of PLN 25.50"


def test_an_unknown_status_is_named_as_allegro_sent_it() -> None:
    view = issue_state("CLAIM_SOMETHING_NEW")
    assert view.state is IssueState.UNKNOWN and "CLAIM_SOMETHING_NEW" in describe_issue_state(view, "pl")
