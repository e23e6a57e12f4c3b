"""Whether this bench talks to Allegro for its account now, and the fence its writes on the account's behalf show.

On a single bench it always leads and has no fence (nothing to check: SQLite has no other bench). In team mode it
leads only while it holds the account's lease (app/team_leadership.py). Sync, the outbox, claim decisions and the
order look-ups ask before each round, so that however many benches run, the account's requests are those of one;
the outbox and claim decisions take the round's fence and hand it to each of the store's moves they make, which
checks it in the move's own transaction (store/leadership.check_fence): a leader deposed since the round began is
refused at its next write, not at its next poll."""

from __future__ import annotations

from collections.abc import Callable

from magazyn_desktop.store.leadership import Fence

LeadCheck = Callable[[], bool]
# Team mode only: the fence of the lease this bench leads under now, None while it does not lead. A single bench
# has no fence source at all (its writes check nothing).
CurrentFence = Callable[[], Fence | None]


def always_leads() -> bool:
    return True


def round_lead(leads: LeadCheck, fence: CurrentFence | None) -> tuple[bool, Fence | None]:
    """Whether a round may talk to Allegro now, and the fence its writes show. With a fence source (team mode) a
    round leads only with a fence in hand: the lead check and the fence are read apart, and a round never writes
    unfenced because the lease changed between the two."""
    current = fence() if fence is not None else None
    return leads() and (fence is None or current is not None), current
