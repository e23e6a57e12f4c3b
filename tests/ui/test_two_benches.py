"""Two benches' windows on one team store (each with its data folder, its own connections and person) answering the
same buyer within a second: the second reply is stopped by the send-time check and shows the first; the buyer
gets one answer."""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

from magazyn_desktop.app.settings import load_settings, save_settings
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.migrate import upgrade_to_head
from tests.postgres_server import postgres_url, scratch_url  # noqa: F401  (fixtures)

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen dialogs

FIRST, SECOND = "Paczka wyszła dziś rano, numer jest w zamówieniu.", "Wyślemy jutro do południa."


def test_the_second_of_two_benches_answering_within_a_second_is_stopped_and_sees_the_first(
        scratch_url: str, qtbot: Any, make_team_window: Callable[..., Any], tmp_path: Any,  # noqa: F811
        fake_allegro: DemoAllegro) -> None:  # the database first: the windows close before it is dropped
    from magazyn_desktop.ui.arrivals_warning import ArrivalsWarningDialog

    def bench(name: str, person: str) -> Any:
        paths = AppPaths(tmp_path / name)
        paths.ensure()
        upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
        save_settings(paths.settings_file, load_settings(paths.settings_file).with_changes(
            person_name=person, bench_name=name))
        return make_team_window(scratch_url, paths=paths, holder_name=f"{person} @ {name}", person=person)

    ania, bartek = bench("pakowanie-1", "Ania"), bench("pakowanie-2", "Bartek")
    target = ania.first_conversation_id()
    assert target is not None
    for window in (ania, bartek):
        with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
            window.open_conversation(target)
    before = len(fake_allegro.sent_messages(target))

    ania.composer().set_text(FIRST)
    bartek.composer().set_text(SECOND)
    with qtbot.waitSignal(ania.reply_queued, timeout=5000):
        ania.composer().send()
    sent_first_at = time.monotonic()
    with qtbot.waitSignal(bartek._send_check.warning_shown, timeout=5000) as shown:
        bartek.composer().send()
    assert time.monotonic() - sent_first_at < 1.0, "the second send came within a second of the first"
    dialog = shown.args[0]
    assert isinstance(dialog, ArrivalsWarningDialog)
    assert FIRST in dialog.arrivals_text() and "Ania" in dialog.arrivals_text()
    dialog.edit_button().click()  # Bartek reads it and leaves his reply in the box
    assert bartek.composer().text() == SECOND

    qtbot.waitUntil(lambda: len(fake_allegro.sent_messages(target)) > before, timeout=10_000)
    qtbot.wait(0)
    assert [m.text for m in fake_allegro.sent_messages(target)[before:]] == [FIRST]


def test_each_persons_draft_is_their_own(
        scratch_url: str, qtbot: Any, make_team_window: Callable[..., Any],  # noqa: F811
        tmp_path: Any) -> None:
    """Ania's half-typed reply is not in Bartek's box when he opens the same conversation, nor is his in hers."""

    def bench(name: str, person: str) -> Any:
        paths = AppPaths(tmp_path / name)
        paths.ensure()
        upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
        return make_team_window(scratch_url, paths=paths, holder_name=f"{person} @ {name}", person=person)

    ania, bartek = bench("pakowanie-1", "Ania"), bench("pakowanie-2", "Bartek")
    target = ania.first_conversation_id()
    assert target is not None
    with qtbot.waitSignal(ania.conversation_displayed, timeout=5000):
        ania.open_conversation(target)
    with qtbot.waitSignal(ania.draft_saved, timeout=5000):
        ania.composer().set_text("Sprawdzam w magazynie, odezwę się")
        ania.composer().flush_draft()
    with qtbot.waitSignal(bartek.conversation_displayed, timeout=5000):
        bartek.open_conversation(target)
    assert bartek.composer().text() == ""
    with qtbot.waitSignal(bartek.draft_saved, timeout=5000):
        bartek.composer().set_text("Zwrot przyjęty")
        bartek.composer().flush_draft()

    with psycopg.connect(scratch_url) as connection:
        stored = sorted(connection.execute("SELECT person, text FROM drafts WHERE conversation_id = %s",
                                           (target,)).fetchall())
    assert stored == [("Ania", "Sprawdzam w magazynie, odezwę się"), ("Bartek", "Zwrot przyjęty")]
    elsewhere = ania.list_model().conversation_at(1)
    assert elsewhere is not None
    for window, expected in ((ania, "Sprawdzam w magazynie, odezwę się"), (bartek, "Zwrot przyjęty")):
        with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
            window.open_conversation(elsewhere.id)
        with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
            window.open_conversation(target)  # read back from the team's store
        assert window.composer().text() == expected
