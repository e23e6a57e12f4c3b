"""What a sync costs, counted by the server: everything once, then next to nothing, then just what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from magazyn_desktop.paths import DATABASE_NAME
from tests.e2e.conftest import StandIn, as_sets, read_cache, sync_once

pytestmark = pytest.mark.slow

THREADS_LIST = "GET /messaging/threads"
THREAD_MESSAGES = "GET /messaging/threads/{id}/messages"
ISSUES_LIST = "GET /sale/issues"
ISSUE_CHAT = "GET /sale/issues/{id}/chat"
ORDER = "GET /order/checkout-forms/{id}"
ORDER_SHIPMENTS = "GET /order/checkout-forms/{id}/shipments"
TOUCH_SEED = 6  # 10 conversations of which 3 are issues and 7 threads (checked below)


def _linked_orders(stand_in: StandIn) -> set[str]:
    """The orders the stand-in's conversations name: issues' checkout forms, threads' orders and messages'."""
    data = stand_in.demo.data
    named = {issue.order_id for issue in data.issues.values()}
    for thread in data.threads.values():
        named.update(thread.order_ids)
        named.update(m.order_id for m in thread.messages if m.order_id)
    return named


def test_full_then_idle_then_ten_changed(stand_in: StandIn, data_dir: Path) -> None:
    demo = stand_in.demo
    threads, issues = stand_in.thread_ids(), stand_in.issue_ids()

    # 1. A full sync into an empty cache: every list page once, every conversation's messages once.
    result, report = sync_once(stand_in, data_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    assert report["errors"] == [] and report["conversations_added"] == len(threads) + len(issues)
    counts = demo.request_counts()
    orders = _linked_orders(stand_in)
    assert counts == {
        THREADS_LIST: -(-len(threads) // 20),  # pages of at most 20
        THREAD_MESSAGES: len(threads),
        ISSUES_LIST: 1,
        ISSUE_CHAT: len(issues),
        # After the sync: every order a conversation names, once, with its shipments.
        ORDER: len(orders),
        ORDER_SHIPMENTS: len(orders),
    }
    assert report["requests"] == counts  # the app's own count agrees with the server's
    assert report["orders"] == {"fetched": len(orders), "unavailable": 0, "unreadable": 0, "left": 0}
    assert as_sets(read_cache(data_dir / DATABASE_NAME).synced_conversations()) == as_sets(stand_in.conversations())

    # 2. Nothing happened: at most one request per source.
    demo.reset_counts()
    result, report = sync_once(stand_in, data_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    counts = demo.request_counts()
    assert sum(counts.values()) <= 2, counts
    assert set(counts) <= {THREADS_LIST, ISSUES_LIST}
    assert report["conversations_added"] == report["conversations_changed"] == report["messages_added"] == 0

    # 3. Ten conversations get a buyer message: the sync fetches exactly those, plus one listing per source.
    demo.reset_counts()
    changed = demo.touch_random(10, seed=TOUCH_SEED)
    changed_issues = [c for c in changed if c in demo.data.issues]
    changed_threads = [c for c in changed if c in demo.data.threads]
    assert changed_threads and changed_issues and len(changed) == 10  # both kinds among them
    before = read_cache(data_dir / DATABASE_NAME)
    result, report = sync_once(stand_in, data_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    counts = demo.request_counts()
    assert counts == {THREADS_LIST: 1, THREAD_MESSAGES: len(changed_threads), ISSUES_LIST: 1,
                      ISSUE_CHAT: len(changed_issues)}, counts
    assert report["conversations_changed"] == 10 and report["messages_added"] == 10
    after = read_cache(data_dir / DATABASE_NAME)
    server = stand_in.conversations()
    assert as_sets(after.synced_conversations()) == as_sets(server)
    moved = {cid for cid in server if after.messages[cid] != before.messages[cid]}
    assert moved == set(changed)
