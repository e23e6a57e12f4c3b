"""A sync reads what the cache knows for the conversations on the pages it sees, never the whole account."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pytest

from magazyn_desktop.app.backend import build_backend
from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.sync.engine import ISSUE_PAGE_SIZE, THREAD_PAGE_SIZE


def test_a_sync_asks_the_store_about_each_page_only(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    backend = build_backend(paths, demo=True, fake_allegro=DemoAllegro.interactive())
    assert isinstance(backend, ConnectedBackend)
    asked: list[tuple[str, Collection[str] | None]] = []
    for name in ("known_thread_state", "known_issue_state"):
        real = getattr(backend.store, name)

        def recording(account_id: int, conversation_ids: Collection[str] | None = None, *,
                      _real: Any = real, _name: str = name) -> Any:
            asked.append((_name, None if conversation_ids is None else list(conversation_ids)))
            return _real(account_id, conversation_ids)

        monkeypatch.setattr(backend.store, name, recording)
    try:
        first = backend.sync.run_once()
        assert first.errors == [] and first.conversations_added > THREAD_PAGE_SIZE  # more than one page
        asked.clear()
        second = backend.sync.run_once()
        assert second.conversations_added == second.conversations_changed == 0
        assert sum(second.requests.values()) == 2
    finally:
        backend.close()
    assert asked, "the second sync never asked what the cache knows"
    assert all(ids is not None for _, ids in asked)  # never the whole account
    thread_ids = [i for name, ids in asked if name == "known_thread_state" for i in ids or ()]
    issue_ids = [i for name, ids in asked if name == "known_issue_state" for i in ids or ()]
    assert 0 < len(thread_ids) <= THREAD_PAGE_SIZE and len(issue_ids) <= ISSUE_PAGE_SIZE
