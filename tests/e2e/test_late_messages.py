"""Late-published buyer messages, end to end: `sync --once` against the stand-in finds those below the cursor,
`sync --once --deep` those hidden behind a newer message; the server counts every request."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from magazyn_desktop.paths import DATABASE_NAME
from magazyn_desktop.sync.deep_pass import DEEP_PASS_LOOKBACK
from tests.e2e.conftest import StandIn, read_cache, sync_once
from tests.launch.helpers import run_app

pytestmark = pytest.mark.slow

THREADS_LIST = "GET /messaging/threads"
THREAD_MESSAGES = "GET /messaging/threads/{id}/messages"
ISSUES_LIST = "GET /sale/issues"


def _deep_sync(stand_in: StandIn, data_dir: Path) -> dict[str, object]:
    result = run_app(["sync", "--once", "--deep", "--data-dir", str(data_dir)], env=stand_in.env(), timeout=120)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0 and len(lines) == 1, (result.returncode, result.stdout, result.stderr[-3000:])
    report: dict[str, object] = json.loads(lines[0])
    return report


def _active_since(stand_in: StandIn, since: datetime) -> int:
    return sum(1 for t in stand_in.demo.data.threads.values() if t.last_message_at >= since)


def test_three_late_messages_of_each_kind_are_all_found(stand_in: StandIn, data_dir: Path) -> None:
    demo = stand_in.demo
    result, report = sync_once(stand_in, data_dir)
    assert result.returncode == 0 and report["errors"] == [], result.stderr[-3000:]

    newest_first = sorted(demo.data.threads.values(), key=lambda t: t.last_message_at, reverse=True)
    cursor = newest_first[0].last_message_at
    # Below the cursor: threads last active hours ago get messages written minutes before the newest activity the
    # full sync saw; the listing sorts them under the newest thread, which did not change.
    below = []
    for n, thread in enumerate(newest_first[4:7]):
        written = cursor - timedelta(minutes=5 * (n + 1))
        assert written > thread.last_message_at
        below.append(demo.add_buyer_message(thread.id, f"Tak, wyślij ({n + 1})", at=written))
    # Hidden: a message written between a thread's last two, so its last activity does not move at all.
    hidden = []
    for n, thread in enumerate(t for t in newest_first[1:4]):
        before_last, last = thread.messages[-2].created_at, thread.messages[-1].created_at
        assert before_last < last
        hidden.append(demo.add_buyer_message(thread.id, f"Wiadomość wstrzymana ({n + 1})",
                                             at=before_last + (last - before_last) / 2))
        assert thread.last_message_at == last
    late = below + hidden

    # A routine refresh pages through its overlap window: the three below the cursor, for one listing request.
    demo.reset_counts()
    result, report = sync_once(stand_in, data_dir)
    counts = demo.request_counts()
    print("routine refresh after 6 late messages:", json.dumps(counts, sort_keys=True))
    assert counts == {THREADS_LIST: 1, THREAD_MESSAGES: 3, ISSUES_LIST: 1}, counts
    stored = {mid for messages in read_cache(data_dir / DATABASE_NAME).messages.values() for mid, _ in messages}
    assert set(below) <= stored and not set(hidden) & stored

    # The deep pass re-reads every thread active in the last 24 hours and finds the rest.
    demo.reset_counts()
    earliest_since = datetime.now(timezone.utc) - DEEP_PASS_LOOKBACK
    deep_report = _deep_sync(stand_in, data_dir)
    latest_since = datetime.now(timezone.utc) - DEEP_PASS_LOOKBACK
    counts = demo.request_counts()
    print("deep pass:", json.dumps(counts, sort_keys=True), json.dumps(deep_report["deep_pass"]))
    stored = {mid for messages in read_cache(data_dir / DATABASE_NAME).messages.values() for mid, _ in messages}
    assert set(late) <= stored
    assert deep_report["messages_added"] == 3 and deep_report["errors"] == []
    deep = deep_report["deep_pass"]
    assert isinstance(deep, dict) and deep["complete"] and deep["messages_added"] == 3
    most, fewest = _active_since(stand_in, earliest_since), _active_since(stand_in, latest_since)
    assert fewest <= counts[THREAD_MESSAGES] <= most, counts
    assert counts[THREADS_LIST] == 1 + deep["pages"] and deep["pages"] <= counts[THREAD_MESSAGES] // 20 + 1
    assert counts[ISSUES_LIST] == 1

    # Nothing is left to find: the next refresh is back to one request per source.
    demo.reset_counts()
    result, report = sync_once(stand_in, data_dir)
    assert demo.request_counts() == {THREADS_LIST: 1, ISSUES_LIST: 1}
    assert report["messages_added"] == 0
