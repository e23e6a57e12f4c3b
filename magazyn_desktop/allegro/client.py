"""AllegroClient: the one object the rest of the app uses to read and answer conversations.

It knows Allegro's paths, media types and page limits, and works out which API a conversation id belongs to
(the lesson of the outage: an issue id sent to /messaging answered 422 and the conversation could not be opened).
"""

from __future__ import annotations

import email.header
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import unquote

import httpx

from magazyn_desktop.domain.claim_decision import DecisionChoice, Money
from magazyn_desktop.domain.issue_messages import IssueMessageType
from magazyn_desktop.domain.limits import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MEDIA_TYPES,
    ISSUE_TEXT_LIMIT,
    THREAD_TEXT_LIMIT,
)
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary, Order, SentMessage
from magazyn_desktop.domain.vocabulary import Kind

from . import parsing
from .auth import TokenSource
from .detect import KindRegistry, MemoryKindRegistry, guess_kind
from .environments import Environment
from .errors import (
    AllegroError,
    ConversationNotFoundError,
    NotAcceptableError,
    NotFoundError,
    ValidationError,
    WrongKindError,
)
from .ids import checked_id, id_segment
from .models import Conversation, IssuePage, Me, MessageList, MessagePage, SkippedRecord, ThreadPage
from .ratelimit import RateLimiter
from .transport import BETA_V1, PUBLIC_V1, AllegroHttp, json_of, new_http_client

log = logging.getLogger(__name__)

THREAD_PAGE_LIMIT = 20  # Allegro's maximum for threads and messages
ISSUE_PAGE_LIMIT = 100  # Allegro's maximum for issues and issue chat (chat defaults to 10 when limit is omitted)
ORDER_PAGE_LIMIT = 100  # Allegro's maximum for checkout forms
BUYER_ORDERS_LIMIT = 10  # a buyer's recent orders offered for a conversation that names none
MAX_PAGES = 1000  # a guard against a server that keeps handing out pages


def _not_this_kind(error: AllegroError) -> bool:
    return isinstance(error, (NotFoundError, WrongKindError))


def _as_wrong_kind(error: ValidationError) -> WrongKindError:
    return WrongKindError(
        error.message, status=error.status, code=error.code, user_message=error.user_message,
        trace_id=error.trace_id, endpoint=error.endpoint,
    )


def filename_from_disposition(value: str | None) -> str | None:
    """The file name of a Content-Disposition header; `filename*` (RFC 5987) wins over `filename`."""
    if not value:
        return None
    extended = re.search(r"filename\*\s*=\s*([^;]+)", value, re.IGNORECASE)
    if extended:
        raw = extended.group(1).strip().strip('"')
        charset, _, rest = raw.partition("''")
        if rest:
            try:
                return _base_name(unquote(rest, encoding=charset or "utf-8"))
            except LookupError:
                return _base_name(unquote(rest))
    plain = re.search(r'filename\s*=\s*("([^"]*)"|[^;]+)', value, re.IGNORECASE)
    if not plain:
        return None
    name = plain.group(2) if plain.group(2) is not None else plain.group(1).strip()
    if name.startswith("=?"):  # Allegro has sent MIME encoded-words: "=?UTF-8?Q?name.jpg?="
        try:
            name = "".join(
                part.decode(charset or "utf-8") if isinstance(part, bytes) else part
                for part, charset in email.header.decode_header(name)
            )
        except (ValueError, LookupError):
            pass
    return _base_name(name)


def _collect(collected: dict[str, ConversationMessage], skipped: list[SkippedRecord], page: MessagePage) -> int:
    """Add a page's messages and skipped records; returns how many of them were not collected before. A skipped
    record counts as news only by an id not seen before: an id-less one could be the same on a repeated page."""
    seen_skipped = {record.record_id for record in skipped if record.record_id is not None}
    fresh = 0
    for message in page.messages:
        fresh += message.id not in collected
        collected[message.id] = message
    for record in page.skipped:
        if record.record_id is not None and record.record_id in seen_skipped:
            continue  # the same bad record on a page seen again
        fresh += record.record_id is not None
        skipped.append(record)
    return fresh


def _base_name(name: str) -> str | None:
    cleaned = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return cleaned or None


class AllegroClient:
    def __init__(
        self,
        *,
        environment: Environment,
        tokens: TokenSource,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleeper: Callable[[float], None] = time.sleep,
        kind_registry: KindRegistry | None = None,
        limiter: RateLimiter | None = None,
        language: str = "pl-PL",
        max_retries: int = 4,
        timeout: httpx.Timeout | None = None,
        rng: random.Random | None = None,
        account_key: str = "default",
    ) -> None:
        self.environment = environment
        self.account_key = account_key  # the send rate is per account
        self.kind_registry: KindRegistry = kind_registry if kind_registry is not None else MemoryKindRegistry()
        self._limiter = limiter or RateLimiter(clock=clock, sleeper=sleeper)
        hosts = {httpx.URL(environment.api_url).host}
        if environment.upload_url:
            hosts.add(httpx.URL(environment.upload_url).host)
        self._http = AllegroHttp(
            client=new_http_client(transport=transport, timeout=timeout, language=language),
            tokens=tokens,
            limiter=self._limiter,
            sleeper=sleeper,
            rng=rng or random.Random(),
            max_retries=max_retries,
            trusted_hosts=hosts,
            clock=clock,
        )
        self._state_lock = threading.Lock()
        self._messaging_public = False  # set for the session after a 406 on beta.v1
        self._me: Me | None = None
        self._fallbacks_logged: set[str] = set()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AllegroClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def request_counts(self) -> dict[str, int]:
        return self._http.request_counts()

    def server_now(self) -> datetime | None:
        """Allegro's clock now, as its last answer's Date header told it; None before any answer."""
        return self._http.server_now()

    @property
    def messaging_media_type(self) -> str:
        with self._state_lock:
            return PUBLIC_V1 if self._messaging_public else BETA_V1

    def _url(self, path: str) -> str:
        return self.environment.api_endpoint(path)

    def _messaging(
        self,
        method: str,
        path: str,
        endpoint: str,
        *,
        params_for: Callable[[str], dict[str, str | int]] | None = None,
        **kwargs: object,
    ) -> tuple[httpx.Response, str]:
        """A /messaging request in beta.v1, or public.v1 once a 406 has shown beta is not served.

        `params_for` builds the query for a media type (paging differs: beta cursors, public offsets).
        """
        media = self.messaging_media_type
        try:
            params = params_for(media) if params_for else None
            return self._http.request(method, self._url(path), endpoint=endpoint, accept=media, params=params, **kwargs), media  # type: ignore[arg-type]
        except NotAcceptableError:
            if media == PUBLIC_V1:
                raise
            self._switch_to_public()
            params = params_for(PUBLIC_V1) if params_for else None
            return (
                self._http.request(method, self._url(path), endpoint=endpoint, accept=PUBLIC_V1, params=params, **kwargs),  # type: ignore[arg-type]
                PUBLIC_V1,
            )

    def _switch_to_public(self) -> None:
        with self._state_lock:
            already = self._messaging_public
            self._messaging_public = True
        if not already:
            log.info("messaging beta.v1 not accepted (406); using public.v1 for the rest of the session")

    # -- account ---------------------------------------------------------------------------------------------------

    def me(self) -> Me:
        with self._state_lock:
            if self._me is not None:
                return self._me
        endpoint = "GET /me"
        response = self._http.request("GET", self._url("/me"), endpoint="/me", accept=PUBLIC_V1)
        me = parsing.parse_me(json_of(response, endpoint), endpoint)
        with self._state_lock:
            self._me = me
        return me

    def _own_login(self) -> str | None:
        try:
            return self.me().login
        except AllegroError as exc:  # without /me, USER-role messages fall back to "the buyer wrote it"
            log.warning("could not read the account login (%s); message directions may be approximate", exc.code)
            return None

    # -- threads ---------------------------------------------------------------------------------------------------

    def list_threads(self, *, page_id: str | None = None, offset: int | None = None, limit: int = 20) -> ThreadPage:
        limit = max(1, min(limit, THREAD_PAGE_LIMIT))
        endpoint = "/messaging/threads"
        if self.messaging_media_type == BETA_V1:
            params: dict[str, str | int] = {"limit": limit}
            if page_id:
                params["page.id"] = page_id
            try:
                response = self._http.request("GET", self._url(endpoint), endpoint=endpoint, accept=BETA_V1, params=params)
                body = json_of(response, f"GET {endpoint}")
                return parsing.parse_thread_page_beta(body, f"GET {endpoint}", self._own_login_if_needed(body))
            except NotAcceptableError:
                self._switch_to_public()
        start = offset or 0
        response = self._http.request(
            "GET", self._url(endpoint), endpoint=endpoint, accept=PUBLIC_V1, params={"limit": limit, "offset": start}
        )
        return parsing.parse_thread_page_public(json_of(response, f"GET {endpoint}"), f"GET {endpoint}", offset=start, limit=limit)

    def _own_login_if_needed(self, body: object) -> str | None:
        """/me only when a USER participant makes the login necessary (most pages need no extra request)."""
        return self._own_login() if parsing.mentions_user_role(body) else None

    def get_thread(self, thread_id: str) -> ConversationSummary:
        endpoint = "/messaging/threads/{id}"
        try:
            response, media = self._messaging("GET", f"/messaging/threads/{id_segment(thread_id, Kind.THREAD.value)}", endpoint)
        except ValidationError as exc:
            raise _as_wrong_kind(exc) from exc
        body = json_of(response, f"GET {endpoint}")
        if media == BETA_V1:
            return parsing.parse_thread_beta(body, f"GET {endpoint}", self._own_login_if_needed(body))
        return parsing.parse_thread_public(body, f"GET {endpoint}")

    def thread_messages(self, thread_id: str) -> MessageList:
        endpoint = "/messaging/threads/{id}/messages"
        path = f"/messaging/threads/{id_segment(thread_id, Kind.THREAD.value)}/messages"
        collected: dict[str, ConversationMessage] = {}
        skipped: list[SkippedRecord] = []
        cursor: str | None = None
        offset = 0
        seen_cursors: set[str] = set()
        own_login: str | None = None
        warnings: list[str] = []
        for _ in range(MAX_PAGES):
            def page_params(media: str) -> dict[str, str | int]:
                if media == BETA_V1:
                    return {"limit": THREAD_PAGE_LIMIT, **({"page.id": cursor} if cursor else {})}
                return {"limit": THREAD_PAGE_LIMIT, "offset": offset}

            try:
                response, media = self._messaging("GET", path, endpoint, params_for=page_params)
            except ValidationError as exc:
                raise _as_wrong_kind(exc) from exc
            body = json_of(response, f"GET {endpoint}")
            if own_login is None and media == BETA_V1 and parsing.mentions_user_role(body):
                own_login = self._own_login()
            page = parsing.parse_message_page(body, f"GET {endpoint}", thread_id, own_login)
            fresh = _collect(collected, skipped, page)
            if media == BETA_V1:
                next_cursor = page.next_page_id
                if not next_cursor:
                    break
                if next_cursor in seen_cursors:
                    warnings.append("the next-page cursor of its messages repeated; stopped paging")
                    break
                seen_cursors.add(next_cursor)
                cursor = next_cursor
            else:
                if page.record_count < THREAD_PAGE_LIMIT:
                    break
                offset += page.record_count
            if not fresh:
                # A server handing out new cursors (or offsets) with nothing behind them would be paged forever.
                warnings.append("a page of its messages brought nothing new; stopped paging")
                break
        else:
            warnings.append(f"its messages were still paging after {MAX_PAGES} pages; stopped")
        for warning in warnings:
            log.warning("thread %s: %s", thread_id, warning)
        return MessageList(tuple(sorted(collected.values(), key=lambda m: (m.created_at, m.id))), tuple(skipped),
                           tuple(warnings))

    def mark_thread_read(self, thread_id: str) -> None:
        self._messaging(
            "PUT", f"/messaging/threads/{id_segment(thread_id, Kind.THREAD.value)}/read", "/messaging/threads/{id}/read", json_body={"read": True}
        )

    def send_thread_message(self, thread_id: str, text: str, attachment_ids: Sequence[str] = ()) -> SentMessage:
        self._check_text(text, THREAD_TEXT_LIMIT, attachment_ids)
        body: dict[str, object] = {"text": text}
        if attachment_ids:
            body["attachments"] = [{"id": a} for a in attachment_ids]
        endpoint = "/messaging/threads/{id}/messages"
        response, _ = self._messaging(
            "POST", f"/messaging/threads/{id_segment(thread_id, Kind.THREAD.value)}/messages", endpoint,
            json_body=body, may_duplicate=True, send_account=self.account_key,
        )
        return parsing.parse_sent_message(json_of(response, f"POST {endpoint}"), f"POST {endpoint}", thread_id, text)

    @staticmethod
    def _check_text(text: str, limit: int, attachment_ids: Sequence[str]) -> None:
        if not text.strip() and not attachment_ids:
            raise ValidationError("the message is empty", code="EMPTY_MESSAGE")
        if len(text) > limit:
            raise ValidationError(f"the message is longer than {limit} characters", code="TEXT_TOO_LONG")

    # -- issues ----------------------------------------------------------------------------------------------------

    def list_issues(
        self, *, offset: int = 0, limit: int = 100, statuses: Sequence[str] | None = None
    ) -> IssuePage:
        """One page of issues, newest opened first. `statuses` (PostPurchaseIssueStatus values) keeps only issues in
        those states; None or empty lists every state. The spec's `status` is a query array with the default form
        style, so each value is its own `status=` pair."""
        endpoint = "/sale/issues"
        params: dict[str, str | int | list[str]] = {
            "limit": max(1, min(limit, ISSUE_PAGE_LIMIT)), "offset": max(0, offset),
        }
        if statuses:
            params["status"] = list(dict.fromkeys(statuses))  # httpx sends a list as repeated pairs
        response = self._http.request("GET", self._url(endpoint), endpoint=endpoint, accept=BETA_V1,
                                      params=params)  # type: ignore[arg-type]
        return parsing.parse_issue_list(json_of(response, f"GET {endpoint}"), f"GET {endpoint}")

    def get_issue(self, issue_id: str) -> ConversationSummary:
        endpoint = "/sale/issues/{id}"
        try:
            response = self._http.request("GET", self._url(f"/sale/issues/{id_segment(issue_id, Kind.ISSUE.value)}"), endpoint=endpoint, accept=BETA_V1)
        except ValidationError as exc:
            raise _as_wrong_kind(exc) from exc
        return parsing.parse_issue(json_of(response, f"GET {endpoint}"), f"GET {endpoint}")

    def issue_chat(self, issue_id: str) -> MessageList:
        endpoint = "/sale/issues/{id}/chat"
        collected: dict[str, ConversationMessage] = {}
        skipped: list[SkippedRecord] = []
        offset = 0
        warnings: list[str] = []
        for _ in range(MAX_PAGES):
            params = {"limit": ISSUE_PAGE_LIMIT, "offset": offset}  # never omit limit: the default is 10
            try:
                response = self._http.request(
                    "GET", self._url(f"/sale/issues/{id_segment(issue_id, Kind.ISSUE.value)}/chat"), endpoint=endpoint, accept=BETA_V1, params=params
                )
            except ValidationError as exc:
                raise _as_wrong_kind(exc) from exc
            page = parsing.parse_issue_chat(json_of(response, f"GET {endpoint}"), f"GET {endpoint}", issue_id)
            fresh = _collect(collected, skipped, page)
            if page.record_count < ISSUE_PAGE_LIMIT:
                break
            if not fresh:
                warnings.append("a page of its chat brought nothing new; stopped paging")
                break
            offset += page.record_count
        else:
            warnings.append(f"its chat was still paging after {MAX_PAGES} pages; stopped")
        for warning in warnings:
            log.warning("issue %s: %s", issue_id, warning)
        return MessageList(tuple(sorted(collected.values(), key=lambda m: (m.created_at, m.id))), tuple(skipped),
                           tuple(warnings))

    def send_issue_message(self, issue_id: str, text: str, attachment_ids: Sequence[str] = (),
                           message_type: IssueMessageType = IssueMessageType.REGULAR) -> SentMessage:
        """A message in a dispute's or claim's chat; `message_type` is MessageRequest.type (END_REQUEST for
        disputes, the return types for claims: Allegro refuses the others)."""
        self._check_text(text, ISSUE_TEXT_LIMIT, attachment_ids)
        endpoint = "/sale/issues/{id}/message"
        body = {"text": text, "attachments": [{"id": a} for a in attachment_ids], "type": message_type.value}
        response = self._http.request(
            "POST", self._url(f"/sale/issues/{id_segment(issue_id, Kind.ISSUE.value)}/message"), endpoint=endpoint, accept=BETA_V1,
            json_body=body, may_duplicate=True, send_account=self.account_key,
        )
        return parsing.parse_sent_message(json_of(response, f"POST {endpoint}"), f"POST {endpoint}", issue_id, text)

    def change_claim_status(self, issue_id: str, status: DecisionChoice, message: str,
                            partial_refund: Money | None) -> None:
        """Decide a claim (ClaimStatusChangeRequest). A send: never retried once it may have arrived, so a lost
        answer is OutcomeUnknownError and the caller re-reads the issue; paced like messages, one a second."""
        if not message.strip():
            raise ValidationError("the decision's message is empty", code="EMPTY_MESSAGE")
        if len(message) > ISSUE_TEXT_LIMIT:
            raise ValidationError(f"the message is longer than {ISSUE_TEXT_LIMIT} characters", code="TEXT_TOO_LONG")
        if (partial_refund is not None) != status.needs_amount:
            raise ValidationError("a partial refund, and only it, carries an amount", code="PARTIAL_REFUND")
        body: dict[str, object] = {"status": status.value, "message": message}
        if partial_refund is not None:
            body["partialRefund"] = {"amount": partial_refund.amount_text, "currency": partial_refund.currency}
        self._http.request(
            "POST", self._url(f"/sale/issues/{id_segment(issue_id, Kind.ISSUE.value)}/status"),
            endpoint="/sale/issues/{id}/status", accept=BETA_V1, json_body=body, may_duplicate=True,
            send_account=self.account_key,
        )  # 200 with no body: the contract describes none

    # -- attachments -----------------------------------------------------------------------------------------------

    def upload_attachment(self, kind: Kind, file_name: str, data: bytes, mime_type: str) -> str:
        if mime_type not in ATTACHMENT_MEDIA_TYPES:  # exactly one of Allegro's types: a ";charset" suffix gives 415
            raise ValidationError(f"file type {mime_type!r} is not accepted by Allegro", code="UNSUPPORTED_MIME_TYPE")
        if not data:
            raise ValidationError("the file is empty", code="EMPTY_FILE")
        if len(data) > ATTACHMENT_MAX_BYTES:
            raise ValidationError(f"the file is larger than {ATTACHMENT_MAX_BYTES // 2**20} MB", code="FILE_TOO_BIG")
        if kind is Kind.THREAD:
            declared, _ = self._messaging(
                "POST", "/messaging/message-attachments", "/messaging/message-attachments",
                json_body={"filename": file_name, "size": len(data)},
            )
            attachment_id = parsing.parse_attachment_id(
                json_of(declared, "POST /messaging/message-attachments"), "POST /messaging/message-attachments"
            )
            self._messaging(
                "PUT", f"/messaging/message-attachments/{id_segment(attachment_id, 'attachment')}", "/messaging/message-attachments/{id}",
                content=data, content_type=mime_type,
            )
            return attachment_id
        endpoint = "/sale/issues/attachments"
        declared = self._http.request(
            "POST", self._url(endpoint), endpoint=endpoint, accept=BETA_V1,
            json_body={"fileName": file_name, "size": len(data)},
        )
        attachment_id = parsing.parse_attachment_id(json_of(declared, f"POST {endpoint}"), f"POST {endpoint}")
        # Allegro hands out a one-time upload URL (on the upload host); build one only if it did not.
        upload_url = declared.headers.get("Location") or self._url(f"/sale/issues/attachments/{id_segment(attachment_id, 'attachment')}")
        self._http.request(
            "PUT", upload_url, endpoint="/sale/issues/attachments/{id}", accept=BETA_V1,
            content=data, content_type=mime_type,
        )
        return attachment_id

    def download_attachment(self, kind: Kind, attachment_id: str) -> tuple[bytes, str | None, str | None]:
        if kind is Kind.THREAD:
            path, endpoint = f"/messaging/message-attachments/{id_segment(attachment_id, 'attachment')}", "/messaging/message-attachments/{id}"
        else:
            path, endpoint = f"/sale/issues/attachments/{id_segment(attachment_id, 'attachment')}", "/sale/issues/attachments/{id}"
        response = self._http.request("GET", self._url(path), endpoint=endpoint, accept="*/*")
        content_type = response.headers.get("Content-Type")
        return response.content, filename_from_disposition(response.headers.get("Content-Disposition")), content_type

    # -- orders ----------------------------------------------------------------------------------------------------

    def get_order(self, order_id: str) -> Order:
        endpoint = "/order/checkout-forms/{id}"
        response = self._http.request("GET", self._url(f"/order/checkout-forms/{id_segment(order_id, 'order')}"), endpoint=endpoint, accept=PUBLIC_V1)
        body = json_of(response, f"GET {endpoint}")
        shipments_endpoint = "/order/checkout-forms/{id}/shipments"
        shipments_response = self._http.request(
            "GET", self._url(f"/order/checkout-forms/{id_segment(order_id, 'order')}/shipments"), endpoint=shipments_endpoint, accept=PUBLIC_V1
        )
        shipments = parsing.parse_shipments(json_of(shipments_response, f"GET {shipments_endpoint}"), f"GET {shipments_endpoint}")
        return parsing.parse_order(body, f"GET {endpoint}", shipments)

    def orders_of_buyer(self, login: str, *, limit: int = BUYER_ORDERS_LIMIT) -> tuple[Order, ...]:
        """The buyer's most recent orders with this seller, newest bought first, without their shipments: what
        a conversation that names no order offers to choose from. Unreadable records are left out (logged)."""
        endpoint = "/order/checkout-forms"
        params: dict[str, str | int] = {
            "buyer.login": login, "sort": "-lineItems.boughtAt", "limit": max(1, min(limit, ORDER_PAGE_LIMIT)),
        }
        response = self._http.request("GET", self._url(endpoint), endpoint=endpoint, accept=PUBLIC_V1, params=params)
        found, skipped = parsing.parse_order_list(json_of(response, f"GET {endpoint}"), f"GET {endpoint}")
        for record in skipped:
            log.warning("an order of a buyer was skipped: %s", record.reason)
        return found

    # -- auto-detection ----------------------------------------------------------------------------------------------

    def _summary(self, kind: Kind, conversation_id: str) -> ConversationSummary:
        return self.get_thread(conversation_id) if kind is Kind.THREAD else self.get_issue(conversation_id)

    def resolve_kind(self, conversation_id: str) -> ConversationSummary:
        """The summary of a conversation whose kind may be unknown; the kind that answered is recorded."""
        checked_id(conversation_id, "conversation")  # a hostile id is refused here, before any request
        recorded = self.kind_registry.recorded_kind(conversation_id)
        first = recorded or guess_kind(conversation_id)
        other = Kind.ISSUE if first is Kind.THREAD else Kind.THREAD
        try:
            summary = self._summary(first, conversation_id)
        except AllegroError as first_error:
            if not _not_this_kind(first_error):
                raise
            try:
                summary = self._summary(other, conversation_id)
            except AllegroError as second_error:
                if not _not_this_kind(second_error):
                    raise
                errors = {first: first_error, other: second_error}
                log.warning(
                    "conversation %s not found: thread answered %s (%s), issue answered %s (%s)",
                    conversation_id, errors[Kind.THREAD].status, errors[Kind.THREAD].code,
                    errors[Kind.ISSUE].status, errors[Kind.ISSUE].code,
                )
                raise ConversationNotFoundError(
                    conversation_id, thread_error=errors[Kind.THREAD], issue_error=errors[Kind.ISSUE]
                ) from second_error
            with self._state_lock:
                first_time = conversation_id not in self._fallbacks_logged
                self._fallbacks_logged.add(conversation_id)
            if first_time:
                log.info(
                    "conversation %s is %s, not %s (the %s API answered %s %s)",
                    conversation_id, other.value, first.value, first.value, first_error.status, first_error.code,
                )
        self.kind_registry.record_kind(conversation_id, summary.kind, summary.sub_kind)
        return summary

    def conversation_messages(self, summary: ConversationSummary) -> MessageList:
        if summary.kind is Kind.THREAD:
            return self.thread_messages(summary.id)
        return self.issue_chat(summary.id)

    def open_conversation(self, conversation_id: str) -> Conversation:
        summary = self.resolve_kind(conversation_id)
        listed = self.conversation_messages(summary)
        return Conversation(summary=summary, messages=listed.messages, complete=listed.complete)

    def send_message(
        self, conversation_id: str, kind: Kind, text: str, attachment_ids: Sequence[str] = (),
        message_type: IssueMessageType = IssueMessageType.REGULAR,
    ) -> SentMessage:
        if kind is Kind.THREAD:
            if message_type is not IssueMessageType.REGULAR:  # a thread's message has no type to carry it
                raise ValidationError(f"a thread takes no {message_type.value} message", code="MESSAGE_TYPE")
            return self.send_thread_message(conversation_id, text, attachment_ids)
        return self.send_issue_message(conversation_id, text, attachment_ids, message_type)


__all__ = ["AllegroClient", "filename_from_disposition"]
