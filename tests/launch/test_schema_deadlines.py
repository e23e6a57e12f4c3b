"""Revision 0016: the upgrade works out the deadline of the conversations a 0015 build cached (a thread awaiting a
reply across Easter, a claim with its decision date, one without), none for the answered, closed or done ones; the
downgrade drops only the new columns and index."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from magazyn_desktop.bundle import migrations_dir
from magazyn_desktop.domain.business_calendar import WARSAW
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.models import UtcDateTime
from magazyn_desktop.store.schema_version import HEAD_REVISION, read_schema_status
from tests.launch.helpers import migrate_to

BEFORE = "0015_reply_templates"
_STORED = UtcDateTime()


def _at(moment: datetime) -> str:
    """A moment as SQLAlchemy stores it in SQLite."""
    value = _STORED.process_bind_param(moment, None)
    assert value is not None
    return value.isoformat(sep=" ")


GOOD_FRIDAY = datetime(2026, 4, 3, 15, 0, tzinfo=WARSAW)
DECIDE_BY = datetime(2026, 4, 9, 12, 0, tzinfo=timezone.utc)
CLAIM_OPENED = datetime(2026, 3, 23, 10, 0, tzinfo=WARSAW)


def _fill_0014(database: Path) -> None:
    connection = connect(database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                           "VALUES (1, 'demo', 'sklep', 1, '2026-03-01 10:00:00')")
        rows = [  # id, kind, sub_kind, status, can_reply, needs_reply, done_at, decision_due_at
            ("waiting", "thread", "COMMON", "OPEN", 1, 1, None, None),
            ("answered", "thread", "COMMON", "OPEN", 1, 0, None, None),
            ("closed", "thread", "COMMON", "CLOSED", 0, 0, None, None),
            ("done", "thread", "COMMON", "OPEN", 1, 0, _at(GOOD_FRIDAY), None),
            ("claim", "issue", "CLAIM", "CLAIM_SUBMITTED", 1, 0, None, _at(DECIDE_BY)),
            ("claim-undated", "issue", "CLAIM", "CLAIM_SUBMITTED", 1, 0, None, None),
            ("claim-accepted", "issue", "CLAIM", "CLAIM_ACCEPTED", 1, 0, None, _at(DECIDE_BY)),
        ]
        for cid, kind, sub_kind, status, can_reply, needs_reply, done_at, decide_by in rows:
            connection.execute(
                "INSERT INTO conversations (id, account_id, kind, sub_kind, status, can_reply, read, needs_reply, "
                "done_at, decision_due_at, last_activity_at, updated_at, interlocutor_login) "
                "VALUES (?, 1, ?, ?, ?, ?, 1, ?, ?, ?, ?, '2026-04-03 13:00:00', 'kupujacy')",
                (cid, kind, sub_kind, status, can_reply, needs_reply, done_at, decide_by, _at(GOOD_FRIDAY)))
        messages = [("w1", "waiting", "BUYER", GOOD_FRIDAY), ("a1", "answered", "BUYER", GOOD_FRIDAY),
                    ("a2", "answered", "SELLER", GOOD_FRIDAY), ("d1", "done", "BUYER", GOOD_FRIDAY),
                    ("u1", "claim-undated", "BUYER", CLAIM_OPENED),
                    ("u2", "claim-undated", "BUYER", GOOD_FRIDAY)]
        for mid, cid, role, at in messages:
            connection.execute("INSERT INTO messages (id, conversation_id, author_role, text, created_at) "
                               "VALUES (?, ?, ?, 'Gdzie paczka?', ?)", (mid, cid, role, _at(at)))
    connection.close()


def _due(database: Path) -> dict[str, datetime | None]:
    connection = connect(database, read_only=True)
    try:
        rows = {cid: q.get_row(connection, cid) for cid, in connection.execute("SELECT id FROM conversations")}
        return {cid: row.due_at for cid, row in rows.items() if row is not None}
    finally:
        connection.close()


def test_upgrade_from_0014_fills_the_deadlines(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    migrate_to(database, BEFORE)
    _fill_0014(database)
    result = upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    assert result.before == BEFORE and result.after == HEAD_REVISION
    assert _due(database) == {
        "waiting": datetime(2026, 4, 7, 15, 0, tzinfo=WARSAW),  # Easter Monday skipped
        "answered": None, "closed": None, "done": None,
        "claim": DECIDE_BY,
        "claim-undated": datetime(2026, 4, 6, 10, 0, tzinfo=WARSAW),  # 14 days after its first message
        "claim-accepted": None,
    }
    connection = connect(database, read_only=True)
    try:
        page = q.list_page(connection, filter_=Filter.DEADLINES, account_id=1)
        assert [row.id for row in page.rows] == ["claim-undated", "waiting", "claim"]
    finally:
        connection.close()


def test_downgrade_to_0014_drops_only_the_new_columns(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    database = tmp_path / "db.sqlite3"
    migrate_to(database, BEFORE)
    _fill_0014(database)
    upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    command.downgrade(config, BEFORE)
    assert read_schema_status(database).revision == BEFORE
    connection = sqlite3.connect(database)
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(conversations)")}
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(conversations)")}
        kept = connection.execute("SELECT count(*) FROM conversations").fetchone()[0]
    finally:
        connection.close()
    assert not columns & {"status_due_at", "opened_at", "due_at", "notified_due_at"}
    assert "done_at" in columns and "ix_conversations_account_due" not in indexes and kept == 7
