"""The inbox search over a team's PostgreSQL store: the same rules as store/sqlite_search.py, whose docstring states
them, through the folding function and trigram indexes of revision 0018 (pg_trgm, unaccent).

A conversation matches when
  - its buyer's login (in ASCII lower case), its own id, its order id or one of that order's waybills starts with
    the typed text (ids and waybills as typed and in ASCII upper or lower case; conversation ids as typed), or
  - every typed word (sqlite_search.term_words) lies inside its identifier terms (login, linked orders' ids, their
    waybills, SKUs and product names, folded), when one of the words has three characters or more, or
  - one of its messages holds every typed word (domain.search_text.search_words), each as the beginning of one of
    its folded words, or one of its notes does.

Each of the last three is a set of conversations found through a trigram index (LIKE '%word%' on the folded terms,
a regex anchored at a word's beginning on the folded message text) and tested by PostgreSQL against each row
of the list, walked in list order from the page's key (inbox_sql.page_records): the planner hashes such a set once
or looks each row up in it, whichever it expects to be cheaper. Counts test every conversation of the account.

The folding is the database's (magazyn_fold: lower after unaccent, ł as l) on the stored side and Python's
(domain.search_text.folded) on the typed one; they agree on Polish and other Latin text. Order ids and waybills
are compared in lower(), as their indexes are built: Allegro writes them in ASCII.
"""

from __future__ import annotations

import re
from datetime import date

from magazyn_desktop.domain.search_text import folded, search_words
from magazyn_desktop.store.inbox_records import Filter, PageKey
from magazyn_desktop.store.inbox_sql import FILTER_SQL, Record, page_records, today_param, where_sql
from magazyn_desktop.store.read_connection import PostgresReader
from magazyn_desktop.store.sqlite_search import term_words

_TRIGRAM = 3  # the shortest word a trigram index can look up
# Words asked of an index, the longest; the others are checked on the rows found (a pasted text's hundreds of
# words would each be a condition the index intersects).
_WORDS_ASKED = 4
_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = "abcdefghijklmnopqrstuvwxyz"
# A folded word's beginning: the start of the text or a character that is no letter or digit (as search_words).
_WORD_START = "(^|[^[:alnum:]])"

# The orders linked to the conversation whose id is {c}: its own and the one a user picked for it.
_LINKED_ORDERS = ("SELECT lc.order_id FROM conversations lc WHERE lc.id = {c} "
                  "UNION ALL SELECT oc.order_id FROM order_choices oc WHERE oc.conversation_id = {c}")
# The identifier terms of the conversation whose id is {c}, folded as they are searched (several a row: the line
# items' are one a line; a typed word never holds a line break, so it lies inside one of them).
_TERMS_OF = (
    "SELECT magazyn_fold(tc.interlocutor_login) AS term FROM conversations tc WHERE tc.id = {c} "
    f"UNION ALL SELECT lower(l.order_id) FROM ({_LINKED_ORDERS}) l "
    f"UNION ALL SELECT lower(t.waybill) FROM tracking_numbers t WHERE t.order_id IN ({_LINKED_ORDERS}) "
    "UNION ALL SELECT magazyn_fold(magazyn_order_terms(o.checkout_form_json)) FROM orders o "
    f"WHERE o.id IN ({_LINKED_ORDERS})"
)


def search_records(connection: PostgresReader, text: str, account_id: int | None, filter_: Filter,
                   after: PageKey | None, want: int, today: date | None = None,
                   me: str | None = None) -> list[Record]:
    """Up to `want` conversations matching `text` after the key, in list order (records as inbox_sql's Record)."""
    match, match_params = _Search(text).match_sql()
    where, params = where_sql(filter_, account_id, today, me)
    return page_records(connection, f"{where} AND {match}", {**params, **match_params}, after, want)


def search_counts(connection: PostgresReader, text: str, account_id: int | None,
                  today: date | None = None, me: str | None = None) -> dict[Filter, int]:
    """Every filter's count of the conversations matching `text`, in one pass over them."""
    match, params = _Search(text).match_sql()
    counted = ", ".join(f"count(*) FILTER (WHERE {FILTER_SQL[filter_]})" for filter_ in Filter)
    account = "" if account_id is None else " AND c.account_id = :account_id"
    record = connection.execute(f"SELECT {counted} FROM conversations c WHERE {match}{account}",
                                {**params, "account_id": account_id, **today_param(today, me)}).fetchone()
    assert record is not None  # an aggregate without GROUP BY gives one row
    return {filter_: int(value) for filter_, value in zip(Filter, record)}


def find_by_term(connection: PostgresReader, code: str, account_id: int | None) -> str | None:
    """The conversation, newest activity first, one of whose identifier terms is the whole code (folded, its spaces
    run together: store/search_terms.py's terms); None when none is, or the code is too short to look up."""
    term = " ".join(folded(code).split())
    if len(term) < _TRIGRAM:
        return None
    holders, params = _term_holders(term, "term")
    account = "" if account_id is None else " AND c.account_id = :account_id"
    record = connection.execute(
        f"SELECT c.id FROM conversations c WHERE c.id IN ({holders}){account} AND EXISTS ("
        f"SELECT 1 FROM ({_TERMS_OF.format(c='c.id')}) terms "
        "CROSS JOIN LATERAL regexp_split_to_table(terms.term, '\\n') line "
        "WHERE btrim(regexp_replace(line, '\\s+', ' ', 'g')) = :whole_term) "
        "ORDER BY c.last_activity_at DESC NULLS LAST LIMIT 1",
        {**params, "whole_term": term, "account_id": account_id}).fetchone()
    return str(record[0]) if record else None


def _like_inside(word: str) -> str:
    """A LIKE pattern for the texts holding `word` anywhere, its own wildcards taken literally."""
    return "%" + _like_escaped(word) + "%"


def _like_escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _term_holders(word: str, name: str) -> tuple[str, dict[str, object]]:
    """The ids of the conversations one of whose terms holds `word` (three characters or more), each part through
    its trigram index, and the parameters (named after `name`)."""
    pattern = f":{name}"
    orders = (f"SELECT t.order_id FROM tracking_numbers t WHERE lower(t.waybill) LIKE {pattern} "
              f"UNION SELECT o.id FROM orders o "
              f"WHERE magazyn_fold(magazyn_order_terms(o.checkout_form_json)) LIKE {pattern}")
    sql = (f"SELECT h.id FROM conversations h WHERE magazyn_fold(h.interlocutor_login) LIKE {pattern} "
           f"UNION SELECT h.id FROM conversations h WHERE lower(h.order_id) LIKE {pattern} "
           f"UNION SELECT hc.conversation_id FROM order_choices hc WHERE lower(hc.order_id) LIKE {pattern} "
           f"UNION SELECT h.id FROM conversations h WHERE h.order_id IN ({orders}) "
           f"UNION SELECT hc.conversation_id FROM order_choices hc WHERE hc.order_id IN ({orders})")
    return sql, {name: _like_inside(word)}


def _longest(words: list[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)[:_WORDS_ASKED]


class _Search:
    """One search text: its tests on the row c of conversations, as SQL."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = search_words(text)
        self.term_words = term_words(text)
        self.params: dict[str, object] = {}

    def match_sql(self) -> tuple[str, dict[str, object]]:
        """The test that the row c matches, and its parameters."""
        tests = [self._identifiers(), self._terms(), self._messages(), self._notes()]
        return "(" + " OR ".join(test for test in tests if test) + ")", self.params

    def _identifiers(self) -> str:
        """Login, conversation id, order id or one of its waybills starting with the text (see the docstring)."""
        variants = list(dict.fromkeys((self.text, self.text.translate(str.maketrans(_ASCII_LOWER, _ASCII_UPPER)),
                                       self.text.translate(str.maketrans(_ASCII_UPPER, _ASCII_LOWER)))))
        lower_text = self.text.translate(str.maketrans(_ASCII_UPPER, _ASCII_LOWER))
        self.params["login_prefix"] = lower_text
        self.params["id_prefix"] = self.text
        names = [f"variant{number}" for number in range(len(variants))]
        self.params.update(zip(names, variants))
        # The trigram indexes name candidates (a lower()ed prefix holds every ASCII-case variant); starts_with decides.
        self.params["lower_prefix"] = _like_escaped(self.text) + "%"
        login = (f"starts_with(translate(c.interlocutor_login, '{_ASCII_UPPER}', '{_ASCII_LOWER}'), :login_prefix)")
        order = " OR ".join(f"starts_with(c.order_id, :{name})" for name in names)
        waybill = " OR ".join(f"starts_with(t.waybill, :{name})" for name in names)
        waybill_orders = (f"SELECT t.order_id FROM tracking_numbers t WHERE lower(t.waybill) LIKE lower(:lower_prefix) "
                          f"AND ({waybill})")
        return (f"{login} OR starts_with(c.id, :id_prefix) OR {order} OR c.order_id IN ({waybill_orders})")

    def _terms(self) -> str | None:
        """Every word inside the identifier terms, when one of them is long enough to be looked up."""
        asked = _longest([word for word in self.term_words if len(word) >= _TRIGRAM])
        if not asked:
            return None
        parts = []
        for number, word in enumerate(asked):
            holders, params = _term_holders(word, f"term_word{number}")
            parts.append(holders)
            self.params.update(params)
        found = " INTERSECT ".join(f"({part})" for part in parts)
        checked = [word for word in self.term_words if word not in asked]
        if not checked:
            return f"c.id IN ({found})"
        # The words not asked, each inside one of the terms of the conversations found.
        self.params["term_checked"] = checked
        return (f"c.id IN (SELECT f.id FROM ({found}) f(id) WHERE NOT EXISTS ("
                "SELECT 1 FROM unnest(CAST(:term_checked AS text[])) w(word) WHERE NOT EXISTS ("
                f"SELECT 1 FROM ({_TERMS_OF.format(c='f.id')}) terms WHERE strpos(terms.term, w.word) > 0)))")

    def _messages(self) -> str | None:
        """A message holding every word, each as the beginning of one of its folded words."""
        if not self.words:
            return None
        asked = _longest(self.words)
        tests = []
        for number, word in enumerate(asked):
            self.params[f"message_word{number}"] = _WORD_START + re.escape(word)
            tests.append(f"magazyn_fold(m.text) ~ :message_word{number}")
        checked = [_WORD_START + re.escape(word) for word in self.words if word not in asked]
        if checked:
            self.params["message_checked"] = checked
            tests.append("NOT EXISTS (SELECT 1 FROM unnest(CAST(:message_checked AS text[])) w(pattern) "
                         "WHERE NOT magazyn_fold(m.text) ~ w.pattern)")
        return f"c.id IN (SELECT m.conversation_id FROM messages m WHERE {' AND '.join(tests)})"

    def _notes(self) -> str | None:
        """A note holding every word the same way (its folded_text holds its folded words, one space apart)."""
        if not self.words:
            return None
        # Folded words hold only letters and digits: nothing in them is a LIKE wildcard.
        self.params["note_patterns"] = [f"% {word}%" for word in self.words]
        return ("c.id IN (SELECT n.conversation_id FROM conversation_notes n WHERE NOT EXISTS ("
                "SELECT 1 FROM unnest(CAST(:note_patterns AS text[])) w(pattern) "
                "WHERE NOT (' ' || n.folded_text) LIKE w.pattern))")
