"""`doctor --store`: the team store's schema, who leads each account and until when, the change log, connections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from magazyn_desktop.store.schema_version import HEAD_REVISION
from magazyn_desktop.store.store_address import parse_store_address
from tests.launch.helpers import run_app

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from magazyn_desktop.store.team_schema import upgrade_team_store  # noqa: E402  (after the skip: needs psycopg)


def test_the_report_names_the_leader_its_lease_and_the_change_log(scratch_url: str, tmp_path: Path) -> None:
    upgrade_team_store(parse_store_address(scratch_url))
    with psycopg.connect(scratch_url, autocommit=True) as connection:
        connection.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                           "VALUES (1, 'production', 'sklep_magazyn', TRUE, now())")
        connection.execute("INSERT INTO account_leases VALUES (1, 'p-1', 'Ania @ Stanowisko 2', 7, now(), "
                           "(now() AT TIME ZONE 'UTC') - interval '1 minute')")
        connection.execute("INSERT INTO change_log (account_id, conversation_id, topic, changed_at) "
                           "VALUES (1, 'c', 'conversation', now()), (1, 'd', 'conversation', now())")
        with psycopg.connect(scratch_url, application_name="magazyn-desktop reader"):
            done = run_app(["doctor", "--json", "--store", scratch_url, "--data-dir", str(tmp_path / "d")])
            text = run_app(["doctor", "--store", scratch_url, "--data-dir", str(tmp_path / "d"), "--lang", "en"])
    report = json.loads(done.stdout)
    team = report["team_store"]
    assert team["reachable"] and team["schema"] == {"state": "at_head", "stored": HEAD_REVISION, "head": HEAD_REVISION}
    assert [(lease["login"], lease["holder_name"], lease["fence"], lease["expired"]) for lease in team["leases"]] \
        == [("sklep_magazyn", "Ania @ Stanowisko 2", 7, True)]
    assert team["change_log_head"] == 2
    assert team["connections"]["by_purpose"] == {"magazyn-desktop reader": 1}
    assert "team_lease_expired" in report["warnings"]
    assert "Bench polling Allegro sklep_magazyn: Ania @ Stanowisko 2 (lease expired" in text.stdout
    assert "postgresql://postgres@" in text.stdout
    # The bench keeps no file of its own in a team: said so, not "no file yet".
    assert "no file of its own: the conversations are in the team's store" in text.stdout


def test_an_unreachable_team_store_is_a_problem(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run_app(["doctor", "--json", "--store", f"postgresql://bench@127.0.0.1:{port}/magazyn",
                    "--data-dir", str(tmp_path / "d")])
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["team_store"]["reachable"] is False and "team_unreachable" in report["problems"]


def test_the_report_says_how_far_behind_the_change_log_each_running_bench_is(scratch_url: str,
                                                                           tmp_path: Path) -> None:
    from datetime import timedelta

    from magazyn_desktop.store.presence import PresenceBoard, PresenceState
    from magazyn_desktop.store.team_engine import create_team_engine

    address = parse_store_address(scratch_url)
    upgrade_team_store(address)
    with psycopg.connect(scratch_url, autocommit=True) as connection:
        connection.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                           "VALUES (1, 'production', 'sklep_magazyn', TRUE, now())")
        connection.execute("INSERT INTO change_log (account_id, conversation_id, topic, changed_at) "
                           "VALUES (1, 'c', 'conversation', now()), (1, 'd', 'conversation', now()),"
                           " (1, 'e', 'conversation', now())")
    engine = create_team_engine(address)
    try:
        for person, seen in (("Ania", 3), ("Bartek", 1), ("Celina", None)):
            PresenceBoard(engine, holder=f"h-{person}", account_id=1, person=person, bench="pakowanie",
                          stale_after=timedelta(seconds=20), seen_seq=lambda seen=seen: seen).beat(PresenceState())
    finally:
        engine.dispose()
    done = run_app(["doctor", "--json", "--store", scratch_url, "--data-dir", str(tmp_path / "d")])
    text = run_app(["doctor", "--store", scratch_url, "--data-dir", str(tmp_path / "d"), "--lang", "en"])
    benches = json.loads(done.stdout)["team_store"]["benches"]
    assert [(b["person"], b["seen_seq"], b["lag"]) for b in benches] == [
        ("Ania", 3, 0), ("Bartek", 1, 2), ("Celina", None, None)]
    assert "Bench Bartek @ pakowanie: changes not received yet: 2" in text.stdout
    assert "Bench Celina @ pakowanie: not receiving changes yet" in text.stdout
