"""`sync --once` against the loopback stand-in when Allegro's answers cannot be trusted or ask it to wait:
nothing is lost for good, nothing waits for minutes, and no token reaches the report, the log or the database."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from magazyn_desktop.paths import DATABASE_NAME
from tests.e2e.conftest import StandIn, as_sets, read_cache, sync_once

pytestmark = pytest.mark.slow

FAR_FUTURE = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)


def test_retry_after_ends_the_sync_at_once_and_says_how_long(stand_in: StandIn, data_dir: Path) -> None:
    stand_in.demo.faults.rate_limit, stand_in.demo.faults.retry_after = 0, 120.0
    began = time.monotonic()
    result, report = sync_once(stand_in, data_dir)
    assert time.monotonic() - began < 60  # it used to retry for eight minutes
    assert report["retry_after"] == 120.0 and report["requests"] == {"GET /messaging/threads": 1}
    assert result.returncode == 1 and any("120 s" in error for error in report["errors"])
    assert "Traceback" not in result.stderr


def test_an_echoed_token_is_recorded_nowhere(stand_in: StandIn, data_dir: Path) -> None:
    stand_in.demo.faults.echo_token = 1
    result, report = sync_once(stand_in, data_dir)
    assert report["errors"]
    log_text = (data_dir / "logs" / "magazyn-desktop.log").read_text(encoding="utf-8")
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        stored = " ".join(str(row[0]) for row in connection.execute("SELECT last_error FROM sync_cursors"))
    finally:
        connection.close()
    for place, text in (("stdout", result.stdout), ("stderr", result.stderr), ("log", log_text), ("db", stored)):
        assert stand_in.token not in text, place
    assert "[redacted]" in stored


def test_a_far_future_thread_and_an_empty_answer_lose_nothing(stand_in: StandIn, data_dir: Path) -> None:
    demo = stand_in.demo
    newest = max(demo.data.threads.values(), key=lambda t: t.last_message_at).id
    demo.stamp_last_message(newest, FAR_FUTURE)
    demo.faults.empty_answers = 1
    _, first = sync_once(stand_in, data_dir)
    assert first["errors"] == [] and len(first["warnings"]) >= 2
    demo.touch_random(30, seed=9)
    _, second = sync_once(stand_in, data_dir)
    assert second["errors"] == []
    cache = read_cache(data_dir / DATABASE_NAME)
    assert as_sets(cache.messages) == as_sets(stand_in.conversations())
