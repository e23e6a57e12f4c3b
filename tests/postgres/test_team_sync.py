"""`sync --once` on a team's store: benches with folders of their own fill and read one shared database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.launch.helpers import run_app

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

pytestmark = pytest.mark.slow


def _sync(scratch_url: str, data: Path) -> dict[str, object]:
    done = run_app(["sync", "--once", "--demo", "--store", scratch_url, "--data-dir", str(data)])
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_a_second_bench_finds_what_the_first_stored(scratch_url: str, tmp_path: Path) -> None:
    first = _sync(scratch_url, tmp_path / "bench-a")
    second = _sync(scratch_url, tmp_path / "bench-b")
    assert isinstance(first["conversations_added"], int) and first["conversations_added"] > 0
    assert second["conversations_added"] == 0 and second["messages_added"] == 0
    with psycopg.connect(scratch_url) as connection:
        accounts = connection.execute("SELECT count(*) FROM accounts").fetchone()
        conversations = connection.execute("SELECT count(*) FROM conversations").fetchone()
    assert accounts == (1,)  # both benches work for the one demo account
    assert conversations == (first["conversations_added"],)
    assert not (tmp_path / "bench-a" / "magazyn.sqlite3").exists()


def test_a_bench_that_does_not_lead_asks_allegro_nothing(scratch_url: str, tmp_path: Path) -> None:
    from magazyn_desktop.store.leader_election import LeaderElection

    first = _sync(scratch_url, tmp_path / "bench-a")  # creates the demo account and fills the store
    with psycopg.connect(scratch_url) as connection:
        account = connection.execute("SELECT id FROM accounts").fetchone()
    assert account is not None
    leader = LeaderElection.for_url(scratch_url, holder="test-leader", holder_name="Ania @ Stanowisko 1")
    try:
        assert account[0] in leader.poll([account[0]])
        follower = _sync(scratch_url, tmp_path / "bench-b")
        assert follower["led_elsewhere"] is True
        assert follower["requests"] == {} and follower["outbox"] == {} and follower["orders"] == {
            "fetched": 0, "unavailable": 0, "unreadable": 0, "left": 0}
    finally:
        leader.close()  # gives the lease up: the next bench leads at once
    after = _sync(scratch_url, tmp_path / "bench-b")
    assert after["led_elsewhere"] is False and after["requests"]
    assert first["led_elsewhere"] is False
