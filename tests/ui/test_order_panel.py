"""The order beside a conversation: fetched after the sync, refreshed while not sent, picked by hand when the
conversation names none, and the panel's wording when there is none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from ui_sample_data import ANNA, CLAIM_ID, CLOSED, NOW, ORDER_ANNA, ORDER_EWA, ORDER_MAREK, order, uuid_of

from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro

ORDER_REQUEST = "GET /order/checkout-forms/{id}"
SHIPMENTS_REQUEST = "GET /order/checkout-forms/{id}/shipments"
BUYER_ORDERS_REQUEST = "GET /order/checkout-forms"
JAN_OLDER = uuid_of(0x4001)
JAN_NEWER = uuid_of(0x4002)
OTHER_BUYER = uuid_of(0x4003)


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def _started(qtbot: Any, make_window: Callable[..., Any], ctx: AppContext | None = None) -> Any:
    """A window after its first sync and the order fetch that follows it."""
    window = make_window(ctx, start=False)
    with qtbot.waitSignal(window.orders_prefetched, timeout=10000):
        window.start_background_work()
    return window


def _order_requests(fake: DemoAllegro) -> tuple[int, int]:
    counts = fake.request_counts()
    return counts.get(ORDER_REQUEST, 0), counts.get(SHIPMENTS_REQUEST, 0)


def _jan_has_orders(fake: DemoAllegro) -> None:
    """Jan's closed thread names no order; he bought twice, days apart, and someone else bought too."""
    for order_id, days_ago, name, login in ((JAN_OLDER, 9, "Czajnik elektryczny", "jan_n"),
                                            (JAN_NEWER, 2, "Lampka nocna", "jan_n"),
                                            (OTHER_BUYER, 1, "Koc polarowy", "kto_inny")):
        made = order(fake.data, order_id, login, name=name)
        made.bought_at = NOW - timedelta(days=days_ago)
        for item in made.line_items:
            item.bought_at = made.bought_at


def test_after_the_first_sync_every_linked_order_is_fetched_once(qtbot: Any, make_window: Callable[..., Any],
                                                                 fake_allegro: DemoAllegro) -> None:
    window = _started(qtbot, make_window)
    assert _order_requests(fake_allegro) == (3, 3)  # Anna's, Marek's and Ewa's claim's orders, each once
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    for order_id in (ORDER_ANNA, ORDER_MAREK, ORDER_EWA):
        assert backend.store.load_order(order_id) is not None
    # Anna's order is sent with its waybill: shown from the cache, nothing asked.
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(ANNA)
    assert window.order_panel().shown_items() == [("Kubek ceramiczny 300 ml", "KUB-300-BIA", "2")]
    assert _order_requests(fake_allegro) == (3, 3)
    # The next sync finds nothing missing: no order is asked again.
    with qtbot.waitSignal(window.orders_prefetched, timeout=10000):
        window.sync_now()
    assert _order_requests(fake_allegro) == (3, 3)
    _idle(qtbot, window)


def test_a_sync_stops_the_order_fetch_and_it_goes_on_after_without_asking_twice(
        qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro) -> None:
    window = make_window(start=False)
    started: list[object] = []

    def sync_again(_report: object) -> None:
        started.append(_report)
        window.sync_now()  # while the order fetch that this sync's end started has barely begun

    window.initial_sync_finished.connect(sync_again)
    with qtbot.waitSignal(window.orders_prefetched, timeout=10000) as finished:
        window.start_background_work()
    assert len(started) == 1
    report = finished.args[0]
    assert report.stopped_by is None
    assert _order_requests(fake_allegro) == (3, 3)  # each order once, over the stopped run and the one after
    _idle(qtbot, window)


def test_an_order_not_sent_yet_is_read_again_whenever_its_conversation_opens(
        qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro) -> None:
    window = _started(qtbot, make_window)
    fake_allegro.data.orders[ORDER_EWA].fulfillment_status = "READY_FOR_SHIPMENT"  # the warehouse packed it
    with qtbot.waitSignal(window.order_displayed, timeout=5000) as shown:
        window.open_conversation(CLAIM_ID)
    assert shown.args == [ORDER_EWA]
    assert _order_requests(fake_allegro) == (4, 4)
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    cached = backend.store.load_order(ORDER_EWA)
    assert cached is not None and cached.fulfillment_status == "READY_FOR_SHIPMENT"
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(ANNA)
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(CLAIM_ID)
    assert _order_requests(fake_allegro) == (5, 5)
    _idle(qtbot, window)


def test_a_refused_order_is_recorded_and_the_panel_says_so(qtbot: Any, make_window: Callable[..., Any],
                                                           fake_allegro: DemoAllegro) -> None:
    fake_allegro.faults.unavailable_orders[ORDER_EWA] = 403
    window = _started(qtbot, make_window)
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    assert backend.store.order_unavailable_status(ORDER_EWA) == 403
    asked = _order_requests(fake_allegro)
    window.open_conversation(CLAIM_ID)
    qtbot.waitUntil(lambda: "nie jest dostępne" in window.order_panel().state_text(), timeout=5000)
    assert ORDER_EWA in window.order_panel().state_text()
    _idle(qtbot, window)
    assert _order_requests(fake_allegro) == asked  # not asked again


def test_a_thread_naming_no_order_offers_the_buyers_orders_and_remembers_the_pick(
        qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro) -> None:
    _jan_has_orders(fake_allegro)
    window = _started(qtbot, make_window)
    panel = window.order_panel()
    with qtbot.waitSignal(window.order_candidates_displayed, timeout=5000):
        window.open_conversation(CLOSED)
    assert panel.state_text() == "Ta rozmowa nie jest powiązana z zamówieniem."
    assert panel.candidate_ids() == [JAN_NEWER, JAN_OLDER]  # newest first, only this buyer's
    assert not panel.can_change()
    with qtbot.waitSignal(window.order_displayed, timeout=5000) as shown:
        panel.pick(JAN_OLDER)
    assert shown.args == [JAN_OLDER]
    assert panel.shown_items() == [("Czajnik elektryczny", "KUB-300-BIA", "2")]
    assert panel.can_change()
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    assert backend.store.chosen_order(CLOSED) == JAN_OLDER
    assert backend.store.load_order(JAN_OLDER) is not None  # fetched whole, with its shipments

    # Back to it later: the pick is shown, the buyer's orders are not asked for again.
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(ANNA)
    listed = fake_allegro.request_counts()[BUYER_ORDERS_REQUEST]
    with qtbot.waitSignal(window.order_displayed, timeout=5000) as shown:
        window.open_conversation(CLOSED)
    assert shown.args == [JAN_OLDER] and panel.can_change()
    assert fake_allegro.request_counts()[BUYER_ORDERS_REQUEST] == listed

    # Changed to the other one.
    with qtbot.waitSignal(window.order_candidates_displayed, timeout=5000):
        panel.request_change()
    assert panel.candidate_ids() == [JAN_NEWER, JAN_OLDER]
    with qtbot.waitSignal(window.order_displayed, timeout=5000) as shown:
        panel.pick(JAN_NEWER)
    assert shown.args == [JAN_NEWER]
    assert backend.store.chosen_order(CLOSED) == JAN_NEWER
    _idle(qtbot, window)


def test_the_pick_survives_a_restart(qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro) -> None:
    _jan_has_orders(fake_allegro)
    window = _started(qtbot, make_window)
    with qtbot.waitSignal(window.order_candidates_displayed, timeout=5000):
        window.open_conversation(CLOSED)
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.order_panel().pick(JAN_NEWER)
    _idle(qtbot, window)
    window.shutdown()
    again = make_window()
    with qtbot.waitSignal(again.order_displayed, timeout=5000) as shown:
        again.open_conversation(CLOSED)
    assert shown.args == [JAN_NEWER]
    assert again.order_panel().shown_items()[0][0] == "Lampka nocna"
    _idle(qtbot, again)


@pytest.mark.parametrize(("language", "wording"), [("pl", "Ta rozmowa nie jest powiązana z zamówieniem."),
                                                    ("en", "This conversation is not linked to an order.")])
def test_a_conversation_without_an_order_says_it_is_not_linked(qtbot: Any, make_window: Callable[..., Any],
                                                               context: AppContext, language: str,
                                                               wording: str) -> None:
    window = _started(qtbot, make_window, AppContext(paths=context.paths, language=language, demo=True))
    with qtbot.waitSignal(window.order_candidates_displayed, timeout=5000):
        window.open_conversation(CLOSED)
    text = window.order_panel().state_text()
    assert text.startswith(wording)
    assert "dotyczy" not in text and "not about" not in text
    _idle(qtbot, window)
