"""Whether the cache file is usable is SQLite's verdict (read with its WAL), never a guess from the file's size."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from magazyn_desktop.doctor import collect_report
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.schema_version import HEAD_REVISION, SchemaState, read_schema_status
from magazyn_desktop.store.search_index import register_search_functions

WAL_HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24


def _fill(connection: sqlite3.Connection, *, first: int, count: int) -> None:
    """Conversations with long buyer messages: enough pages that the file grows well past its first size."""
    for n in range(first, first + count):
        connection.execute(
            "INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, updated_at, "
            "interlocutor_login) VALUES (?, 1, 'thread', 'COMMON', 1, 0, 1, '2026-11-01 10:00:00', ?)",
            (f"conv{n}", f"kupujacy_{n}"),
        )
        connection.execute(
            "INSERT INTO messages (id, conversation_id, author_role, text, created_at) "
            "VALUES (?, ?, 'BUYER', ?, '2026-11-01 10:00:00')",
            (f"msg{n}", f"conv{n}", f"Gdzie jest paczka {n}? " + "zażółć gęślą jaźń " * 200),
        )


def _copy_as_a_full_disk_leaves_it(paths: AppPaths, target: AppPaths) -> None:
    """Main file, header promising the pages the WAL still holds, file itself not grown: a checkpoint that wrote
    page 1 and then found no room for the rest."""
    connection = sqlite3.connect(paths.database, isolation_level=None)
    register_search_functions(connection)  # as every connection of the app that writes messages has them
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                       "VALUES (1, 'demo', 'sklep', 1, '2026-11-01 10:00:00')")
    _fill(connection, first=0, count=5)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _fill(connection, first=5, count=60)  # these pages live only in the WAL
    connection.execute("INSERT INTO outbox (account_id, conversation_id, text, state, attempts, created_at, "
                       "updated_at) VALUES (1, 'conv64', 'Wysłaliśmy wczoraj.', 'queued', 0, "
                       "'2026-11-01 10:00:00', '2026-11-01 10:00:00')")
    target.ensure()
    # Copied while the connection is open, so closing it cannot checkpoint the copy.
    shutil.copyfile(paths.database, target.database)
    shutil.copyfile(f"{paths.database}-wal", f"{target.database}-wal")
    connection.close()

    wal = Path(f"{target.database}-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big")
    newest_page_one = None
    for offset in range(WAL_HEADER_BYTES, len(wal), FRAME_HEADER_BYTES + page_size):
        if int.from_bytes(wal[offset:offset + 4], "big") == 1:
            newest_page_one = wal[offset + FRAME_HEADER_BYTES: offset + FRAME_HEADER_BYTES + page_size]
    assert newest_page_one is not None
    with target.database.open("r+b") as handle:
        handle.write(newest_page_one)


def _header_pages_and_file_pages(database: Path) -> tuple[int, int]:
    header = database.read_bytes()[:100]
    page_size = int.from_bytes(header[16:18], "big")
    return int.from_bytes(header[28:32], "big"), database.stat().st_size // page_size


@pytest.fixture
def left_by_a_full_disk(paths: AppPaths, tmp_path: Path) -> AppPaths:
    target = AppPaths(tmp_path / "after-full-disk")
    _copy_as_a_full_disk_leaves_it(paths, target)
    promised, present = _header_pages_and_file_pages(target.database)
    assert promised > present  # the state the old size check called truncated
    return target


def test_a_wal_database_shorter_than_its_header_is_healthy_at_launch(left_by_a_full_disk: AppPaths) -> None:
    paths = left_by_a_full_disk
    status = read_schema_status(paths.database)
    assert (status.state, status.revision) == (SchemaState.AT_HEAD, HEAD_REVISION), status.detail
    result = upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    assert result.after == HEAD_REVISION and not result.upgraded
    assert paths.database.exists() and not paths.quarantine.exists()
    connection = sqlite3.connect(paths.database)
    try:
        assert connection.execute("SELECT text, state FROM outbox").fetchall() == [("Wysłaliśmy wczoraj.", "queued")]
        assert connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    finally:
        connection.close()


def test_doctor_calls_a_wal_database_shorter_than_its_header_healthy(left_by_a_full_disk: AppPaths) -> None:
    report = collect_report(str(left_by_a_full_disk.data))
    assert report["schema"]["state"] == "at_head"
    assert not [p for p in report["problems"] if "damaged" in p], report["problems"]


def test_a_truncated_file_without_its_wal_is_damaged(left_by_a_full_disk: AppPaths) -> None:
    Path(f"{left_by_a_full_disk.database}-wal").unlink()
    status = read_schema_status(left_by_a_full_disk.database)
    assert status.state is SchemaState.DAMAGED
    assert status.detail


@pytest.fixture
def read_only_data_folder(paths: AppPaths) -> Iterator[AppPaths]:
    """The data folder as an admin without write access sees it: nothing may be created next to the database.

    Root ignores permission bits, so for root the folder is made immutable."""
    connection = sqlite3.connect(paths.database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{paths.database}{suffix}").unlink(missing_ok=True)
    import os

    if os.geteuid() != 0:
        paths.data.chmod(0o555)
        yield paths
        paths.data.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(paths.data)], capture_output=True).returncode != 0:
        pytest.skip("this file system cannot make a folder read-only for root")
    try:
        yield paths
    finally:
        subprocess.run(["chattr", "-i", str(paths.data)], check=True)


def test_doctor_reads_a_wal_database_in_a_read_only_folder(read_only_data_folder: AppPaths) -> None:
    status = read_schema_status(read_only_data_folder.database)
    assert status.state is SchemaState.AT_HEAD, status.detail
    report = collect_report(str(read_only_data_folder.data))
    assert report["schema"]["state"] == "at_head"
    assert not [p for p in report["problems"] if "damaged" in p], report["problems"]


def test_a_database_sqlite_cannot_open_is_never_moved_aside(read_only_data_folder: AppPaths) -> None:
    """Pending WAL content in a folder where SQLite cannot make its shared-memory file: unreadable, not damaged."""
    from magazyn_desktop.store.migrate import MigrationError

    paths = read_only_data_folder
    subprocess.run(["chattr", "-i", str(paths.data)], capture_output=True)
    paths.data.chmod(0o755)
    writer = sqlite3.connect(paths.database, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO drafts (conversation_id, text, updated_at) VALUES ('c', 'szkic', '2026-11-01')")
    shutil.copyfile(paths.database, paths.data / "copy.sqlite3")
    shutil.copyfile(f"{paths.database}-wal", paths.data / "copy.sqlite3-wal")
    writer.close()
    copy = paths.data / "copy.sqlite3"
    import os

    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(paths.data)], check=True)
    else:
        paths.data.chmod(0o555)
    status = read_schema_status(copy)
    assert status.state is SchemaState.UNREADABLE, status
    with pytest.raises(MigrationError) as caught:
        upgrade_to_head(copy, backups=paths.backups, quarantine=paths.quarantine)
    assert "damaged" not in str(caught.value)
    assert copy.exists()
