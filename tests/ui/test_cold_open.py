"""`--open ID` on a cold start: the conversation is asked for before the backend exists (startup.py activates the
window before its background work starts). Its order must follow once the backend is ready, and its row must be
selected in the list: at once when the list has it, and when it arrives otherwise."""

from __future__ import annotations

from typing import Any, Callable

from ui_sample_data import CLAIM_ID, MAREK, ORDER_EWA, ORDER_MAREK, add_thread, message, sync_into_cache, thread_id

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.ui.conversation_list_model import PAGE_SIZE


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def _selected_id(window: Any) -> str | None:
    from magazyn_desktop.ui.conversation_list_model import ID_ROLE

    selected = window.list_view().selectionModel().selectedIndexes()
    current = window.list_view().currentIndex()
    if len(selected) != 1 or selected[0] != current:
        return None
    value = current.data(ID_ROLE)
    return value if isinstance(value, str) else None


def test_a_cached_conversation_opened_before_the_backend_gets_its_order_and_its_row(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro) -> None:
    sync_into_cache(context.paths, fake_allegro)  # a previous run's cache, without the order
    window = make_window(start=False)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.activate(MAREK)
    assert _selected_id(window) == MAREK
    assert window.order_panel().order_id == ORDER_MAREK  # waiting for the connection, not yet shown
    with qtbot.waitSignals([window.order_displayed, window.initial_sync_finished], timeout=10000):
        window.start_background_work()
    assert window.order_panel().order_id == ORDER_MAREK
    assert window.order_panel().shown_items()  # the items, no longer the waiting message
    assert _selected_id(window) == MAREK
    _idle(qtbot, window)


def test_a_conversation_missing_from_the_cache_opens_and_is_selected_once_the_backend_is_ready(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window(start=False)  # an empty cache: nothing to show before the first sync
    window.activate(CLAIM_ID)
    assert window.conversation_view().detail is None
    with qtbot.waitSignals([window.order_displayed, window.initial_sync_finished], timeout=10000):
        window.start_background_work()
    assert window.order_panel().order_id == ORDER_EWA
    assert window.current_conversation_id == CLAIM_ID
    assert window.conversation_view().conversation_id == CLAIM_ID
    assert _selected_id(window) == CLAIM_ID
    _idle(qtbot, window)


def test_a_row_beyond_the_loaded_pages_is_selected_when_the_list_reaches_it(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro) -> None:
    for number in range(PAGE_SIZE + 10):  # newer than the sample's conversations: they move past the first page
        login = f"kupujacy_{number}"
        add_thread(fake_allegro.data, thread_id(f"nowszy{number}"), login,
                   [message(fake_allegro.data, f"Pytanie {number}", 1, login)])
    sync_into_cache(context.paths, fake_allegro)
    window = make_window(start=False)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.activate(MAREK)
    model = window.list_model()
    assert model.row_of(MAREK) is None  # not loaded yet: nothing can be selected
    while model.row_of(MAREK) is None and model.canFetchMore(model.index(-1, 0)):
        model.fetchMore(model.index(-1, 0))  # as the view does when scrolled to its end
    assert _selected_id(window) == MAREK
    _idle(qtbot, window)
