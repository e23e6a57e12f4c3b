"""`/messaging/*` endpoints: threads, messages, read flag, message attachments (beta.v1 and public.v1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

from . import files, render
from .data import Attachment, Thread, ThreadMessage
from .request import BETA_V1, PUBLIC_V1, Reject, Request, decode_cursor, encode_cursor, extension_type, is_uuid
from .responses import DemoResponse, error, json_response
from .state import SentMessage, ServerState

T = TypeVar("T")

THREAD_LIST_LIMIT = 20
THREAD_OFFSET_MAX = 15_000_000
MESSAGE_OFFSET_MAX = 15_000
TEXT_MAX = 2000


def _thread(state: ServerState, req: Request) -> Thread:
    """The thread named in the path, or the error Allegro gives for this id.

    A known issue id (UUID) answers `state.issue_id_at_messaging_status` (422 by default: what the production outage
    looked like); any other unknown id answers 404 THREAD_NOT_FOUND. POST_PURCHASE_ISSUE threads do not exist for
    public.v1, so they are 404 there too.
    """
    thread_id = req.path_params["id"]
    thread = state.data.threads.get(thread_id)
    if thread is not None and (req.beta or thread.type == "COMMON"):
        return thread
    if thread is None and is_uuid(thread_id) and thread_id.lower() in state.data.issues:
        status = state.issue_id_at_messaging_status
        if status != 404:
            raise Reject(error(status, "UNPROCESSABLE_ENTITY", f"Invalid thread id [{thread_id}]",
                               "Nie można przetworzyć żądania.", path="threadId", media_type=req.media))
    raise Reject(error(404, "THREAD_NOT_FOUND", f"No thread with such Id [{thread_id}]", "Wątek nie istnieje",
                       media_type=req.media))


def _ordered(threads: Any) -> list[Thread]:
    return sorted(threads, key=lambda t: (t.last_message_at, t.id), reverse=True)


def list_threads(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1, PUBLIC_V1)
    limit = req.int_param("limit", THREAD_LIST_LIMIT, 1, THREAD_LIST_LIMIT, "Incorrect limit or offset")
    seller = state.data.seller_login
    if media == PUBLIC_V1:
        offset = req.int_param("offset", 0, 0, THREAD_OFFSET_MAX, "Incorrect limit or offset")
        common = _ordered(t for t in state.data.threads.values() if t.type == "COMMON")
        page = common[offset:offset + limit]
        return json_response(200, {"threads": [render.thread_public(t) for t in page], "offset": offset, "limit": limit}, media)

    read, status = req.bool_param("read"), req.param("status")
    kind, order_id = req.param("type"), req.param("orderId")
    if status not in (None, "OPEN", "CLOSED"):
        raise req.fail("Invalid status", "status")
    if kind not in (None, "COMMON", "POST_PURCHASE_ISSUE"):
        raise req.fail("Invalid type", "type")
    selected = [
        t for t in state.data.threads.values()
        if (read is None or t.read == read) and (status is None or t.status == status)
        and (kind is None or t.type == kind) and (order_id is None or order_id in t.order_ids)
    ]
    ordered = _ordered(selected)
    page, next_page = _cursor_page(req, ordered, lambda t: (t.last_message_at, t.id), limit)
    return json_response(200, {"threads": [render.thread_beta(t, seller, state.data.orders) for t in page], "nextPage": next_page}, media)


def get_thread(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1, PUBLIC_V1)
    thread = _thread(state, req)
    body = render.thread_beta(thread, state.data.seller_login, state.data.orders) if req.beta else render.thread_public(thread)
    return json_response(200, body, media)


def mark_read(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1, PUBLIC_V1)
    thread = _thread(state, req)
    body = req.json_body()
    if not isinstance(body.get("read"), bool):
        raise req.fail("Missing flag in the request body", "read")
    thread.read = body["read"]
    return json_response(200, {"read": thread.read} if req.beta else render.thread_public(thread), media)


def list_messages(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1, PUBLIC_V1)
    thread = _thread(state, req)
    message = "Incorrect limit, offset, after or before"
    limit = req.int_param("limit", THREAD_LIST_LIMIT, 1, THREAD_LIST_LIMIT, message)
    newest_first = sorted(thread.messages, key=lambda m: (m.created_at, m.id), reverse=True)
    if state.faults.take_empty_answer():
        newest_first = []
    if media == PUBLIC_V1:
        offset = req.int_param("offset", 0, 0, MESSAGE_OFFSET_MAX, message)
        before, after = req.date_param("before", message), req.date_param("after", message)
        if before is not None and req.param("offset") is not None:
            raise req.fail("'before' cannot be combined with 'offset'", "before")
        chosen = [m for m in newest_first if (before is None or m.created_at < before) and (after is None or m.created_at > after)]
        page = chosen[offset:offset + limit]
        return json_response(200, {"messages": [render.message_public(m, thread.id) for m in page], "offset": offset, "limit": limit}, media)
    if state.faults.endless_cursor:
        # Every page is the first one again, under a cursor never seen before.
        page = newest_first[:limit]
        return json_response(200, {"messages": [render.message_beta(m) for m in page],
                                   "nextPage": {"id": state.ids.new_uuid()}}, media)
    page, next_page = _cursor_page(req, newest_first, lambda m: (m.created_at, m.id), limit)
    return json_response(200, {"messages": [render.message_beta(m) for m in page], "nextPage": next_page}, media)


def send_message(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1, PUBLIC_V1)
    state.send_bucket.take(req)
    thread = _thread(state, req)
    body = req.json_body()
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise req.fail("Text must not be empty", "text")
    if len(text) > TEXT_MAX:
        raise req.fail(f"Text must be at most {TEXT_MAX} characters long", "text")
    attachments = _attachments(state, req, body.get("attachments"), "messaging")
    if thread.type == "POST_PURCHASE_ISSUE" and thread.status == "CLOSED":
        raise Reject(error(422, "THREAD_CLOSED", "Cannot add a message to a closed POST_PURCHASE_ISSUE thread.",
                           "Nie można dodać wiadomości do zamkniętego wątku.", media_type=media))
    sent = ThreadMessage(
        id=state.ids.new_uuid(), role="SELLER", login=state.data.seller_login, text=text,
        created_at=state.clock.next_time(thread.last_message_at), attachments=attachments,
    )
    thread.messages.append(sent)
    thread.read = True
    state.sent.record(SentMessage(sent.id, thread.id, text, sent.created_at, tuple(a.id for a in attachments)))
    payload = render.message_beta(sent) if req.beta else render.message_public(sent, thread.id)
    return json_response(201, payload, media)


def _attachments(state: ServerState, req: Request, raw: Any, scope: str) -> list[Attachment]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise req.fail("attachments must be a list", "attachments")
    found: list[Attachment] = []
    for item in raw:
        ident = item.get("id") if isinstance(item, dict) else None
        att = state.data.attachments.get(ident) if isinstance(ident, str) else None
        if att is None or att.scope != scope or not att.uploaded:
            raise req.fail(f"Attachment [{ident}] not found or not uploaded", "attachments")
        found.append(att)
    return found


def declare_attachment(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(PUBLIC_V1, BETA_V1)
    body = req.json_body()
    name, size = body.get("filename"), body.get("size")
    if not isinstance(name, str) or not name:
        raise req.fail("filename is required", "filename")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= 5_242_880:
        raise req.fail("size must be between 0 and 5242880", "size")
    mime = extension_type(name)
    if mime is None:
        raise Reject(error(415, "UNSUPPORTED_MIME_TYPE", "Unsupported mime type", "Nieobsługiwany typ pliku.",
                           path="attachment.filename", media_type=media))
    att = Attachment(state.ids.new_uuid(), name, mime, "messaging", declared_size=size, content=b"", uploaded=False,
                     created_at=state.clock.now())
    state.data.attachments[att.id] = att
    return json_response(201, {"id": att.id}, media)


def upload_attachment(state: ServerState, req: Request) -> DemoResponse:
    return upload(state, req, "messaging")


def download_attachment(state: ServerState, req: Request) -> DemoResponse:
    return download(state, req, "messaging")


def upload(state: ServerState, req: Request, scope: str) -> DemoResponse:
    """Shared by both attachment APIs: raw bytes to a declared attachment."""
    att = state.data.attachments.get(req.path_params["id"])
    if att is None or att.scope != scope:
        raise Reject(error(404, "NOT_FOUND", "Attachment declaration not found", "Nie znaleziono załącznika."))
    mime, content = req.upload_body()
    att.mime_type, att.content, att.uploaded = mime, content, True
    return json_response(200, {"id": att.id}, PUBLIC_V1 if scope == "messaging" else BETA_V1)


def download(state: ServerState, req: Request, scope: str) -> DemoResponse:
    att = state.data.attachments.get(req.path_params["id"])
    if att is None or att.scope != scope or not att.uploaded:
        code = "NOT_FOUND" if scope == "messaging" else "ATTACHMENT_ERROR"
        raise Reject(error(404, code, "Attachment not found", "Nie znaleziono załącznika."))
    disguised = state.faults.disguised_download
    if disguised is not None:
        name, mime, content = disguised.file_name, disguised.content_type, disguised.content
    else:
        name, mime, content = att.file_name, att.mime_type, files.content_of(att)
    headers = {"Content-Disposition": f"attachment; filename=\"{_ascii(name)}\"; filename*=UTF-8''{_quote(name)}"}
    if mime is not None:
        headers["Content-Type"] = mime
    return DemoResponse(200, headers, content)


def _ascii(name: str) -> str:
    return name.encode("ascii", "replace").decode().replace('"', "_")


def _quote(name: str) -> str:
    return quote(name, safe="")


def _cursor_page(req: Request, newest_first: list[T], key: Callable[[T], tuple[datetime, str]],
                 limit: int) -> tuple[list[T], dict[str, str] | None]:
    """One page of a newest-first list after the request's `page.id`, and the cursor of the next page, if any."""
    cursor = req.param("page.id")
    if cursor:
        position = decode_cursor(req, cursor)
        newest_first = [item for item in newest_first if key(item) < position]
    page = newest_first[:limit]
    next_page = {"id": encode_cursor(*key(page[-1]))} if len(newest_first) > limit else None
    return page, next_page
