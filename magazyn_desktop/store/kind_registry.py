"""The client's memory of which API a conversation id belongs to, kept in the conversations table.

A kind learned for an id that is not stored yet (a conversation opened by a scanned id, before its first save) lives
in memory until the conversation row exists; from then on the row is the record, so it survives restarts.
"""

from __future__ import annotations

import logging
import threading

from magazyn_desktop.domain.vocabulary import Kind, SubKind
from magazyn_desktop.store.repository import Store

log = logging.getLogger(__name__)


class StoreKindRegistry:
    """Implements allegro.detect.KindRegistry over a Store; thread-safe."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[Kind, SubKind]] = {}

    def recorded_kind(self, conversation_id: str) -> Kind | None:
        with self._lock:
            pending = self._pending.get(conversation_id)
        if pending is not None:
            return pending[0]
        stored = self._store.conversation_kind(conversation_id)
        return stored[0] if stored else None

    def recorded_sub_kind(self, conversation_id: str) -> SubKind | None:
        with self._lock:
            pending = self._pending.get(conversation_id)
        if pending is not None:
            return pending[1]
        stored = self._store.conversation_kind(conversation_id)
        return stored[1] if stored else None

    def record_kind(self, conversation_id: str, kind: Kind, sub_kind: SubKind) -> None:
        # A dispute can become a claim, so a newer answer always replaces what was recorded.
        with self._lock:
            self._pending[conversation_id] = (kind, sub_kind)
        try:
            if self._store.set_conversation_kind(conversation_id, kind, sub_kind):
                with self._lock:
                    self._pending.pop(conversation_id, None)
        except Exception as exc:  # the memory layer still answers; the next save of the row records it
            log.warning("could not record a conversation kind in the cache (%s)", type(exc).__name__)
