"""What the launch sequence hands to the main window: decided once, read everywhere, free of Qt."""

from __future__ import annotations

from dataclasses import dataclass, field

from magazyn_desktop.app.store_location import StoreLocation
from magazyn_desktop.paths import AppPaths


@dataclass(frozen=True)
class AppContext:
    paths: AppPaths
    language: str  # "pl" or "en"
    demo: bool  # --demo given: the built-in demo backend instead of Allegro
    open_conversation_id: str | None = None  # --open on the command line
    smoke_test: bool = False
    revision: str | None = None  # schema revision after the upgrade step
    store: StoreLocation | None = field(default=None)  # None: the bench's own file (paths.database)

    @property
    def store_location(self) -> StoreLocation:
        return self.store if self.store is not None else StoreLocation(self.paths.database)
