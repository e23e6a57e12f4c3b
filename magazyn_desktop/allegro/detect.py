"""Which kind of conversation an id names: what was learned before, else a guess from the id's shape.

The client asks the guessed API first and the other one when the guess was wrong (see AllegroClient.resolve_kind).
"""

from __future__ import annotations

import threading
from typing import Protocol

from magazyn_desktop.domain.limits import UUID_SHAPE
from magazyn_desktop.domain.vocabulary import Kind, SubKind


def guess_kind(conversation_id: str) -> Kind:
    return Kind.ISSUE if UUID_SHAPE.fullmatch(conversation_id.strip()) else Kind.THREAD


class KindRegistry(Protocol):
    def recorded_kind(self, conversation_id: str) -> Kind | None: ...

    def record_kind(self, conversation_id: str, kind: Kind, sub_kind: SubKind) -> None: ...


class MemoryKindRegistry:
    """Kinds learned during this session only; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kinds: dict[str, tuple[Kind, SubKind]] = {}

    def recorded_kind(self, conversation_id: str) -> Kind | None:
        with self._lock:
            entry = self._kinds.get(conversation_id)
        return entry[0] if entry else None

    def recorded_sub_kind(self, conversation_id: str) -> SubKind | None:
        with self._lock:
            entry = self._kinds.get(conversation_id)
        return entry[1] if entry else None

    def record_kind(self, conversation_id: str, kind: Kind, sub_kind: SubKind) -> None:
        with self._lock:
            self._kinds[conversation_id] = (kind, sub_kind)
