"""A team's shared store is upgraded exactly once, however many benches start at once, and refuses what it must."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from magazyn_desktop.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from magazyn_desktop.store.store_address import parse_store_address
from tests.launch.helpers import APP, app_env, run_app

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from magazyn_desktop.store.team_schema import (  # noqa: E402  (after the skip: needs psycopg)
    TeamSchemaNewerError,
    TeamSchemaRightsError,
    TeamStoreUnreachableError,
    TeamUpgradeFailedError,
    run_team_alembic_upgrade,
    upgrade_team_store,
)

OLDER = KNOWN_REVISIONS[-2]


def _revision(url: str) -> str | None:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as connection:
        return {name for name, in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


@pytest.fixture
def data_only_role(scratch_url: str) -> Iterator[str]:
    """A role with data rights on the scratch database's tables and none on its schema, as benches get."""
    name = f"bench_{Path(scratch_url).name}"[:60]
    with psycopg.connect(scratch_url, autocommit=True) as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{name}"')
        admin.execute(f'CREATE ROLE "{name}" LOGIN')
        admin.execute(f'GRANT USAGE ON SCHEMA public TO "{name}"')
        admin.execute(f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(scratch_url, autocommit=True) as admin:
            admin.execute(f'DROP OWNED BY "{name}"')
            admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def _as_role(url: str, role: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://{role}@", 1)


def test_an_empty_store_is_upgraded_to_head_once(scratch_url: str) -> None:
    address = parse_store_address(scratch_url)
    first = upgrade_team_store(address)
    again = upgrade_team_store(address)
    assert (first.before, first.after, first.upgraded) == (None, HEAD_REVISION, True)
    assert (again.before, again.upgraded) == (HEAD_REVISION, False)
    assert _revision(scratch_url) == HEAD_REVISION
    assert {"accounts", "conversations", "outbox", "account_leases", "change_log"} <= _tables(scratch_url)


def test_eight_benches_starting_at_once_upgrade_an_empty_store_exactly_once(scratch_url: str, tmp_path: Path) -> None:
    import subprocess

    benches = [subprocess.Popen([*APP, "migrate", "--store", scratch_url, "--data-dir", str(tmp_path / f"bench{n}")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=app_env())
               for n in range(8)]
    outcomes = [bench.communicate(timeout=180) for bench in benches]
    assert [bench.returncode for bench in benches] == [0] * 8, [err for _, err in outcomes]
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outcomes]
    assert sum(report["upgraded"] for report in reports) == 1
    assert {report["revision"] for report in reports} == {HEAD_REVISION}
    assert all("postgres@" in report["store"] for report in reports)
    assert _revision(scratch_url) == HEAD_REVISION


def test_a_store_newer_than_this_bench_is_refused_naming_both_revisions(scratch_url: str, tmp_path: Path) -> None:
    upgrade_team_store(parse_store_address(scratch_url))
    with psycopg.connect(scratch_url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    with pytest.raises(TeamSchemaNewerError):
        upgrade_team_store(parse_store_address(scratch_url))
    refused = run_app(["migrate", "--store", scratch_url, "--data-dir", str(tmp_path / "d"), "--lang", "en"])
    assert refused.returncode != 0
    assert "0099_from_the_future" in refused.stderr and HEAD_REVISION in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _revision(scratch_url) == "0099_from_the_future"


def test_a_role_without_schema_rights_asks_for_the_administrator_and_changes_nothing(
        scratch_url: str, data_only_role: str, tmp_path: Path) -> None:
    run_team_alembic_upgrade(parse_store_address(scratch_url), target=OLDER)
    tables_before = _tables(scratch_url)
    bench_url = _as_role(scratch_url, data_only_role)
    with pytest.raises(TeamSchemaRightsError) as caught:
        upgrade_team_store(parse_store_address(bench_url))
    assert caught.value.user == data_only_role and caught.value.stored == OLDER
    refused = run_app(["migrate", "--store", bench_url, "--data-dir", str(tmp_path / "d"), "--lang", "en"])
    assert refused.returncode != 0
    assert f"magazyn-desktop migrate --store {parse_store_address(bench_url).display()}" in refused.stderr
    assert "administrator" in refused.stderr and "Traceback" not in refused.stderr
    assert _revision(scratch_url) == OLDER and _tables(scratch_url) == tables_before


def test_a_bench_role_starts_on_a_store_already_at_head(scratch_url: str, data_only_role: str) -> None:
    upgrade_team_store(parse_store_address(scratch_url))
    result = upgrade_team_store(parse_store_address(_as_role(scratch_url, data_only_role)))
    assert (result.after, result.upgraded) == (HEAD_REVISION, False)


def test_a_failed_upgrade_leaves_the_previous_schema_whole(scratch_url: str) -> None:
    run_team_alembic_upgrade(parse_store_address(scratch_url), target="0016_deadlines")
    with psycopg.connect(scratch_url) as connection:
        # Revision 0017 creates this table after account_leases: its CREATE fails half way through the upgrade.
        connection.execute("CREATE TABLE change_log (seq integer)")
    tables_before = _tables(scratch_url)
    with pytest.raises(TeamUpgradeFailedError):
        upgrade_team_store(parse_store_address(scratch_url))
    assert _revision(scratch_url) == "0016_deadlines"
    assert _tables(scratch_url) == tables_before  # account_leases, created before the failure, was rolled back


def test_an_unreachable_store_is_said_without_a_traceback(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://bench@127.0.0.1:{port}/magazyn"
    with pytest.raises(TeamStoreUnreachableError):
        upgrade_team_store(parse_store_address(url))
    refused = run_app(["migrate", "--store", url, "--data-dir", str(tmp_path / "d")])
    assert refused.returncode == 6
    assert "Nie można połączyć się z bazą zespołu" in refused.stderr and "Traceback" not in refused.stderr


def test_a_plaintext_address_to_a_remote_server_is_refused_before_connecting(tmp_path: Path) -> None:
    refused = run_app(["migrate", "--store", "postgresql://bench@192.0.2.10/magazyn?sslmode=disable",
                       "--data-dir", str(tmp_path / "d"), "--lang", "en"])
    assert refused.returncode != 0
    assert "would not be encrypted" in refused.stderr and "--store-allow-plaintext" in refused.stderr


def test_a_bench_role_on_a_newer_store_is_told_to_update_not_to_call_the_administrator(
        scratch_url: str, data_only_role: str) -> None:
    upgrade_team_store(parse_store_address(scratch_url))
    with psycopg.connect(scratch_url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    with pytest.raises(TeamSchemaNewerError):
        upgrade_team_store(parse_store_address(_as_role(scratch_url, data_only_role)))
