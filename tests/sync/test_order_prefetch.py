"""The orders of linked conversations fetched after a sync, through the real client against the in-process demo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from magazyn_desktop.allegro.auth import StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.environments import Environment
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.app.sync_once import run_sync_once
from magazyn_desktop.domain.records import Order, Shipment
from magazyn_desktop.fake_allegro import DemoAllegro, DemoData
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import SyncEngine
from magazyn_desktop.sync.order_prefetch import OrderPrefetch

from .fakes import FakeTime

ORDER = "GET /order/checkout-forms/{id}"
SHIPMENTS = "GET /order/checkout-forms/{id}/shipments"


@pytest.fixture
def demo(fake_time: FakeTime) -> DemoAllegro:
    return DemoAllegro(DemoData.generate(threads=30, post_purchase_threads=3, issues=5), clock=fake_time.clock)


@pytest.fixture
def demo_client(demo: DemoAllegro, fake_time: FakeTime) -> Iterator[AllegroClient]:
    client = AllegroClient(environment=Environment("demo", demo.API_URL, demo.AUTH_URL, None),
                           tokens=StaticToken(demo.DEMO_TOKEN), transport=demo.transport(), clock=fake_time.clock,
                           sleeper=fake_time.sleep, limiter=RateLimiter(clock=fake_time.clock, sleeper=fake_time.sleep),
                           max_retries=1)
    yield client
    client.close()


@pytest.fixture
def synced(demo_client: AllegroClient, store: Store, account_id: int, fake_time: FakeTime) -> Store:
    SyncEngine(client=demo_client, store=store, account_id=account_id, clock=fake_time.clock).run_once()
    return store


@pytest.fixture
def prefetch(demo_client: AllegroClient, synced: Store, account_id: int) -> OrderPrefetch:
    return OrderPrefetch(client=demo_client, store=synced, account_id=account_id)


def linked_orders(demo: DemoAllegro) -> set[str]:
    """Every order a conversation names: issues' checkoutForm, threads' orders[] and their messages' relatesTo."""
    named = {issue.order_id for issue in demo.data.issues.values()}
    for thread in demo.data.threads.values():
        named.update(thread.order_ids)
        named.update(m.order_id for m in thread.messages if m.order_id)
    return named


def order_requests(demo: DemoAllegro) -> tuple[int, int]:
    counts = demo.request_counts()
    return counts.get(ORDER, 0), counts.get(SHIPMENTS, 0)


def test_the_sync_stores_the_order_a_threads_message_names(demo: DemoAllegro, synced: Store) -> None:
    named_in_messages = {t.id: next(m.order_id for m in t.messages if m.order_id)
                         for t in demo.data.threads.values() if not t.order_ids and any(m.order_id for m in t.messages)}
    assert named_in_messages, "the demo data names orders in messages"
    for thread_id, order_id in named_in_messages.items():
        summary = synced.conversation_summary(thread_id)
        assert summary is not None and summary.order_id == order_id, thread_id


def test_each_linked_order_is_fetched_once_with_its_shipments(demo: DemoAllegro, prefetch: OrderPrefetch,
                                                              synced: Store) -> None:
    wanted = linked_orders(demo)
    assert len(wanted) >= 8
    assert order_requests(demo) == (0, 0)  # the sync itself asks for no order
    report = prefetch.run()
    assert sorted(report.fetched) == sorted(wanted)
    assert order_requests(demo) == (len(wanted), len(wanted))
    for order_id in wanted:
        order = synced.load_order(order_id)
        assert order is not None
        assert [s.waybill for s in order.shipments] == [p.waybill for p in demo.data.orders[order_id].shipments]
    again = prefetch.run()  # everything is cached now: nothing is asked
    assert again.fetched == [] and order_requests(demo) == (len(wanted), len(wanted))


def test_an_order_named_by_two_conversations_is_asked_for_once(demo: DemoAllegro, demo_client: AllegroClient,
                                                               store: Store, account_id: int,
                                                               fake_time: FakeTime) -> None:
    first, second = sorted(demo.data.issues.values(), key=lambda issue: issue.id)[:2]
    second.order_id = first.order_id
    SyncEngine(client=demo_client, store=store, account_id=account_id, clock=fake_time.clock).run_once()
    report = OrderPrefetch(client=demo_client, store=store, account_id=account_id).run()
    assert report.fetched.count(first.order_id) == 1
    assert order_requests(demo) == (len(linked_orders(demo)), len(linked_orders(demo)))


def test_cached_orders_are_skipped(demo: DemoAllegro, demo_client: AllegroClient, prefetch: OrderPrefetch,
                                   synced: Store, account_id: int) -> None:
    wanted = sorted(linked_orders(demo))
    cached = wanted[:3]
    for order_id in cached:
        synced.save_order(account_id, demo_client.get_order(order_id))
    demo.reset_counts()
    report = prefetch.run()
    assert sorted(report.fetched) == wanted[3:]
    assert order_requests(demo) == (len(wanted) - 3, len(wanted) - 3)


@pytest.mark.parametrize("status", [404, 403])
def test_a_refused_order_is_recorded_and_never_asked_again(demo: DemoAllegro, prefetch: OrderPrefetch,
                                                           synced: Store, status: int) -> None:
    wanted = sorted(linked_orders(demo))
    refused = wanted[1]
    demo.faults.unavailable_orders[refused] = status
    report = prefetch.run()
    assert report.unavailable == [refused]
    assert sorted(report.fetched) == [o for o in wanted if o != refused]
    assert synced.order_unavailable_status(refused) == status
    assert synced.load_order(refused) is None
    assert order_requests(demo) == (len(wanted), len(wanted) - 1)  # its checkout form answered, no shipments asked
    for _ in range(2):
        assert prefetch.run().unavailable == []
    assert order_requests(demo) == (len(wanted), len(wanted) - 1)


def test_a_run_that_loses_the_connection_stops_and_the_next_one_goes_on(demo: DemoAllegro, prefetch: OrderPrefetch,
                                                                        synced: Store) -> None:
    wanted = linked_orders(demo)
    demo.faults.burst_5xx(50)  # more than the retries: every request fails for a while
    report = prefetch.run()
    assert report.stopped_by == "ServerError" and report.fetched == [] and report.unavailable == []
    assert report.remaining == len(wanted)
    ordered, _ = order_requests(demo)
    assert ordered <= 2  # the first order's request and its one retry, then the run stopped
    demo.faults.clear()
    assert sorted(prefetch.run().fetched) == sorted(wanted)


def test_a_cancelled_run_stops_before_the_next_order(demo: DemoAllegro, prefetch: OrderPrefetch) -> None:
    asked: list[int] = []

    def cancel_after_two() -> bool:
        asked.append(1)
        return len(asked) > 2

    report = prefetch.run(cancel_after_two)
    assert len(report.fetched) == 2 and report.stopped_by == "cancelled"
    assert order_requests(demo) == (2, 2)
    assert len(prefetch.run().fetched) == len(linked_orders(demo)) - 2


def test_a_run_takes_a_bounded_number_and_the_most_recent_conversations_first(
        demo: DemoAllegro, demo_client: AllegroClient, synced: Store, account_id: int) -> None:
    report = OrderPrefetch(client=demo_client, store=synced, account_id=account_id, orders_per_run=2).run()
    assert len(report.fetched) == 2 and order_requests(demo) == (2, 2)
    newest_first = synced.orders_to_fetch(account_id)
    assert len(newest_first) == len(linked_orders(demo)) - 2


def test_sync_once_fetches_the_orders_after_the_sync_and_counts_their_requests(paths: AppPaths) -> None:
    first = run_sync_once(paths, demo=True)
    assert first["errors"] == [] and first["orders"]["fetched"] > 0
    assert first["orders"]["unavailable"] == first["orders"]["left"] == 0
    fetched = first["orders"]["fetched"]
    assert first["requests"][ORDER] == first["requests"][SHIPMENTS] == fetched
    second = run_sync_once(paths, demo=True)
    assert second["orders"]["fetched"] == 0
    assert ORDER not in second["requests"] and SHIPMENTS not in second["requests"]


def test_sync_once_leaves_the_orders_to_a_window_that_asks_for_the_folder(paths: AppPaths) -> None:
    report = run_sync_once(paths, demo=True, cancelled=lambda: False, window_waiting=lambda: True)
    assert report["handed_over"] is True and report["orders"] == {}
    assert ORDER not in report["requests"]


@pytest.mark.parametrize(("status", "fulfilment", "waybills", "awaits"), [
    ("READY_FOR_PROCESSING", "NEW", 0, True),
    ("READY_FOR_PROCESSING", "READY_FOR_SHIPMENT", 0, True),
    ("READY_FOR_PROCESSING", None, 0, True),
    ("READY_FOR_PROCESSING", "SENT", 0, True),  # sent without a waybill: one may still be added
    ("READY_FOR_PROCESSING", "SENT", 1, False),
    ("READY_FOR_PROCESSING", "PICKED_UP", 1, False),
    ("READY_FOR_PROCESSING", "RETURNED", 0, False),
    ("CANCELLED", "NEW", 0, False),
])
def test_which_orders_await_shipment(status: str, fulfilment: str | None, waybills: int, awaits: bool) -> None:
    order = Order(id="o", buyer_login=None, status=status, fulfillment_status=fulfilment, delivery_method=None,
                  shipments=tuple(Shipment(f"W{n}") for n in range(waybills)))
    assert order.awaits_shipment is awaits


def test_once_nothing_is_missing_a_run_looks_only_at_the_conversations_the_sync_changed(
        demo: DemoAllegro, demo_client: AllegroClient, synced: Store, account_id: int) -> None:
    prefetch = OrderPrefetch(client=demo_client, store=synced, account_id=account_id)
    wanted = sorted(linked_orders(demo))
    demo.faults.burst_5xx(50)
    assert prefetch.run(changed=set()).stopped_by == "ServerError"  # nothing fetched: the next run looks at all
    demo.faults.clear()
    assert sorted(prefetch.run(changed=set()).fetched) == wanted
    # An order missing behind a conversation the sync did not change is not looked for; behind a changed one it is.
    lost = wanted[0]
    with synced.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM orders WHERE id = ?", (lost,))
        holder = connection.exec_driver_sql("SELECT id FROM conversations WHERE order_id = ?", (lost,)).scalar()
    assert prefetch.run(changed=set()).fetched == []
    assert prefetch.run(changed={str(holder)}).fetched == [lost]
