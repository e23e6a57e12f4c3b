"""parsing.py on its own: every RFC 3339 form, one bad record skipped instead of the page, null lists refused, and
nothing but ProtocolError ever raised, whatever JSON comes in."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magazyn_desktop.allegro import parsing
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.errors import ProtocolError
from magazyn_desktop.allegro.transport import json_of

from .conftest import BETA, ISSUE_ID, THREAD_ID, beta_message, beta_thread, chat_entry, errors_body, issue

UTC = timezone.utc
ENDPOINT = "GET /test"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-06-02T10:00:00Z", datetime(2026, 6, 2, 10, 0, tzinfo=UTC)),
    ("2026-06-02t10:00:00z", datetime(2026, 6, 2, 10, 0, tzinfo=UTC)),
    ("2026-06-02 10:00:00Z", datetime(2026, 6, 2, 10, 0, tzinfo=UTC)),
    ("2026-06-02T10:00:00.5Z", datetime(2026, 6, 2, 10, 0, 0, 500_000, tzinfo=UTC)),
    ("2026-06-02T10:00:00.123Z", datetime(2026, 6, 2, 10, 0, 0, 123_000, tzinfo=UTC)),
    ("2026-06-02T10:00:00.123456789Z", datetime(2026, 6, 2, 10, 0, 0, 123_456, tzinfo=UTC)),
    ("2026-06-02T12:00:00+02:00", datetime(2026, 6, 2, 10, 0, tzinfo=UTC)),
    ("2026-06-02T05:30:00-04:30", datetime(2026, 6, 2, 10, 0, tzinfo=UTC)),
    ("2026-06-02T10:00:00-00:00", datetime(2026, 6, 2, 10, 0, tzinfo=UTC)),
    ("2026-06-02T10:00:00", datetime(2026, 6, 2, 10, 0, tzinfo=UTC)),  # no offset: taken as UTC, as before
    ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)),  # a leap second
    ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
    ("0001-01-01T00:00:00-01:00", datetime(1, 1, 1, 1, 0, tzinfo=UTC)),
    ("9999-12-31T23:59:59.999Z", datetime(9999, 12, 31, 23, 59, 59, 999_000, tzinfo=UTC)),
])
def test_every_rfc3339_form_is_read_as_utc(text: str, expected: datetime) -> None:
    parsed = parsing.parse_datetime(text, ENDPOINT, field="createdAt")
    assert parsed == expected and parsed is not None and parsed.utcoffset() == timedelta(0)
    assert parsed.astimezone(UTC) == expected  # what the store does: must not overflow


@pytest.mark.parametrize("value", [
    7, 1.5, True, [], {}, "garbage", "2026-06-02", "10:00:00Z", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
    "2026-06-02T24:00:00Z", "2026-06-02T10:00:00+24:00", "2026-06-02T10:00:00+01:75", "2026-06-02T10:00:00Z ",
    "2026-06-02T10:00:00.Z", "٢٠٢٦-06-02T10:00:00Z",
    "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",  # outside what a UTC datetime can hold
])
def test_anything_else_is_a_protocol_error_naming_the_field(value: object) -> None:
    with pytest.raises(ProtocolError, match="'createdAt'") as caught:
        parsing.parse_datetime(value, ENDPOINT, field="createdAt")
    assert caught.value.endpoint == ENDPOINT


def test_a_bad_thread_is_skipped_with_its_id_and_the_rest_is_kept() -> None:
    good = [beta_thread(f"t{n}") for n in range(5)]
    body = {"threads": [*good[:2], beta_thread("bad", lastMessageDateTime="garbage"), "garbage", 7,
                        {**beta_thread(), "id": None}, beta_thread(42, lastMessageDateTime=5), *good[2:]],
            "nextPage": {"id": "next"}}
    page = parsing.parse_thread_page_beta(body, ENDPOINT)
    assert [t.id for t in page.threads] == ["t0", "t1", "t2", "t3", "t4"] and page.next_page_id == "next"
    assert [(s.record, s.record_id) for s in page.skipped] == [
        ("thread", "bad"), ("thread", None), ("thread", None), ("thread", None), ("thread", "42")]
    assert all(s.endpoint == ENDPOINT and s.reason for s in page.skipped)
    assert "RFC 3339" in page.skipped[0].reason and "garbage" not in page.skipped[0].reason


@pytest.mark.parametrize("bad_id", [None, "", "   ", [], {"id": "x"}, True, 1.5])
def test_a_thread_without_a_usable_id_is_skipped_without_one(bad_id: object) -> None:
    page = parsing.parse_thread_page_beta({"threads": [beta_thread(bad_id), beta_thread("ok")]}, ENDPOINT)
    assert [t.id for t in page.threads] == ["ok"]
    assert [(s.record_id, "'id'" in s.reason) for s in page.skipped] == [(None, True)]


def test_wrong_typed_optional_thread_fields_use_defaults() -> None:
    body = {"threads": [beta_thread(orders="x", read=7, participants="x", type=[], status={"a": 1})]}
    page = parsing.parse_thread_page_beta(body, ENDPOINT)
    assert page.skipped == ()
    (thread,) = page.threads
    assert (thread.read, thread.order_id, thread.interlocutor_login, thread.status, thread.can_reply) == (
        True, None, None, None, True)


def test_public_thread_page_counts_skipped_records_for_the_next_offset() -> None:
    records: list[Any] = [{"id": f"t{n}", "lastMessageDateTime": "2026-06-02T10:00:00Z"} for n in range(19)]
    page = parsing.parse_thread_page_public({"threads": [*records, "garbage"]}, ENDPOINT, offset=40, limit=20)
    assert len(page.threads) == 19 and len(page.skipped) == 1 and page.next_offset == 60


def test_bad_issues_are_skipped_and_counted() -> None:
    body = {"issues": [issue("a"), {k: v for k, v in issue("b").items() if k != "id"}, issue("c", decisionDueDate=3),
                       issue("d", buyer="x", checkoutForm=7, currentState="x", chat=[])]}
    page = parsing.parse_issue_list(body, ENDPOINT)
    assert [i.id for i in page.issues] == ["a", "d"] and page.record_count == 4
    assert [(s.record, s.record_id) for s in page.skipped] == [("issue", None), ("issue", "c")]


def test_bad_messages_and_chat_entries_are_skipped() -> None:
    messages = {"messages": [beta_message("m1"), beta_message("m2", at="yesterday"), {**beta_message("m3"), "createdAt": None},
                             {**beta_message("m4"), "attachments": "x"}, beta_message("m5", at="2026-06-02t10:00:00z")],
                "nextPage": None}
    page = parsing.parse_message_page(messages, ENDPOINT, THREAD_ID, None)
    assert [m.id for m in page.messages] == ["m1", "m5"] and page.next_page_id is None and page.record_count == 5
    assert [(s.record, s.record_id) for s in page.skipped] == [("message", "m2"), ("message", "m3"), ("message", "m4")]
    assert "createdAt" in page.skipped[1].reason

    chat = parsing.parse_issue_chat({"chat": [chat_entry("c1"), [], chat_entry("c2", at="0")]}, ENDPOINT, ISSUE_ID)
    assert [m.id for m in chat.messages] == ["c1"]
    assert [(s.record, s.record_id) for s in chat.skipped] == [("chat entry", None), ("chat entry", "c2")]


@pytest.mark.parametrize(("parse", "key"), [
    (lambda body: parsing.parse_thread_page_beta(body, ENDPOINT), "threads"),
    (lambda body: parsing.parse_thread_page_public(body, ENDPOINT, offset=0, limit=20), "threads"),
    (lambda body: parsing.parse_issue_list(body, ENDPOINT), "issues"),
    (lambda body: parsing.parse_message_page(body, ENDPOINT, THREAD_ID, None), "messages"),
    (lambda body: parsing.parse_issue_chat(body, ENDPOINT, ISSUE_ID), "chat"),
])
def test_a_null_or_missing_list_is_not_an_empty_listing(parse: Callable[[Any], object], key: str) -> None:
    for body in ({key: None}, {}, {key: "x"}, {key: {}}, [], None):
        with pytest.raises(ProtocolError):
            parse(body)
    assert parse({key: []}) is not None


def test_an_over_nested_body_is_a_protocol_error() -> None:
    response = httpx.Response(200, content=b'{"threads":' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with pytest.raises(ProtocolError, match="nested") as caught:
        json_of(response, "GET /messaging/threads")
    assert caught.value.endpoint == "GET /messaging/threads"


# -- whatever JSON comes in, only ProtocolError ----------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.sampled_from(
    ["2026-06-02T10:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "USER", "BUYER", "SELLER"])
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                            max_size=4), max_leaves=12)


def _mutated(template: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The template with some of its fields replaced by any JSON (the likely shape of a real bad record)."""
    return st.dictionaries(st.sampled_from(sorted(template)), _json, max_size=len(template)).map(
        lambda changes: {**template, **changes})


_PARSERS: dict[str, tuple[Callable[[Any], object], st.SearchStrategy[Any]]] = {
    "thread beta": (lambda b: parsing.parse_thread_beta(b, ENDPOINT, "sklep"), _mutated(beta_thread())),
    "thread public": (lambda b: parsing.parse_thread_public(b, ENDPOINT), _mutated(
        {"id": "t", "read": True, "lastMessageDateTime": "2026-06-02T10:00:00Z", "interlocutor": {"login": "k"}})),
    "thread message": (lambda b: parsing.parse_thread_message(b, ENDPOINT, THREAD_ID, "sklep"), _mutated(beta_message("m"))),
    "issue": (lambda b: parsing.parse_issue(b, ENDPOINT), _mutated(issue())),
    "chat entry": (lambda b: parsing.parse_issue_chat_message(b, ENDPOINT, ISSUE_ID), _mutated(chat_entry("c"))),
    "thread page": (lambda b: parsing.parse_thread_page_beta(b, ENDPOINT, "sklep"),
                    st.lists(_mutated(beta_thread()) | _json, max_size=3).map(lambda t: {"threads": t})),
    "issue page": (lambda b: parsing.parse_issue_list(b, ENDPOINT),
                   st.lists(_mutated(issue()) | _json, max_size=3).map(lambda t: {"issues": t})),
    "sent message": (lambda b: parsing.parse_sent_message(b, ENDPOINT, THREAD_ID, "t"), _json),
    "me": (lambda b: parsing.parse_me(b, ENDPOINT), _json),
    "order": (lambda b: parsing.parse_order(b, ENDPOINT), _mutated({"id": "o", "lineItems": [{"offer": {"id": "1"}}],
                                                                   "summary": {"totalToPay": {"amount": "1"}}})),
    "shipments": (lambda b: parsing.parse_shipments(b, ENDPOINT), _mutated({"shipments": [{"waybill": "w"}]})),
}


@pytest.mark.parametrize("name", sorted(_PARSERS))
def test_any_json_gives_a_result_or_a_protocol_error(name: str) -> None:
    parse, bodies = _PARSERS[name]

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(bodies)
    def check(body: Any) -> None:
        try:
            result = parse(body)
        except ProtocolError:
            return
        assert all(moment.utcoffset() == timedelta(0) for moment in _datetimes_in(result))

    check()


def _datetimes_in(value: object) -> list[datetime]:
    if isinstance(value, datetime):
        return [value]
    if isinstance(value, (tuple, list)):
        return [d for item in value for d in _datetimes_in(item)]
    if dataclasses.is_dataclass(value):
        return [d for f in dataclasses.fields(value) for d in _datetimes_in(getattr(value, f.name))]
    return []


def test_user_role_is_found_without_reading_the_whole_body() -> None:
    assert parsing.mentions_user_role({"threads": [beta_thread(participants=[{"role": "USER", "login": "a"}])]})
    assert parsing.mentions_user_role({"messages": [beta_message("m", role="USER")]})
    assert parsing.mentions_user_role(beta_thread(participants=[{"role": "USER"}]))
    assert not parsing.mentions_user_role({"threads": [beta_thread(subject="USER")], "messages": "USER"})
    assert not parsing.mentions_user_role([[{"role": "USER"}]])


# -- a skipped record still counts for paging -------------------------------------------------------------------------


def test_a_full_chat_page_with_a_bad_entry_is_followed_by_the_next(client: AllegroClient, api: respx.MockRouter) -> None:
    first_page: list[Any] = [chat_entry(f"e{n:03d}") for n in range(99)] + ["garbage"]
    chat = api.get(f"/sale/issues/{ISSUE_ID}/chat").mock(side_effect=lambda request: httpx.Response(
        200, json={"chat": first_page if request.url.params["offset"] == "0" else [chat_entry("last")]}))
    listed = client.issue_chat(ISSUE_ID)
    assert [c.request.url.params["offset"] for c in chat.calls] == ["0", "100"]
    assert len(listed.messages) == 100 and [s.record_id for s in listed.skipped] == [None] and not listed.complete


def test_public_message_offsets_count_skipped_records(client: AllegroClient, api: respx.MockRouter) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["Accept"] == BETA:
            return httpx.Response(406, json=errors_body("NotAcceptableException"))
        offset = int(request.url.params["offset"])
        if offset:
            return httpx.Response(200, json={"messages": [{"id": "last", "createdAt": "2026-06-02T11:00:00Z"}]})
        page = [{"id": f"m{n}", "createdAt": "2026-06-02T10:00:00Z"} for n in range(19)]
        return httpx.Response(200, json={"messages": [*page, {"id": "bad", "createdAt": 7}]})

    messages = api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=answer)
    listed = client.thread_messages(THREAD_ID)
    assert [c.request.url.params.get("offset") for c in messages.calls if c.request.headers["Accept"] != BETA] == ["0", "20"]
    assert len(listed.messages) == 20 and [s.record_id for s in listed.skipped] == ["bad"]


@pytest.mark.parametrize("hostile_id", ["../../me", "x?limit=500", "a/b", "id with spaces", "x" * 200])
def test_a_conversation_whose_id_cannot_be_asked_for_is_skipped(hostile_id: str) -> None:
    """Its messages could never be fetched: skipped while listing, not failed on every sync."""
    threads = parsing.parse_thread_page_beta({"threads": [beta_thread(hostile_id), beta_thread("ok")]}, ENDPOINT)
    issues = parsing.parse_issue_list({"issues": [issue(hostile_id), issue(ISSUE_ID)]}, ENDPOINT)
    assert [t.id for t in threads.threads] == ["ok"] and [i.id for i in issues.issues] == [ISSUE_ID]
    assert [s.record for s in (*threads.skipped, *issues.skipped)] == ["thread", "issue"]
    assert all("'id'" in s.reason for s in (*threads.skipped, *issues.skipped))
