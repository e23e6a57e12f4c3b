"""Resident memory of the real app process through a session: every row of the list loaded, then the longest
conversation opened and painted.

The process is the real launch (`bench.launch_child app --session`, which runs `magazyn_desktop.cli.main`) on a
copy of the fixture's data folder, as an automation account whose Allegro is a closed loopback port. Its peak
resident set (VmHWM) is read by the process itself at the end of the session.

Target: peak under 250 MB.

Run: python -m bench.memory [--size 100k]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.fixture import SIZES, FixtureSpec, fixture, working_copy
from bench.painted import verdict
from bench.startup import child_env

TARGET_PEAK_MB = 250.0


def peak_line(peak_mb: float) -> str:
    return (f"resident memory peak of the app process: {peak_mb:.0f} MB (target under {TARGET_PEAK_MB:.0f} MB) "
            f"-> {verdict(peak_mb, TARGET_PEAK_MB)}")


def parse_session(line: str) -> dict[str, float]:
    """The child's `session key=value ...` line as numbers."""
    return {key: float(value) for key, value in (part.split("=") for part in line.split()[1:])}


def run(size: str) -> list[str]:
    built = fixture(FixtureSpec.of_size(size))
    with tempfile.TemporaryDirectory(prefix="magazyn-bench-") as folder:
        root = Path(folder)
        data_dir = working_copy(built, root / "data", environment="custom")
        child = subprocess.run(
            [sys.executable, "-m", "bench.launch_child", "app", "--session", built.long_conversation_id, "--",
             "--data-dir", str(data_dir)],
            capture_output=True, text=True, env=child_env(root / "home"), timeout=1800, check=False,
        )
    session = next((line for line in child.stderr.splitlines() if line.startswith("session ")), None)
    if session is None:
        raise RuntimeError(f"the app session ended without its figures (exit {child.returncode}):\n"
                           f"{child.stderr[-4000:]}")
    figures = parse_session(session)
    return [
        f"app session over {built.spec.conversations:,} conversations: {figures['rows']:,.0f} rows loaded "
        f"(peak {figures['rows_peak_mb']:.0f} MB, now {figures['rows_current_mb']:.0f} MB), then the "
        f"2,000-message conversation open (now {figures['current_mb']:.0f} MB)",
        peak_line(figures["peak_mb"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="100k")
    args = parser.parse_args()
    for line in run(args.size):
        print(line, flush=True)


if __name__ == "__main__":
    main()
