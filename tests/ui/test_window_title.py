"""The window's title: "<shop login> – <N> nieprzeczytanych – Magazyn – wiadomości Allegro", in Polish plural
forms, kept in step with the unread count."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

import pytest
from ui_sample_data import SELLER, add_thread, message, thread_id

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro


def _unread_in_cache(context: AppContext) -> int:
    db = sqlite3.connect(context.paths.database)
    try:
        return int(db.execute("SELECT count(*) FROM conversations WHERE read = 0").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize("count, polish", [
    (0, "0 nieprzeczytanych"), (1, "1 nieprzeczytana"), (2, "2 nieprzeczytane"), (4, "4 nieprzeczytane"),
    (5, "5 nieprzeczytanych"), (12, "12 nieprzeczytanych"), (22, "22 nieprzeczytane"), (25, "25 nieprzeczytanych"),
    (101, "101 nieprzeczytanych"),
])
def test_the_unread_count_takes_the_polish_plural_form(qtbot: Any, make_window: Callable[..., Any], count: int,
                                                       polish: str) -> None:
    window = make_window(start=False)
    assert window.unread_text(count) == polish


def test_english_says_unread_for_every_number(qtbot: Any, make_window: Callable[..., Any],
                                               context: AppContext) -> None:
    window = make_window(AppContext(paths=context.paths, language="en", demo=True), start=False)
    assert [window.unread_text(n) for n in (1, 2, 5)] == ["1 unread", "2 unread", "5 unread"]


def test_the_title_names_the_shop_and_follows_the_unread_count(qtbot: Any, make_window: Callable[..., Any],
                                                               context: AppContext,
                                                               fake_allegro: DemoAllegro) -> None:
    window = make_window()
    unread = _unread_in_cache(context)
    assert unread >= 1
    expected = f"{SELLER} \u2013 {window.unread_text(unread)} \u2013 Magazyn \u2013 wiadomości Allegro"
    qtbot.waitUntil(lambda: window.windowTitle() == expected, timeout=5000)
    login = "nowy_kupujacy"
    add_thread(fake_allegro.data, thread_id("nowaWiadomosc"), login,
               [message(fake_allegro.data, "Czy jest na stanie?", 1, login)], read=False)
    with qtbot.waitSignal(window.sync_finished, timeout=10000):
        window.sync_now()
    expected = f"{SELLER} \u2013 {window.unread_text(unread + 1)} \u2013 Magazyn \u2013 wiadomości Allegro"
    qtbot.waitUntil(lambda: window.windowTitle() == expected, timeout=5000)
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_before_anything_is_known_the_title_is_the_programs_name(qtbot: Any,
                                                                 make_window: Callable[..., Any]) -> None:
    window = make_window(start=False)  # an empty cache: no account, nothing counted yet
    assert window.windowTitle() == "Magazyn \u2013 wiadomości Allegro"  # the Polish window's name for the program
