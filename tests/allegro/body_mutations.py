"""Ways an answer from Allegro goes wrong, as Hypothesis strategies over a valid body, and the bytes it is sent as.

A mutation picks one place in the body (the body itself included) and swaps the value's JSON type, drops the
field, makes a string 100,000 characters long, puts an impossible timestamp there, or nests it hundreds of levels
deep. Nesting past the recursion limit is a case of its own (UNDECODABLE_DEPTHS): such a body has no records left
to parse.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

JsonPath = tuple[str | int, ...]

OVERSIZED_LENGTH = 100_000
# Deep, but within what the JSON decoder follows under the interpreter's default recursion limit of 1000.
DECODABLE_DEPTHS = (2, 30, 200, 600)
# Past any recursion limit in force (Hypothesis raises it to about 2000 frames above the test while it runs):
# decoding the JSON itself gives up.
UNDECODABLE_DEPTHS = (10_000, 100_000)

SWAPPED_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 2**64, 3.5, "", "0", "true", [], [None], {}, {"id": None},
)
BAD_TIMESTAMPS = (
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:30:00+01:00",  # parses, but is before year 1 in UTC
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:30:00-01:00",  # parses, but is after year 9999 in UTC
    "2026-06-02T10:00:00z",  # lower-case z
    "2026-06-02t10:00:00z",
    "2026-06-02T10:00:00",  # no offset at all
    "2026-06-02",
    "2025-06-29T18:12:12.000.019Z",  # the spec's own example for openedDate
    "2026-13-45T25:61:61Z",
    "+275760-09-13T00:00:00Z",
    "1780000000",
    "teraz",
    "",
)
_TIMESTAMP_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}T")


@dataclass(frozen=True)
class Deep:
    """A value nested `depth` levels deep. It is written straight into the JSON text, since as a Python object it
    could not be built, printed or serialised without the very recursion it is there to provoke."""

    depth: int
    container: str  # "list" or "dict"

    def json_text(self) -> str:
        if self.container == "list":
            return "[" * self.depth + "]" * self.depth
        return '{"a":' * self.depth + "{}" + "}" * self.depth


def to_json_bytes(body: Any) -> bytes:
    """The UTF-8 JSON text of a body that may hold Deep placeholders."""
    deep_by_token: dict[str, Deep] = {}

    def with_tokens(value: Any) -> Any:
        if isinstance(value, Deep):
            token = f"deep-{uuid.uuid4().hex}"
            deep_by_token[token] = value
            return token
        if isinstance(value, dict):
            return {key: with_tokens(item) for key, item in value.items()}
        if isinstance(value, list):
            return [with_tokens(item) for item in value]
        return value

    text = json.dumps(with_tokens(body), ensure_ascii=False)
    for token, deep in deep_by_token.items():
        text = text.replace(json.dumps(token), deep.json_text(), 1)
    return text.encode("utf-8")


def json_paths(value: Any, prefix: JsonPath = ()) -> list[JsonPath]:
    """Every place in a body, the body itself first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(json_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(json_paths(item, (*prefix, index)))
    return found


def value_at(value: Any, path: JsonPath) -> Any:
    for step in path:
        value = value[step]
    return value


def replaced(value: Any, path: JsonPath, new: Any) -> Any:
    """A copy of `value` with the value at `path` replaced; the original is left as it was."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(value[head], rest, new)  # type: ignore[index]
    return copy


def without(value: Any, path: JsonPath) -> Any:
    """A copy of `value` without the object member at `path`."""
    parent = value_at(value, path[:-1])
    return replaced(value, path[:-1], {key: item for key, item in parent.items() if key != path[-1]})


def _json_type(value: Any) -> str:
    if value is None or isinstance(value, (bool, str, list, dict)):
        return type(value).__name__
    return "number"


@st.composite
def mutation(draw: st.DrawFn, body: Any) -> Any:
    """`body` with one thing wrong in it."""
    paths = json_paths(body)
    kind = draw(st.sampled_from(("swap type", "drop field", "oversize", "bad timestamp", "deepen")))
    if kind == "drop field":
        members = [path for path in paths if path and isinstance(value_at(body, path[:-1]), dict)]
        if members:
            return without(body, draw(st.sampled_from(members)))
    if kind == "oversize":
        strings = [path for path in paths if isinstance(value_at(body, path), str)] or paths
        return replaced(body, draw(st.sampled_from(strings)), draw(st.sampled_from("xż")) * OVERSIZED_LENGTH)
    if kind == "bad timestamp":
        strings = [path for path in paths if isinstance(value_at(body, path), str)]
        stamps = [path for path in strings if _TIMESTAMP_LIKE.match(value_at(body, path))] or strings or paths
        return replaced(body, draw(st.sampled_from(stamps)), draw(st.sampled_from(BAD_TIMESTAMPS)))
    path = draw(st.sampled_from(paths))
    if kind == "deepen":
        deep = Deep(draw(st.sampled_from(DECODABLE_DEPTHS)), draw(st.sampled_from(("list", "dict"))))
        return replaced(body, path, deep)
    current = _json_type(value_at(body, path))
    return replaced(body, path, draw(st.sampled_from([v for v in SWAPPED_VALUES if _json_type(v) != current])))


@st.composite
def mutations(draw: st.DrawFn, body: Any, max_count: int = 3) -> Any:
    """`body` with one to `max_count` things wrong in it."""
    for _ in range(draw(st.integers(min_value=1, max_value=max_count))):
        body = draw(mutation(body))
    return body


@st.composite
def broken_bytes(draw: st.DrawFn, text: bytes) -> bytes:
    """The bytes of a body that do not decode: cut short, not UTF-8, or nothing at all."""
    kind = draw(st.sampled_from(("cut short", "not utf-8", "empty")))
    if kind == "cut short" and len(text) > 1:
        return text[: draw(st.integers(min_value=1, max_value=len(text) - 1))]
    if kind == "not utf-8":
        return b"\x80" + text
    return b""
