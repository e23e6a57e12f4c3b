from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from magazyn_desktop.allegro.auth import StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.environments import Environment
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.store.kind_registry import StoreKindRegistry
from magazyn_desktop.store.repository import Store

from tests.postgres_server import postgres_url, team_database_url  # noqa: F401  (fixtures)
from tests.store_engines import engine_name, parametrise_engines, reader, store, team_url  # noqa: F401  (fixtures)

from .fakes import FakeAllegro, FakeTime
from .mocked_allegro import API, ENVIRONMENT


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # The outbox's and the claim decisions' transitions are the store's: their tests run on both engines.
    parametrise_engines(metafunc, every_test=False)


@pytest.fixture
def demo_client(demo: DemoAllegro, fake_time: FakeTime) -> Iterator[AllegroClient]:
    """The real client over the module's `demo` fake (each module sets up its own), on the fake clock."""
    client = AllegroClient(environment=Environment("demo", demo.API_URL, demo.AUTH_URL, None),
                           tokens=StaticToken(demo.DEMO_TOKEN), transport=demo.transport(), clock=fake_time.clock,
                           sleeper=fake_time.sleep, limiter=RateLimiter(clock=fake_time.clock, sleeper=fake_time.sleep))
    yield client
    client.close()


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


@pytest.fixture
def allegro() -> FakeAllegro:
    return FakeAllegro()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


@pytest.fixture
def client(store: Store, api: respx.MockRouter, fake_time: FakeTime) -> Iterator[AllegroClient]:
    instance = AllegroClient(environment=ENVIRONMENT, tokens=StaticToken("token-for-tests"), clock=fake_time.clock,
                             sleeper=fake_time.sleep, kind_registry=StoreKindRegistry(store),
                             limiter=RateLimiter(clock=fake_time.clock, sleeper=fake_time.sleep), max_retries=1)
    yield instance
    instance.close()
