"""Rewrites a successful answer's body the way `Faults` asks: a spoiled record, lower-case date-times, a null list,
a deeply nested body. Real Allegro answers have had each of these; the client must survive them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .faults import LISTINGS, Faults, RecordSpoil
from .responses import DemoResponse

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# Wrong-typed optional fields per listing: a client may use defaults for them and keep the record.
_ODD_FIELDS: dict[str, dict[str, Any]] = {
    "threads": {"orders": "x", "read": 7, "participants": "x"},
    "issues": {"buyer": "x", "checkoutForm": 7, "subject": []},
    "messages": {"relatesTo": 7, "subject": [], "additionalInformation": "x"},
    "chat": {"attachments": None},
}


def rewrite(faults: Faults, endpoint: str, response: DemoResponse) -> DemoResponse:
    if not 200 <= response.status < 300 or not response.body:
        return response
    depth = faults.deep_nesting.get(endpoint)
    if depth:
        response.body = b"[" * depth + b"]" * depth
        return response
    key = LISTINGS.get(endpoint)
    spoil = faults.spoiled_records.get(endpoint)
    lower = endpoint in faults.lower_case_times
    null = key is not None and endpoint in faults.null_lists
    if not (lower or null or (key and spoil)):
        return response
    payload = json.loads(response.body)
    if key and spoil and isinstance(payload.get(key), list) and payload[key]:
        records = payload[key]
        middle = len(records) // 2
        records[middle] = _spoiled(records[middle], key, spoil)
    if lower:
        payload = _map_times(payload, str.lower)
    if null:
        payload = {key: None}
    response.body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return response


def _spoiled(record: dict[str, Any], key: str, how: RecordSpoil) -> Any:
    if how == "garbage_time":
        return _map_times(record, lambda _: "garbage")
    if how == "integer_time":
        return _map_times(record, lambda _: 1764590400)
    if how == "missing_id":
        return {k: v for k, v in record.items() if k != "id"}
    if how == "not_an_object":
        return "garbage"
    return {**record, **_ODD_FIELDS[key]}


def _map_times(value: Any, change: Callable[[str], Any]) -> Any:
    """`value` with every date-time string in it replaced by change(date_time)."""
    if isinstance(value, dict):
        return {k: _map_times(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_times(v, change) for v in value]
    return change(value) if isinstance(value, str) and _DATE_TIME.match(value) else value
