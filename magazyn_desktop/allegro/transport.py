"""One place that talks HTTP to Allegro: headers, timeouts, retries, token refresh, and errors turned into types.

Retry policy: idempotent requests retry on connection errors, timeouts, 5xx and 429 with capped exponential backoff
and jitter. A send (`may_duplicate=True`) is retried only when the request certainly never left (a connect error);
once it may have reached Allegro, a failure becomes OutcomeUnknownError and the outbox decides what to do.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from magazyn_desktop import __version__

from .auth import TokenSource
from .errors import (
    AllegroError,
    AuthError,
    ConflictError,
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


def error_from_response(response: httpx.Response, endpoint: str) -> AllegroError:
    """The typed error for a non-2xx answer, with Allegro's code, userMessage and trace-id."""
    status = response.status_code
    try:
        body: Any = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    first = _first_error(body)
    code = first.get("code") or first.get("error")
    code = str(code) if code is not None else None
    user_message = first.get("userMessage")
    user_message = str(user_message) if user_message is not None else None
    fields: dict[str, Any] = {
        "status": status,
        "code": code,
        "user_message": user_message,
        "trace_id": response.headers.get("trace-id"),
        "endpoint": endpoint,
    }
    # Allegro's own developer message, but never an OAuth description: "Access token expired: <the token>".
    detail = first.get("message") if "errors" in (body or {}) else None
    message = f"Allegro answered {status}" + (f": {detail}" if isinstance(detail, str) and detail else "")
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


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


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
    ) -> None:
        self._client = client
        self._tokens = tokens
        self._limiter = limiter
        self._sleeper = sleeper
        self._rng = rng
        self._max_retries = max_retries
        self._trusted_hosts = trusted_hosts  # the bearer token goes to these hosts only
        self._counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def request_counts(self) -> dict[str, int]:
        with self._counts_lock:
            return dict(self._counts)

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
        attempt = 0
        refreshed = False
        while True:
            if send_account is not None:
                self._limiter.acquire_send(send_account)
            else:
                self._limiter.acquire()
            token = self._tokens.access_token() if send_token else None
            request_headers = dict(headers)
            if token is not None:
                request_headers["Authorization"] = f"Bearer {token}"
            request = self._client.build_request(method, url, headers=request_headers, content=body, params=params)
            started = time.perf_counter()
            try:
                self._count(name)
                response = self._client.send(request)
                response.read()
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # The request never left this machine: safe to try again, even for a send.
                if attempt < self._max_retries:
                    delay = self._backoff(attempt, rate_limited=False, retry_after=None)
                    log.info("%s: %s, retrying in %.1f s", name, type(exc).__name__, delay)
                    attempt += 1
                    self._sleeper(delay)
                    continue
                raise NetworkError(f"could not reach Allegro ({type(exc).__name__})", endpoint=name) from exc
            except httpx.TransportError as exc:
                if may_duplicate:
                    raise OutcomeUnknownError(
                        f"no answer after the request was sent ({type(exc).__name__})", endpoint=name
                    ) from exc
                if attempt < self._max_retries:
                    delay = self._backoff(attempt, rate_limited=False, retry_after=None)
                    log.info("%s: %s, retrying in %.1f s", name, type(exc).__name__, delay)
                    attempt += 1
                    self._sleeper(delay)
                    continue
                raise NetworkError(f"no answer from Allegro ({type(exc).__name__})", endpoint=name) from exc
            elapsed_ms = (time.perf_counter() - started) * 1000
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
            error = error_from_response(response, name)
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
            if transient and attempt < self._max_retries:
                delay = self._backoff(
                    attempt, rate_limited=status == 429, retry_after=_retry_after(response) if status == 429 else None
                )
                log.info("%s: %d (trace-id %s), retrying in %.1f s", name, status, error.trace_id, delay)
                attempt += 1
                self._sleeper(delay)
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
