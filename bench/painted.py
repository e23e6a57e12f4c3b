"""What the user sees, measured from inside the GUI thread: paints of chosen widgets, and the thread's lateness.

`PaintClock` is an event filter on the widgets a result appears in; its clock stops when their paint is over, so
a figure includes drawing the pixels, not only changing a model. `Heartbeat` is a short
QTimer on the GUI thread: how late each tick comes is how long the thread was busy with something else.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, Qt, QTimer


class PaintClock(QObject):
    """Notes paints of the widgets it is installed on; `wait_for_paint` runs the loop until one comes.

    Install it on the widgets themselves, not on the application: a Python filter on every event of the process
    would slow the app down more than much of what is measured. A paint's children are painted in the same
    delivery after it, so the clock stops when the event loop gets control back: every widget drawn.
    """

    def __init__(self) -> None:
        super().__init__()
        self.last_painted_at = 0.0  # perf_counter() at the end of the latest watched paint
        self.paints = 0
        self._loop: QEventLoop | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.last_painted_at = time.perf_counter()
            self.paints += 1
            if self._loop is not None:
                self._loop.quit()  # takes effect once this delivery, children's paints included, is over
        return False

    def wait_for_paint(self, since: float, timeout_s: float = 10.0) -> float:
        """Seconds from `since` (a perf_counter() time) until a watched paint after it is over."""
        deadline = QElapsedTimer()
        deadline.start()
        while self.last_painted_at <= since:
            if deadline.elapsed() > timeout_s * 1000:
                raise TimeoutError(f"nothing watched was painted within {timeout_s} s")
            loop = QEventLoop()
            self._loop = loop
            QTimer.singleShot(int(timeout_s * 1000), loop.quit)
            loop.exec()
            self._loop = None
        return time.perf_counter() - since


@dataclass(frozen=True)
class Lateness:
    longest_ms: float
    ticks: int


class Heartbeat(QObject):
    """An `interval_ms` timer on the GUI thread, ticking for the whole run; `longest_between` reads a phase."""

    def __init__(self, interval_ms: int = 5) -> None:
        super().__init__()
        self._interval = interval_ms / 1000
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5% late by design
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._ticks: list[float] = []

    def start(self) -> None:
        self._ticks = [time.perf_counter()]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        self._ticks.append(time.perf_counter())

    def longest_between(self, start: float, end: float) -> Lateness:
        """The worst lateness of the ticks due within [start, end): a stall that began in the phase counts in it."""
        late = 0.0
        ticks = 0
        for previous, tick in zip(self._ticks, self._ticks[1:]):
            due = previous + self._interval
            if start <= due < end:
                ticks += 1
                late = max(late, tick - due)
        return Lateness(late * 1000, ticks)


def run_loop_for(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def run_loop_until(done: Callable[[], bool], timeout_s: float = 600.0) -> None:
    """Spin a real event loop (timers, queued signals, paints) until `done()` holds."""
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(2)
    check.timeout.connect(lambda: loop.quit() if done() else None)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    check.start()
    if not done():
        loop.exec()
    check.stop()
    if not done():
        raise TimeoutError(f"not done within {timeout_s} s")


class Hidden(QObject):
    """Notes when the widget it is installed on was last hidden."""

    def __init__(self) -> None:
        super().__init__()
        self.last_hidden_at = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Hide:
            self.last_hidden_at = time.perf_counter()
        return False


def verdict(measured: float, target: float) -> str:
    """PASS when `measured` is at most `target` (every target here is an upper bound)."""
    return "PASS" if measured <= target else "FAIL"
