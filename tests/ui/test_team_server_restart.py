"""Team mode with the database server itself stopped and started again (an administrator's restart): a reply held
in the reply box and two sent meanwhile are neither lost nor sent twice, and go out in the order they were written."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from magazyn_desktop.app.reply_spool import SPOOL_FOLDER_NAME
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.store_address import parse_store_address
from tests.postgres_server import OwnServer, own_postgres_server, postgres_url  # noqa: F401  (fixtures)

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

pytestmark = pytest.mark.slow

FIRST, SECOND, HELD = ("Pierwsza odpowiedź, wysłana bez bazy", "Druga odpowiedź, też bez bazy",
                       "Trzecia, wpisana i wysłana po powrocie bazy")


def test_the_server_stopped_and_started_loses_no_reply_and_sends_each_once(
        own_postgres_server: OwnServer, qtbot: Any, make_team_window: Callable[..., Any],  # noqa: F811
        sample_paths: AppPaths, fake_allegro: DemoAllegro) -> None:
    server = own_postgres_server
    address = parse_store_address(server.url)
    window = make_team_window(server.url)
    qtbot.waitUntil(lambda: window.team_status_text() == "Baza zespołu · to stanowisko pobiera dane z Allegro "
                                                         "dla zespołu", timeout=10_000)
    target = window.first_conversation_id()
    assert target is not None
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(target)
    already_sent = len(fake_allegro.sent_messages(target))

    server.stop()
    banner = window.team_away_banner()
    qtbot.waitUntil(banner.isVisible, timeout=15_000)
    for text in (FIRST, SECOND):
        window.composer().set_text(text)
        window.composer().send()
    qtbot.waitUntil(lambda: "odpowiedzi czekają na tym stanowisku (2)" in banner.text(), timeout=5000)
    window.composer().set_text(HELD)  # typed, not sent yet: kept in the reply box and as a draft
    assert len(list((sample_paths.data / SPOOL_FOLDER_NAME).glob("*.json"))) == 2
    assert fake_allegro.sent_messages(target)[already_sent:] == []

    server.start()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=60_000)
    qtbot.waitUntil(lambda: not list((sample_paths.data / SPOOL_FOLDER_NAME).glob("*.json")), timeout=30_000)
    assert window.composer().text() == HELD
    window.composer().send()

    def sent_texts() -> list[str]:
        return [message.text for message in fake_allegro.sent_messages(target)[already_sent:]]

    qtbot.waitUntil(lambda: len(sent_texts()) >= 3, timeout=30_000)
    assert sent_texts() == [FIRST, SECOND, HELD]

    def outbox_rows() -> list[tuple[str, str]]:
        with psycopg.connect(address.libpq_url()) as connection:
            rows = connection.execute("SELECT text, state FROM outbox WHERE conversation_id = %s ORDER BY id",
                                      (target,)).fetchall()
        return [(text, state) for text, state in rows if text in (FIRST, SECOND, HELD)]

    # Allegro has the third; its row says so once the send's answer is stored.
    qtbot.waitUntil(lambda: outbox_rows() == [(FIRST, "sent"), (SECOND, "sent"), (HELD, "sent")], timeout=10_000)
    assert sent_texts() == [FIRST, SECOND, HELD]
