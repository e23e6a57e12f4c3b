"""Where a bench keeps its conversations: its own SQLite file, or a team's shared PostgreSQL store.

Decided once at launch (app/team_store.py) and handed to everything that opens the store: the writer (the backend's
Store) and the window's readers, so that no code below the launch asks again which one it is.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from magazyn_desktop.store.store_address import StoreAddress

if TYPE_CHECKING:
    from magazyn_desktop.app.team_link import TeamLink
    from magazyn_desktop.store.read_connection import ReadConnection
    from magazyn_desktop.store.repository import Store


@dataclass(frozen=True)
class StoreLocation:
    database: Path  # the bench's own file: the store itself unless `team` is set
    team: StoreAddress | None = None  # a team's store, its address without the password
    password: str | None = field(default=None, repr=False)
    holder_name: str = ""  # team mode: "person @ bench" as other benches see this one (the settings say)
    person: str = ""  # team mode: the person at this bench, whose drafts are this bench's (a single bench: "")
    # Team mode: the connections this process keeps to the team's store, made on first use (team_link).
    _links: list[TeamLink] = field(default_factory=list, repr=False, compare=False)
    _links_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

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
            # The link's pool (the link closes it); the drafts are the person's own.
            return Store(self.team_link().engine(), draft_owner=self.draft_owner)
        return Store.open(self.database)

    def open_reader(self) -> ReadConnection:
        """A read-only connection for the inbox's queries (one per thread; in team mode over the link's pool)."""
        if self.team is not None:
            from magazyn_desktop.store.read_connection import PooledPostgresReader

            return PooledPostgresReader(self.team_link().engine())
        from magazyn_desktop.store.db import connect

        return connect(self.database, read_only=True)

    @property
    def draft_owner(self) -> str:
        """Whose drafts the window reads: the person's on a team's store, "" on the bench's own file."""
        return self.person if self.team is not None else ""

    def team_link(self) -> TeamLink:
        """Team mode: this process's connections to the store, made at the first call."""
        assert self.team is not None, "a bench's own file has no team link"
        with self._links_lock:
            return self._team_link_locked()

    def _team_link_locked(self) -> TeamLink:
        assert self.team is not None
        if not self._links:
            from magazyn_desktop.app.settings import Settings
            from magazyn_desktop.app.team_leadership import holder_name, new_holder_id
            from magazyn_desktop.app.team_link import TeamLink

            self._links.append(TeamLink(self.team, self.password, holder=new_holder_id(),
                                        holder_name=self.holder_name or holder_name(Settings())))
        return self._links[0]

    def close(self) -> None:
        """Close what team mode opened (the link's connections); nothing to do for a bench's own file."""
        with self._links_lock:
            link = self._links.pop() if self._links else None
        if link is not None:
            link.close()
