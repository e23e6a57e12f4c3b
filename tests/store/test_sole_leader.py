"""A single bench on its SQLite cache leads every account it polls, and nothing stands in front of its writes."""

from __future__ import annotations

from sqlalchemy import create_engine

from magazyn_desktop.store.leadership import Fence, SoleLeader


def test_the_sole_leader_leads_the_accounts_of_each_poll_and_lets_every_write_through() -> None:
    sole = SoleLeader()
    assert sole.poll([1, 2]) == {1: Fence(1, sole.holder, 0), 2: Fence(2, sole.holder, 0)}
    assert sole.poll([2]) == {2: Fence(2, sole.holder, 0)}
    assert sole.fences == {2: Fence(2, sole.holder, 0)}
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            sole.check_fence(connection, sole.fences[2])
    finally:
        engine.dispose()
    sole.close()
    assert sole.fences == {}
