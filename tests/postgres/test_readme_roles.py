"""The README's SQL for an administrator gives what it promises: the owner upgrades the schema, a bench with data
rights only runs a sync on it and is refused a schema change."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from magazyn_desktop.store.schema_version import HEAD_REVISION
from tests.launch.helpers import run_app
from tests.postgres_server import database_url

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_sql() -> str:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- team-roles-sql -->\n```sql\n(.*?)```", text, re.S)
    assert block is not None, "README.md lacks the SQL block after <!-- team-roles-sql -->"
    return block.group(1)


@pytest.fixture
def roles(postgres_url: str) -> Iterator[dict[str, str]]:
    suffix = f"{os.getpid()}"
    names = {"owner": f"owner_{suffix}", "bench": f"bench_{suffix}", "database": f"team_{suffix}"}
    yield names
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{names["database"]}" WITH (FORCE)')
        for role in (names["bench"], names["owner"]):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_the_readme_roles_let_the_owner_upgrade_and_the_bench_work(postgres_url: str, roles: dict[str, str],
                                                                    tmp_path: Path) -> None:
    sql = (_readme_sql().replace("magazyn_owner", roles["owner"]).replace("magazyn_bench", roles["bench"])
           .replace("DATABASE magazyn ", f'DATABASE {roles["database"]} ')
           .replace("\\connect magazyn", f"\\connect {roles['database']}"))
    connection = psycopg.connect(postgres_url, autocommit=True)
    try:
        for statement in (part.strip() for part in re.split(r";\s*\n|\n(?=\\connect)", sql)):
            if statement.startswith("\\connect "):
                connection.close()
                connection = psycopg.connect(database_url(postgres_url, statement.split()[1]), autocommit=True)
            elif statement:
                connection.execute(statement)  # type: ignore[arg-type]
    finally:
        connection.close()
    server = database_url(postgres_url, roles["database"])
    as_owner = server.replace("postgres@", f"{roles['owner']}@", 1)
    as_bench = server.replace("postgres@", f"{roles['bench']}@", 1)

    refused = run_app(["migrate", "--store", as_bench, "--data-dir", str(tmp_path / "b"), "--lang", "en"])
    assert refused.returncode != 0 and "Ask the administrator to run" in refused.stderr
    migrated = run_app(["migrate", "--store", as_owner, "--data-dir", str(tmp_path / "o")])
    assert migrated.returncode == 0, migrated.stderr
    assert json.loads(migrated.stdout.strip().splitlines()[-1])["revision"] == HEAD_REVISION
    synced = run_app(["sync", "--once", "--demo", "--store", as_bench, "--data-dir", str(tmp_path / "b")])
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout.strip().splitlines()[-1])
    assert report["conversations_added"] > 0 and report["errors"] == []
