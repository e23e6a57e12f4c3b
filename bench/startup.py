"""Start-up to the first shown window (offscreen), against a bare PySide6 program that shows one empty window.

The app starts with a database at head holding 100,000 messages. Runs alternate between the two programs and the
medians are compared, so a busy machine slows both alike.

Run: python -m bench.startup [--runs 7] [--frozen dist/magazyn-desktop/magazyn-desktop]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import fill_messages

BARE_WINDOW = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QWidget\n"
    "app = QApplication(sys.argv)\n"
    "window = QWidget()\n"
    "window.show()\n"
    "app.processEvents()\n"
    "print('first window shown', file=sys.stderr, flush=True)\n"
    "app.exec()\n"
)


def time_to_window(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning the process to its 'first window shown' line on stderr."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "first window shown" in line:
                return time.perf_counter() - started
        raise RuntimeError(f"{command[0]} ended without showing a window (exit {process.wait()})")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepared_data_dir(root: Path, messages: int) -> Path:
    from magazyn_desktop.paths import resolve_paths
    from magazyn_desktop.store.migrate import upgrade_to_head

    paths = resolve_paths(root / "data")
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    fill_messages(paths.database, conversations=messages // 20, messages_per_conversation=20)
    return paths.data


def run(runs: int, messages: int, frozen: str | None) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MAGAZYN_LOG_LEVEL="INFO")
    with tempfile.TemporaryDirectory(prefix="magazyn-bench-") as folder:
        root = Path(folder)
        env["HOME"] = str(root / "home")
        data_dir = prepared_data_dir(root, messages)
        programs = {
            "bare PySide6 window": [sys.executable, "-c", BARE_WINDOW],
            "magazyn-desktop from source": [sys.executable, "-m", "magazyn_desktop", "--data-dir", str(data_dir),
                                            "--demo"],
        }
        if frozen:
            programs["magazyn-desktop frozen"] = [frozen, "--data-dir", str(data_dir), "--demo"]
        samples: dict[str, list[float]] = {name: [] for name in programs}
        for name, command in programs.items():  # one warm-up each: file caches
            time_to_window(command, env)
        for _ in range(runs):
            for name, command in programs.items():
                samples[name].append(time_to_window(command, env))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    bare = medians["bare PySide6 window"]
    source = medians["magazyn-desktop from source"]
    lines = [f"{name}: median {value * 1000:.0f} ms over {runs} runs" for name, value in medians.items()]
    lines.append(f"start-up ratio, source app / bare window ({messages:,} messages): {source / bare:.2f}x (target at most 3x)")
    if frozen:
        lines.append(f"start-up ratio, frozen / source: {medians['magazyn-desktop frozen'] / source:.2f}x "
                     "(target at most 1.2x)")
        bundle = Path(frozen).resolve().parent
        size = sum(path.stat().st_size for path in bundle.rglob("*") if path.is_file() and not path.is_symlink())
        lines.append(f"frozen one-folder build: {size / 1e6:.0f} MB in {sum(1 for _ in bundle.rglob('*'))} files")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--frozen", help="path of a built magazyn-desktop executable to compare as well")
    args = parser.parse_args()
    for line in run(args.runs, args.messages, args.frozen):
        print(line)


if __name__ == "__main__":
    main()
