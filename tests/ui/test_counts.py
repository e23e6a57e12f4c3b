"""The filter buttons' numbers: counted off the GUI thread, only when the data changed, and always exact."""

from __future__ import annotations

import threading
from typing import Any, Callable

import pytest
from ui_sample_data import ANNA, MAREK

from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import Filter


@pytest.fixture
def count_calls(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each count of the filters: whether it ran on the GUI thread."""
    calls: list[bool] = []
    real = queries.counts

    def counting(*args: Any, **kwargs: Any) -> dict[Filter, int]:
        calls.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "counts", counting)
    return calls


def _shown(window: Any) -> dict[Filter, int | None]:
    shown: dict[Filter, int | None] = {}
    for filter_, button in window._filter_buttons.items():
        text = button.text()
        shown[filter_] = int(text.rsplit("(", 1)[1].rstrip(")")) if text.endswith(")") else None
    return shown


def _recount(window: Any) -> dict[Filter, int]:
    connection = connect(window._paths.database, read_only=True)
    try:
        return {filter_: queries.count(connection, filter_=filter_, account_id=window._account_id)
                for filter_ in Filter}
    finally:
        connection.close()


def test_switching_filters_and_clearing_a_search_count_nothing(
    qtbot: Any, make_window: Callable[..., Any], count_calls: list[bool]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: _shown(window) == _recount(window), timeout=5000)
    before = len(count_calls)
    for filter_ in (Filter.NEEDS_REPLY, Filter.UNREAD, Filter.ISSUES, Filter.CLOSED, Filter.ALL):
        window.set_filter(filter_)
    window.set_search("paczka")
    window.set_search("")
    assert len(count_calls) == before  # the numbers did not change, so nothing was counted again
    assert _shown(window) == _recount(window)


def test_counts_follow_changes_exactly_and_never_on_the_gui_thread(
    qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro, count_calls: list[bool]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: _shown(window) == _recount(window), timeout=5000)
    unread_before = _shown(window)[Filter.UNREAD]
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)  # marks it read
    qtbot.waitUntil(lambda: _shown(window)[Filter.UNREAD] != unread_before, timeout=5000)
    assert _shown(window) == _recount(window)
    fake_allegro.add_buyer_message(MAREK, "Czy paczka już wyszła?")
    with qtbot.waitSignal(window.sync_finished, timeout=5000):
        window.sync_now()
    qtbot.waitUntil(lambda: _shown(window) == _recount(window), timeout=5000)
    assert count_calls and not any(count_calls)  # every count ran in a worker


def test_a_sync_that_changed_nothing_leaves_the_list_and_the_numbers_alone(
    qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro
) -> None:
    window = make_window()
    refreshed: list[object] = []
    controller = window._sync
    real = controller._after_change

    def recording(changed: object) -> None:
        refreshed.append(changed)
        real(changed)

    controller._after_change = recording
    with qtbot.waitSignal(window.sync_finished, timeout=5000) as nothing_new:
        window.sync_now()
    assert nothing_new.args[0].changed_conversations == set()
    assert refreshed == []  # no rows read again, nothing recounted
    fake_allegro.add_buyer_message(MAREK, "Czy paczka już wyszła?")
    with qtbot.waitSignal(window.sync_finished, timeout=5000):
        window.sync_now()
    assert refreshed == [{MAREK}]


def test_a_search_hiding_the_numbers_moves_no_pane(qtbot: Any, make_window: Callable[..., Any]) -> None:
    """The buttons keep the room their numbers took: typing a search must not narrow the list or shift the panes
    (and a relayout of the whole window on every search costs the user time too)."""
    window = make_window()
    window.resize(1000, 700)
    window.show()
    qtbot.waitUntil(lambda: _shown(window) == _recount(window), timeout=5000)
    window._splitter.setSizes([window._splitter.widget(0).minimumSizeHint().width(), 500, 200])
    qtbot.waitUntil(lambda: window._splitter.sizes()[0] > 0, timeout=2000)
    sizes = window._splitter.sizes()
    widths = {filter_: button.sizeHint().width() for filter_, button in window._filter_buttons.items()}
    window.set_search("paczka")
    assert all(value is None for value in _shown(window).values())  # a search shows no numbers
    assert {filter_: button.sizeHint().width() for filter_, button in window._filter_buttons.items()} == widths
    assert window._splitter.widget(0).minimumSizeHint().width() <= sizes[0]
    window.set_search("")
    assert window._splitter.sizes() == sizes
