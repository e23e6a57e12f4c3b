"""A conversation counts as read once it has been open for a moment (a setting), or when the user replies: browsing
with the arrow keys past unread rows leaves them unread, here and on Allegro."""

from __future__ import annotations

from typing import Any, Callable

from ui_sample_data import ANNA, MAREK, read_in_cache

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_a_row_passed_by_stays_unread_and_the_one_left_open_is_read(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro) -> None:
    fake_allegro.data.threads[MAREK].read = False
    window = make_window()
    window.apply_settings(window.settings.with_changes(mark_read_after_ms=300))
    assert not fake_allegro.data.threads[ANNA].read and not fake_allegro.data.threads[MAREK].read
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(MAREK)  # within the moment: Anna's conversation was only passed by
    qtbot.waitUntil(lambda: fake_allegro.data.threads[MAREK].read, timeout=5000)
    _idle(qtbot, window)
    assert read_in_cache(context.paths, MAREK)
    assert not read_in_cache(context.paths, ANNA) and not fake_allegro.data.threads[ANNA].read


def test_replying_marks_read_at_once(qtbot: Any, make_window: Callable[..., Any], context: AppContext,
                                     fake_allegro: DemoAllegro) -> None:
    window = make_window()
    window.apply_settings(window.settings.with_changes(mark_read_after_ms=60_000))  # never, by time, in this test
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    assert not read_in_cache(context.paths, ANNA)
    window.composer().set_text("Paczka wyszła dziś rano.")
    window.composer().send()
    qtbot.waitUntil(lambda: read_in_cache(context.paths, ANNA), timeout=5000)
    _idle(qtbot, window)


def test_the_delay_is_a_setting_kept_with_the_others(tmp_path: Any) -> None:
    from magazyn_desktop.app.settings import Settings, load_settings, save_settings

    path = tmp_path / "settings.json"
    save_settings(path, Settings(mark_read_after_ms=3500))
    assert load_settings(path).mark_read_after_ms == 3500
    assert Settings().mark_read_after_ms == 2000
    save_settings(path, Settings(mark_read_after_ms=-5))
    assert load_settings(path).mark_read_after_ms == 0
