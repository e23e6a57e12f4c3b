"""The schema: revisions, upgrades with data in place, downgrades, and the cheap at-head check."""

from __future__ import annotations

import sqlite3
import os
import subprocess
import sys
from pathlib import Path

import pytest

from magazyn_desktop.bundle import migrations_dir
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store import schema_version
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS, SchemaState, read_schema_status
from tests.launch.helpers import fill_revision_one, migrate_to


def _alembic_config(database: Path):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    return config


def _upgrade(tmp_path: Path, database: Path):
    return upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")


def test_known_revisions_match_the_alembic_scripts() -> None:
    from alembic.script import ScriptDirectory

    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_current_head() == HEAD_REVISION
    chain = [rev.revision for rev in scripts.walk_revisions()][::-1]
    assert tuple(chain) == KNOWN_REVISIONS
    assert len(chain) >= 2


def test_models_match_the_migrations(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from magazyn_desktop.store.db import create_engine_for
    from magazyn_desktop.store.models import Base

    database = tmp_path / "db.sqlite3"
    _upgrade(tmp_path, database)
    engine = create_engine_for(database)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, type_, parent: not (name or "").startswith(("messages_fts", "search_terms", "alembic_")),
        })
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_fresh_database_reaches_head_with_wal_and_search(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    result = _upgrade(tmp_path, database)
    assert result.upgraded and result.after == HEAD_REVISION and result.backup is None
    connection = sqlite3.connect(database)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"accounts", "conversations", "messages", "attachments", "drafts", "outbox", "sync_cursors",
            "orders", "tracking_numbers", "messages_fts"} <= tables


def test_upgrade_keeps_data_and_indexes_old_messages(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    migrate_to(database, KNOWN_REVISIONS[0])
    before = fill_revision_one(database)
    result = _upgrade(tmp_path, database)
    assert result.before == KNOWN_REVISIONS[0] and result.after == HEAD_REVISION
    assert result.backup is not None and result.backup.exists()
    connection = connect(database)  # with the functions the search index's triggers call, as the app's writers
    assert connection.execute("SELECT id, conversation_id, text FROM messages ORDER BY id").fetchall() == before
    assert connection.execute("SELECT text FROM drafts").fetchone()[0] == "szkic"
    # Messages written before the search index existed are found, diacritics and ł folded.
    assert len(queries.list_page(connection, search="dzien zazolc").rows) == 3
    # And new ones are indexed by the triggers.
    connection.execute("INSERT INTO messages (id, conversation_id, author_role, text, created_at) "
                       "VALUES ('new', 'conv0', 'BUYER', 'faktura VAT proszę', '2026-11-02 10:00:00')")
    connection.commit()
    assert [row.id for row in queries.list_page(connection, search="faktura prosze").rows] == ["conv0"]


def test_every_revision_downgrades(tmp_path: Path) -> None:
    from alembic import command

    database = tmp_path / "db.sqlite3"
    _upgrade(tmp_path, database)
    config = _alembic_config(database)
    for target in reversed(("base",) + KNOWN_REVISIONS[:-1]):
        command.downgrade(config, target)
        expected = None if target == "base" else target
        assert read_schema_status(database).revision == expected
    tables = {row[0] for row in sqlite3.connect(database).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables <= {"alembic_version"}
    # And back up again from nothing.
    assert _upgrade(tmp_path, database).after == HEAD_REVISION


def test_at_head_check_imports_neither_alembic_nor_sqlalchemy(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    _upgrade(tmp_path, database)
    probe = (
        "import sys; from pathlib import Path;"
        "from magazyn_desktop.store.migrate import upgrade_to_head;"
        f"r = upgrade_to_head(Path({str(database)!r}), backups=Path({str(tmp_path)!r}), quarantine=Path({str(tmp_path)!r}));"
        "assert not r.upgraded;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'sqlalchemy')))"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_newer_database_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    from magazyn_desktop.store.migrate import NewerDatabaseError

    database = tmp_path / "db.sqlite3"
    _upgrade(tmp_path, database)
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    original = database.read_bytes()
    with pytest.raises(NewerDatabaseError) as caught:
        _upgrade(tmp_path, database)
    assert "0099_from_the_future" in str(caught.value) and HEAD_REVISION in str(caught.value)
    assert database.read_bytes() == original
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("damage", ["random", "truncated"])
def test_damaged_file_is_moved_aside_never_deleted(tmp_path: Path, damage: str) -> None:
    from magazyn_desktop.store.migrate import DamagedDatabaseError

    database = tmp_path / "db.sqlite3"
    if damage == "random":
        content = bytes(range(256)) * 64
    else:
        migrate_to(database, KNOWN_REVISIONS[0])
        fill_revision_one(database, conversations=30, messages_per=30)
        connection = sqlite3.connect(database)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        content = database.read_bytes()[: len(database.read_bytes()) // 2]
        for suffix in ("-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
    database.write_bytes(content)
    with pytest.raises(DamagedDatabaseError) as caught:
        _upgrade(tmp_path, database)
    assert not database.exists()
    moved = caught.value.moved_to
    assert moved is not None and moved.read_bytes() == content
    assert str(moved) in str(caught.value)


def test_only_five_backups_are_kept(tmp_path: Path) -> None:
    from magazyn_desktop.store.migrate import backup_database

    database = tmp_path / "db.sqlite3"
    _upgrade(tmp_path, database)
    made = [backup_database(database, tmp_path / "backups") for _ in range(7)]
    kept = sorted((tmp_path / "backups").glob("*.sqlite3"))
    assert kept == sorted(made[-5:])
    assert read_schema_status(kept[-1]).state is SchemaState.AT_HEAD


@pytest.mark.allow_error_logs
def test_failed_upgrade_restores_the_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from magazyn_desktop.store import migrate
    from magazyn_desktop.store.migrate import UpgradeFailedError

    database = tmp_path / "db.sqlite3"
    migrate_to(database, KNOWN_REVISIONS[0])
    before = fill_revision_one(database)

    def half_done_then_broken(path: Path, progress: object = None, target: str = "head") -> None:
        connection = sqlite3.connect(path)
        connection.execute("DELETE FROM messages")
        connection.commit()
        connection.close()
        raise RuntimeError("disk said no")

    monkeypatch.setattr(migrate, "run_alembic_upgrade", half_done_then_broken)
    with pytest.raises(UpgradeFailedError, match="restored"):
        _upgrade(tmp_path, database)
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT id, conversation_id, text FROM messages ORDER BY id").fetchall() == before
    assert read_schema_status(database).revision == KNOWN_REVISIONS[0]


def test_revision_check_of_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    database = tmp_path / "nothing.sqlite3"
    assert schema_version.read_schema_status(database).state is SchemaState.MISSING
    assert not database.exists()


def _last_line_of(probe: str) -> str:
    """What a fresh interpreter running `probe` prints last (the probes print which modules got loaded)."""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_launch_steps_before_the_window_import_neither_alembic_nor_sqlalchemy(tmp_path: Path) -> None:
    """Paths, the guard with its holder record and the at-head check, as the window's launch runs them."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    _upgrade(tmp_path, data_dir / "magazyn.sqlite3")
    probe = (
        "import os, sys;"
        "from magazyn_desktop.startup import LaunchOptions, _take_the_folder, migrate_once, prepare_paths;"
        f"paths = prepare_paths({str(data_dir)!r}, 'pl');"
        f"lock = _take_the_folder(paths, 'pl', LaunchOptions({str(data_dir)!r}, False, None, None, smoke_test=True));"
        "from magazyn_desktop.guard import WINDOW, ActivationServer, record_holder;"
        "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
        "server = ActivationServer(paths.data); record_holder(paths.lock_file, WINDOW, channel=server.listen());"
        "assert not migrate_once(paths, 'pl').upgraded;"
        "server.close(); lock.unlock();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'sqlalchemy')))"
    )
    assert _last_line_of(probe) == "[]"


def test_the_window_module_imports_neither_the_database_library_nor_the_http_client() -> None:
    """The first window is painted before any backend exists: its types must not pull SQLAlchemy or httpx in."""
    probe = (
        "import sys; import magazyn_desktop.ui.main_window;"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('alembic', 'sqlalchemy', 'httpx')}))"
    )
    assert _last_line_of(probe) == "[]"


def test_the_migrate_step_at_head_loads_no_upgrade_machinery(tmp_path: Path) -> None:
    """At head the step is one small read: neither Alembic nor the database library is imported."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    _upgrade(tmp_path, data_dir / "magazyn.sqlite3")
    probe = (
        "import sys;"
        "from magazyn_desktop.app.launch_steps import migrate_once, prepare_paths;"
        f"paths = prepare_paths({str(data_dir)!r}, 'pl');"
        "result = migrate_once(paths, 'pl'); assert not result.upgraded, result;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'sqlalchemy')))"
    )
    assert _last_line_of(probe) == "[]"
