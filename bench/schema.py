"""Schema benchmarks: the at-head revision check, 1,000,000-message upgrades (from the first revision, and from the
one before head), the backup against a file copy, and with --fixture the upgrade of the window benchmark's cache
(bench/fixture.py: its orders, waybills and line items included) from the revision before head.

Run: python -m bench.schema [--messages N] [--fixture 1k|10k|100k]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import fill_messages, median_seconds, ratio_line
from bench.painted import verdict


TARGET_AT_HEAD_MS = 10.0


def at_head_line(name: str, median_ms: float) -> str:
    return (f"{name}: {median_ms:.2f} ms median of 200 (target under {TARGET_AT_HEAD_MS:.0f} ms) -> "
            f"{verdict(median_ms, TARGET_AT_HEAD_MS)}")


def run(messages: int) -> list[str]:
    from magazyn_desktop.store.migrate import backup_database, run_alembic_upgrade, upgrade_to_head
    from magazyn_desktop.store.schema_version import KNOWN_REVISIONS, read_schema_status

    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="magazyn-bench-") as folder:
        root = Path(folder)
        database = root / "bench.sqlite3"
        run_alembic_upgrade(database, target=KNOWN_REVISIONS[0])
        per_conversation = 20
        fill_messages(database, conversations=max(1, messages // per_conversation),
                      messages_per_conversation=per_conversation)
        size_mb = database.stat().st_size / 1e6

        backup_s = median_seconds(lambda: backup_database(database, root / "backups", keep=1), repeat=3)
        copy_s = median_seconds(lambda: shutil.copyfile(database, root / "plain-copy.sqlite3"), repeat=3)
        lines.append(ratio_line(f"backup of a {size_mb:.0f} MB database (backup API vs file copy)",
                                backup_s, copy_s, "informational: the backup API is the price of WAL safety"))

        started = time.perf_counter()
        result = upgrade_to_head(database, backups=root / "backups", quarantine=root / "damaged")
        upgrade_s = time.perf_counter() - started
        assert result.upgraded
        lines.append(ratio_line(f"upgrade {KNOWN_REVISIONS[0]} -> head with {messages:,} messages "
                                "(backup + migrations + search index) vs file copy", upgrade_s, copy_s,
                                "informational"))
        lines.append(f"upgrade {KNOWN_REVISIONS[0]} -> head with {messages:,} messages: {upgrade_s:.1f} s")

        # A cache the previous build left: the last upgrade alone (with its backup), the search index rebuilt.
        previous = root / "previous.sqlite3"
        run_alembic_upgrade(previous, target=KNOWN_REVISIONS[-2])
        fill_messages(previous, conversations=max(1, messages // per_conversation),
                      messages_per_conversation=per_conversation)
        started = time.perf_counter()
        result = upgrade_to_head(previous, backups=root / "backups", quarantine=root / "damaged")
        last_s = time.perf_counter() - started
        assert result.upgraded and result.before == KNOWN_REVISIONS[-2]
        lines.append(f"upgrade {KNOWN_REVISIONS[-2]} -> head with {messages:,} messages (backup + the last "
                     f"revision): {last_s:.1f} s")

        check_s = median_seconds(lambda: read_schema_status(database), repeat=200)
        lines.append(at_head_line("at-head revision check", check_s * 1000))
        no_op_s = median_seconds(lambda: upgrade_to_head(database, backups=root / "b", quarantine=root / "q"), 200)
        lines.append(at_head_line("launch step 'migrate' at head", no_op_s * 1000))
    return lines


def _downgrade(database: Path, target: str) -> None:
    """The schema taken back to `target` by the revisions' own downgrades, as an older build left it."""
    from alembic import command
    from alembic.config import Config

    from magazyn_desktop.bundle import migrations_dir
    from magazyn_desktop.store.db import create_engine_for

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    engine = create_engine_for(database)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, target)
    finally:
        engine.dispose()


def run_fixture(size: str) -> list[str]:
    """The upgrade from the revision before head of a copy of the fixture's cache: the launch's whole step (checks,
    backup, revision), and the revision alone on a second copy, its wall and CPU time."""
    import sqlite3

    from bench.fixture import FixtureSpec, fixture, working_copy
    from magazyn_desktop.store.migrate import run_alembic_upgrade, upgrade_to_head
    from magazyn_desktop.store.schema_version import KNOWN_REVISIONS

    built = fixture(FixtureSpec.of_size(size))
    previous = KNOWN_REVISIONS[-2]
    with tempfile.TemporaryDirectory(prefix="magazyn-bench-") as folder:
        root = Path(folder)
        copies = []
        for name in ("whole", "alone"):
            database = working_copy(built, root / name) / built.database.name
            _downgrade(database, previous)
            copies.append(database)
        connection = sqlite3.connect(copies[0])
        conversations, orders, waybills = (connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                                           for table in ("conversations", "orders", "tracking_numbers"))
        connection.close()
        size_mb = copies[0].stat().st_size / 1e6
        started = time.perf_counter()
        result = upgrade_to_head(copies[0], backups=root / "backups", quarantine=root / "damaged")
        whole_s = time.perf_counter() - started
        assert result.upgraded and result.before == previous
        started, cpu_started = time.perf_counter(), time.process_time()
        run_alembic_upgrade(copies[1])
        alone_s, alone_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    return [f"upgrade {previous} -> head of the {size} fixture ({conversations:,} conversations, "
            f"{built.spec.messages:,} messages, {orders:,} cached orders, {waybills:,} waybills; {size_mb:.0f} MB): "
            f"the launch's step (checks, backup, revision) {whole_s:.1f} s; the revision alone {alone_s:.1f} s "
            f"(CPU {alone_cpu_s:.1f} s)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--fixture", choices=("1k", "10k", "100k"), help="also upgrade a copy of this fixture")
    args = parser.parse_args()
    for line in run(args.messages):
        print(line, flush=True)
    if args.fixture:
        for line in run_fixture(args.fixture):
            print(line, flush=True)


if __name__ == "__main__":
    main()
