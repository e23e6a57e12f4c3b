"""States the app owns on a conversation: done (no reply needed), internal notes and follow-up reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from magazyn_desktop.domain.notes import NOTE_MAX_CHARS, NoteProblem
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.repository import Store

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 5)
THREAD = "T1".ljust(43, "x")
OTHER = "T2".ljust(43, "x")
THIRD = "T3".ljust(43, "x")


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


def summary(conversation_id: str = THREAD, at: datetime = NOW) -> ConversationSummary:
    return ConversationSummary(id=conversation_id, kind=Kind.THREAD, sub_kind=SubKind.COMMON, last_activity_at=at,
                               interlocutor_login="kupujacy", read=True)


def message(mid: str, role: Role, at: datetime, conversation_id: str = THREAD,
            text: str = "Dziękuję, wszystko w porządku") -> ConversationMessage:
    return ConversationMessage(mid, conversation_id, role, role.value.lower(), text, at)


BUYER_THANKS = [message("m1", Role.SELLER, NOW - timedelta(hours=2)), message("m2", Role.BUYER, NOW - timedelta(hours=1))]


def _needs_reply(reader: ReadConnection, conversation_id: str = THREAD) -> bool:
    return reader.execute("SELECT needs_reply FROM conversations WHERE id = ?",
                          (conversation_id,)).fetchone() == (1,)


def test_done_clears_needs_reply_through_a_resync_until_the_buyer_writes_again(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(), BUYER_THANKS)
    assert _needs_reply(reader)
    assert store.mark_done(THREAD, at=NOW)
    assert not _needs_reply(reader)
    row = q.get_row(reader, THREAD)
    assert row is not None and row.done and not row.needs_reply
    assert q.count(reader, filter_=Filter.NEEDS_REPLY) == 0
    # The same messages again: still done.
    store.store_conversation(account_id, summary(), BUYER_THANKS)
    assert not _needs_reply(reader) and q.get_row(reader, THREAD).done  # type: ignore[union-attr]
    # The buyer writes after it was marked: it needs a reply again, and is no longer done.
    again = [*BUYER_THANKS, message("m3", Role.BUYER, NOW + timedelta(minutes=5), text="Jednak mam pytanie")]
    store.store_conversation(account_id, summary(at=NOW + timedelta(minutes=5)), again)
    assert _needs_reply(reader)
    row = q.get_row(reader, THREAD)
    assert row is not None and not row.done
    assert q.count(reader, filter_=Filter.NEEDS_REPLY) == 1


def test_undoing_done_restores_needs_reply_from_the_messages(store: Store, account_id: int,
                                                             reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(), BUYER_THANKS)
    store.store_conversation(account_id, summary(OTHER), [message("o1", Role.BUYER, NOW - timedelta(hours=3), OTHER),
                                                          message("o2", Role.SELLER, NOW - timedelta(hours=2), OTHER)])
    for conversation_id in (THREAD, OTHER):
        store.mark_done(conversation_id, at=NOW)
    assert q.count(reader, filter_=Filter.NEEDS_REPLY) == 0
    assert store.unmark_done(THREAD) and store.unmark_done(OTHER)
    assert _needs_reply(reader, THREAD) and not _needs_reply(reader, OTHER)
    assert not q.get_row(reader, THREAD).done  # type: ignore[union-attr]
    assert not store.mark_done("no such conversation")


def test_done_holds_against_a_buyer_message_stamped_later_than_this_computer_s_clock(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    """Allegro's clock a few minutes ahead of ours: the message the user just read must not undo the mark."""
    ahead = [message("m1", Role.BUYER, NOW + timedelta(minutes=3))]
    store.store_conversation(account_id, summary(), ahead)
    store.mark_done(THREAD, at=NOW)
    store.store_conversation(account_id, summary(), ahead)
    assert not _needs_reply(reader)


def test_notes_are_stored_as_typed_with_author_and_time(store: Store, account_id: int,
                                                        reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(), BUYER_THANKS)
    html = "<b>Uwaga</b> & <script>alert(1)</script>\nkurier: DPD"
    assert store.add_note(THREAD, html, author="jan", at=NOW) is None
    assert store.add_note(THREAD, "Druga notatka", author="ewa", at=NOW + timedelta(minutes=1)) is None
    detail = q.load_conversation(reader, THREAD)
    assert detail is not None
    assert [(n.author, n.text, n.created_at) for n in detail.notes] == [
        ("jan", html, NOW), ("ewa", "Druga notatka", NOW + timedelta(minutes=1))]
    # Notes are not messages: nothing about them reaches the list row or needs_reply.
    assert _needs_reply(reader) and len(detail.messages) == 2


@pytest.mark.parametrize(("text", "problem"), [
    ("x" * 100_000, NoteProblem.TOO_LONG),
    ("x" * (NOTE_MAX_CHARS + 1), NoteProblem.TOO_LONG),
    ("   \n\t ", NoteProblem.EMPTY),
])
def test_a_note_too_long_or_empty_is_refused_and_nothing_stored(
        store: Store, account_id: int, reader: ReadConnection, text: str, problem: NoteProblem) -> None:
    store.store_conversation(account_id, summary(), BUYER_THANKS)
    assert store.add_note(THREAD, text, author="jan", at=NOW) is problem
    assert reader.execute("SELECT count(*) FROM conversation_notes").fetchone() == (0,)


def test_a_note_of_exactly_the_limit_is_kept_and_a_note_needs_its_conversation(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(), BUYER_THANKS)
    assert store.add_note(THREAD, "ą" * NOTE_MAX_CHARS, author="jan", at=NOW) is None
    assert store.add_note("no such conversation", "tekst", author="jan", at=NOW) is NoteProblem.NO_CONVERSATION
    assert reader.execute("SELECT count(*) FROM conversation_notes").fetchone() == (1,)


def test_a_note_s_words_find_its_conversation_in_the_search(store: Store, account_id: int,
                                                            reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(), BUYER_THANKS)
    store.store_conversation(account_id, summary(OTHER), [message("o1", Role.BUYER, NOW, OTHER, text="Gdzie paczka?")])
    store.add_note(THREAD, "Klient dzwonił: wysłać nową ETYKIETĘ zwrotną, Łódź", author="jan", at=NOW)
    for typed in ("etykiete", "Etykietę zwrot", "lodz", "DZWONIŁ"):
        page = q.list_page(reader, search=typed, account_id=account_id)
        assert [row.id for row in page.rows] == [THREAD], typed
        assert q.counts(reader, search=typed, account_id=account_id)[Filter.ALL] == 1, typed
    # Each word must begin a word of the note, as in the messages' search; all of them must be there.
    for typed in ("tykiet", "etykiete paczka"):
        assert q.list_page(reader, search=typed, account_id=account_id).rows == (), typed
    # The search's other routes still answer beside the notes'.
    assert [row.id for row in q.list_page(reader, search="paczka", account_id=account_id).rows] == [OTHER]


def _three_reminders(store: Store, account_id: int) -> None:
    """Tomorrow's on THREAD, today's on OTHER, one a month ago on THIRD; the conversations an hour apart."""
    for number, conversation_id in enumerate((THREAD, OTHER, THIRD)):
        store.store_conversation(account_id, summary(conversation_id, NOW - timedelta(hours=number)),
                                 [message(f"{conversation_id}-m", Role.SELLER, NOW - timedelta(hours=number),
                                          conversation_id)])
    assert store.set_reminder(THREAD, TODAY + timedelta(days=1))
    assert store.set_reminder(OTHER, TODAY)
    assert store.set_reminder(THIRD, TODAY - timedelta(days=30))  # in the past: due at once


def test_the_reminders_filter_shows_what_is_due_today_or_earlier_in_list_order(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    _three_reminders(store, account_id)
    page = q.list_page(reader, filter_=Filter.REMINDERS, account_id=account_id, today=TODAY)
    assert [row.id for row in page.rows] == [OTHER, THIRD]
    assert page.rows[0].remind_on == TODAY
    assert q.counts(reader, account_id=account_id, today=TODAY)[Filter.REMINDERS] == 2
    assert q.count(reader, filter_=Filter.REMINDERS, account_id=account_id, today=TODAY + timedelta(days=1)) == 3
    assert store.set_reminder(OTHER, None)
    assert [row.id for row in q.list_page(reader, filter_=Filter.REMINDERS, account_id=account_id,
                                          today=TODAY).rows] == [THIRD]
    assert q.get_row(reader, OTHER).remind_on is None  # type: ignore[union-attr]


def test_the_search_s_counts_and_pages_know_the_reminders_filter(store: Store, account_id: int,
                                                                 reader: ReadConnection) -> None:
    _three_reminders(store, account_id)
    assert store.set_reminder(OTHER, None)
    assert q.counts(reader, search="kupujacy", account_id=account_id, today=TODAY)[Filter.REMINDERS] == 1
    assert [row.id for row in q.list_page(reader, search="kupujacy", filter_=Filter.REMINDERS,
                                          account_id=account_id, today=TODAY).rows] == [THIRD]


def test_a_new_buyer_message_clears_done_but_keeps_notes_and_reminders(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(), BUYER_THANKS)
    store.mark_done(THREAD, at=NOW)
    store.add_note(THREAD, "Zadzwonić w piątek", author="jan", at=NOW)
    store.set_reminder(THREAD, TODAY)
    store.store_conversation(account_id, summary(at=NOW + timedelta(hours=1)),
                             [*BUYER_THANKS, message("m3", Role.BUYER, NOW + timedelta(hours=1))])
    row = q.get_row(reader, THREAD)
    assert row is not None and not row.done and row.needs_reply and row.remind_on == TODAY
    assert [n.text for n in q.load_conversation(reader, THREAD).notes] == ["Zadzwonić w piątek"]  # type: ignore[union-attr]
