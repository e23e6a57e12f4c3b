"""Secrets out of any text that came from a server before it is logged, reported or stored.

Allegro has quoted the access token back in `errors[].message` ("Access token expired: eyJ..."); such a token is
still valid for hours. Redacted are the tokens the caller knows (the ones just sent) and anything shaped like one:
a JWT (Allegro's access and refresh tokens are JWTs) or whatever follows "Bearer".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[redacted]"
_TOKEN_SHAPED = re.compile(
    r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"  # a JWT: base64url JSON header, payload, signature
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/=-]{8,}"
)
_SHORTEST_SECRET = 8  # a shorter "secret" would blank out ordinary words


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    for secret in sorted({s for s in secrets if s and len(s) >= _SHORTEST_SECRET}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPED.sub(REDACTED, text)
