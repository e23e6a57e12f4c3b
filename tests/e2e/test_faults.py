"""5xx bursts, dropped connections and truncated bodies while `sync --once` runs.

The sync either completes by retrying or ends with a clear error, and the cache is never half-written. The Store
writes a conversation's summary counters and its messages in one transaction (`store_conversation`), so the
invariant is: after any sync, faulty or not, every conversation is exactly as it was before that sync or exactly as
a clean sync leaves it -- its messages and its `remote_last_message_at` (the counter that tells the next sync it
changed) together, never a mix. A conversation left behind is fetched again by the next sync.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from magazyn_desktop.paths import DATABASE_NAME
from tests.e2e.conftest import Cache, Call, StandIn, as_sets, read_cache, sync_once

pytestmark = pytest.mark.slow

CHANGED = 20  # conversations that get a buyer message between the clean sync and the faulty one
FETCHES = ("GET /messaging/threads/{id}/messages", "GET /sale/issues/{id}/chat")


def _arm(stand_in: StandIn, where: str, switch_on: Callable[[], None]) -> list[int]:
    """Switch a fault on just before the stand-in answers a given request; returns where it happened."""
    fired: list[int] = []
    seen = {"fetches": 0}

    def due(call: Call) -> bool:
        if where == "listing":
            return call.method == "GET" and call.path == "/messaging/threads"
        if call.is_message_fetch:
            seen["fetches"] += 1
            return seen["fetches"] == 3
        return False

    def fire(call: Call) -> None:
        switch_on()
        fired.append(call.number)

    stand_in.hooks.add(due, fire)
    return fired


def _prepare(stand_in: StandIn, data_dir: Path) -> Cache:
    result, report = sync_once(stand_in, data_dir)
    assert result.returncode == 0 and report["errors"] == [], result.stderr[-3000:]
    changed = stand_in.demo.touch_random(CHANGED, seed=5)
    # Mostly threads (18 of 20): faults switched on at the third message fetch are all spent on thread fetches,
    # never on the issue listing that follows them, so every error names a conversation.
    assert sum(cid in stand_in.demo.data.threads for cid in changed) >= 15
    stand_in.demo.reset_counts()
    return read_cache(data_dir / DATABASE_NAME)


def _assert_whole_or_untouched(before: Cache, faulty: Cache, clean: Cache) -> list[str]:
    """Every conversation after the faulty sync is its state before it or its state after a clean sync; returns
    the ids that the faulty sync left behind."""
    left_behind = []
    assert set(faulty.messages) == set(before.messages) == set(clean.messages)
    for cid in before.messages:
        assert faulty.synced[cid], cid  # it was synced before; a failed sync never unsets that
        state = (as_sets({cid: faulty.messages[cid]}), faulty.remote_last[cid])
        old = (as_sets({cid: before.messages[cid]}), before.remote_last[cid])
        new = (as_sets({cid: clean.messages[cid]}), clean.remote_last[cid])
        assert state in (old, new), f"conversation {cid} is half-written"
        if state != new:
            left_behind.append(cid)
    return left_behind


def _clean_sync(stand_in: StandIn, data_dir: Path) -> Cache:
    stand_in.hooks.clear()
    stand_in.demo.faults.clear()
    result, report = sync_once(stand_in, data_dir)
    assert result.returncode == 0 and report["errors"] == [], (report, result.stderr[-3000:])
    clean = read_cache(data_dir / DATABASE_NAME)
    assert as_sets(clean.synced_conversations()) == as_sets(stand_in.conversations())
    return clean


def _burst_5xx(stand_in: StandIn, count: int) -> None:
    stand_in.demo.faults.burst_5xx(count, status=503)


def _drop(stand_in: StandIn, count: int) -> None:
    stand_in.demo.faults.drop_after_handling = True  # a read that took effect is still only a read
    stand_in.demo.faults.drop_connections = count


def _truncate(stand_in: StandIn, count: int) -> None:
    stand_in.demo.faults.truncate_bodies = count


@pytest.mark.parametrize("where", ["listing", "fetching"])
@pytest.mark.parametrize("fault", [_burst_5xx, _drop, _truncate], ids=["5xx burst", "dropped", "truncated"])
def test_short_fault_is_retried_and_the_sync_completes(stand_in: StandIn, data_dir: Path, where: str,
                                                       fault: Callable[[StandIn, int], None]) -> None:
    # At a listing the faults hit one request in a row (its backoff adds up); while fetching they spread over the
    # workers.
    count = 2 if where == "listing" else 3
    before = _prepare(stand_in, data_dir)
    fired = _arm(stand_in, where, lambda: fault(stand_in, count))

    result, report = sync_once(stand_in, data_dir)

    assert fired, "the fault was never switched on"
    assert result.returncode == 0, (report, result.stderr[-3000:])
    assert report["errors"] == [] and not report["offline"]
    assert "Traceback" not in result.stderr
    counts = stand_in.demo.request_counts()
    if where == "fetching":  # three fetches failed and were repeated; nothing else was
        assert sum(counts.get(name, 0) for name in FETCHES) == CHANGED + count, counts
    else:  # the first listing page failed twice in a row, then went through
        assert counts["GET /messaging/threads"] == 1 + count, counts
        assert sum(counts.get(name, 0) for name in FETCHES) == CHANGED, counts
    faulty = read_cache(data_dir / DATABASE_NAME)
    assert as_sets(faulty.synced_conversations()) == as_sets(stand_in.conversations())
    assert _assert_whole_or_untouched(before, faulty, _clean_sync(stand_in, data_dir)) == []


def test_connection_lost_for_good_is_a_clear_error_and_nothing_is_half_written(stand_in: StandIn,
                                                                              data_dir: Path) -> None:
    before = _prepare(stand_in, data_dir)

    def server_gone() -> None:
        stand_in.demo.faults.drop_after_handling = False
        stand_in.demo.faults.drop_connections = 1_000_000

    fired = _arm(stand_in, "fetching", server_gone)
    result, report = sync_once(stand_in, data_dir)

    assert fired
    assert result.returncode == 1
    assert report["offline"] is True and report["errors"]
    assert all("Allegro" in error for error in report["errors"]), report["errors"]
    assert "Traceback" not in result.stderr
    faulty = read_cache(data_dir / DATABASE_NAME)
    left_behind = _assert_whole_or_untouched(before, faulty, _clean_sync(stand_in, data_dir))
    assert left_behind  # the fault hit before the last changed conversation was fetched


def test_long_5xx_burst_completes_or_reports_and_nothing_is_half_written(stand_in: StandIn,
                                                                         data_dir: Path) -> None:
    """More 503s than one request's retries absorb: a conversation may fail, and says so; none is half-written."""
    before = _prepare(stand_in, data_dir)
    fired = _arm(stand_in, "fetching", lambda: stand_in.demo.faults.burst_5xx(12, status=503))
    result, report = sync_once(stand_in, data_dir)

    assert fired
    assert "Traceback" not in result.stderr
    faulty = read_cache(data_dir / DATABASE_NAME)
    left_behind = _assert_whole_or_untouched(before, faulty, _clean_sync(stand_in, data_dir))
    if result.returncode == 0:
        assert report["errors"] == [] and left_behind == []
    else:
        assert result.returncode == 1
        # One clear line per conversation that could not be read, naming it and Allegro's answer.
        assert len(report["errors"]) == len(left_behind) > 0, (report["errors"], left_behind)
        for cid in left_behind:
            assert any(cid in error and "503" in error for error in report["errors"]), (cid, report["errors"])
