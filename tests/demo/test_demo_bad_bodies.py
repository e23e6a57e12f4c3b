"""The switchable bad bodies: one spoiled record per listing page, lower-case date-times, null lists, deep nesting."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from magazyn_desktop.fake_allegro import DemoAllegro

THREADS = "GET /messaging/threads"
ISSUES = "GET /sale/issues"
MESSAGES = "GET /messaging/threads/{id}/messages"
CHAT = "GET /sale/issues/{id}/chat"
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}")


def _date_times(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _date_times(v)]
    if isinstance(value, list):
        return [s for v in value for s in _date_times(v)]
    return [value] if isinstance(value, str) and DATE_TIME.match(value) else []


def _listing_paths(demo: DemoAllegro) -> dict[str, tuple[str, str]]:
    thread = next(t for t in demo.data.threads.values() if len(t.messages) > 2)
    issue = next(i for i in demo.data.issues.values() if len(i.chat) > 2)
    return {
        THREADS: ("/messaging/threads?limit=20", "threads"),
        ISSUES: ("/sale/issues?limit=100", "issues"),
        MESSAGES: (f"/messaging/threads/{thread.id}/messages", "messages"),
        CHAT: (f"/sale/issues/{issue.id}/chat?limit=100", "chat"),
    }


@pytest.mark.parametrize("endpoint", [THREADS, ISSUES, MESSAGES, CHAT])
def test_one_record_per_page_is_spoiled_the_way_asked(demo: DemoAllegro, beta: httpx.Client, endpoint: str) -> None:
    path, key = _listing_paths(demo)[endpoint]
    clean = beta.get(path).json()[key]
    middle = len(clean) // 2

    demo.faults.spoil_records(endpoint, "garbage_time")
    spoiled = beta.get(path).json()[key]
    assert [r for n, r in enumerate(spoiled) if n != middle] == [r for n, r in enumerate(clean) if n != middle]
    assert spoiled[middle]["id"] == clean[middle]["id"]
    assert _date_times(spoiled[middle]) == [] and _date_times(clean[middle])

    demo.faults.spoil_records(endpoint, "integer_time")
    assert _date_times(beta.get(path).json()[key][middle]) == []

    demo.faults.spoil_records(endpoint, "missing_id")
    assert "id" not in beta.get(path).json()[key][middle]

    demo.faults.spoil_records(endpoint, "not_an_object")
    assert not isinstance(beta.get(path).json()[key][middle], dict)

    demo.faults.spoil_records(endpoint, "odd_optional_fields")
    odd = beta.get(path).json()[key][middle]
    assert odd["id"] == clean[middle]["id"] and odd != clean[middle]

    demo.faults.clear()
    assert beta.get(path).json()[key] == clean


def test_lower_case_date_times_and_null_lists(demo: DemoAllegro, beta: httpx.Client) -> None:
    demo.faults.lower_case_times.add(THREADS)
    threads = beta.get("/messaging/threads").json()["threads"]
    stamps = _date_times(threads)
    assert stamps and all(s == s.lower() and s.endswith("z") and "t" in s for s in stamps)
    assert all(s == s.upper() for s in _date_times(beta.get("/sale/issues").json()))  # other endpoints untouched

    demo.faults.null_lists.add(ISSUES)
    body = beta.get("/sale/issues").json()
    assert body == {"issues": None}


def test_deeply_nested_body(demo: DemoAllegro, beta: httpx.Client) -> None:
    demo.faults.deep_nesting[THREADS] = 100_000
    answer = beta.get("/messaging/threads")
    assert answer.status_code == 200
    assert answer.content == b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(RecursionError):
        json.loads(answer.content)
    demo.faults.clear()
    assert beta.get("/messaging/threads").json()["threads"]


def test_spoiling_needs_a_listing_endpoint(demo: DemoAllegro) -> None:
    with pytest.raises(ValueError, match="listing"):
        demo.faults.spoil_records("GET /me", "missing_id")
