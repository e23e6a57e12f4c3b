"""Read-only queries behind the inbox window: list pages, counts, one conversation, search and scanner look-ups.

Plain sqlite3 and no Qt, so the same queries serve the window, the command line and benchmarks. Every function
takes an open connection (see store.db.connect(path, read_only=True)) and never writes.
List pages use keyset paging over (last_activity_at DESC, id DESC): a page costs the same however deep the
user has scrolled, and rows written by sync meanwhile do not shift later pages.
"""

from __future__ import annotations

import enum
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

ISSUE_SUB_KINDS = ("POST_PURCHASE_ISSUE", "DISPUTE", "CLAIM")
# A conversation is closed when Allegro says so (thread status CLOSED, an issue status ending in CLOSED)
# or when it no longer takes replies.
# coalesce: a NULL status would make the whole test NULL, and NOT NULL hides the row from every filter.
_CLOSED_SQL = "(c.can_reply = 0 OR coalesce(c.status, '') = 'CLOSED' OR coalesce(c.status, '') LIKE '%\\_CLOSED' ESCAPE '\\')"
_SEARCH_MIN_CHARS = 2


class Filter(str, enum.Enum):
    ALL = "all"
    NEEDS_REPLY = "needs_reply"
    UNREAD = "unread"
    ISSUES = "issues"  # purchase problems, disputes and claims
    CLOSED = "closed"


_FILTER_SQL: dict[Filter, str] = {
    Filter.ALL: "1",
    Filter.NEEDS_REPLY: f"(c.needs_reply = 1 AND NOT {_CLOSED_SQL})",
    Filter.UNREAD: "c.read = 0",
    Filter.ISSUES: "c.sub_kind IN ('POST_PURCHASE_ISSUE', 'DISPUTE', 'CLAIM')",
    Filter.CLOSED: _CLOSED_SQL,
}


@dataclass(frozen=True)
class ConversationRow:
    """One line of the inbox list."""

    id: str
    kind: str
    sub_kind: str
    status: str | None
    can_reply: bool
    read: bool
    needs_reply: bool
    closed: bool
    last_activity_at: datetime | None
    interlocutor_login: str | None
    order_id: str | None
    subject: str | None
    snippet: str | None
    decision_due_at: datetime | None


@dataclass(frozen=True)
class PageKey:
    """Where the next page starts: the sort key of the last row already shown."""

    last_activity_at: str | None  # as stored, so comparisons happen on the stored text
    id: str


@dataclass(frozen=True)
class Page:
    rows: tuple[ConversationRow, ...]
    next_key: PageKey | None  # None when this was the last page


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    message_id: str
    remote_id: str | None
    file_name: str
    mime_type: str | None
    url: str | None
    local_path: str | None


@dataclass(frozen=True)
class MessageRow:
    id: str
    author_role: str
    author_login: str | None
    text: str
    created_at: datetime | None
    attachments: tuple[AttachmentRow, ...] = ()


@dataclass(frozen=True)
class OutboxRow:
    id: int
    text: str
    state: str
    attempts: int
    created_at: datetime | None
    sent_at: datetime | None
    error_code: str | None
    error_message: str | None


@dataclass(frozen=True)
class ConversationDetail:
    conversation: ConversationRow
    messages: tuple[MessageRow, ...]
    outbox: tuple[OutboxRow, ...]
    draft: str


def parse_time(value: object) -> datetime | None:
    """Stored UTC text (as SQLAlchemy writes it) to an aware datetime; None for anything unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


_ROW_COLUMNS = (
    "c.id, c.kind, c.sub_kind, c.status, c.can_reply, c.read, c.needs_reply, "
    f"{_CLOSED_SQL} AS closed, c.last_activity_at, c.interlocutor_login, c.order_id, c.subject, "
    "c.last_message_snippet, c.decision_due_at"
)


def _row(record: sqlite3.Row | tuple) -> ConversationRow:
    (cid, kind, sub_kind, status, can_reply, read, needs_reply, closed, last_activity_at, login, order_id,
     subject, snippet, due) = record
    return ConversationRow(
        id=str(cid), kind=str(kind), sub_kind=str(sub_kind), status=status, can_reply=bool(can_reply),
        read=bool(read), needs_reply=bool(needs_reply), closed=bool(closed),
        last_activity_at=parse_time(last_activity_at), interlocutor_login=login, order_id=order_id,
        subject=subject, snippet=snippet, decision_due_at=parse_time(due),
    )


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression: every word quoted and prefix-matched, all words required.

    Quoting each word means that characters FTS5 treats as syntax (", *, :, AND, NEAR...) are searched for
    literally instead of raising a syntax error.
    """
    words = [word for word in re.findall(r"\w+", text, flags=re.UNICODE) if word]
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(filter_: Filter, search: str, account_id: int | None) -> tuple[str, list[object]]:
    clauses = [_FILTER_SQL[filter_]]
    params: list[object] = []
    if account_id is not None:
        clauses.append("c.account_id = ?")
        params.append(account_id)
    search = search.strip()
    if len(search) >= _SEARCH_MIN_CHARS:
        like = _like_pattern(search)
        alternatives = [
            "c.interlocutor_login LIKE ? ESCAPE '\\'",
            "c.order_id LIKE ? ESCAPE '\\'",
            "c.id LIKE ? ESCAPE '\\'",
            "c.order_id IN (SELECT t.order_id FROM tracking_numbers t WHERE t.waybill LIKE ? ESCAPE '\\')",
        ]
        params.extend([like, like, like, like])
        match = fts_query(search)
        if match is not None:
            alternatives.append(
                "c.id IN (SELECT m.conversation_id FROM messages_fts f JOIN messages m ON m.rowid = f.rowid "
                "WHERE messages_fts MATCH ?)"
            )
            params.append(match)
        clauses.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(clauses), params


def list_page(connection: sqlite3.Connection, *, filter_: Filter = Filter.ALL, search: str = "",
              account_id: int | None = None, after: PageKey | None = None, limit: int = 50) -> Page:
    """One page of the inbox, newest activity first; pass the previous page's next_key to continue."""
    where, params = _where(filter_, search, account_id)
    if after is not None:
        # SQLite sorts NULL below every value, so rows without a time come last in DESC order.
        if after.last_activity_at is None:
            where += " AND c.last_activity_at IS NULL AND c.id < ?"
            params.append(after.id)
        else:
            where += (" AND (c.last_activity_at < ? OR (c.last_activity_at = ? AND c.id < ?)"
                      " OR c.last_activity_at IS NULL)")
            params.extend([after.last_activity_at, after.last_activity_at, after.id])
    sql = (f"SELECT {_ROW_COLUMNS}, c.last_activity_at FROM conversations c WHERE {where} "
           "ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?")
    params.append(limit + 1)  # one extra row tells whether another page exists
    records = connection.execute(sql, params).fetchall()
    more = len(records) > limit
    records = records[:limit]
    rows = tuple(_row(record[:-1]) for record in records)
    next_key = PageKey(records[-1][-1], rows[-1].id) if more and rows else None
    return Page(rows, next_key)


def count(connection: sqlite3.Connection, *, filter_: Filter = Filter.ALL, search: str = "",
          account_id: int | None = None) -> int:
    where, params = _where(filter_, search, account_id)
    return int(connection.execute(f"SELECT count(*) FROM conversations c WHERE {where}", params).fetchone()[0])


def counts(connection: sqlite3.Connection, *, search: str = "", account_id: int | None = None) -> dict[Filter, int]:
    """How many conversations each filter shows, for the filter buttons."""
    return {filter_: count(connection, filter_=filter_, search=search, account_id=account_id) for filter_ in Filter}


def unread_count(connection: sqlite3.Connection, account_id: int | None = None) -> int:
    return count(connection, filter_=Filter.UNREAD, account_id=account_id)


def get_row(connection: sqlite3.Connection, conversation_id: str) -> ConversationRow | None:
    record = connection.execute(f"SELECT {_ROW_COLUMNS} FROM conversations c WHERE c.id = ?",
                                (conversation_id,)).fetchone()
    return _row(record) if record else None


def load_conversation(connection: sqlite3.Connection, conversation_id: str) -> ConversationDetail | None:
    """A conversation with its messages (oldest first), their attachments, its outbox entries and its draft."""
    row = get_row(connection, conversation_id)
    if row is None:
        return None
    attachments: dict[str, list[AttachmentRow]] = {}
    for record in connection.execute(
        "SELECT a.id, a.message_id, a.remote_id, a.file_name, a.mime_type, a.url, a.local_path "
        "FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ? ORDER BY a.id",
        (conversation_id,),
    ):
        attachments.setdefault(record[1], []).append(AttachmentRow(*record))
    messages = tuple(
        MessageRow(id=mid, author_role=role, author_login=login, text=text or "", created_at=parse_time(created),
                   attachments=tuple(attachments.get(mid, ())))
        for mid, role, login, text, created in connection.execute(
            "SELECT id, author_role, author_login, text, created_at FROM messages "
            "WHERE conversation_id = ? ORDER BY created_at, rowid",
            (conversation_id,),
        )
    )
    outbox = tuple(
        OutboxRow(id=oid, text=text, state=state, attempts=int(attempts or 0), created_at=parse_time(created),
                  sent_at=parse_time(sent), error_code=code, error_message=message)
        for oid, text, state, attempts, created, sent, code, message in connection.execute(
            "SELECT id, text, state, attempts, created_at, sent_at, error_code, error_message FROM outbox "
            "WHERE conversation_id = ? ORDER BY created_at, id",
            (conversation_id,),
        )
    )
    return ConversationDetail(row, messages, outbox, load_draft(connection, conversation_id))


def load_draft(connection: sqlite3.Connection, conversation_id: str) -> str:
    record = connection.execute("SELECT text FROM drafts WHERE conversation_id = ?", (conversation_id,)).fetchone()
    return str(record[0]) if record and record[0] else ""


def find_exact(connection: sqlite3.Connection, code: str, account_id: int | None = None) -> str | None:
    """The conversation a pasted or scanned code names: a conversation id, an order id or a waybill.

    When several conversations share an order, the one with the newest activity wins.
    """
    code = code.strip()
    if not code:
        return None
    account_clause, account_params = ("", ()) if account_id is None else (" AND c.account_id = ?", (account_id,))
    record = connection.execute(f"SELECT c.id FROM conversations c WHERE c.id = ?{account_clause}",
                                (code, *account_params)).fetchone()
    if record:
        return str(record[0])
    record = connection.execute(
        f"SELECT c.id FROM conversations c WHERE c.order_id = ?{account_clause} "
        "ORDER BY c.last_activity_at DESC LIMIT 1", (code, *account_params)
    ).fetchone()
    if record:
        return str(record[0])
    # Labels are sometimes printed in lower case or read with one by the scanner.
    record = connection.execute(
        "SELECT c.id FROM tracking_numbers t JOIN conversations c ON c.order_id = t.order_id "
        f"WHERE t.waybill = ? COLLATE NOCASE{account_clause} ORDER BY c.last_activity_at DESC LIMIT 1",
        (code, *account_params),
    ).fetchone()
    return str(record[0]) if record else None


def inbox_account_id(connection: sqlite3.Connection, *, demo: bool) -> int | None:
    """The account whose conversations the window shows before the backend says which one it uses.

    Demo conversations live in the same cache as a real account's; the two are never shown together.
    """
    if demo:
        sql = "SELECT id FROM accounts WHERE environment = 'demo' ORDER BY id LIMIT 1"
    else:
        sql = "SELECT id FROM accounts WHERE environment != 'demo' AND is_active = 1 ORDER BY id DESC LIMIT 1"
    record = connection.execute(sql).fetchone()
    return int(record[0]) if record else None


def has_account(connection: sqlite3.Connection) -> bool:
    record = connection.execute("SELECT 1 FROM accounts WHERE is_active = 1 LIMIT 1").fetchone()
    return record is not None


def looks_like_code(text: str) -> bool:
    """Whether typed text looks like an id the scanner or a paste produces (one token, digits or dashes in it)."""
    text = text.strip()
    return bool(re.fullmatch(r"[A-Za-z0-9_-]{6,64}", text)) and any(ch.isdigit() for ch in text)
