"""Running the app as a separate process, the way a user or an admin starts it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

APP = [sys.executable, "-m", "magazyn_desktop"]


def app_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def run_app(args: Sequence[str], *, timeout: float = 120, env: dict[str, str] | None = None,
            preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*APP, *args], capture_output=True, text=True, timeout=timeout,
                          env=env or app_env(), preexec_fn=preexec_fn)


def start_app(args: Sequence[str], *, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([*APP, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env or app_env())


def migrate_to(database: Path, revision: str) -> None:
    """Bring a database to an older revision, as an older build would have left it."""
    from magazyn_desktop.store.migrate import run_alembic_upgrade

    database.parent.mkdir(parents=True, exist_ok=True)
    run_alembic_upgrade(database, target=revision)


def sqlite_tables(database: Path) -> set[str]:
    """The names of the tables a SQLite file holds."""
    connection = sqlite3.connect(database)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        connection.close()


def fill_revision_one(database: Path, conversations: int = 3, messages_per: int = 4) -> list[tuple[Any, ...]]:
    """Rows as revision 0001 stores them; returns the messages for comparison after an upgrade."""
    connection = sqlite3.connect(database)
    with connection:
        connection.execute(
            "INSERT INTO accounts (id, environment, login, is_active, created_at) "
            "VALUES (1, 'demo', 'sklep', 1, '2026-11-01 10:00:00')"
        )
        for c in range(conversations):
            connection.execute(
                "INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, updated_at, "
                "interlocutor_login) VALUES (?, 1, 'thread', 'COMMON', 1, 0, 1, '2026-11-01 10:00:00', ?)",
                (f"conv{c}", f"kupujacy_{c}"),
            )
            for m in range(messages_per):
                connection.execute(
                    "INSERT INTO messages (id, conversation_id, author_role, text, created_at) "
                    "VALUES (?, ?, 'BUYER', ?, '2026-11-01 10:00:00')",
                    (f"msg{c}-{m}", f"conv{c}", f"Dzień dobry, gdzie jest paczka numer {c}{m}? zażółć"),
                )
        connection.execute("INSERT INTO drafts (conversation_id, text, updated_at) VALUES ('conv0', 'szkic', "
                           "'2026-11-01 10:00:00')")
    rows = connection.execute("SELECT id, conversation_id, text FROM messages ORDER BY id").fetchall()
    connection.close()
    return rows
