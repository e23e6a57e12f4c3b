"""The window started while a scheduled `sync --once` holds the data folder: the sync hands over and the window opens.

The sync is held at the stand-in on its first message fetch, so it is certainly running (lock held, half way) when the
window starts; it is let go once the window has asked for the folder.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest

from magazyn_desktop.paths import AppPaths
from tests.e2e.conftest import Call, StandIn, sync_once, wait_for_event
from tests.launch.helpers import APP

pytestmark = pytest.mark.slow


def test_the_sync_hands_the_folder_over_to_a_starting_window(stand_in: StandIn, data_dir: Path) -> None:
    paths = AppPaths(data_dir)
    first, _ = sync_once(stand_in, data_dir)
    assert first.returncode == 0, first.stderr[-3000:]
    for thread_id in stand_in.thread_ids(open_only=True)[:5]:
        stand_in.demo.add_buyer_message(thread_id, "Czy paczka już wyszła?")

    arrived, released = threading.Event(), threading.Event()

    def hold(_call: Call) -> None:
        arrived.set()
        released.wait(timeout=120)

    stand_in.hooks.add(lambda call: call.is_message_fetch, hold)
    sync = subprocess.Popen([*APP, "sync", "--once", "--data-dir", str(data_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=stand_in.env())
    window = None
    try:
        wait_for_event(arrived, timeout=60, what="the sync's first message fetch", alive=sync)
        window = subprocess.Popen([*APP, "--data-dir", str(data_dir), "--smoke-test"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=stand_in.env())
        assert window.stderr is not None
        early_log = []
        for line in window.stderr:  # the window has asked for the folder once it says it waits
            early_log.append(line)
            if "waiting for the background sync" in line:
                break
        assert paths.handover_file.exists(), "".join(early_log)[-3000:]
        released.set()
        sync_out, sync_err = sync.communicate(timeout=60)
        window_out, window_err = window.communicate(timeout=180)
        window_err = "".join(early_log) + window_err
    finally:
        released.set()
        for process in (sync, window):
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()

    assert sync.returncode == 0, sync_err[-3000:]
    sync_report = json.loads([line for line in sync_out.splitlines() if line.startswith("{")][0])
    assert sync_report["handed_over"] is True
    assert window.returncode == 0, window_err[-3000:]
    window_report = json.loads([line for line in window_out.splitlines() if line.startswith("{")][0])
    assert window_report["conversations"] > 0 and window_report["opened"]
    assert "waiting for the background sync" in window_err
    assert not paths.handover_file.exists()
