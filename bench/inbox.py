"""The inbox over a large cache: first paint of the list, filter switches, searches and resident memory.

A cache of 100,000 conversations and 1,000,000 messages is built once in a temporary folder (at head, search index
filled by its triggers). The measuring runs in a fresh child process with an offscreen QApplication, so the memory
figures are the window's own and not the builder's. Each latency is the model's query plus a synchronous repaint
of a shown QListView with the app's delegate; p50/p95 come from --repeat repetitions. Side by side, the same
percentiles of a trivial `SELECT 1` and of a repaint with nothing changed show how noisy the machine is.

Targets: p95 under 50 ms for filter switches and searches; resident memory under 300 MB.

Run: python -m bench.inbox [--conversations 100000] [--messages-per-conversation 10] [--repeat 50]
     [--database PATH (reuse a cache built before; it is created there when missing)]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import fill_messages

TARGET_P95_MS = 50.0
TARGET_RSS_MB = 300.0


def order_id(number: int) -> str:
    """A UUID-shaped order id, as Allegro's checkout forms have, derived from the conversation number."""
    digest = hashlib.md5(str(number).encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def build(database: Path, conversations: int, messages_per_conversation: int) -> float:
    """A cache at head, filled; returns the seconds it took."""
    from magazyn_desktop.store.migrate import upgrade_to_head

    started = time.perf_counter()
    upgrade_to_head(database, backups=database.parent / "backups", quarantine=database.parent / "damaged")
    fill_messages(database, conversations=conversations, messages_per_conversation=messages_per_conversation)
    # fill_messages makes only open COMMON threads without orders; give the Issues and Closed filters and the
    # order-id search something to find: every 10th conversation an issue, every 7th closed, 2 in 3 with an order.
    connection = sqlite3.connect(database)
    with connection:
        connection.executemany(
            "UPDATE conversations SET kind = ?, sub_kind = ?, status = ?, can_reply = ?, order_id = ? WHERE id = ?",
            (("issue" if c % 10 == 0 else "thread",
              ("POST_PURCHASE_ISSUE", "DISPUTE", "CLAIM")[c // 10 % 3] if c % 10 == 0 else "COMMON",
              "CLOSED" if c % 7 == 0 else "OPEN", 0 if c % 7 == 0 and c % 10 == 0 else 1,
              order_id(c) if c % 3 != 2 else None, f"T{c:042d}") for c in range(conversations)),
        )
    connection.execute("ANALYZE")
    connection.close()
    return time.perf_counter() - started


def rss_mb() -> tuple[float, float]:
    """(current VmRSS, peak maxrss) in MB."""
    current = 0.0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return current, peak


def percentiles_ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(database: Path, repeat: int, conversations: int) -> list[str]:
    """Runs in the child process: everything the window does with the cache, timed."""
    from bench import common  # noqa: F401 - sets the offscreen platform before Qt loads

    rss_start = rss_mb()
    from PySide6.QtWidgets import QApplication, QListView

    from magazyn_desktop.store.db import connect
    from magazyn_desktop.store.inbox_records import Filter
    from magazyn_desktop.ui.conversation_list_delegate import ConversationListDelegate
    from magazyn_desktop.ui.conversation_list_model import ConversationListModel

    app = QApplication.instance() or QApplication([])
    rss_qt = rss_mb()
    lines: list[str] = []

    def open_view() -> tuple[ConversationListModel, QListView]:
        # What MainWindow does: a read-only connection opened lazily by the model, the first query of the one
        # account it shows (fill_messages writes account 1), a shown list.
        model = ConversationListModel(lambda: connect(database, read_only=True))
        model.set_query(Filter.ALL, "", account_id=1)
        view = QListView()
        view.setModel(model)
        view.setItemDelegate(ConversationListDelegate(view))
        view.resize(420, 900)
        view.show()
        app.processEvents()
        view.viewport().repaint()
        return model, view

    first_paint = timed(open_view)  # cold: the first connection, page cache and Python imports of the labels
    warm = []
    for _ in range(min(repeat, 20)):
        holder: list[tuple[ConversationListModel, QListView]] = []
        warm.append(timed(lambda: holder.append(open_view())))
        model_, view_ = holder[0]
        view_.close()
        view_.deleteLater()
        model_.close()
        model_.deleteLater()
    app.processEvents()
    model, view = open_view()
    rows_shown = model.rowCount()
    rss_loaded = rss_mb()
    p50, p95 = percentiles_ms(warm)
    lines.append(f"first paint (model + first page + shown QListView), cold: {first_paint * 1000:.1f} ms; "
                 f"warm p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(warm)} ({rows_shown} rows loaded)")

    # Noise baselines, measured between the real samples below so a busy moment hits both.
    connection = model.connection()
    assert connection is not None
    baseline_sql: list[float] = []
    baseline_paint: list[float] = []

    def baselines() -> None:
        baseline_sql.append(timed(lambda: connection.execute("SELECT 1").fetchone()))
        baseline_paint.append(timed(view.viewport().repaint))

    def switch(filter_: Filter, search: str) -> float:
        def action() -> None:
            model.set_query(filter_, search)
            view.viewport().repaint()  # the rows painted, as the user sees them
        return timed(action)

    filters: dict[Filter, list[float]] = {filter_: [] for filter_ in Filter}
    rows_per_filter: dict[Filter, int] = {}
    for _ in range(repeat):
        for filter_ in Filter:  # cycling, so each switch really changes the query
            filters[filter_].append(switch(filter_, ""))
            rows_per_filter[filter_] = model.rowCount()
            baselines()
    all_filters = [sample for samples in filters.values() for sample in samples]
    for filter_, samples in filters.items():
        p50, p95 = percentiles_ms(samples)
        lines.append(f"filter switch to {filter_.value:<12}: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms "
                     f"({rows_per_filter[filter_]} rows on the first page)")
    p50, p95 = percentiles_ms(all_filters)
    lines.append(f"filter switch, all {len(all_filters)}: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
                 f"(target p95 under {TARGET_P95_MS:.0f} ms) -> {'PASS' if p95 < TARGET_P95_MS else 'FAIL'}")

    probe = conversations // 2 // 3 * 3 + 1  # in the middle, and one of the two in three that have an order
    searches = {
        "FTS one word 'reklamacja'": "reklamacja",
        "FTS two words 'paczka reklamacja'": "paczka reklamacja",
        "FTS prefix 'paczk'": "paczk",
        f"FTS rare '{probe}/3'": f"{probe}/3",
        f"buyer login 'kupujacy_{probe}'": f"kupujacy_{probe}",
        "order id prefix (8 hex)": order_id(probe)[:8],
        "no match 'xyzzyq'": "xyzzyq",
    }
    found: dict[str, int] = {}
    search_samples: dict[str, list[float]] = {name: [] for name in searches}
    for _ in range(repeat):
        for name, text in searches.items():
            search_samples[name].append(switch(Filter.ALL, text))
            found[name] = model.rowCount()
            baselines()
    all_searches = [sample for samples in search_samples.values() for sample in samples]
    for name, samples in search_samples.items():
        p50, p95 = percentiles_ms(samples)
        lines.append(f"search {name:<34}: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms ({found[name]} rows on the first page)")
    p50, p95 = percentiles_ms(all_searches)
    lines.append(f"search, all {len(all_searches)}: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
                 f"(target p95 under {TARGET_P95_MS:.0f} ms) -> {'PASS' if p95 < TARGET_P95_MS else 'FAIL'}")

    p50, p95 = percentiles_ms(baseline_sql)
    lines.append(f"baseline SELECT 1: p50 {p50:.3f} ms, p95 {p95:.3f} ms over {len(baseline_sql)}")
    p50, p95 = percentiles_ms(baseline_paint)
    lines.append(f"baseline repaint, nothing changed: p50 {p50:.2f} ms, p95 {p95:.2f} ms over {len(baseline_paint)}")

    rss_end = rss_mb()
    lines.append(f"resident memory: VmRSS {rss_start[0]:.0f} MB at start, {rss_qt[0]:.0f} MB with QApplication, "
                 f"{rss_loaded[0]:.0f} MB with the list shown, {rss_end[0]:.0f} MB after all queries")
    lines.append(f"resident memory peak (maxrss): {rss_end[1]:.0f} MB (target under {TARGET_RSS_MB:.0f} MB) -> "
                 f"{'PASS' if rss_end[1] < TARGET_RSS_MB else 'FAIL'}")
    view.close()
    model.close()
    return lines


def run(conversations: int, messages_per_conversation: int, repeat: int, database: Path | None = None) -> list[str]:
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="magazyn-bench-") as folder:
        if database is None:
            database = Path(folder) / "bench.sqlite3"
        if not database.exists():
            database.parent.mkdir(parents=True, exist_ok=True)
            seconds = build(database, conversations, messages_per_conversation)
            lines.append(f"built a cache of {conversations:,} conversations and "
                         f"{conversations * messages_per_conversation:,} messages in {seconds:.1f} s")
        size_mb = sum(p.stat().st_size for p in database.parent.glob(database.name + "*")) / 1e6
        lines.append(f"cache file: {size_mb:.0f} MB")
        # A fresh process: its memory is the window's, not the builder's.
        child = subprocess.run(
            [sys.executable, "-m", "bench.inbox", "--measure", str(database), "--repeat", str(repeat),
             "--conversations", str(conversations)],
            check=True, capture_output=True, text=True,
        )
        lines.extend(child.stdout.splitlines())
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages-per-conversation", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database", type=Path, help="reuse this cache (built there first when missing)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # internal: the child process
    args = parser.parse_args()
    if args.measure:
        lines = measure(args.measure, args.repeat, args.conversations)
    else:
        lines = run(args.conversations, args.messages_per_conversation, args.repeat, args.database)
    for line in lines:
        print(line, flush=True)


if __name__ == "__main__":
    main()
