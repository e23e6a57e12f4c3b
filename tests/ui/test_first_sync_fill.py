"""A first sync fills the window as it goes: rows come in as they are stored, and the list area counts them."""

from __future__ import annotations

from typing import Any, Callable

from magazyn_desktop.sync.engine import SyncProgress


def test_a_first_sync_shows_its_rows_and_its_count_as_it_goes(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window(start=False)
    counts: list[tuple[int, int]] = []
    controller = window._sync
    controller.filling.connect(lambda done, about: counts.append((done, about)))
    with qtbot.waitSignal(window.initial_sync_finished, timeout=10000):
        window.start_background_work()
    assert counts, "the first sync reported no progress to the list area"
    assert counts[-1][0] == counts[-1][1] and counts[-1][1] == window._model.rowCount()
    assert all(done <= about for done, about in counts)
    qtbot.waitUntil(lambda: not window.fill_progress_notice().isVisible())
    # A later sync fills nothing: no count.
    counts.clear()
    with qtbot.waitSignal(controller.sync_finished, timeout=10000):
        controller.sync_now()
    assert counts == []


def test_the_count_shows_in_the_list_and_rows_are_read_again_at_most_once_a_second(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    controller = window._sync
    refreshed: list[object] = []
    controller._after_change = refreshed.append
    controller._on_sync_progress(SyncProgress("messages", 120, 1000, filling=True))
    notice = window.fill_progress_notice()
    assert notice.isVisible() and "120" in notice.text() and "1000" in notice.text()
    assert refreshed == [None]  # the rows stored so far are shown
    controller._on_sync_progress(SyncProgress("messages", 121, 1000, filling=True))
    assert refreshed == [None]  # not again within the second
    controller._on_sync_progress(SyncProgress("messages", 5, 9, filling=False))
    assert "121" in notice.text()  # a routine sync's progress is not this count
    controller.filling_ended.emit()
    assert not notice.isVisible()
