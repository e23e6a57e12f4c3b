"""Fixtures for the demo backend tests: a fake clock, a demo server, httpx clients and the contract's schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from magazyn_desktop.fake_allegro import BETA_V1, PUBLIC_V1, DemoAllegro, DemoData

CONTRACT = Path(__file__).with_name("allegro-conversations-contract.yaml")
Validate = Callable[[str, Any], None]


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def demo(clock: FakeClock) -> DemoAllegro:
    return DemoAllegro(DemoData.generate(), clock=clock)


def make_client(demo: DemoAllegro, accept: str = BETA_V1, token: str | None = None) -> httpx.Client:
    headers = {"Accept": accept, "Content-Type": accept, "Authorization": f"Bearer {token or demo.DEMO_TOKEN}"}
    return httpx.Client(transport=demo.transport(), base_url=demo.API_URL, headers=headers)


@pytest.fixture
def beta(demo: DemoAllegro) -> Iterator[httpx.Client]:
    with make_client(demo, BETA_V1) as client:
        yield client


@pytest.fixture
def public(demo: DemoAllegro) -> Iterator[httpx.Client]:
    with make_client(demo, PUBLIC_V1) as client:
        yield client


@pytest.fixture(scope="session")
def contract() -> dict[str, Any]:
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def validate(contract: dict[str, Any]) -> Validate:
    """validate(schema_name, instance): raises jsonschema's ValidationError when the body breaks the contract."""
    components = contract["components"]

    def check(name: str, instance: Any) -> None:
        schema = {"$ref": f"#/components/schemas/{name}", "components": components}
        OAS30Validator(schema, format_checker=OAS30Validator.FORMAT_CHECKER).validate(instance)

    return check
