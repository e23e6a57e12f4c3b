"""End-to-end set-up: a loopback stand-in for Allegro per test, and ways to look at both sides.

The stand-in is the demo backend (`DemoAllegro`) served over real sockets on 127.0.0.1. The app under test runs as a
separate process and finds it through the automation environment: MAGAZYN_API_URL / MAGAZYN_AUTH_URL name the
stand-in (a "custom" environment) and MAGAZYN_ACCESS_TOKEN carries a token the stand-in issued.

`RequestHooks` sits between the HTTP server and the demo, so a test can act at an exact request (switch a fault on,
expire the tokens, hold a send while the app is killed) instead of racing the app with sleeps.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from magazyn_desktop.fake_allegro import DemoAllegro, DemoData, DemoResponse, serve_on_loopback
from tests.launch.helpers import app_env, run_app

DATA_SEED = 61116


def demo_data() -> DemoData:
    """The default-sized data set, dated now (as a real account's would be), so that message times and the app's
    own clock agree the way they do against Allegro."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return DemoData.generate(seed=DATA_SEED, now=now)


# -- hooks between the HTTP server and the demo ----------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request as the stand-in received it; `number` counts every request (API and OAuth) from 1."""

    number: int
    method: str
    path: str
    body: bytes

    @property
    def is_send(self) -> bool:
        return self.method == "POST" and (
            (self.path.startswith("/messaging/threads/") and self.path.endswith("/messages"))
            or (self.path.startswith("/sale/issues/") and self.path.endswith("/message"))
        )

    @property
    def is_message_fetch(self) -> bool:
        return self.method == "GET" and (
            (self.path.startswith("/messaging/threads/") and self.path.endswith("/messages"))
            or (self.path.startswith("/sale/issues/") and self.path.endswith("/chat"))
        )

    def text(self) -> str | None:
        try:
            value = json.loads(self.body).get("text")
        except (ValueError, AttributeError):
            return None
        return value if isinstance(value, str) else None


# A hook sees a request before the demo does. It may act (switch faults, expire tokens, block until the test lets it
# go) and return None to let the demo answer, or return a DemoResponse to answer instead of the demo.
Hook = Callable[[Call], "DemoResponse | None"]


class RequestHooks:
    """Stands in for the DemoAllegro that `serve_on_loopback` serves: runs the hooks, then lets the demo answer."""

    def __init__(self, demo: DemoAllegro) -> None:
        self.demo = demo
        self._lock = threading.Lock()
        self._number = 0
        self._hooks: list[tuple[Callable[[Call], bool], Hook, bool]] = []

    def add(self, when: Callable[[Call], bool], hook: Hook, *, once: bool = True) -> None:
        with self._lock:
            self._hooks.append((when, hook, once))

    def clear(self) -> None:
        with self._lock:
            self._hooks.clear()

    def handle(self, method: str, path: str, query: Any, headers: Mapping[str, str], body: bytes, *,
               base_url: str | None = None) -> DemoResponse:
        call_hooks: list[Hook] = []
        with self._lock:
            self._number += 1
            call = Call(self._number, method.upper(), path, body)
            for entry in list(self._hooks):
                when, hook, once = entry
                if when(call):
                    call_hooks.append(hook)
                    if once:
                        self._hooks.remove(entry)
        for hook in call_hooks:  # outside the lock: a hook may block this request while others go on
            answer = hook(call)
            if answer is not None:
                return answer
        return self.demo.handle(method, path, query, headers, body, base_url=base_url)


def dropped_unanswered() -> DemoResponse:
    """The connection dies before the demo sees the request: nothing it asked for happened."""
    return DemoResponse(0, breakage="drop")


# -- the stand-in ----------------------------------------------------------------------------------------------------


@dataclass
class StandIn:
    demo: DemoAllegro
    hooks: RequestHooks
    url: str
    token: str
    latency: float

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of an app process that talks to this stand-in (the automation path of backend.py)."""
        return app_env(MAGAZYN_API_URL=self.url, MAGAZYN_AUTH_URL=self.url, MAGAZYN_ACCESS_TOKEN=self.token,
                       MAGAZYN_LOG_LEVEL="INFO", **extra)

    # What the server holds, as (message id, text) per conversation, oldest first.
    def conversations(self) -> dict[str, tuple[tuple[str, str], ...]]:
        data = self.demo.data
        snapshot = {t.id: tuple((m.id, m.text) for m in t.messages) for t in data.threads.values()}
        snapshot.update({i.id: tuple((e.id, e.text) for e in i.chat) for i in data.issues.values()})
        return snapshot

    def thread_ids(self, *, open_only: bool = False) -> list[str]:
        return sorted(t.id for t in self.demo.data.threads.values() if not open_only or t.status == "OPEN")

    def issue_ids(self, *, chat_active_only: bool = False) -> list[str]:
        return sorted(i.id for i in self.demo.data.issues.values() if not chat_active_only or i.chat_active)


@pytest.fixture
def start_stand_in() -> Iterator[Callable[..., StandIn]]:
    """Start a stand-in (`latency` seconds before each answer); every one started is stopped after the test."""
    with ExitStack() as stack:

        def start(latency: float = 0.0, data: DemoData | None = None) -> StandIn:
            demo = DemoAllegro(data or demo_data())
            hooks = RequestHooks(demo)
            url = stack.enter_context(serve_on_loopback(hooks, latency=latency))  # type: ignore[arg-type]
            token = str(demo.issue_tokens()["access_token"])
            return StandIn(demo, hooks, url, token, latency)

        yield start


@pytest.fixture
def stand_in(start_stand_in: Callable[..., StandIn]) -> StandIn:
    return start_stand_in()


# -- the app's side --------------------------------------------------------------------------------------------------


@dataclass
class Cache:
    """What a data folder's database holds, read with plain sqlite3 (as the app leaves it on disk)."""

    messages: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # by conversation, oldest first
    synced: dict[str, bool] = field(default_factory=dict)  # messages_synced_at is set
    remote_last: dict[str, str | None] = field(default_factory=dict)  # remote_last_message_at as stored

    def synced_conversations(self) -> dict[str, tuple[tuple[str, str], ...]]:
        return {cid: self.messages.get(cid, ()) for cid, synced in self.synced.items() if synced}


def read_cache(database: Path) -> Cache:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        cache = Cache()
        for cid, synced_at, remote_last in connection.execute(
                "SELECT id, messages_synced_at, remote_last_message_at FROM conversations"):
            cache.synced[cid] = synced_at is not None
            cache.remote_last[cid] = remote_last
            cache.messages[cid] = ()
        grouped: dict[str, list[tuple[str, str]]] = {}
        for cid, mid, text in connection.execute(
                "SELECT conversation_id, id, text FROM messages ORDER BY conversation_id, created_at, id"):
            grouped.setdefault(cid, []).append((mid, text))
        for cid, rows in grouped.items():
            cache.messages[cid] = tuple(rows)
        return cache
    finally:
        connection.close()


def as_sets(conversations: Mapping[str, tuple[tuple[str, str], ...]]) -> dict[str, frozenset[tuple[str, str]]]:
    """Order-free form: equal timestamps may order two messages either way."""
    return {cid: frozenset(messages) for cid, messages in conversations.items()}


def sync_once(stand_in: StandIn, data_dir: Path, *, timeout: float = 120) -> tuple[subprocess.CompletedProcess[str],
                                                                                    dict[str, Any]]:
    """`sync --once` as an admin or a scheduler runs it; returns the process and its JSON report."""
    result = run_app(["sync", "--once", "--data-dir", str(data_dir)], env=stand_in.env(), timeout=timeout)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, (result.returncode, result.stdout, result.stderr[-3000:])
    return result, json.loads(lines[0])


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str,
               alive: subprocess.Popen[str] | None = None, interval: float = 0.05) -> None:
    """Poll an observable condition until it holds; fail at the deadline, or at once if `alive` has exited."""
    deadline = time.monotonic() + timeout
    while not condition():
        if alive is not None and alive.poll() is not None:
            out, err = alive.communicate()
            pytest.fail(f"the app exited ({alive.returncode}) before {what}:\n{(out or '')[-2000:]}\n"
                        f"{(err or '')[-4000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def wait_for_event(event: threading.Event, *, timeout: float, what: str,
                   alive: subprocess.Popen[str] | None = None) -> None:
    wait_until(event.is_set, timeout=timeout, what=what, alive=alive, interval=0.02)
