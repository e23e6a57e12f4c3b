"""The send-time check on a team's store: a reply is queued only when nothing arrived in the conversation since the
user opened it (a buyer's message, a seller reply stored from Allegro, a reply another bench queued); otherwise
nothing is queued and the refusal names what arrived. Two benches sending at once: the second is stopped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary  # noqa: E402
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind  # noqa: E402
from magazyn_desktop.store.repository import Store  # noqa: E402
from magazyn_desktop.store.send_check import ArrivedSince, SeenMark, newest_mark  # noqa: E402
from magazyn_desktop.store.store_address import parse_store_address  # noqa: E402

THREAD = "thread-1"
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)


def _summary(at: datetime) -> ConversationSummary:
    return ConversationSummary(id=THREAD, kind=Kind.THREAD, sub_kind=SubKind.COMMON, last_activity_at=at,
                               interlocutor_login="kupujacy")


def _message(mid: str, role: Role, words: str, minutes: int) -> ConversationMessage:
    return ConversationMessage(mid, THREAD, role, "kupujacy" if role is Role.BUYER else "sklep", words,
                               NOW + timedelta(minutes=minutes))


@pytest.fixture
def benches(accounts_url: str) -> Iterator[tuple[Store, Store]]:
    """Two benches' stores on one team database, with a thread of one buyer message."""
    address = parse_store_address(accounts_url)
    first, second = Store.open_team(address), Store.open_team(address)
    first.store_conversation(1, _summary(NOW), [_message("m-1", Role.BUYER, "Gdzie moja paczka?", 0)])
    yield first, second
    first.close()
    second.close()


def _opened(store: Store) -> SeenMark:
    with Session(store.engine) as session:
        return newest_mark(session, THREAD)


def test_nothing_new_the_reply_is_queued(benches: tuple[Store, Store]) -> None:
    bench, _other = benches
    entry_id = bench.add_outbox_entry(1, THREAD, "Wysłana wczoraj.", seen=_opened(bench))
    assert bench.outbox_entry(entry_id) is not None


def test_a_buyer_message_stored_since_stops_the_reply(benches: tuple[Store, Store]) -> None:
    bench, leader = benches
    seen = _opened(bench)
    leader.store_conversation(1, _summary(NOW + timedelta(minutes=2)), [
        _message("m-1", Role.BUYER, "Gdzie moja paczka?", 0), _message("m-2", Role.BUYER, "Już doszła, dzięki!", 2)])
    with pytest.raises(ArrivedSince) as refused:
        bench.add_outbox_entry(1, THREAD, "Wysłana wczoraj.", seen=seen)
    [arrival] = refused.value.arrivals
    assert (arrival.text, arrival.who, arrival.role, arrival.queued) == ("Już doszła, dzięki!", "kupujacy",
                                                                         "BUYER", False)
    assert bench.outbox_for_conversation(THREAD) == []  # nothing queued
    assert refused.value.newest == _opened(bench)
    # "Wyślij mimo to": queued against the mark that covers what was shown.
    assert bench.add_outbox_entry(1, THREAD, "Wysłana wczoraj.", seen=refused.value.newest) > 0


def test_a_seller_reply_stored_from_allegro_since_stops_the_reply(benches: tuple[Store, Store]) -> None:
    bench, leader = benches
    seen = _opened(bench)
    leader.store_conversation(1, _summary(NOW + timedelta(minutes=3)), [
        _message("m-1", Role.BUYER, "Gdzie moja paczka?", 0),
        _message("m-3", Role.SELLER, "Paczka jest w drodze.", 3)])
    with pytest.raises(ArrivedSince) as refused:
        bench.add_outbox_entry(1, THREAD, "Wysłana wczoraj.", seen=seen)
    assert [(a.text, a.role) for a in refused.value.arrivals] == [("Paczka jest w drodze.", "SELLER")]


def test_two_benches_send_within_a_second_the_second_is_stopped_and_sees_the_first(
        benches: tuple[Store, Store]) -> None:
    first, second = benches
    first_saw, second_saw = _opened(first), _opened(second)
    first.add_outbox_entry(1, THREAD, "Paczka wyszła dziś rano.", seen=first_saw)
    with pytest.raises(ArrivedSince) as refused:
        second.add_outbox_entry(1, THREAD, "Wysyłamy jutro.", seen=second_saw)
    [arrival] = refused.value.arrivals
    assert (arrival.text, arrival.queued) == ("Paczka wyszła dziś rano.", True)
    assert [entry.text for entry in second.outbox_for_conversation(THREAD)] == ["Paczka wyszła dziś rano."]


def test_two_benches_sending_at_the_same_moment_queue_one_reply(benches: tuple[Store, Store]) -> None:
    first, second = benches
    marks = {id(first): _opened(first), id(second): _opened(second)}
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def send(store: Store, words: str) -> None:
        start.wait()
        try:
            store.add_outbox_entry(1, THREAD, words, seen=marks[id(store)])
            outcomes[words] = "queued"
        except ArrivedSince:
            outcomes[words] = "stopped"

    threads = [threading.Thread(target=send, args=(store, words))
               for store, words in ((first, "Od Ani."), (second, "Od Tomka."))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes.values()) == ["queued", "stopped"]
    assert len(first.outbox_for_conversation(THREAD)) == 1


def test_the_sent_copy_of_a_reply_already_seen_is_not_new(benches: tuple[Store, Store]) -> None:
    bench, leader = benches
    entry_id = bench.add_outbox_entry(1, THREAD, "Paczka wyszła.", seen=_opened(bench))
    seen_after_own = SeenMark(_opened(bench).message_rowid, entry_id)
    assert leader.mark_outbox_sending(entry_id)
    assert leader.mark_outbox_sent(entry_id, remote_message_id="m-sent", sent_at=NOW + timedelta(minutes=1),
                                   message=_message("m-sent", Role.SELLER, "Paczka wyszła.", 1))
    assert bench.add_outbox_entry(1, THREAD, "I numer przesyłki: 123.", seen=seen_after_own) > entry_id


def test_without_a_mark_nothing_is_checked(benches: tuple[Store, Store]) -> None:
    bench, other = benches
    other.add_outbox_entry(1, THREAD, "Od innego stanowiska.")
    assert bench.add_outbox_entry(1, THREAD, "Bez sprawdzania.") > 0
    with Session(bench.engine) as session:
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 2


def test_a_reply_queued_with_the_senders_own_author_is_not_news_to_it(benches: tuple[Store, Store]) -> None:
    """A reply this bench kept while the database was away, moved in after the conversation was opened."""
    bench, other = benches
    saw = _opened(bench)
    bench.add_outbox_entry(1, THREAD, "Czekała na bazę.", author="Ania @ stanowisko 1", client_key="spool-1")
    bench.add_outbox_entry(1, THREAD, "A teraz druga.", author="Ania @ stanowisko 1", seen=saw)
    with pytest.raises(ArrivedSince) as refused:  # another bench's author: news to it
        other.add_outbox_entry(1, THREAD, "Z innego stanowiska.", author="Bartek @ stanowisko 2", seen=saw)
    assert [arrival.who for arrival in refused.value.arrivals] == ["Ania @ stanowisko 1", "Ania @ stanowisko 1"]


def test_the_sent_copy_of_a_reply_the_sender_queued_itself_is_not_news_to_it(benches: tuple[Store, Store]) -> None:
    """Its own reply went out after the conversation was opened (the mark never saw it queued) and came back."""
    bench, _other = benches
    saw = _opened(bench)
    entry_id = bench.add_outbox_entry(1, THREAD, "Wysłana z tego stanowiska.", author="Ania @ stanowisko 1")
    assert bench.mark_outbox_sending(entry_id, NOW)
    copy = _message("m-2", Role.SELLER, "Wysłana z tego stanowiska.", 5)
    assert bench.mark_outbox_sent(entry_id, remote_message_id="m-2", sent_at=copy.created_at, message=copy)
    bench.add_outbox_entry(1, THREAD, "I jeszcze jedna.", author="Ania @ stanowisko 1", seen=saw)
