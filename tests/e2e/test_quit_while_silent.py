"""Closing the window while Allegro has taken a request and says nothing: the app is gone within seconds."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import StandIn, wait_until
from tests.launch.helpers import APP

pytestmark = pytest.mark.slow


def test_the_window_quits_soon_while_a_request_hangs(stand_in: StandIn, data_dir: Path) -> None:
    stand_in.demo.faults.silent = 1000  # every API request is taken and never answered
    with open(data_dir.parent / "window.out", "w") as out, open(data_dir.parent / "window.err", "w") as err:
        process = subprocess.Popen([*APP, "--data-dir", str(data_dir)], stdout=out, stderr=err, text=True,
                                   env=stand_in.env())
    try:
        wait_until(lambda: stand_in.demo.request_counts().get("GET /messaging/threads", 0) > 0, timeout=60,
                   what="the first sync's request", alive=process)
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        took = time.monotonic() - began
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, (data_dir.parent / "window.err").read_text()[-3000:]
    assert took < 6, took  # two seconds for the network work, the rest is the window closing
