from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.repository import Store

from .fakes import FakeAllegro, FakeTime


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    app_paths = AppPaths(tmp_path / "data")
    app_paths.ensure()
    upgrade_to_head(app_paths.database, backups=app_paths.backups, quarantine=app_paths.quarantine)
    return app_paths


@pytest.fixture
def store(paths: AppPaths) -> Iterator[Store]:
    opened = Store.open(paths.database)
    yield opened
    opened.close()


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


@pytest.fixture
def allegro() -> FakeAllegro:
    return FakeAllegro()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
