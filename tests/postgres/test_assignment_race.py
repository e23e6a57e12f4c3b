"""Two benches at once on one team store: a take and a reply, two takes; the database decides, never both."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, SubKind
from magazyn_desktop.store.records import AssigneeOnly
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.store_address import parse_store_address

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

THREAD = "T1".ljust(43, "x")
ACCOUNT = 1


@pytest.fixture
def benches(accounts_url: str) -> Iterator[tuple[Store, Store]]:
    first, second = (Store.open_team(parse_store_address(accounts_url)) for _ in range(2))
    first.upsert_conversation(ACCOUNT, ConversationSummary(
        id=THREAD, kind=Kind.THREAD, sub_kind=SubKind.COMMON,
        last_activity_at=datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc), interlocutor_login="kupujacy"))
    yield first, second
    first.close()
    second.close()


def _wait_for_a_lock_wait(admin: psycopg.Connection) -> None:
    deadline = time.monotonic() + 10
    while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock'").fetchone() == (0,):
        assert time.monotonic() < deadline, "the reply never waited for the take"
        time.sleep(0.02)


def test_a_reply_queued_while_another_bench_takes_the_conversation_waits_and_is_refused(
        benches: tuple[Store, Store], accounts_url: str) -> None:
    bench, _other = benches
    bench.set_only_assignee_sends(ACCOUNT, True)
    with psycopg.connect(accounts_url, autocommit=True) as admin, psycopg.connect(accounts_url) as taker:
        # Ania's bench takes it; its transaction has not committed yet when Bartek's reply is queued.
        taker.execute("UPDATE conversations SET assignee = 'Ania' WHERE id = %s", (THREAD,))
        with ThreadPoolExecutor(1) as pool:
            queued = pool.submit(bench.add_outbox_entry, ACCOUNT, THREAD, "od Bartka", person="Bartek")
            _wait_for_a_lock_wait(admin)
            taker.commit()
            with pytest.raises(AssigneeOnly) as refused:
                queued.result(timeout=10)
        assert refused.value.assignee == "Ania"
        assert admin.execute("SELECT count(*) FROM outbox").fetchone() == (0,)


def test_two_benches_taking_one_conversation_at_once_give_it_to_one(benches: tuple[Store, Store]) -> None:
    first, second = benches
    for _round in range(10):
        first.hand_conversation(THREAD, "nikt")
        first.release_conversation(THREAD, "nikt")
        start = threading.Barrier(2)

        def take(store: Store, person: str) -> bool:
            start.wait()
            return store.take_conversation(THREAD, person).changed

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(take, (first, second), ("Ania", "Bartek")))
        assert sorted(results) == [False, True]
