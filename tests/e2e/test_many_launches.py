"""Twelve launches at once, each asking for a different conversation: one window, and every conversation opened.

This is what a barcode scanner or a link handler does on a busy bench. The conversations are threads and issues
from the stand-in's data set; the data folder is new, so the primary also creates the database and runs the first
sync while the other launches knock.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from magazyn_desktop.store.schema_version import HEAD_REVISION
from tests.e2e.conftest import StandIn
from tests.launch.helpers import APP

pytestmark = pytest.mark.slow

LAUNCHES = 12


PRIMARY_GRACE = 20.0  # seconds the primary gets, once every launch has been heard, to show what they asked for


def _collect(processes: list[subprocess.Popen[str]]) -> list[tuple[str, str]]:
    """Wait for the launches. The eleven secondaries end once the primary acknowledged them; the primary then has
    PRIMARY_GRACE seconds to display the twelve conversations and exit (not the smoke test's own 60 s timeout:
    opening cached conversations takes milliseconds, and a primary stuck waiting should fail fast)."""
    outputs: dict[int, tuple[str, str]] = {}
    deadline = time.monotonic() + 180
    while len(outputs) < len(processes) - 1:
        if time.monotonic() > deadline:
            pytest.fail("the launches did not end within 180 s")
        for index, process in enumerate(processes):
            if index not in outputs and process.poll() is not None:
                outputs[index] = process.communicate()
        time.sleep(0.05)
    for index, process in enumerate(processes):
        if index in outputs:
            continue
        try:
            outputs[index] = process.communicate(timeout=PRIMARY_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
            pytest.fail(f"every launch was acknowledged, but the primary (pid {process.pid}) had not displayed "
                        f"every conversation {PRIMARY_GRACE:.0f} s later:\n{err[-3000:]}")
    return [outputs[index] for index in range(len(processes))]


def test_twelve_launches_open_twelve_conversations_in_one_window(stand_in: StandIn, data_dir: Path) -> None:
    # Both kinds, so the activation path also meets the kind detection: 8 threads and 4 issues.
    wanted = stand_in.thread_ids()[:8] + stand_in.issue_ids()[:4]
    assert len(set(wanted)) == LAUNCHES
    env = stand_in.env()
    processes = [
        subprocess.Popen([*APP, "--data-dir", str(data_dir), "--open", conversation_id, "--smoke-test",
                          "--smoke-expect-activations", str(LAUNCHES - 1)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for conversation_id in wanted
    ]
    try:
        outputs = _collect(processes)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()

    printed = [(process, out) for process, (out, _err) in zip(processes, outputs) if out.strip()]
    assert len(printed) == 1, [out for _process, out in printed]  # exactly one primary, one window
    primary, out = printed[0]
    lines = [line for line in out.splitlines() if line.startswith("{")]
    assert len(lines) == 1, out
    report = json.loads(lines[0])
    assert report["revision"] == HEAD_REVISION
    own = wanted[processes.index(primary)]
    others = {process.pid: conversation_id for process, conversation_id in zip(processes, wanted)
              if process is not primary}
    # Every other launch delivered its own conversation, once.
    assert sorted((a["pid"], a["open"]) for a in report["activations"]) == sorted(others.items())
    assert report["opened"] == own
    # One window showed every conversation asked for, each launch ended by itself, and all of them with 0.
    assert sorted(set(report["displayed"]) & set(wanted)) == sorted(wanted), report["displayed"]
    assert report["timed_out"] is False
    codes = [process.returncode for process in processes]
    assert codes == [0] * LAUNCHES, [(code, err[-2000:]) for code, (_out, err) in zip(codes, outputs) if code]
