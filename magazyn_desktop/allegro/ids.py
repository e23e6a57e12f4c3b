"""Ids that go into URL paths: checked before use, and percent-encoded as exactly one path segment.

Allegro's ids are 43-character base62 strings (threads) and UUIDs (issues, their attachments, orders); the spec
types the messaging ids as plain strings. The check is liberal on purpose, because refusing a real id would lock a
conversation away: any 1 to 128 of the characters a URL path carries unescaped (letters, digits, - . _ ~) pass.
What cannot be an id (a slash, '?', '#', '%', spaces, control or bidi characters, the dot segments) is refused
before any request leaves, and the encoding keeps even a checked id from changing the path or the query.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .errors import NotFoundError

MAX_ID_LENGTH = 128
_ID_SHAPE = re.compile(r"[A-Za-z0-9._~-]{1,%d}" % MAX_ID_LENGTH)
_DOT_SEGMENTS = frozenset({"", ".", ".."})


class InvalidIdError(NotFoundError):
    """An id no Allegro resource can have; nothing was asked. A NotFoundError, so it reads as "not found"."""


def _refuse(value: object, what: str) -> InvalidIdError:
    shown = repr(value)[:60]  # enough for the log; a hostile id may be long
    return InvalidIdError(f"{what} id {shown} is not valid", code="INVALID_ID", endpoint=what)


def checked_id(value: object, what: str) -> str:
    """`value` when it has the shape of an Allegro id; else InvalidIdError. `what` names it for the log."""
    if not isinstance(value, str) or value in _DOT_SEGMENTS or not _ID_SHAPE.fullmatch(value):
        raise _refuse(value, what)
    return value


def path_segment(value: str) -> str:
    """`value` as one URL path segment: every character outside the unreserved set percent-encoded."""
    if value in _DOT_SEGMENTS:  # encoding leaves dots alone, and these would move the path
        raise _refuse(value, "path segment")
    return quote(value, safe="")


def id_segment(value: object, what: str) -> str:
    """A checked id, encoded as a path segment: how every id enters a URL path."""
    return path_segment(checked_id(value, what))
