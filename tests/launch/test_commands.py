"""The headless commands run as a user or an admin runs them: separate processes, real files."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from magazyn_desktop.paths import DATABASE_NAME, LOCK_NAME
from magazyn_desktop.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS, read_schema_status
from tests.launch.helpers import APP, app_env, fill_revision_one, migrate_to, run_app

pytestmark = pytest.mark.slow


def _messages(database: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT id, conversation_id, text FROM messages ORDER BY id").fetchall()
    finally:
        connection.close()


def test_version() -> None:
    result = run_app(["--version"])
    assert result.returncode == 0
    assert result.stdout.strip().startswith("magazyn-desktop ")


def test_migrate_creates_then_reports_head(data_dir: Path) -> None:
    first = run_app(["migrate", "--data-dir", str(data_dir)])
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"revision": HEAD_REVISION, "previous": None, "upgraded": True, "backup": None}
    second = run_app(["migrate", "--data-dir", str(data_dir)])
    assert json.loads(second.stdout)["upgraded"] is False


def test_migrate_upgrades_an_old_database_with_a_backup(data_dir: Path) -> None:
    database = data_dir / DATABASE_NAME
    migrate_to(database, KNOWN_REVISIONS[0])
    before = fill_revision_one(database)
    result = run_app(["migrate", "--data-dir", str(data_dir)])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["previous"] == KNOWN_REVISIONS[0] and report["revision"] == HEAD_REVISION
    assert Path(report["backup"]).parent == data_dir / "backups"
    assert _messages(database) == before


def test_migrate_refuses_while_the_app_holds_the_lock(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from PySide6.QtCore import QLockFile; l = QLockFile(sys.argv[1]); "
         "assert l.tryLock(0); print('locked', flush=True); sys.stdin.read()", str(data_dir / LOCK_NAME)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run_app(["migrate", "--data-dir", str(data_dir), "--lang", "en"])
        assert result.returncode == 3
        assert "already running" in result.stderr and str(holder.pid) in result.stderr
        assert not (data_dir / DATABASE_NAME).exists()
    finally:
        holder.communicate(input="", timeout=10)


def test_newer_database_is_refused_by_migrate(data_dir: Path) -> None:
    assert run_app(["migrate", "--data-dir", str(data_dir)]).returncode == 0
    database = data_dir / DATABASE_NAME
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num='0042_newer'")
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    original = database.read_bytes()
    result = run_app(["migrate", "--data-dir", str(data_dir), "--lang", "en"])
    assert result.returncode != 0
    assert "0042_newer" in result.stderr and HEAD_REVISION in result.stderr
    assert "Traceback" not in result.stderr
    assert database.read_bytes() == original


def test_random_bytes_are_moved_aside_and_migrate_fails(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    database = data_dir / DATABASE_NAME
    junk = os.urandom(50_000)
    database.write_bytes(junk)
    result = run_app(["migrate", "--data-dir", str(data_dir), "--lang", "en"])
    assert result.returncode != 0
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
    moved = list((data_dir / "damaged").iterdir())
    assert len(moved) == 1 and moved[0].read_bytes() == junk
    assert not database.exists()


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """A folder nobody may write into; for root (who ignores permission bits) the immutable attribute does it."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        yield folder
        os.chmod(folder, 0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("this file system cannot make a folder read-only for root")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_data_folder_is_a_clear_error(read_only_folder: Path) -> None:
    result = run_app(["migrate", "--data-dir", str(read_only_folder), "--lang", "en"])
    assert result.returncode == 2, result.stderr
    assert "cannot be used" in result.stderr and "Traceback" not in result.stderr
    assert not (read_only_folder / DATABASE_NAME).exists()


def test_missing_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = run_app(["migrate", "--data-dir", str(blocker / "data"), "--lang", "en"])
    assert result.returncode == 2
    assert "cannot be used" in result.stderr and "Traceback" not in result.stderr


def test_full_disk_during_the_backup(data_dir: Path) -> None:
    database = data_dir / DATABASE_NAME
    migrate_to(database, KNOWN_REVISIONS[0])
    before = fill_revision_one(database, conversations=40, messages_per=40)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    size = database.stat().st_size
    original = database.read_bytes()

    def small_disk() -> None:
        # Files may not grow past half the database: the backup runs out of room like on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, size // 2))

    result = run_app(["migrate", "--data-dir", str(data_dir), "--lang", "en"], preexec_fn=small_disk)
    assert result.returncode != 0
    assert "backup" in result.stderr and "Traceback" not in result.stderr
    assert list((data_dir / "backups").glob("*")) == []
    assert read_schema_status(database).revision == KNOWN_REVISIONS[0]
    assert database.read_bytes() == original
    assert _messages(database) == before


def test_killed_during_migration_then_recovers(data_dir: Path) -> None:
    database = data_dir / DATABASE_NAME
    migrate_to(database, KNOWN_REVISIONS[0])
    before = fill_revision_one(database)
    data_dir.joinpath("logs").mkdir(mode=0o700, exist_ok=True)
    env = app_env(MAGAZYN_TEST_MIGRATION_PAUSE="60", MAGAZYN_LOG_LEVEL="INFO")
    victim = subprocess.Popen([*APP, "migrate", "--data-dir", str(data_dir)], stderr=subprocess.PIPE, text=True,
                              env=env)
    try:
        for line in victim.stderr:
            if "migration applied" in line:
                break
        assert victim.poll() is None
        os.kill(victim.pid, signal.SIGKILL)
    finally:
        victim.wait(timeout=10)
        victim.stderr.close()
    assert victim.returncode == -signal.SIGKILL
    assert (data_dir / LOCK_NAME).exists()  # left behind by the killed process
    assert read_schema_status(database).revision == KNOWN_REVISIONS[0]  # the upgrade was never committed

    result = run_app(["migrate", "--data-dir", str(data_dir)])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["revision"] == HEAD_REVISION
    assert _messages(database) == before


def test_doctor_reports_without_writing(data_dir: Path) -> None:
    assert run_app(["migrate", "--data-dir", str(data_dir)]).returncode == 0
    database = data_dir / DATABASE_NAME
    stamp = database.stat().st_mtime_ns
    result = run_app(["doctor", "--data-dir", str(data_dir), "--json"])
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["schema"] == {"state": "at_head", "stored": HEAD_REVISION, "head": HEAD_REVISION}
    assert report["lock"]["held"] is False
    assert report["keyring"]["usable"] is False  # the tests pin keyring's fail backend
    assert report["paths"]["database"] == str(database)
    assert report["disk"]["free_bytes"] > 0
    assert database.stat().st_mtime_ns == stamp
    assert not (data_dir / LOCK_NAME).exists()


def test_doctor_is_unhealthy_for_a_newer_database(data_dir: Path) -> None:
    assert run_app(["migrate", "--data-dir", str(data_dir)]).returncode == 0
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    connection.execute("UPDATE alembic_version SET version_num='0042_newer'")
    connection.commit()
    connection.close()
    result = run_app(["doctor", "--data-dir", str(data_dir), "--json"])
    assert result.returncode == 1
    assert json.loads(result.stdout)["healthy"] is False
