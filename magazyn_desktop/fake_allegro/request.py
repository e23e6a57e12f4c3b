"""One incoming request as the endpoint functions see it, with the checks every endpoint shares.

A failed check raises `Reject` carrying the ready error response, so endpoint code reads top to bottom.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .responses import BETA_V1, PLAIN_JSON, PUBLIC_V1, DemoResponse, error, not_acceptable, validation

ATTACHMENT_TYPES = frozenset({"image/png", "image/gif", "image/bmp", "image/tiff", "image/jpeg", "application/pdf"})
ATTACHMENT_MAX_BYTES = 5_242_880
EXTENSION_TYPES = {
    "png": "image/png", "gif": "image/gif", "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "pdf": "application/pdf",
}


class Reject(Exception):
    def __init__(self, response: DemoResponse) -> None:
        super().__init__(response.status)
        self.response = response


@dataclass
class Request:
    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    base_url: str
    path_params: dict[str, str] = field(default_factory=dict)
    media: str = PLAIN_JSON  # set by negotiate(); errors are sent in it too

    @property
    def beta(self) -> bool:
        return self.media == BETA_V1

    def negotiate(self, *allowed: str) -> str:
        """Pick the first Accept entry that this endpoint serves; anything else is Allegro's 406."""
        for entry in self.headers.get("accept", "").split(","):
            media = entry.split(";")[0].strip().lower()
            if media in allowed:
                self.media = media
                return media
        raise Reject(not_acceptable())

    def fail(self, message: str, path: str | None = None) -> Reject:
        return Reject(validation(message, path, media_type=self.media))

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def int_param(self, name: str, default: int, low: int, high: int | None, message: str) -> int:
        raw = self.param(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise self.fail(message, name) from None
        if value < low or (high is not None and value > high):
            raise self.fail(message, name)
        return value

    def bool_param(self, name: str) -> bool | None:
        raw = self.param(name)
        if raw is None:
            return None
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise self.fail(f"Invalid value of '{name}'", name)

    def date_param(self, name: str, message: str) -> datetime | None:
        raw = self.param(name)
        if raw is None:
            return None
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(message, name) from None

    def json_body(self) -> dict[str, Any]:
        content_type = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if not (content_type.endswith("+json") or content_type == "application/json"):
            raise Reject(error(415, "UNSUPPORTED_MEDIA_TYPE", f"Content type '{content_type}' not supported",
                               "The request contains incorrect data. Contact the author of the application.",
                               media_type=self.media))
        try:
            data = json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise Reject(error(400, "BAD_REQUEST", "Malformed JSON body", "The request contains incorrect data.",
                               media_type=self.media)) from None
        if not isinstance(data, dict):
            raise self.fail("Request body must be a JSON object")
        return data

    def upload_body(self) -> tuple[str, bytes]:
        """Raw attachment bytes: the Content-Type must be exactly one of Allegro's six (no parameters)."""
        content_type = self.headers.get("content-type", "")
        if content_type not in ATTACHMENT_TYPES:
            raise Reject(error(415, "UNSUPPORTED_MIME_TYPE", f"Unsupported media type: {content_type}",
                               "Nieobsługiwany typ pliku.", path="attachment.filename"))
        if len(self.body) > ATTACHMENT_MAX_BYTES:
            raise Reject(error(413, "PAYLOAD_TOO_LARGE", "Attachment is too large", "Plik jest za duży (maks. 5 MB)."))
        return content_type, self.body


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower() and len(value) == 36
    except ValueError:
        return False


def encode_cursor(moment: datetime, ident: str) -> str:
    # Keyset cursor (position, not offset): a conversation that moves to the top does not shift later pages.
    return base64.urlsafe_b64encode(f"p={moment.isoformat()};s={ident}".encode()).decode()


def decode_cursor(req: Request, raw: str) -> tuple[datetime, str]:
    try:
        text = base64.urlsafe_b64decode(raw.encode()).decode()
        stamp, ident = text.split(";", 1)
        if not stamp.startswith("p=") or not ident.startswith("s="):
            raise ValueError(text)
        return datetime.fromisoformat(stamp[2:]), ident[2:]
    except (ValueError, UnicodeDecodeError):
        raise req.fail("Invalid page.id", "page.id") from None


def extension_type(file_name: str) -> str | None:
    return EXTENSION_TYPES.get(file_name.rsplit(".", 1)[-1].lower()) if "." in file_name else None


__all__ = [
    "ATTACHMENT_MAX_BYTES", "ATTACHMENT_TYPES", "BETA_V1", "PUBLIC_V1", "Reject", "Request", "decode_cursor",
    "encode_cursor", "extension_type", "is_uuid",
]
