"""Access tokens: a fixed one for automation, or an OAuth device-flow session that refreshes itself.

Refresh tokens rotate: each refresh returns a new pair and the old refresh token dies a minute later. Two parallel
refreshes would therefore lock the user out, so refreshing is single-flight: one lock, and a thread that was
rejected with a token that is no longer current just takes the new one. The new pair is stored before it is used.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import httpx

from .credentials import CredentialStore
from .environments import Environment
from .errors import AuthError, NetworkError, ProtocolError, SignInError
from .models import DeviceAuthorization, TokenPair

log = logging.getLogger(__name__)

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
DEFAULT_SCOPES = (
    "allegro:api:messaging",
    "allegro:api:disputes",
    "allegro:api:orders:read",
    "allegro:api:profile:read",
)
REFRESH_MARGIN_SECONDS = 300.0  # refresh this long before expiry, so a request never races the deadline
SLOW_DOWN_STEP_SECONDS = 5  # RFC 8628


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def refresh_after_401(self, rejected_token: str) -> str: ...

    def close(self) -> None: ...


class StaticToken:
    """A token given from outside (MAGAZYN_ACCESS_TOKEN, tests). Never stored; cannot be refreshed."""

    def __init__(self, token: str) -> None:
        if not token:
            raise AuthError("empty access token")
        self._token = token

    @classmethod
    def from_env(cls) -> StaticToken | None:
        token = os.environ.get("MAGAZYN_ACCESS_TOKEN", "").strip()
        return cls(token) if token else None

    def access_token(self) -> str:
        return self._token

    def refresh_after_401(self, rejected_token: str) -> str:
        raise AuthError("the access token was rejected and cannot be refreshed", status=401, code="invalid_token")

    def close(self) -> None:
        """Nothing to release: the token is a string."""

    def __repr__(self) -> str:
        return "StaticToken(<hidden>)"


class OAuthSession:
    """Device-flow sign-in plus refresh, for one account of one environment."""

    def __init__(
        self,
        *,
        environment: Environment,
        client_id: str,
        client_secret: str,
        store: CredentialStore,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleeper: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        account_key: str | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> None:
        self._environment = environment
        self._client_id = client_id
        self._client_secret = client_secret
        self._store = store
        self._clock = clock
        self._sleeper = sleeper
        self._wall_clock = wall_clock
        self.account_key = account_key or f"{environment.name}:{client_id}"
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout or httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0),
            auth=httpx.BasicAuth(client_id, client_secret),
        )
        self._lock = threading.Lock()
        self._tokens: TokenPair | None = None
        self._loaded = False
        self.refresh_count = 0

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"OAuthSession(environment={self._environment.name!r}, account={self.account_key!r})"

    # -- state ---------------------------------------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        with self._lock:
            return self._current_locked() is not None

    def _current_locked(self) -> TokenPair | None:
        if not self._loaded:
            self._loaded = True
            stored = self._store.load_tokens(self.account_key)
            if stored is not None:
                # The store keeps wall-clock expiry (a monotonic clock means nothing after a restart).
                remaining = stored.expires_at - self._wall_clock()
                self._tokens = TokenPair(stored.access_token, stored.refresh_token, self._clock() + remaining, stored.scope)
        return self._tokens

    def _adopt_locked(self, tokens: TokenPair) -> None:
        """Store first, then use: a crash between the two must not lose the only valid refresh token."""
        wall_expiry = self._wall_clock() + (tokens.expires_at - self._clock())
        self._store.save_tokens(
            self.account_key, TokenPair(tokens.access_token, tokens.refresh_token, wall_expiry, tokens.scope)
        )
        self._tokens = tokens

    # -- TokenSource -----------------------------------------------------------------------------------------------

    def access_token(self) -> str:
        with self._lock:
            tokens = self._current_locked()
            if tokens is None:
                raise AuthError("not signed in", code="not_signed_in")
            if self._clock() >= tokens.expires_at - REFRESH_MARGIN_SECONDS and tokens.refresh_token:
                tokens = self._refresh_locked(tokens)
            return tokens.access_token

    def refresh_after_401(self, rejected_token: str) -> str:
        with self._lock:
            tokens = self._current_locked()
            if tokens is None:
                raise AuthError("not signed in", status=401, code="not_signed_in")
            if tokens.access_token != rejected_token:
                return tokens.access_token  # another thread already refreshed
            if not tokens.refresh_token:
                raise AuthError("the access token was rejected and there is no refresh token", status=401)
            return self._refresh_locked(tokens).access_token

    def _refresh_locked(self, tokens: TokenPair) -> TokenPair:
        assert tokens.refresh_token is not None
        self.refresh_count += 1
        # Form body, never the query string: URLs end up in logs.
        answer = self._post_token({"grant_type": "refresh_token", "refresh_token": tokens.refresh_token})
        if answer.status_code != 200:
            error, _ = self._oauth_error(answer)
            if error in ("invalid_grant", "invalid_token", "unauthorized", "invalid_client"):
                self._tokens = None
                self._store.forget(self.account_key)
            raise AuthError(
                "refreshing the access token failed; sign in again",
                status=answer.status_code,
                code=error,
                trace_id=answer.headers.get("trace-id"),
                endpoint="POST /auth/oauth/token",
            )
        new_tokens = self._token_pair(answer, "POST /auth/oauth/token", previous_refresh=tokens.refresh_token)
        self._adopt_locked(new_tokens)
        log.info("access token refreshed")
        return new_tokens

    # -- device flow -----------------------------------------------------------------------------------------------

    def start_device_flow(self, scopes: Sequence[str] | None = None) -> DeviceAuthorization:
        form = {"client_id": self._client_id}
        chosen = DEFAULT_SCOPES if scopes is None else tuple(scopes)
        if chosen:
            form["scope"] = " ".join(chosen)
        endpoint = "POST /auth/oauth/device"
        try:
            answer = self._http.post(self._environment.auth_endpoint("device"), data=form)
        except httpx.TransportError as exc:
            raise NetworkError(f"could not reach the sign-in server ({type(exc).__name__})", endpoint=endpoint) from exc
        if answer.status_code != 200:
            error, _ = self._oauth_error(answer)
            reason = "invalid_client" if answer.status_code == 401 else (error or "error")
            raise SignInError(
                "Allegro refused to start the sign-in", reason=reason, status=answer.status_code, code=error,
                endpoint=endpoint, trace_id=answer.headers.get("trace-id"),
            )
        data = self._json(answer, endpoint)
        try:
            return DeviceAuthorization(
                device_code=str(data["device_code"]),
                user_code=str(data["user_code"]),
                verification_uri=str(data["verification_uri"]),
                verification_uri_complete=data.get("verification_uri_complete"),
                expires_in=int(data.get("expires_in", 3600)),
                interval=int(data.get("interval", 5)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProtocolError("the device authorization lacks a field", endpoint=endpoint) from exc

    def poll_device_flow(
        self, authorization: DeviceAuthorization, *, cancelled: Callable[[], bool] = lambda: False
    ) -> TokenPair:
        endpoint = "POST /auth/oauth/token"
        interval = max(1, authorization.interval)
        deadline = self._clock() + authorization.expires_in
        while True:
            if cancelled():
                raise SignInError("sign-in cancelled", reason="cancelled", endpoint=endpoint)
            self._sleeper(interval)
            if cancelled():
                raise SignInError("sign-in cancelled", reason="cancelled", endpoint=endpoint)
            if self._clock() >= deadline:
                raise SignInError("the sign-in code expired", reason="expired", endpoint=endpoint)
            try:
                answer = self._post_token({"grant_type": DEVICE_GRANT, "device_code": authorization.device_code})
            except NetworkError:
                log.info("sign-in polling: network error, trying again")
                continue
            if answer.status_code == 200:
                tokens = self._token_pair(answer, endpoint, previous_refresh=None)
                with self._lock:
                    self._loaded = True
                    self._adopt_locked(tokens)
                log.info("signed in")
                return tokens
            error, _ = self._oauth_error(answer)
            if error == "authorization_pending":
                continue
            if error == "slow_down":
                interval += SLOW_DOWN_STEP_SECONDS
                log.info("sign-in polling: slowing down to every %d s", interval)
                continue
            if answer.status_code >= 500 or answer.status_code == 429:
                continue  # transient; the deadline still bounds the loop
            if error == "access_denied":
                reason = "access_denied"
            elif error in ("invalid_request", "invalid_grant", "expired_token"):
                reason = "expired"  # an expired, used or unknown device code: start again
            elif answer.status_code == 401:
                reason = "invalid_client"
            else:
                reason = error or "error"
            raise SignInError(
                f"sign-in ended: {reason}", reason=reason, status=answer.status_code, code=error,
                endpoint=endpoint, trace_id=answer.headers.get("trace-id"),
            )

    # -- helpers ----------------------------------------------------------------------------------------------------

    def _post_token(self, form: dict[str, str]) -> httpx.Response:
        try:
            return self._http.post(self._environment.auth_endpoint("token"), data=form)
        except httpx.TransportError as exc:
            raise NetworkError(
                f"could not reach the sign-in server ({type(exc).__name__})", endpoint="POST /auth/oauth/token"
            ) from exc

    @staticmethod
    def _oauth_error(answer: httpx.Response) -> tuple[str | None, str | None]:
        try:
            body = answer.json()
        except ValueError:
            return None, None
        if not isinstance(body, dict):
            return None, None
        error = body.get("error")
        if error is None and isinstance(body.get("errors"), list) and body["errors"]:
            error = body["errors"][0].get("code")
        return (str(error) if error is not None else None), None  # descriptions may quote tokens: dropped

    @staticmethod
    def _json(answer: httpx.Response, endpoint: str) -> dict[str, Any]:
        try:
            data = answer.json()
        except ValueError as exc:
            raise ProtocolError("the sign-in server's answer is not JSON", endpoint=endpoint) from exc
        if not isinstance(data, dict):
            raise ProtocolError("the sign-in server's answer is not a JSON object", endpoint=endpoint)
        return data

    def _token_pair(self, answer: httpx.Response, endpoint: str, *, previous_refresh: str | None) -> TokenPair:
        data = self._json(answer, endpoint)
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise ProtocolError("the token answer has no access_token", endpoint=endpoint)
        refresh = data.get("refresh_token")
        try:
            lifetime = float(data.get("expires_in", 43199))
        except (TypeError, ValueError):
            lifetime = 43199.0
        return TokenPair(
            access_token=access,
            refresh_token=refresh if isinstance(refresh, str) and refresh else previous_refresh,
            expires_at=self._clock() + lifetime,
            scope=data.get("scope"),
        )
