"""What a failure means, in one small set every layer shares: the kinds the window turns into sentences.

A kind is decided where the error arises (the client's error classes carry theirs; magazyn_desktop/failures.py
reads the local ones), never guessed from names. The outbox stores a kind's value as its `error_code`, so the
values are stable codes: never rename one that a database may already hold.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FailureKind(str, enum.Enum):
    # Allegro, over the network
    OFFLINE = "OFFLINE"  # Allegro could not be reached: no connection, DNS, no answer in time
    TIMED_OUT = "TIMED_OUT"  # the time given to a piece of work (a sync run) ran out before Allegro answered
    UNAVAILABLE = "UNAVAILABLE"  # Allegro answered with its own failures (5xx) after the retries
    RATE_LIMITED = "RATE_LIMITED"  # Allegro asked to wait (429)
    SIGN_IN_NEEDED = "SIGN_IN_NEEDED"  # the token is gone or refused, or signing in did not finish
    NOT_FOUND = "NOT_FOUND"  # Allegro does not know the conversation, order or file
    REJECTED = "REJECTED"  # Allegro looked at the request and said no; its userMessage says why
    BAD_ANSWER = "BAD_ANSWER"  # an answer that is not what Allegro's contract promises
    OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN"  # a send that may have arrived: checked by re-reading, never resent blindly
    # This computer
    DISK_FULL = "DISK_FULL"
    DATABASE_LOCKED = "DATABASE_LOCKED"  # another program holds the database longer than the busy timeout
    READ_ONLY = "READ_ONLY"  # the database or the data folder cannot be written
    DAMAGED = "DAMAGED"  # SQLite itself says the database's content is unusable
    FILE_ERROR = "FILE_ERROR"  # any other file that could not be read or written
    TEAM_STORE_AWAY = "TEAM_STORE_AWAY"  # team mode: the shared database does not answer (replies wait in the spool)
    # The outbox's own outcomes, with no exception behind them
    ATTACHMENT_MISSING = "ATTACHMENT_MISSING"  # a reply's file copy is gone from the data folder
    INTERRUPTED = "INTERRUPTED"  # the program stopped while the reply was being sent
    NOT_DELIVERED = "NOT_DELIVERED"  # a re-read showed an uncertain send did not arrive; it is queued again
    DECIDED_OTHERWISE = "DECIDED_OTHERWISE"  # a re-read found a claim decided, but not as this app's decision asked
    # Ours
    BUG = "BUG"  # anything else: logged with its traceback, shown as an unexpected error


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    allegro_message: str | None = None  # Allegro's own userMessage, localised by Allegro; never a text of ours

    @property
    def offline(self) -> bool:
        """The one definition of offline: the window's banner, the poll schedule and the sync report use it."""
        return self.kind is FailureKind.OFFLINE


def stored_failure_kind(code: str | None) -> FailureKind | None:
    """The kind a stored code names; None for no code and for codes written before the kinds existed."""
    if not code:
        return None
    try:
        return FailureKind(code)
    except ValueError:
        return None
