from __future__ import annotations

import pytest

from magazyn_desktop.store.repository import Store

from .fakes import FakeAllegro, FakeTime


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


@pytest.fixture
def allegro() -> FakeAllegro:
    return FakeAllegro()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
