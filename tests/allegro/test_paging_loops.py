"""Paging of one conversation's messages ends as soon as a page brings nothing new, and says so."""

from __future__ import annotations

import itertools

import httpx
import respx

from magazyn_desktop.allegro.client import AllegroClient

from .conftest import ISSUE_ID, THREAD_ID, beta_message, chat_entry


def test_a_new_cursor_on_every_page_without_new_messages_ends_paging(client: AllegroClient,
                                                                     api: respx.MockRouter) -> None:
    cursors = (f"page-{n}" for n in itertools.count())
    route = api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=lambda request: httpx.Response(
        200, json={"messages": [beta_message("m1")], "nextPage": {"id": next(cursors)}}))
    listed = client.thread_messages(THREAD_ID)
    assert [m.id for m in listed.messages] == ["m1"]
    assert route.call_count == 2
    assert not listed.complete and listed.warnings and "nothing new" in listed.warnings[0]


def test_a_repeated_cursor_ends_paging_with_a_warning(client: AllegroClient, api: respx.MockRouter) -> None:
    pages = iter(range(1000))
    api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=lambda request: httpx.Response(
        200, json={"messages": [beta_message(f"m{next(pages)}")], "nextPage": {"id": "same"}}))
    listed = client.thread_messages(THREAD_ID)
    assert len(listed.messages) == 2 and not listed.complete and listed.warnings


def test_an_empty_page_with_a_next_cursor_ends_paging(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=[
        httpx.Response(200, json={"messages": [beta_message("m1")], "nextPage": {"id": "p2"}}),
        httpx.Response(200, json={"messages": [], "nextPage": {"id": "p3"}}),
    ])
    listed = client.thread_messages(THREAD_ID)
    assert route.call_count == 2 and [m.id for m in listed.messages] == ["m1"] and not listed.complete


def test_ordinary_paging_has_no_warning(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=[
        httpx.Response(200, json={"messages": [beta_message("m2", at="2026-06-02T11:00:00Z")], "nextPage": {"id": "p2"}}),
        httpx.Response(200, json={"messages": [beta_message("m1")], "nextPage": None}),
    ])
    listed = client.thread_messages(THREAD_ID)
    assert [m.id for m in listed.messages] == ["m1", "m2"] and listed.complete


def test_an_issue_chat_that_ignores_the_offset_ends_paging(client: AllegroClient, api: respx.MockRouter) -> None:
    same_page = [chat_entry(f"e{i:03d}") for i in range(100)]
    route = api.get(f"/sale/issues/{ISSUE_ID}/chat").mock(
        side_effect=lambda request: httpx.Response(200, json={"chat": same_page}))
    listed = client.issue_chat(ISSUE_ID)
    assert len(listed.messages) == 100 and route.call_count == 2
    assert not listed.complete and listed.warnings
