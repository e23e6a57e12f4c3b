"""A disk that fills up during `sync --once`: one clear message, the report still printed, the queued reply kept and
sent once there is room again, and the database never moved aside.

The data folder lives on a 2 MB tmpfs the test mounts (root only). The disk is filled at a chosen moment: a message
fetch in the middle of the sync, once some of it is committed to the WAL.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from magazyn_desktop.paths import DATABASE_NAME
from magazyn_desktop.store.repository import Store
from magazyn_desktop.fake_allegro import DemoData
from tests.e2e.conftest import DATA_SEED, Call, StandIn, sync_once, wait_until
from tests.launch.helpers import run_app

pytestmark = pytest.mark.slow

REQUIRE_TMPFS_ENV = "MAGAZYN_REQUIRE_TMPFS"
REPLY = "Dzień dobry, paczka wyjdzie jutro rano."


def _cannot_mount(reason: str) -> None:
    if os.environ.get(REQUIRE_TMPFS_ENV) == "1":
        pytest.fail(f"{REQUIRE_TMPFS_ENV}=1 but the full-disk test cannot run: {reason}")
    pytest.skip(f"the full-disk test needs a small tmpfs: {reason}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system of its own, unmounted after the test whatever happens."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        _cannot_mount("mounting a tmpfs needs root")
    if shutil.which("mount") is None:
        _cannot_mount("there is no mount command")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        _cannot_mount(f"mount failed: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(mount_point)], check=True)  # a process still had a file open


def _fill(filler: Path) -> None:
    """Write until the file system refuses even one more byte."""
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for chunk in (65536, 4096, 1):
            while True:
                try:
                    os.write(descriptor, b"\0" * chunk)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
                    break
    finally:
        os.close(descriptor)


def _account_id(database: Path) -> int:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT id FROM accounts WHERE environment = 'custom'").fetchone()[0])
    finally:
        connection.close()


def _outbox(database: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT text, state FROM outbox ORDER BY id").fetchall()
    finally:
        connection.close()


def _header_and_file_bytes(database: Path) -> tuple[int, int]:
    """The size the main file's header promises, and the size it has."""
    header = database.read_bytes()[:100]
    return int.from_bytes(header[28:32], "big") * int.from_bytes(header[16:18], "big"), database.stat().st_size


def _quarantined(data_dir: Path) -> list[Path]:
    folder = data_dir / "damaged"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def stand_in(start_stand_in: Callable[..., StandIn]) -> StandIn:
    """A small account: its first sync, WAL included, fits the small disk with room to spare."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return start_stand_in(data=DemoData.generate(threads=12, post_purchase_threads=1, issues=3, seed=DATA_SEED,
                                                 now=now))


def test_a_full_disk_during_sync_loses_nothing(stand_in: StandIn, small_disk: Path) -> None:
    data_dir = small_disk / "data"
    database = data_dir / DATABASE_NAME
    first, _ = sync_once(stand_in, data_dir)
    assert first.returncode == 0, first.stderr[-3000:]

    conversation_id = stand_in.thread_ids(open_only=True)[0]
    store = Store.open(database)
    try:
        store.add_outbox_entry(_account_id(database), conversation_id, REPLY)
    finally:
        store.close()
    for n, thread_id in enumerate(stand_in.thread_ids(open_only=True)[:20]):  # enough new text to need new pages
        stand_in.demo.add_buyer_message(thread_id, f"Wiadomość {n}: " + "gdzie jest moja paczka? " * 80)

    # The disk fills at the sixth message fetch, once the sync has committed something to the WAL: the checkpoint
    # when it closes then runs out of room half way, which is what left the main file shorter than its header.
    filler = small_disk / "filler"
    wal = Path(f"{database}-wal")
    message_fetches = itertools.count(1)

    def fill_once_committed(_call: Call) -> None:
        wait_until(lambda: wal.exists() and wal.stat().st_size > 0, timeout=60, what="a commit to the WAL")
        _fill(filler)

    stand_in.hooks.add(lambda call: call.is_message_fetch and next(message_fetches) == 6, fill_once_committed)
    full, report = sync_once(stand_in, data_dir)

    assert full.returncode == 1
    assert "Traceback" not in full.stderr and "Logging error" not in full.stderr, full.stderr[-4000:]
    assert len(re.findall(r"brak miejsca na dysku", full.stderr, re.IGNORECASE)) == 1, full.stderr[-4000:]
    assert re.search(r"wolne \d+ MB", full.stderr), full.stderr[-2000:]
    assert report["disk_full"] is True and report["errors"], report
    assert report["requests"].get("GET /messaging/threads/{id}/messages", 0) >= 6, report  # what the run did
    assert _outbox(database) == [(REPLY, "queued")]
    assert _quarantined(data_dir) == []
    assert stand_in.demo.sent_messages(conversation_id) == []
    promised, present = _header_and_file_bytes(database)
    assert promised > present and wal.stat().st_size > 0  # the state the old size check called truncated

    # Still full: the lock file cannot be written. The refusal says so instead of naming a process.
    refused = run_app(["sync", "--once", "--data-dir", str(data_dir)], env=stand_in.env())
    assert refused.returncode != 0
    assert "None" not in refused.stderr and "Traceback" not in refused.stderr, refused.stderr[-3000:]
    assert re.search(r"brak miejsca na dysku", refused.stderr, re.IGNORECASE), refused.stderr[-3000:]

    filler.unlink()
    stand_in.hooks.clear()
    after, report = sync_once(stand_in, data_dir)
    assert after.returncode == 0, after.stderr[-3000:]
    assert report["outbox"] == {"sent": 1}, report
    assert _outbox(database) == [(REPLY, "sent")]
    assert [m.text for m in stand_in.demo.sent_messages(conversation_id)] == [REPLY]
    assert _quarantined(data_dir) == [] and database.exists()
