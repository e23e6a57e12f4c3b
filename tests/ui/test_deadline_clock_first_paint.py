"""The list's first paint does not wait for the holiday tables: until they are loaded its rows' time left comes from
a provisional clock, and the real one takes its place once they are."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from magazyn_desktop.domain import business_calendar
from magazyn_desktop.ui.deadline_marks import SharedDeadlineClock

NOW = datetime(2031, 6, 2, 10, 0, tzinfo=timezone.utc)  # a year no other test has loaded


def test_the_shared_clock_is_provisional_until_the_calendar_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded_before = business_calendar.calendar_loaded(NOW)
    shared = SharedDeadlineClock(lambda: NOW)
    if loaded_before:
        pytest.skip("another test loaded that year's calendar first")
    assert shared.clock().provisional
    assert not business_calendar.calendar_loaded(NOW)  # asking for the clock loads nothing
    business_calendar.load_calendar(NOW)
    assert business_calendar.calendar_loaded(NOW)
    assert not shared.clock().provisional  # the next pass uses the real calendar
