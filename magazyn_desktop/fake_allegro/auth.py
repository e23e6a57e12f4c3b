"""Tokens and the OAuth device flow of the fake Allegro (the `/auth/oauth/*` endpoints on the auth host).

Not thread-safe on its own: the server calls it under its lock. Time comes from the injected clock, so tests can move
tokens past their expiry without sleeping.
"""

from __future__ import annotations

import base64
import json
import secrets
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

from .responses import DemoResponse, auth_error, json_response

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
ACCESS_TOKEN_SECONDS = 43199  # Allegro's 12 h minus one second
DEVICE_CODE_SECONDS = 3600
SCOPES = "allegro:api:messaging allegro:api:disputes allegro:api:orders:read allegro:api:profile:read"


@dataclass
class DeviceRequest:
    device_code: str
    user_code: str
    client_id: str
    expires_at: float
    polls: int = 0
    last_poll: float | None = None
    state: str = "pending"  # pending | approved | denied | used


class AuthServer:
    def __init__(
        self,
        clock: Callable[[], float],
        user_id: str,
        *,
        demo_token: str,
        verification_uri: str,
        auto_approve_after: int | None = None,
        device_interval: int = 5,
        enforce_interval: bool = False,
    ) -> None:
        self._clock = clock
        self._user_id = user_id
        self.demo_token = demo_token
        self.verification_uri = verification_uri
        self.auto_approve_after = auto_approve_after  # approve on this poll number (the interactive demo uses 2)
        self.device_interval = device_interval
        self.enforce_interval = enforce_interval  # answer slow_down to polls closer together than the interval
        self._devices: dict[str, DeviceRequest] = {}
        self._access: dict[str, float] = {}  # access token -> expiry (clock seconds)
        self._refresh: dict[str, str] = {}  # refresh token -> client id

    # -- API side ----------------------------------------------------------------------------------------------------

    def token_valid(self, token: str) -> bool:
        if token == self.demo_token:
            return True
        expiry = self._access.get(token)
        return expiry is not None and self._clock() < expiry

    def expire_tokens(self) -> None:
        """Every issued access token stops working now (the demo token too); refresh tokens stay valid."""
        for token in self._access:
            self._access[token] = float("-inf")
        self.demo_token = ""

    def issue_tokens(self, client_id: str = "demo-client") -> dict[str, object]:
        now = self._clock()
        access = self._jwt(client_id, now)
        refresh = secrets.token_urlsafe(32)
        self._access[access] = now + ACCESS_TOKEN_SECONDS
        self._refresh[refresh] = client_id
        return {
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "scope": SCOPES,
            "allegro_api": True,
            "iss": "https://auth.demo.invalid",
            "jti": secrets.token_hex(16),
        }

    def _jwt(self, client_id: str, now: float) -> str:
        # Shaped like Allegro's JWT (header.payload.signature) so a client that peeks at `exp` finds it; unsigned.
        def part(obj: object) -> str:
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

        payload = {"user_name": self._user_id, "client_id": client_id, "scope": SCOPES.split(), "exp": int(now) + ACCESS_TOKEN_SECONDS}
        return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}.{secrets.token_urlsafe(16)}"

    # -- device flow -------------------------------------------------------------------------------------------------

    def approve(self, user_code: str) -> bool:
        return self._decide(user_code, "approved")

    def deny(self, user_code: str) -> bool:
        return self._decide(user_code, "denied")

    def pending_user_codes(self) -> list[str]:
        return [d.user_code for d in self._devices.values() if d.state == "pending"]

    def _decide(self, user_code: str, state: str) -> bool:
        for device in self._devices.values():
            if device.user_code == user_code.upper() and device.state == "pending":
                device.state = state
                return True
        return False

    def handle(self, method: str, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str], body: bytes) -> DemoResponse:
        params = {k: v[-1] for k, v in query.items() if v}
        if body and "form-urlencoded" in headers.get("content-type", "application/x-www-form-urlencoded"):
            params.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()})
        basic_client = _basic_client(headers.get("authorization", ""))
        if method != "POST" or path not in ("/auth/oauth/device", "/auth/oauth/token"):
            return auth_error(404, "not_found", "Not found")
        if basic_client is None:
            return auth_error(401, "Unauthorized", "Unauthorized")
        if path == "/auth/oauth/device":
            return self._device(params.get("client_id") or basic_client)
        grant = params.get("grant_type", "")
        if grant == DEVICE_GRANT:
            return self._poll(params.get("device_code", ""))
        if grant == "refresh_token":
            return self._refresh_grant(params.get("refresh_token", ""))
        return auth_error(400, "unsupported_grant_type", f"Unsupported grant type: {grant}")

    def _device(self, client_id: str) -> DemoResponse:
        device_code = secrets.token_urlsafe(24)
        user_code = "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(8))
        self._devices[device_code] = DeviceRequest(device_code, user_code, client_id, self._clock() + DEVICE_CODE_SECONDS)
        return json_response(200, {
            "device_code": device_code,
            "user_code": user_code,
            "expires_in": DEVICE_CODE_SECONDS,
            "interval": self.device_interval,
            "verification_uri": self.verification_uri,
            "verification_uri_complete": f"{self.verification_uri}?code={user_code}",
        }, "application/json;charset=UTF-8")

    def _poll(self, device_code: str) -> DemoResponse:
        device = self._devices.get(device_code)
        now = self._clock()
        if device is None or device.state == "used" or now >= device.expires_at:
            return auth_error(400, "invalid_request", "Invalid device code")
        too_soon = device.last_poll is not None and now - device.last_poll < self.device_interval
        device.polls += 1
        device.last_poll = now
        if device.state == "pending" and self.auto_approve_after is not None and device.polls >= self.auto_approve_after:
            device.state = "approved"
        if device.state == "denied":
            return auth_error(400, "access_denied", "User denied access")
        if device.state == "pending":
            if self.enforce_interval and too_soon:
                return auth_error(400, "slow_down", "Polling too frequently")
            return auth_error(400, "authorization_pending", "User has not authorized the device code yet.")
        device.state = "used"  # device codes are single-use
        return json_response(200, self.issue_tokens(device.client_id), "application/json;charset=UTF-8")

    def _refresh_grant(self, refresh_token: str) -> DemoResponse:
        client_id = self._refresh.pop(refresh_token, None)  # rotation: the used refresh token dies now
        if client_id is None:
            return auth_error(400, "invalid_grant", "Invalid refresh token")
        return json_response(200, self.issue_tokens(client_id), "application/json;charset=UTF-8")


def _basic_client(header: str) -> str | None:
    """The client id from `Authorization: Basic base64(id:secret)`, or None when it is absent or malformed."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return client_id if sep and client_id and secret else None
