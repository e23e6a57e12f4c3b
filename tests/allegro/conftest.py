"""Fixtures for the Allegro client tests: a fake clock that sleeps instantly, and a client on a mocked API."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import respx

from magazyn_desktop.allegro.auth import StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.environments import Environment
from magazyn_desktop.allegro.ratelimit import RateLimiter

API = "https://api.test.example"
AUTH = "https://auth.test.example"
UPLOAD = "https://upload.test.example"
TEST_ENVIRONMENT = Environment(name="custom", api_url=API, auth_url=AUTH, upload_url=UPLOAD)
ACCESS_TOKEN = "test-access-token-9f8e7d6c5b4a"
THREAD_ID = "L1H4FmWRwD5lAEInohQoEGWQR71RfBpEmHqeKZSXdhW"
ISSUE_ID = "29738e61-7f6a-11e8-ac45-09db60ede9d6"
BETA = "application/vnd.allegro.beta.v1+json"
PUBLIC = "application/vnd.allegro.public.v1+json"


class FakeClock:
    """Time that only moves when someone sleeps; records every sleep."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


@pytest.fixture
def client(clock: FakeClock, api: respx.MockRouter) -> Iterator[AllegroClient]:
    limiter = RateLimiter(clock=clock, sleeper=clock.sleep)
    instance = AllegroClient(
        environment=TEST_ENVIRONMENT,
        tokens=StaticToken(ACCESS_TOKEN),
        clock=clock,
        sleeper=clock.sleep,
        limiter=limiter,
        rng=random.Random(7),
    )
    yield instance
    instance.close()


def errors_body(code: str, message: str = "m", user_message: str = "Komunikat") -> dict[str, object]:
    return {"errors": [{"code": code, "message": message, "userMessage": user_message, "details": None, "path": None}]}


def beta_thread(thread_id: str = THREAD_ID, **overrides: object) -> dict[str, object]:
    thread: dict[str, object] = {
        "id": thread_id,
        "type": "COMMON",
        "read": False,
        "createdAt": "2026-06-02T09:00:00.000Z",
        "lastMessageDateTime": "2026-06-02T10:00:00.000Z",
        "participants": [{"role": "BUYER", "login": "kupujacy"}, {"role": "SELLER", "login": "sklep"}],
        "status": "OPEN",
    }
    thread.update(overrides)
    return thread


def beta_message(message_id: str, *, role: str = "BUYER", login: str | None = "kupujacy", at: str = "2026-06-02T10:00:00Z",
                 text: str = "Dzień dobry") -> dict[str, object]:
    return {
        "id": message_id,
        "status": "DELIVERED",
        "type": "MESSAGE_CENTER",
        "createdAt": at,
        "author": {"role": role, "login": login},
        "text": text,
        "subject": None,
        "relatesTo": {"offer": None, "order": None},
        "hasAdditionalAttachments": False,
        "attachments": [],
        "additionalInformation": None,
    }


def issue(issue_id: str = ISSUE_ID, *, issue_type: str = "DISPUTE", chat_active: bool = True, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": issue_id,
        "type": issue_type,
        "openedDate": "2026-06-01T08:00:00Z",
        "subject": "Produkt uszkodzony",
        "buyer": {"id": "1", "login": "kupujacy"},
        "checkoutForm": {"id": "c0ffee00-0000-4000-8000-000000000001", "createdAt": "2026-05-30T08:00:00Z"},
        "currentState": {"status": "DISPUTE_ONGOING", "statusDueDate": None, "returnRequired": None, "chatActive": chat_active},
        "chat": {"lastMessage": {"status": "BUYER_REPLIED", "createdAt": "2026-06-02T11:00:00Z"}, "messagesCount": 3},
    }
    body.update(overrides)
    return body


def chat_entry(entry_id: str, *, role: str = "BUYER", at: str = "2026-06-02T10:00:00Z") -> dict[str, object]:
    author: dict[str, object] = {"role": role}
    if role in ("BUYER", "SELLER"):
        author["login"] = "kupujacy" if role == "BUYER" else "sklep"
    return {"id": entry_id, "text": f"wpis {entry_id}", "attachments": [], "author": author, "createdAt": at}
