"""The shared outbox on a team's store: the leader's writes (the outbox's and claim decisions' moves, the sync's
stores) checked against its lease in their own transaction, senders claiming replies without meeting, and a new
leader settling what a dead one left in `sending`. Real elections on the real server, the fake Allegro."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from magazyn_desktop.allegro.models import MessageList  # noqa: E402
from magazyn_desktop.domain.claim_decision import DecisionChoice  # noqa: E402
from magazyn_desktop.domain.records import ConversationSummary, Order, SentMessage  # noqa: E402
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, Role  # noqa: E402
from magazyn_desktop.store.leader_election import LeaderElection  # noqa: E402
from magazyn_desktop.store.records import OutboxItem  # noqa: E402
from magazyn_desktop.store.repository import Store  # noqa: E402
from magazyn_desktop.store.store_address import parse_store_address  # noqa: E402
from magazyn_desktop.sync.claim_decisions import ClaimDecisions  # noqa: E402
from magazyn_desktop.sync.engine import SyncEngine  # noqa: E402
from magazyn_desktop.sync.order_prefetch import OrderPrefetch  # noqa: E402
from magazyn_desktop.sync.outbox import Outbox  # noqa: E402

from tests.sync.fakes import FakeAllegro, thread_id  # noqa: E402

ACCOUNT = 1  # tests/postgres/conftest.py's accounts_url has accounts 1 and 2
ORDER = "29b5d6a0-9f0c-11f0-8000-000000000001"


@pytest.fixture
def store(accounts_url: str) -> Iterator[Store]:
    opened = Store.open_team(parse_store_address(accounts_url))
    yield opened
    opened.close()


@pytest.fixture
def admin(accounts_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(accounts_url, autocommit=True, connect_timeout=10) as connection:
        yield connection


@pytest.fixture
def make_election(accounts_url: str) -> Iterator[Callable[[str], LeaderElection]]:
    made: list[LeaderElection] = []

    def make(name: str) -> LeaderElection:
        election = LeaderElection.for_url(accounts_url, holder=uuid.uuid4().hex, holder_name=f"{name} @ test",
                                          lease=timedelta(seconds=10), takeover_grace=timedelta(seconds=2))
        made.append(election)
        return election

    yield make
    for election in made:
        election.close()


@pytest.fixture
def allegro() -> FakeAllegro:
    return FakeAllegro()


@pytest.fixture
def threads(allegro: FakeAllegro, store: Store) -> tuple[str, str]:
    first = allegro.add_thread(1, minutes_ago=5)
    second = allegro.add_thread(2, minutes_ago=6)
    for conversation_id in (first, second):
        conversation = allegro.threads[conversation_id]
        store.store_conversation(ACCOUNT, conversation.summary, conversation.messages)
    return first, second


def leading_outbox(store: Store, allegro: FakeAllegro, election: LeaderElection) -> Outbox:
    """The outbox of a bench whose election is `election`, as the backend builds it in team mode."""
    return Outbox(store=store, client=allegro, account_id=ACCOUNT,  # type: ignore[arg-type]
                  wall_clock=lambda: allegro.now, author_login="sklep",
                  leads=lambda: ACCOUNT in election.fences, fence=lambda: election.fences.get(ACCOUNT))


class FakeClaims:
    """Allegro's claim status, as the decisions' client sees it: what was posted, and what a re-read finds."""

    def __init__(self, allegro: FakeAllegro) -> None:
        self.allegro = allegro
        self.posted: list[tuple[str, DecisionChoice]] = []
        self.reads = 0

    def change_claim_status(self, issue_id: str, status: DecisionChoice, message: str,
                            partial_refund: object) -> None:
        self.posted.append((issue_id, status))
        self.allegro.decide_issue(issue_id, status.issue_status)

    def get_issue(self, issue_id: str) -> ConversationSummary:
        self.reads += 1
        return self.allegro.issues[issue_id].summary


def leading_decisions(store: Store, claims: FakeClaims, election: LeaderElection) -> ClaimDecisions:
    return ClaimDecisions(store=store, client=claims, account_id=ACCOUNT,
                          wall_clock=lambda: claims.allegro.now,
                          leads=lambda: ACCOUNT in election.fences, fence=lambda: election.fences.get(ACCOUNT))


def take_the_lease_over(admin: psycopg.Connection) -> None:
    """Another bench took the account's lease, unknown to the leader's election until its next poll."""
    admin.execute("UPDATE account_leases SET holder = 'another-bench', fence = fence + 1 WHERE account_id = %s",
                  (ACCOUNT,))


def expire_the_lease(admin: psycopg.Connection) -> None:
    """The lease ran out by the database's clock (a leader asleep, its renewals stopped)."""
    admin.execute("UPDATE account_leases SET expires_at = (clock_timestamp() AT TIME ZONE 'UTC') - interval '1 second'"
                  " WHERE account_id = %s", (ACCOUNT,))


def states(store: Store, conversation_id: str) -> list[OutboxState]:
    return [entry.state for entry in store.outbox_for_conversation(conversation_id)]


def seller_texts(allegro: FakeAllegro, conversation_id: str) -> list[str]:
    return [m.text for m in allegro.threads[conversation_id].messages if m.role is Role.SELLER]


@pytest.mark.parametrize("lapse", [take_the_lease_over, expire_the_lease], ids=["taken-over", "expired"])
def test_a_leader_whose_lease_lapsed_unknown_to_it_moves_no_entry_and_sends_nothing(
        store: Store, allegro: FakeAllegro, threads: tuple[str, str], admin: psycopg.Connection,
        make_election: Callable[[str], LeaderElection], lapse: Callable[[psycopg.Connection], None]) -> None:
    election = make_election("Ania")
    assert ACCOUNT in election.poll([ACCOUNT])
    box = leading_outbox(store, allegro, election)
    first, second = threads
    box.enqueue(first, "Paczka wyszła dziś rano.")
    box.enqueue(second, "Zwrot przyjęty.")
    lapse(admin)

    assert box.process() == []
    assert allegro.sent == []
    assert states(store, first) == states(store, second) == [OutboxState.QUEUED]
    assert [entry.attempts for entry in store.pending_outbox_entries(ACCOUNT)] == [0, 0]


def test_a_leader_deposed_during_a_send_records_nothing_more_and_sends_no_other_reply(
        store: Store, allegro: FakeAllegro, threads: tuple[str, str], admin: psycopg.Connection,
        make_election: Callable[[str], LeaderElection]) -> None:
    election = make_election("Ania")
    assert ACCOUNT in election.poll([ACCOUNT])
    box = leading_outbox(store, allegro, election)
    first, second = threads
    box.enqueue(first, "Paczka wyszła dziś rano.")
    box.enqueue(second, "Zwrot przyjęty.")
    allegro.on_send.append(lambda _conversation, _text: take_the_lease_over(admin))

    box.process()
    # The reply in flight left; its outcome is for the new leader to settle by reading the conversation back.
    assert allegro.sent == [(first, "Paczka wyszła dziś rano.")]
    assert states(store, first) == [OutboxState.SENDING]
    assert states(store, second) == [OutboxState.QUEUED]


def test_a_claim_decision_of_a_leader_whose_lease_was_taken_over_is_not_sent(
        store: Store, allegro: FakeAllegro, admin: psycopg.Connection,
        make_election: Callable[[str], LeaderElection]) -> None:
    issue = allegro.add_issue(3, minutes_ago=7)
    store.store_conversation(ACCOUNT, allegro.issues[issue].summary, allegro.issues[issue].messages)
    election = make_election("Ania")
    assert ACCOUNT in election.poll([ACCOUNT])
    claims = FakeClaims(allegro)
    decisions = leading_decisions(store, claims, election)
    decision_id = decisions.decide(issue, DecisionChoice.ACCEPTED_REFUND, "Zwracamy pieniądze.")
    take_the_lease_over(admin)

    assert decisions.process() == []
    assert claims.posted == []
    item = store.claim_decision(decision_id)
    assert item is not None and item.state is OutboxState.QUEUED and item.attempts == 0


class SerialAllegro(FakeAllegro):
    """The fake Allegro for senders on several threads: one send at a time, as its bookkeeping needs; `before_send`
    runs first, outside that lock (a send held up there does not hold up the others)."""

    def __init__(self) -> None:
        super().__init__()
        self._sending = threading.Lock()
        self.before_send: Callable[[str, str], None] = lambda _conversation, _text: None

    def send_message(self, conversation_id: str, *args: Any, **kwargs: Any) -> SentMessage:
        self.before_send(conversation_id, args[1])
        with self._sending:
            return super().send_message(conversation_id, *args, **kwargs)


def _queued_replies(store: Store, allegro: FakeAllegro, count: int) -> dict[str, list[str]]:
    """Three conversations with `count` replies each, queued in turns; the texts by conversation, in order."""
    conversations = [allegro.add_thread(n, minutes_ago=n) for n in range(1, 4)]
    for conversation_id in conversations:
        fake = allegro.threads[conversation_id]
        store.store_conversation(ACCOUNT, fake.summary, fake.messages)
    written = {conversation_id: [f"odpowiedź {n} do {conversation_id[:4]}" for n in range(count)]
               for conversation_id in conversations}
    queue = Outbox(store=store, client=allegro, account_id=ACCOUNT)  # type: ignore[arg-type]
    for n in range(count):
        for conversation_id in conversations:
            queue.enqueue(conversation_id, written[conversation_id][n])
    return written


def _each_sent_once_in_order(store: Store, allegro: FakeAllegro, written: dict[str, list[str]]) -> None:
    for conversation_id, texts in written.items():
        assert [text for cid, text in allegro.sent if cid == conversation_id] == texts
        entries = store.outbox_for_conversation(conversation_id)
        assert [(e.state, e.attempts) for e in entries] == [(OutboxState.SENT, 1)] * len(texts)


def test_a_sender_passes_over_a_conversation_whose_older_reply_another_sender_is_sending(
        accounts_url: str, store: Store) -> None:
    allegro = SerialAllegro()
    written = _queued_replies(store, allegro, 2)
    first_conversation = next(iter(written))
    second_store = Store.open_team(parse_store_address(accounts_url))  # another bench: its own connections
    # Both believe they lead (no fence): only the claim keeps them apart.
    sender_a = Outbox(store=store, client=allegro, account_id=ACCOUNT)  # type: ignore[arg-type]
    sender_b = Outbox(store=second_store, client=allegro, account_id=ACCOUNT)  # type: ignore[arg-type]
    a_is_sending, b_has_gone_round = threading.Event(), threading.Event()

    def hold_the_first_send(_conversation: str, _text: str) -> None:
        if not a_is_sending.is_set():
            a_is_sending.set()
            assert b_has_gone_round.wait(timeout=30)

    allegro.before_send = hold_the_first_send
    # Each has settled what it found at its start, so B's round takes A's send in flight for what it is.
    assert sender_a.recover_interrupted() == sender_b.recover_interrupted() == 0
    a_round = threading.Thread(target=sender_a.process)
    try:
        a_round.start()
        assert a_is_sending.wait(timeout=30)
        b_results = sender_b.process()  # while A's first reply is in flight
        b_has_gone_round.set()
        a_round.join(timeout=30)
        assert not a_round.is_alive()
        assert first_conversation not in {result.conversation_id for result in b_results}
        sender_b.process()
    finally:
        b_has_gone_round.set()
        second_store.close()
    _each_sent_once_in_order(store, allegro, written)


def test_two_senders_racing_send_each_reply_exactly_once_and_in_order(accounts_url: str, store: Store) -> None:
    allegro = SerialAllegro()
    written = _queued_replies(store, allegro, 5)
    second_store = Store.open_team(parse_store_address(accounts_url))
    senders = [Outbox(store=each, client=allegro, account_id=ACCOUNT)  # type: ignore[arg-type]
               for each in (store, second_store)]
    start = threading.Barrier(len(senders))
    failures: list[BaseException] = []

    def send_all(sender: Outbox) -> None:
        try:
            start.wait()
            while store.pending_outbox_entries(ACCOUNT):
                sender.process()
        except BaseException as error:  # noqa: BLE001  (reported by the test below)
            failures.append(error)

    threads = [threading.Thread(target=send_all, args=(sender,)) for sender in senders]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        second_store.close()
    assert not any(thread.is_alive() for thread in threads) and failures == []
    _each_sent_once_in_order(store, allegro, written)


def test_a_claim_passes_over_a_reply_another_sender_holds_and_its_conversations_later_ones(
        accounts_url: str, store: Store, allegro: FakeAllegro, threads: tuple[str, str]) -> None:
    first, second = threads
    queue = Outbox(store=store, client=allegro, account_id=ACCOUNT)  # type: ignore[arg-type]
    held = queue.enqueue(first, "pierwsza")
    queue.enqueue(first, "druga, po pierwszej")
    other = queue.enqueue(second, "do drugiej rozmowy")
    claimed: list[OutboxItem | None] = []
    with psycopg.connect(accounts_url, connect_timeout=10) as other_sender:  # its claim's transaction, still open
        other_sender.execute("SELECT id FROM outbox WHERE id = %s FOR UPDATE", (held,))
        claiming = threading.Thread(target=lambda: claimed.append(store.claim_next_outbox_entry(ACCOUNT)))
        claiming.start()
        claiming.join(timeout=10)
        finished = not claiming.is_alive()
        other_sender.rollback()
    claiming.join(timeout=10)
    assert finished, "the claim waited for the row another sender holds"
    assert [item.id if item else None for item in claimed] == [other]
    assert states(store, second) == [OutboxState.SENDING]
    assert states(store, first) == [OutboxState.QUEUED, OutboxState.QUEUED]


@pytest.mark.parametrize("arrived", [True, False], ids=["arrived", "lacking"])
def test_a_new_leader_settles_what_a_dead_leader_left_sending_by_reading_the_conversation_back(
        store: Store, allegro: FakeAllegro, threads: tuple[str, str],
        make_election: Callable[[str], LeaderElection], arrived: bool) -> None:
    first, _second = threads
    bench_a, bench_b = make_election("Ania"), make_election("Bartek")
    box_b = leading_outbox(store, allegro, bench_b)
    assert ACCOUNT in bench_b.poll([ACCOUNT])
    assert box_b.process() == []  # B led once already (its first round's settling is behind it)
    bench_b.poll([])  # B gives the account up; A leads
    assert ACCOUNT in bench_a.poll([ACCOUNT])
    entry = Outbox(store=store, client=allegro, account_id=ACCOUNT).enqueue(first, "Paczka wyszła.")  # type: ignore[arg-type]
    claimed = store.claim_next_outbox_entry(ACCOUNT, allegro.now, fence=bench_a.fences[ACCOUNT])
    assert claimed is not None and claimed.id == entry
    if arrived:
        allegro.send_message(first, Kind.THREAD, "Paczka wyszła.")  # A's send, before it died
    bench_a.close()  # A dies; B takes the lease with the next fence
    assert ACCOUNT in bench_b.poll([ACCOUNT])
    rereads = allegro.counts["reread"]

    results = box_b.process()
    assert allegro.counts["reread"] == rereads + 1  # settled by reading the conversation back
    if arrived:
        assert [r.state for r in results] == [OutboxState.SENT]
    else:
        assert [r.state for r in results] == [OutboxState.QUEUED, OutboxState.SENT]  # then sent once, by B
    assert seller_texts(allegro, first) == ["Paczka wyszła."]
    assert states(store, first) == [OutboxState.SENT]


def test_a_new_leader_settles_a_claim_decision_a_dead_leader_left_sending(
        store: Store, allegro: FakeAllegro, make_election: Callable[[str], LeaderElection]) -> None:
    issue = allegro.add_issue(3, minutes_ago=7)
    store.store_conversation(ACCOUNT, allegro.issues[issue].summary, allegro.issues[issue].messages)
    claims = FakeClaims(allegro)
    bench_a, bench_b = make_election("Ania"), make_election("Bartek")
    decisions_b = leading_decisions(store, claims, bench_b)
    assert ACCOUNT in bench_b.poll([ACCOUNT])
    assert decisions_b.process() == []
    bench_b.poll([])
    assert ACCOUNT in bench_a.poll([ACCOUNT])
    decision_id = decisions_b.decide(issue, DecisionChoice.ACCEPTED_REFUND, "Zwracamy pieniądze.")
    assert store.mark_claim_decision_sending(decision_id, fence=bench_a.fences[ACCOUNT])
    claims.change_claim_status(issue, DecisionChoice.ACCEPTED_REFUND, "Zwracamy pieniądze.", None)  # it arrived
    bench_a.close()
    assert ACCOUNT in bench_b.poll([ACCOUNT])
    reads = claims.reads

    results = decisions_b.process()
    assert claims.reads == reads + 1
    assert [r.state for r in results] == [OutboxState.SENT]
    assert len(claims.posted) == 1  # A's post only: B did not decide the claim again


def _leading_sync(store: Store, allegro: FakeAllegro, election: LeaderElection) -> SyncEngine:
    return SyncEngine(client=allegro, store=store, account_id=ACCOUNT,  # type: ignore[arg-type]
                      wall_clock=lambda: allegro.now, max_workers=2,
                      leads=lambda: ACCOUNT in election.fences, fence=lambda: election.fences.get(ACCOUNT))


@pytest.mark.parametrize("lapse", [take_the_lease_over, expire_the_lease], ids=["taken-over", "expired"])
def test_a_leader_whose_lease_lapsed_stores_nothing_it_fetched_and_says_another_bench_leads(
        store: Store, allegro: FakeAllegro, admin: psycopg.Connection,
        make_election: Callable[[str], LeaderElection], lapse: Callable[[psycopg.Connection], None]) -> None:
    for n in range(1, 6):
        allegro.add_thread(n, minutes_ago=n)
    election = make_election("Ania")
    assert ACCOUNT in election.poll([ACCOUNT])
    lapse(admin)

    report = _leading_sync(store, allegro, election).run_once()
    assert report.led_elsewhere
    assert report.conversations_added == 0 and report.errors == []
    assert admin.execute("SELECT count(*) FROM conversations").fetchone() == (0,)
    assert admin.execute("SELECT count(*) FROM sync_cursors").fetchone() == (0,)
    assert admin.execute("SELECT count(*) FROM sync_schedule").fetchone() == (0,)


def test_a_leader_deposed_mid_sync_stores_nothing_more(
        store: Store, allegro: FakeAllegro, admin: psycopg.Connection,
        make_election: Callable[[str], LeaderElection]) -> None:
    for n in range(1, 6):
        allegro.add_thread(n, minutes_ago=n)
    election = make_election("Ania")
    assert ACCOUNT in election.poll([ACCOUNT])
    sync = _leading_sync(store, allegro, election)
    assert sync.run_once().conversations_added == 5
    for n in range(1, 6):
        allegro.buyer_writes(thread_id(n), f"a jeszcze {n}")
    original = allegro.thread_messages

    def deposed_while_fetching(conversation_id: str) -> MessageList:
        take_the_lease_over(admin)
        return original(conversation_id)

    allegro.thread_messages = deposed_while_fetching  # type: ignore[method-assign]
    report = sync.run_once()
    assert report.led_elsewhere and report.messages_added == 0
    assert admin.execute("SELECT count(*) FROM messages WHERE text LIKE 'a jeszcze%'").fetchone() == (0,)


class FakeOrders:
    """Allegro's orders for the prefetch: each asked for is there."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def get_order(self, order_id: str) -> Order:
        self.asked.append(order_id)
        return Order(id=order_id, buyer_login="buyer1", status="READY_FOR_PROCESSING", fulfillment_status="NEW",
                     delivery_method="Paczkomat")


def test_a_leader_whose_lease_was_taken_over_stores_no_order_it_looked_up(
        store: Store, allegro: FakeAllegro, admin: psycopg.Connection,
        make_election: Callable[[str], LeaderElection]) -> None:
    thread = allegro.add_thread(1, minutes_ago=5)
    fake = allegro.threads[thread]
    store.store_conversation(ACCOUNT, replace(fake.summary, order_id=ORDER), fake.messages)
    election = make_election("Ania")
    assert ACCOUNT in election.poll([ACCOUNT])
    orders = FakeOrders()
    prefetch = OrderPrefetch(client=orders, store=store, account_id=ACCOUNT,
                             leads=lambda: ACCOUNT in election.fences, fence=lambda: election.fences.get(ACCOUNT))
    take_the_lease_over(admin)

    report = prefetch.run()
    assert report.fetched == [] and report.stopped_by == "LeadershipLost"
    assert store.load_order(ORDER) is None
