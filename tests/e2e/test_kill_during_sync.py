"""The app is killed (SIGKILL: no clean-up at all) in the middle of a sync against a slow server.

The next start must be clean -- doctor healthy, no upgrade, the guard's stale lock taken over, the window's sync
completing -- and nothing may be lost: what was stored before the kill is whole, and afterwards the cache equals
the server's data.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from magazyn_desktop.paths import DATABASE_NAME
from magazyn_desktop.store.schema_version import HEAD_REVISION
from tests.e2e.conftest import Call, StandIn, as_sets, read_cache, sync_once, wait_for_event
from tests.launch.helpers import APP, run_app

pytestmark = pytest.mark.slow

LATENCY = 0.05  # seconds before each answer: a slow server, so the kill lands while the sync is busy
KILL_AT_FETCH = 20


def _smoke_json(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


def test_killed_during_sync_then_the_next_start_is_clean(start_stand_in, data_dir: Path) -> None:
    stand_in: StandIn = start_stand_in(latency=LATENCY)
    arrived, killed = threading.Event(), threading.Event()
    seen = {"fetches": 0}

    def due(call: Call) -> bool:
        if call.is_message_fetch:
            seen["fetches"] += 1
            return seen["fetches"] == KILL_AT_FETCH
        return False

    def hold(_call: Call) -> None:
        arrived.set()  # the app is certainly mid-sync: it waits for this answer, with other fetches in flight
        killed.wait(timeout=60)

    stand_in.hooks.add(due, hold)
    process = subprocess.Popen([*APP, "sync", "--once", "--data-dir", str(data_dir)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=stand_in.env())
    try:
        wait_for_event(arrived, timeout=60, what=f"message fetch number {KILL_AT_FETCH}", alive=process)
        process.send_signal(signal.SIGKILL)
        out, _err = process.communicate(timeout=30)
    finally:
        killed.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert out == ""  # it never got to report

    server = stand_in.conversations()
    # Whatever was stored before the kill is whole: each stored conversation has exactly the server's messages.
    partial = read_cache(data_dir / DATABASE_NAME)
    stored = as_sets(partial.synced_conversations())
    assert 0 < len(stored) < len(server)
    assert stored == {cid: messages for cid, messages in as_sets(server).items() if cid in stored}

    # The next start: doctor (read-only) finds a healthy folder whose lock nobody holds any more.
    doctor = run_app(["doctor", "--json", "--data-dir", str(data_dir)])
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    report = json.loads(doctor.stdout)
    assert report["healthy"] is True and report["problems"] == []
    assert report["schema"] == {"state": "at_head", "stored": HEAD_REVISION, "head": HEAD_REVISION}
    assert report["lock"]["held"] is False
    migrate = run_app(["migrate", "--data-dir", str(data_dir)])
    assert migrate.returncode == 0, migrate.stderr
    assert json.loads(migrate.stdout)["upgraded"] is False

    # The window starts, its first sync completes, and the cache is the server's data.
    stand_in.hooks.clear()
    window = run_app(["--data-dir", str(data_dir), "--smoke-test"], env=stand_in.env(), timeout=120)
    assert window.returncode == 0, window.stderr[-4000:]
    smoke = _smoke_json(window.stdout)
    assert smoke["timed_out"] is False and smoke["revision"] == HEAD_REVISION
    assert smoke["sync"] is not None and "error" not in smoke["sync"] and smoke["sync"]["offline"] is False
    assert smoke["conversations"] == len(server)
    assert as_sets(read_cache(data_dir / DATABASE_NAME).synced_conversations()) == as_sets(server)

    # And nothing is left over for the next sync to repair: it costs one listing per source.
    stand_in.demo.reset_counts()
    result, again = sync_once(stand_in, data_dir)
    assert result.returncode == 0 and again["errors"] == []
    assert again["conversations_added"] == again["conversations_changed"] == again["messages_added"] == 0
    # (The orders the window had no time to fetch after its sync are fetched now: that is no repair.)
    counts = {name: n for name, n in stand_in.demo.request_counts().items() if not name.startswith("GET /order/")}
    assert sum(counts.values()) <= 2, counts
