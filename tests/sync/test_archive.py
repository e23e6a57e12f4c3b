"""The cache is the archive: Allegro deletes messages after about six months and stops listing old conversations,
while a buyer's warranty runs two years. Nothing leaves the cache because Allegro stopped showing it; what Allegro
no longer shows is marked as kept only on this computer."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.repository import Store

from .fakes import FakeAllegro, FakeTime, engine, issue_id, seeded, thread_id


def _cache(paths: AppPaths) -> tuple[dict[str, set[str]], dict[str, str | None]]:
    """Message ids by conversation, and each conversation's kept_locally_since, as on disk."""
    connection = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True)
    try:
        messages: dict[str, set[str]] = {}
        for conversation_id, message_id in connection.execute("SELECT conversation_id, id FROM messages"):
            messages.setdefault(conversation_id, set()).add(message_id)
        kept = dict(connection.execute("SELECT id, kept_locally_since FROM conversations").fetchall())
        return messages, kept
    finally:
        connection.close()


def test_nothing_disappears_when_allegro_drops_messages_and_conversations(
        allegro: FakeAllegro, store: Store, account_id: int, paths: AppPaths, fake_time: FakeTime) -> None:
    seeded(allegro, threads=30, issues=3)
    sync = engine(allegro, store, account_id, clock=fake_time.clock, wall_clock=lambda: allegro.now,
                  full_issue_listing_interval=1800.0, deep_pass_lookback=timedelta(hours=2))
    sync.run_once()
    before, kept = _cache(paths)
    assert set(kept.values()) == {None}

    # Allegro deletes the old messages of thread 1, and whole threads and an issue.
    allegro.threads[thread_id(1)].messages = allegro.threads[thread_id(1)].messages[1:]
    allegro.buyer_writes(thread_id(1), "Czy paczka już wyszła?")  # so that the thread is read again
    del allegro.threads[thread_id(3)]  # active 31 minutes ago: the deep pass's listing no longer shows it
    del allegro.threads[thread_id(25)]  # active 3 hours ago: nothing lists it
    del allegro.issues[issue_id(2)]

    fake_time.now += 1800  # the full issue listing is due
    report = sync.run_once()
    assert report.messages_added == 1
    deep = sync.run_once(deep=True)
    assert deep.deep_pass is not None and deep.deep_pass.complete

    after, kept = _cache(paths)
    for conversation_id, message_ids in before.items():
        assert message_ids <= after[conversation_id], conversation_id  # every message is still there
    assert len(after[thread_id(1)]) == len(before[thread_id(1)]) + 1
    marked = {cid for cid, since in kept.items() if since is not None}
    assert marked == {thread_id(3), issue_id(2)}
    assert thread_id(25) in after and thread_id(25) not in marked  # nothing says it is gone: it stays as it was


def test_a_conversation_listed_again_is_no_longer_marked(allegro: FakeAllegro, store: Store, account_id: int,
                                                         paths: AppPaths, fake_time: FakeTime) -> None:
    seeded(allegro, threads=3, issues=2)
    sync = engine(allegro, store, account_id, clock=fake_time.clock, wall_clock=lambda: allegro.now,
                  full_issue_listing_interval=0.0)
    sync.run_once()
    hidden = allegro.issues.pop(issue_id(1))
    sync.run_once()
    assert _cache(paths)[1][issue_id(1)] is not None
    allegro.issues[issue_id(1)] = hidden  # Allegro shows it again (a listing that had left it out)
    report = sync.run_once()
    assert _cache(paths)[1][issue_id(1)] is None
    assert issue_id(1) in report.changed_conversations


def test_a_thread_answering_404_is_kept_and_marked(allegro: FakeAllegro, store: Store, account_id: int,
                                                   paths: AppPaths) -> None:
    from magazyn_desktop.allegro.errors import NotFoundError

    from .fakes import allegro_error

    seeded(allegro, threads=3, issues=0)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    allegro.buyer_writes(thread_id(2), "Halo?")
    allegro.failing[thread_id(2)] = allegro_error(NotFoundError, code="NOT_FOUND")
    sync.run_once()
    messages, kept = _cache(paths)
    assert kept[thread_id(2)] is not None and len(messages[thread_id(2)]) == 1
