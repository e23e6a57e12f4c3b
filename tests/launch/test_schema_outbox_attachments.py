"""Revision 0003: queued replies written by a 0002 build survive the upgrade, and the downgrade keeps them too."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from magazyn_desktop.bundle import migrations_dir
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.records import OutboxAttachment
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.schema_version import HEAD_REVISION, read_schema_status
from tests.launch.helpers import fill_revision_one, migrate_to

OUTBOX_ROWS = [
    (1, 1, "conv0", "Wysłane wczoraj.", "sent", 1),
    (2, 1, "conv1", "Jutro rano.", "queued", 0),
    (3, 1, "conv1", "Sprawdzam.", "uncertain", 1),
]


def _fill_outbox(database: Path) -> None:
    connection = sqlite3.connect(database)
    with connection:
        connection.executemany(
            "INSERT INTO outbox (id, account_id, conversation_id, text, state, attempts, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, '2026-11-01 10:00:00', '2026-11-01 10:00:00')", OUTBOX_ROWS)
    connection.close()


def _outbox(database: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(
            "SELECT id, account_id, conversation_id, text, state, attempts FROM outbox ORDER BY id").fetchall()
    finally:
        connection.close()


def test_upgrade_from_0002_keeps_queued_replies(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    migrate_to(database, "0002_search_and_orders")
    fill_revision_one(database)
    _fill_outbox(database)
    result = upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    assert result.before == "0002_search_and_orders" and result.after == HEAD_REVISION
    assert _outbox(database) == OUTBOX_ROWS
    store = Store.open(database)
    try:
        # Old rows read as replies without attachments; the new column takes a list.
        assert [item.attachments for item in store.pending_outbox_entries(1)] == [(), ()]
        staged = OutboxAttachment(path="abc.png", file_name="a.png", mime_type="image/png", size=10)
        entry_id = store.add_outbox_entry(1, "conv2", "Zdjęcie.", [staged])
        assert store.set_outbox_attachment_remote_id(entry_id, 0, "att-9")
        item = store.outbox_entry(entry_id)
        assert item is not None and item.attachments == (
            OutboxAttachment(path="abc.png", file_name="a.png", mime_type="image/png", size=10, remote_id="att-9"),)
    finally:
        store.close()
    raw = sqlite3.connect(database).execute("SELECT attachments_json FROM outbox WHERE id = ?", (entry_id,)).fetchone()
    assert json.loads(raw[0]) == [{"path": "abc.png", "file_name": "a.png", "mime_type": "image/png", "size": 10,
                                   "remote_id": "att-9"}]


def test_downgrade_to_0002_drops_only_the_column(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    database = tmp_path / "db.sqlite3"
    migrate_to(database, "0002_search_and_orders")
    fill_revision_one(database)
    _fill_outbox(database)
    upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    command.downgrade(config, "0002_search_and_orders")
    assert read_schema_status(database).revision == "0002_search_and_orders"
    assert _outbox(database) == OUTBOX_ROWS
    connection = sqlite3.connect(database)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(outbox)")}
    indexes = {row[1] for row in connection.execute("PRAGMA index_list(outbox)")}
    connection.close()
    assert "attachments_json" not in columns
    assert {"ix_outbox_state_created", "ix_outbox_conversation_id"} <= indexes
