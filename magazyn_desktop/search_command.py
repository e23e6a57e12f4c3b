"""`magazyn-desktop search`: the window's search from the command line, read-only, beside a running window.

It takes no lock and never upgrades or writes: the cache is read through a read-only connection, which in WAL mode
neither waits for a sync writing meanwhile nor holds it up. The same query as the window's list (inbox_queries's
list_page) picks the conversations, for the account the window shows first. A cache that cannot answer (missing,
empty, damaged, unreadable, behind) is named in one sentence and the command exits 1; one written by a newer
version is searched with a warning, as far as its tables still read.

Each line shows the newest message that holds every typed word, cut to one line around the first place the window
highlights; when only an identifier matched (login, order, waybill), the list's snippet.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from magazyn_desktop.domain.search_text import match_spans, search_words
from magazyn_desktop.domain.text import folded_text
from magazyn_desktop.domain.vocabulary import SubKind
from magazyn_desktop.launch_texts import launch_text
from magazyn_desktop.paths import resolve_paths
from magazyn_desktop.store.db import means_damaged, open_for_inspection
from magazyn_desktop.store.inbox_queries import (
    SEARCH_MIN_CHARS,
    inbox_account_id,
    list_page,
    message_texts_newest_first,
)
from magazyn_desktop.store.inbox_records import ConversationRow, Filter, PageKey
from magazyn_desktop.store.schema_version import HEAD_REVISION, SchemaState, SchemaStatus, read_schema_status
from magazyn_desktop.store.sqlite_pragmas import make_query_only
from magazyn_desktop.ui.visible_text import BIDI_CONTROLS, control_marker

SNIPPET_WIDTH = 100
_ROWS_PER_PAGE = 50  # as the window's list pages: each query stays as cheap as one screen of the list

_KIND_TEXTS: dict[str, str] = {
    SubKind.COMMON: "search_kind_common",
    SubKind.POST_PURCHASE_ISSUE: "search_kind_post_purchase_issue",
    SubKind.DISPUTE: "search_kind_dispute",
    SubKind.CLAIM: "search_kind_claim",
}
_REFUSED_STATES = {
    SchemaState.MISSING: "search_no_database",
    SchemaState.EMPTY: "search_empty_database",
    SchemaState.BEHIND: "search_behind_database",
    SchemaState.DAMAGED: "search_damaged_database",
    SchemaState.UNREADABLE: "search_unreadable_database",
}
# What a terminal would obey rather than show: C0 and C1 controls (escape sequences) and bidi controls.
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


@dataclass(frozen=True)
class SearchHit:
    """One line of the output; the JSON form has these keys."""

    id: str
    kind: str  # the vocabulary value (SubKind)
    login: str | None
    order_id: str | None
    snippet: str


def search_account_id(connection: sqlite3.Connection) -> int | None:
    """The window's account: the active real one, else the demo one (None when the cache has neither)."""
    found = inbox_account_id(connection, demo=False)
    return found if found is not None else inbox_account_id(connection, demo=True)


def find_hits(connection: sqlite3.Connection, text: str, limit: int) -> Iterator[SearchHit]:
    """Up to `limit` conversations matching `text`, in the list's order, each with its matching snippet."""
    account_id = search_account_id(connection)
    words = search_words(text)
    found = 0
    after: PageKey | None = None
    while found < limit:
        page = list_page(connection, filter_=Filter.ALL, search=text, account_id=account_id, after=after,
                         limit=min(_ROWS_PER_PAGE, limit - found))
        for row in page.rows:
            yield _hit(connection, row, text, words)
        found += len(page.rows)
        if page.next_key is None:
            return
        after = page.next_key


def _hit(connection: sqlite3.Connection, row: ConversationRow, text: str, words: list[str]) -> SearchHit:
    snippet = _matching_snippet(connection, row.id, text, words)
    if snippet is None:
        snippet = _cut(folded_text(row.snippet or ""), 0)
    return SearchHit(id=row.id, kind=row.sub_kind, login=row.interlocutor_login, order_id=row.order_id,
                     snippet=snippet)


def _holds_words(text: str, words: list[str]) -> bool:
    """The search index's test: every typed word (folded) begins one of the message's folded words."""
    held = search_words(text)
    return all(any(word.startswith(typed) for word in held) for typed in words)


def _matching_snippet(connection: sqlite3.Connection, conversation_id: str, query: str,
                      words: list[str]) -> str | None:
    """The newest message holding every word, cut around the first place the window would highlight."""
    if not words:
        return None
    for message in message_texts_newest_first(connection, conversation_id):
        if _holds_words(message, words):
            line = folded_text(message)
            spans = match_spans(line, query)
            return _cut(line, spans[0][0] if spans else 0)
    return None


def _cut(line: str, at: int, width: int = SNIPPET_WIDTH) -> str:
    """At most `width` characters of one line, showing the position `at` with a little before it."""
    if len(line) <= width:
        return line
    start = max(0, min(at - width // 4, len(line) - (width - 1)))  # width - 1: room for the leading "…"
    if start > 0:
        space = line.find(" ", start, at)  # begin at a word, not inside one
        start = space + 1 if space >= 0 else start
    lead = "…" if start > 0 else ""
    room = width - len(lead)
    if len(line) - start <= room:
        return lead + line[start:]
    return lead + line[start:start + room - 1].rstrip() + "…"


def _shown(value: str | None) -> str:
    """A field as a terminal should print it: controls written as ⟨U+XXXX⟩, never obeyed."""
    return _UNSAFE.sub(lambda match: control_marker(match.group()), value or "")


def text_line(hit: SearchHit, language: str) -> str:
    """id, kind, buyer login, order id and snippet, separated by tabs (an empty field when there is none)."""
    kind_key = _KIND_TEXTS.get(hit.kind)  # SubKind is a str enum: the stored value finds its member
    kind = launch_text(kind_key, language) if kind_key else hit.kind
    return "\t".join(_shown(field) for field in (hit.id, kind, hit.login, hit.order_id, hit.snippet))


def json_line(hit: SearchHit) -> str:
    """One JSON object; characters a terminal would obey are written as \\u escapes, so the values are exact."""
    encoded = json.dumps(asdict(hit), ensure_ascii=False)
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


def _refusal(status: SchemaStatus, database: Path, language: str) -> str | None:
    key = _REFUSED_STATES.get(status.state)
    return None if key is None else launch_text(key, language, path=database, stored=status.revision)


def run_search(data_dir: str | None, text: str, *, limit: int, language: str = "pl", as_json: bool = False,
               out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the matching conversations; 0 with results or none, 1 when the cache cannot be searched."""
    out = out or sys.stdout
    err = err or sys.stderr
    database = resolve_paths(data_dir).database
    status = read_schema_status(database)
    refusal = _refusal(status, database, language)
    if refusal is not None:
        print(refusal, file=err)
        return 1
    newer = status.state is SchemaState.NEWER
    if newer:
        print(launch_text("search_newer_database", language, stored=status.revision, head=HEAD_REVISION), file=err)
    if len(text.strip()) < SEARCH_MIN_CHARS:
        # The window shows the whole list for such a text: here that would pass for matches.
        print(launch_text("search_too_short", language, count=SEARCH_MIN_CHARS), file=err)
        return 0
    try:
        connection = open_for_inspection(database)
        try:
            make_query_only(connection)
            for hit in find_hits(connection, text, limit):
                print(json_line(hit) if as_json else text_line(hit, language), file=out)
        finally:
            connection.close()
    except BrokenPipeError:
        # The reader stopped taking lines (`| head`): not a failure. Python would meet the pipe again at exit.
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except sqlite3.Error as exc:
        if newer:
            key = "search_newer_unreadable"
        else:
            key = "search_damaged_database" if means_damaged(exc) else "search_unreadable_database"
        print(launch_text(key, language, path=database, stored=status.revision, head=HEAD_REVISION), file=err)
        return 1
    return 0
