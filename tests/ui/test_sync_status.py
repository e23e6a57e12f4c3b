"""The status bar tells a sync that stopped early from one that found everything up to date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ui_sample_data import FakeBackend, FakeReport, FakeSync


@dataclass
class StoppedReport(FakeReport):
    retry_after: float | None = None
    timed_out: bool = False


class StoppingSync(FakeSync):
    def __init__(self, report: StoppedReport) -> None:
        super().__init__()
        self.report = report

    def run_once(self, progress: Callable[[Any], None], cancelled: Callable[[], bool]) -> FakeReport:
        self.runs += 1
        return self.report


def test_a_sync_stopped_by_retry_after_says_allegro_asked_for_a_pause(
    qtbot: Any, make_window: Callable[..., Any], fake_backend: FakeBackend
) -> None:
    fake_backend.sync = StoppingSync(StoppedReport(retry_after=120.0))
    window = make_window()
    assert "Allegro prosi o przerwę" in window.status_text()
    assert "Aktualne" not in window.status_text()


def test_a_sync_out_of_time_says_it_goes_on_later(qtbot: Any, make_window: Callable[..., Any],
                                                  fake_backend: FakeBackend) -> None:
    fake_backend.sync = StoppingSync(StoppedReport(timed_out=True))
    window = make_window()
    assert "trwało zbyt długo" in window.status_text()
