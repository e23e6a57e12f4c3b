"""Replies queued offline, the app killed twice while sending, then restarted: every reply arrives exactly once, in
order within its conversation.

The replies are written with Store.add_outbox_entry into a data folder that is already synced: exactly what the
window does when staff press Send (the row is committed before any network call). The two kills are placed at
exact sends by holding that send at the stand-in while the app is SIGKILLed, so both kinds of "outcome unknown"
happen every time:

1. the send reached Allegro and was processed, but the app died before the answer: the next start must find it by
   re-reading the conversation and mark it sent, never send it again;
2. the send never reached Allegro (the connection died first): the re-read does not find it, so it is sent again,
   once.

The send rate is one a second per account, so the 50 replies take about a minute.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from magazyn_desktop.paths import DATABASE_NAME
from magazyn_desktop.store.repository import Store
from magazyn_desktop.fake_allegro import DemoData
from tests.e2e.conftest import (
    DATA_SEED,
    Call,
    DemoResponse,
    StandIn,
    dropped_unanswered,
    sync_once,
    wait_for_event,
    wait_until,
)
from tests.launch.helpers import APP

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Queued:
    entry_id: int
    conversation_id: str
    text: str


def _account_id(database: Path) -> int:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT id FROM accounts WHERE environment = 'custom'").fetchall()
    finally:
        connection.close()
    assert len(rows) == 1, rows
    return int(rows[0][0])


def _outbox_rows(database: Path) -> dict[int, tuple[str, int, str | None]]:
    """entry id -> (state, attempts, remote message id)"""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return {row[0]: (row[1], row[2], row[3])
                for row in connection.execute("SELECT id, state, attempts, remote_message_id FROM outbox")}
    finally:
        connection.close()


def _queue(stand_in: StandIn, data_dir: Path, conversations: list[str], per_conversation: int) -> list[Queued]:
    """Round-robin over the conversations, so every conversation's replies are spread over the whole queue."""
    database = data_dir / DATABASE_NAME
    account_id = _account_id(database)
    store = Store.open(database)
    queued = []
    try:
        for n in range(per_conversation * len(conversations)):
            conversation_id = conversations[n % len(conversations)]
            text = (f"Dzień dobry, odpowiedź {n // len(conversations) + 1} z {per_conversation}: paczka wyjdzie "
                    f"dziś po południu (zgłoszenie {n + 1}, wątek {conversation_id[:8]}).")
            queued.append(Queued(store.add_outbox_entry(account_id, conversation_id, text), conversation_id, text))
    finally:
        store.close()
    return queued


class SendKiller:
    """Holds chosen sends (counted over every run) at the stand-in until the test has killed the app."""

    def __init__(self, stand_in: StandIn) -> None:
        self.sends = 0
        self._lock = threading.Lock()
        self._plans: dict[int, bool] = {}  # send number -> deliver it after the kill (else drop it unseen)
        self.held: dict[int, str | None] = {}  # send number -> its text
        self.arrived: dict[int, threading.Event] = {}
        self.released: dict[int, threading.Event] = {}
        self._current: dict[int, int] = {}  # request number -> send number, for the hook
        stand_in.hooks.add(self._count, self._maybe_hold, once=False)

    def hold(self, number: int, *, then_deliver: bool) -> None:
        self.arrived[number], self.released[number] = threading.Event(), threading.Event()
        self._plans[number] = then_deliver

    def _count(self, call: Call) -> bool:
        if not call.is_send:
            return False
        with self._lock:
            self.sends += 1
            if self.sends not in self._plans:
                return False
            self._current[call.number] = self.sends
            return True

    def _maybe_hold(self, call: Call) -> DemoResponse | None:
        with self._lock:
            number = self._current.pop(call.number)
        self.held[number] = call.text()
        self.arrived[number].set()
        self.released[number].wait(timeout=120)
        return None if self._plans[number] else dropped_unanswered()

    def kill_at(self, number: int, process: subprocess.Popen[str]) -> str:
        """Wait for send `number` to be held, SIGKILL the app, let the send go on; returns the held text."""
        try:
            wait_for_event(self.arrived[number], timeout=120, what=f"send number {number}", alive=process)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            self.released[number].set()
        assert process.returncode == -signal.SIGKILL
        text = self.held[number]
        assert text is not None
        return text


def _sent_texts(stand_in: StandIn, conversation_id: str) -> list[str]:
    return [m.text for m in stand_in.demo.sent_messages(conversation_id)]


def _start(stand_in: StandIn, data_dir: Path, args: list[str]) -> subprocess.Popen[str]:
    """Output goes to files beside the data folder: a pipe nobody reads would stall a long-running app."""
    runs = len(list(data_dir.parent.glob("run-*.out")))
    with open(data_dir.parent / f"run-{runs}.out", "w") as out, open(data_dir.parent / f"run-{runs}.err", "w") as err:
        return subprocess.Popen([*APP, *args, "--data-dir", str(data_dir)], stdout=out, stderr=err, text=True,
                                env=stand_in.env())


def _send_slot_free(stand_in: StandIn, conversations: list[str]) -> bool:
    """A second has passed since the stand-in last took a send. A new process cannot know when the one it replaces
    last sent, so a restart within that second would meet a 429 (and wait for the next poll)."""
    demo = stand_in.demo
    latest = max((m.created_at for c in conversations for m in demo.sent_messages(c)), default=None)
    return latest is None or (demo.now() - latest).total_seconds() >= 1.1


def _window(stand_in: StandIn, data_dir: Path) -> subprocess.Popen[str]:
    return _start(stand_in, data_dir, [])


def _sync_once(stand_in: StandIn, data_dir: Path) -> subprocess.Popen[str]:
    return _start(stand_in, data_dir, ["sync", "--once"])


def _output(data_dir: Path) -> tuple[str, str]:
    runs = len(list(data_dir.parent.glob("run-*.out")))
    last = data_dir.parent / f"run-{runs - 1}"
    return last.with_suffix(".out").read_text(), last.with_suffix(".err").read_text()


def _finish_window(process: subprocess.Popen[str], database: Path, queued: list[Queued]) -> None:
    """The window keeps running: once every reply is settled, close it the normal way (SIGTERM)."""
    ids = {q.entry_id for q in queued}
    wait_until(lambda: all(row[0] == "sent" for entry_id, row in _outbox_rows(database).items() if entry_id in ids),
               timeout=150, what="every reply to be sent", alive=process, interval=0.2)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert process.returncode == 0, _output(database.parent)[1][-4000:]


def _finish_sync_once(process: subprocess.Popen[str], _database: Path, _queued: list[Queued]) -> None:
    """`sync --once` ends by itself once it has sent what was due."""
    process.wait(timeout=150)
    assert process.returncode == 0, _output(_database.parent)


Runner = Callable[[StandIn, Path], subprocess.Popen[str]]
Finisher = Callable[[subprocess.Popen[str], Path, list[Queued]], None]


def _crash_twice_then_finish(stand_in: StandIn, data_dir: Path, start: Runner, finish: Finisher, *,
                             threads: int, issues: int, per_conversation: int, kill_at: tuple[int, int]) -> None:
    result, report = sync_once(stand_in, data_dir)
    assert result.returncode == 0 and report["errors"] == [], result.stderr[-3000:]
    conversations = stand_in.thread_ids(open_only=True)[:threads] + stand_in.issue_ids(chat_active_only=True)[:issues]
    assert len(conversations) == threads + issues
    queued = _queue(stand_in, data_dir, conversations, per_conversation)
    database = data_dir / DATABASE_NAME

    killer = SendKiller(stand_in)
    first, second = kill_at
    killer.hold(first, then_deliver=True)  # 1: Allegro takes it, the answer never comes back
    killer.hold(second, then_deliver=False)  # 2: the connection dies before Allegro sees it

    arrived_text = killer.kill_at(first, start(stand_in, data_dir))
    arrived_entry = next(q for q in queued if q.text == arrived_text)
    # The held send goes through after the kill; wait until the stand-in has it before the next start.
    wait_until(lambda: arrived_text in _sent_texts(stand_in, arrived_entry.conversation_id), timeout=30,
               what="the held send to be processed")
    assert _outbox_rows(database)[arrived_entry.entry_id][0] == "sending"  # the app died not knowing
    wait_until(lambda: _send_slot_free(stand_in, conversations), timeout=10, what="the send slot")

    lost_text = killer.kill_at(second, start(stand_in, data_dir))
    lost_entry = next(q for q in queued if q.text == lost_text)
    assert lost_text not in _sent_texts(stand_in, lost_entry.conversation_id)
    assert _outbox_rows(database)[lost_entry.entry_id][0] == "sending"
    wait_until(lambda: _send_slot_free(stand_in, conversations), timeout=10, what="the send slot")

    finish(start(stand_in, data_dir), database, queued)

    # Every reply arrived exactly once, in the order it was written, in its own conversation.
    for conversation_id in conversations:
        expected = [q.text for q in queued if q.conversation_id == conversation_id]
        assert _sent_texts(stand_in, conversation_id) == expected, conversation_id
    # Exactly one send was repeated: the one that never arrived. The one that arrived was settled by re-reading.
    # (No send was refused with 429 either.)
    assert killer.sends == len(queued) + 1, killer.sends
    rows = _outbox_rows(database)
    remote_ids = {m.text: m.message_id for c in conversations for m in stand_in.demo.sent_messages(c)}
    for q in queued:
        state, attempts, remote_id = rows[q.entry_id]
        assert state == "sent" and remote_id == remote_ids[q.text], (q, rows[q.entry_id])
        expected_attempts = 2 if q is lost_entry else 1
        assert attempts == expected_attempts, (q, rows[q.entry_id])
    log_text = (data_dir / "logs" / "magazyn-desktop.log").read_text(encoding="utf-8")
    assert f"outbox: reply {arrived_entry.entry_id} had arrived; marked as sent" in log_text
    assert f"outbox: reply {lost_entry.entry_id} did not arrive; queued again" in log_text


def test_fifty_replies_survive_two_kills_of_the_window(stand_in: StandIn, data_dir: Path) -> None:
    """The window sends the outbox after its first sync; 50 replies over 7 threads and 3 issues."""
    _crash_twice_then_finish(stand_in, data_dir, _window, _finish_window,
                             threads=7, issues=3, per_conversation=5, kill_at=(12, 30))


def test_replies_survive_two_kills_of_sync_once(stand_in: StandIn, data_dir: Path) -> None:
    """The same with the headless command, smaller: 10 replies over 4 threads and 1 issue."""
    _crash_twice_then_finish(stand_in, data_dir, _sync_once, _finish_sync_once,
                             threads=4, issues=1, per_conversation=2, kill_at=(3, 6))


def test_a_send_that_arrived_is_recognised_when_the_pc_clock_runs_fast(start_stand_in, data_dir: Path) -> None:
    """Warehouse PCs drift: here the PC clock is five minutes ahead of Allegro's. A send that arrived before the
    app was killed must still be found by the re-read, never sent twice."""
    server_now = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)
    stand_in: StandIn = start_stand_in(data=DemoData.generate(seed=DATA_SEED, now=server_now))
    result, report = sync_once(stand_in, data_dir)
    assert result.returncode == 0 and report["errors"] == [], result.stderr[-3000:]
    conversations = stand_in.thread_ids(open_only=True)[:1]
    queued = _queue(stand_in, data_dir, conversations, 2)
    database = data_dir / DATABASE_NAME
    killer = SendKiller(stand_in)
    killer.hold(1, then_deliver=True)

    arrived_text = killer.kill_at(1, _window(stand_in, data_dir))
    wait_until(lambda: arrived_text in _sent_texts(stand_in, conversations[0]), timeout=30,
               what="the held send to be processed")
    wait_until(lambda: _send_slot_free(stand_in, conversations), timeout=10, what="the send slot")
    _finish_window(_window(stand_in, data_dir), database, queued)

    assert _sent_texts(stand_in, conversations[0]) == [q.text for q in queued]
    assert killer.sends == len(queued)
