"""Quitting while network work hangs (a server that took the request and never answers) takes at most 2 s."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from ui_sample_data import FakeBackend, FakeReport, FakeSync


class HangingSync(FakeSync):
    """A sync stuck in a request that never returns, deaf to cancellation (as a blocked socket read is)."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.release = threading.Event()

    def run_once(self, progress: Callable[[Any], None], cancelled: Callable[[], bool]) -> FakeReport:
        self.started.set()
        self.release.wait(30)
        return FakeReport()


def test_quitting_abandons_a_hanging_sync_within_two_seconds(qtbot: Any, make_window: Callable[..., Any],
                                                             fake_backend: FakeBackend) -> None:
    hanging = HangingSync()
    fake_backend.sync = hanging
    window = make_window(start=False)
    window.start_background_work()
    qtbot.waitUntil(hanging.started.is_set, timeout=5000)
    began = time.monotonic()
    try:
        window.shutdown()
        assert time.monotonic() - began < 2.5
        assert fake_backend.closed
    finally:
        hanging.release.set()
