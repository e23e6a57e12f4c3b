"""The window's send round takes queued claim decisions too, after the replies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.domain.claim_decision import DecisionChoice
from magazyn_desktop.domain.vocabulary import OutboxState
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.claim_decisions import ClaimDecisions
from ui_sample_data import CLAIM_ID


class _NoNetwork:
    """Queueing a decision needs no Allegro: anything asked of this fails the test."""

    def change_claim_status(self, *args: object) -> None:
        raise AssertionError("queueing must not send")

    def get_issue(self, issue_id: str) -> Any:
        raise AssertionError("queueing must not read")


def test_a_queued_decision_is_sent_by_the_next_refresh(qtbot: Any, make_window: Callable[..., Any],
                                                       context: AppContext, fake_allegro: DemoAllegro) -> None:
    window = make_window()
    # The window's first sync and its order look-ups write to the cache: queue the decision once they are done.
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=10000)
    store = Store.open(context.paths.database)
    try:
        account_id = store.ensure_account("demo", fake_allegro.data.seller_login)
        decision_id = ClaimDecisions(store=store, client=_NoNetwork(), account_id=account_id).decide(
            CLAIM_ID, DecisionChoice.ACCEPTED_REFUND, "Zwracamy pieniądze za pęknięty kubek.")
        window.sync_now()
        qtbot.waitUntil(lambda: fake_allegro.data.issues[CLAIM_ID].status == "CLAIM_ACCEPTED", timeout=10000)

        def sent() -> bool:
            item = store.claim_decision(decision_id)
            return item is not None and item.state is OutboxState.SENT

        qtbot.waitUntil(sent, timeout=5000)
        assert fake_allegro.request_counts()["POST /sale/issues/{id}/status"] == 1
        qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0,
                        timeout=5000)
    finally:
        store.close()
