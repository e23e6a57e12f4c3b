"""One headless bench of a team, for bench/team.py: the window's app-layer code without Qt.

The same pieces the window composes in team mode: the backend as `build_backend` makes it over the team's store
(its Store, the leadership keeper polling every two seconds, sync and the outbox, which ask Allegro nothing unless
this bench leads), the team link's change listener the window listens with (ui/team_changes.py), and a reader
over which the window reads the rows a change names. Every `--interval` seconds it runs a sync round and then the
outbox, as the window's poll timer does; followers' rounds return at once (led_elsewhere).

It talks to a stand-in Allegro through the automation environment (MAGAZYN_API_URL, MAGAZYN_AUTH_URL,
MAGAZYN_ACCESS_TOKEN) and prints one JSON line per event on stdout, with the wall clock (time.time()) so that the
parent can compare benches on one machine:
  {"event": "ready", "pid": ...}                         the backend is built and the listener started
  {"event": "leads", "value": true|false, "at": ...}     this bench started or stopped leading (seen within 50 ms)
  {"event": "round", "requests": {...}, "at": ...}       a sync round that talked to Allegro, and its requests
  {"event": "shown", "message": id, "conversation": id, "at": ...}
                                                         a message whose text starts with "probe " read back
                                                         after a change named its conversation
It ends when its standard input closes.

Run: python -m bench.team_bench --store URL --data-dir DIR --name NAME [--interval 1.0]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import bench.common  # noqa: F401  (the keyring pinned, as in every benchmark)

PROBE_PREFIX = "probe "


def emit(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()

    from magazyn_desktop.app.backend import build_backend
    from magazyn_desktop.app.backend_types import ConnectedBackend
    from magazyn_desktop.app.settings import load_settings, save_settings
    from magazyn_desktop.app.store_location import StoreLocation
    from magazyn_desktop.app.team_store import migrate_team_store
    from magazyn_desktop.logsetup import configure_file
    from magazyn_desktop.paths import resolve_paths
    from magazyn_desktop.store.change_log import Change
    from magazyn_desktop.store.store_address import parse_store_address

    paths = resolve_paths(Path(args.data_dir))
    paths.ensure()
    configure_file(paths.log_file, paths.crash_log)
    save_settings(paths.settings_file, load_settings(paths.settings_file).with_changes(
        person_name=args.name, bench_name="bench"))
    address = parse_store_address(args.store)
    migrate_team_store(address, None, "en")
    location = StoreLocation(paths.database, address, holder_name=f"{args.name} @ bench")
    backend = build_backend(paths, demo=False, location=location)
    if not isinstance(backend, ConnectedBackend) or backend.leadership is None:
        raise SystemExit("no connected team backend: is the automation environment set?")
    keeper = backend.leadership

    reader = location.open_reader()
    shown: set[str] = set()

    def on_changes(changes: list[Change]) -> None:
        # What the window does on its GUI thread: re-read the named conversations' rows.
        for conversation_id in dict.fromkeys(c.conversation_id for c in changes if c.conversation_id):
            rows = reader.execute("SELECT id, text FROM messages WHERE conversation_id = ?",
                                  (conversation_id,)).fetchall()
            at = time.time()
            for message_id, text in rows:
                if text.startswith(PROBE_PREFIX) and message_id not in shown:
                    shown.add(message_id)
                    emit("shown", message=message_id, conversation=conversation_id, at=at)

    link = location.team_link()
    link.subscribe(on_changes)
    link.start()
    stopping = threading.Event()

    def watch_stdin() -> None:
        sys.stdin.read()
        stopping.set()

    threading.Thread(target=watch_stdin, name="stdin", daemon=True).start()
    emit("ready", pid=_pid())
    leading = False
    next_round = time.monotonic()
    try:
        while not stopping.is_set():
            now_leads = keeper.leads()
            if now_leads != leading:
                leading = now_leads
                emit("leads", value=leading, at=time.time())
            if time.monotonic() >= next_round:
                next_round = time.monotonic() + args.interval
                report = backend.sync.run_once()
                if not report.led_elsewhere:
                    emit("round", requests=dict(report.requests), at=time.time())
                    backend.outbox.process()
            stopping.wait(0.05)
    finally:
        reader.close()
        backend.close()  # gives the lease up (the keeper) on the link's connection
        location.close()


def _pid() -> int:
    import os

    return os.getpid()


if __name__ == "__main__":
    main()
