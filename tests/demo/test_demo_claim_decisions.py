"""`POST /sale/issues/{id}/status`: a claim decided in the fake, its refusals, and the lost-answer fault."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.fake_allegro.data import Issue

from .conftest import Validate

STATUS = "POST /sale/issues/{id}/status"


def _issue(demo: DemoAllegro, kind: str, status: str) -> Issue:
    return next(i for i in demo.data.issues.values() if i.type == kind and i.status == status)


def _decide(beta: httpx.Client, validate: Validate, issue_id: str, body: dict[str, Any]) -> httpx.Response:
    validate("ClaimStatusChangeRequest", body)  # what is sent is what the contract describes
    return beta.post(f"/sale/issues/{issue_id}/status", json=body)


def test_an_accepted_partial_refund_decides_the_claim(demo: DemoAllegro, beta: httpx.Client,
                                                      validate: Validate) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    chat_before = len(claim.chat)
    answer = _decide(beta, validate, claim.id, {"status": "ACCEPTED_PARTIAL_REFUND", "message": "Zwracam 10 zł.",
                                                "partialRefund": {"amount": "10.00", "currency": "PLN"}})
    assert answer.status_code == 200
    issue = beta.get(f"/sale/issues/{claim.id}").json()
    validate("PostPurchaseIssue", issue)
    assert issue["currentState"]["status"] == "CLAIM_ACCEPTED" and issue["currentState"]["chatActive"] is False
    chat = beta.get(f"/sale/issues/{claim.id}/chat", params={"limit": 100}).json()["chat"]
    validate("PostPurchaseIssueChatResponse", {"chat": chat})
    assert len(chat) == chat_before + 2
    newest = sorted(chat, key=lambda entry: entry["createdAt"])[-2:]
    assert [entry["author"]["role"] for entry in newest] == ["SELLER", "SYSTEM"]
    assert newest[0]["text"] == "Zwracam 10 zł."
    assert claim.decision == "ACCEPTED_PARTIAL_REFUND" and claim.decided_refund == "10.00"


def test_a_rejection_decides_the_claim(demo: DemoAllegro, beta: httpx.Client, validate: Validate) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    answer = _decide(beta, validate, claim.id, {"status": "REJECTED_MINOR_DEFECT", "message": "Rysa jest drobna."})
    assert answer.status_code == 200
    assert beta.get(f"/sale/issues/{claim.id}").json()["currentState"]["status"] == "CLAIM_REJECTED"


@pytest.mark.parametrize("kind, status, words", [
    ("CLAIM", "CLAIM_ACCEPTED", "już rozpatrzona"),
    ("CLAIM", "CLAIM_REJECTED", "już rozpatrzona"),
    ("DISPUTE", "DISPUTE_ONGOING", "tylko w reklamacji"),
    ("DISPUTE", "DISPUTE_CLOSED", "tylko w reklamacji"),
])
def test_a_decided_claim_or_a_dispute_is_refused_as_allegro_refuses(
    demo: DemoAllegro, beta: httpx.Client, validate: Validate, kind: str, status: str, words: str
) -> None:
    issue = _issue(demo, kind, status)
    answer = _decide(beta, validate, issue.id, {"status": "ACCEPTED_REFUND", "message": "Zwracam pieniądze."})
    assert answer.status_code == 400
    validate("ErrorsHolder", answer.json())
    assert words in answer.json()["errors"][0]["userMessage"]
    assert issue.status == status and issue.decision is None


@pytest.mark.parametrize("body", [
    {"status": "ACCEPTED_PARTIAL_REFUND", "message": "x"},
    {"status": "ACCEPTED_PARTIAL_REFUND", "message": "x", "partialRefund": {"amount": "0.00", "currency": "PLN"}},
    {"status": "ACCEPTED_PARTIAL_REFUND", "message": "x", "partialRefund": {"amount": "1.234", "currency": "PLN"}},
    {"status": "ACCEPTED_PARTIAL_REFUND", "message": "x", "partialRefund": {"amount": "99999.00", "currency": "PLN"}},
    {"status": "ACCEPTED_PARTIAL_REFUND", "message": "x", "partialRefund": {"amount": "1.00", "currency": "EUR"}},
    {"status": "ACCEPTED_REFUND", "message": "x", "partialRefund": {"amount": "1.00", "currency": "PLN"}},
    {"status": "ACCEPTED_REFUND", "message": ""},
    {"status": "ACCEPTED_SOMEHOW", "message": "x"},
    {"message": "x"},
])
def test_a_bad_decision_is_400_and_changes_nothing(demo: DemoAllegro, beta: httpx.Client, validate: Validate,
                                                   body: dict[str, Any]) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    chat_before = len(claim.chat)
    answer = beta.post(f"/sale/issues/{claim.id}/status", json=body)
    assert answer.status_code == 400
    validate("ErrorsHolder", answer.json())
    assert claim.status == "CLAIM_SUBMITTED" and len(claim.chat) == chat_before


def test_the_whole_order_total_is_a_partial_refund_it_accepts(demo: DemoAllegro, beta: httpx.Client) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    total = demo.data.orders[claim.order_id].total
    answer = beta.post(f"/sale/issues/{claim.id}/status", json={
        "status": "ACCEPTED_PARTIAL_REFUND", "message": "x", "partialRefund": {"amount": total, "currency": "PLN"}})
    assert answer.status_code == 200 and Decimal(claim.decided_refund or "0") == Decimal(total)


def test_a_lost_answer_still_decides_the_claim(demo: DemoAllegro, beta: httpx.Client) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    demo.faults.lose_answers(STATUS)
    with pytest.raises(httpx.TransportError):
        beta.post(f"/sale/issues/{claim.id}/status", json={"status": "ACCEPTED_REPAIR", "message": "Naprawimy."})
    assert claim.status == "CLAIM_ACCEPTED"
    assert beta.get(f"/sale/issues/{claim.id}").status_code == 200  # only that answer was lost
    assert demo.request_counts()[STATUS] == 1


def test_a_refused_decision_does_not_use_up_the_lost_answer(demo: DemoAllegro, beta: httpx.Client) -> None:
    decided = _issue(demo, "CLAIM", "CLAIM_ACCEPTED")
    demo.faults.lose_answers(STATUS)
    assert beta.post(f"/sale/issues/{decided.id}/status",
                     json={"status": "ACCEPTED_REPAIR", "message": "x"}).status_code == 400
    assert demo.faults.lost_answers[STATUS] == 1
    demo.faults.clear()
    assert demo.faults.lost_answers == {}
