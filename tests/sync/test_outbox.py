"""The outbox: stored before sending, one send a second, failures kept with Allegro's reason, never a duplicate."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from magazyn_desktop.allegro.errors import (
    AuthError,
    ConflictError,
    NetworkError,
    OutcomeUnknownError,
    ServerError,
    ValidationError,
)
from magazyn_desktop.allegro.models import MessageList
from magazyn_desktop.domain.vocabulary import OutboxState, Role
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.outbox import Outbox, OutboxResult

from .fakes import SEND, FakeAllegro, FakeTime, allegro_error

pytestmark = pytest.mark.both_engines  # the store under them: SQLite and a team's PostgreSQL


@pytest.fixture
def conversations(allegro: FakeAllegro, store: Store, account_id: int) -> tuple[str, str, str]:
    first = allegro.add_thread(1, minutes_ago=5)
    second = allegro.add_thread(2, minutes_ago=6)
    issue = allegro.add_issue(3, minutes_ago=7)
    for cid in (first, second):
        store.store_conversation(account_id, allegro.threads[cid].summary, allegro.threads[cid].messages)
    store.store_conversation(account_id, allegro.issues[issue].summary, allegro.issues[issue].messages)
    return first, second, issue


def outbox(store: Store, allegro: FakeAllegro, account_id: int) -> Outbox:
    return Outbox(store=store, client=allegro, account_id=account_id,  # type: ignore[arg-type]
                  wall_clock=lambda: allegro.now, author_login="shop")


def states(store: Store, conversation_id: str) -> list[OutboxState]:
    return [e.state for e in store.outbox_for_conversation(conversation_id)]


def seller_texts(allegro: FakeAllegro, conversation_id: str) -> list[str]:
    conversation = allegro.threads.get(conversation_id) or allegro.issues[conversation_id]
    return [m.text for m in conversation.messages if m.role is Role.SELLER]


def test_reply_is_stored_before_the_network_call(allegro: FakeAllegro, store: Store, account_id: int,
                                                 fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    seen: list[list[OutboxState]] = []
    allegro.on_send.append(lambda cid, text: seen.append(states(store, cid)))
    allegro.send_outcomes = [RuntimeError("the client blew up")]
    box = outbox(store, allegro, account_id)
    entry = box.enqueue(thread, "Paczka wyszła dziś rano.")
    assert states(store, thread) == [OutboxState.QUEUED]
    results = box.process()
    assert seen == [[OutboxState.SENDING]]  # committed and marked before the request
    assert [r.state for r in results] == [OutboxState.UNCERTAIN]
    item = store.outbox_entry(entry)
    assert item is not None and item.text == "Paczka wyszła dziś rano." and item.attempts == 1


def test_success_stores_the_sent_message(allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime,
                                         conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    box = outbox(store, allegro, account_id)
    entry = box.enqueue(thread, "Dzień dobry, wysłane.")
    [result] = box.process()
    assert result.state is OutboxState.SENT and result.remote_message_id
    assert result.remote_message_id in store.message_ids(thread)
    item = store.outbox_entry(entry)
    assert item is not None and item.state is OutboxState.SENT and item.sent_at is not None


def test_the_outbox_leaves_send_pacing_to_the_client(allegro: FakeAllegro, store: Store, account_id: int,
                                                      fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    # One pacing of sends: the client's rate limiter (test_real_client.py shows sends over a second apart).
    # This fake client has none, so the outbox itself never waits.
    box = outbox(store, allegro, account_id)
    for reply in ("jeden", "dwa", "trzy"):
        box.enqueue(conversations[0], reply)
    box.enqueue(conversations[1], "cztery")
    results = box.process()
    assert [r.state for r in results] == [OutboxState.SENT] * 4
    assert fake_time.sleeps == []


def test_rejected_reply_fails_with_allegros_reason(allegro: FakeAllegro, store: Store, account_id: int,
                                                   fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    allegro.send_outcomes = [allegro_error(ConflictError, code="THREAD_CLOSED",
                                           user_message="Nie można dodać wiadomości do zamkniętego wątku.")]
    box = outbox(store, allegro, account_id)
    entry = box.enqueue(thread, "Odpowiedź")
    [result] = box.process()
    assert result == OutboxResult(entry, thread, OutboxState.FAILED, None, "REJECTED",
                                  "Nie można dodać wiadomości do zamkniętego wątku.")
    item = store.outbox_entry(entry)
    assert item is not None and item.state is OutboxState.FAILED and item.error_code == "REJECTED"
    assert box.process() == []  # a failed reply is not retried on its own


def test_failure_before_the_request_left_is_retried(allegro: FakeAllegro, store: Store, account_id: int,
                                                    fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    thread, other, _ = conversations
    allegro.send_outcomes = [allegro_error(NetworkError, code=None)]  # type: ignore[arg-type]
    box = outbox(store, allegro, account_id)
    box.enqueue(thread, "pierwsza")
    box.enqueue(other, "druga")
    results = box.process()
    assert [r.state for r in results] == [OutboxState.QUEUED]  # offline: the round ends there
    assert states(store, thread) == [OutboxState.QUEUED] and states(store, other) == [OutboxState.QUEUED]
    results = box.process()
    assert [r.state for r in results] == [OutboxState.SENT, OutboxState.SENT]
    assert allegro.counts[SEND] == 3


def test_uncertain_send_that_arrived_is_not_sent_again(allegro: FakeAllegro, store: Store, account_id: int,
                                                       fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    allegro.send_outcomes = [("delivered", allegro_error(OutcomeUnknownError, code=None))]  # type: ignore[list-item]
    box = outbox(store, allegro, account_id)
    entry = box.enqueue(thread, "Zwrot przyjęty, pieniądze wrócą w 3 dni.")
    assert [r.state for r in box.process()] == [OutboxState.UNCERTAIN]
    results = box.process()
    assert [r.state for r in results] == [OutboxState.SENT]
    assert allegro.counts[SEND] == 1
    assert seller_texts(allegro, thread) == ["Zwrot przyjęty, pieniądze wrócą w 3 dni."]
    item = store.outbox_entry(entry)
    assert item is not None and item.remote_message_id in store.message_ids(thread)


def test_uncertain_send_that_did_not_arrive_is_queued_and_sent(allegro: FakeAllegro, store: Store, account_id: int,
                                                               fake_time: FakeTime,
                                                               conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    allegro.send_outcomes = [allegro_error(ServerError, code="INTERNAL_SERVER_ERROR", status=503)]
    box = outbox(store, allegro, account_id)
    box.enqueue(thread, "Proszę o numer zamówienia.")
    assert [r.state for r in box.process()] == [OutboxState.UNCERTAIN]
    results = box.process()
    assert [r.state for r in results] == [OutboxState.QUEUED, OutboxState.SENT]  # re-read proved it absent
    assert seller_texts(allegro, thread) == ["Proszę o numer zamówienia."]


def test_uncertain_stays_uncertain_when_the_reread_fails(allegro: FakeAllegro, store: Store, account_id: int,
                                                         fake_time: FakeTime,
                                                         conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    allegro.send_outcomes = [allegro_error(OutcomeUnknownError, code=None)]  # type: ignore[arg-type]
    box = outbox(store, allegro, account_id)
    entry = box.enqueue(thread, "Tekst")
    box.process()
    allegro.reread_error = allegro_error(NetworkError, code=None)  # type: ignore[arg-type]
    for _ in range(3):
        results = box.process()
        assert [r.state for r in results] == [OutboxState.UNCERTAIN]
    assert allegro.counts[SEND] == 1
    item = store.outbox_entry(entry)
    assert item is not None and item.state is OutboxState.UNCERTAIN


def test_same_text_sent_earlier_does_not_settle_a_new_reply(allegro: FakeAllegro, store: Store, account_id: int,
                                                             fake_time: FakeTime,
                                                             conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    box = outbox(store, allegro, account_id)
    box.enqueue(thread, "OK")
    box.process()  # sent, and matched to the first entry
    allegro.send_outcomes = [allegro_error(OutcomeUnknownError, code=None)]  # type: ignore[arg-type]
    box.enqueue(thread, "OK")
    box.process()
    results = box.process()
    assert [r.state for r in results] == [OutboxState.QUEUED, OutboxState.SENT]
    assert seller_texts(allegro, thread) == ["OK", "OK"]


def test_an_arrived_send_is_recognised_when_the_pc_clock_runs_fast(allegro: FakeAllegro, store: Store,
                                                                    account_id: int, fake_time: FakeTime,
                                                                    conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    allegro.send_outcomes = [("delivered", allegro_error(OutcomeUnknownError, code=None))]  # type: ignore[list-item]
    box = Outbox(store=store, client=allegro, account_id=account_id,  # type: ignore[arg-type]
                 wall_clock=lambda: allegro.now + timedelta(minutes=10),
                 author_login="shop")
    entry = box.enqueue(thread, "Paczka wyszła dziś.")
    assert [r.state for r in box.process()] == [OutboxState.UNCERTAIN]
    # A sync stores the arrived message before the check: stored after the send started, it still counts.
    store.store_conversation(account_id, allegro.threads[thread].summary, allegro.threads[thread].messages)
    assert [r.state for r in box.process()] == [OutboxState.SENT]
    assert allegro.counts[SEND] == 1
    assert seller_texts(allegro, thread) == ["Paczka wyszła dziś."]
    item = store.outbox_entry(entry)
    assert item is not None and item.remote_message_id in store.message_ids(thread)


def test_an_identical_text_stored_before_the_send_is_not_its_arrival(allegro: FakeAllegro, store: Store,
                                                                     account_id: int, fake_time: FakeTime,
                                                                     conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    # The same words written moments earlier on allegro.pl (so within any clock tolerance), already synced.
    allegro.send_message(thread, allegro.threads[thread].summary.kind, "Dziękuję")
    store.store_conversation(account_id, allegro.threads[thread].summary, allegro.threads[thread].messages)
    sends_before = allegro.counts[SEND]
    allegro.send_outcomes = [allegro_error(OutcomeUnknownError, code=None)]  # type: ignore[list-item]
    box = outbox(store, allegro, account_id)
    box.enqueue(thread, "Dziękuję")
    assert [r.state for r in box.process()] == [OutboxState.UNCERTAIN]
    assert [r.state for r in box.process()] == [OutboxState.QUEUED, OutboxState.SENT]
    assert allegro.counts[SEND] - sends_before == 2
    assert seller_texts(allegro, thread) == ["Dziękuję", "Dziękuję"]


def test_an_entry_marked_sending_before_the_upgrade_keeps_the_time_bound(allegro: FakeAllegro, store: Store,
                                                                         account_id: int, fake_time: FakeTime,
                                                                         conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    entry = store.add_outbox_entry(account_id, thread, "Sprzed aktualizacji")
    store.mark_outbox_sending(entry, allegro.now)
    allegro.send_message(thread, allegro.threads[thread].summary.kind, "Sprzed aktualizacji")
    with store.engine.begin() as connection:  # as revision 0005 leaves a row that was already sending
        connection.execute(text("UPDATE outbox SET messages_rowid_before = NULL WHERE id = :id"), {"id": entry})
    sends_before = allegro.counts[SEND]
    results = outbox(store, allegro, account_id).process()
    assert [r.state for r in results] == [OutboxState.SENT]
    assert allegro.counts[SEND] == sends_before


def test_restart_with_a_send_in_flight(allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime,
                                       conversations: tuple[str, str, str]) -> None:
    thread, other, _ = conversations
    crashed = outbox(store, allegro, account_id)
    arrived = crashed.enqueue(thread, "Wysłane przed awarią")
    lost = crashed.enqueue(other, "Nie doszło przed awarią")
    # The previous run marked both as sending, the first reached Allegro, then the program died.
    store.mark_outbox_sending(arrived, allegro.now)
    store.mark_outbox_sending(lost, allegro.now)
    allegro.send_message(thread, allegro.threads[thread].summary.kind, "Wysłane przed awarią")
    sends_before = allegro.counts[SEND]

    restarted = outbox(store, allegro, account_id)
    assert restarted.recover_interrupted() == 2
    assert states(store, thread) == [OutboxState.UNCERTAIN]
    results = {r.entry_id: r.state for r in restarted.process()}
    assert results[arrived] is OutboxState.SENT
    assert states(store, other) == [OutboxState.SENT]
    assert allegro.counts[SEND] - sends_before == 1  # only the reply that never arrived
    assert seller_texts(allegro, thread) == ["Wysłane przed awarią"]


def test_recovery_happens_on_the_first_round_too(allegro: FakeAllegro, store: Store, account_id: int,
                                                 fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    entry = store.add_outbox_entry(account_id, thread, "zawieszone")
    store.mark_outbox_sending(entry, allegro.now)
    results = outbox(store, allegro, account_id).process()
    assert [r.state for r in results] == [OutboxState.QUEUED, OutboxState.SENT]


def test_order_within_a_conversation_is_kept(allegro: FakeAllegro, store: Store, account_id: int,
                                             fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    thread, other, _ = conversations
    allegro.send_outcomes = [allegro_error(OutcomeUnknownError, code=None)]  # type: ignore[arg-type]
    box = outbox(store, allegro, account_id)
    box.enqueue(thread, "najpierw to")
    box.enqueue(thread, "potem to")
    box.enqueue(other, "inny wątek")
    allegro.reread_error = allegro_error(NetworkError, code=None)  # type: ignore[arg-type]
    results = box.process()
    assert [(r.conversation_id, r.state) for r in results] == [(thread, OutboxState.UNCERTAIN),
                                                                (other, OutboxState.SENT)]
    assert states(store, thread) == [OutboxState.UNCERTAIN, OutboxState.QUEUED]  # the second waits
    assert box.process() and states(store, thread) == [OutboxState.UNCERTAIN, OutboxState.QUEUED]
    allegro.reread_error = None
    box.process()
    assert states(store, thread) == [OutboxState.SENT, OutboxState.SENT]
    assert seller_texts(allegro, thread) == ["najpierw to", "potem to"]


def test_signed_out_keeps_the_reply_and_says_so(allegro: FakeAllegro, store: Store, account_id: int,
                                                fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    thread = conversations[0]
    allegro.send_outcomes = [allegro_error(AuthError, code="invalid_token")]
    box = outbox(store, allegro, account_id)
    box.enqueue(thread, "x")
    with pytest.raises(AuthError):
        box.process()
    assert states(store, thread) == [OutboxState.QUEUED]


def test_length_limits_depend_on_the_kind(allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime,
                                          conversations: tuple[str, str, str]) -> None:
    thread, _, issue = conversations
    box = outbox(store, allegro, account_id)
    box.enqueue(thread, "a" * 2000)
    with pytest.raises(ValueError, match="2000"):
        box.enqueue(thread, "a" * 2001)
    box.enqueue(issue, "a" * 20000)
    with pytest.raises(ValueError, match="20000"):
        box.enqueue(issue, "a" * 20001)
    with pytest.raises(ValueError, match="empty"):
        box.enqueue(thread, "  \n ")
    assert len(store.due_outbox_entries(account_id)) == 2


def test_validation_error_from_allegro_fails_the_entry(allegro: FakeAllegro, store: Store, account_id: int,
                                                       fake_time: FakeTime,
                                                       conversations: tuple[str, str, str]) -> None:
    issue = conversations[2]
    allegro.send_outcomes = [allegro_error(ValidationError, code="VALIDATION_ERROR", user_message="Zła treść")]
    box = outbox(store, allegro, account_id)
    box.enqueue(issue, "treść")
    [result] = box.process()
    assert (result.state, result.error_code, result.error_message) == (OutboxState.FAILED, "REJECTED",
                                                                       "Zła treść")


@pytest.mark.parametrize("answer", ["empty", "without the newest stored message"])
def test_a_reread_that_cannot_be_the_whole_conversation_settles_nothing(
    allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime, conversations: tuple[str, str, str],
    answer: str,
) -> None:
    """A delivered reply must not be sent again because the re-read came back empty or cut short."""
    thread = conversations[0]
    allegro.send_outcomes = [("delivered", allegro_error(OutcomeUnknownError, code=None))]  # type: ignore[list-item]
    box = outbox(store, allegro, account_id)
    entry_text = "Wysłaliśmy paczkę kurierem."
    entry = box.enqueue(thread, entry_text)
    assert [r.state for r in box.process()] == [OutboxState.UNCERTAIN]
    real = allegro.conversation_messages

    def broken(summary: object) -> MessageList:
        whole = real(summary)  # type: ignore[arg-type]
        if answer == "empty":
            return MessageList(())
        # Cut short: an older page only, without the message stored before the send nor the reply after it.
        older = replace(whole.messages[0], id="older-page", role=Role.SELLER, text="Dzień dobry!",
                        created_at=whole.messages[0].created_at - timedelta(days=1))
        return MessageList((older,))

    allegro.conversation_messages = broken  # type: ignore[method-assign]
    for _ in range(2):
        assert [r.state for r in box.process()] == [OutboxState.UNCERTAIN]
    assert allegro.counts[SEND] == 1
    allegro.conversation_messages = real  # type: ignore[method-assign]
    assert [r.state for r in box.process()] == [OutboxState.SENT]
    assert allegro.counts[SEND] == 1
    item = store.outbox_entry(entry)
    assert item is not None and item.state is OutboxState.SENT


# -- what is stored about a failure: a kind's code and Allegro's own words, never a sentence of ours -------------


def _stored_failure(store: Store, entry_id: int) -> tuple[OutboxState, str | None, str | None]:
    item = store.outbox_entry(entry_id)
    assert item is not None
    return item.state, item.error_code, item.error_message


@pytest.mark.parametrize(("error", "expected"), [
    (allegro_error(ConflictError, code="THREAD_CLOSED", user_message="Wątek jest zamknięty."),
     (OutboxState.FAILED, "REJECTED", "Wątek jest zamknięty.")),
    (ValidationError("Allegro answered 422", status=422, code="VALIDATION_ERROR"),
     (OutboxState.FAILED, "REJECTED", None)),
    (NetworkError("could not reach Allegro (ConnectError)"), (OutboxState.QUEUED, "OFFLINE", None)),
    (AuthError("the access token was rejected and cannot be refreshed", status=401),
     (OutboxState.QUEUED, "SIGN_IN_NEEDED", None)),
    (ServerError("Allegro answered 503", status=503), (OutboxState.UNCERTAIN, "UNAVAILABLE", None)),
    (OutcomeUnknownError("no answer after the request was written"),
     (OutboxState.UNCERTAIN, "OUTCOME_UNKNOWN", None)),
    (RuntimeError("the client blew up"), (OutboxState.UNCERTAIN, "BUG", None)),
])
def test_a_failed_send_stores_its_kind_and_only_allegros_words(
    allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime, conversations: tuple[str, str, str],
    error: BaseException, expected: tuple[OutboxState, str, str | None],
) -> None:
    allegro.send_outcomes = [error]
    box = outbox(store, allegro, account_id)
    entry = box.enqueue(conversations[0], "Odpowiedź")
    try:
        [result] = box.process()
    except AuthError:
        result = None
    assert _stored_failure(store, entry) == expected
    if result is not None:
        assert (result.state, result.error_code, result.error_message) == expected


def test_a_send_found_missing_by_the_reread_is_queued_with_a_code(
    allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime, conversations: tuple[str, str, str]
) -> None:
    allegro.send_outcomes = [allegro_error(OutcomeUnknownError, code=None)]  # type: ignore[arg-type]
    box = outbox(store, allegro, account_id)
    entry = box.enqueue(conversations[0], "Odpowiedź")
    box.process()
    first_check_only = [False]  # settle the uncertain reply, then stop before sending anything
    [result] = box.process(lambda: first_check_only.pop() if first_check_only else True)  # not found by the re-read
    assert (result.state, result.error_code, result.error_message) == (OutboxState.QUEUED, "NOT_DELIVERED", None)
    assert _stored_failure(store, entry) == (OutboxState.QUEUED, "NOT_DELIVERED", None)


def test_a_reply_interrupted_by_a_crash_stores_no_sentence(
    allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime, conversations: tuple[str, str, str]
) -> None:
    box = outbox(store, allegro, account_id)
    entry = box.enqueue(conversations[0], "Odpowiedź")
    assert store.mark_outbox_sending(entry, allegro.now)
    assert store.recover_interrupted_sends(account_id) == 1
    assert _stored_failure(store, entry) == (OutboxState.UNCERTAIN, "INTERRUPTED", None)


def test_a_bench_that_does_not_lead_sends_nothing_and_one_that_loses_the_lead_stops(
        allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime,
        conversations: tuple[str, str, str]) -> None:
    """Team mode: the queue is shared; only the leading bench sends it, and not one reply more once it lost the lead."""
    first, second, _issue = conversations
    leading = [False]
    box = Outbox(store=store, client=allegro, account_id=account_id,  # type: ignore[arg-type]
                 wall_clock=lambda: allegro.now, author_login="shop", leads=lambda: leading[0])
    box.enqueue(first, "Pierwsza odpowiedź.")
    box.enqueue(second, "Druga odpowiedź.")
    assert box.process() == [] and seller_texts(allegro, first) == seller_texts(allegro, second) == []
    leading[0] = True
    allegro.on_send.append(lambda _cid, _text: leading.__setitem__(0, False))  # the lead lapses during a send
    results = box.process()
    assert [r.state for r in results] == [OutboxState.SENT]
    sent = seller_texts(allegro, first) + seller_texts(allegro, second)
    assert sent == ["Pierwsza odpowiedź."] or sent == ["Druga odpowiedź."]
    assert sorted(states(store, first) + states(store, second), key=lambda s: s.value) == sorted(
        [OutboxState.SENT, OutboxState.QUEUED], key=lambda s: s.value)


def test_a_queued_reply_keeps_who_wrote_it(allegro: FakeAllegro, store: Store, account_id: int,
                                           fake_time: FakeTime, conversations: tuple[str, str, str]) -> None:
    box = Outbox(store=store, client=allegro, account_id=account_id,  # type: ignore[arg-type]
                 wall_clock=lambda: allegro.now, author_login="shop", author="Ania @ Stanowisko 1")
    entry = box.enqueue(conversations[0], "Paczka wyszła dziś rano.")
    [result] = box.process()
    item = store.outbox_entry(entry)
    assert item is not None and item.author == "Ania @ Stanowisko 1"
    assert item.remote_message_id == result.remote_message_id  # the sent message's card finds it by this
