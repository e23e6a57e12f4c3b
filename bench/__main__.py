"""Run every benchmark and print its lines: python -m bench [--quick]

--quick uses smaller data sets (for a fast look); the figures in bench/README.md come from full runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# name -> (module, full-size arguments, quick arguments)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "schema": ("bench.schema", [], ["--messages", "100000"]),
    "startup": ("bench.startup", [], ["--runs", "3", "--messages", "20000"]),
    "inbox": ("bench.inbox", [], ["--conversations", "10000", "--repeat", "10"]),
    "sync": ("bench.sync", [], ["--threads", "100", "--issues", "30"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--frozen", help="a built executable, compared in the start-up benchmark")
    parser.add_argument("only", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    args = parser.parse_args()
    for name, (module_name, full, quick) in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        extra = quick if args.quick else full
        if name == "startup" and args.frozen:
            extra = [*extra, "--frozen", os.path.abspath(args.frozen)]
        print(f"== {name}: python -m {module_name} {' '.join(extra)}".rstrip(), flush=True)
        module = importlib.import_module(module_name)
        sys.argv = [module_name, *extra]
        module.main()


if __name__ == "__main__":
    main()
