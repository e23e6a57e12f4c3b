"""`DemoAllegro`: the fake Allegro core — routing, auth, faults, request counts and the test mutation API.

`handle()` is a plain function of the request (no sockets, no httpx), guarded by one lock, so the in-process httpx
transport and the loopback HTTP server serve exactly the same behaviour. The endpoint handlers get the
`ServerState` only, never the server.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote

import httpx

from . import bad_bodies, issues, messaging, orders
from .auth import AuthServer
from .data import ChatEntry, DemoData, ThreadMessage
from .faults import Faults
from .request import Reject, Request
from .responses import DemoResponse, auth_error, error, internal_error, not_found_path, too_many_requests
from .state import DemoClock, IdSource, SendBucket, SentLog, SentMessage, ServerState
from .transport import DemoAsyncTransport, DemoTransport

Handler = Callable[[ServerState, Request], DemoResponse]

_ID = "(?P<id>[^/]+)"
# (method, template used for request counts, handler). Literal paths come before {id} ones that could swallow them.
_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/messaging/threads", messaging.list_threads),
    ("GET", "/messaging/threads/{id}", messaging.get_thread),
    ("PUT", "/messaging/threads/{id}/read", messaging.mark_read),
    ("GET", "/messaging/threads/{id}/messages", messaging.list_messages),
    ("POST", "/messaging/threads/{id}/messages", messaging.send_message),
    ("POST", "/messaging/message-attachments", messaging.declare_attachment),
    ("PUT", "/messaging/message-attachments/{id}", messaging.upload_attachment),
    ("GET", "/messaging/message-attachments/{id}", messaging.download_attachment),
    ("GET", "/sale/issues", issues.list_issues),
    ("POST", "/sale/issues/attachments", issues.declare_attachment),
    ("PUT", "/sale/issues/attachments/{id}", issues.upload_attachment),
    ("GET", "/sale/issues/attachments/{id}", issues.download_attachment),
    ("GET", "/sale/issues/{id}", issues.get_issue),
    ("GET", "/sale/issues/{id}/chat", issues.get_chat),
    ("POST", "/sale/issues/{id}/message", issues.send_message),
    ("POST", "/sale/issues/{id}/status", issues.change_status),
    ("GET", "/order/checkout-forms", orders.list_checkout_forms),
    ("GET", "/order/checkout-forms/{id}", orders.checkout_form),
    ("GET", "/order/checkout-forms/{id}/shipments", orders.shipments),
    ("GET", "/me", orders.me),
)
_COMPILED = tuple(
    (method, template, re.compile("^" + template.replace("{id}", _ID) + "$"), handler)
    for method, template, handler in _ROUTES
)


class DemoAllegro:
    """An in-process fake of the parts of Allegro's REST API and OAuth server that the app uses."""

    API_URL = "https://api.demo.invalid"
    AUTH_URL = "https://auth.demo.invalid"
    VERIFICATION_URI = "https://auth.demo.invalid/skojarz-aplikacje"
    DEMO_TOKEN = "demo-access-token-magazyn"  # accepted forever (until expire_tokens()), for the app's --demo mode

    def __init__(
        self,
        data: DemoData | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        auto_approve_after: int | None = None,
        device_interval: int = 5,
        enforce_device_interval: bool = False,
        issue_id_at_messaging_status: int = 422,
        thread_id_at_issues_status: int = 404,
        wall_time_at_start: datetime | None = None,
    ) -> None:
        """`wall_time_at_start`: what the server's clock says now; by default the data set's `now`."""
        data = data if data is not None else DemoData.generate()
        self.state = ServerState(
            data=data, faults=Faults(), clock=DemoClock(wall_time_at_start or data.now, clock),
            ids=IdSource(data.seed ^ 0x5EED),  # new ids stay deterministic for a given data set
            sent=SentLog(), send_bucket=SendBucket(clock),
            issue_id_at_messaging_status=issue_id_at_messaging_status,
            thread_id_at_issues_status=thread_id_at_issues_status,
        )
        self._lock = threading.RLock()
        self._counts: Counter[str] = Counter()
        self._trace = 0
        self.auth = AuthServer(
            clock, self.data.seller_id, demo_token=self.DEMO_TOKEN, verification_uri=self.VERIFICATION_URI,
            auto_approve_after=auto_approve_after, device_interval=device_interval,
            enforce_interval=enforce_device_interval,
        )

    @classmethod
    def interactive(cls, data: DemoData | None = None, *, started_at: datetime | None = None) -> DemoAllegro:
        """Settings for the app's --demo mode: sign-in approves itself on the second poll, polled every 2 s, and the
        server's clock tells the present, so replies are stamped now.

        The data set ends at `started_at`, by default now: a data folder that ran the demo before passes the time it
        first did, so every launch over its cache serves the same conversations, and time has passed since.
        """
        present = datetime.now(timezone.utc)
        if data is None:
            data = DemoData.generate(now=min(started_at, present) if started_at else present)
        return cls(data, auto_approve_after=2, device_interval=2, wall_time_at_start=max(present, data.now))

    @property
    def data(self) -> DemoData:
        return self.state.data

    @property
    def faults(self) -> Faults:
        return self.state.faults

    @property
    def issue_id_at_messaging_status(self) -> int:
        return self.state.issue_id_at_messaging_status

    @issue_id_at_messaging_status.setter
    def issue_id_at_messaging_status(self, status: int) -> None:
        self.state.issue_id_at_messaging_status = status

    @property
    def thread_id_at_issues_status(self) -> int:
        return self.state.thread_id_at_issues_status

    @thread_id_at_issues_status.setter
    def thread_id_at_issues_status(self, status: int) -> None:
        self.state.thread_id_at_issues_status = status

    # -- the core ----------------------------------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, list[str]] | str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        base_url: str | None = None,
    ) -> DemoResponse:
        """Answer one HTTP request. `path` is the URL path without the query; `base_url` is where the client reached
        this server (used in Location headers and attachment urls; defaults to API_URL)."""
        method = method.upper()
        params = parse_qs(query, keep_blank_values=True) if isinstance(query, str) else {k: list(v) for k, v in query.items()}
        lower = {k.lower(): v for k, v in headers.items()}
        with self._lock:
            self._trace += 1
            trace = f"{self.data.seed & 0xFFFF:04x}{self._trace:012x}"
            response = self._dispatch(method, unquote(path), params, lower, body, base_url or self.API_URL)
            now = self.state.clock.now()
            hold = self.faults.silent_until if response.breakage == "silent" else None
        if hold is not None:
            hold.wait()  # outside the lock: the rest of the fake (and the test's calls into it) go on meanwhile
        response.headers.setdefault("trace-id", trace)
        response.headers.setdefault("Content-Length", str(len(response.body)))
        # As Allegro's: the server's clock, which the client uses to judge the times it is given.
        response.headers.setdefault("Date", format_datetime(now.astimezone(timezone.utc), usegmt=True))
        return response

    def _dispatch(
        self, method: str, path: str, params: dict[str, list[str]], headers: dict[str, str], body: bytes, base_url: str
    ) -> DemoResponse:
        if path.startswith("/auth/oauth/"):
            self._counts[f"{method} {path}"] += 1
            if self.faults.take_refused_client():
                return auth_error(401, "invalid_client", "Bad client credentials")
            return self.auth.handle(method, path, params, headers, body)
        route = self._route(method, path)
        self._counts[route[0] if route else f"{method} (unknown path)"] += 1
        breakage = self.faults.take_breakage()
        if breakage == "silent" or breakage == "drop" and not self.faults.drop_after_handling:
            return DemoResponse(0, breakage=breakage)
        response = self._answer(route, method, path, params, headers, body, base_url)
        if route is not None:
            response = bad_bodies.rewrite(self.faults, route[0], response)
            if breakage is None and 200 <= response.status < 300 and self.faults.take_lost_answer(route[0]):
                breakage = "drop"  # it took effect; the client never hears so
        response.breakage = breakage
        return response

    def _answer(
        self,
        route: tuple[str, Handler, dict[str, str]] | None,
        method: str,
        path: str,
        params: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        base_url: str,
    ) -> DemoResponse:
        status = self.faults.take_server_error()
        if status is not None:
            return internal_error(status)
        if self.faults.take_unauthorized():
            return auth_error(401, "invalid_token", "Access token expired")
        if self.faults.over_budget(self.state.clock.monotonic()):
            return too_many_requests(retry_after=self.faults.retry_after)
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if self.faults.take_echo_token():
            # Seen from Allegro: a developer message that quotes the request's own access token.
            return error(403, "ACCESS_DENIED", f"Access denied for token {token.strip()}",
                         "Brak dostępu do zasobu.")
        if scheme.lower() != "bearer" or not token:
            return auth_error(401, "unauthorized", "Full authentication is required to access this resource")
        if not self.auth.token_valid(token.strip()):
            return auth_error(401, "invalid_token", "Access token expired or invalid")
        if route is None:
            return not_found_path()
        if route[0] in self.faults.forbidden_endpoints:
            return error(403, "ACCESS_DENIED", "Access is denied", "Brak dostępu do zasobu.")
        _, handler, path_params = route
        req = Request(method, path, params, headers, body, base_url.rstrip("/"), path_params)
        try:
            return handler(self.state, req)
        except Reject as rejected:
            return rejected.response

    @staticmethod
    def _route(method: str, path: str) -> tuple[str, Handler, dict[str, str]] | None:
        for route_method, template, pattern, handler in _COMPILED:
            if route_method == method:
                match = pattern.match(path)
                if match:
                    return f"{method} {template}", handler, match.groupdict()
        return None

    # -- public API for tests, benchmarks and the app's demo mode ----------------------------------------------------

    def now(self) -> datetime:
        """Demo wall time: where the clock started (the data set's `now` unless told) plus the time elapsed since."""
        with self._lock:
            return self.state.clock.now()

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport serving API_URL and AUTH_URL in-process (no sockets)."""
        return DemoTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The same, for an `httpx.AsyncClient`."""
        return DemoAsyncTransport(self)

    def request_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset_counts(self) -> None:
        with self._lock:
            self._counts.clear()

    def sent_messages(self, conversation_id: str) -> list[SentMessage]:
        with self._lock:
            return self.state.sent.of(conversation_id)

    def approve_device(self, user_code: str) -> bool:
        with self._lock:
            return self.auth.approve(user_code)

    def deny_device(self, user_code: str) -> bool:
        with self._lock:
            return self.auth.deny(user_code)

    def issue_tokens(self) -> dict[str, object]:
        """A fresh token pair as the device flow would return it, without the flow."""
        with self._lock:
            return self.auth.issue_tokens()

    def expire_tokens(self) -> None:
        """Every access token issued so far, and DEMO_TOKEN, answers 401 invalid_token from now on."""
        with self._lock:
            self.auth.expire_tokens()

    def add_buyer_message(self, conversation_id: str, text: str, at: datetime | None = None) -> str:
        """The buyer writes in a thread or an issue chat; returns the new message id."""
        with self._lock:
            thread = self.data.threads.get(conversation_id)
            if thread is not None:
                when = at or self.state.clock.next_time(thread.last_message_at)
                msg = ThreadMessage(self.state.ids.new_uuid(), "BUYER", thread.buyer_login, text, when)
                thread.messages.append(msg)
                thread.messages.sort(key=lambda m: m.created_at)
                thread.read = False
                return msg.id
            issue = self.data.issues.get(conversation_id)
            if issue is not None:
                when = at or self.state.clock.next_time(issue.chat[-1].created_at)
                entry = ChatEntry(self.state.ids.new_uuid(), "BUYER", issue.buyer_login, text, when)
                issue.chat.append(entry)
                issue.chat.sort(key=lambda e: e.created_at)
                return entry.id
            raise KeyError(conversation_id)

    def stamp_last_message(self, conversation_id: str, at: datetime) -> None:
        """The newest message of a thread (or chat entry of an issue) gets the time `at`, however impossible
        (9999-12-31, 0001-01-01): the conversation's last-message time in every answer follows it."""
        with self._lock:
            thread = self.data.threads.get(conversation_id)
            entries: list[ThreadMessage] | list[ChatEntry] = (
                thread.messages if thread is not None else self.data.issues[conversation_id].chat
            )
            entries[-1].created_at = at

    def publish_late(self, k: int, *, hidden: bool) -> list[str]:
        """k buyer messages Allegro publishes late, dated when they were written; returns their ids. Below the cursor
        (`hidden` False): threads of the second page get messages written a few minutes before the newest activity,
        under the newest thread. Hidden: the newest threads with two messages or more get one written between their
        last two, so that their last activity does not move."""
        with self._lock:
            newest_first = sorted(self.data.threads.values(), key=lambda t: t.last_message_at, reverse=True)
            published: list[str] = []
            if hidden:
                candidates = [t for t in newest_first[1:]
                              if len(t.messages) >= 2 and t.messages[-2].created_at < t.messages[-1].created_at]
                for n, thread in enumerate(candidates[:k]):
                    before, last = thread.messages[-2].created_at, thread.messages[-1].created_at
                    published.append(self.add_buyer_message(
                        thread.id, f"Wiadomość wstrzymana przez moderację ({n + 1})", at=before + (last - before) / 2))
                return published
            top = newest_first[0].last_message_at
            for thread in newest_first[20:]:
                written = top - timedelta(seconds=60 * (len(published) + 1))
                if thread.last_message_at >= written:
                    continue  # not below the cursor
                published.append(self.add_buyer_message(thread.id, f"Tak, wyślij ({len(published) + 1})", at=written))
                if len(published) == k:
                    break
            return published

    def touch_random(self, k: int, seed: int) -> list[str]:
        """k distinct conversations (threads and issues that still take messages) get a new buyer message."""
        with self._lock:
            open_ids = sorted(
                [t.id for t in self.data.threads.values() if t.status == "OPEN"]
                + [i.id for i in self.data.issues.values() if i.chat_active]
            )
            chosen = random.Random(seed).sample(open_ids, min(k, len(open_ids)))
            for n, conversation_id in enumerate(chosen):
                self.add_buyer_message(conversation_id, f"Dzień dobry, czy są jakieś nowości w mojej sprawie? ({n + 1})")
            return chosen
