"""Where a bench keeps its conversations: its own SQLite file, or a team's shared PostgreSQL store.

Decided once at launch (app/team_store.py) and handed to everything that opens the store: the writer (the backend's
Store) and the window's readers, so that no code below the launch asks again which one it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from magazyn_desktop.store.store_address import StoreAddress

if TYPE_CHECKING:
    from magazyn_desktop.store.read_connection import ReadConnection
    from magazyn_desktop.store.repository import Store


@dataclass(frozen=True)
class StoreLocation:
    database: Path  # the bench's own file: the store itself unless `team` is set
    team: StoreAddress | None = None  # a team's store, its address without the password
    password: str | None = field(default=None, repr=False)

    @property
    def is_team(self) -> bool:
        return self.team is not None

    def describe(self) -> str:
        """For logs and doctor: the file, or the team store's address without its password."""
        return self.team.display() if self.team is not None else str(self.database)

    def open_store(self) -> Store:
        """The single writer over this location (already at head: the launch migrated it)."""
        from magazyn_desktop.store.repository import Store

        if self.team is not None:
            return Store.open_team(self.team, self.password)
        return Store.open(self.database)

    def open_reader(self) -> ReadConnection:
        """A read-only connection for the inbox's queries (one per thread)."""
        if self.team is not None:
            from magazyn_desktop.store.read_connection import PostgresReadConnection

            return PostgresReadConnection.open(self.team.libpq_url(self.password))
        from magazyn_desktop.store.db import connect

        return connect(self.database, read_only=True)
