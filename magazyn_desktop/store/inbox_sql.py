"""The SQL of the inbox list shared by plain pages and searches: the filters, a row's columns, the keyset order.

List pages use keyset paging over (last_activity_at DESC, id DESC): a page costs the same however deep the user
has scrolled, and rows written by sync meanwhile do not shift later pages. The deadlines filter pages the same way
over (due_at, id) ascending, through an index of its own; searched, it keeps the activity order of every search.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from magazyn_desktop.domain.vocabulary import CLOSED_ISSUE_STATUS_SUFFIX, CLOSED_THREAD_STATUS, ISSUE_SUB_KINDS
from magazyn_desktop.store.read_connection import ReadConnection, engine_of
from magazyn_desktop.store.inbox_records import ConversationRow, Filter, PageKey, parse_date, parse_time


def _sql_text(value: str) -> str:
    """A constant of the vocabulary as an SQL string literal (never used for user input: those are bound)."""
    return "'" + value.replace("'", "''") + "'"


def _sql_like_suffix(value: str) -> str:
    """A LIKE pattern matching texts that end in `value`, its own % and _ taken literally (ESCAPE '\\')."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _sql_text("%" + escaped)


# TRUE and FALSE: PostgreSQL's booleans, and SQLite's 1 and 0 (its query plans are the same as with the numbers).
# A conversation is closed when Allegro says so (a thread's status CLOSED, an issue status ending in _CLOSED)
# or when it no longer takes replies.
# coalesce: a NULL status would make the whole test NULL, and NOT NULL hides the row from every filter.
_CLOSED_SQL = (f"(c.can_reply = FALSE OR coalesce(c.status, '') = {_sql_text(CLOSED_THREAD_STATUS)} "
               f"OR coalesce(c.status, '') LIKE {_sql_like_suffix(CLOSED_ISSUE_STATUS_SUFFIX)} ESCAPE '\\')")
_ISSUES_SQL = f"c.sub_kind IN ({', '.join(_sql_text(sub_kind.value) for sub_kind in ISSUE_SUB_KINDS)})"

FILTER_SQL: dict[Filter, str] = {
    Filter.ALL: "TRUE",
    Filter.NEEDS_REPLY: f"(c.needs_reply = TRUE AND NOT {_CLOSED_SQL})",
    Filter.UNREAD: "c.read = FALSE",
    Filter.ISSUES: _ISSUES_SQL,
    Filter.CLOSED: _CLOSED_SQL,
    # :today is the local date (today_param); the remind_on index makes this a range of the few with a reminder.
    Filter.REMINDERS: "c.remind_on <= :today",
    # due_at is NULL for whatever is closed, decided, done or awaits no reply (conversation_writes.effective_due_at).
    Filter.DEADLINES: "c.due_at IS NOT NULL",
    # :me is the person at this bench (today_param too; NULL matches nothing); (account_id, assignee, activity, id)
    # is an index of its own, so a page of it is a seek as the activity order's are.
    Filter.MINE: "c.assignee = :me",
}

# Filters that show few conversations, each through an index of its own column: their pages sort those few.
SPARSE_FILTERS = frozenset({Filter.REMINDERS})

ROW_COLUMNS = (
    "c.id, c.kind, c.sub_kind, c.status, c.can_reply, c.read, c.needs_reply, "
    f"{_CLOSED_SQL} AS closed, c.last_activity_at, c.interlocutor_login, c.order_id, c.subject, "
    "c.last_message_snippet, c.decision_due_at, c.done_at IS NOT NULL AS done, c.remind_on, c.due_at, c.assignee"
)
ROW_WIDTH = 18  # the values of ROW_COLUMNS; a record's page key follows them
_DUE_AT = 16  # due_at as stored, the deadlines order's key
ORDER_BY = "ORDER BY c.last_activity_at DESC, c.id DESC"
Record = tuple  # ROW_COLUMNS, then last_activity_at as stored (the page key), then (in walks) whether ids matched


def conversation_row(record: sqlite3.Row | tuple) -> ConversationRow:
    """A list row from the first ROW_WIDTH values of a record (ROW_COLUMNS)."""
    (cid, kind, sub_kind, status, can_reply, read, needs_reply, closed, last_activity_at, login, order_id,
     subject, snippet, decide_by, done, remind_on, due_at, assignee) = record[:ROW_WIDTH]
    return ConversationRow(
        id=str(cid), kind=str(kind), sub_kind=str(sub_kind), status=status, can_reply=bool(can_reply),
        read=bool(read), needs_reply=bool(needs_reply), closed=bool(closed),
        last_activity_at=parse_time(last_activity_at), interlocutor_login=login, order_id=order_id,
        subject=subject, snippet=snippet, decision_due_at=parse_time(decide_by), done=bool(done),
        remind_on=parse_date(remind_on), due_at=parse_time(due_at), assignee=assignee,
    )


def page_key(record: Record) -> PageKey:
    return PageKey(record[ROW_WIDTH], str(record[0]), record[_DUE_AT])


def today_param(today: date | None, me: str | None = None) -> dict[str, object]:
    """The parameters FILTER_SQL reads: the reminders test's local date (None: this computer's today), and the
    person whose conversations "Moje" shows (None: nobody's)."""
    return {"today": (today or date.today()).isoformat(), "me": me}


def where_sql(filter_: Filter, account_id: int | None, today: date | None = None,
              me: str | None = None) -> tuple[str, dict[str, object]]:
    if account_id is None:
        return FILTER_SQL[filter_], today_param(today, me)
    return (f"{FILTER_SQL[filter_]} AND c.account_id = :account_id",
            {"account_id": account_id, **today_param(today, me)})


def page_records(connection: ReadConnection, where: str, params: dict[str, object], after: PageKey | None,
                 want: int, *, sparse: bool = False) -> list[Record]:
    """Up to `want` rows after `after` in list order, each query an index seek at any depth (the activity indexes
    end with the id, so the order needs no sort): the rows with a time first, then those without one.

    `sparse`: the filter shows few rows and has an index of its own (SPARSE_FILTERS); see _sparse_page_records."""
    if sparse:
        return _sparse_page_records(connection, where, params, after, want)
    select = f"SELECT {ROW_COLUMNS}, c.last_activity_at FROM conversations c WHERE {where}"
    records: list[Record] = []
    if after is None or after.last_activity_at is not None:
        seek, seek_params = ("", {}) if after is None else (
            " AND (c.last_activity_at, c.id) < (:after_at, :after_id)",
            {"after_at": after.last_activity_at, "after_id": after.id})
        records = connection.execute(
            f"{select} AND c.last_activity_at IS NOT NULL{seek} {ORDER_BY} LIMIT :want",
            {**params, **seek_params, "want": want},
        ).fetchall()
    if len(records) < want:
        seek, seek_params = ((" AND c.id < :after_id", {"after_id": after.id})
                             if after is not None and after.last_activity_at is None else ("", {}))
        records += connection.execute(
            f"{select} AND c.last_activity_at IS NULL{seek} ORDER BY c.id DESC LIMIT :want",
            {**params, **seek_params, "want": want - len(records)},
        ).fetchall()
    return records


def _sparse_page_records(connection: ReadConnection, where: str, params: dict[str, object],
                         after: PageKey | None, want: int) -> list[Record]:
    """The page of a filter with few rows: those rows found first through the filter's own index (a materialized
    set), then sorted. Asked in one query with ORDER BY ... LIMIT, SQLite would rather walk the activity index,
    which its statistics favour (every NULL of the filter's column counts as one value), and test every
    conversation: 150 ms at 100,000 for a filter showing none."""
    seek, seek_params = after_sql(after, engine_of(connection))
    return connection.execute(
        f"WITH shown AS MATERIALIZED (SELECT c.id AS id FROM conversations c WHERE {where}{seek}) "
        f"SELECT {ROW_COLUMNS}, c.last_activity_at FROM shown s CROSS JOIN conversations c WHERE c.id = s.id "
        "ORDER BY c.last_activity_at IS NULL, c.last_activity_at DESC, c.id DESC LIMIT :want",
        {**params, **seek_params, "want": want},
    ).fetchall()


def deadline_page_records(connection: ReadConnection, where: str, params: dict[str, object],
                          after: PageKey | None, want: int) -> list[Record]:
    """Up to `want` rows after `after` in the deadlines order (due_at, id), soonest first: one seek of the
    (account_id, due_at, id) index, which `where` (the filter's due_at IS NOT NULL) keeps to rows with a deadline."""
    seek, seek_params = ("", {}) if after is None or after.due_at is None else (
        " AND (c.due_at, c.id) > (:after_due, :after_id)", {"after_due": after.due_at, "after_id": after.id})
    return connection.execute(
        f"SELECT {ROW_COLUMNS}, c.last_activity_at FROM conversations c WHERE {where}{seek} "
        "ORDER BY c.due_at, c.id LIMIT :want", {**params, **seek_params, "want": want},
    ).fetchall()


def after_sql(after: PageKey | None, engine: str = "sqlite") -> tuple[str, dict[str, object]]:
    """Rows strictly after a key in list order, as a test on each row: for rows found by other means (a search's
    hits, ids looked up by key); page_records seeks instead. `engine`: whose SQL (read_connection.engine_of)."""
    if after is None:
        return "", {}
    # The list shows rows without a time last (each query here orders them so, whatever the engine's default).
    if after.last_activity_at is None:
        return " AND c.last_activity_at IS NULL AND c.id < :after_id", {"after_id": after.id}
    # The unary + keeps SQLite from answering this OR with a MULTI-INDEX OR, which collects every older row
    # and sorts them all; PostgreSQL has no unary + for times.
    at = "+c.last_activity_at" if engine == "sqlite" else "c.last_activity_at"
    return (f" AND ({at} < :after_at OR ({at} = :after_at AND c.id < :after_id) OR {at} IS NULL)",
            {"after_at": after.last_activity_at, "after_id": after.id})
