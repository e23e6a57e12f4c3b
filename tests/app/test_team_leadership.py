"""The leadership keeper's answers to the sync layer (does this bench lead, under which fence) and the names a
bench signs its replies with."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from magazyn_desktop.app.bench_person import person_name
from magazyn_desktop.app.settings import Settings
from magazyn_desktop.app.team_leadership import LeadershipKeeper, holder_name
from magazyn_desktop.store.leadership import Fence
from magazyn_desktop.sync.leading import round_lead

ACCOUNT = 7


class ScriptedElection:
    """An election whose polls answer what the test sets."""

    def __init__(self) -> None:
        self.holder = "this-bench"
        self.fences: Mapping[int, Fence] = {}

    def poll_with(self, connection: object, account_ids: Iterable[int]) -> Mapping[int, Fence]:
        return self.fences

    def forget(self) -> None:
        self.fences = {}

    def check_fence(self, connection: object, fence: Fence) -> None:
        raise AssertionError("the keeper checks no fence itself")

    def close(self) -> None:
        self.fences = {}


class StepLink:
    """The team link's part the keeper uses, run by hand: `tick` is one poll on the link's thread."""

    def __init__(self) -> None:
        self.polls: list[Callable[[object], None]] = []
        self.on_connection: list[Callable[[bool], None]] = []

    def subscribe(self, on_changes: object = None, on_connection: Callable[[bool], None] | None = None) -> None:
        if on_connection is not None:
            self.on_connection.append(on_connection)

    def every(self, interval: float, action: Callable[[object], None]) -> None:
        self.polls.append(action)

    def tick(self) -> None:
        for action in self.polls:
            action(object())


def test_the_keeper_gives_the_fence_it_leads_under_and_none_once_it_does_not_lead() -> None:
    election, link = ScriptedElection(), StepLink()
    keeper = LeadershipKeeper(election, ACCOUNT, link)  # type: ignore[arg-type]
    keeper.start()
    assert keeper.fence() is None and round_lead(keeper.leads, keeper.fence) == (False, None)
    election.fences = {ACCOUNT: Fence(ACCOUNT, "this-bench", 3)}
    link.tick()
    assert keeper.leads() and keeper.wait_for_first_poll(0)
    assert keeper.fence() == Fence(ACCOUNT, "this-bench", 3)
    assert round_lead(keeper.leads, keeper.fence) == (True, Fence(ACCOUNT, "this-bench", 3))
    election.fences = {ACCOUNT: Fence(ACCOUNT, "this-bench", 4)}  # lost and taken again: a new lease
    assert keeper.fence() == Fence(ACCOUNT, "this-bench", 4)
    election.fences = {}
    link.tick()
    assert not keeper.leads() and keeper.fence() is None
    election.fences = {ACCOUNT: Fence(ACCOUNT, "this-bench", 5)}
    link.tick()
    for connection_changed in link.on_connection:  # the link's connection went: so did the session's locks
        connection_changed(False)
    assert not keeper.leads() and keeper.fence() is None


def test_a_round_with_a_fence_source_but_no_fence_does_not_lead() -> None:
    # The lead check and the fence are read apart: a lease lost between them must not leave a round unfenced.
    assert round_lead(lambda: True, lambda: None) == (False, None)
    assert round_lead(lambda: True, None) == (True, None)  # a single bench: no fence to show


def test_a_bench_signs_with_its_person_and_bench_names() -> None:
    settings = Settings(person_name=" Ania ", bench_name="Stanowisko 1")
    assert person_name(settings) == "Ania"
    assert holder_name(settings) == "Ania @ Stanowisko 1"
    assert person_name(Settings()).strip()  # the system user when no name is set
