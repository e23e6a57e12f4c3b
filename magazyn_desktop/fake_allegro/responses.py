"""The response value the fake server returns, what the transports serve, and builders for Allegro's error bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

PUBLIC_V1 = "application/vnd.allegro.public.v1+json"
BETA_V1 = "application/vnd.allegro.beta.v1+json"
PLAIN_JSON = "application/json"

# How a transport must misbehave for this response (set by faults, never by endpoints). "silent": the request is
# taken and never answered (in-process: a read timeout at once; on loopback: the connection stays open and mute).
Breakage = Literal["drop", "truncate", "silent"]


@dataclass
class DemoResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    breakage: Breakage | None = None

    def json(self) -> Any:
        return json.loads(self.body)


class Responder(Protocol):
    """What the in-process transport and the loopback server serve: `DemoAllegro`, seen from the wire."""

    API_URL: str
    AUTH_URL: str

    def handle(self, method: str, path: str, query: Mapping[str, list[str]] | str, headers: Mapping[str, str],
               body: bytes, *, base_url: str | None = None) -> DemoResponse: ...


def json_response(status: int, payload: Any, media_type: str = PLAIN_JSON, headers: dict[str, str] | None = None) -> DemoResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return DemoResponse(status, {"Content-Type": media_type, **(headers or {})}, body)


def error(
    status: int,
    code: str,
    message: str,
    user_message: str,
    *,
    path: str | None = None,
    details: str | None = None,
    media_type: str = PLAIN_JSON,
) -> DemoResponse:
    """An `ErrorsHolder` body with one `Error`."""
    err: dict[str, Any] = {"code": code, "message": message, "details": details, "path": path,
                           "userMessage": user_message, "metadata": {}}
    return json_response(status, {"errors": [err]}, media_type)


def auth_error(status: int, err: str, description: str) -> DemoResponse:
    """OAuth-shaped body (`AuthError`), used for 401 on the API and for every token endpoint error."""
    return json_response(status, {"error": err, "error_description": description}, "application/json;charset=UTF-8")


def not_acceptable() -> DemoResponse:
    return error(
        406, "NotAcceptableException", "Not acceptable representation requested. Please check 'Accept' request header",
        "The request contains incorrect data. Contact the author of the application.",
    )


def not_found_path() -> DemoResponse:
    return error(404, "NotFoundException", "Not found", "Function is not available. Contact the author of the application.")


def validation(message: str, path: str | None = None, *, status: int = 422, media_type: str = PLAIN_JSON) -> DemoResponse:
    return error(status, "VALIDATION_ERROR", message, "Nieprawidłowe dane w zapytaniu.", path=path, media_type=media_type)


def too_many_requests(media_type: str = PLAIN_JSON, retry_after: float | None = None) -> DemoResponse:
    response = error(
        429, "TOO_MANY_REQUESTS", "Too Many Requests.",
        "The maximum number of queries per user has been exceeded. Try again in a few moments.", media_type=media_type,
    )
    if retry_after is not None:
        response.headers["Retry-After"] = f"{retry_after:g}"
    return response


def internal_error(status: int = 500) -> DemoResponse:
    return error(status, "INTERNAL_SERVER_ERROR", "Internal server error.", "Internal server error. Try again in a few minutes.")
