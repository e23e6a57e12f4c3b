"""The inbox search over SQLite: FTS5 for message text, json_each for id lists, and a planner choosing between them.

A search shows a conversation when its buyer's login, order id, own id or one of its order's waybills starts with
the typed text, or when one of its messages contains every typed word (each word as a prefix, diacritics ignored;
see fts_query). One OR over all of that cannot use any index, so a page is built from the cheapest of three routes,
all giving the same rows:
  walk        conversations in list order (the account/activity index), a batch at a time; rows whose
              identifiers match are in, the others' messages are matched in a small in-memory index built
              with the same tokenizer. Stops at the page's end: cheap when matches are common.
  candidates  each identifier by its own index and the full-text hits by the search index, each only up to
              _CANDIDATE_CAP; when none overflows, the page is those conversations sorted. Cheap when rare.
  SQL walk    what is left when hits are many but far down the list: the walk in SQL, testing messages
              against every hit of the search index, materialized once per query.

Everything here is SQLite's own (FTS5 MATCH, json_each, rowid, the planner hints); another engine gets its own
search module beside this one.
"""

from __future__ import annotations

import json
import re
import sqlite3
import string
import threading
from collections.abc import Iterable

from magazyn_desktop.store.inbox_records import Filter, PageKey
from magazyn_desktop.store.inbox_sql import FILTER_SQL, ORDER_BY, ROW_COLUMNS, Record, after_sql, page_key, where_sql

_MAX_CHAR = "\U0010ffff"  # sorts after every character: [p, p + _MAX_CHAR) holds the strings starting with p
_CANDIDATE_CAP = 5000  # per identifier and for full-text hits; past it the candidate route stops paying off
_WALK_MESSAGE_BUDGET = 4000  # messages matched in memory before a sparse, common search goes to the SQL walk
# As messages_fts (migration 0002): the in-memory match must tokenize exactly as the stored index does.
_FTS_TOKENIZE = "unicode61 remove_diacritics 2"

_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression: every word quoted and prefix-matched, all words required.

    Quoting each word means that characters FTS5 treats as syntax (", *, :, AND, NEAR...) are searched for
    literally instead of raising a syntax error.
    """
    words = [word for word in re.findall(r"\w+", text, flags=re.UNICODE) if word]
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def search_records(connection: sqlite3.Connection, text: str, account_id: int | None, filter_: Filter,
                   after: PageKey | None, want: int) -> list[Record]:
    """Up to `want` conversations matching `text` after the key, in list order (records as inbox_sql's Record)."""
    return _Search(connection, text, account_id).records(filter_, after, want)


def search_counts(connection: sqlite3.Connection, text: str, account_id: int | None) -> dict[Filter, int]:
    """Every filter's count of the conversations matching `text`, in one pass over them."""
    return _Search(connection, text, account_id).exact_counts()


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
        return self._fts_ids

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

    def records(self, filter_: Filter, after: PageKey | None, want: int) -> list[Record]:
        """Up to `want` matching rows after the key, in list order."""
        walk_budget = _WALK_MESSAGE_BUDGET  # read at call time, so a test can move it
        found: list[Record] = []
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
        # Many hits, few of them near the top of this filter: test rows against every hit, materialized once.
        ident, params = self.ident_sql()
        condition = (f"({ident} OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.rowid IN "
                     "(SELECT rowid FROM messages_fts WHERE messages_fts MATCH :match)))")
        return found + self._sql_walk(filter_, position, want - len(found), condition,
                                      {**params, "match": self.match})

    def _walk(self, filter_: Filter, position: PageKey | None, want: int, found: list[Record], *,
              budget: int) -> tuple[PageKey | None, bool]:
        """Walk the list from `position`, appending matches to `found`; one batch, then more within `budget`
        messages. Returns where it stopped and whether it is done (found is full or the list ended)."""
        where, params = where_sql(filter_, self.account_id)
        ident, ident_params = self.ident_sql()
        size, spent, walked, start = max(want, 16), 0, 0, len(found)
        while True:
            after, after_params = after_sql(position)
            batch = self.connection.execute(
                f"SELECT {ROW_COLUMNS}, c.last_activity_at, {ident} FROM conversations c WHERE {where}{after} "
                f"{ORDER_BY} LIMIT :walk_size", {**params, **ident_params, **after_params, "walk_size": size},
            ).fetchall()
            matched = self.probe([str(record[0]) for record in batch if not record[15]])
            for record in batch:
                if record[15] or record[0] in matched:
                    found.append(record[:15])
                    if len(found) >= want:
                        return page_key(record), True
            if len(batch) < size:
                return position, True
            position = page_key(batch[-1])
            spent += size * 10  # roughly: the probe's message count is not worth another query
            if spent >= budget:
                return position, False
            # Next batch: as many rows as the matches still missing need at the density seen so far.
            walked += len(batch)
            density = max(len(found) - start, 1) / walked
            size = min(max(int((want - len(found)) / density * 1.25), 16), 2 * size, max(16, (budget - spent) // 10))

    def _sql_walk(self, filter_: Filter, position: PageKey | None, want: int, condition: str,
                  condition_params: dict[str, object]) -> list[Record]:
        where, params = where_sql(filter_, self.account_id)
        after, after_params = after_sql(position)
        return self.connection.execute(
            f"SELECT {ROW_COLUMNS}, c.last_activity_at FROM conversations c WHERE {where}{after} AND {condition} "
            f"{ORDER_BY} LIMIT :want", {**params, **after_params, **condition_params, "want": want},
        ).fetchall()

    def _candidate_records(self, ids: set[str], filter_: Filter, after: PageKey | None,
                           want: int) -> list[Record]:
        where, params = where_sql(filter_, self.account_id)
        after_clause, after_params = after_sql(after)
        # CROSS JOIN keeps SQLite from walking the whole activity index instead of looking the few ids up.
        return self.connection.execute(
            f"SELECT {ROW_COLUMNS}, c.last_activity_at FROM json_each(:ids) j CROSS JOIN conversations c "
            f"ON c.id = j.value WHERE {where}{after_clause} {ORDER_BY} LIMIT :want",
            {**params, **after_params, "ids": _json(sorted(ids)), "want": want},
        ).fetchall()

    # Counts -------------------------------------------------------------------------------------------------

    def exact_counts(self) -> dict[Filter, int]:
        """Every filter's count in one pass over the matching conversations."""
        sums = ", ".join(f"coalesce(sum({FILTER_SQL[filter_]}), 0)" for filter_ in Filter)
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
