"""The worker bridge: result or error on the GUI thread, superseded tasks dropped, shutdown joins."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from shiboken6 import Shiboken

from magazyn_desktop.ui.workers import CancelToken, WorkerPool


@pytest.fixture
def make_pool() -> Any:
    """Pools that are shut down and freed at the end of the test, not left to the garbage collector."""
    pools: list[WorkerPool] = []

    def make(max_threads: int = 2) -> WorkerPool:
        pools.append(WorkerPool(max_threads=max_threads))
        return pools[-1]

    yield make
    for pool in pools:
        pool.shutdown()
        Shiboken.delete(pool)


def test_result_arrives_on_the_gui_thread(qtbot: Any, make_pool: Any) -> None:
    pool = make_pool(2)
    seen: list[tuple[Any, bool]] = []
    worker_threads: list[int] = []

    def work(_token: CancelToken) -> int:
        worker_threads.append(threading.get_ident())
        return 42

    with qtbot.waitSignal(pool.task_finished, timeout=5000):
        pool.submit(work, on_result=lambda value: seen.append((value, threading.get_ident())))
    assert seen == [(42, threading.get_ident())]
    assert worker_threads and worker_threads[0] != threading.get_ident()
    pool.shutdown()


def test_error_arrives_as_error(qtbot: Any, make_pool: Any) -> None:
    pool = make_pool()
    errors: list[BaseException] = []

    def fail(_token: CancelToken) -> None:
        raise ValueError("nope")

    with qtbot.waitSignal(pool.task_finished, timeout=5000):
        pool.submit(fail, on_result=lambda _v: None, on_error=errors.append)
    assert isinstance(errors[0], ValueError)
    pool.shutdown()


def test_a_newer_task_in_a_channel_drops_the_older_result(qtbot: Any, make_pool: Any) -> None:
    pool = make_pool(2)
    release = threading.Event()
    results: list[str] = []

    def slow(_token: CancelToken) -> str:
        release.wait(5)
        return "old"

    pool.submit(slow, on_result=results.append, channel="conversation")
    with qtbot.waitSignal(pool.task_finished, timeout=5000):
        pool.submit(lambda _token: "new", on_result=results.append, channel="conversation")
    release.set()
    qtbot.waitUntil(lambda: pool.active_count() == 0, timeout=5000)
    assert results == ["new"]
    pool.shutdown()


def test_shutdown_cancels_and_waits(qtbot: Any, make_pool: Any) -> None:
    pool = make_pool(1)
    started = threading.Event()
    saw_cancel: list[bool] = []

    def cooperative(token: CancelToken) -> None:
        started.set()
        while not token.cancelled:
            token_wait = threading.Event()
            token_wait.wait(0.01)
        saw_cancel.append(True)

    results: list[Any] = []
    pool.submit(cooperative, on_result=results.append)
    pool.submit(lambda _t: "never started", on_result=results.append)
    assert started.wait(5)
    assert pool.shutdown(5000)
    assert saw_cancel == [True]
    qtbot.waitUntil(lambda: pool.active_count() == 0, timeout=1000)  # queued deliveries are dropped
    assert results == []
    pool.shutdown()  # idempotent


def test_superseded_network_tasks_keep_their_slot_until_they_end(qtbot: Any) -> None:
    """Only shutting down abandons a task: a superseded one still counts against the thread limit, so quick
    switching between conversations never runs more requests at once than the pool allows."""
    pool = WorkerPool(max_threads=1, abandonable=True)
    release = threading.Event()
    running: list[str] = []
    lock = threading.Lock()
    most_at_once = 0

    def request(name: str) -> Any:
        def run(_token: CancelToken) -> str:
            nonlocal most_at_once
            with lock:
                running.append(name)
                most_at_once = max(most_at_once, len(running))
            release.wait(10)  # a blocked socket read: deaf to the token
            with lock:
                running.remove(name)
            return name
        return run

    try:
        pool.submit(request("first"), channel="conversation")
        qtbot.waitUntil(lambda: running == ["first"], timeout=5000)
        pool.submit(request("second"), channel="conversation")  # supersedes the first
        with pytest.raises(qtbot.TimeoutError):  # the second waits for the first's slot...
            qtbot.waitUntil(lambda: "second" in running, timeout=500)
        assert running == ["first"] and most_at_once == 1
        release.set()  # ...and runs once it is free
        qtbot.waitUntil(lambda: "second" not in running and most_at_once == 1 and pool.active_count() == 0,
                        timeout=5000)
        qtbot.waitUntil(lambda: pool.active_count() == 0, timeout=5000)
        assert most_at_once == 1
    finally:
        release.set()
        pool.shutdown()
        Shiboken.delete(pool)


class _Resource:
    """Stands for a backend or a sign-in flow: something that must be closed when nobody takes it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_a_superseded_result_is_disposed_of(qtbot: Any, make_pool: Any) -> None:
    pool = make_pool(2)
    release, started = threading.Event(), threading.Event()
    old, new = _Resource("old"), _Resource("new")
    taken: list[_Resource] = []

    def slow(_token: CancelToken) -> _Resource:
        started.set()
        release.wait(5)
        return old

    pool.submit(slow, on_result=taken.append, dispose=lambda resource: resource.close(), channel="backend")
    assert started.wait(5)
    with qtbot.waitSignal(pool.task_finished, timeout=5000):
        pool.submit(lambda _token: new, on_result=taken.append, dispose=lambda resource: resource.close(),
                    channel="backend")
    release.set()
    qtbot.waitUntil(lambda: pool.active_count() == 0, timeout=5000)
    assert taken == [new] and not new.closed
    assert old.closed  # overtaken by the newer one: closed, not leaked


def test_a_result_of_an_invalidated_channel_is_disposed_of(qtbot: Any, make_pool: Any) -> None:
    pool = make_pool(1)
    release, started = threading.Event(), threading.Event()
    flow = _Resource("sign-in")

    def start(_token: CancelToken) -> _Resource:
        started.set()
        release.wait(5)
        return flow  # a request under way cannot be called back: its answer arrives anyway

    pool.submit(start, on_result=lambda _r: pytest.fail("a cancelled sign-in must not go on"),
                dispose=lambda resource: resource.close(), channel="sign-in")
    assert started.wait(5)
    pool.invalidate("sign-in")
    with qtbot.waitSignal(pool.task_finished, timeout=5000):
        release.set()
    assert flow.closed


def test_progress_reaches_the_gui_thread_in_order_and_stops_with_the_task(qtbot: Any, make_pool: Any) -> None:
    pool = make_pool(1)
    seen: list[tuple[int, int]] = []

    def work(token: CancelToken) -> str:
        for step in range(3):
            token.report(step)
        return "done"

    with qtbot.waitSignal(pool.task_finished, timeout=5000):
        pool.submit(work, on_progress=lambda value: seen.append((value, threading.get_ident())))
    assert seen == [(0, threading.get_ident()), (1, threading.get_ident()), (2, threading.get_ident())]


@pytest.mark.parametrize("raised", [SystemExit(3), KeyboardInterrupt()])
def test_system_exit_and_keyboard_interrupt_are_not_swallowed_as_a_failure(
    qtbot: Any, raised: BaseException
) -> None:
    fatal: list[BaseException] = []
    failures: list[BaseException] = []
    pool = WorkerPool(max_threads=1, fatal=fatal.append)
    try:
        def work(_token: CancelToken) -> None:
            raise raised

        with qtbot.waitSignal(pool.task_finished, timeout=5000):
            pool.submit(work, on_error=failures.append)
        assert failures == []  # not shown as "it failed, try again"
        assert fatal == [raised]  # but handed on: the application ends
    finally:
        pool.shutdown()
        Shiboken.delete(pool)


def test_a_failure_nobody_handles_is_shown_not_only_logged(qtbot: Any) -> None:
    shown: list[BaseException] = []
    pool = WorkerPool(max_threads=1, unhandled=shown.append)
    try:
        def work(_token: CancelToken) -> None:
            raise KeyError("bug")

        with qtbot.waitSignal(pool.task_finished, timeout=5000):
            pool.submit(work)
        assert len(shown) == 1 and isinstance(shown[0], KeyError)

        def broken_handler(_value: object) -> None:
            raise RuntimeError("a bug in the handler")

        with qtbot.waitSignal(pool.task_finished, timeout=5000):
            pool.submit(lambda _token: 1, on_result=broken_handler)
        assert len(shown) == 2 and isinstance(shown[1], RuntimeError)
    finally:
        pool.shutdown()
        Shiboken.delete(pool)
