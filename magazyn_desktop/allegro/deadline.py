"""A time limit for everything one piece of work asks Allegro, however many requests and retries it takes.

The limit lives in a context variable, so the code between the caller and the transport needs no extra argument;
threads started for the work must run in a copy of the caller's context (`contextvars.copy_context().run`) to keep
it. Outside any limit, requests use their own timeouts and retries as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    at: float  # on `clock`
    clock: Callable[[], float]

    def remaining(self) -> float:
        return self.at - self.clock()


_current: ContextVar[Deadline | None] = ContextVar("allegro_deadline", default=None)


def current_deadline() -> Deadline | None:
    return _current.get()


@contextmanager
def run_deadline(seconds: float, clock: Callable[[], float]) -> Iterator[Deadline]:
    """Requests made inside (in this context) end by `seconds` from now on `clock`; an inner limit never extends
    an outer one."""
    deadline = Deadline(clock() + seconds, clock)
    outer = _current.get()
    if outer is not None and outer.clock is clock and outer.at < deadline.at:
        deadline = outer
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)
