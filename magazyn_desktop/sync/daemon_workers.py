"""A few worker threads that never hold the process's exit.

concurrent.futures.ThreadPoolExecutor joins its threads when the interpreter exits, so one fetch hung on a server
that never answers would keep a quitting app alive for as long as the request waits. These threads are daemons: a
cancelled sync that is abandoned at quit dies with the process. The futures are ordinary ones, for `wait()`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from queue import SimpleQueue
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple["Future[Any]", Callable[..., Any], tuple[Any, ...]]


class DaemonWorkers:
    def __init__(self, workers: int, name: str) -> None:
        if workers < 1:
            raise ValueError("at least one worker")
        self._jobs: SimpleQueue[_Job | None] = SimpleQueue()
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{n}", daemon=True) for n in range(workers)]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((future, fn, args))
        return future

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, fn, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - the future carries every failure to its waiter
                future.set_exception(exc)

    def close(self) -> None:
        """Let the workers finish what they were given, then end them."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> DaemonWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
