"""Read-only queries behind the inbox window: list pages, counts, one conversation, search and scanner look-ups.

Plain sqlite3 and no Qt, so the same queries serve the window, the command line and benchmarks. Every function
takes an open connection (see store.db.connect(path, read_only=True)) and never writes. The rows they return are
in inbox_records.py, the list's filters and paging in inbox_sql.py, and the search in sqlite_search.py (SQLite)
and postgres_search.py (a team's PostgreSQL store).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator
from pathlib import Path
from datetime import date

from magazyn_desktop.domain.search_text import folded
from magazyn_desktop.store.db import id_chunks
from magazyn_desktop.store.draft_files import files_from_json
from magazyn_desktop.store.inbox_records import (
    AttachmentRow,
    ConversationDetail,
    ConversationRow,
    DecisionRow,
    Filter,
    MessageRow,
    NoteRow,
    OutboxRow,
    Page,
    PageKey,
    parse_time,
)
from magazyn_desktop.store.inbox_sql import (
    ROW_COLUMNS,
    SPARSE_FILTERS,
    Record,
    conversation_row,
    deadline_page_records,
    page_key,
    page_records,
    where_sql,
)
from magazyn_desktop.store import postgres_search, sqlite_search
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.outbox_files import attachments_from_json, staged_path
from magazyn_desktop.store.search_terms import TERM_SEPARATOR

SEARCH_MIN_CHARS = 2  # a shorter search text (spaces aside) shows the list unsearched


def _search_text(search: str) -> str | None:
    search = search.strip()
    return search if len(search) >= SEARCH_MIN_CHARS else None


def by_deadline(filter_: Filter, search: str) -> bool:
    """Whether the list runs in the deadlines order, (due_at, id) soonest first, rather than by activity: the
    deadlines filter unsearched. A search keeps its activity order, which its indexes follow."""
    return filter_ is Filter.DEADLINES and _search_text(search) is None


def list_page(connection: ReadConnection, *, filter_: Filter = Filter.ALL, search: str = "",
              account_id: int | None = None, after: PageKey | None = None, limit: int = 50,
              today: date | None = None, me: str | None = None) -> Page:
    """One page of the inbox, newest activity first (soonest deadline first: by_deadline); pass the previous
    page's next_key to continue. `today` is the local date the reminders filter compares with (None: this
    computer's); `me` the person whose conversations the "Moje" filter shows (None: nobody's)."""
    want = limit + 1  # one extra row tells whether another page exists
    text = _search_text(search)
    if text is not None:
        records = _search_records(connection, text, account_id, filter_, after, want, today, me)
    elif by_deadline(filter_, search):
        where, params = where_sql(filter_, account_id, today, me)
        records = deadline_page_records(connection, where, params, after, want)
    else:
        where, params = where_sql(filter_, account_id, today, me)
        records = page_records(connection, where, params, after, want, sparse=filter_ in SPARSE_FILTERS)
    more = len(records) > limit
    records = records[:limit]
    rows = tuple(conversation_row(record) for record in records)
    next_key = page_key(records[-1]) if more and rows else None
    return Page(rows, next_key, tuple(page_key(record) for record in records))


def _search_records(connection: ReadConnection, text: str, account_id: int | None, filter_: Filter,
                    after: PageKey | None, want: int, today: date | None, me: str | None) -> list[Record]:
    if not isinstance(connection, sqlite3.Connection):
        return postgres_search.search_records(connection, text, account_id, filter_, after, want, today, me)
    return sqlite_search.search_records(connection, text, account_id, filter_, after, want, today, me)


def _search_counts(connection: ReadConnection, text: str, account_id: int | None,
                   today: date | None, me: str | None) -> dict[Filter, int]:
    if not isinstance(connection, sqlite3.Connection):
        return postgres_search.search_counts(connection, text, account_id, today, me)
    return sqlite_search.search_counts(connection, text, account_id, today, me)


def rows_by_id(connection: ReadConnection, conversation_ids: Collection[str], *, filter_: Filter = Filter.ALL,
               account_id: int | None = None, today: date | None = None, me: str | None = None,
               ) -> dict[str, tuple[ConversationRow, PageKey]]:
    """Those of the given conversations the filter shows, each with its sort key; read by key, at any inbox size."""
    found: dict[str, tuple[ConversationRow, PageKey]] = {}
    where, params = where_sql(filter_, account_id, today, me)
    for chunk in id_chunks(conversation_ids):
        names = {f"id{n}": value for n, value in enumerate(chunk)}
        placeholders = ", ".join(f":{name}" for name in names)
        for record in connection.execute(
            f"SELECT {ROW_COLUMNS}, c.last_activity_at FROM conversations c "
            f"WHERE c.id IN ({placeholders}) AND {where}", {**params, **names},
        ):
            found[str(record[0])] = (conversation_row(record), page_key(record))
    return found


def count(connection: ReadConnection, *, filter_: Filter = Filter.ALL, search: str = "",
          account_id: int | None = None, today: date | None = None, me: str | None = None) -> int:
    """The exact count. With a search this reads every hit of the search index: use count_capped in the UI."""
    text = _search_text(search)
    if text is not None:
        return _search_counts(connection, text, account_id, today, me)[filter_]
    where, params = where_sql(filter_, account_id, today, me)
    record = connection.execute(f"SELECT count(*) FROM conversations c WHERE {where}", params).fetchone()
    return int(record[0]) if record else 0


def counts(connection: ReadConnection, *, search: str = "", account_id: int | None = None,
           today: date | None = None, me: str | None = None) -> dict[Filter, int]:
    """How many conversations each filter shows, exactly (see counts_capped for the filter buttons)."""
    text = _search_text(search)
    if text is not None:
        return _search_counts(connection, text, account_id, today, me)
    return {filter_: count(connection, filter_=filter_, account_id=account_id, today=today, me=me)
            for filter_ in Filter}


def get_row(connection: ReadConnection, conversation_id: str) -> ConversationRow | None:
    record = connection.execute(f"SELECT {ROW_COLUMNS} FROM conversations c WHERE c.id = ?",
                                (conversation_id,)).fetchone()
    return conversation_row(record) if record else None


def load_conversation(connection: ReadConnection, conversation_id: str, outgoing_folder: Path | None = None,
                      draft_owner: str = "") -> ConversationDetail | None:
    """A conversation with its messages (oldest first), their attachments, its outbox entries (their files' copies
    in `outgoing_folder`) and `draft_owner`'s draft with its files ("": a single bench's)."""
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
    outbox: list[OutboxRow] = []
    written_by: dict[str, str] = {}  # a sent message's id -> who queued it, linked by its entry's remote id
    for oid, text, state, attempts, created, sent, code, message, files, author, remote_id in connection.execute(
        "SELECT id, text, state, attempts, created_at, sent_at, error_code, error_message, attachments_json, author,"
        " remote_message_id FROM outbox WHERE conversation_id = ? ORDER BY created_at, id",
        (conversation_id,),
    ):
        outbox.append(OutboxRow(id=oid, text=text, state=state, attempts=int(attempts or 0),
                                created_at=parse_time(created), sent_at=parse_time(sent), error_code=code,
                                error_message=message, attachments=_outbox_files(files, outgoing_folder),
                                author=author))
        if remote_id and author:
            written_by[remote_id] = author
    message_records = connection.execute(
        "SELECT id, author_role, author_login, text, created_at, rowid FROM messages "
        "WHERE conversation_id = ? ORDER BY created_at, rowid",
        (conversation_id,),
    ).fetchall()
    messages = tuple(
        MessageRow(id=mid, author_role=role, author_login=login, text=text or "", created_at=parse_time(created),
                   attachments=tuple(attachments.get(mid, ())), written_by=written_by.get(mid))
        for mid, role, login, text, created, _rowid in message_records
    )
    kept = connection.execute("SELECT kept_locally_since FROM conversations WHERE id = ?",
                              (conversation_id,)).fetchone()
    notes = tuple(
        NoteRow(id=int(nid), author=author, text=text, created_at=parse_time(created))
        for nid, author, text, created in connection.execute(
            "SELECT id, author, text, created_at FROM conversation_notes WHERE conversation_id = ? "
            "ORDER BY created_at, id", (conversation_id,))
    )
    decisions = tuple(
        DecisionRow(int(did), choice, amount, currency, state, code, message, found)
        for did, choice, amount, currency, state, code, message, found in connection.execute(
            "SELECT id, choice, refund_amount, refund_currency, state, error_code, error_message, found_status "
            "FROM claim_decisions WHERE issue_id = ? ORDER BY created_at, id", (conversation_id,))
    )
    draft = connection.execute("SELECT text, attachments_json FROM drafts WHERE conversation_id = ? AND person = ?",
                               (conversation_id, draft_owner)).fetchone()
    return ConversationDetail(row, messages, tuple(outbox), str(draft[0] or "") if draft else "",
                              parse_time(kept[0]) if kept else None,
                              draft_files=files_from_json(draft[1]) if draft else (), notes=notes,
                              decisions=decisions,
                              newest_message_rowid=max((int(record[5]) for record in message_records), default=0))


def _outbox_files(text: str | None, outgoing_folder: Path | None) -> tuple[AttachmentRow, ...]:
    """A queued reply's files as its card shows them; each opens its copy in the outgoing folder."""
    rows: list[AttachmentRow] = []
    for attachment in attachments_from_json(text):
        local = staged_path(attachment, outgoing_folder) if outgoing_folder is not None else None
        rows.append(AttachmentRow(id=0, message_id="", remote_id=attachment.remote_id,
                                  file_name=attachment.file_name, mime_type=attachment.mime_type or None,
                                  url=None, local_path=str(local) if local is not None else None))
    return tuple(rows)


def message_texts_newest_first(connection: ReadConnection, conversation_id: str) -> Iterator[str]:
    """The texts of a conversation's messages, newest first, read as they are consumed."""
    cursor = connection.execute(
        "SELECT text FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, rowid DESC", (conversation_id,))
    try:
        for text, in cursor:
            yield text or ""
    finally:
        cursor.close()


def find_exact(connection: ReadConnection, code: str, account_id: int | None = None) -> str | None:
    """The conversation a pasted or scanned code names: a conversation id, an order id or a waybill, else one whole
    identifier term of a conversation (store/search_terms.py: a waybill, SKU or id of an order linked to it, also
    by a user's choice, as the order cache has them; folded, so in any case).

    When several conversations share an order, the one with the newest activity wins.
    """
    code = code.strip()
    if not code:
        return None
    account_clause, account_params = ("", ()) if account_id is None else (" AND c.account_id = ?", (account_id,))
    postgres = None if isinstance(connection, sqlite3.Connection) else connection
    # PostgreSQL sorts NULL first in descending order, SQLite last: the rows without a time lose, on both.
    newest = "" if postgres is None else " NULLS LAST"
    record = connection.execute(f"SELECT c.id FROM conversations c WHERE c.id = ?{account_clause}",
                                (code, *account_params)).fetchone()
    if record:
        return str(record[0])
    record = connection.execute(
        f"SELECT c.id FROM conversations c WHERE c.order_id = ?{account_clause} "
        f"ORDER BY c.last_activity_at DESC{newest} LIMIT 1", (code, *account_params)
    ).fetchone()
    if record:
        return str(record[0])
    # Labels are sometimes printed in lower case or read with one by the scanner.
    waybill_test = "t.waybill = ? COLLATE NOCASE" if postgres is None else "lower(t.waybill) = lower(?)"
    record = connection.execute(
        "SELECT c.id FROM tracking_numbers t JOIN conversations c ON c.order_id = t.order_id "
        f"WHERE {waybill_test}{account_clause} ORDER BY c.last_activity_at DESC{newest} LIMIT 1",
        (code, *account_params),
    ).fetchone()
    if record:
        return str(record[0])
    if postgres is not None:
        return postgres_search.find_by_term(postgres, code, account_id)
    term = " ".join(folded(code).split())
    match = sqlite_search.term_match([term])
    if match is None:
        return None
    # A whole line of the terms: the separator on both sides.
    account = "" if account_id is None else " AND c.account_id = :account_id"
    record = connection.execute(
        "SELECT c.id FROM search_terms s CROSS JOIN conversations c ON c.rowid = s.rowid "
        "WHERE search_terms MATCH :match AND instr(:separator || s.terms || :separator, "
        f":separator || :term || :separator) > 0{account} ORDER BY c.last_activity_at DESC LIMIT 1",
        {"match": match, "separator": TERM_SEPARATOR, "term": term, "account_id": account_id},
    ).fetchone()
    return str(record[0]) if record else None


def inbox_account_id(connection: ReadConnection, *, demo: bool) -> int | None:
    """The account whose conversations the window shows before the backend says which one it uses.

    Demo conversations live in the same cache as a real account's; the two are never shown together.
    """
    if demo:
        sql = "SELECT id FROM accounts WHERE environment = 'demo' ORDER BY id LIMIT 1"
    else:
        sql = "SELECT id FROM accounts WHERE environment != 'demo' AND is_active = TRUE ORDER BY id DESC LIMIT 1"
    record = connection.execute(sql).fetchone()
    return int(record[0]) if record else None


def account_login(connection: ReadConnection, account_id: int) -> str | None:
    """The seller's login of an account, when the sign-in has told it."""
    record = connection.execute("SELECT login FROM accounts WHERE id = ?", (account_id,)).fetchone()
    return str(record[0]) if record and record[0] else None
