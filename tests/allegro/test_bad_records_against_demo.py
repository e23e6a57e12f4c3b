"""The real client against the demo's bad bodies: a bad record is skipped and reported, the rest of the page is used,
paging goes on; a null list or an over-nested body is a ProtocolError, never another exception."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from magazyn_desktop.allegro.auth import StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.fake_allegro import DemoAllegro, DemoData
from magazyn_desktop.fake_allegro.faults import RecordSpoil
from magazyn_desktop.allegro.environments import Environment
from magazyn_desktop.allegro.errors import ProtocolError
from magazyn_desktop.allegro.ratelimit import RateLimiter

from .conftest import FakeClock

THREADS = "GET /messaging/threads"
ISSUES = "GET /sale/issues"
MESSAGES = "GET /messaging/threads/{id}/messages"
CHAT = "GET /sale/issues/{id}/chat"
RECORD_BREAKING: tuple[RecordSpoil, ...] = ("garbage_time", "integer_time", "missing_id", "not_an_object")
KEEPS_ITS_ID = ("garbage_time", "integer_time")


@pytest.fixture
def demo(clock: FakeClock) -> DemoAllegro:
    # Long conversations, so messages (20 a page) and chats (100 a page) need more than one page.
    return DemoAllegro(DemoData.generate(threads=45, issues=120, messages_per_thread=(41, 45), chat_per_issue=(2, 3)),
                       clock=clock)


@pytest.fixture
def on_demo(demo: DemoAllegro, clock: FakeClock) -> Iterator[AllegroClient]:
    client = AllegroClient(environment=Environment("demo", demo.API_URL, demo.AUTH_URL, None),
                           tokens=StaticToken(demo.DEMO_TOKEN), transport=demo.transport(), clock=clock,
                           sleeper=clock.sleep, limiter=RateLimiter(clock=clock, sleeper=clock.sleep))
    yield client
    client.close()


@pytest.mark.parametrize("how", RECORD_BREAKING)
def test_a_bad_thread_is_skipped_and_paging_goes_on(demo: DemoAllegro, on_demo: AllegroClient, how: RecordSpoil) -> None:
    clean_first = on_demo.list_threads()
    clean_second = on_demo.list_threads(page_id=clean_first.next_page_id)
    demo.faults.spoil_records(THREADS, how)

    for clean, page_id in ((clean_first, None), (clean_second, clean_first.next_page_id)):
        page = on_demo.list_threads(page_id=page_id)
        bad = clean.threads[len(clean.threads) // 2]
        assert len(clean.threads) == 20 and len(page.threads) == 19
        assert [t.id for t in page.threads] == [t.id for t in clean.threads if t.id != bad.id]
        assert len(page.skipped) == 1
        skipped = page.skipped[0]
        assert skipped.record == "thread" and skipped.endpoint == "GET /messaging/threads"
        assert skipped.record_id == (bad.id if how in KEEPS_ITS_ID else None)
        assert skipped.reason and bad.id not in skipped.reason
        assert page.next_page_id == clean.next_page_id


def test_wrong_typed_optional_thread_fields_keep_the_thread(demo: DemoAllegro, on_demo: AllegroClient) -> None:
    clean = on_demo.list_threads()
    demo.faults.spoil_records(THREADS, "odd_optional_fields")
    page = on_demo.list_threads()
    assert page.skipped == () and [t.id for t in page.threads] == [t.id for t in clean.threads]
    odd = page.threads[len(page.threads) // 2]
    assert odd.read is True and odd.order_id is None and odd.interlocutor_login is None
    assert odd.last_activity_at == clean.threads[len(clean.threads) // 2].last_activity_at


@pytest.mark.parametrize("how", RECORD_BREAKING)
def test_a_bad_issue_is_skipped_and_the_page_still_counts_as_full(demo: DemoAllegro, on_demo: AllegroClient,
                                                                   how: RecordSpoil) -> None:
    clean = on_demo.list_issues(limit=100)
    demo.faults.spoil_records(ISSUES, how)
    page = on_demo.list_issues(limit=100)
    bad = clean.issues[50]
    assert len(page.issues) == 99 and page.record_count == 100  # a full page: the caller asks for the next one
    assert [i.id for i in page.issues] == [i.id for i in clean.issues if i.id != bad.id]
    assert [(s.record, s.record_id) for s in page.skipped] == [("issue", bad.id if how in KEEPS_ITS_ID else None)]
    rest = on_demo.list_issues(offset=100, limit=100)
    assert len(rest.issues) == 19 and len(rest.skipped) == 1


def test_wrong_typed_optional_issue_fields_keep_the_issue(demo: DemoAllegro, on_demo: AllegroClient) -> None:
    demo.faults.spoil_records(ISSUES, "odd_optional_fields")
    page = on_demo.list_issues(limit=100)
    assert page.skipped == () and len(page.issues) == 100
    odd = page.issues[50]
    assert odd.interlocutor_login is None and odd.order_id is None and odd.subject is None


@pytest.mark.parametrize("how", RECORD_BREAKING)
def test_a_bad_message_is_skipped_on_every_page_and_the_list_is_incomplete(demo: DemoAllegro, on_demo: AllegroClient,
                                                                          how: RecordSpoil) -> None:
    thread_id = next(iter(demo.data.threads))
    clean = on_demo.thread_messages(thread_id)
    assert len(clean.messages) > 40 and clean.complete
    demo.faults.spoil_records(MESSAGES, how)
    listed = on_demo.thread_messages(thread_id)
    pages = -(-len(clean.messages) // 20)
    assert len(listed.skipped) == pages and len(listed.messages) == len(clean.messages) - pages
    assert not listed.complete
    assert {m.id for m in listed.messages} < {m.id for m in clean.messages}
    assert all(s.record == "message" for s in listed.skipped)
    if how in KEEPS_ITS_ID:
        assert {s.record_id for s in listed.skipped} == {m.id for m in clean.messages} - {m.id for m in listed.messages}


@pytest.mark.parametrize("how", RECORD_BREAKING)
def test_a_bad_chat_entry_is_skipped_and_the_chat_is_incomplete(demo: DemoAllegro, on_demo: AllegroClient,
                                                                how: RecordSpoil) -> None:
    issue_id = next(iter(demo.data.issues))
    clean = on_demo.issue_chat(issue_id)
    demo.faults.spoil_records(CHAT, how)
    listed = on_demo.issue_chat(issue_id)
    assert len(listed.messages) == len(clean.messages) - 1 and not listed.complete
    assert [s.record for s in listed.skipped] == ["chat entry"]
    missing = ({m.id for m in clean.messages} - {m.id for m in listed.messages}).pop()
    assert listed.skipped[0].record_id == (missing if how in KEEPS_ITS_ID else None)


def test_lower_case_date_times_are_read_like_upper_case(demo: DemoAllegro, on_demo: AllegroClient) -> None:
    thread_id, issue_id = next(iter(demo.data.threads)), next(iter(demo.data.issues))
    clean = (on_demo.list_threads(), on_demo.list_issues(), on_demo.thread_messages(thread_id), on_demo.issue_chat(issue_id))
    demo.faults.lower_case_times.update((THREADS, ISSUES, MESSAGES, CHAT))
    lower = (on_demo.list_threads(), on_demo.list_issues(), on_demo.thread_messages(thread_id), on_demo.issue_chat(issue_id))
    assert lower == clean and not lower[0].skipped and lower[2].complete


@pytest.mark.parametrize("endpoint", [THREADS, ISSUES, MESSAGES, CHAT])
def test_a_null_list_is_a_protocol_error(demo: DemoAllegro, on_demo: AllegroClient, endpoint: str) -> None:
    demo.faults.null_lists.add(endpoint)
    with pytest.raises(ProtocolError, match="null") as caught:
        _read(on_demo, demo, endpoint)
    assert caught.value.endpoint == endpoint


@pytest.mark.parametrize("endpoint", [THREADS, ISSUES, MESSAGES, CHAT, "GET /messaging/threads/{id}", "GET /me"])
def test_a_deeply_nested_body_is_a_protocol_error(demo: DemoAllegro, on_demo: AllegroClient, endpoint: str) -> None:
    demo.faults.deep_nesting[endpoint] = 100_000
    with pytest.raises(ProtocolError, match="nested") as caught:
        _read(on_demo, demo, endpoint)
    assert caught.value.endpoint == endpoint


def _read(client: AllegroClient, demo: DemoAllegro, endpoint: str) -> object:
    thread_id, issue_id = next(iter(demo.data.threads)), next(iter(demo.data.issues))
    reads = {
        THREADS: client.list_threads,
        ISSUES: client.list_issues,
        MESSAGES: lambda: client.thread_messages(thread_id),
        CHAT: lambda: client.issue_chat(issue_id),
        "GET /messaging/threads/{id}": lambda: client.open_conversation(thread_id),
        "GET /me": client.me,
    }
    return reads[endpoint]()

