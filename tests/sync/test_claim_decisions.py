"""Claim decisions sent exactly once, through the real client against the in-process fake Allegro."""

from __future__ import annotations

from decimal import Decimal

import pytest

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.errors import AuthError
from magazyn_desktop.app.backend import build_backend
from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.app.sync_once import run_sync_once
from magazyn_desktop.domain.claim_decision import DecisionChoice, DecisionRefused, Money, Refusal
from magazyn_desktop.domain.failures import FailureKind
from magazyn_desktop.domain.vocabulary import OutboxState
from magazyn_desktop.fake_allegro import DemoAllegro, DemoData
from magazyn_desktop.fake_allegro.data import Issue
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.claim_decisions import ClaimDecisions
from magazyn_desktop.sync.engine import SyncEngine

from .fakes import FakeTime

pytestmark = pytest.mark.both_engines  # the store under them: SQLite and a team's PostgreSQL

STATUS = "POST /sale/issues/{id}/status"
ISSUE = "GET /sale/issues/{id}"


@pytest.fixture
def demo(fake_time: FakeTime) -> DemoAllegro:
    return DemoAllegro(DemoData.generate(threads=4, post_purchase_threads=0, issues=10), clock=fake_time.clock)


@pytest.fixture
def synced(demo: DemoAllegro, demo_client: AllegroClient, store: Store, account_id: int) -> None:
    """The cache holds the demo's issues and their orders, as after a sync and the order prefetch."""
    report = SyncEngine(client=demo_client, store=store, account_id=account_id).run_once()
    assert report.errors == []
    for issue in demo.data.issues.values():
        store.save_order(account_id, demo_client.get_order(issue.order_id))


@pytest.fixture
def decisions(demo_client: AllegroClient, store: Store, account_id: int, synced: None) -> ClaimDecisions:
    return ClaimDecisions(store=store, client=demo_client, account_id=account_id)


def _issue(demo: DemoAllegro, kind: str, status: str) -> Issue:
    return next(i for i in demo.data.issues.values() if i.type == kind and i.status == status)


def _posts(demo: DemoAllegro) -> int:
    return demo.request_counts().get(STATUS, 0)


def test_an_accepted_partial_refund_goes_round_the_trip(demo: DemoAllegro, decisions: ClaimDecisions,
                                                        store: Store) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    decision_id = decisions.decide(claim.id, DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwracam 20 zł za rysę.",
                                   amount="20,00")
    stored = store.claim_decision(decision_id)
    assert stored is not None and stored.state is OutboxState.QUEUED and _posts(demo) == 0  # stored, not sent
    results = decisions.process()
    assert [(r.decision_id, r.state) for r in results] == [(decision_id, OutboxState.SENT)]
    assert _posts(demo) == 1
    assert claim.status == "CLAIM_ACCEPTED" and claim.decision == "ACCEPTED_PARTIAL_REFUND"
    assert claim.decided_refund == "20.00"
    sent = store.claim_decision(decision_id)
    assert sent is not None and sent.state is OutboxState.SENT and sent.attempts == 1
    assert sent.decision.partial_refund == Money(Decimal("20.00"), "PLN")
    assert decisions.process() == [] and _posts(demo) == 1  # nothing is sent twice


def test_a_lost_answer_is_settled_by_rereading_without_a_second_post(demo: DemoAllegro, decisions: ClaimDecisions,
                                                                     store: Store) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    demo.faults.lose_answers(STATUS)
    decision_id = decisions.decide(claim.id, DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwracam 10 zł.", amount="10")
    assert [r.state for r in decisions.process()] == [OutboxState.UNCERTAIN]
    assert claim.status == "CLAIM_ACCEPTED"  # Allegro applied it; the answer was lost
    reads = demo.request_counts().get(ISSUE, 0)
    results = decisions.process()
    assert [(r.state, r.found_status) for r in results] == [(OutboxState.SENT, "CLAIM_ACCEPTED")]
    assert demo.request_counts()[ISSUE] == reads + 1  # settled by re-reading the issue
    assert demo.request_counts()[STATUS] == 1  # never posted twice
    item = store.claim_decision(decision_id)
    assert item is not None and item.state is OutboxState.SENT and item.found_status == "CLAIM_ACCEPTED"


def test_a_decision_that_never_arrived_is_queued_again_and_sent(demo: DemoAllegro, decisions: ClaimDecisions,
                                                                store: Store) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    demo.faults.drop_after_handling = False
    demo.faults.drop_connections = 1  # the connection drops before the fake applies anything
    decision_id = decisions.decide(claim.id, DecisionChoice.REJECTED_MINOR_DEFECT, "Rysa jest drobna.")
    assert [r.state for r in decisions.process()] == [OutboxState.UNCERTAIN]
    assert claim.status == "CLAIM_SUBMITTED"
    assert [(r.state, r.error_code) for r in decisions.process()] == [
        (OutboxState.QUEUED, FailureKind.NOT_DELIVERED.value), (OutboxState.SENT, None)]
    assert claim.status == "CLAIM_REJECTED" and _posts(demo) == 2
    item = store.claim_decision(decision_id)
    assert item is not None and item.attempts == 2


def test_a_lost_answer_on_a_claim_decided_otherwise_fails_with_the_state_found(
    demo: DemoAllegro, decisions: ClaimDecisions, store: Store
) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    demo.faults.burst_5xx(1)
    decisions.decide(claim.id, DecisionChoice.ACCEPTED_REFUND, "Zwracam pieniądze.")
    assert [r.state for r in decisions.process()] == [OutboxState.UNCERTAIN]
    claim.status = "CLAIM_REJECTED"  # a colleague rejected it on Allegro's site meanwhile
    results = decisions.process()
    assert [(r.state, r.error_code, r.found_status) for r in results] == [
        (OutboxState.FAILED, FailureKind.DECIDED_OTHERWISE.value, "CLAIM_REJECTED")]
    assert _posts(demo) == 1


def test_a_reread_that_fails_leaves_the_decision_uncertain(demo: DemoAllegro, decisions: ClaimDecisions) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    demo.faults.lose_answers(STATUS)
    decisions.decide(claim.id, DecisionChoice.ACCEPTED_REPAIR, "Naprawimy.")
    decisions.process()
    demo.faults.burst_5xx(10)
    assert [r.state for r in decisions.process()] == [OutboxState.UNCERTAIN]
    demo.faults.clear()
    assert [r.state for r in decisions.process()] == [OutboxState.SENT]
    assert _posts(demo) == 1


def test_a_claim_decided_on_allegro_meanwhile_is_refused_with_allegros_message(
    demo: DemoAllegro, decisions: ClaimDecisions, store: Store
) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    decision_id = decisions.decide(claim.id, DecisionChoice.ACCEPTED_REFUND, "Zwracam pieniądze.")
    claim.status = "CLAIM_ACCEPTED"  # decided on Allegro's site after the cache last saw it
    results = decisions.process()
    assert [(r.state, r.error_code) for r in results] == [(OutboxState.FAILED, FailureKind.REJECTED.value)]
    assert results[0].error_message == "Reklamacja została już rozpatrzona. Nie można zmienić jej statusu."
    item = store.claim_decision(decision_id)
    assert item is not None and item.error_message == results[0].error_message
    assert decisions.process() == [] and _posts(demo) == 1  # a refusal is final


def test_a_claim_the_cache_knows_decided_is_refused_before_storing(demo: DemoAllegro, decisions: ClaimDecisions,
                                                                   store: Store) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_ACCEPTED")
    with pytest.raises(DecisionRefused) as caught:
        decisions.decide(claim.id, DecisionChoice.REJECTED_OTHER, "Nie.")
    assert caught.value.refusal is Refusal.ALREADY_DECIDED and "uznana" in caught.value.words("pl")
    assert store.claim_decisions_for_issue(claim.id) == [] and _posts(demo) == 0


@pytest.mark.parametrize("status", ["DISPUTE_ONGOING", "DISPUTE_CLOSED"])
def test_a_dispute_is_refused_before_storing(demo: DemoAllegro, decisions: ClaimDecisions, store: Store,
                                             status: str) -> None:
    dispute = _issue(demo, "DISPUTE", status)
    with pytest.raises(DecisionRefused) as caught:
        decisions.decide(dispute.id, DecisionChoice.ACCEPTED_REFUND, "Zwracam pieniądze.")
    assert caught.value.refusal is Refusal.NOT_A_CLAIM
    assert store.claim_decisions_for_issue(dispute.id) == [] and _posts(demo) == 0


def test_a_dispute_the_cache_took_for_a_claim_is_refused_by_allegro(demo: DemoAllegro, decisions: ClaimDecisions,
                                                                    store: Store) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    decisions.decide(claim.id, DecisionChoice.ACCEPTED_REFUND, "Zwracam pieniądze.")
    claim.type = "DISPUTE"  # Allegro's word is the last one
    results = decisions.process()
    assert [r.state for r in results] == [OutboxState.FAILED]
    assert results[0].error_message == "Status można zmienić tylko w reklamacji. To zgłoszenie jest dyskusją."


@pytest.mark.parametrize("amount, currency, refusal", [
    ("100000", None, Refusal.AMOUNT_OVER_ORDER_TOTAL),
    ("0", None, Refusal.AMOUNT_NOT_POSITIVE),
    ("10", "EUR", Refusal.OTHER_CURRENCY),
    ("1.005", None, Refusal.AMOUNT_TOO_PRECISE),
])
def test_a_bad_partial_refund_is_refused_before_storing(demo: DemoAllegro, decisions: ClaimDecisions, store: Store,
                                                        amount: str, currency: str | None, refusal: Refusal) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    with pytest.raises(DecisionRefused) as caught:
        decisions.decide(claim.id, DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwracam część.", amount=amount,
                         currency=currency)
    assert caught.value.refusal is refusal
    assert store.claim_decisions_for_issue(claim.id) == [] and _posts(demo) == 0


def test_an_amount_over_the_order_is_refused_even_a_grosz_over(demo: DemoAllegro, decisions: ClaimDecisions) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    over = Decimal(demo.data.orders[claim.order_id].total) + Decimal("0.01")
    with pytest.raises(DecisionRefused) as caught:
        decisions.decide(claim.id, DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwrot.", amount=str(over))
    assert caught.value.refusal is Refusal.AMOUNT_OVER_ORDER_TOTAL


def test_a_second_decision_on_a_claim_is_refused(demo: DemoAllegro, decisions: ClaimDecisions) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    decisions.decide(claim.id, DecisionChoice.ACCEPTED_REPAIR, "Naprawimy.")
    with pytest.raises(DecisionRefused) as caught:
        decisions.decide(claim.id, DecisionChoice.ACCEPTED_REFUND, "Jednak zwrot.")
    assert caught.value.refusal is Refusal.DECISION_EXISTS


def test_a_restart_with_a_decision_left_sending_settles_it_by_rereading(
    demo: DemoAllegro, demo_client: AllegroClient, store: Store, account_id: int, synced: None
) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    before = ClaimDecisions(store=store, client=demo_client, account_id=account_id)
    decision_id = before.decide(claim.id, DecisionChoice.ACCEPTED_EXCHANGE, "Wyślemy nowy.")
    # The program stopped right after the POST went out: marked sending, applied by Allegro, never settled.
    assert store.mark_claim_decision_sending(decision_id)
    demo_client.change_claim_status(claim.id, DecisionChoice.ACCEPTED_EXCHANGE, "Wyślemy nowy.", None)
    after = ClaimDecisions(store=store, client=demo_client, account_id=account_id)  # the next start
    assert after.recover_interrupted() == 1
    interrupted = store.claim_decision(decision_id)
    assert interrupted is not None and interrupted.state is OutboxState.UNCERTAIN
    assert [r.state for r in after.process()] == [OutboxState.SENT]
    assert _posts(demo) == 1


def test_a_restart_with_a_decision_that_never_left_sends_it_once(
    demo: DemoAllegro, demo_client: AllegroClient, store: Store, account_id: int, synced: None
) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    decision_id = ClaimDecisions(store=store, client=demo_client, account_id=account_id).decide(
        claim.id, DecisionChoice.REJECTED_PRODUCT_NOT_RETURNED, "Paczka nie wróciła.")
    assert store.mark_claim_decision_sending(decision_id)  # stopped before the POST left
    after = ClaimDecisions(store=store, client=demo_client, account_id=account_id)
    assert [r.state for r in after.process()] == [OutboxState.QUEUED, OutboxState.SENT]
    assert claim.status == "CLAIM_REJECTED" and _posts(demo) == 1


def test_signed_out_the_decision_stays_queued_and_the_round_says_so(demo: DemoAllegro, decisions: ClaimDecisions,
                                                                    store: Store) -> None:
    claim = _issue(demo, "CLAIM", "CLAIM_SUBMITTED")
    decision_id = decisions.decide(claim.id, DecisionChoice.ACCEPTED_REPAIR, "Naprawimy.")
    demo.expire_tokens()
    with pytest.raises(AuthError):
        decisions.process()
    item = store.claim_decision(decision_id)
    assert item is not None and item.state is OutboxState.QUEUED
    assert claim.status == "CLAIM_SUBMITTED"


def test_sync_once_sends_a_queued_decision_after_the_replies(paths: AppPaths) -> None:
    first = run_sync_once(paths, demo=True)  # the conversations and, last, their orders
    assert first["errors"] == [] and first["orders"]["fetched"] > 0
    backend = build_backend(paths, demo=True)
    try:
        assert isinstance(backend, ConnectedBackend) and backend.fake_allegro is not None
        claim = _issue(backend.fake_allegro, "CLAIM", "CLAIM_SUBMITTED")
        decision_id = backend.decisions.decide(claim.id, DecisionChoice.ACCEPTED_REFUND, "Zwracamy pieniądze.")
    finally:
        backend.close()
    report = run_sync_once(paths, demo=True)
    assert report["claim_decisions"] == {"sent": 1}
    store = Store.open(paths.database)
    try:
        item = store.claim_decision(decision_id)
        assert item is not None and item.state is OutboxState.SENT
    finally:
        store.close()
