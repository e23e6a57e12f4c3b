"""The inbox search over SQLite: the folded-word index (messages_fts) for message text, the trigram index of
identifier terms (search_terms) and indexes by key for identifiers.

A search shows a conversation when
  - its buyer's login, order id, own id or one of its order's waybills starts with the typed text (as typed, in
    ASCII upper or lower case; conversation ids as typed), or
  - every typed word lies anywhere inside its identifier terms (store/search_terms.py: login, linked orders' ids,
    waybills, SKUs, product names, folded), when at least one of the words has three characters or more (the
    trigram index cannot look shorter ones up; those are then checked on the terms found); here a word is what
    the folded text holds between spaces, without punctuation at its ends, so that "ewa_1" or "KUB-300" is looked
    for as typed, or
  - one of its messages holds every typed word, each as the beginning of one of its words (case, diacritics and ł
    folded, domain.search_text), or
  - one of its internal notes holds every typed word the same way (notes are few: LIKE over their folded words).
A page is the first rows, in list order, of four lists together (the notes' is the fourth, read whole):
  words        messages_fts read newest first: its keys follow the list order to the hour (store/search_index.py),
               so reading stops once the page is full and the hour of its last row has been read; taking turns
               with the filter's rows read in list order and each asked of the index, for filters showing few;
  identifiers  each identifier by its own index when few rows match (at most _CANDIDATE_CAP each), else the list
               in order from the page's key, every row's identifiers tested;
  terms        the trigram index's matches (rowids, read about as cheaply as a count) with their rows, sorted;
               when they are many, taking turns with the filter's rows in list order, each looked up among them,
               which wins when the filter shows most of them.
All are exact, so the page is too. The words and identifiers read no further than their page needs; the terms
read their matches' rowids whole (one list of the index, about a millisecond for ten thousand) and rows only as far
as the first of their two routes to finish needs. The trigram index is
case-sensitive over folded text, so for words of three to _TERM_CHARS_ASKED characters, at most _TERM_WORDS_ASKED
of them, its answer is the answer; otherwise it names candidates (the longest few words, cut) and the words are
checked on the stored terms.

Everything here is SQLite's own (FTS5 MATCH, json_each, rowid); another engine gets its own search module beside
this one.
"""

from __future__ import annotations

import heapq
import json
import re
import sqlite3
import string
import time
from collections.abc import Generator, Iterable
from datetime import date

from magazyn_desktop.domain.search_text import folded, search_words
from magazyn_desktop.store.inbox_records import Filter, PageKey
from magazyn_desktop.store.inbox_sql import (
    FILTER_SQL,
    ORDER_BY,
    ROW_COLUMNS,
    ROW_WIDTH,
    Record,
    after_sql,
    page_key,
    page_records,
    today_param,
    where_sql,
)
from magazyn_desktop.store.search_index import (
    LONGEST_INDEXED_PREFIX,
    ROWID_BITS,
    ROWID_MASK,
    first_key_after_bucket,
    search_key,
)

_MAX_CHAR = "\U0010ffff"  # sorts after every character: [p, p + _MAX_CHAR) holds the strings starting with p
_CANDIDATE_CAP = 5000  # rows per identifier looked up by key; past it the list walk is cheaper
# Words a long prefix may stand for, each asked for separately; past it FTS5 merges the prefix's words itself.
_PREFIX_WORDS_CAP = 1000
_HITS_PER_FETCH = 64  # hits read between two turns of the other route
_ROWS_PER_READ = 16  # the filter's rows read at once by the route that asks conversation by conversation
_TEXT_ROUTES = ("hits", "rows")  # both, taking turns (a test runs each alone)
# Words of a long text (a pasted message) asked of the index, the longest; the others are checked on the messages
# found. FTS5 steps every word's list in turn until all agree: a dozen common words would cost tens of milliseconds.
_INDEXED_WORDS_ASKED = 4
_TRIGRAM = 3  # the shortest word the identifier terms' index can look up
_TERM_WORDS_ASKED = 4  # words of a text asked of the terms' index, the longest; all are checked on the terms
_TERM_CHARS_ASKED = 64  # of each: a longer word is asked by its beginning and checked whole
_MATCHES_PER_FETCH = 256  # the terms' matches looked up with their rows between two turns of the other route
_ROWS_PER_WALK = 128  # the filter's rows read at once by the route that tests them against the terms' matches
_MATCHES_SORTED_ALONE = 1000  # up to this many matches, sorting them all is cheaper than any walk
_TERM_ROUTES = ("matches", "rows")  # both, taking turns (a test runs each alone)

_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# The messages matching an expression (newest conversation first, to the hour), and with their conversations.
_MESSAGE_HITS = f"messages_fts f CROSS JOIN messages m ON m.rowid = (f.rowid & {ROWID_MASK})"
_TEXT_HITS = f"{_MESSAGE_HITS} CROSS JOIN conversations c ON c.id = m.conversation_id"


def search_records(connection: sqlite3.Connection, text: str, account_id: int | None, filter_: Filter,
                   after: PageKey | None, want: int, today: date | None = None,
                   me: str | None = None) -> list[Record]:
    """Up to `want` conversations matching `text` after the key, in list order (records as inbox_sql's Record)."""
    return _Search(connection, text, account_id, today, me).records(filter_, after, want)


def search_counts(connection: sqlite3.Connection, text: str, account_id: int | None,
                  today: date | None = None, me: str | None = None) -> dict[Filter, int]:
    """Every filter's count of the conversations matching `text`, in one pass over them."""
    return _Search(connection, text, account_id, today, me).exact_counts()


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def text_match(connection: sqlite3.Connection, text: str) -> str | None:
    """The FTS5 expression for the words of `text`, each as a prefix; None when no message can match."""
    return _expression(connection, search_words(text))


def _expression(connection: sqlite3.Connection, words: list[str]) -> str | None:
    """Every word quoted, so what FTS5 reads as syntax (", *, AND, NEAR...) is only ever searched for. A prefix of
    up to LONGEST_INDEXED_PREFIX letters has its own index entries; a longer one stands for the indexed words it
    begins, listed in messages_fts_terms."""
    if not words:
        return None
    parts = []
    for word in words:
        if len(word) <= LONGEST_INDEXED_PREFIX:
            parts.append(_quoted(word) + "*")
            continue
        found = [row[0] for row in connection.execute(
            "SELECT term FROM messages_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
            (word, word + _MAX_CHAR, _PREFIX_WORDS_CAP + 1))]
        if not found:
            return None  # a word no message holds: every message lacks it
        if len(found) > _PREFIX_WORDS_CAP:
            parts.append(_quoted(word) + "*")
        elif len(found) == 1:
            parts.append(_quoted(found[0]))
        else:
            parts.append("(" + " OR ".join(_quoted(term) for term in found) + ")")
    return " AND ".join(parts)


def term_words(text: str) -> list[str]:
    """The words of a text as the identifier terms are searched for: folded, split at spaces, without punctuation
    at their ends (a quote, a comma, brackets), each once."""
    trimmed = (_EDGE_PUNCTUATION.sub("", chunk) for chunk in folded(text).split())
    return list(dict.fromkeys(word for word in trimmed if word))


def term_match(words: list[str]) -> str | None:
    """The trigram expression naming the conversations whose terms may hold every word; None when no word is long
    enough to be looked up (then the terms are not searched)."""
    asked = sorted((word for word in words if len(word) >= _TRIGRAM), key=len, reverse=True)[:_TERM_WORDS_ASKED]
    return " AND ".join(_quoted(word[:_TERM_CHARS_ASKED]) for word in asked) if asked else None


def term_match_is_exact(words: list[str]) -> bool:
    """Whether term_match's expression alone holds every word: each one asked, whole."""
    return 0 < len(words) <= _TERM_WORDS_ASKED and all(_TRIGRAM <= len(word) <= _TERM_CHARS_ASKED for word in words)


# The stored terms of the row s of search_terms hold every word of :term_words.
_TERMS_HOLD_WORDS = "NOT EXISTS (SELECT 1 FROM json_each(:term_words) w WHERE instr(s.terms, w.value) = 0)"
_WORDS_CHECKED_INLINE = 8  # up to this many, each its own instr(): no JSON read for every candidate


def _terms_check(words: list[str]) -> tuple[str, dict[str, object]]:
    """The test that the terms of the row s hold every word, and its parameters."""
    if len(words) > _WORDS_CHECKED_INLINE:
        return f" AND {_TERMS_HOLD_WORDS}", {"term_words": _json(words)}
    names = {f"term_word{number}": word for number, word in enumerate(words)}
    return "".join(f" AND instr(s.terms, :{name}) > 0" for name in names), dict(names)


def _first_to_finish(routes: list[Generator[None, None, list[str]]]) -> list[str]:
    """The answer of whichever route finishes first, each given its turn when it has spent the least time: the
    cost is at most about the cheaper route's times the number of routes."""
    spent = [0.0] * len(routes)
    try:
        while True:
            turn = spent.index(min(spent))
            started = time.perf_counter()
            try:
                next(routes[turn])
            except StopIteration as finished:
                return list(finished.value)
            spent[turn] += time.perf_counter() - started
    finally:
        for route in routes:
            route.close()


def _in_order(connection: sqlite3.Connection, column: str, where: str, params: dict[str, object],
              after: PageKey | None) -> Generator[list[tuple[str, object]], None, None]:
    """The id and `column` of the rows after the key that pass `where`, in list order, a batch of _ROWS_PER_WALK at
    a time, as page_records seeks them (rows with a time, then those without), read only as far as asked for."""
    parts = []
    if after is None or after.last_activity_at is not None:
        seek, seek_params = ("", {}) if after is None else (
            " AND (c.last_activity_at, c.id) < (:after_at, :after_id)",
            {"after_at": after.last_activity_at, "after_id": after.id})
        parts.append((f"c.last_activity_at IS NOT NULL{seek} {ORDER_BY}", seek_params))
    seek, seek_params = ((" AND c.id < :after_id", {"after_id": after.id})
                         if after is not None and after.last_activity_at is None else ("", {}))
    parts.append((f"c.last_activity_at IS NULL{seek} ORDER BY c.id DESC", seek_params))
    for order, order_params in parts:
        cursor = connection.execute(f"SELECT c.id, {column} FROM conversations c WHERE {where} AND {order}",
                                    {**params, **order_params})
        try:
            while rows := cursor.fetchmany(_ROWS_PER_WALK):
                yield rows
        finally:
            cursor.close()


def _holds_words(text: str, words: list[str]) -> bool:
    """The test the index makes, on one message's text: every word begins one of its folded words."""
    held = search_words(text)
    return all(any(word.startswith(typed) for word in held) for typed in words)


def _variants(text: str) -> list[str]:
    """The text as typed, in ASCII upper and lower case: ids and waybills are stored in one case or the other."""
    return list(dict.fromkeys((text, text.translate(_ASCII_UPPER), text.translate(_ASCII_LOWER))))


def _json(values: Iterable[object]) -> str:
    return json.dumps(list(values))


class _Search:
    """One search text against one account: its identifier tests and its full-text expression."""

    def __init__(self, connection: sqlite3.Connection, text: str, account_id: int | None,
                 today: date | None = None, me: str | None = None) -> None:
        self.connection = connection
        self.account_id = account_id
        self.today = today
        self.me = me
        self.words = search_words(text)
        self._match: str | None | bool = False  # False: not built yet
        self.params: dict[str, object] = {"login_lo": text.translate(_ASCII_LOWER),
                                          "login_hi": text.translate(_ASCII_LOWER) + _MAX_CHAR,
                                          "id_lo": text, "id_hi": text + _MAX_CHAR}
        self._variants = _variants(text)
        for number, variant in enumerate(self._variants):
            self.params[f"v{number}_lo"] = variant
            self.params[f"v{number}_hi"] = variant + _MAX_CHAR
        self._waybill_orders: list[str] | None | bool = False  # False: not looked up yet; None: too many
        self.term_words = term_words(text)
        self.term_match = term_match(self.term_words)
        # What the terms found must also pass, on the stored terms: nothing when the index answers it alone.
        self.term_check = ""
        if self.term_match is not None and not term_match_is_exact(self.term_words):
            self.term_check, check_params = _terms_check(self.term_words)
            self.params.update(check_params)
        if self.term_match is not None:
            self.params["term_match"] = self.term_match
        self._ident_ids: set[str] | None | bool = False
        self._note_ids: set[str] | None = None

    def match(self) -> str | None:
        """The expression for every word; None when no message can match."""
        if self._match is False:
            self._match = _expression(self.connection, self.words)
        return self._match  # type: ignore[return-value]

    # Identifiers --------------------------------------------------------------------------------------------

    def _ranges(self, column: str) -> str:
        return " OR ".join(f"({column} >= :v{number}_lo AND {column} < :v{number}_hi)"
                           for number in range(len(self._variants)))

    def waybill_orders(self) -> list[str] | None:
        """Orders with a waybill starting with the text, None when more than the cap."""
        if self._waybill_orders is False:
            orders: set[str] = set()
            for number in range(len(self._variants)):
                orders.update(row[0] for row in self.connection.execute(
                    f"SELECT DISTINCT t.order_id FROM tracking_numbers t WHERE t.waybill >= :v{number}_lo "
                    f"AND t.waybill < :v{number}_hi LIMIT {_CANDIDATE_CAP + 1}", self.params))
            self._waybill_orders = sorted(orders) if len(orders) <= _CANDIDATE_CAP else None
        return self._waybill_orders  # type: ignore[return-value]

    def ident_sql(self) -> tuple[str, dict[str, object]]:
        """A test on the row c: does one of its identifiers start with the text.

        Logins ignore (ASCII) case, as Allegro's do; conversation ids are case-sensitive (thread ids mix cases);
        order ids and waybills are stored in one case, so the text is tried as typed and in upper and lower case.
        The unary + keeps SQLite from answering the test with the identifiers' indexes: it is used only when
        many rows match, and then walking the list in order is cheaper than collecting and sorting them.
        """
        test = (f"(+lower(c.interlocutor_login) >= :login_lo AND +lower(c.interlocutor_login) < :login_hi)"
                f" OR {self._ranges('+c.order_id')} OR (+c.id >= :id_lo AND +c.id < :id_hi)")
        orders = self.waybill_orders()
        if orders is None:  # a very short waybill prefix: let SQLite materialize the orders once per query
            return (f"({test} OR c.order_id IN (SELECT t.order_id FROM tracking_numbers t "
                    f"WHERE {self._ranges('t.waybill')}))", self.params)
        if not orders:
            return f"({test})", self.params
        return (f"({test} OR c.order_id IN (SELECT value FROM json_each(:waybill_orders)))",
                {**self.params, "waybill_orders": _json(orders)})

    def ident_ids(self) -> set[str] | None:
        """Conversations whose identifiers match, each by its own index; None when one of them overflows."""
        if self._ident_ids is not False:
            return self._ident_ids  # type: ignore[return-value]
        account = "" if self.account_id is None else " AND +c.account_id = :account_id"
        params = {**self.params, "account_id": self.account_id}
        queries = [f"SELECT c.id FROM conversations c WHERE c.id >= :id_lo AND c.id < :id_hi{account}"]
        queries += [f"SELECT c.id FROM conversations c WHERE c.order_id >= :v{n}_lo AND c.order_id < :v{n}_hi{account}"
                    for n in range(len(self._variants))]
        # Through the lower() index of migration 0004.
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

    def _ident_page(self, filter_: Filter, after: PageKey | None, want: int) -> list[str]:
        """The first `want` conversations after the key whose identifiers match, in list order."""
        where, params = where_sql(filter_, self.account_id, self.today, self.me)
        ids = self.ident_ids()
        if ids is not None:
            after_clause, after_params = after_sql(after)
            return [row[0] for row in self._rows(ids, f"{where}{after_clause}", {**params, **after_params},
                                                 want)] if ids else []
        ident, ident_params = self.ident_sql()
        return [row[0] for row in page_records(self.connection, f"{where} AND {ident}", {**params, **ident_params},
                                               after, want)]

    # Words --------------------------------------------------------------------------------------------------

    def _text_page(self, filter_: Filter, after: PageKey | None, want: int) -> list[str]:
        """The first `want` conversations after the key with a message holding the words, in list order (a few
        more when the hour of the last one holds more).

        Two exact routes take turns and the first to finish answers: the index's hits newest first (cheap when the
        filter passes many of them) and the filter's rows in list order, each asked of the index (cheap when the
        filter shows few rows: an unread tab, a small account beside a large one, whose hits are all elsewhere).
        They get equal time, so a page costs at most about twice the cheaper route.
        """
        asked = sorted(self.words, key=len, reverse=True)[:_INDEXED_WORDS_ASKED]
        checked = [word for word in self.words if word not in asked]
        match = _expression(self.connection, asked) if checked else self.match()
        if match is None:
            return []
        return _first_to_finish([route for name, route in (
            ("hits", self._by_hits(match, checked, filter_, after, want)),
            ("rows", self._by_rows(filter_, after, want))) if name in _TEXT_ROUTES])

    def _by_hits(self, match: str, checked: list[str], filter_: Filter, after: PageKey | None,
                 want: int) -> Generator[None, None, list[str]]:
        """The index's hits newest first, with their rows and whether the filter shows them, until the page is full
        and the hour of its last row has been read. Yields after each fetch."""
        where, params = where_sql(filter_, self.account_id, self.today, self.me)
        after_clause, after_params = after_sql(after)
        params = {**params, **after_params, "match": match}
        keys = ""
        if after is not None:
            # Keys below the next hour's first; within the hour each row's own sort key decides.
            keys = " AND f.rowid < :keys_end"
            params["keys_end"] = first_key_after_bucket(after.last_activity_at)
        # The filter is a column, not a condition: each fetch then reads a bounded number of hits, however few of
        # them the filter passes, and the other route gets its turn.
        cursor = self.connection.execute(
            f"SELECT f.rowid, c.id, {'m.text' if checked else 'NULL'}, ({where}{after_clause}) FROM {_TEXT_HITS} "
            f"WHERE messages_fts MATCH :match{keys} ORDER BY f.rowid DESC", params)
        found: dict[str, None] = {}
        last_hour: int | None = None
        try:
            while rows := cursor.fetchmany(_HITS_PER_FETCH):
                for key, conversation_id, text, shown in rows:
                    hour = key >> ROWID_BITS
                    if last_hour is not None and hour < last_hour:
                        return list(found)
                    if not shown or checked and (conversation_id in found or not _holds_words(text, checked)):
                        continue
                    if conversation_id not in found:
                        found[conversation_id] = None
                        if len(found) == want:
                            last_hour = hour  # the rest of this hour may still sort before the rows found
                yield
        finally:
            cursor.close()
        return list(found)

    def _by_rows(self, filter_: Filter, after: PageKey | None, want: int) -> Generator[None, None, list[str]]:
        """The filter's rows in list order from the key, each conversation asked of the index within its own
        hour's keys, until `want` hold the words or the rows end. Yields after each conversation asked.

        The index is asked for the words' first letters only (one list each, with its own entries): the few
        messages of one conversation it names are then checked for the whole words."""
        where, params = where_sql(filter_, self.account_id, self.today, self.me)
        short = " AND ".join(dict.fromkeys(_quoted(word[:LONGEST_INDEXED_PREFIX]) + "*" for word in self.words))
        found: list[str] = []
        position = after
        while True:
            records = page_records(self.connection, where, params, position, _ROWS_PER_READ)
            for record in records:
                if self._holds(short, str(record[0]), record[ROW_WIDTH]):
                    found.append(str(record[0]))
                    if len(found) == want:
                        return found
                yield
            if len(records) < _ROWS_PER_READ:
                return found
            position = page_key(records[-1])

    def _holds(self, short: str, conversation_id: str, last_activity_at: object) -> bool:
        """Whether one of the conversation's messages holds the words (`short`: their first letters' expression)."""
        texts = self.connection.execute(
            f"SELECT m.text FROM {_MESSAGE_HITS} WHERE messages_fts MATCH :match AND f.rowid >= :lowest "
            "AND f.rowid < :highest AND m.conversation_id = :id",
            {"match": short, "lowest": search_key(last_activity_at, 0),
             "highest": first_key_after_bucket(last_activity_at), "id": conversation_id})
        return any(_holds_words(text, self.words) for text, in texts)

    # Terms --------------------------------------------------------------------------------------------------

    def _terms_page(self, filter_: Filter, after: PageKey | None, want: int) -> list[str]:
        """The first `want` conversations after the key whose terms hold the words, in list order.

        The trigram index's matches are read once, as rowids (it lists them about as cheaply as it counts them).
        A few are looked up with their rows and sorted; many are also tested against the filter's rows walked in
        list order, the two taking turns, for a fragment that thousands of conversations hold."""
        if self.term_match is None:
            return []
        matches = [rowid for rowid, in self.connection.execute(
            "SELECT rowid FROM search_terms WHERE search_terms MATCH :term_match", self.params)]
        if not matches:
            return []
        routes = [("matches", self._terms_by_matches(matches, filter_, after, want))]
        if len(matches) > _MATCHES_SORTED_ALONE:
            routes.append(("rows", self._terms_by_rows(set(matches), filter_, after, want)))
        return _first_to_finish([route for name, route in routes if name in _TERM_ROUTES]
                                or [route for _name, route in routes])

    def _terms_by_matches(self, matches: list[int], filter_: Filter, after: PageKey | None,
                          want: int) -> Generator[None, None, list[str]]:
        """Every match with its row, the first `want` the filter shows in list order. Yields after each batch."""
        where, params = where_sql(filter_, self.account_id, self.today, self.me)
        after_clause, after_params = after_sql(after)
        check = (f" AND EXISTS (SELECT 1 FROM search_terms s WHERE s.rowid = c.rowid{self.term_check})"
                 if self.term_check else "")
        sql = (f"SELECT c.id, c.last_activity_at FROM json_each(:rowids) j CROSS JOIN conversations c "
               f"ON c.rowid = j.value WHERE {where}{after_clause}{check}")
        found: list[tuple[bool, str, str]] = []
        for start in range(0, len(matches), _MATCHES_PER_FETCH):
            rows = self.connection.execute(sql, {**self.params, **params, **after_params,
                                                 "rowids": _json(matches[start:start + _MATCHES_PER_FETCH])})
            # As ORDER_BY sorts: newest first, ties by id, rows without a time last.
            found.extend((at is not None, str(at or ""), str(cid)) for cid, at in rows)
            yield
        return [cid for _timed, _at, cid in heapq.nlargest(want, found)]

    def _terms_by_rows(self, matches: set[int], filter_: Filter, after: PageKey | None,
                       want: int) -> Generator[None, None, list[str]]:
        """The filter's rows in list order from the key, each looked up among the matches, until `want` pass.
        Yields after each read of rows; the words' check, when needed, reads the terms of the rows kept only.

        The lookup is here, not in SQL: as a column SQLite would run the index again for every row, and as a
        condition one read could walk any number of rows before it returned."""
        where, params = where_sql(filter_, self.account_id, self.today, self.me)
        found: list[str] = []
        batches = _in_order(self.connection, "c.rowid", where, params, after)
        try:
            for batch in batches:
                candidates = [(str(conversation_id), rowid) for conversation_id, rowid in batch if rowid in matches]
                if candidates and self.term_check:
                    holding = {rowid for rowid, in self.connection.execute(
                        "SELECT s.rowid FROM search_terms s WHERE s.rowid IN (SELECT value FROM json_each(:rowids))"
                        f"{self.term_check}", {**self.params, "rowids": _json(rowid for _id, rowid in candidates)})}
                    candidates = [(cid, rowid) for cid, rowid in candidates if rowid in holding]
                found.extend(cid for cid, _rowid in candidates)
                if len(found) >= want:
                    return found[:want]
                yield
        finally:
            batches.close()
        return found

    # Notes --------------------------------------------------------------------------------------------------

    def note_ids(self) -> set[str]:
        """The conversations with a note holding every word, each as the beginning of one of its folded words.

        Notes are few: LIKE over all of them costs little. The longest few words are asked in SQL (a pasted text's
        hundreds would overflow SQLite's expression depth), every word is checked on the notes found."""
        if self._note_ids is None:
            self._note_ids = set()
            asked = sorted(self.words, key=len, reverse=True)[:_WORDS_CHECKED_INLINE]
            if asked:
                # Folded words hold only letters and digits: nothing in them is a LIKE wildcard.
                names = {f"note_word{number}": f"% {word}%" for number, word in enumerate(asked)}
                test = " AND ".join(f"(' ' || n.folded_text) LIKE :{name}" for name in names)
                self._note_ids = {
                    str(conversation_id) for conversation_id, text in self.connection.execute(
                        f"SELECT n.conversation_id, n.folded_text FROM conversation_notes n WHERE {test}", names)
                    if len(asked) == len(self.words) or _holds_words(text, self.words)}
        return self._note_ids

    def _notes_page(self, filter_: Filter, after: PageKey | None, want: int) -> list[str]:
        """The first `want` conversations after the key with a note holding the words, in list order."""
        ids = self.note_ids()
        if not ids:
            return []
        where, params = where_sql(filter_, self.account_id, self.today, self.me)
        after_clause, after_params = after_sql(after)
        return [row[0] for row in self._rows(ids, f"{where}{after_clause}", {**params, **after_params}, want)]

    # Pages --------------------------------------------------------------------------------------------------

    def records(self, filter_: Filter, after: PageKey | None, want: int) -> list[Record]:
        """Up to `want` matching rows after the key, in list order."""
        ids = (set(self._text_page(filter_, after, want)) | set(self._ident_page(filter_, after, want))
               | set(self._terms_page(filter_, after, want)) | set(self._notes_page(filter_, after, want)))
        return self._rows(ids, "1", {}, want) if ids else []

    def _rows(self, ids: set[str], where: str, params: dict[str, object], want: int) -> list[Record]:
        # CROSS JOIN keeps SQLite from walking the whole activity index instead of looking the few ids up.
        return self.connection.execute(
            f"SELECT {ROW_COLUMNS}, c.last_activity_at FROM json_each(:ids) j CROSS JOIN conversations c "
            f"ON c.id = j.value WHERE {where} {ORDER_BY} LIMIT :want",
            {**params, "ids": _json(sorted(ids)), "want": want},
        ).fetchall()

    # Counts -------------------------------------------------------------------------------------------------

    def exact_counts(self) -> dict[Filter, int]:
        """Every filter's count in one pass over the matching conversations."""
        sums = ", ".join(f"coalesce(sum({FILTER_SQL[filter_]}), 0)" for filter_ in Filter)
        account = "" if self.account_id is None else " AND c.account_id = :account_id"
        params: dict[str, object] = {"account_id": self.account_id, "match": self.match(),
                                     **today_param(self.today, self.me)}
        texts = ("" if self.match() is None else
                 f"SELECT m.conversation_id FROM {_MESSAGE_HITS} WHERE messages_fts MATCH :match")
        if self.term_match is not None:
            params.update(self.params)
            texts = " UNION ".join(filter(None, (texts, (
                "SELECT c.id FROM search_terms s CROSS JOIN conversations c ON c.rowid = s.rowid "
                f"WHERE search_terms MATCH :term_match{self.term_check}"))))
        if self.note_ids():
            params["note_ids"] = _json(sorted(self.note_ids()))
            texts = " UNION ".join(filter(None, (texts, "SELECT value FROM json_each(:note_ids)")))
        ids = self.ident_ids()
        if ids is not None:
            params["ident_ids"] = _json(sorted(ids))
            union = " UNION ".join(filter(None, ("SELECT value FROM json_each(:ident_ids)", texts)))
            sql = f"SELECT {sums} FROM conversations c WHERE c.id IN ({union}){account}"
        else:
            ident, ident_params = self.ident_sql()
            params.update(ident_params)
            text_test = f" OR c.id IN ({texts})" if texts else ""
            sql = f"SELECT {sums} FROM conversations c WHERE ({ident}{text_test}){account}"
        record = self.connection.execute(sql, params).fetchone()
        return {filter_: int(value) for filter_, value in zip(Filter, record)}

