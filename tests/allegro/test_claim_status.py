"""AllegroClient.change_claim_status: the body the contract describes, beta.v1, paced as a send, errors typed."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest
import respx

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.errors import (
    AuthError,
    ForbiddenError,
    NotFoundError,
    OutcomeUnknownError,
    ValidationError,
)
from magazyn_desktop.domain.claim_decision import DecisionChoice, Money

from .conftest import BETA, ISSUE_ID, FakeClock

PATH = f"/sale/issues/{ISSUE_ID}/status"


def test_a_partial_refund_is_posted_in_beta_with_its_price(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.post(PATH).mock(return_value=httpx.Response(200))
    client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwracam część.",
                               Money(Decimal("25.5"), "PLN"))
    request = route.calls.last.request
    assert request.headers["Accept"] == BETA and request.headers["Content-Type"] == BETA
    assert json.loads(request.content) == {"status": "ACCEPTED_PARTIAL_REFUND", "message": "Zwracam część.",
                                           "partialRefund": {"amount": "25.50", "currency": "PLN"}}
    assert client.request_counts() == {"POST /sale/issues/{id}/status": 1}


def test_a_rejection_carries_no_refund(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.post(PATH).mock(return_value=httpx.Response(200, json={}))
    client.change_claim_status(ISSUE_ID, DecisionChoice.REJECTED_OTHER, "Powód w wiadomości.", None)
    assert json.loads(route.calls.last.request.content) == {"status": "REJECTED_OTHER",
                                                            "message": "Powód w wiadomości."}


def test_two_decisions_are_a_send_interval_apart(client: AllegroClient, api: respx.MockRouter,
                                                 clock: FakeClock) -> None:
    api.post(PATH).mock(return_value=httpx.Response(200))
    client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_REPAIR, "a", None)
    client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_REPAIR, "b", None)
    assert sum(clock.sleeps) >= 1.0


@pytest.mark.parametrize("status, error", [(400, ValidationError), (403, ForbiddenError), (404, NotFoundError)])
def test_a_refusal_keeps_allegros_message(client: AllegroClient, api: respx.MockRouter, status: int,
                                          error: type[Exception]) -> None:
    api.post(PATH).mock(return_value=httpx.Response(status, json={"errors": [{
        "code": "ISSUE_STATUS_CHANGE_NOT_ALLOWED", "message": "Claim is already in state CLAIM_ACCEPTED",
        "userMessage": "Reklamacja została już rozpatrzona."}]}))
    with pytest.raises(error) as caught:
        client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_REFUND, "Zwrot.", None)
    assert caught.value.user_message == "Reklamacja została już rozpatrzona."  # type: ignore[attr-defined]
    assert caught.value.status == status  # type: ignore[attr-defined]


def test_an_expired_sign_in_is_an_auth_error(client: AllegroClient, api: respx.MockRouter) -> None:
    api.post(PATH).mock(return_value=httpx.Response(401, json={"error": "invalid_token"}))
    with pytest.raises(AuthError):
        client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_REFUND, "Zwrot.", None)


@pytest.mark.parametrize("answer", [httpx.ReadTimeout("slow"), httpx.Response(503), httpx.Response(500)])
def test_an_answer_that_may_have_been_applied_is_outcome_unknown_and_not_retried(
    client: AllegroClient, api: respx.MockRouter, answer: Exception | httpx.Response
) -> None:
    route = api.post(PATH).mock(side_effect=[answer])
    with pytest.raises(OutcomeUnknownError):
        client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_REFUND, "Zwrot.", None)
    assert route.call_count == 1


@pytest.mark.parametrize("message", ["", "  ", "x" * 20_001])
def test_a_message_allegro_would_refuse_is_refused_before_sending(client: AllegroClient, api: respx.MockRouter,
                                                                  message: str) -> None:
    route = api.post(PATH).mock(return_value=httpx.Response(200))
    with pytest.raises(ValidationError):
        client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_REFUND, message, None)
    assert route.call_count == 0


def test_a_partial_refund_needs_its_amount_and_only_it_takes_one(client: AllegroClient,
                                                                 api: respx.MockRouter) -> None:
    route = api.post(PATH).mock(return_value=httpx.Response(200))
    with pytest.raises(ValidationError):
        client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_PARTIAL_REFUND, "x", None)
    with pytest.raises(ValidationError):
        client.change_claim_status(ISSUE_ID, DecisionChoice.ACCEPTED_REFUND, "x", Money(Decimal("1"), "PLN"))
    assert route.call_count == 0
