"""The suite's own guards: a test that leaves Qt work running fails, and says where the work was started."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py")

LEAKY_TESTS = '''
from PySide6.QtCore import QRunnable, QThreadPool, QTimer
import threading

released = threading.Event()


class Waits(QRunnable):
    def run(self) -> None:
        released.wait(10)


def test_leaves_a_timer(qtbot):
    timer = QTimer()
    timer.start(60_000)
    test_leaves_a_timer.timer = timer  # kept alive past the test, as a forgotten attribute would be


def test_leaves_a_task_in_a_private_pool(qtbot):
    pool = QThreadPool()
    pool.start(Waits())
    test_leaves_a_task_in_a_private_pool.pool = pool
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 1)
    threading.Timer(0.5, released.set).start()


def test_stops_its_timer(qtbot):
    timer = QTimer()
    timer.start(60_000)
    timer.stop()
'''


def test_leaked_timers_and_pool_tasks_fail_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nqt_api = pyside6\n")
    pytester.makepyfile(test_leaky=LEAKY_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=2)
    output = result.stdout.str()
    assert "a QTimer (60000 ms) started at test_leaky.py:" in output
    assert "a QThreadPool task started at test_leaky.py:" in output
