"""`/sale/issues/*` endpoints: disputes and claims, their chats, messages and attachments (beta.v1 only)."""

from __future__ import annotations

import re
from decimal import Decimal

from . import render
from .data import Attachment, ChatEntry, Issue
from .messaging import _attachments, download, upload
from .request import BETA_V1, Reject, Request, extension_type
from .responses import DemoResponse, error, json_response
from .state import SentMessage, ServerState

LIST_DEFAULT = 10  # Allegro's default: a client that omits `limit` sees only ten
LIST_MAX = 100
TEXT_MAX = 20_000
STATUSES = frozenset({"DISPUTE_CLOSED", "DISPUTE_ONGOING", "DISPUTE_UNRESOLVED", "CLAIM_SUBMITTED", "CLAIM_ACCEPTED", "CLAIM_REJECTED"})
# ClaimStatusChangeRequest.status: the claim's state once each is applied.
DECISIONS = {
    "ACCEPTED_REPAIR": "CLAIM_ACCEPTED", "ACCEPTED_REFUND": "CLAIM_ACCEPTED", "ACCEPTED_EXCHANGE": "CLAIM_ACCEPTED",
    "ACCEPTED_PARTIAL_REFUND": "CLAIM_ACCEPTED",
    "REJECTED_ADDITIONAL_REQUIREMENTS_NOT_COMPLETED": "CLAIM_REJECTED", "REJECTED_PRODUCT_NOT_RETURNED": "CLAIM_REJECTED",
    "REJECTED_PRODUCT_DAMAGED_BY_USER": "CLAIM_REJECTED", "REJECTED_PRODUCT_CONFORMS_TO_CONTRACT": "CLAIM_REJECTED",
    "REJECTED_MINOR_DEFECT": "CLAIM_REJECTED", "REJECTED_OTHER": "CLAIM_REJECTED",
    "REJECTED_CLAIM_WITHDRAWN_BY_BUYER": "CLAIM_REJECTED",
}
DECISION_ENTRIES = {
    "CLAIM_ACCEPTED": "Sprzedający uznał reklamację.",
    "CLAIM_REJECTED": "Sprzedający odrzucił reklamację.",
}
_AMOUNT = re.compile(r"\d+(\.\d{1,2})?")
MESSAGE_TYPES = {
    "REGULAR": None,
    "END_REQUEST": "DISPUTE",
    "RETURN_REQUIRED_SELLER_LABEL": "CLAIM",
    "RETURN_REQUIRED_CUSTOM": "CLAIM",
    "RETURN_NOT_REQUIRED": "CLAIM",
}


def _issue(state: ServerState, req: Request) -> Issue:
    """The issue named in the path. Every other id (a thread id, a malformed or unknown UUID) is 404
    POST_PURCHASE_ISSUE_NOT_FOUND, unless `state.thread_id_at_issues_status` says otherwise for thread ids."""
    issue_id = req.path_params["id"]
    issue = state.data.issues.get(issue_id.lower())
    if issue is not None:
        return issue
    status = state.thread_id_at_issues_status if issue_id in state.data.threads else 404
    code = "POST_PURCHASE_ISSUE_NOT_FOUND" if status == 404 else "VALIDATION_ERROR"
    raise Reject(error(status, code, f"Post purchase issue [{issue_id}] not found", "Nie znaleziono zgłoszenia.",
                       path="issueId", media_type=req.media))


def list_issues(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1)
    limit = req.int_param("limit", LIST_DEFAULT, 1, LIST_MAX, "Incorrect limit or offset")
    offset = req.int_param("offset", 0, 0, None, "Incorrect limit or offset")
    # `status` is a query array (spec: form style, exploded), so Allegro's clients repeat it: status=A&status=B.
    # A comma-separated value (status=A,B) is taken as well, as many clients send arrays that way.
    wanted = {part.strip() for value in req.query.get("status", []) for part in value.split(",") if part.strip()}
    if not wanted <= STATUSES:
        raise req.fail("Invalid status", "status")
    order_id = req.param("checkoutForm.id")
    chosen = [
        i for i in state.data.issues.values()
        if (not wanted or i.status in wanted) and (order_id is None or i.order_id == order_id)
    ]
    chosen.sort(key=lambda i: (i.opened_at, i.id), reverse=True)
    page = chosen[offset:offset + limit]
    return json_response(200, {"issues": [render.issue(i, req.base_url) for i in page]}, media)


def get_issue(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1)
    return json_response(200, render.issue(_issue(state, req), req.base_url), media)


def get_chat(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1)
    issue = _issue(state, req)
    limit = req.int_param("limit", LIST_DEFAULT, 1, LIST_MAX, "Incorrect limit or offset")
    offset = req.int_param("offset", 0, 0, None, "Incorrect limit or offset")
    newest_first = sorted(issue.chat, key=lambda e: (e.created_at, e.id), reverse=True)
    if state.faults.take_empty_answer():
        newest_first = []
    page = newest_first[offset:offset + limit]
    return json_response(200, {"chat": [render.chat_entry(e, req.base_url) for e in page]}, media)


def send_message(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1)
    state.send_bucket.take(req)
    issue = _issue(state, req)
    body = req.json_body()
    text, kind = body.get("text", ""), body.get("type")
    if kind not in MESSAGE_TYPES:
        raise req.fail("type must be one of " + ", ".join(MESSAGE_TYPES), "type")
    if MESSAGE_TYPES[kind] not in (None, issue.type):
        raise req.fail(f"Message type {kind} is not allowed for {issue.type}", "type")
    if not isinstance(text, str) or len(text) > TEXT_MAX:
        raise req.fail(f"Text must be a string of at most {TEXT_MAX} characters", "text")
    attachments = _attachments(state, req, body.get("attachments"), "issues")
    if not text.strip() and not attachments:
        raise req.fail("Text or an attachment is required", "text")
    if not issue.chat_active:
        raise Reject(error(409, "DISPUTE_ALREADY_RESOLVED", "Issue state forbids adding new messages",
                           "Nie można już dodawać wiadomości w tym zgłoszeniu.", media_type=media))
    entry = ChatEntry(state.ids.new_uuid(), "SELLER", state.data.seller_login, text,
                      state.clock.next_time(issue.chat[-1].created_at), attachments)
    issue.chat.append(entry)
    state.sent.record(SentMessage(entry.id, issue.id, text, entry.created_at, tuple(a.id for a in attachments),
                                  kind))
    return json_response(201, render.chat_entry(entry, req.base_url), media)


def change_status(state: ServerState, req: Request) -> DemoResponse:
    """A claim decided: its state becomes CLAIM_ACCEPTED or CLAIM_REJECTED, its chat takes the seller's message and
    Allegro's note of the change, and it takes no more messages. A dispute, or a claim decided already, is refused
    (the contract lists 400 as the only refusal of a valid request; Allegro's codes for these are not published)."""
    media = req.negotiate(BETA_V1)
    issue = _issue(state, req)
    body = req.json_body()
    decision, text, refund = body.get("status"), body.get("message"), body.get("partialRefund")
    if decision not in DECISIONS:
        raise _bad_request(media, "VALIDATION_ERROR", "status must be one of " + ", ".join(DECISIONS),
                           "Nieprawidłowe dane w zapytaniu.", "status")
    if not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
        raise _bad_request(media, "VALIDATION_ERROR", f"message is required, at most {TEXT_MAX} characters",
                           "Nieprawidłowe dane w zapytaniu.", "message")
    if issue.type != "CLAIM":
        raise _bad_request(media, "ISSUE_STATUS_CHANGE_NOT_ALLOWED", "Status can be changed only for a claim",
                           "Status można zmienić tylko w reklamacji. To zgłoszenie jest dyskusją.")
    if issue.status != "CLAIM_SUBMITTED":
        raise _bad_request(media, "ISSUE_STATUS_CHANGE_NOT_ALLOWED", f"Claim is already in state {issue.status}",
                           "Reklamacja została już rozpatrzona. Nie można zmienić jej statusu.")
    amount = _partial_refund(state, issue, decision, refund, media)
    when = state.clock.next_time(issue.chat[-1].created_at)
    issue.chat.append(ChatEntry(state.ids.new_uuid(), "SELLER", state.data.seller_login, text, when))
    issue.chat.append(ChatEntry(state.ids.new_uuid(), "SYSTEM", None, DECISION_ENTRIES[DECISIONS[decision]],
                                state.clock.next_time(when)))
    issue.status, issue.decision, issue.decided_refund = DECISIONS[decision], decision, amount
    issue.chat_active, issue.status_due = False, None
    return DemoResponse(200, {"Content-Type": media})


def _partial_refund(state: ServerState, issue: Issue, decision: str, refund: object, media: str) -> str | None:
    """The amount of a partial refund: required with ACCEPTED_PARTIAL_REFUND, refused with anything else, more
    than zero, at most the order's total, in the order's currency (PLN in this data set)."""
    if decision != "ACCEPTED_PARTIAL_REFUND":
        if refund is not None:
            raise _bad_request(media, "VALIDATION_ERROR", "partialRefund is allowed only with ACCEPTED_PARTIAL_REFUND",
                               "Kwotę zwrotu podaje się tylko przy częściowym zwrocie.", "partialRefund")
        return None
    amount = refund.get("amount") if isinstance(refund, dict) else None
    currency = refund.get("currency") if isinstance(refund, dict) else None
    if not isinstance(amount, str) or not _AMOUNT.fullmatch(amount) or Decimal(amount) <= 0:
        raise _bad_request(media, "VALIDATION_ERROR", "partialRefund.amount must be a positive amount",
                           "Podaj prawidłową kwotę zwrotu.", "partialRefund.amount")
    if currency != "PLN":
        raise _bad_request(media, "VALIDATION_ERROR", "partialRefund.currency must be the order's currency",
                           "Waluta zwrotu musi być walutą zamówienia.", "partialRefund.currency")
    order = state.data.orders.get(issue.order_id)
    if order is not None and Decimal(amount) > Decimal(order.total):
        raise _bad_request(media, "VALIDATION_ERROR", "partialRefund.amount exceeds the order's total",
                           "Kwota zwrotu przekracza wartość zamówienia.", "partialRefund.amount")
    return amount


def _bad_request(media: str, code: str, message: str, user_message: str, path: str | None = None) -> Reject:
    return Reject(error(400, code, message, user_message, path=path, media_type=media))


def declare_attachment(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(BETA_V1)
    body = req.json_body()
    name, size = body.get("fileName"), body.get("size")
    if not isinstance(name, str) or not name or len(name) > 255:
        raise req.fail("fileName is required", "fileName")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise req.fail("size must be at least 1", "size")
    mime = extension_type(name) or "application/octet-stream"
    att = Attachment(state.ids.new_uuid(), name, mime, "issues", declared_size=size, content=b"", uploaded=False,
                     created_at=state.clock.now())
    state.data.attachments[att.id] = att
    # The Location header is the one-time upload URL; clients must use it as given.
    location = f"{req.base_url}/sale/issues/attachments/{att.id}"
    return json_response(201, {"id": att.id}, media, {"Location": location})


def upload_attachment(state: ServerState, req: Request) -> DemoResponse:
    return upload(state, req, "issues")


def download_attachment(state: ServerState, req: Request) -> DemoResponse:
    return download(state, req, "issues")
