"""The identifier index: per conversation, its folded identifier terms, so that a word typed matches inside them.

search_terms (migration 0010) holds one document per conversation, under the conversation's rowid: its buyer's
login, the ids of its linked orders (the conversation's own order and one a user picked, order_choices) and, of
those orders as cached (store/orders.py), their waybills, the line items' SKUs (`external.id`) and product names.
Each term is folded (domain.search_text.folded) and stands on its own line, so that no word runs from one term
into the next. The table tokenizes into trigrams: a word of three characters or more finds every document holding
it anywhere, and search checks the stored document itself for the whole word (sqlite_search.py).

The triggers of migration 0010 keep it: whatever writes a conversation's login or order, an order's JSON, its
waybills or a user's choice refreshes the documents of the conversations concerned, through the SQL function
registered here (store.db registers it on every writing connection, as the message index's). The table keeps its
own text, so a change of `terms_document` never leaves entries it cannot delete; it then needs a migration that
calls `rebuild_search_terms` so that old documents follow. Migration 0010 builds its triggers from the SQL here: a
change of what a document holds needs a migration that writes the triggers again (and 0010 a copy of this first).

The documents sit under the conversations' rowids, which stay as they are: the writer upserts, never replaces
(store/sqlite_statements.py). A VACUUM could renumber them (SQLite keeps rowids only of tables with an INTEGER
PRIMARY KEY): the app runs none, and one would need this index and the message index rebuilt, as the message
index's keys hold the messages' rowids too.
"""

from __future__ import annotations

import functools
import json
import sqlite3

from magazyn_desktop.domain.search_text import folded

TERM_SEPARATOR = "\n"  # never part of a typed word: a word found in a document lies inside one term

# The orders linked to the conversation row {c}: its own and the one a user picked for it.
# (Twice the same order is harmless: IN ignores it, and a document holds each term once.)
_LINKED_ORDERS = ("SELECT {c}.order_id UNION ALL SELECT oc.order_id FROM order_choices oc "
                  "WHERE oc.conversation_id = {c}.id")
# The raw terms of the conversation row {c} as one JSON array, and its linked orders' cached JSON as another: the
# line items are read from that in Python, once per order (SQLite's JSON functions would parse it once per field).
_PARTS_SQL = (
    "(SELECT json_group_array(part) FROM ("
    "SELECT {c}.interlocutor_login AS part"
    f" UNION ALL SELECT l.order_id FROM ({_LINKED_ORDERS}) l"
    f" UNION ALL SELECT t.waybill FROM tracking_numbers t WHERE t.order_id IN ({_LINKED_ORDERS})))"
)
_FORMS_SQL = f"(SELECT json_group_array(o.checkout_form_json) FROM orders o WHERE o.id IN ({_LINKED_ORDERS}))"
# The document of the conversation row {c}.
DOCUMENT_SQL = f"search_terms_document({_PARTS_SQL}, {_FORMS_SQL})"


def _line_item_terms(form_text: object) -> list[object]:
    """The SKUs and product names of a cached order's line items (store/orders.py's JSON), as they are; none when the
    JSON is damaged or of another shape."""
    try:
        items = json.loads(str(form_text))["order"]["line_items"]
    except (ValueError, KeyError, TypeError):
        return []
    if not isinstance(items, list):
        return []
    return [item[key] for item in items if isinstance(item, dict) for key in ("sku", "name") if key in item]


def terms_document(parts_json: str, forms_json: str = "[]") -> str:
    """The document of a conversation from its raw terms and its orders' JSON (JSON arrays): each string or whole
    number folded, its spaces run together, once, a line each."""
    try:
        parts = json.loads(parts_json)
        forms = json.loads(forms_json)
    except (TypeError, ValueError):
        return ""
    if not isinstance(parts, list) or not isinstance(forms, list):
        return ""
    terms: dict[str, None] = {}
    for part in parts + [term for form in forms for term in _line_item_terms(form)]:
        if isinstance(part, (str, int)) and not isinstance(part, bool):
            term = _term(str(part))
            if term:
                terms[term] = None
    return TERM_SEPARATOR.join(terms)


@functools.lru_cache(maxsize=4096)  # product names repeat across the orders of a product
def _term(part: str) -> str:
    return " ".join(folded(part).split())  # runs of spaces and line breaks as one space


def _document_or_empty(parts_json: object, forms_json: object) -> str:
    if not isinstance(parts_json, str) or not isinstance(forms_json, str):
        return ""
    return terms_document(parts_json, forms_json)


def register_terms_function(connection: sqlite3.Connection) -> None:
    """The SQL function the identifier index's triggers call, on one connection."""
    connection.create_function("search_terms_document", 2, _document_or_empty, deterministic=True)


def refresh_sql(rowids: str) -> str:
    """The statements that write again the documents of the conversations whose rowids `rowids` (SQL) selects."""
    return (f"DELETE FROM search_terms WHERE rowid IN ({rowids}); "
            f"INSERT INTO search_terms(rowid, terms) SELECT c.rowid, {DOCUMENT_SQL.format(c='c')} "
            f"FROM conversations c WHERE c.rowid IN ({rowids});")


def order_conversations_sql(order_id: str) -> str:
    """The rowids of the conversations an order (SQL expression `order_id`) is linked to."""
    return (f"SELECT c.rowid FROM conversations c WHERE c.order_id = {order_id} UNION SELECT c.rowid "
            f"FROM order_choices oc JOIN conversations c ON c.id = oc.conversation_id WHERE oc.order_id = {order_id}")


def rebuild_search_terms(connection: sqlite3.Connection) -> None:
    """Every conversation's document again, from nothing (migration 0010, and builders that fill the tables in bulk
    with the triggers set aside). Runs in the caller's transaction."""
    register_terms_function(connection)
    connection.execute("DELETE FROM search_terms")
    connection.execute(f"INSERT INTO search_terms(rowid, terms) SELECT c.rowid, {DOCUMENT_SQL.format(c='c')} "
                       "FROM conversations c ORDER BY c.rowid")
    connection.execute("INSERT INTO search_terms(search_terms) VALUES ('optimize')")
