"""Fuzzing the client's parsing with bodies built from the contract's schemas, then broken on purpose.

Through the real AllegroClient on a mocked transport:
- whatever a 2xx answer holds, the client returns its typed result (holding only the model's kinds of values and
  times the store can keep) or raises ProtocolError, nothing else;
- a body nested too deep for the JSON decoder is a ProtocolError too;
- a listing page with one broken record still yields every other record, and the broken one, when it cannot be
  used, is reported in `skipped`.

Bounded: a fixed number of examples per endpoint, no deadline; with CI set the examples are derandomized so every
run checks the same bodies. Hypothesis keeps no example database, and its cache goes to the test sandbox's home.
"""

from __future__ import annotations

import dataclasses
import os
import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from magazyn_desktop.allegro.auth import StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.errors import ProtocolError
from magazyn_desktop.allegro.models import IssuePage, Me, MessageList, SkippedRecord, ThreadPage
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.domain.records import ConversationSummary, Order, SentMessage

from .body_mutations import OVERSIZED_LENGTH, UNDECODABLE_DEPTHS, Deep, broken_bytes, mutation, mutations, to_json_bytes
from .conftest import (
    ACCESS_TOKEN,
    BETA,
    ISSUE_ID,
    PUBLIC,
    TEST_ENVIRONMENT,
    THREAD_ID,
    FakeClock,
    beta_message,
    beta_thread,
    chat_entry,
    errors_body,
    issue,
)
from .schema_strategies import SchemaStrategies, contract_schemas

# tests/conftest.py has pointed HOME at a temporary folder by now; without this Hypothesis would write its
# cache into the working directory, which is the repository.
set_hypothesis_home_dir(Path(os.environ["HOME"]) / ".hypothesis")

_SETTINGS = {
    "max_examples": 60,
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
}
# Locally a failure is shrunk to a small example; in CI the same examples every run, and no shrinking, whose
# time has no fixed bound.
settings.register_profile("magazyn-fuzz", phases=(Phase.explicit, Phase.generate, Phase.shrink), **_SETTINGS)
settings.register_profile("magazyn-fuzz-ci", phases=(Phase.explicit, Phase.generate), derandomize=True, **_SETTINGS)
FUZZ_SETTINGS = settings.get_profile("magazyn-fuzz-ci" if os.environ.get("CI") else "magazyn-fuzz")

# About half a minute for all endpoints together: more than the fast tier allows.
pytestmark = pytest.mark.slow

ORDER_ID = "c0ffee00-0000-4000-8000-000000000001"
REPLY = "Dzień dobry, paczka wyszła dziś."

# The contract covers the conversation APIs only; /me answers the account's id and login.
ME_SCHEMA = {
    "type": "object",
    "required": ["id", "login"],
    "properties": {"id": {"type": "string"}, "login": {"type": "string"}},
}
# The spec leaves these optional, but a record without them is not one the inbox can show: the valid records the
# fuzzer starts from always have them, and dropping them is one of the mutations.
RECORD_FIELDS = {
    "PostPurchaseIssue": ["id"],
    "PostPurchaseIssueChatMessage": ["id", "createdAt"],
    "PostPurchaseIssueListResponse": ["issues"],
    "PostPurchaseIssueChatResponse": ["chat"],
}
STRATEGIES = SchemaStrategies({**contract_schemas(), "Me": ME_SCHEMA}, also_required=RECORD_FIELDS)


@dataclasses.dataclass(frozen=True)
class Route:
    method: str
    path: str
    media: str  # the representation served; a request for beta.v1 on a public.v1 route is answered 406
    schema: str


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """One answer the client parses: the route that gives it, the call that reads it and the type it becomes."""

    name: str
    route: Route
    call: Callable[[AllegroClient], object]
    result: type
    companions: tuple[Route, ...] = ()  # other answers the call needs, always served valid


ME = Route("GET", "/me", PUBLIC, "Me")
ORDER = Route("GET", f"/order/checkout-forms/{ORDER_ID}", PUBLIC, "CheckoutForm")
SHIPMENTS = Route("GET", f"/order/checkout-forms/{ORDER_ID}/shipments", PUBLIC, "CheckoutFormOrderWaybillResponse")

THREADS_BETA = Endpoint("threads beta.v1", Route("GET", "/messaging/threads", BETA, "ThreadsListVBeta1"),
                        lambda c: c.list_threads(), ThreadPage, (ME,))
THREADS_PUBLIC = Endpoint("threads public.v1", Route("GET", "/messaging/threads", PUBLIC, "ThreadsList"),
                          lambda c: c.list_threads(), ThreadPage)
MESSAGES_BETA = Endpoint("thread messages beta.v1",
                         Route("GET", f"/messaging/threads/{THREAD_ID}/messages", BETA, "MessagesListVBeta1"),
                         lambda c: c.thread_messages(THREAD_ID), MessageList, (ME,))
MESSAGES_PUBLIC = Endpoint("thread messages public.v1",
                           Route("GET", f"/messaging/threads/{THREAD_ID}/messages", PUBLIC, "MessagesList"),
                           lambda c: c.thread_messages(THREAD_ID), MessageList)
ISSUES = Endpoint("issues", Route("GET", "/sale/issues", BETA, "PostPurchaseIssueListResponse"),
                  lambda c: c.list_issues(), IssuePage)
ISSUE_CHAT = Endpoint("issue chat", Route("GET", f"/sale/issues/{ISSUE_ID}/chat", BETA, "PostPurchaseIssueChatResponse"),
                      lambda c: c.issue_chat(ISSUE_ID), MessageList)

ENDPOINTS = (
    THREADS_BETA,
    THREADS_PUBLIC,
    Endpoint("thread beta.v1", Route("GET", f"/messaging/threads/{THREAD_ID}", BETA, "ThreadVBeta1"),
             lambda c: c.get_thread(THREAD_ID), ConversationSummary, (ME,)),
    Endpoint("thread public.v1", Route("GET", f"/messaging/threads/{THREAD_ID}", PUBLIC, "Thread"),
             lambda c: c.get_thread(THREAD_ID), ConversationSummary),
    MESSAGES_BETA,
    MESSAGES_PUBLIC,
    ISSUES,
    Endpoint("issue", Route("GET", f"/sale/issues/{ISSUE_ID}", BETA, "PostPurchaseIssue"),
             lambda c: c.get_issue(ISSUE_ID), ConversationSummary),
    ISSUE_CHAT,
    Endpoint("order", ORDER, lambda c: c.get_order(ORDER_ID), Order, (SHIPMENTS,)),
    Endpoint("order shipments", SHIPMENTS, lambda c: c.get_order(ORDER_ID), Order, (ORDER,)),
    Endpoint("me", ME, lambda c: c.me(), Me),
    Endpoint("thread send beta.v1", Route("POST", f"/messaging/threads/{THREAD_ID}/messages", BETA, "MessageVBeta1"),
             lambda c: c.send_thread_message(THREAD_ID, REPLY), SentMessage),
    Endpoint("thread send public.v1", Route("POST", f"/messaging/threads/{THREAD_ID}/messages", PUBLIC, "Message"),
             lambda c: c.send_thread_message(THREAD_ID, REPLY), SentMessage),
    Endpoint("issue send", Route("POST", f"/sale/issues/{ISSUE_ID}/message", BETA, "PostPurchaseIssueMessage"),
             lambda c: c.send_issue_message(ISSUE_ID, REPLY), SentMessage),
)


@dataclasses.dataclass(frozen=True)
class Listing:
    """A page of records: where they sit in the body, their schema, and where the client's answer holds them."""

    endpoint: Endpoint
    records_key: str
    record_schema: str
    parsed_attribute: str
    last_page: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # page fields that end the paging


LISTINGS = (
    Listing(THREADS_BETA, "threads", "ThreadVBeta1", "threads", {"nextPage": None}),
    Listing(THREADS_PUBLIC, "threads", "Thread", "threads"),
    Listing(MESSAGES_BETA, "messages", "MessageVBeta1", "messages", {"nextPage": None}),
    Listing(MESSAGES_PUBLIC, "messages", "Message", "messages"),
    Listing(ISSUES, "issues", "PostPurchaseIssue", "issues"),
    Listing(ISSUE_CHAT, "chat", "PostPurchaseIssueChatMessage", "messages"),
)


def _serving(answers: Mapping[tuple[str, str], tuple[str, bytes]]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        key = (request.method, request.url.path)
        assert key in answers, f"the client asked for {key}, which this test does not serve"
        media, content = answers[key]
        if media == PUBLIC and request.headers["Accept"] == BETA:
            return httpx.Response(406, json=errors_body("NotAcceptableException"))
        status = 201 if request.method == "POST" else 200
        return httpx.Response(status, content=content, headers={"Content-Type": media})

    return httpx.MockTransport(answer)


def _valid_companions(endpoint: Endpoint, data: st.DataObject) -> dict[Route, Any]:
    return {route: data.draw(STRATEGIES.named(route.schema), label=route.path) for route in endpoint.companions}


@contextmanager
def _client(endpoint: Endpoint, content: bytes, companions: Mapping[Route, Any]) -> Iterator[AllegroClient]:
    """A fresh client (no remembered media type or login) whose fuzzed route answers `content`."""
    answers = {(endpoint.route.method, endpoint.route.path): (endpoint.route.media, content)}
    for route, body in companions.items():
        answers[(route.method, route.path)] = (route.media, to_json_bytes(body))
    clock = FakeClock()
    client = AllegroClient(
        environment=TEST_ENVIRONMENT, tokens=StaticToken(ACCESS_TOKEN), transport=_serving(answers),
        clock=clock, sleeper=clock.sleep, limiter=RateLimiter(clock=clock, sleeper=clock.sleep), rng=random.Random(7),
    )
    try:
        yield client
    finally:
        client.close()


def assert_well_formed(value: object, where: str = "result") -> None:
    """Only the model's own kinds of values, and times the store can keep: aware and inside UTC's years."""
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            assert_well_formed(getattr(value, field.name), f"{where}.{field.name}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            assert_well_formed(item, f"{where}[{index}]")
    elif isinstance(value, datetime):
        assert value.utcoffset() is not None, f"{where} is a naive time: {value!r}"
        try:
            value.astimezone(timezone.utc)
        except OverflowError:
            pytest.fail(f"{where} is {value!r}, outside the years a UTC time can have")
    else:
        assert value is None or isinstance(value, (str, int, float, Enum)), f"{where} is a {type(value).__name__}"


def assert_typed_result_or_protocol_error(endpoint: Endpoint, content: bytes, companions: Mapping[Route, Any]) -> None:
    with _client(endpoint, content, companions) as client:
        try:
            result = endpoint.call(client)
        except ProtocolError:
            return
    assert isinstance(result, endpoint.result)
    assert_well_formed(result)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
@FUZZ_SETTINGS
@given(data=st.data())
def test_any_body_gives_a_typed_result_or_a_protocol_error(endpoint: Endpoint, data: st.DataObject) -> None:
    valid = STRATEGIES.named(endpoint.route.schema)
    body = data.draw(st.one_of(valid, valid.flatmap(mutations)), label="body")
    content = to_json_bytes(body)
    if data.draw(st.integers(min_value=0, max_value=9), label="undecodable") == 9:
        content = data.draw(broken_bytes(content), label="content")
    assert_typed_result_or_protocol_error(endpoint, content, _valid_companions(endpoint, data))


# Cases the fuzzer found, pinned: the derandomized run in CI need not draw them again.
FIXED_COMPANIONS = {ME: {"id": "44556677", "login": "sklep"}}
BEFORE_YEAR_1_IN_UTC = "0001-01-01T00:30:00+01:00"
AFTER_YEAR_9999_IN_UTC = "9999-12-31T23:30:00-01:00"
ENDPOINT_BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


TIMES_OUTSIDE_UTC_YEARS = {
    "thread beta.v1": beta_thread(lastMessageDateTime=BEFORE_YEAR_1_IN_UTC),
    "thread public.v1": {"id": THREAD_ID, "read": True, "lastMessageDateTime": AFTER_YEAR_9999_IN_UTC},
    "thread messages beta.v1": {"messages": [beta_message("m1", at=BEFORE_YEAR_1_IN_UTC)], "nextPage": None},
    "issue": issue(openedDate=BEFORE_YEAR_1_IN_UTC, chat={"messagesCount": 0}),
    "issue chat": {"chat": [chat_entry("e1", at=AFTER_YEAR_9999_IN_UTC)]},
    "issue send": {"id": "e2", "text": REPLY, "createdAt": BEFORE_YEAR_1_IN_UTC},
}


@pytest.mark.parametrize("name", TIMES_OUTSIDE_UTC_YEARS)
def test_a_time_outside_the_utc_years_gives_a_typed_result_or_a_protocol_error(name: str) -> None:
    """Such a time parses, but the store cannot turn it into UTC (OverflowError)."""
    endpoint = ENDPOINT_BY_NAME[name]
    companions = {route: FIXED_COMPANIONS[route] for route in endpoint.companions}
    assert_typed_result_or_protocol_error(endpoint, to_json_bytes(TIMES_OUTSIDE_UTC_YEARS[name]), companions)


def test_a_cursor_too_long_for_a_url_gives_a_typed_result_or_a_protocol_error() -> None:
    """The next page's id goes into the next request's query, which httpx refuses to build (InvalidURL)."""
    body = {"messages": [], "nextPage": {"id": "x" * OVERSIZED_LENGTH}}
    assert_typed_result_or_protocol_error(MESSAGES_BETA, to_json_bytes(body), FIXED_COMPANIONS)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
@settings(FUZZ_SETTINGS, max_examples=8)  # two depths, two containers, two places: few cases to try
@given(data=st.data())
def test_a_body_nested_past_the_recursion_limit_is_a_protocol_error(endpoint: Endpoint, data: st.DataObject) -> None:
    deep = Deep(data.draw(st.sampled_from(UNDECODABLE_DEPTHS)), data.draw(st.sampled_from(("list", "dict"))))
    valid = data.draw(STRATEGIES.named(endpoint.route.schema), label="valid body")
    body = data.draw(st.sampled_from([deep, {**valid, "id": deep}]), label="body")
    companions = _valid_companions(endpoint, data)
    with _client(endpoint, to_json_bytes(body), companions) as client, pytest.raises(ProtocolError):
        endpoint.call(client)


def _record_id(index: int) -> str:
    return f"fuzz-record-{index}"


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.endpoint.name)
@FUZZ_SETTINGS
@given(data=st.data())
def test_a_page_with_one_bad_record_yields_all_the_others(listing: Listing, data: st.DataObject) -> None:
    drawn = data.draw(st.lists(STRATEGIES.named(listing.record_schema), min_size=1, max_size=4), label="records")
    records: list[Any] = [{**record, "id": _record_id(index)} for index, record in enumerate(drawn)]
    bad = data.draw(st.integers(min_value=0, max_value=len(records) - 1), label="bad index")
    records[bad] = data.draw(mutation(records[bad]), label="bad record")
    page = data.draw(STRATEGIES.named(listing.endpoint.route.schema), label="page")
    content = to_json_bytes({**page, **listing.last_page, listing.records_key: records})
    with _client(listing.endpoint, content, _valid_companions(listing.endpoint, data)) as client:
        result = listing.endpoint.call(client)

    parsed = getattr(result, listing.parsed_attribute)
    skipped: tuple[SkippedRecord, ...] = result.skipped  # type: ignore[attr-defined]
    parsed_ids = {record.id for record in parsed}
    others = {_record_id(index) for index in range(len(records)) if index != bad}
    assert others <= parsed_ids, f"good records lost: {sorted(others - parsed_ids)}"
    assert len(skipped) <= 1
    assert len(parsed) + len(skipped) == len(records), "the bad record was neither parsed nor reported as skipped"
    for record in skipped:
        assert isinstance(record, SkippedRecord)
        assert record.endpoint and record.reason
        assert len(record.reason) < 500, "the reason must not carry the record's content"
        bad_record = records[bad]
        if isinstance(bad_record, dict) and bad_record.get("id") == _record_id(bad):
            assert record.record_id == _record_id(bad)
    assert_well_formed(result)
