"""After a sync: bring into the cache the order (with its shipments) of every conversation that names one.

Runs after the sync run, one order at a time, through the client and so through its shared rate limiter; whoever
starts it stops it (`cancelled`) when a sync begins, so order requests never delay conversation fetches, and the
next run goes on with what is still missing. Each missing order is asked for once per run. An order that answers 404
or 403 (deleted, another seller's) is recorded as unavailable and never asked again; an answer that says Allegro is
out of reach, asks for a pause or wants a new sign-in ends the run, and the order is asked again next time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Protocol

from magazyn_desktop.allegro.errors import AllegroError, ProtocolError, refusal_status
from magazyn_desktop.domain.records import Order
from magazyn_desktop.store.leadership import Fence, LeadershipLost
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.leading import CurrentFence, LeadCheck, always_leads, round_lead

log = logging.getLogger(__name__)

ORDERS_PER_RUN = 200  # a bound for one run (two requests each); the next run fetches the rest
# Up to this many changed conversations are looked at by key; more, and every conversation is looked at.
CHANGED_BY_KEY = 500


class OrderSource(Protocol):
    def get_order(self, order_id: str) -> Order: ...


@dataclass
class PrefetchReport:
    fetched: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)  # answered 404 or 403 this run
    failed: list[str] = field(default_factory=list)  # an unreadable answer: asked again by the next run
    stopped_by: str | None = None  # why the run ended before the list did (cancelled, or Allegro's error)
    remaining: int = 0  # orders still missing when the run ended


class OrderPrefetch:
    def __init__(self, *, client: OrderSource, store: Store, account_id: int,
                 orders_per_run: int = ORDERS_PER_RUN, leads: LeadCheck = always_leads,
                 fence: CurrentFence | None = None) -> None:
        self._client = client
        self._leads = leads  # team mode: only the bench leading the account looks orders up
        self._fence = fence  # team mode: the lease each stored order proves the bench still holds
        self._store = store
        self._account_id = account_id
        self._orders_per_run = orders_per_run
        self._nothing_missing = False  # set by a run that left no order missing

    def run(self, cancelled: Callable[[], bool] = lambda: False,
            changed: Collection[str] | None = None) -> PrefetchReport:
        """`changed`: the conversations the sync changed. Once a run has left nothing missing, the next ones look
        at those alone (a sync that changed nothing reads nothing); until then, and when not given, at all."""
        report = PrefetchReport()
        leading, fence = round_lead(self._leads, self._fence)
        if not leading:
            return report
        try:
            self._run(report, fence, cancelled, changed)
        except LeadershipLost as lost:
            log.warning("fetching orders stopped: this bench no longer leads the account (%s)", lost)
            report.stopped_by = type(lost).__name__
        return report

    def _run(self, report: PrefetchReport, fence: Fence | None, cancelled: Callable[[], bool],
             changed: Collection[str] | None) -> None:
        by_key = changed is not None and self._nothing_missing and len(changed) <= CHANGED_BY_KEY
        missing = self._store.orders_to_fetch(self._account_id, limit=self._orders_per_run,
                                              conversation_ids=changed if by_key else None)
        for position, order_id in enumerate(missing):
            if cancelled():
                report.stopped_by = "cancelled"
                report.remaining = len(missing) - position
                break
            try:
                order = self._client.get_order(order_id)
            except ProtocolError as exc:  # this answer was unreadable; the others may well be fine
                log.warning("order %s could not be read (%s); it is asked for again later", order_id, exc)
                report.failed.append(order_id)
                continue
            except AllegroError as exc:
                status = refusal_status(exc)
                if status is None:
                    log.info("fetching orders stopped: %s", exc)
                    report.stopped_by = type(exc).__name__
                    report.remaining = len(missing) - position
                    break
                self._store.mark_order_unavailable(self._account_id, order_id, status, fence=fence)
                report.unavailable.append(order_id)
                continue
            self._store.save_order(self._account_id, order, fence=fence)
            report.fetched.append(order_id)
        # What a run leaves missing (stopped, unreadable, beyond its bound) is found again by looking at all.
        self._nothing_missing = (report.stopped_by is None and not report.failed
                                 and len(missing) < self._orders_per_run)
        if report.fetched or report.unavailable or report.stopped_by:
            log.info("orders fetched: %d, unavailable: %d, unreadable: %d%s", len(report.fetched),
                     len(report.unavailable), len(report.failed),
                     f"; stopped ({report.stopped_by}), {report.remaining} left" if report.stopped_by else "")
