"""Start-up to the first painted list rows, against a bare PySide6 window that paints a list, at several sizes.

Each measured process is `bench.launch_child`: the real launch (`magazyn_desktop.cli.main`) on a copy of the
fixture's data folder, or a bare QListView of 50 rows; both report on stderr when a list viewport has finished
painting rows. The clock runs from spawning the process to that line. The app runs as an automation account (a
token from MAGAZYN_ACCESS_TOKEN) whose Allegro is a closed loopback port: no network, the sync simply fails.
Runs alternate between the two programs, and each round runs every size, so a busy moment slows both programs
alike and a busier spell of the machine every size alike. Each size's median is compared with the median of all
the bare window's runs, which is the same program at every size.
Both run with their bytecode cached, as an installed or frozen app has it (the run's own cache folder, filled by
a warm-up run of each): compiling the app's sources on every launch is no part of what a user waits for.

The same launches give the migrate step's duration as the launch itself logs it (the `launch step 'migrate' took`
line of its log file, the schema check included), read back from the log after the runs.

Targets: app at most 2.5x the bare window at every size, and flat in inbox size (the ratio at the largest size
at most 1.15x the ratio at the smallest); the logged migrate step under 10 ms (median of the measured launches).

Run: python -m bench.startup [--sizes 1k 10k 100k] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.fixture import SIZES, FixtureSpec, fixture, working_copy
from bench.painted import verdict

TARGET_RATIO = 2.5
TARGET_GROWTH = 1.15
TARGET_MIGRATE_STEP_MS = 10.0
ROWS_PAINTED = "rows painted"  # as bench.launch_child prints it
CLOSED_PORT_URL = "http://127.0.0.1:9"  # the discard port: nothing listens, a request fails at once


def child_env(home: Path) -> dict[str, str]:
    """The measured processes' environment; their bytecode is written to and read from a folder beside `home`."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), MAGAZYN_ACCESS_TOKEN="bench-token",
               MAGAZYN_API_URL=CLOSED_PORT_URL, MAGAZYN_AUTH_URL=CLOSED_PORT_URL,
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", MAGAZYN_LOG_LEVEL="WARNING",
               PYTHONPYCACHEPREFIX=str(home.parent / "bytecode"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


_STEP_LINE = re.compile(r"launch step '(?P<name>[^']+)' took (?P<ms>[0-9]+(?:\.[0-9]+)?) ms")


def logged_step_ms(log_text: str, step: str) -> list[float]:
    """Every duration the launch logged for `step`, in the order of the launches."""
    return [float(found["ms"]) for found in _STEP_LINE.finditer(log_text) if found["name"] == step]


def migrate_step_line(durations_ms: list[float]) -> str:
    median = statistics.median(durations_ms)
    return (f"the launch's migrate step as it logs it (at head, the schema check included): median "
            f"{median:.1f} ms, longest {max(durations_ms):.1f} ms over {len(durations_ms)} launches "
            f"(target under {TARGET_MIGRATE_STEP_MS:.0f} ms) -> {verdict(median, TARGET_MIGRATE_STEP_MS)}")


def time_to_painted_rows(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning the process to its 'rows painted' line on stderr; the process is then stopped."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        assert process.stderr is not None
        tail: list[str] = []
        for line in process.stderr:
            if line.startswith(ROWS_PAINTED):
                return time.perf_counter() - started
            tail = [*tail[-20:], line]
        raise RuntimeError(f"{command} ended without painting rows (exit {process.wait()}):\n{''.join(tail)}")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def app_command(data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "bench.launch_child", "app", "--", "--data-dir", str(data_dir)]


BARE_COMMAND = [sys.executable, "-m", "bench.launch_child", "bare"]


def growth_verdict(ratios: dict[str, float]) -> tuple[float, float, str]:
    """(worst ratio, largest size's ratio over the smallest's, PASS/FAIL) for ratios in size order."""
    values = list(ratios.values())
    worst = max(values)
    growth = values[-1] / values[0]
    ok = verdict(worst, TARGET_RATIO) == "PASS" and verdict(growth, TARGET_GROWTH) == "PASS"
    return worst, growth, "PASS" if ok else "FAIL"


def run(sizes: list[str], runs: int) -> list[str]:
    from magazyn_desktop.paths import resolve_paths

    lines: list[str] = []
    ratios: dict[str, float] = {}
    rows: list[tuple[str, float, float, float]] = []
    migrate_ms: list[float] = []
    with tempfile.TemporaryDirectory(prefix="magazyn-bench-") as folder:
        root = Path(folder)
        env = child_env(root / "home")
        data_dirs = {size: working_copy(fixture(FixtureSpec.of_size(size)), root / f"data-{size}",
                                        environment="custom") for size in sizes}
        time_to_painted_rows(BARE_COMMAND, env)  # a warm-up each: file caches, bytecode
        for data_dir in data_dirs.values():
            time_to_painted_rows(app_command(data_dir), env)
        bare: dict[str, list[float]] = {size: [] for size in sizes}  # the runs next to each size's
        app: dict[str, list[float]] = {size: [] for size in sizes}
        for _ in range(runs):  # every size in each round: a busier spell of the machine slows all sizes alike
            for size, data_dir in data_dirs.items():
                bare[size].append(time_to_painted_rows(BARE_COMMAND, env))
                app[size].append(time_to_painted_rows(app_command(data_dir), env))
        # The bare window is the same program at every size: all its runs, spread over the same rounds as the
        # app's, are one baseline, so the growth between sizes is the app's alone, not its baselines' noise.
        bare_s = statistics.median([seconds for samples in bare.values() for seconds in samples])
        for size, data_dir in data_dirs.items():
            app_s = statistics.median(app[size])
            ratios[size] = app_s / bare_s
            rows.append((size, bare_s, app_s, ratios[size]))
            logged = resolve_paths(data_dir).log_file.read_text(encoding="utf-8")
            migrate_ms += logged_step_ms(logged, "migrate")[1:]  # not the warm-up's
    lines.append(f"start-up to the first painted list rows, median of {runs} alternating runs at each size "
                 f"(the bare window's: of all {runs * len(sizes)} of its runs):")
    lines.append(f"{'conversations':>14} {'bare window':>12} {'app':>9} {'ratio':>7}")
    for size, bare_s, app_s, ratio in rows:
        lines.append(f"{SIZES[size]:>14,} {bare_s * 1000:>9.0f} ms {app_s * 1000:>6.0f} ms {ratio:>6.2f}x")
    worst, growth, outcome = growth_verdict(ratios)
    lines.append(f"start-up to painted rows: worst ratio {worst:.2f}x (target at most {TARGET_RATIO}x), "
                 f"growth {sizes[0]} -> {sizes[-1]} {growth:.2f}x (target at most {TARGET_GROWTH}x) -> {outcome}")
    lines.append(migrate_step_line(migrate_ms))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", choices=SIZES, default=list(SIZES))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    for line in run(args.sizes, args.runs):
        print(line, flush=True)


if __name__ == "__main__":
    main()
