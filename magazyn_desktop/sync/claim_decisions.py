"""Sending claim decisions: stored first, never sent twice, paced with the replies by the client's rate limiter.

A decision is checked (domain/claim_decision.py) and committed before any network call. Each send moves its row
queued -> sending -> sent | failed | uncertain, as a reply in the outbox (sync/outbox.py) moves:

- sent: Allegro answered 200;
- failed: Allegro looked at it and said no (a claim decided already, a dispute, a bad amount): kept with Allegro's
  own reason, never sent again;
- queued again: the request never left (no connection, 429 before processing, signed out);
- uncertain: it may have arrived (a timeout or reset after writing, a 5xx, a crash while sending). It is settled by
  re-reading the issue: decided as asked -> sent; still CLAIM_SUBMITTED -> queued again, which is safe because
  Allegro never applied it; decided the other way -> failed (DECIDED_OTHERWISE) with the status found. A re-read
  that fails decides nothing.

Allegro's status says accepted or rejected, not how: a claim accepted on Allegro's site with another remedy than
the one asked for reads as this decision arriving. Nothing the API shows tells the two apart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol

from magazyn_desktop.allegro.errors import (
    AllegroError,
    AuthError,
    NetworkError,
    OutcomeUnknownError,
    ProtocolError,
    RateLimitedError,
    ServerError,
)
from magazyn_desktop.domain.claim_decision import (
    CLAIM_SUBMITTED,
    DecisionChoice,
    DecisionRefused,
    Money,
    Refusal,
    checked_decision,
    decided_status,
    issue_state,
)
from magazyn_desktop.domain.failures import Failure, FailureKind
from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import OutboxState, SubKind
from magazyn_desktop.failures import failure_of
from magazyn_desktop.store.leadership import Fence, LeadershipLost
from magazyn_desktop.store.records import ClaimDecisionItem
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.leading import CurrentFence, LeadCheck, always_leads, round_lead

log = logging.getLogger(__name__)


class DecisionClient(Protocol):
    """The part of AllegroClient that claim decisions use."""

    def change_claim_status(self, issue_id: str, status: DecisionChoice, message: str,
                            partial_refund: Money | None) -> None: ...

    def get_issue(self, issue_id: str) -> ConversationSummary: ...


@dataclass(frozen=True)
class DecisionResult:
    decision_id: int
    issue_id: str
    state: OutboxState
    error_code: str | None = None  # a FailureKind value
    error_message: str | None = None  # Allegro's own userMessage
    found_status: str | None = None  # the claim's status a re-read found


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ClaimDecisions:
    def __init__(self, *, store: Store, client: DecisionClient, account_id: int,
                 wall_clock: Callable[[], datetime] = _utc_now, leads: LeadCheck = always_leads,
                 fence: CurrentFence | None = None) -> None:
        self._store = store
        self._leads = leads  # team mode: only the bench leading the account sends
        self._fence = fence  # team mode: the lease each of the sender's moves proves it still holds
        self._client = client
        self._account_id = account_id
        self._wall_clock = wall_clock
        self._process_lock = threading.Lock()  # one round at a time: rows in `sending` are always ours
        self._recovered = False
        self._recovered_under: Fence | None = None  # as the outbox's: each new lease settles `sending` rows again
        self._round_fence: Fence | None = None  # what each of this round's moves shows; set under the round's lock

    # -- deciding ------------------------------------------------------------------------------------------------

    def decide(self, issue_id: str, choice: DecisionChoice, message: str, *, amount: str | None = None,
               currency: str | None = None) -> int:
        """Check a decision against what the cache knows of the claim and its order, and store it for sending.

        DecisionRefused says why nothing was stored: not a claim, decided already, a decision on its way, a bad
        message or partial refund.
        """
        summary = self._store.conversation_summary(issue_id)
        if summary is None or summary.sub_kind is not SubKind.CLAIM:
            raise DecisionRefused(Refusal.NOT_A_CLAIM)
        if decided_status(summary.status):
            raise DecisionRefused(Refusal.ALREADY_DECIDED, state=issue_state(summary.status))
        order = self._store.load_order(summary.order_id) if summary.order_id else None
        decision = checked_decision(choice, message, amount=amount, currency=currency,
                                    order_total=order.total if order else None,
                                    order_currency=order.currency if order else None)
        decision_id = self._store.add_claim_decision(self._account_id, issue_id, decision)
        log.info("claim decision %d (%s) queued for %s", decision_id, choice.value, issue_id)
        return decision_id

    # -- start-up ------------------------------------------------------------------------------------------------

    def recover_interrupted(self) -> int:
        """Decisions left in `sending` by a crash become uncertain; the next round settles them by re-reading."""
        with self._process_lock:
            return self._recover_locked(self._fence() if self._fence is not None else None)

    def _recover_locked(self, fence: Fence | None) -> int:
        count = self._store.recover_interrupted_claim_decisions(self._account_id, fence=fence)
        self._recovered, self._recovered_under = True, fence
        if count:
            log.warning("%d claim decision(s) were being sent when the program stopped; checking them", count)
        return count

    # -- sending -------------------------------------------------------------------------------------------------

    def process(self, cancelled: Callable[[], bool] = lambda: False) -> list[DecisionResult]:
        """Settle uncertain decisions, then send the queued ones oldest first; returns what happened to each.

        AuthError is raised after the round (the user must sign in again); the decision stays queued. While
        another bench leads the account (team mode) nothing is sent, and a bench whose lease is found lost at one of
        its writes (each checks the round's fence) ends the round there.
        """
        leading, fence = round_lead(self._leads, self._fence)
        if not leading:
            return []
        with self._process_lock:
            results: list[DecisionResult] = []
            try:
                self._round(fence, results, cancelled)
            except LeadershipLost as lost:
                log.warning("this bench no longer leads account %d; it sends no more claim decisions (%s)",
                            self._account_id, lost)
            return results

    def _round(self, fence: Fence | None, results: list[DecisionResult], cancelled: Callable[[], bool]) -> None:
        self._round_fence = fence
        if not self._recovered or fence != self._recovered_under:
            self._recover_locked(fence)
        for item in self._store.uncertain_claim_decisions(self._account_id):
            if cancelled():
                return
            results.append(self._settle(item))
        for item in self._store.due_claim_decisions(self._account_id):
            if cancelled() or not self._leads():  # a bench that lost the lead mid-round sends no more
                break
            result, stop = self._send_one(item)
            if result is not None:
                results.append(result)
            if isinstance(stop, AuthError):
                raise stop
            if stop is not None:
                break

    def _send_one(self, item: ClaimDecisionItem) -> tuple[DecisionResult | None, BaseException | None]:
        """Send one decision; the second value, when set, ends this round (offline, rate limited, signed out)."""
        if not self._store.mark_claim_decision_sending(item.id, self._wall_clock(), fence=self._round_fence):
            return None, None  # settled meanwhile
        decision = item.decision
        try:
            try:
                self._client.change_claim_status(item.issue_id, decision.choice, decision.message,
                                                 decision.partial_refund)
            finally:
                self._note_send()
        except OutcomeUnknownError as exc:
            return self._uncertain(item, exc), None
        except (NetworkError, RateLimitedError, AuthError) as exc:
            # Never reached Allegro, or refused before processing: safe to send later.
            failure = failure_of(exc)
            self._store.mark_claim_decision_queued(item.id, code=failure.kind.value, message=failure.allegro_message,
                                                   fence=self._round_fence)
            log.info("claim decision %d not sent yet (%s); it stays queued", item.id, exc)
            return self._result(item, OutboxState.QUEUED, failure), exc
        except (ServerError, ProtocolError) as exc:
            return self._uncertain(item, exc), None
        except AllegroError as exc:
            failure = failure_of(exc)
            self._store.mark_claim_decision_failed(item.id, code=failure.kind.value, message=failure.allegro_message,
                                                   fence=self._round_fence)
            log.warning("Allegro refused claim decision %d: %s", item.id, exc)
            return self._result(item, OutboxState.FAILED, failure), None
        except Exception as exc:  # a bug after the row was marked: the outcome is unknown, never resend blindly
            log.warning("unexpected failure sending claim decision %d", item.id, exc_info=True)
            return self._uncertain(item, exc), None
        self._store.mark_claim_decision_sent(item.id, fence=self._round_fence)
        log.info("claim decision %d sent", item.id)
        return DecisionResult(item.id, item.issue_id, OutboxState.SENT), None

    def _note_send(self) -> None:
        """When the account last sent, for pacing after a restart (the replies' sends share it)."""
        try:
            self._store.set_sync_schedule(self._account_id, last_send_at=self._wall_clock())
        except Exception:  # pacing across restarts is a nicety; the decision's own state is what matters
            log.warning("could not record the send time", exc_info=True)

    def _uncertain(self, item: ClaimDecisionItem, error: BaseException) -> DecisionResult:
        failure = failure_of(error)
        self._store.mark_claim_decision_uncertain(item.id, code=failure.kind.value, message=failure.allegro_message,
                                                  fence=self._round_fence)
        log.warning("the outcome of claim decision %d is unknown (%s); the claim is read again before any resend",
                    item.id, type(error).__name__)
        return self._result(item, OutboxState.UNCERTAIN, failure)

    # -- settling uncertain sends --------------------------------------------------------------------------------

    def _settle(self, item: ClaimDecisionItem) -> DecisionResult:
        try:
            status = self._client.get_issue(item.issue_id).status
        except Exception as exc:  # without a successful re-read nothing is decided
            log.warning("could not re-read %s to check claim decision %d (%s)", item.issue_id, item.id,
                        type(exc).__name__)
            return self._result(item, OutboxState.UNCERTAIN, failure_of(exc))
        if status == item.decision.choice.issue_status:
            self._store.mark_claim_decision_sent(item.id, found_status=status, fence=self._round_fence)
            log.info("claim decision %d had arrived (%s); marked as sent", item.id, status)
            return DecisionResult(item.id, item.issue_id, OutboxState.SENT, found_status=status)
        if status == CLAIM_SUBMITTED:
            not_delivered = Failure(FailureKind.NOT_DELIVERED)
            self._store.mark_claim_decision_queued(item.id, code=not_delivered.kind.value, fence=self._round_fence)
            log.info("claim decision %d did not arrive; queued again", item.id)
            return self._result(item, OutboxState.QUEUED, not_delivered)
        otherwise = Failure(FailureKind.DECIDED_OTHERWISE)
        self._store.mark_claim_decision_failed(item.id, code=otherwise.kind.value, message=None, found_status=status,
                                               fence=self._round_fence)
        log.warning("claim decision %d: the claim is %s, not as decided here", item.id, status)
        return self._result(item, OutboxState.FAILED, otherwise, found_status=status)

    @staticmethod
    def _result(item: ClaimDecisionItem, state: OutboxState, failure: Failure,
                found_status: str | None = None) -> DecisionResult:
        return DecisionResult(item.id, item.issue_id, state, failure.kind.value, failure.allegro_message,
                              found_status)
