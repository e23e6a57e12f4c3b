"""Team mode with many benches: 20 headless bench processes (bench/team_bench.py, the window's app-layer code
without Qt) on one Allegro account, one shared PostgreSQL database, and a fake Allegro on loopback in this process.

Measured in one run, each against its target:
- requests to Allegro per refresh: first one bench alone (its idle refreshes, after its first sync), then all 20;
  the server's count over a stretch divided by the refreshes made in it (every bench runs a round each
  `--interval` seconds; a follower's round asks Allegro nothing). Target: at most one bench's.
- from the leader storing a message to every bench showing it: a buyer message added at the fake, the change
  row the leader wrote with it (its `changed_at`, the leader's wall clock inside the storing transaction, so the
  figure includes the commit) to the moment the last of the 20 benches read it back after the notification.
  Target: p95 under 1 s, over `--messages` messages.
- connections per bench: the database's backends (pg_stat_activity) matched to each bench process by its TCP
  port (/proc), with the application names. Target: at most 2.
- failover: the leader killed with SIGKILL, until another bench says it leads. Target under 15 s.

The server address: --server, else MAGAZYN_TEST_POSTGRES_URL (a superuser's; a database of the run's own is made
and dropped).

Run: python -m bench.team [--benches 20] [--messages 20] [--interval 1.0] [--kills 2] [--server URL]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.painted import verdict

LATENCY_TARGET_SECONDS = 1.0
CONNECTIONS_TARGET = 2
FAILOVER_TARGET_SECONDS = 15.0
EVENT_TIMEOUT = 60.0


@dataclass
class BenchProcess:
    """A bench process and the events it printed, as they come."""

    name: str
    process: subprocess.Popen[str]
    events: list[dict[str, Any]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def read_events(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if not line.startswith("{"):
                continue
            with self.arrived:
                self.events.append(json.loads(line))
                self.arrived.notify_all()

    def wait_for(self, matches: Callable[[dict[str, Any]], bool], timeout: float = EVENT_TIMEOUT,
                 after: int = 0) -> dict[str, Any] | None:
        """The first event from number `after` on that `matches`, waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for event in self.events[after:]:
                    if matches(event):
                        return event
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    return None
                self.arrived.wait(min(left, 0.5))

    @property
    def pid(self) -> int:
        return self.process.pid

    def leads(self) -> bool:
        with self.arrived:
            flags = [e["value"] for e in self.events if e["event"] == "leads"]
        return bool(flags and flags[-1])

    def rounds_since(self, at: float) -> list[dict[str, Any]]:
        with self.arrived:
            return [e for e in self.events if e["event"] == "round" and e["at"] >= at]


class Team:
    """Bench processes started against one store and one stand-in; each is ended when the team is."""

    def __init__(self, store_url: str, stand_in_env: dict[str, str], folder: Path, interval: float) -> None:
        self._store_url = store_url
        self._env = stand_in_env
        self._folder = folder
        self._interval = interval
        self.benches: list[BenchProcess] = []

    def start(self, name: str) -> BenchProcess:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.team_bench", "--store", self._store_url, "--data-dir",
             str(self._folder / name), "--name", name, "--interval", str(self._interval)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=self._env)
        bench = BenchProcess(name, process)
        threading.Thread(target=bench.read_events, name=f"events-{name}", daemon=True).start()
        self.benches.append(bench)
        return bench

    def alive(self) -> list[BenchProcess]:
        return [b for b in self.benches if b.process.poll() is None]

    def leaders(self) -> list[BenchProcess]:
        return [b for b in self.alive() if b.leads()]

    def stop(self) -> None:
        for bench in self.benches:
            if bench.process.poll() is None and bench.process.stdin is not None:
                bench.process.stdin.close()
        for bench in self.benches:
            try:
                bench.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                bench.process.kill()
                bench.process.wait()


# -- the database ----------------------------------------------------------------------------------------------------


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    import psycopg

    name = f"magazyn_bench_team_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connections_by_process(store_url: str, pids: list[int]) -> dict[int, list[str]]:
    """Each process's backends on the store's database, by application name: the backends' client ports matched
    to the processes' TCP sockets."""
    import psycopg

    with psycopg.connect(store_url, autocommit=True, connect_timeout=10) as admin:
        backends = admin.execute(
            "SELECT client_port, application_name FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND client_port IS NOT NULL").fetchall()
    port_owner = _local_ports_by_process(pids)
    found: dict[int, list[str]] = {pid: [] for pid in pids}
    for port, application in backends:
        owner = port_owner.get(port)
        if owner is not None:
            found[owner].append(application)
    return found


def _local_ports_by_process(pids: list[int]) -> dict[int, int]:
    inode_owner: dict[str, int] = {}
    for pid in pids:
        fd_folder = Path(f"/proc/{pid}/fd")
        try:
            links = [os.readlink(fd) for fd in fd_folder.iterdir()]
        except OSError:
            continue
        for link in links:
            if link.startswith("socket:["):
                inode_owner[link[8:-1]] = pid
    owners: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            columns = line.split()
            port = int(columns[1].rsplit(":", 1)[1], 16)
            owner = inode_owner.get(columns[9])
            if owner is not None:
                owners[port] = owner
    return owners


def stored_at(store_url: str, conversation_id: str, since: datetime) -> float | None:
    """When the leader stored the conversation's change after `since`: the earliest such change row's time."""
    import psycopg

    with psycopg.connect(store_url, autocommit=True, connect_timeout=10) as connection:
        row = connection.execute("SELECT min(changed_at) FROM change_log WHERE conversation_id = %s"
                                 " AND topic = 'conversation' AND changed_at >= %s",
                                 (conversation_id, since.replace(tzinfo=None))).fetchone()
    if row is None or row[0] is None:
        return None
    moment: datetime = row[0]
    return moment.replace(tzinfo=timezone.utc).timestamp()


# -- the run ---------------------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _wait_for_leader(team: Team, timeout: float) -> BenchProcess | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        leaders = team.leaders()
        if leaders:
            return leaders[0]
        time.sleep(0.02)
    return None


def _requests_over(demo: Any, team: Team, seconds: float) -> tuple[int, int, int]:
    """The server's requests over `seconds`, the refreshes made, and how many benches made them."""
    demo.reset_counts()
    started = time.time()
    time.sleep(seconds)
    requests = sum(demo.request_counts().values())
    rounds = {b.name: len(b.rounds_since(started)) for b in team.benches}
    return requests, sum(rounds.values()), sum(1 for count in rounds.values() if count)


def run(server_url: str, *, benches: int, messages: int, interval: float, kills: int) -> None:
    from magazyn_desktop.fake_allegro import DemoAllegro, DemoData, serve_on_loopback
    from magazyn_desktop.store.store_address import parse_store_address
    from magazyn_desktop.store.team_schema import upgrade_team_store

    demo = DemoAllegro(DemoData.generate(threads=60, issues=10,
                                         now=datetime.now(timezone.utc).replace(microsecond=0)))
    with ExitStack() as stack:
        store_url = stack.enter_context(scratch_database(server_url))
        upgrade_team_store(parse_store_address(store_url))
        base_url = stack.enter_context(serve_on_loopback(demo))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="magazyn-bench-team-")))
        env = {**os.environ, "MAGAZYN_API_URL": base_url, "MAGAZYN_AUTH_URL": base_url,
               "MAGAZYN_ACCESS_TOKEN": str(demo.issue_tokens()["access_token"]), "MAGAZYN_LOG_LEVEL": "WARNING"}
        team = Team(store_url, env, folder, interval)
        stack.callback(team.stop)

        # One bench alone: its first sync, then its idle refreshes.
        first = team.start("bench01")
        if first.wait_for(lambda e: e["event"] == "round") is None:
            raise SystemExit("the first bench never synced")
        alone_requests, alone_rounds, _ = _requests_over(demo, team, 6 * interval)
        per_refresh_alone = alone_requests / max(1, alone_rounds)
        print(f"one bench alone: {alone_requests} requests in {alone_rounds} refreshes ->"
              f" {per_refresh_alone:.2f} a refresh")

        started = time.monotonic()
        for n in range(2, benches + 1):
            team.start(f"bench{n:02d}")
        for bench in team.benches:
            if bench.wait_for(lambda e: e["event"] == "ready", timeout=180) is None:
                raise SystemExit(f"{bench.name} never became ready")
        print(f"{benches} benches running ({time.monotonic() - started:.1f} s to start the other {benches - 1})")

        team_requests, team_rounds, refreshing = _requests_over(demo, team, 10 * interval)
        per_refresh = team_requests / max(1, team_rounds)
        print(f"requests to Allegro per refresh with {benches} benches: {team_requests} requests in {team_rounds}"
              f" refreshes, made by {refreshing} bench(es) -> {per_refresh:.2f} a refresh (target at most one"
              f" bench's, {per_refresh_alone:.2f}) -> {verdict(per_refresh, per_refresh_alone)}")

        worst = _message_latencies(demo, team, store_url, messages, interval)
        if worst:
            p95, p50 = percentile(worst, 0.95), statistics.median(worst)
            print(f"leader stored -> every bench shows it: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms,"
                  f" longest {max(worst) * 1000:.0f} ms over {len(worst)} messages x {benches} benches"
                  f" (target p95 under {LATENCY_TARGET_SECONDS:.0f} s) -> {verdict(p95, LATENCY_TARGET_SECONDS)}")
        else:
            print("leader stored -> every bench shows it: no message reached every bench -> FAIL")

        by_process = connections_by_process(store_url, [b.pid for b in team.alive()])
        counts = sorted(len(names) for names in by_process.values())
        # Each bench names its connections after itself and what they are for (app/team_link.py).
        names_per_bench = sorted(len(set(names)) for names in by_process.values())
        print(f"connections per bench: most {counts[-1]}, median {statistics.median(counts):g}, fewest {counts[0]}"
              f" over {len(counts)} benches; distinct purposes per bench: at most {names_per_bench[-1]}"
              f" (target at most {CONNECTIONS_TARGET}) -> {verdict(counts[-1], CONNECTIONS_TARGET)}")

        failovers = []
        for _ in range(kills):
            leader = _wait_for_leader(team, FAILOVER_TARGET_SECONDS * 2)
            if leader is None:
                break
            leader.process.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            leader.process.wait()
            successor = _wait_for_leader(team, FAILOVER_TARGET_SECONDS * 2)
            if successor is None:
                failovers.append(float("inf"))
                break
            failovers.append(time.monotonic() - killed)
            print(f"  leader {leader.name} killed: {successor.name} leads after {failovers[-1]:.1f} s")
        longest = max(failovers) if failovers else float("inf")
        print(f"failover after SIGKILL of the leader: longest {longest:.1f} s over {len(failovers)} kills"
              f" (target under {FAILOVER_TARGET_SECONDS:.0f} s) -> {verdict(longest, FAILOVER_TARGET_SECONDS)}")


def _message_latencies(demo: Any, team: Team, store_url: str, messages: int, interval: float) -> list[float]:
    """For each probe message: the time from the leader storing it to the last bench showing it."""
    threads = sorted(demo.data.threads)
    worst: list[float] = []
    for n in range(messages):
        conversation_id = threads[n % len(threads)]
        since = datetime.now(timezone.utc)
        marks = {b.name: len(b.events) for b in team.alive()}
        message_id = demo.add_buyer_message(conversation_id, f"probe {n}: czy paczka już wyszła?")
        shown: list[float] = []
        for bench in team.alive():
            event = bench.wait_for(partial(_shows, message_id), timeout=10 + interval,
                                   after=marks.get(bench.name, 0))
            if event is None:
                print(f"  probe {n}: {bench.name} never showed it")
                break
            shown.append(event["at"])
        else:
            stored = stored_at(store_url, conversation_id, since)
            if stored is not None:
                worst.append(max(shown) - stored)
        time.sleep(queue_gap(interval))
    return worst


def _shows(message_id: str, event: dict[str, Any]) -> bool:
    return event["event"] == "shown" and event["message"] == message_id


def queue_gap(interval: float) -> float:
    """Messages apart by a fraction of a refresh, so that they land in different rounds at different points."""
    return interval * 0.7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benches", type=int, default=20)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--server", default=os.environ.get("MAGAZYN_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    if not args.server:
        # Not a failure of `python -m bench` as a whole: the other benchmarks need no server.
        print("team: not run, no PostgreSQL server (pass --server or set MAGAZYN_TEST_POSTGRES_URL)")
        return
    run(args.server, benches=args.benches, messages=args.messages, interval=args.interval, kills=args.kills)


if __name__ == "__main__":
    main()
