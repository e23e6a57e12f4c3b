"""Small shared pieces of the benchmarks: timing, medians and a database filled at a given revision."""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def fill_messages(database: Path, *, conversations: int, messages_per_conversation: int) -> None:
    """Rows valid at every revision: one account, many threads, many buyer and seller messages (at a revision with
    the search index's triggers, kept by them)."""
    from magazyn_desktop.store.search_index import register_search_functions

    connection = sqlite3.connect(database)
    register_search_functions(connection)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    with connection:
        connection.execute("INSERT OR IGNORE INTO accounts (id, environment, login, is_active, created_at) "
                           "VALUES (1, 'demo', 'sklep_magazyn', 1, '2026-11-01 08:00:00')")
        connection.executemany(
            "INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
            "last_activity_at, interlocutor_login, last_message_snippet, updated_at) "
            "VALUES (?, 1, 'thread', 'COMMON', 1, ?, ?, ?, ?, ?, '2026-11-01 08:00:00')",
            ((f"T{c:042d}", c % 3 == 0, c % 4 == 0, f"2026-11-{1 + c % 27:02d} {c % 24:02d}:{c % 60:02d}:00",
              f"kupujacy_{c}", f"Dzień dobry, pytanie o zamówienie {c}") for c in range(conversations)),
        )
        words = ("paczka", "faktura", "zwrot", "rozmiar", "kurier", "paczkomat", "reklamacja", "uszkodzony",
                 "dostawa", "kolor", "gwarancja", "wymiana")
        connection.executemany(
            "INSERT INTO messages (id, conversation_id, author_role, author_login, text, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((f"M{c}-{m}", f"T{c:042d}", "BUYER" if m % 2 == 0 else "SELLER", f"kupujacy_{c}",
              f"Dzień dobry, {words[(c + m) % len(words)]} do zamówienia {c}/{m}, "
              f"proszę o informację {words[(c * 7 + m) % len(words)]}.",
              f"2026-11-{1 + c % 27:02d} {m % 24:02d}:00:00")
             for c in range(conversations) for m in range(messages_per_conversation)),
        )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def ratio_line(name: str, measured: float, baseline: float, target: str, unit: str = "s") -> str:
    return f"{name}: {measured:.4f} {unit} vs {baseline:.4f} {unit} -> ratio {measured / baseline:.2f}x (target {target})"
