"""Revision 0012: drafts written by a 0011 build keep their text through the upgrade and take files after it; the
downgrade drops only the column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from magazyn_desktop.bundle import migrations_dir
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.draft_files import DraftFile
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.schema_version import HEAD_REVISION, read_schema_status
from tests.launch.helpers import migrate_to

BEFORE = "0011_marked_unread"
PHOTO = DraftFile(path="/tmp/paczka.png", size=40, modified_ns=1_700_000_000_000_000_000)


def _fill_0011(database: Path) -> None:
    """Two conversations, one with a draft, as a 0011 build stores them (its search triggers need our functions)."""
    connection = connect(database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                           "VALUES (1, 'demo', 'sklep', 1, '2026-11-01 10:00:00')")
        for number in range(2):
            connection.execute(
                "INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, updated_at, "
                "interlocutor_login) VALUES (?, 1, 'thread', 'COMMON', 1, 0, 1, '2026-11-01 10:00:00', ?)",
                (f"conv{number}", f"kupujacy_{number}"))
        connection.execute("INSERT INTO drafts (conversation_id, text, updated_at) VALUES ('conv0', 'szkic', "
                           "'2026-11-01 10:00:00')")
    connection.close()


def _drafts(database: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT conversation_id, text FROM drafts ORDER BY conversation_id").fetchall()
    finally:
        connection.close()


def test_upgrade_from_0011_keeps_drafts_and_takes_files(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    migrate_to(database, BEFORE)
    _fill_0011(database)
    result = upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    assert result.before == BEFORE and result.after == HEAD_REVISION
    assert _drafts(database) == [("conv0", "szkic")]
    store = Store.open(database)
    try:
        assert store.load_draft_files("conv0") == ()  # an old draft has no files
        store.save_draft("conv1", "", [PHOTO])
        assert store.load_draft_files("conv1") == (PHOTO,)
    finally:
        store.close()


def test_downgrade_to_0011_drops_only_the_column(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    database = tmp_path / "db.sqlite3"
    migrate_to(database, BEFORE)
    _fill_0011(database)
    upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    store = Store.open(database)
    try:
        store.save_draft("conv1", "Z plikiem", [PHOTO])
    finally:
        store.close()
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    command.downgrade(config, BEFORE)
    assert read_schema_status(database).revision == BEFORE
    assert _drafts(database) == [("conv0", "szkic"), ("conv1", "Z plikiem")]
    connection = sqlite3.connect(database)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(drafts)")}
    connection.close()
    assert columns == {"conversation_id", "text", "updated_at"}
