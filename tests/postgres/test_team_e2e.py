"""Team mode end to end: real window processes (Qt offscreen, each with a data folder of its own) on one PostgreSQL
database and one account, against the loopback stand-in for Allegro (tests/e2e/conftest.py).

What a window does is read from its log on stderr: "this bench now leads account N" (app/team_leadership.py), and,
at DEBUG, "rows refreshed after a change in the team store: ids" (ui/main_window.py) once the rows of a change
another bench (or its own sync) wrote are read again. Each line is stamped with the wall clock when this process
reads it, so a time measured from it is at most later than the window's own moment, never earlier.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

from magazyn_desktop.app.settings import Settings, save_settings
from magazyn_desktop.store.schema_version import HEAD_REVISION
from tests.e2e.conftest import Call, StandIn, start_stand_in  # noqa: F401  (a fixture)
from tests.launch.helpers import APP

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

pytestmark = pytest.mark.slow

POLL_SECONDS = 15  # the shortest poll interval the settings allow: the leader's refreshes come this often
LEADS = "this bench now leads account"
NO_LONGER_LEADS = "this bench no longer leads account"
ROWS_REFRESHED = "rows refreshed after a change in the team store:"
UPGRADING = "upgrading the team's store from"
SYNC_ENDED = "sync: +"  # the engine's line at the end of every sync round that talked to Allegro
# The name of a bench's dedicated connection (app/team_link.py: it listens and holds the leadership), as LIKE pattern.
CHANGE_LISTENER = "magazyn-desktop % changes %"


@dataclass
class Line:
    at: float  # wall clock when read here
    text: str


@dataclass
class WindowBench:
    """A window process on the team store; its stderr (the log) read on a thread, line by line."""

    name: str
    process: subprocess.Popen[str]
    lines: list[Line] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def read(self) -> None:
        assert self.process.stderr is not None
        for text in self.process.stderr:
            with self.arrived:
                self.lines.append(Line(time.time(), text.rstrip("\n")))
                self.arrived.notify_all()
        with self.arrived:
            self.arrived.notify_all()

    def mark(self) -> int:
        with self.arrived:
            return len(self.lines)

    def find(self, matches: Callable[[str], bool], after: int = 0) -> Line | None:
        with self.arrived:
            return next((line for line in self.lines[after:] if matches(line.text)), None)

    def wait_for(self, matches: Callable[[str], bool], *, timeout: float, what: str, after: int = 0) -> Line:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                found = next((line for line in self.lines[after:] if matches(line.text)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    tail = "\n".join(line.text for line in self.lines[-40:])
                    pytest.fail(f"{self.name}: no {what} within {timeout:.0f} s (exit {self.process.poll()}):\n{tail}")
                self.arrived.wait(min(left, 0.5))

    def leads(self) -> bool:
        """Whether its last word on the leadership was that it leads."""
        with self.arrived:
            said = [line.text for line in self.lines if LEADS in line.text or NO_LONGER_LEADS in line.text]
        return bool(said) and LEADS in said[-1]

    def log(self) -> str:
        with self.arrived:
            return "\n".join(line.text for line in self.lines)


class Team:
    def __init__(self, stand_in: StandIn, store_url: str, folder: Path) -> None:
        self.stand_in = stand_in
        self.store_url = store_url
        self.folder = folder
        self.windows: list[WindowBench] = []

    def start(self, name: str, *extra: str) -> WindowBench:
        data = self.folder / name
        data.mkdir(parents=True, exist_ok=True)
        save_settings(data / "settings.json", Settings(poll_interval_seconds=POLL_SECONDS, person_name=name,
                                                       bench_name="e2e"))
        env = self.stand_in.env(QT_QPA_PLATFORM="offscreen")
        env["MAGAZYN_LOG_LEVEL"] = "DEBUG"
        process = subprocess.Popen([*APP, "--store", self.store_url, "--data-dir", str(data), "--lang", "en",
                                    *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        window = WindowBench(name, process)
        threading.Thread(target=window.read, name=f"log-{name}", daemon=True).start()
        self.windows.append(window)
        return window

    def alive(self) -> list[WindowBench]:
        return [w for w in self.windows if w.process.poll() is None]

    def leader(self, *, timeout: float, what: str = "a leader") -> WindowBench:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            leaders = [w for w in self.alive() if w.leads()]
            if leaders:
                assert len(leaders) == 1, [w.name for w in leaders]
                return leaders[0]
            time.sleep(0.05)
        pytest.fail(f"no {what} within {timeout:.0f} s:\n" + "\n\n".join(w.log()[-2000:] for w in self.windows))

    def stop(self) -> None:
        for window in self.windows:
            if window.process.poll() is None:
                window.process.send_signal(signal.SIGTERM)
        for window in self.windows:
            try:
                window.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                window.process.kill()
                window.process.wait()
            for stream in (window.process.stdout, window.process.stderr):
                if stream is not None:
                    stream.close()


@pytest.fixture
def team(start_stand_in: Callable[..., StandIn], scratch_url: str, tmp_path: Path) -> Iterator[Team]:  # noqa: F811
    made = Team(start_stand_in(), scratch_url, tmp_path)
    yield made
    made.stop()


def _stored_at(url: str, conversation_id: str, since: datetime) -> float | None:
    """When a bench stored a change of the conversation after `since` (the change row's time, written in the
    storing transaction by the writer's wall clock)."""
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute("SELECT min(changed_at) FROM change_log WHERE conversation_id = %s AND topic ="
                                 " 'conversation' AND changed_at >= %s",
                                 (conversation_id, since.replace(tzinfo=None))).fetchone()
    return None if row is None or row[0] is None else row[0].replace(tzinfo=timezone.utc).timestamp()


def _wait_until_stored(url: str, conversation_id: str, since: datetime, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while (stored := _stored_at(url, conversation_id, since)) is None:
        assert time.monotonic() < deadline, f"no bench stored {conversation_id} within {timeout:.0f} s"
        time.sleep(0.1)
    return stored


def _refreshed(conversation_id: str) -> Callable[[str], bool]:
    return lambda text: ROWS_REFRESHED in text and conversation_id in text.split(ROWS_REFRESHED, 1)[1].split()


# -- the scenarios ---------------------------------------------------------------------------------------------------


def test_eight_windows_started_at_once_on_an_empty_database_create_the_schema_once_and_all_run(
        team: Team) -> None:
    windows = [team.start(f"bench{n}", "--smoke-test") for n in range(8)]
    for window in windows:
        window.process.wait(timeout=240)
    assert [w.process.returncode for w in windows] == [0] * 8, [w.log()[-3000:] for w in windows
                                                                 if w.process.returncode]
    reports = [json.loads(w.process.stdout.read().strip().splitlines()[-1]) for w in windows]  # type: ignore[union-attr]
    assert {report["revision"] for report in reports} == {HEAD_REVISION}
    upgrades = [w.name for w in windows if w.find(lambda text: UPGRADING in text) is not None]
    assert len(upgrades) == 1, upgrades
    with psycopg.connect(team.store_url) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]


def test_four_windows_ask_allegro_as_one_and_a_new_message_reaches_every_window_within_two_seconds(
        team: Team) -> None:
    demo = team.stand_in.demo
    conversation_id = sorted(demo.data.threads)[0]

    # One window alone: what one bench's refresh costs after one new buyer message.
    first = team.start("bench0")
    team.leader(timeout=60)
    first.wait_for(lambda text: SYNC_ENDED in text, timeout=120, what="its first sync")
    alone = _one_message_refresh(team, first, conversation_id, "Czy paczka już wyszła?")

    for n in range(1, 4):
        team.start(f"bench{n}")
    _wait_for_listeners(team.store_url, 4, timeout=120)
    marks = {w.name: w.mark() for w in team.windows}
    since = datetime.now(timezone.utc)
    together = _one_message_refresh(team, first, conversation_id, "A kiedy dojdzie?")
    stored = _wait_until_stored(team.store_url, conversation_id, since, timeout=5)

    assert together == alone, "four benches asked Allegro more than one bench does"
    late = {}
    for window in team.windows:
        shown = window.wait_for(_refreshed(conversation_id), timeout=POLL_SECONDS + 10,
                                what="the new message's row", after=marks[window.name])
        late[window.name] = shown.at - stored
    assert max(late.values()) < 2.0, late


def _one_message_refresh(team: Team, leader: WindowBench, conversation_id: str, text: str) -> dict[str, int]:
    """A buyer message added at the stand-in, waited for until the leader's refresh that stored it has ended and
    every window shows it; the requests for conversations Allegro got meanwhile (the order look-ups that may follow
    a refresh left out: they come after it, in the same time or not)."""
    marks = {w.name: w.mark() for w in team.windows}
    team.stand_in.demo.reset_counts()
    since = datetime.now(timezone.utc)
    team.stand_in.demo.add_buyer_message(conversation_id, text)
    _wait_until_stored(team.store_url, conversation_id, since, timeout=POLL_SECONDS + 10)
    leader.wait_for(lambda line: SYNC_ENDED in line, timeout=30, what="the end of its refresh",
                    after=marks[leader.name])
    for window in team.windows:
        window.wait_for(_refreshed(conversation_id), timeout=10, what="the new message's row",
                        after=marks[window.name])
    counts = {route: count for route, count in team.stand_in.demo.request_counts().items()
              if route.startswith(("GET /messaging/", "GET /sale/issues"))}
    assert counts.get("GET /messaging/threads") == 1, counts
    return counts


def _wait_for_listeners(url: str, count: int, *, timeout: float) -> None:
    """Until `count` benches listen for changes (each window's listener names its connection)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as admin:
        while True:
            row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                " AND application_name LIKE %s", (CHANGE_LISTENER,)).fetchone()
            if row is not None and row[0] >= count:
                return
            assert time.monotonic() < deadline, f"fewer than {count} listeners after {timeout:.0f} s"
            time.sleep(0.1)


def test_when_the_leading_window_is_killed_another_leads_within_15_seconds_and_no_reply_is_sent_twice_or_lost(
        team: Team) -> None:
    from magazyn_desktop.store.repository import Store
    from magazyn_desktop.store.store_address import parse_store_address

    for n in range(3):
        team.start(f"bench{n}")
    leader = team.leader(timeout=90)
    leader.wait_for(lambda text: SYNC_ENDED in text, timeout=120, what="its first sync")
    threads = sorted(team.stand_in.demo.data.threads)[:3]
    held, killed = threading.Event(), threading.Event()

    def hold(_call: Call) -> None:
        held.set()  # the leader waits for this answer: its send is in flight when it dies
        killed.wait(timeout=60)

    team.stand_in.hooks.add(lambda call: call.is_send, hold)
    store = Store.open_team(parse_store_address(team.store_url))
    try:
        with psycopg.connect(team.store_url) as connection:
            (account_id,), = connection.execute("SELECT id FROM accounts").fetchall()
        texts = [f"Odpowiedź {n} z zespołu" for n in range(6)]
        for n, text in enumerate(texts):
            store.add_outbox_entry(account_id, threads[n % 3], text)
    finally:
        store.close()

    assert held.wait(timeout=POLL_SECONDS + 30), "the leader never sent the first reply"
    leader.process.send_signal(signal.SIGKILL)
    leader.process.wait(timeout=30)
    started = time.monotonic()
    killed.set()
    successor = team.leader(timeout=15, what="new leader after the SIGKILL")
    assert successor is not leader and time.monotonic() - started < 15

    def all_sent() -> bool:
        sent = [m.text for cid in threads for m in team.stand_in.demo.sent_messages(cid)]
        return all(text in sent for text in texts)

    deadline = time.monotonic() + 2 * POLL_SECONDS + 30
    while not all_sent():
        assert time.monotonic() < deadline, "not every reply was sent after the takeover"
        time.sleep(0.2)
    sent = [m.text for cid in threads for m in team.stand_in.demo.sent_messages(cid)]
    assert sorted(sent) == sorted(texts), "a reply was sent twice or one was lost"


def test_the_leaders_database_connection_cut_makes_it_stop_and_another_take_over(team: Team) -> None:
    for n in range(2):
        team.start(f"bench{n}")
    leader = team.leader(timeout=90)
    other = next(w for w in team.windows if w is not leader)
    with psycopg.connect(team.store_url, autocommit=True) as admin:
        pids = [pid for pid, in admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE %s",
            (f"magazyn-desktop % changes {leader.name} @ e2e",))]
        assert len(pids) == 1, pids
        mark, other_mark = leader.mark(), other.mark()
        admin.execute("SELECT pg_terminate_backend(%s)", (pids[0],))
        cut = time.monotonic()
    leader.wait_for(lambda text: NO_LONGER_LEADS in text, timeout=5, what="word that it no longer leads",
                    after=mark)
    stopped = time.monotonic() - cut
    other.wait_for(lambda text: LEADS in text, timeout=15, what="takeover", after=other_mark)
    assert time.monotonic() - cut < 15
    # At once: the cut is the link's connection, whose loss ends the leadership without waiting for a poll (and
    # every write the leader makes checks its lease in the write's own transaction).
    assert stopped < 1.5


def test_a_window_one_schema_revision_older_than_the_store_is_refused_with_the_message(team: Team) -> None:
    from magazyn_desktop.store.store_address import parse_store_address
    from magazyn_desktop.store.team_schema import upgrade_team_store

    upgrade_team_store(parse_store_address(team.store_url))
    newer = "0020_from_a_newer_build"
    with psycopg.connect(team.store_url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = %s", (newer,))
    window = team.start("bench0", "--smoke-test")
    window.process.wait(timeout=120)
    assert window.process.returncode != 0
    said = window.log()
    assert newer in said and HEAD_REVISION in said, said[-3000:]
    assert "Traceback" not in said


def test_fifty_replies_queued_from_four_benches_with_the_leader_killed_twice_while_sending_arrive_once_in_order(
        team: Team) -> None:
    from magazyn_desktop.store.repository import Store
    from magazyn_desktop.store.store_address import parse_store_address

    for n in range(4):
        team.start(f"bench{n}")
    leader = team.leader(timeout=90)
    leader.wait_for(lambda text: SYNC_ENDED in text, timeout=120, what="its first sync")
    threads = sorted(team.stand_in.demo.data.threads)[:5]
    sends = {"count": 0}
    held = [threading.Event(), threading.Event()]
    let_go = threading.Event()
    kill_at = (8, 25)

    def due(call: Call) -> bool:
        if not call.is_send:
            return False
        sends["count"] += 1
        return sends["count"] in kill_at

    def hold(_call: Call) -> None:
        held[kill_at.index(sends["count"])].set()
        let_go.wait(timeout=60)

    team.stand_in.hooks.add(due, hold, once=False)
    address = parse_store_address(team.store_url)
    with psycopg.connect(team.store_url) as connection:
        (account_id,), = connection.execute("SELECT id FROM accounts").fetchall()
    # Each bench's own store queues its share, taking turns, so conversations mix replies from every bench.
    queued: dict[str, list[str]] = {cid: [] for cid in threads}
    benches = [Store.open_team(address) for _ in range(4)]
    try:
        for n in range(50):
            conversation_id = threads[n % len(threads)]
            text = f"Odpowiedź {n:02d} ze stanowiska {n % 4}"
            benches[n % 4].add_outbox_entry(account_id, conversation_id, text)
            queued[conversation_id].append(text)
    finally:
        for store in benches:
            store.close()

    for number, event in enumerate(held):
        assert event.wait(timeout=3 * POLL_SECONDS + 60), f"send {kill_at[number]} never came"
        current = team.leader(timeout=5)
        current.process.send_signal(signal.SIGKILL)
        current.process.wait(timeout=30)
        let_go.set()  # the killed leader's send reaches Allegro: the outcome its successor must find out
        team.leader(timeout=15, what="new leader after the SIGKILL")
        if number == 0:
            let_go.clear()

    def sent() -> dict[str, list[str]]:
        return {cid: [m.text for m in team.stand_in.demo.sent_messages(cid)] for cid in threads}

    deadline = time.monotonic() + 50 * 1.5 + 3 * POLL_SECONDS
    while sum(len(texts) for texts in sent().values()) < 50:
        assert time.monotonic() < deadline, f"{sum(len(t) for t in sent().values())} of 50 sent"
        time.sleep(0.5)
    assert sent() == queued, "a reply sent twice, lost, or out of order in its conversation"
