"""Run every benchmark and print its lines: python -m bench [--quick] [NAME ...]

Each benchmark prints its targets and PASS or FAIL. The fixture (bench/fixture.py) is built on first use and kept
in the system temp folder. --quick runs the same set on the small fixtures and data sets, so the whole set can be
tried in a few minutes; the figures in bench/README.md come from full runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, full-size arguments, quick arguments)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "fixture": ("bench.fixture", ["--size", "100k"], ["--size", "1k"]),
    "startup": ("bench.startup", [], ["--sizes", "1k", "10k", "--runs", "2"]),
    "window": ("bench.window", ["--size", "100k"], ["--size", "1k", "--repeat", "2"]),
    "memory": ("bench.memory", ["--size", "100k"], ["--size", "1k"]),
    "schema": ("bench.schema", ["--fixture", "100k"], ["--messages", "100000", "--fixture", "1k"]),
    "sync": ("bench.sync", [], ["--threads", "100", "--issues", "30", "--size", "1k"]),
    "team": ("bench.team", [], ["--benches", "5", "--messages", "5", "--kills", "1"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("only", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    args = parser.parse_args()
    for name, (module_name, full, quick) in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        extra = quick if args.quick else full
        print(f"== {name}: python -m {module_name} {' '.join(extra)}".rstrip(), flush=True)
        module = importlib.import_module(module_name)
        sys.argv = [module_name, *extra]
        module.main()


if __name__ == "__main__":
    main()
