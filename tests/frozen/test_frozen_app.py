"""The PyInstaller build does everything the source run does. Runs when MAGAZYN_FROZEN_APP names the executable
(.ci/run builds it and sets the variable); skipped otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from magazyn_desktop.store.migrate import run_alembic_upgrade
from magazyn_desktop.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from tests.launch.helpers import app_env, fill_revision_one

FROZEN = os.environ.get("MAGAZYN_FROZEN_APP")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not FROZEN, reason="MAGAZYN_FROZEN_APP is not set")]


def run_frozen(args: list[str], *, executable: str | None = None, env: dict[str, str] | None = None,
               timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([executable or FROZEN, *args], capture_output=True, text=True, timeout=timeout,
                          env=env or app_env())


def _json_line(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


def test_version() -> None:
    result = run_frozen(["--version"])
    assert result.returncode == 0 and result.stdout.startswith("magazyn-desktop ")


def test_smoke_test_on_the_demo(tmp_path: Path) -> None:
    # No system time zone database, as on Windows: Warsaw's zone must come from the bundle.
    result = run_frozen(["--data-dir", str(tmp_path / "data"), "--demo", "--smoke-test"], env=app_env(PYTHONTZPATH=""))
    assert result.returncode == 0, result.stderr
    report = _json_line(result.stdout)
    assert report["revision"] == HEAD_REVISION and report["opened"] and report["conversations"] > 0
    assert report["qt_translation"]  # the build carries Qt's Polish and finds it
    # Poland's holidays, read without importing the other countries' modules.
    assert report["holiday_calendar"] == {"easter_monday_is_a_holiday": True,
                                          "country_modules": ["holidays.countries.poland"]}


def test_the_bundle_carries_only_the_qt_translations_it_needs() -> None:
    bundle = Path(FROZEN).parent
    translations = {path.name for path in bundle.rglob("*.qm") if "PySide6" in path.parts}
    assert translations == {"qtbase_pl.qm", "qtbase_en.qm"}
    size = sum(path.stat().st_size for path in bundle.rglob("*") if path.is_file() and not path.is_symlink())
    assert size <= 200_000_000, f"{size / 1_000_000:.1f} MB"  # 200 MB as the limit says, not 200 MiB


def test_search_after_a_demo_sync(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    smoke = run_frozen(["--data-dir", data, "--demo", "--smoke-test"])
    assert smoke.returncode == 0, smoke.stderr
    opened = _json_line(smoke.stdout)["opened"]
    result = run_frozen(["search", opened, "--data-dir", data, "--json"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0])["id"] == opened
    missing = run_frozen(["search", "paczka", "--data-dir", str(tmp_path / "none"), "--lang", "en"])
    assert missing.returncode == 1 and missing.stderr.startswith("There is no database")


def test_migrate_a_fresh_folder_then_doctor(tmp_path: Path) -> None:
    result = run_frozen(["migrate", "--data-dir", str(tmp_path / "data")])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["revision"] == HEAD_REVISION
    doctor = run_frozen(["doctor", "--data-dir", str(tmp_path / "data"), "--json"])
    assert doctor.returncode == 0, doctor.stdout
    assert json.loads(doctor.stdout)["schema"]["state"] == "at_head"


def test_migrate_a_database_of_the_previous_revision(tmp_path: Path) -> None:
    database = tmp_path / "data" / "magazyn.sqlite3"
    database.parent.mkdir(parents=True)
    run_alembic_upgrade(database, target=KNOWN_REVISIONS[0])
    before = fill_revision_one(database)
    result = run_frozen(["migrate", "--data-dir", str(database.parent)])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["previous"] == KNOWN_REVISIONS[0] and report["revision"] == HEAD_REVISION
    import sqlite3

    assert sqlite3.connect(database).execute(
        "SELECT id, conversation_id, text FROM messages ORDER BY id").fetchall() == before


def test_sync_once_on_the_demo(tmp_path: Path) -> None:
    result = run_frozen(["sync", "--once", "--demo", "--data-dir", str(tmp_path / "data")])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["conversations_added"] > 0 and sum(report["requests"].values()) > 0


def test_started_twice_at_once(tmp_path: Path) -> None:
    data_dir = str(tmp_path / "data")
    processes = [subprocess.Popen([FROZEN, "--data-dir", data_dir, "--demo", "--smoke-test",
                                   "--smoke-expect-activations", "1"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=app_env()) for _ in range(2)]
    outputs = [process.communicate(timeout=180) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], [err[-1500:] for _, err in outputs]
    assert sum(1 for out, _ in outputs if out.strip()) == 1


def test_without_a_display_it_says_what_is_missing(tmp_path: Path) -> None:
    env = app_env()
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    result = run_frozen(["--data-dir", str(tmp_path / "data"), "--lang", "en"], env=env)
    assert result.returncode == 4
    assert "platform plugin" in result.stderr and "xcb" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_bundled_resource_is_a_clear_message(tmp_path: Path) -> None:
    # A copy of the build made of hard links, so removing one file leaves the real build intact.
    source = Path(FROZEN).resolve().parent
    copy = tmp_path / "copy"
    shutil.copytree(source, copy, copy_function=os.link)
    translations = copy / "_internal" / "magazyn_desktop" / "resources" / "translations"
    shutil.rmtree(translations)
    result = run_frozen(["--data-dir", str(tmp_path / "data"), "--demo", "--smoke-test", "--lang", "en"],
                        executable=str(copy / Path(FROZEN).name))
    assert result.returncode != 0
    assert "installation is incomplete" in result.stderr and "Traceback" not in result.stderr


def test_team_mode_migrate_sync_and_doctor_on_postgresql(scratch_url: str, tmp_path: Path) -> None:
    """The binary carries team mode: the driver, the store's upgrade under its lock, the search's SQL."""
    migrated = run_frozen(["migrate", "--store", scratch_url, "--data-dir", str(tmp_path / "a")])
    assert migrated.returncode == 0, migrated.stderr
    assert _json_line(migrated.stdout)["revision"] == HEAD_REVISION
    synced = run_frozen(["sync", "--once", "--demo", "--store", scratch_url, "--data-dir", str(tmp_path / "a")])
    assert synced.returncode == 0, synced.stderr
    assert _json_line(synced.stdout)["conversations_added"] > 0
    doctor = run_frozen(["doctor", "--json", "--store", scratch_url, "--data-dir", str(tmp_path / "a")])
    report = json.loads(doctor.stdout)
    assert report["team_store"]["reachable"] and report["team_store"]["schema"]["state"] == "at_head"
