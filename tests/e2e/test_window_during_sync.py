"""The window started while a scheduled `sync --once` holds the data folder: the sync hands over and the window opens.

The sync is held at the stand-in on its first message fetch, so it is certainly running (lock held, half way) when the
window starts; it is let go once the window has asked for the folder.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from magazyn_desktop.paths import AppPaths
from tests.e2e.conftest import Call, StandIn, sync_once, wait_for_event
from tests.launch.helpers import APP

pytestmark = pytest.mark.slow

WAITING = "waiting for the background sync"


def _json_line(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


class HeldSync:
    """A `sync --once` stopped at the stand-in on its first message fetch until `release()`."""

    def __init__(self, stand_in: StandIn, data_dir: Path) -> None:
        self._arrived, self._released = threading.Event(), threading.Event()
        stand_in.hooks.add(lambda call: call.is_message_fetch, self._hold)
        self.process = subprocess.Popen([*APP, "sync", "--once", "--data-dir", str(data_dir)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=stand_in.env())
        wait_for_event(self._arrived, timeout=60, what="the sync's first message fetch", alive=self.process)

    def _hold(self, _call: Call) -> None:
        self._arrived.set()
        self._released.wait(timeout=120)

    def release(self) -> None:
        self._released.set()


class Window:
    """A window launch (smoke test) whose log is read up to a line, then kept for the end."""

    def __init__(self, stand_in: StandIn, data_dir: Path, *extra: str) -> None:
        self.process = subprocess.Popen([*APP, "--data-dir", str(data_dir), "--smoke-test", *extra],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=stand_in.env())
        self.early_log: list[str] = []

    def read_until(self, text: str) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.early_log.append(line)
            if text in line:
                return
        pytest.fail(f"the window exited before saying {text!r}:\n{''.join(self.early_log)[-3000:]}")

    def finish(self) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=180)
        return self.process.returncode, out, "".join(self.early_log) + err


@contextmanager
def _cleanup(*processes: subprocess.Popen[str] | None) -> Iterator[None]:
    try:
        yield
    finally:
        for process in processes:
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()


@pytest.fixture
def synced(stand_in: StandIn, data_dir: Path) -> AppPaths:
    """A data folder synced once, and news on the stand-in so that the next sync has messages to fetch."""
    first, _ = sync_once(stand_in, data_dir)
    assert first.returncode == 0, first.stderr[-3000:]
    for thread_id in stand_in.thread_ids(open_only=True)[:5]:
        stand_in.demo.add_buyer_message(thread_id, "Czy paczka już wyszła?")
    return AppPaths(data_dir)


def test_the_sync_hands_the_folder_over_to_a_starting_window(stand_in: StandIn, synced: AppPaths) -> None:
    sync = HeldSync(stand_in, synced.data)
    window = None
    with _cleanup(sync.process):
        try:
            window = Window(stand_in, synced.data)
            window.read_until(WAITING)
            assert synced.handover_file.exists()
        finally:
            sync.release()
        sync_out, sync_err = sync.process.communicate(timeout=60)
        with _cleanup(window.process):
            code, window_out, window_err = window.finish()

    assert sync.process.returncode == 0, sync_err[-3000:]
    assert _json_line(sync_out)["handed_over"] is True
    assert code == 0, window_err[-3000:]
    window_report = _json_line(window_out)
    assert window_report["conversations"] > 0 and window_report["opened"]
    assert not synced.handover_file.exists()


def test_two_windows_started_during_a_sync_make_one_window(stand_in: StandIn, synced: AppPaths) -> None:
    """Both wait; one takes the folder from the sync, the other's request goes to it."""
    sync = HeldSync(stand_in, synced.data)
    windows: list[Window] = []
    with _cleanup(sync.process):
        try:
            for _ in range(2):
                windows.append(Window(stand_in, synced.data, "--smoke-expect-activations", "1"))
                windows[-1].read_until(WAITING)
        finally:
            sync.release()
        sync.process.communicate(timeout=60)
        with _cleanup(*(w.process for w in windows)):
            results = [window.finish() for window in windows]

    assert [code for code, _out, _err in results] == [0, 0], [err[-2000:] for _c, _o, err in results]
    opened = [(window, _json_line(out)) for window, (_code, out, _err) in zip(windows, results) if out.strip()]
    assert len(opened) == 1
    primary, report = opened[0]
    other = next(window for window in windows if window is not primary)
    assert [entry["pid"] for entry in report["activations"]] == [other.process.pid]
