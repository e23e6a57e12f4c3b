"""The real window over a real seller's cache: what the user feels, each clock stopped when the pixels are drawn.

A child process opens the real `MainWindow` (offscreen) on a copy of the fixture's data folder, with the real
backend (`build_backend(..., demo=True, fake_allegro=...)`) over an in-process fake Allegro that answers each
request after `--latency`. A 5 ms heartbeat timer ticks on the GUI thread all along; its lateness in each phase is
the longest stall the user could have felt then. Measured, in this order:

1. the first sync (the fake's conversations join the fixture's), and the second after it ends;
2. refresh with nothing new: wall time from the request to `sync_finished` against two requests' latency;
3. filter switches, searches (common, medium and rare words, two words, prefixes, logins whole, by their beginning
   and from inside, order ids, waybills and SKUs of the cached orders, product names and words typed without
   diacritics) and clearing the search, from the call to the end of the list's next paint (a search is
   applied at once, as after the box's typing pause: the pause is a choice, not a cost);
4. opening the 2,000-message conversation to painted, leaving it (opening another) to painted, and the resident
   memory kept after leaving it;
5. loading every row (the model's pages, as scrolling does): a page's cost at the top against after 100k rows;
6. refresh with nothing new again, now with every row loaded.

Targets: stalls under 50 ms; switches, searches and clearing p95 under 30 ms; open under 150 ms, leave under
50 ms, memory kept under 30 MB; refresh at most two requests' latency plus 20 ms; deep page at most 1.5x a top page.

Run: python -m bench.window [--size 100k] [--repeat 10] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench.fixture import RARE_WORDS, SIZES, FixtureSpec, fixture, vocabulary, working_copy
from bench.painted import verdict

TARGET_STALL_MS = 50.0
TARGET_P95_MS = 30.0
TARGET_OPEN_MS = 150.0
TARGET_LEAVE_MS = 50.0
TARGET_KEPT_MB = 30.0
TARGET_REFRESH_EXTRA_MS = 20.0
TARGET_DEPTH_RATIO = 1.5  # "about 1x": room for noise, none for a cost that grows with depth
# What staff type on a keyboard without Polish letters, and the word they mean.
WITHOUT_DIACRITICS = {"dziekuje": "dziękuję", "przesylka": "przesyłka", "zolwiatko": "żółwiątko",
                      "lozko": "łóżko"}
FAKE_THREADS = 300
FAKE_ISSUES = 30


# -- verdicts (pure, so a test can feed them figures over target) ---------------------------------------------------

def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def latency_line(name: str, samples_ms: list[float], target_ms: float = TARGET_P95_MS) -> str:
    worst = p95(samples_ms)
    return (f"{name}: p50 {statistics.median(samples_ms):.1f} ms, p95 {worst:.1f} ms over {len(samples_ms)} "
            f"(target p95 under {target_ms:.0f} ms) -> {verdict(worst, target_ms)}")


def slowest_kind_line(p95_by_kind: dict[str, float]) -> str:
    name, worst = max(p95_by_kind.items(), key=lambda item: item[1])
    return (f"search, the slowest of {len(p95_by_kind)} kinds ({name}): p95 {worst:.1f} ms "
            f"(target p95 under {TARGET_P95_MS:.0f} ms for every kind) -> {verdict(worst, TARGET_P95_MS)}")


def stall_line(phase: str, longest_ms: float, ticks: int) -> str:
    return (f"GUI stall {phase}: longest {longest_ms:.1f} ms late over {ticks} ticks "
            f"(target under {TARGET_STALL_MS:.0f} ms) -> {verdict(longest_ms, TARGET_STALL_MS)}")


def refresh_line(phase: str, wall_s: float, latency_s: float, requests: int) -> str:
    extra_ms = (wall_s - 2 * latency_s) * 1000
    return (f"refresh with nothing new {phase}: {wall_s * 1000:.0f} ms wall, {requests} requests, two requests' "
            f"latency {2 * latency_s * 1000:.0f} ms -> plus {extra_ms:.0f} ms "
            f"(target plus under {TARGET_REFRESH_EXTRA_MS:.0f} ms) -> {verdict(extra_ms, TARGET_REFRESH_EXTRA_MS)}")


def diacritics_line(same: list[str], typed: list[str]) -> str:
    missing = [word for word in typed if word not in same]
    return (f"words typed without diacritics find what the words with them find: {len(same)} of {len(typed)}"
            f"{' (not: ' + ', '.join(missing) + ')' if missing else ''} -> {'PASS' if not missing else 'FAIL'}")


def bound_line(name: str, measured: float, target: float, unit: str) -> str:
    return f"{name}: {measured:.1f} {unit} (target under {target:.0f} {unit}) -> {verdict(measured, target)}"


def depth_line(top_ms: float, deep_ms: float, deep_rows: int) -> str:
    ratio = deep_ms / top_ms
    return (f"a page of rows after {deep_rows:,} rows vs at the top: {deep_ms:.2f} ms vs {top_ms:.2f} ms -> "
            f"ratio {ratio:.2f}x (target at most {TARGET_DEPTH_RATIO}x) -> {verdict(ratio, TARGET_DEPTH_RATIO)}")


# -- the child: the real window ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Probes:
    long_conversation_id: str
    login: str
    order_id: str
    waybill: str
    sku: str


def searches(probes: Probes) -> dict[str, str]:
    words = vocabulary()
    return {
        f"common word '{words[1]}'": words[1],
        f"medium word '{words[150]}'": words[150],
        f"rare word '{RARE_WORDS[0]}'": RARE_WORDS[0],
        "two words 'paczka kurier'": "paczka kurier",
        "prefix 'reklam'": "reklam",
        "prefix 'prz'": "prz",
        f"login '{probes.login}'": probes.login,
        "login prefix (5 letters)": probes.login[:5],
        "login inside (its end, no first letter)": probes.login[1:],
        "login inside 'owalsk' (common)": "owalsk",
        "order id": probes.order_id,
        "order id prefix (8)": probes.order_id[:8],
        "order id inside (its last 12)": probes.order_id[-12:],
        "waybill": probes.waybill,
        "waybill inside (10 digits)": probes.waybill[4:14],
        "SKU": probes.sku,
        "SKU lower case": probes.sku.lower(),
        "product name folded 'zolty kubek'": "zolty kubek",
        "product name folded 'lozko drewn'": "lozko drewn",
        "no diacritics 'dziekuje'": "dziekuje",
        "no diacritics 'zolwiatko' (rare)": "zolwiatko",
        "no diacritics 'przesylka'": "przesylka",
    }


def _resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(data_dir: Path, probes: Probes, repeat: int, latency: float) -> list[str]:
    from bench import common  # noqa: F401 - offscreen platform, no keyring, before Qt loads
    from PySide6.QtCore import QEvent, QModelIndex
    from PySide6.QtWidgets import QApplication, QProgressBar

    from bench.painted import Heartbeat, Hidden, PaintClock, run_loop_for, run_loop_until
    from magazyn_desktop.app.backend import build_backend
    from magazyn_desktop.app.context import AppContext
    from magazyn_desktop.fake_allegro import DemoAllegro, DemoData
    from magazyn_desktop.paths import resolve_paths
    from magazyn_desktop.store.inbox_records import Filter
    from magazyn_desktop.ui.main_window import MainWindow

    class SlowDemoAllegro(DemoAllegro):
        """The fake, answering each request after the latency a real one has."""

        def handle(self, *args: Any, **kwargs: Any) -> Any:
            time.sleep(latency)
            return super().handle(*args, **kwargs)

    app = QApplication.instance() or QApplication([])
    paths = resolve_paths(data_dir)
    # Refreshes come when a phase asks for them, not from the 60 s poll in the middle of another phase.
    paths.settings_file.write_text(json.dumps({"poll_interval_seconds": 3600}), encoding="utf-8")
    fake = SlowDemoAllegro(DemoData.generate(threads=FAKE_THREADS, issues=FAKE_ISSUES,
                                             now=datetime.now(timezone.utc).replace(microsecond=0)))
    window = MainWindow(AppContext(paths=paths, language="pl", demo=True),
                        backend_factory=lambda: build_backend(paths, demo=True, fake_allegro=fake))
    list_clock = PaintClock()
    window.list_view().viewport().installEventFilter(list_clock)
    started = time.perf_counter()
    window.show()
    list_clock.wait_for_paint(started)
    gc.freeze()  # as the launch does once the window is up
    lines: list[str] = [f"window shown with {window.list_model().rowCount()} rows of "
                        f"{window.conversation_count()} conversations"]

    heartbeat = Heartbeat(5)
    heartbeat.start()
    idle_from = time.perf_counter()
    run_loop_for(1.0)
    idle = heartbeat.longest_between(idle_from, time.perf_counter())
    lines.append(f"GUI lateness with nothing happening (noise floor): {idle.longest_ms:.1f} ms over {idle.ticks}")

    # 1. The first sync, and its end: the window hides the sync's progress bar first thing when the result
    # reaches the GUI thread, which splits the two phases.
    progress = window.statusBar().findChild(QProgressBar)
    assert progress is not None
    result_arrived = Hidden()
    progress.installEventFilter(result_arrived)
    finished: list[tuple[float, Any]] = []
    window.sync_finished.connect(lambda outcome: finished.append((time.perf_counter(), outcome)))
    sync_from = time.perf_counter()
    window.start_background_work()
    run_loop_until(lambda: bool(finished))
    done_at, report = finished[-1]
    sync_to = result_arrived.last_hidden_at if result_arrived.last_hidden_at > sync_from else done_at
    run_loop_for(1.0)
    after_to = time.perf_counter()
    if isinstance(report, BaseException):
        raise RuntimeError(f"the first sync failed: {report!r}")
    lines.append(f"first sync: {report.conversations_added} conversations and {report.messages_added} messages "
                 f"added in {sync_to - sync_from:.2f} s, {report.request_total} requests; the window took "
                 f"{(done_at - sync_to) * 1000:.0f} ms over the result")
    stall = heartbeat.longest_between(sync_from, sync_to)
    lines.append(stall_line("during the first sync", stall.longest_ms, stall.ticks))
    stall = heartbeat.longest_between(sync_to, after_to)
    lines.append(stall_line("as the first sync ends", stall.longest_ms, stall.ticks))

    def refresh(phase: str) -> None:
        walls: list[float] = []
        worst = 0.0
        ticks = 0
        requests = 0
        for _ in range(3):
            finished.clear()
            refresh_from = time.perf_counter()
            window.sync_now()
            run_loop_until(lambda: bool(finished))
            refresh_to, outcome = finished[-1]
            run_loop_for(0.3)
            if isinstance(outcome, BaseException):
                raise RuntimeError(f"a refresh failed: {outcome!r}")
            walls.append(refresh_to - refresh_from)
            requests = max(requests, outcome.request_total)
            lateness = heartbeat.longest_between(refresh_from, time.perf_counter())
            worst, ticks = max(worst, lateness.longest_ms), ticks + lateness.ticks
        lines.append(refresh_line(phase, statistics.median(walls), latency, requests))
        lines.append(stall_line(f"during a refresh with nothing new {phase}", worst, ticks))

    # 2. Refresh with nothing new.
    refresh("(first page loaded)")

    # 3. Filters, searches, clearing the search: from the call to the end of the list's next paint.
    def timed_ms(action: Any) -> float:
        since = time.perf_counter()
        action()
        return list_clock.wait_for_paint(since) * 1000

    filters: list[float] = []
    found: dict[str, int] = {}
    search_samples: dict[str, list[float]] = {name: [] for name in searches(probes)}
    clears: list[float] = []
    for _ in range(repeat):
        for filter_ in [*list(Filter)[1:], Filter.ALL]:  # each switch changes the rows
            filters.append(timed_ms(lambda filter_=filter_: window.set_filter(filter_)))
        for name, text in searches(probes).items():
            search_samples[name].append(timed_ms(lambda text=text: window.set_search(text)))
            found[name] = window.list_model().rowCount()
            clears.append(timed_ms(lambda: window.set_search("")))
    lines.append(latency_line("filter switch", filters))
    for name, samples in search_samples.items():
        lines.append(f"  search {name:<42} p50 {statistics.median(samples):6.1f} ms, p95 {p95(samples):6.1f} ms "
                     f"({found[name]} rows on the first page)")
    lines.append(latency_line("search", [sample for samples in search_samples.values() for sample in samples]))
    lines.append(slowest_kind_line({name: p95(samples) for name, samples in search_samples.items()}))
    lines.append(latency_line("search cleared", clears))

    def first_page(text: str) -> list[str]:
        window.set_search(text)
        model = window.list_model()
        return [row.id for row in (model.conversation_at(i) for i in range(model.rowCount())) if row is not None]

    same = [typed for typed, proper in WITHOUT_DIACRITICS.items() if first_page(typed) == first_page(proper)]
    window.set_search("")
    lines.append(diacritics_line(same, list(WITHOUT_DIACRITICS)))

    # 4. The long conversation: open, leave, memory kept.
    conversation_clock = PaintClock()
    cards = window.conversation_view().message_list().viewport()
    cards.installEventFilter(conversation_clock)  # the cards are drawn in the paint of the list's viewport
    displayed: list[float] = []
    window.conversation_displayed.connect(lambda _id: displayed.append(time.perf_counter()))
    short_id = window.first_conversation_id()
    assert short_id is not None and short_id != probes.long_conversation_id

    def open_to_painted(conversation_id: str) -> float:
        displayed.clear()
        since = time.perf_counter()
        window.open_conversation(conversation_id)
        run_loop_until(lambda: bool(displayed), timeout_s=300)
        return displayed[0] - since + conversation_clock.wait_for_paint(displayed[0], timeout_s=120)

    open_to_painted(short_id)  # warm: fonts, styles, the order panel
    run_loop_for(0.3)
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    rss_before = _resident_mb()
    open_from = time.perf_counter()
    open_s = open_to_painted(probes.long_conversation_id)
    open_to = time.perf_counter()
    run_loop_for(0.3)
    rss_open = _resident_mb()
    leave_from = time.perf_counter()
    leave_s = open_to_painted(short_id)
    leave_to = time.perf_counter()
    run_loop_for(0.5)
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    rss_after = _resident_mb()
    cards.removeEventFilter(conversation_clock)
    lines.append(bound_line("open the 2,000-message conversation, to painted", open_s * 1000, TARGET_OPEN_MS, "ms"))
    stall = heartbeat.longest_between(open_from, open_to)
    lines.append(stall_line("while opening it", stall.longest_ms, stall.ticks))
    lines.append(bound_line("leave it (open another), to painted", leave_s * 1000, TARGET_LEAVE_MS, "ms"))
    stall = heartbeat.longest_between(leave_from, leave_to)
    lines.append(stall_line("while leaving it", stall.longest_ms, stall.ticks))
    lines.append(f"resident memory: {rss_before:.0f} MB before opening it, {rss_open:.0f} MB open, "
                 f"{rss_after:.0f} MB after leaving it")
    lines.append(bound_line("memory kept after leaving it", rss_after - rss_before, TARGET_KEPT_MB, "MB"))

    # 5. Every row loaded, page by page as scrolling asks for them; the cost of a page by depth.
    model = window.list_model()
    window.set_filter(Filter.ALL)
    pages: list[float] = []
    scroll_from = time.perf_counter()
    while model.canFetchMore(QModelIndex()):
        page_from = time.perf_counter()
        model.fetchMore(QModelIndex())
        pages.append(time.perf_counter() - page_from)
        if len(pages) % 50 == 0:
            window.list_view().scrollToBottom()
            app.processEvents()
    window.list_view().scrollToBottom()
    app.processEvents()
    scroll_to = time.perf_counter()
    lines.append(f"all {model.rowCount():,} rows loaded in {len(pages)} pages, {scroll_to - scroll_from:.1f} s")
    sample = max(1, min(20, len(pages) // 4))
    lines.append(depth_line(statistics.median(pages[:sample]) * 1000, statistics.median(pages[-sample:]) * 1000,
                            model.rowCount()))

    # 6. Refresh with nothing new, every row loaded.
    refresh("(all rows loaded)")
    heartbeat.stop()
    window.shutdown()
    return lines


def run(size: str, repeat: int, latency: float) -> list[str]:
    built = fixture(FixtureSpec.of_size(size))
    from magazyn_desktop.fake_allegro import DemoData

    seller = DemoData.generate(threads=FAKE_THREADS, issues=FAKE_ISSUES).seller_login  # as the child's, but for dates
    with tempfile.TemporaryDirectory(prefix="magazyn-bench-") as folder:
        data_dir = working_copy(built, Path(folder) / "data", environment="demo", login=seller)
        child = subprocess.run(
            [sys.executable, "-m", "bench.window", "--measure", str(data_dir), "--repeat", str(repeat),
             "--latency", str(latency), "--long", built.long_conversation_id, "--login", built.probe_login,
             "--order", built.probe_order_id, "--waybill", built.probe_waybill, "--sku", built.probe_sku],
            capture_output=True, text=True, check=False, env=dict(os.environ, HOME=str(Path(folder) / "home")),
        )
        if child.returncode != 0:
            raise RuntimeError(f"the window benchmark failed:\n{child.stdout}\n{child.stderr[-4000:]}")
    return [f"fixture: {built.spec.conversations:,} conversations, {built.spec.messages:,} messages",
            *child.stdout.splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="100k")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # internal: the child process
    parser.add_argument("--long", help=argparse.SUPPRESS)
    parser.add_argument("--login", help=argparse.SUPPRESS)
    parser.add_argument("--order", help=argparse.SUPPRESS)
    parser.add_argument("--waybill", help=argparse.SUPPRESS)
    parser.add_argument("--sku", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        probes = Probes(args.long, args.login, args.order, args.waybill, args.sku)
        lines = measure(args.measure, probes, args.repeat, args.latency)
    else:
        lines = run(args.size, args.repeat, args.latency)
    for line in lines:
        print(line, flush=True)


if __name__ == "__main__":
    main()
