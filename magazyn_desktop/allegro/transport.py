"""One place that talks HTTP to Allegro: headers, timeouts, retries, token refresh, and errors turned into types.

Retry policy: idempotent requests retry on connection errors, 5xx and 429 with capped exponential backoff and
jitter; a server that took the request and stayed silent until the read timeout is asked once more only. A 429 whose
Retry-After is longer than a short pause ends the request at once (RateLimitedError.retry_after says how long to
stay away): waiting it out inside a request would hold a sync for minutes. Within a deadline (allegro/deadline.py)
no wait or timeout reaches past it. A send (`may_duplicate=True`) is retried only when the request certainly never
left (a connect error); once it may have reached Allegro, a failure becomes OutcomeUnknownError and the outbox
decides what to do.

Every answer's `Date` header is kept as the server's clock (the reference for plausible times), and every text of an
error answer is redacted of the token that was sent and of anything token-shaped before it becomes an error.
"""

from __future__ import annotations

import json
import logging
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from magazyn_desktop import __version__
from magazyn_desktop.redaction import redact

from .auth import TokenSource
from .deadline import Deadline, current_deadline
from .errors import (
    AllegroError,
    AuthError,
    ConflictError,
    DeadlineExceededError,
    ForbiddenError,
    NetworkError,
    NotAcceptableError,
    NotFoundError,
    OutcomeUnknownError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from .ratelimit import RateLimiter

log = logging.getLogger(__name__)

PUBLIC_V1 = "application/vnd.allegro.public.v1+json"
BETA_V1 = "application/vnd.allegro.beta.v1+json"
USER_AGENT = f"magazyn-desktop/{__version__}"

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
_BACKOFF_BASE_SECONDS = 0.5
_BACKOFF_CAP_SECONDS = 30.0
_RATE_LIMIT_BASE_SECONDS = 2.0
_RATE_LIMIT_CAP_SECONDS = 60.0  # over the app budget, Allegro blocks the Client ID for one minute
_RETRY_AFTER_WAIT_MAX = 10.0  # a longer Retry-After ends the request; the caller comes back later
_SILENT_RETRIES = 1  # read/write timeouts: the server took the request and said nothing

# Allegro codes that mean "this conversation no longer takes messages", whatever the status.
_CONFLICT_CODES = {"THREAD_CLOSED", "DISPUTE_ALREADY_RESOLVED"}


def new_http_client(
    *, transport: httpx.BaseTransport | None, timeout: httpx.Timeout | None, language: str
) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        timeout=timeout or DEFAULT_TIMEOUT,
        headers={"User-Agent": USER_AGENT, "Accept-Language": language},
        limits=httpx.Limits(max_keepalive_connections=8, max_connections=16, keepalive_expiry=60.0),
        follow_redirects=False,
    )


def _first_error(body: Any) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            return errors[0]
        return body
    return {}


def error_from_response(response: httpx.Response, endpoint: str, secrets: tuple[str | None, ...] = ()) -> AllegroError:
    """The typed error for a non-2xx answer, with Allegro's code, userMessage and trace-id; `secrets` (the token
    just sent) and anything token-shaped are redacted from every text Allegro put in it."""
    status = response.status_code
    try:
        body: Any = response.json()
    except (ValueError, UnicodeDecodeError, RecursionError):
        body = None
    first = _first_error(body)
    code = first.get("code") or first.get("error")
    code = str(code) if code is not None else None
    user_message = first.get("userMessage")
    user_message = redact(str(user_message), secrets) if user_message is not None else None
    fields: dict[str, Any] = {
        "status": status,
        "code": code,
        "user_message": user_message,
        "trace_id": response.headers.get("trace-id"),
        "endpoint": endpoint,
    }
    # Allegro's own developer message, but never an OAuth description: "Access token expired: <the token>".
    detail = first.get("message") if "errors" in (body or {}) else None
    message = f"Allegro answered {status}" + (f": {redact(detail, secrets)}" if isinstance(detail, str) and detail else "")
    if status == 401:
        return AuthError(message, **fields)
    if status == 403:
        return ForbiddenError(message, **fields)
    if status == 404:
        return NotFoundError(message, **fields)
    if status == 406:
        return NotAcceptableError(message, **fields)
    if status == 409 or code in _CONFLICT_CODES:
        return ConflictError(message, **fields)
    if status in (400, 413, 415, 422):
        return ValidationError(message, **fields)
    if status == 429:
        return RateLimitedError(message, retry_after=_retry_after(response), **fields)
    if status >= 500:
        return ServerError(message, **fields)
    return AllegroError(message, **fields)


MAX_RETRY_AFTER_SECONDS = 3600.0  # a longer (or endless) wait asked for is taken as an hour: polling must resume
_EARLIEST_SERVER_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
_SERVER_DATE_LEEWAY = timedelta(days=30)


def _http_date(value: str) -> datetime | None:
    """An HTTP date header's value as an aware datetime, or None when it is not one."""
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return date if date.tzinfo is not None else date.replace(tzinfo=timezone.utc)


def _server_date(response: httpx.Response) -> datetime | None:
    value = response.headers.get("Date")
    date = _http_date(value) if value else None
    if date is None:
        return None
    # A clock no server has (year 1, year 9999) is no reference: it would switch the far-future check off. A PC
    # clock that runs slow by days is still corrected by the server's, within a month.
    if not _EARLIEST_SERVER_DATE <= date <= datetime.now(timezone.utc) + _SERVER_DATE_LEEWAY:
        return None
    return date


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds: given as seconds, or as a date (counted from the answer's own Date, else now)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return min(max(0.0, seconds), MAX_RETRY_AFTER_SECONDS) if math.isfinite(seconds) else MAX_RETRY_AFTER_SECONDS
    until = _http_date(value)
    if until is None:
        return None
    now = _server_date(response) or datetime.now(timezone.utc)
    return min(max(0.0, (until - now).total_seconds()), MAX_RETRY_AFTER_SECONDS)


def _within(timeout: httpx.Timeout, deadline: Deadline | None, name: str) -> httpx.Timeout:
    """The request's timeouts, none of them past the deadline; DeadlineExceededError when no time is left."""
    if deadline is None:
        return timeout
    left = deadline.remaining()
    if left <= 0:
        raise DeadlineExceededError("the time for this work ran out before Allegro answered", endpoint=name)

    def cap(value: float | None) -> float:
        return left if value is None else min(value, left)

    return httpx.Timeout(connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write),
                         pool=cap(timeout.pool))


class AllegroHttp:
    """Sends one logical request (with its retries) and returns a 2xx response or raises a typed error."""

    def __init__(
        self,
        *,
        client: httpx.Client,
        tokens: TokenSource,
        limiter: RateLimiter,
        sleeper: Callable[[float], None],
        rng: random.Random,
        max_retries: int,
        trusted_hosts: set[str],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._tokens = tokens
        self._limiter = limiter
        self._sleeper = sleeper
        self._rng = rng
        self._max_retries = max_retries
        self._trusted_hosts = trusted_hosts  # the bearer token goes to these hosts only
        self._clock = clock
        self._counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._server_date: tuple[datetime, float] | None = None  # the last Date header, and `clock` when it came
        self._server_date_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def request_counts(self) -> dict[str, int]:
        with self._counts_lock:
            return dict(self._counts)

    def server_now(self) -> datetime | None:
        """Allegro's clock as of now, from the last answer's Date header; None before any answer had one."""
        with self._server_date_lock:
            seen = self._server_date
        if seen is None:
            return None
        date, at = seen
        return date + timedelta(seconds=self._clock() - at)

    def _note_server_date(self, response: httpx.Response) -> None:
        date = _server_date(response)
        if date is not None:
            with self._server_date_lock:
                self._server_date = (date, self._clock())

    def _pause(self, delay: float, deadline: Deadline | None, error: AllegroError) -> None:
        """Sleep before a retry, or raise `error` when the retry could not start before the deadline."""
        if deadline is not None and delay >= deadline.remaining():
            raise error
        self._sleeper(delay)

    def _count(self, name: str) -> None:
        with self._counts_lock:
            self._counts[name] += 1

    def _backoff(self, attempt: int, *, rate_limited: bool, retry_after: float | None) -> float:
        if rate_limited and retry_after is not None:
            return min(retry_after, _RATE_LIMIT_CAP_SECONDS)
        base, cap = (
            (_RATE_LIMIT_BASE_SECONDS, _RATE_LIMIT_CAP_SECONDS) if rate_limited else (_BACKOFF_BASE_SECONDS, _BACKOFF_CAP_SECONDS)
        )
        ceiling = min(cap, base * (2**attempt))
        return ceiling / 2 + self._rng.random() * ceiling / 2  # jitter in the upper half: spreads the workers out

    def request(
        self,
        method: str,
        url: str,
        *,
        endpoint: str,
        accept: str,
        json_body: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
        params: Mapping[str, str | int] | None = None,
        may_duplicate: bool = False,
        send_account: str | None = None,
    ) -> httpx.Response:
        """`endpoint` is the path template ("/messaging/threads/{id}") used in counts, logs and errors."""
        name = f"{method} {endpoint}"
        headers = {"Accept": accept}
        body: bytes | None = content
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = content_type or accept
        elif content_type:
            headers["Content-Type"] = content_type
        send_token = httpx.URL(url).host in self._trusted_hosts
        deadline = current_deadline()
        attempt = 0
        silent = 0
        refreshed = False
        while True:
            timeout = _within(self._client.timeout, deadline, name)
            if send_account is not None:
                self._limiter.acquire_send(send_account)
            else:
                self._limiter.acquire()
            token = self._tokens.access_token() if send_token else None
            request_headers = dict(headers)
            if token is not None:
                request_headers["Authorization"] = f"Bearer {token}"
            request = self._client.build_request(method, url, headers=request_headers, content=body, params=params,
                                                 timeout=timeout)
            started = time.perf_counter()
            try:
                self._count(name)
                response = self._client.send(request)
                response.read()
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # The request never left this machine: safe to try again, even for a send.
                unreachable = NetworkError(f"could not reach Allegro ({type(exc).__name__})", endpoint=name)
                if attempt < self._max_retries:
                    delay = self._backoff(attempt, rate_limited=False, retry_after=None)
                    log.info("%s: %s, retrying in %.1f s", name, type(exc).__name__, delay)
                    attempt += 1
                    self._pause(delay, deadline, unreachable)
                    continue
                raise unreachable from exc
            except httpx.TransportError as exc:
                if may_duplicate:
                    raise OutcomeUnknownError(
                        f"no answer after the request was sent ({type(exc).__name__})", endpoint=name
                    ) from exc
                no_answer = NetworkError(f"no answer from Allegro ({type(exc).__name__})", endpoint=name)
                timed_out = isinstance(exc, httpx.TimeoutException)
                if attempt < self._max_retries and (not timed_out or silent < _SILENT_RETRIES):
                    delay = self._backoff(attempt, rate_limited=False, retry_after=None)
                    log.info("%s: %s, retrying in %.1f s", name, type(exc).__name__, delay)
                    attempt += 1
                    silent += timed_out
                    self._pause(delay, deadline, no_answer)
                    continue
                raise no_answer from exc
            elapsed_ms = (time.perf_counter() - started) * 1000
            self._note_server_date(response)
            status = response.status_code
            log.debug("%s -> %d in %.0f ms", name, status, elapsed_ms)
            if 200 <= status < 300:
                return response
            if status == 401 and token is not None and not refreshed:
                # Refresh once (single-flight inside the token source), then repeat the request once.
                log.info("%s: access token rejected, refreshing", name)
                self._tokens.refresh_after_401(token)
                refreshed = True
                continue
            error = error_from_response(response, name, (token,))
            transient = status == 429 or status >= 500
            if transient and may_duplicate:
                if status == 429:
                    raise error  # refused before processing; the outbox will try again later
                raise OutcomeUnknownError(
                    f"Allegro answered {status} to a send",
                    status=status,
                    code=error.code,
                    user_message=error.user_message,
                    trace_id=error.trace_id,
                    endpoint=name,
                )
            retry_after = _retry_after(response) if status == 429 else None
            if retry_after is not None and retry_after > _RETRY_AFTER_WAIT_MAX:
                log.info("%s: 429, Allegro asks to wait %.0f s; not retrying", name, retry_after)
                raise error
            if transient and attempt < self._max_retries:
                delay = self._backoff(attempt, rate_limited=status == 429, retry_after=retry_after)
                log.info("%s: %d (trace-id %s), retrying in %.1f s", name, status, error.trace_id, delay)
                attempt += 1
                self._pause(delay, deadline, error)
                continue
            raise error


def json_of(response: httpx.Response, endpoint: str) -> Any:
    """The JSON body of a 2xx answer, or ProtocolError naming the endpoint."""
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # The decoder gives up with RecursionError on arrays or objects nested about a thousand deep.
        raise ProtocolError(
            "the answer is nested too deeply to read" if isinstance(exc, RecursionError) else "the answer is not JSON",
            status=response.status_code,
            trace_id=response.headers.get("trace-id"),
            endpoint=endpoint,
        ) from exc
