"""Whether this bench talks to Allegro for its account now: always on a single bench; in team mode only while it
leads the account (app/team_leadership.py). Sync, the outbox, claim decisions and the order look-ups ask before
each round, so that however many benches run, the account's requests are those of one."""

from __future__ import annotations

from collections.abc import Callable

LeadCheck = Callable[[], bool]


def always_leads() -> bool:
    return True
