"""The window on a team's store: the whole launch against PostgreSQL, nothing written to the bench's own file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from magazyn_desktop.store.schema_version import HEAD_REVISION
from tests.launch.helpers import app_env, run_app

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

pytestmark = pytest.mark.slow


def test_the_window_syncs_into_the_team_store_and_shows_it(scratch_url: str, tmp_path: Path) -> None:
    data = tmp_path / "bench"
    launched = run_app(["--demo", "--store", scratch_url, "--data-dir", str(data), "--smoke-test"],
                       env=app_env(QT_QPA_PLATFORM="offscreen"))
    assert launched.returncode == 0, launched.stderr
    report = json.loads(launched.stdout.strip().splitlines()[-1])
    assert report["revision"] == HEAD_REVISION
    assert report["conversations"] > 0 and report["opened"] in report["displayed"]
    with psycopg.connect(scratch_url) as connection:
        stored = connection.execute("SELECT count(*) FROM conversations").fetchone()
    assert stored is not None and stored[0] == report["conversations"]
    assert not (data / "magazyn.sqlite3").exists()  # the bench's own file is not the store in team mode


def test_a_window_started_without_the_team_store_says_so(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    launched = run_app(["--demo", "--store", f"postgresql://bench@127.0.0.1:{port}/magazyn", "--data-dir",
                        str(tmp_path / "bench"), "--smoke-test", "--lang", "en"],
                       env=app_env(QT_QPA_PLATFORM="offscreen"))
    assert launched.returncode == 6
    assert "The team database" in launched.stderr and "cannot be reached" in launched.stderr
    assert "Traceback" not in launched.stderr
