"""Schema benchmarks: the at-head revision check, 1,000,000-message upgrades (from the first revision, and from the
one before head, which rebuilds the search index), and the backup against a file copy.

Run: python -m bench.schema [--messages N]
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
        lines.append(f"upgrade {KNOWN_REVISIONS[-2]} -> head with {messages:,} messages (backup + search index "
                     f"rebuilt): {last_s:.1f} s")

        check_s = median_seconds(lambda: read_schema_status(database), repeat=200)
        lines.append(at_head_line("at-head revision check", check_s * 1000))
        no_op_s = median_seconds(lambda: upgrade_to_head(database, backups=root / "b", quarantine=root / "q"), 200)
        lines.append(at_head_line("launch step 'migrate' at head", no_op_s * 1000))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    for line in run(args.messages):
        print(line)


if __name__ == "__main__":
    main()
