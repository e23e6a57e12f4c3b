"""The leadership keeper's answers to the sync layer (does this bench lead, under which fence) and the names a
bench signs its replies with."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from magazyn_desktop.app.settings import Settings
from magazyn_desktop.app.team_leadership import LeadershipKeeper, holder_name, person_name
from magazyn_desktop.store.leadership import Fence
from magazyn_desktop.sync.leading import round_lead

ACCOUNT = 7


class ScriptedElection:
    """An election whose polls answer what the test sets."""

    def __init__(self) -> None:
        self.holder = "this-bench"
        self.fences: Mapping[int, Fence] = {}

    def poll(self, account_ids: Iterable[int]) -> Mapping[int, Fence]:
        return self.fences

    def check_fence(self, connection: object, fence: Fence) -> None:
        raise AssertionError("the keeper checks no fence itself")

    def close(self) -> None:
        self.fences = {}


def test_the_keeper_gives_the_fence_it_leads_under_and_none_once_it_does_not_lead() -> None:
    election = ScriptedElection()
    keeper = LeadershipKeeper(election, ACCOUNT)  # type: ignore[arg-type]
    assert keeper.fence() is None and round_lead(keeper.leads, keeper.fence) == (False, None)
    election.fences = {ACCOUNT: Fence(ACCOUNT, "this-bench", 3)}
    assert keeper.poll_now()
    assert keeper.fence() == Fence(ACCOUNT, "this-bench", 3)
    assert round_lead(keeper.leads, keeper.fence) == (True, Fence(ACCOUNT, "this-bench", 3))
    election.fences = {ACCOUNT: Fence(ACCOUNT, "this-bench", 4)}  # lost and taken again: a new lease
    assert keeper.fence() == Fence(ACCOUNT, "this-bench", 4)
    election.fences = {}
    assert not keeper.poll_now() and keeper.fence() is None


def test_a_round_with_a_fence_source_but_no_fence_does_not_lead() -> None:
    # The lead check and the fence are read apart: a lease lost between them must not leave a round unfenced.
    assert round_lead(lambda: True, lambda: None) == (False, None)
    assert round_lead(lambda: True, None) == (True, None)  # a single bench: no fence to show


def test_a_bench_signs_with_its_person_and_bench_names() -> None:
    settings = Settings(person_name=" Ania ", bench_name="Stanowisko 1")
    assert person_name(settings) == "Ania"
    assert holder_name(settings) == "Ania @ Stanowisko 1"
    assert person_name(Settings()).strip()  # the system user when no name is set
