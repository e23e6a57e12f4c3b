"""Revision 0021: the drafts a 0020 build kept survive the upgrade as the bench's own (the empty name), a second
person's draft of the same conversation can be stored beside them, and the downgrade keeps the bench's own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from magazyn_desktop.bundle import migrations_dir
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.schema_version import read_schema_status
from tests.launch.helpers import migrate_to

BEFORE = "0020_team_away"


def _drafts(database: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT conversation_id, text FROM drafts ORDER BY conversation_id").fetchall()
    finally:
        connection.close()


def _upgraded_with_drafts(tmp_path: Path) -> Path:
    database = tmp_path / "db.sqlite3"
    migrate_to(database, BEFORE)
    connection = connect(database)  # with the search's functions, which the conversations' triggers call
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                           "VALUES (1, 'demo', 'sklep', 1, '2026-11-01 10:00:00')")
        connection.executemany(
            "INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, updated_at) "
            "VALUES (?, 1, 'thread', 'COMMON', 1, 0, 1, '2026-11-01 10:00:00')", [("conv0",), ("conv1",)])
        connection.executemany("INSERT INTO drafts (conversation_id, text, updated_at) VALUES (?, ?, "
                               "'2026-12-01 10:00:00')", [("conv0", "Sprawdzę jutro"), ("conv1", "Już wysłane")])
    connection.close()
    upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    return database


def test_the_drafts_stay_the_benches_own_and_another_persons_fits_beside(tmp_path: Path) -> None:
    database = _upgraded_with_drafts(tmp_path)
    store = Store.open(database)
    try:
        assert (store.load_draft("conv0"), store.load_draft("conv1")) == ("Sprawdzę jutro", "Już wysłane")
        ania = Store(store.engine, draft_owner="Ania")
        ania.save_draft("conv0", "Moja wersja")
        assert (store.load_draft("conv0"), ania.load_draft("conv0")) == ("Sprawdzę jutro", "Moja wersja")
    finally:
        store.close()


def test_the_downgrade_keeps_the_benches_own_drafts(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    database = _upgraded_with_drafts(tmp_path)
    store = Store.open(database)
    Store(store.engine, draft_owner="Ania").save_draft("conv0", "Moja wersja")
    store.close()
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    command.downgrade(config, BEFORE)
    assert read_schema_status(database).revision == BEFORE
    assert _drafts(database) == [("conv0", "Sprawdzę jutro"), ("conv1", "Już wysłane")]
