"""Team mode in the window, against a real PostgreSQL: who else has a conversation open or is typing a reply shows in
its list row and above the reply box (a stale row does not), this bench's own typing reaches the board, and the
send-time check stops a reply when another bench answered since the conversation was opened."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, Callable

import pytest

from magazyn_desktop.store.store_address import StoreAddress, parse_store_address
from tests.postgres_server import postgres_url, scratch_url  # noqa: F401  (fixtures)

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen dialogs


@pytest.fixture
def team_address(scratch_url: str) -> StoreAddress:  # noqa: F811  (the fixture imported above)
    from magazyn_desktop.store.team_schema import upgrade_team_store

    address = parse_store_address(scratch_url)
    upgrade_team_store(address)
    return address


@pytest.fixture
def team_window(scratch_url: str, team_address: StoreAddress,  # noqa: F811  (the fixture imported above)
                make_team_window: Callable[..., Any]) -> Any:
    """A window on the team's store (set up after the database, so shut down before it is dropped)."""
    return make_team_window(scratch_url)


@pytest.fixture
def other_bench(team_address: StoreAddress) -> Iterator[Any]:
    from magazyn_desktop.store.repository import Store

    store = Store.open_team(team_address)
    yield store
    store.close()


def _board(store: Any, account_id: int, holder: str, person: str) -> Any:
    from magazyn_desktop.store.presence import PresenceBoard

    return PresenceBoard(store.engine, holder=holder, account_id=account_id, person=person, bench="pakowanie 2",
                         stale_after=timedelta(seconds=20))


def _open_first(qtbot: Any, window: Any) -> str:
    shown = window.list_model().conversation_at(0)
    assert shown is not None
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(shown.id)
    return str(shown.id)


def _row_presence(window: Any, conversation_id: str) -> tuple[Any, ...]:
    from magazyn_desktop.ui.conversation_list_model import PRESENCE_ROLE

    model = window.list_model()
    position = model.row_of(conversation_id)
    assert position is not None
    return tuple(model.index(position, 0).data(PRESENCE_ROLE))


def test_another_bench_typing_shows_in_the_row_and_above_the_reply_box(
        qtbot: Any, team_window: Any, other_bench: Any) -> None:
    from magazyn_desktop.store.presence import PresenceState
    from magazyn_desktop.ui.presence_marks import list_words

    conversation_id = _open_first(qtbot, team_window)
    qtbot.waitUntil(team_window.listening_to_other_benches, timeout=5000)
    ania = _board(other_bench, team_window.backend.account_id, "h-ania", "Ania")
    ania.beat(PresenceState(conversation_id, typing=True))
    qtbot.waitUntil(lambda: team_window.team_presence_text() == "Ania pisze odpowiedź…", timeout=3000)
    [person] = _row_presence(team_window, conversation_id)
    assert list_words([person]) == "Ania pisze odpowiedź…"
    ania.beat(PresenceState(conversation_id, typing=False))
    qtbot.waitUntil(lambda: team_window.team_presence_text() == "Ania ma otwartą tę rozmowę", timeout=3000)
    assert list_words(_row_presence(team_window, conversation_id)) == "Ania ma otwartą"
    ania.leave()
    qtbot.waitUntil(lambda: team_window.team_presence_text() == "", timeout=3000)
    assert _row_presence(team_window, conversation_id) == ()


def test_stale_presence_is_not_shown(qtbot: Any, team_window: Any, other_bench: Any) -> None:
    from magazyn_desktop.store.presence import PresenceState

    conversation_id = _open_first(qtbot, team_window)
    qtbot.waitUntil(team_window.listening_to_other_benches, timeout=5000)
    account_id = team_window.backend.account_id
    _board(other_bench, account_id, "h-gone", "Ola").beat(PresenceState(conversation_id, typing=True))
    qtbot.waitUntil(lambda: "Ola" in team_window.team_presence_text(), timeout=3000)
    with psycopg.connect(str(other_bench.engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False))) as connection:
        connection.execute("UPDATE presence SET seen_at = seen_at - interval '1 minute' WHERE holder = 'h-gone'")
    # Another bench's change makes the window read the board at once; Ola's old row is no longer on it.
    _board(other_bench, account_id, "h-tomek", "Tomek").beat(PresenceState(conversation_id))
    qtbot.waitUntil(lambda: team_window.team_presence_text() == "Tomek ma otwartą tę rozmowę", timeout=3000)
    assert [person.person for person in _row_presence(team_window, conversation_id)] == ["Tomek"]


def test_typing_here_reaches_the_board_and_stops_when_the_reply_is_cleared(
        qtbot: Any, team_window: Any, other_bench: Any) -> None:
    conversation_id = _open_first(qtbot, team_window)
    watcher = _board(other_bench, team_window.backend.account_id, "h-watcher", "Tomek")

    def seen_typing(expected: bool) -> Callable[[], None]:
        def check() -> None:
            here = [p for p in watcher.read() if p.conversation_id == conversation_id]
            assert len(here) == 1 and here[0].typing is expected
        return check

    qtbot.waitUntil(seen_typing(False), timeout=3000)  # the conversation open, nobody typing
    team_window.composer().editor().insertPlainText("Dzień dobry")  # as typed: the text changes
    qtbot.waitUntil(seen_typing(True), timeout=3000)
    team_window.composer().editor().clear()
    qtbot.waitUntil(seen_typing(False), timeout=3000)


def test_a_reply_queued_by_another_bench_since_stops_the_send_and_shows_it(
        qtbot: Any, team_window: Any, other_bench: Any) -> None:
    from magazyn_desktop.ui.arrivals_warning import ArrivalsWarningDialog

    conversation_id = _open_first(qtbot, team_window)
    account_id = team_window.backend.account_id
    before = len(other_bench.outbox_for_conversation(conversation_id))
    other_bench.add_outbox_entry(account_id, conversation_id, "Paczka wyszła dziś rano.")
    composer = team_window.composer()
    composer.set_text("Wysyłamy jutro.")
    with qtbot.waitSignal(team_window._send_check.warning_shown, timeout=5000) as shown:
        composer.send()
    dialog = shown.args[0]
    assert isinstance(dialog, ArrivalsWarningDialog)
    assert "Paczka wyszła dziś rano." in dialog.arrivals_text()
    assert len(other_bench.outbox_for_conversation(conversation_id)) == before + 1  # this reply not queued
    assert composer.text() == "Wysyłamy jutro."
    with qtbot.waitSignal(team_window.reply_queued, timeout=5000):
        dialog.send_anyway_button().click()
    texts = [entry.text for entry in other_bench.outbox_for_conversation(conversation_id)]
    assert texts[-2:] == ["Paczka wyszła dziś rano.", "Wysyłamy jutro."]


def test_a_reply_with_nothing_new_is_queued_and_the_next_one_too(
        qtbot: Any, team_window: Any, other_bench: Any) -> None:
    conversation_id = _open_first(qtbot, team_window)
    composer = team_window.composer()
    for words in ("Pierwsza odpowiedź.", "I jeszcze jedna."):
        composer.set_text(words)
        with qtbot.waitSignal(team_window.reply_queued, timeout=5000):
            composer.send()
    assert [entry.text for entry in other_bench.outbox_for_conversation(conversation_id)][-2:] == [
        "Pierwsza odpowiedź.", "I jeszcze jedna."]


def test_the_heartbeat_tells_how_far_this_bench_has_read_the_change_log(
        qtbot: Any, team_window: Any, scratch_url: str) -> None:  # noqa: F811  (the fixture imported above)
    """What `doctor --store` compares with the log's head to say how far behind a bench is."""
    import psycopg

    _open_first(qtbot, team_window)  # opening a conversation is a change: the board is written at once

    def seen() -> None:
        with psycopg.connect(scratch_url) as connection:
            rows = connection.execute("SELECT p.seen_seq, (SELECT max(seq) FROM change_log) FROM presence p"
                                      ).fetchall()
        assert len(rows) == 1 and rows[0][0] is not None and rows[0][0] <= rows[0][1]

    qtbot.waitUntil(seen, timeout=10_000)
