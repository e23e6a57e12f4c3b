"""Read-only queries behind the inbox window: list pages, counts, one conversation, search and scanner look-ups.

Plain sqlite3 and no Qt, so the same queries serve the window, the command line and benchmarks. Every function
takes an open connection (see store.db.connect(path, read_only=True)) and never writes.
List pages use keyset paging over (last_activity_at DESC, id DESC): a page costs the same however deep the
user has scrolled, and rows written by sync meanwhile do not shift later pages.
"""

from __future__ import annotations

import enum
import json
import re
import sqlite3
import string
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from magazyn_desktop.domain.vocabulary import CLOSED_ISSUE_STATUS_SUFFIX, CLOSED_THREAD_STATUS, ISSUE_SUB_KINDS


def _sql_text(value: str) -> str:
    """A constant of the vocabulary as an SQL string literal (never used for user input: those are bound)."""
    return "'" + value.replace("'", "''") + "'"


def _sql_like_suffix(value: str) -> str:
    """A LIKE pattern matching texts that end in `value`, its own % and _ taken literally (ESCAPE '\\')."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _sql_text("%" + escaped)


# A conversation is closed when Allegro says so (a thread's status CLOSED, an issue status ending in _CLOSED)
# or when it no longer takes replies.
# coalesce: a NULL status would make the whole test NULL, and NOT NULL hides the row from every filter.
_CLOSED_SQL = (f"(c.can_reply = 0 OR coalesce(c.status, '') = {_sql_text(CLOSED_THREAD_STATUS)} "
               f"OR coalesce(c.status, '') LIKE {_sql_like_suffix(CLOSED_ISSUE_STATUS_SUFFIX)} ESCAPE '\\')")
_ISSUES_SQL = f"c.sub_kind IN ({', '.join(_sql_text(sub_kind.value) for sub_kind in ISSUE_SUB_KINDS)})"
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
    Filter.ISSUES: _ISSUES_SQL,
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


# --- search ------------------------------------------------------------------------------------------------
#
# A search shows a conversation when its buyer's login, order id, own id or one of its order's waybills starts
# with the typed text, or when one of its messages contains every typed word (each word as a prefix, diacritics
# ignored; see fts_query). One OR over all of that cannot use any index, so a page is built from the cheapest
# of three routes, all giving the same rows:
#   walk        conversations in list order (the account/activity index), a batch at a time; rows whose
#               identifiers match are in, the others' messages are matched in a small in-memory index built
#               with the same tokenizer. Stops at the page's end: cheap when matches are common.
#   candidates  each identifier by its own index and the full-text hits by the search index, each only up to
#               _CANDIDATE_CAP; when none overflows, the page is those conversations sorted. Cheap when rare.
#   SQL walk    what is left when hits are many but far down the list: the walk in SQL, testing messages
#               against every hit of the search index, materialized once per query.

_MAX_CHAR = "\U0010ffff"  # sorts after every character: [p, p + _MAX_CHAR) holds the strings starting with p
_CANDIDATE_CAP = 5000  # per identifier and for full-text hits; past it the candidate route stops paying off
_WALK_MESSAGE_BUDGET = 4000  # messages matched in memory before a sparse, common search goes to the SQL walk
# As messages_fts (migration 0002): the in-memory match must tokenize exactly as the stored index does.
_FTS_TOKENIZE = "unicode61 remove_diacritics 2"

_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

_ORDER_BY = "ORDER BY c.last_activity_at DESC, c.id DESC"
_Record = tuple  # _ROW_COLUMNS, then last_activity_at as stored, then (in walks) whether identifiers matched


def _where(filter_: Filter, account_id: int | None) -> tuple[str, dict[str, object]]:
    if account_id is None:
        return _FILTER_SQL[filter_], {}
    return f"{_FILTER_SQL[filter_]} AND c.account_id = :account_id", {"account_id": account_id}


def _after_sql(after: PageKey | None) -> tuple[str, dict[str, object]]:
    """Rows strictly after a key in list order."""
    if after is None:
        return "", {}
    # SQLite sorts NULL below every value, so rows without a time come last in DESC order.
    if after.last_activity_at is None:
        return " AND c.last_activity_at IS NULL AND c.id < :after_id", {"after_id": after.id}
    # The unary + keeps SQLite from answering this OR with a MULTI-INDEX OR, which collects every older row
    # and sorts them all; walking the activity index from the top and skipping the rows already shown is cheaper.
    return (" AND (+c.last_activity_at < :after_at OR (+c.last_activity_at = :after_at AND c.id < :after_id)"
            " OR +c.last_activity_at IS NULL)", {"after_at": after.last_activity_at, "after_id": after.id})


def _key(record: _Record) -> PageKey:
    return PageKey(record[14], str(record[0]))


def _variants(text: str) -> list[str]:
    """The text as typed, in ASCII upper and lower case: ids and waybills are stored in one case or the other."""
    return list(dict.fromkeys((text, text.translate(_ASCII_UPPER), text.translate(_ASCII_LOWER))))


def _json(values: Iterable[object]) -> str:
    return json.dumps(list(values))


class _Search:
    """One search text against one account: its identifier test, its full-text expression, its candidates."""

    def __init__(self, connection: sqlite3.Connection, text: str, account_id: int | None) -> None:
        self.connection = connection
        self.account_id = account_id
        self.match = fts_query(text)
        self.params: dict[str, object] = {"login_lo": text.translate(_ASCII_LOWER),
                                          "login_hi": text.translate(_ASCII_LOWER) + _MAX_CHAR,
                                          "id_lo": text, "id_hi": text + _MAX_CHAR}
        variants = _variants(text)
        ranges = []
        for number, variant in enumerate(variants):
            self.params[f"v{number}_lo"] = variant
            self.params[f"v{number}_hi"] = variant + _MAX_CHAR
            ranges.append(f"(%(column)s >= :v{number}_lo AND %(column)s < :v{number}_hi)")
        order_ranges = " OR ".join(ranges) % {"column": "c.order_id"}
        self._waybill_ranges = " OR ".join(ranges) % {"column": "t.waybill"}
        self._variant_count = len(variants)
        # Logins ignore (ASCII) case through the lower() index of migration 0004, which Allegro logins need.
        # Conversation ids are case-sensitive (thread ids mix cases); order ids and waybills are stored in one
        # case, so the typed text and its upper and lower case are tried.
        self._ident_base = (
            "(lower(c.interlocutor_login) >= :login_lo AND lower(c.interlocutor_login) < :login_hi)"
            f" OR {order_ranges} OR (c.id >= :id_lo AND c.id < :id_hi)"
        )
        self._waybill_orders: list[str] | None | bool = False  # False: not looked up yet; None: too many
        self._ident_ids: set[str] | None | bool = False
        self._fts_ids: set[str] | None | bool = False
        self.probed: dict[str, bool] = {}  # conversation id -> its messages match; shared by a counts() call

    # Identifiers --------------------------------------------------------------------------------------------

    def waybill_orders(self) -> list[str] | None:
        """Orders with a waybill starting with the text, None when more than the cap."""
        if self._waybill_orders is False:
            orders: set[str] = set()
            for number in range(self._variant_count):
                orders.update(row[0] for row in self.connection.execute(
                    f"SELECT DISTINCT t.order_id FROM tracking_numbers t WHERE t.waybill >= :v{number}_lo "
                    f"AND t.waybill < :v{number}_hi LIMIT {_CANDIDATE_CAP + 1}", self.params))
            self._waybill_orders = sorted(orders) if len(orders) <= _CANDIDATE_CAP else None
        return self._waybill_orders  # type: ignore[return-value]

    def ident_sql(self) -> tuple[str, dict[str, object]]:
        """A test on the row c: does one of its identifiers start with the text."""
        orders = self.waybill_orders()
        if orders is None:  # a very short waybill prefix: let SQLite materialize the orders once per query
            return (f"({self._ident_base} OR c.order_id IN (SELECT t.order_id FROM tracking_numbers t "
                    f"WHERE {self._waybill_ranges}))", self.params)
        if not orders:
            return f"({self._ident_base})", self.params
        return (f"({self._ident_base} OR c.order_id IN (SELECT value FROM json_each(:waybill_orders)))",
                {**self.params, "waybill_orders": _json(orders)})

    def ident_ids(self) -> set[str] | None:
        """Conversations whose identifiers match, each by its own index; None when one of them overflows."""
        if self._ident_ids is not False:
            return self._ident_ids  # type: ignore[return-value]
        account = "" if self.account_id is None else " AND +c.account_id = :account_id"
        params = {**self.params, "account_id": self.account_id}
        queries = [f"SELECT c.id FROM conversations c WHERE c.id >= :id_lo AND c.id < :id_hi{account}"]
        queries += [f"SELECT c.id FROM conversations c WHERE c.order_id >= :v{n}_lo AND c.order_id < :v{n}_hi{account}"
                    for n in range(self._variant_count)]
        queries.append("SELECT c.id FROM conversations c WHERE lower(c.interlocutor_login) >= :login_lo "
                       f"AND lower(c.interlocutor_login) < :login_hi{account}")
        orders = self.waybill_orders()
        if orders is None:
            self._ident_ids = None
            return None
        if orders:
            params["waybill_orders"] = _json(orders)
            queries.append("SELECT c.id FROM json_each(:waybill_orders) j CROSS JOIN conversations c "
                           f"ON c.order_id = j.value WHERE 1{account}")
        found: set[str] = set()
        for sql in queries:
            ids = [row[0] for row in self.connection.execute(f"{sql} LIMIT {_CANDIDATE_CAP + 1}", params)]
            if len(ids) > _CANDIDATE_CAP:
                self._ident_ids = None
                return None
            found.update(ids)
        self._ident_ids = found
        return found

    # Full text ----------------------------------------------------------------------------------------------

    def fts_ids(self) -> set[str] | None:
        """Conversations with a matching message, when the search index has at most the cap of hits."""
        if self._fts_ids is not False:
            return self._fts_ids  # type: ignore[return-value]
        if self.match is None:
            self._fts_ids = set()
            return self._fts_ids
        # One pass over the index (a prefix costs a merge of all its terms' hit lists, so never twice), and the
        # hits mapped to conversations only when they are few.
        rowids = [row[0] for row in self.connection.execute(
            "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? LIMIT ?", (self.match, _CANDIDATE_CAP + 1))]
        if len(rowids) > _CANDIDATE_CAP:
            self._fts_ids = None
            return None
        self._fts_ids = {row[0] for row in self.connection.execute(
            "SELECT m.conversation_id FROM json_each(?) j CROSS JOIN messages m ON m.rowid = j.value",
            (_json(rowids),))}
        return self._fts_ids  # type: ignore[return-value]

    def probe(self, conversation_ids: list[str]) -> set[str]:
        """Which of these conversations have a message matching the words, without the big search index."""
        unknown = [cid for cid in conversation_ids if cid not in self.probed]
        if unknown and self.match is not None:
            texts = self.connection.execute(
                "SELECT m.rowid, m.text, j.key FROM json_each(?) j CROSS JOIN messages m "
                "ON m.conversation_id = j.value", (_json(unknown),)).fetchall()
            owner = {rowid: unknown[position] for rowid, _text, position in texts}
            matched = {owner[rowid] for rowid in _match_in_memory([(rowid, text) for rowid, text, _ in texts],
                                                                  self.match)}
            self.probed.update((cid, cid in matched) for cid in unknown)
        return {cid for cid in conversation_ids if self.probed.get(cid)}

    # Pages --------------------------------------------------------------------------------------------------

    def records(self, filter_: Filter, after: PageKey | None, want: int,
                walk_budget: int = _WALK_MESSAGE_BUDGET, sql_walk: bool = True) -> list[_Record] | None:
        """Up to `want` matching rows after the key, in list order; None when the SQL walk was needed and
        not allowed."""
        found: list[_Record] = []
        position = after
        if self.match is not None:
            # Common words fill the page from the first conversations at once, before any index look-up;
            # when at least half of the first batch matched, walking on is cheaper than any look-up too.
            position, done = self._walk(filter_, position, want, found, budget=0)
            if not done and 2 * len(found) >= want:
                position, done = self._walk(filter_, position, want, found, budget=walk_budget)
            if done:
                return found
        ident_ids, fts_ids = self.ident_ids(), self.fts_ids()
        if ident_ids is not None and fts_ids is not None:
            return self._candidate_records(ident_ids | fts_ids, filter_, after, want)
        if fts_ids is not None:
            # Only an identifier prefix matches too many rows: testing each row in SQL is cheap.
            ident, params = self.ident_sql()
            condition = f"({ident} OR c.id IN (SELECT value FROM json_each(:fts_ids)))"
            return found + self._sql_walk(filter_, position, want - len(found), condition,
                                          {**params, "fts_ids": _json(fts_ids)})
        position, done = self._walk(filter_, position, want, found, budget=walk_budget)
        if done:
            return found
        if not sql_walk:
            return None
        # Many hits, few of them near the top of this filter: test rows against every hit, materialized once.
        ident, params = self.ident_sql()
        condition = (f"({ident} OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.rowid IN "
                     "(SELECT rowid FROM messages_fts WHERE messages_fts MATCH :match)))")
        return found + self._sql_walk(filter_, position, want - len(found), condition,
                                      {**params, "match": self.match})

    def _walk(self, filter_: Filter, position: PageKey | None, want: int, found: list[_Record], *,
              budget: int) -> tuple[PageKey | None, bool]:
        """Walk the list from `position`, appending matches to `found`; one batch, then more within `budget`
        messages. Returns where it stopped and whether it is done (found is full or the list ended)."""
        where, params = _where(filter_, self.account_id)
        ident, ident_params = self.ident_sql()
        size, spent, walked, start = max(want, 16), 0, 0, len(found)
        while True:
            after, after_params = _after_sql(position)
            batch = self.connection.execute(
                f"SELECT {_ROW_COLUMNS}, c.last_activity_at, {ident} FROM conversations c WHERE {where}{after} "
                f"{_ORDER_BY} LIMIT :walk_size", {**params, **ident_params, **after_params, "walk_size": size},
            ).fetchall()
            matched = self.probe([str(record[0]) for record in batch if not record[15]])
            for record in batch:
                if record[15] or record[0] in matched:
                    found.append(record[:15])
                    if len(found) >= want:
                        return _key(record), True
            if len(batch) < size:
                return position, True
            position = _key(batch[-1])
            spent += size * 10  # roughly: the probe's message count is not worth another query
            if spent >= budget:
                return position, False
            # Next batch: as many rows as the matches still missing need at the density seen so far.
            walked += len(batch)
            density = max(len(found) - start, 1) / walked
            size = min(max(int((want - len(found)) / density * 1.25), 16), 2 * size, max(16, (budget - spent) // 10))

    def _sql_walk(self, filter_: Filter, position: PageKey | None, want: int, condition: str,
                  condition_params: dict[str, object]) -> list[_Record]:
        where, params = _where(filter_, self.account_id)
        after, after_params = _after_sql(position)
        return self.connection.execute(
            f"SELECT {_ROW_COLUMNS}, c.last_activity_at FROM conversations c WHERE {where}{after} AND {condition} "
            f"{_ORDER_BY} LIMIT :want", {**params, **after_params, **condition_params, "want": want},
        ).fetchall()

    def _candidate_records(self, ids: set[str], filter_: Filter, after: PageKey | None,
                           want: int) -> list[_Record]:
        where, params = _where(filter_, self.account_id)
        after_sql, after_params = _after_sql(after)
        # CROSS JOIN keeps SQLite from walking the whole activity index instead of looking the few ids up.
        return self.connection.execute(
            f"SELECT {_ROW_COLUMNS}, c.last_activity_at FROM json_each(:ids) j CROSS JOIN conversations c "
            f"ON c.id = j.value WHERE {where}{after_sql} {_ORDER_BY} LIMIT :want",
            {**params, **after_params, "ids": _json(sorted(ids)), "want": want},
        ).fetchall()

    # Counts -------------------------------------------------------------------------------------------------

    def exact_counts(self) -> dict[Filter, int]:
        """Every filter's count in one pass over the matching conversations."""
        sums = ", ".join(f"coalesce(sum({_FILTER_SQL[filter_]}), 0)" for filter_ in Filter)
        account = "" if self.account_id is None else " AND c.account_id = :account_id"
        ident_ids, fts_ids = self.ident_ids(), self.fts_ids()
        if ident_ids is not None and fts_ids is not None:
            record = self.connection.execute(
                f"SELECT {sums} FROM json_each(:ids) j CROSS JOIN conversations c ON c.id = j.value WHERE 1{account}",
                {"ids": _json(sorted(ident_ids | fts_ids)), "account_id": self.account_id}).fetchone()
        else:
            ident, params = self.ident_sql()
            fts = ("0" if self.match is None else
                   "EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.rowid IN "
                   "(SELECT rowid FROM messages_fts WHERE messages_fts MATCH :match))")
            record = self.connection.execute(
                f"SELECT {sums} FROM conversations c WHERE ({ident} OR {fts}){account}",
                {**params, "match": self.match, "account_id": self.account_id}).fetchone()
        return {filter_: int(value) for filter_, value in zip(Filter, record)}


_probe_local = threading.local()


def _match_in_memory(texts: list[tuple[int, str]], match: str) -> list[int]:
    """Rowids of the (rowid, text) pairs matching an FTS5 expression, in a throwaway in-memory index (one per thread).

    Contentless and without column sizes: only the match is wanted, and it then costs ~2 us per message.
    """
    memory: sqlite3.Connection | None = getattr(_probe_local, "connection", None)
    if memory is None:
        memory = sqlite3.connect(":memory:", isolation_level=None)
        _probe_local.connection = memory
    # A fresh table each time: deleting rows from an FTS5 table costs more than building one.
    memory.execute("DROP TABLE IF EXISTS probe")
    memory.execute(f"CREATE VIRTUAL TABLE probe USING fts5(text, content='', columnsize=0, tokenize='{_FTS_TOKENIZE}')")
    memory.execute("BEGIN")
    memory.executemany("INSERT INTO probe(rowid, text) VALUES (?, ?)", texts)
    memory.execute("COMMIT")
    return [int(row[0]) for row in memory.execute("SELECT rowid FROM probe WHERE probe MATCH ?", (match,))]


def _search_text(search: str) -> str | None:
    search = search.strip()
    return search if len(search) >= _SEARCH_MIN_CHARS else None


def list_page(connection: sqlite3.Connection, *, filter_: Filter = Filter.ALL, search: str = "",
              account_id: int | None = None, after: PageKey | None = None, limit: int = 50) -> Page:
    """One page of the inbox, newest activity first; pass the previous page's next_key to continue."""
    want = limit + 1  # one extra row tells whether another page exists
    text = _search_text(search)
    if text is not None:
        records = _Search(connection, text, account_id).records(filter_, after, want) or []
    else:
        where, params = _where(filter_, account_id)
        after_sql, after_params = _after_sql(after)
        records = connection.execute(
            f"SELECT {_ROW_COLUMNS}, c.last_activity_at FROM conversations c WHERE {where}{after_sql} "
            f"{_ORDER_BY} LIMIT :want", {**params, **after_params, "want": want},
        ).fetchall()
    more = len(records) > limit
    records = records[:limit]
    rows = tuple(_row(record[:14]) for record in records)
    next_key = _key(records[-1]) if more and rows else None
    return Page(rows, next_key)


def count(connection: sqlite3.Connection, *, filter_: Filter = Filter.ALL, search: str = "",
          account_id: int | None = None) -> int:
    """The exact count. With a search this reads every hit of the search index: use count_capped in the UI."""
    text = _search_text(search)
    if text is not None:
        return _Search(connection, text, account_id).exact_counts()[filter_]
    where, params = _where(filter_, account_id)
    return int(connection.execute(f"SELECT count(*) FROM conversations c WHERE {where}", params).fetchone()[0])


def counts(connection: sqlite3.Connection, *, search: str = "", account_id: int | None = None) -> dict[Filter, int]:
    """How many conversations each filter shows, exactly (see counts_capped for the filter buttons)."""
    text = _search_text(search)
    if text is not None:
        return _Search(connection, text, account_id).exact_counts()
    return {filter_: count(connection, filter_=filter_, account_id=account_id) for filter_ in Filter}


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
