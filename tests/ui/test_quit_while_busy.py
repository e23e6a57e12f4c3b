"""Quitting while network work hangs (a server that took the request and never answers) takes at most 2 s."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.fake_allegro import DemoAllegro


def test_quitting_abandons_a_hanging_sync_within_two_seconds(qtbot: Any, make_window: Callable[..., Any],
                                                             fake_allegro: DemoAllegro) -> None:
    # The first sync's first request hangs in its read until the test lets it go, whatever cancels it.
    fake_allegro.faults.silent, fake_allegro.faults.silent_until = 1, threading.Event()
    window = make_window(start=False)
    window.start_background_work()
    try:
        qtbot.waitUntil(lambda: fake_allegro.request_counts().get("GET /messaging/threads") == 1, timeout=5000)
        backend = window.backend
        assert isinstance(backend, ConnectedBackend)
        assert window._pool.is_busy("sync")  # still in that request
        began = time.monotonic()
        window.shutdown()
        assert time.monotonic() - began < 2.5
        assert backend._closed
    finally:
        fake_allegro.faults.clear()  # the abandoned request ends: nothing is left running after the test
