"""The shared outbox on a team's store: the leader's moves checked against its lease in their own transaction, and a
new leader settling what a dead one left in `sending`. Real elections on the real server, the fake Allegro."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from magazyn_desktop.domain.claim_decision import DecisionChoice  # noqa: E402
from magazyn_desktop.domain.records import ConversationSummary  # noqa: E402
from magazyn_desktop.domain.vocabulary import OutboxState, Role  # noqa: E402
from magazyn_desktop.store.leader_election import LeaderElection  # noqa: E402
from magazyn_desktop.store.leadership import Fence  # noqa: E402
from magazyn_desktop.store.repository import Store  # noqa: E402
from magazyn_desktop.store.store_address import parse_store_address  # noqa: E402
from magazyn_desktop.sync.claim_decisions import ClaimDecisions  # noqa: E402
from magazyn_desktop.sync.outbox import Outbox  # noqa: E402

from tests.sync.fakes import FakeAllegro  # noqa: E402

ACCOUNT = 1  # tests/postgres/conftest.py's accounts_url has accounts 1 and 2


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
