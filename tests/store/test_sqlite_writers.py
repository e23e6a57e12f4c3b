"""Two writers on one SQLite file (the first-run window's store and the demo backend's, say): a write takes the
file's write lock when it begins. A write that began deferred and read first could not take the lock later once
the other had committed meanwhile: SQLite refuses that at once with "database is locked", without waiting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.models import Account
from magazyn_desktop.store.repository import Store

pytestmark = pytest.mark.sqlite_only


def test_a_store_write_holds_the_files_write_lock_from_its_first_statement(tmp_path: Path) -> None:
    database = tmp_path / "magazyn.sqlite3"
    upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "quarantine")
    store = Store.open(database)
    other = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        with store._write() as session:  # the transaction every write method of the store runs in
            session.execute(select(Account.id)).all()
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")  # another writer now waits (its busy timeout), it does not slip in
        other.execute("BEGIN IMMEDIATE")  # and gets it once the write is over
        other.execute("ROLLBACK")
        assert store.ensure_account("demo", "sklep_demo") > 0
        with store._read() as session:  # reads still begin deferred: they never keep a writer waiting
            session.execute(select(Account.id)).all()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()
        store.close()
