"""Command line: the app itself, and the `migrate`, `doctor` and `sync` subcommands for admins and packagers."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

STARTED_AT = time.perf_counter()

from magazyn_desktop import __version__  # noqa: E402  (the start time is taken before anything else loads)

SUBCOMMANDS = ("migrate", "doctor", "sync")


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="magazyn-desktop",
        description="One inbox for an Allegro seller's buyer conversations. "
                    "Subcommands: migrate, doctor, sync (see 'magazyn-desktop SUBCOMMAND --help').",
    )
    parser.add_argument("--version", action="version", version=f"magazyn-desktop {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (default: MAGAZYN_DATA_DIR or the user's data folder)")
    parser.add_argument("--demo", action="store_true", help="use the built-in demo backend instead of Allegro")
    parser.add_argument("--open", dest="open_id", metavar="CONVERSATION_ID", help="open this conversation (also in a running window)")
    parser.add_argument("--lang", choices=("pl", "en"), help="interface language (default: Polish)")
    parser.add_argument("--smoke-test", action="store_true", help="run the whole launch offscreen, print one JSON line and exit")
    parser.add_argument("--smoke-expect-activations", type=int, default=0, help=argparse.SUPPRESS)
    return parser


def _subcommand_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"magazyn-desktop {name}")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (default: MAGAZYN_DATA_DIR or the user's data folder)")
    parser.add_argument("--lang", choices=("pl", "en"), help="language of messages (default: Polish)")
    if name == "doctor":
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
    if name == "sync":
        parser.add_argument("--once", action="store_true", required=True, help="run one sync and exit")
        parser.add_argument("--demo", action="store_true", help="use the built-in demo backend")
        parser.add_argument("--deep", action="store_true",
                            help="also re-read every thread active in the last day now (the deep pass), for "
                                 "messages Allegro published late")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        name = args.pop(0)
        options = _subcommand_parser(name).parse_args(args)
        if name == "migrate":
            return run_migrate(options)
        if name == "doctor":
            return run_doctor(options)
        return run_sync(options)

    options = _app_parser().parse_args(args)
    from magazyn_desktop.startup import LaunchOptions, run_app

    return run_app(
        LaunchOptions(
            data_dir=options.data_dir,
            demo=options.demo,
            open_conversation_id=options.open_id,
            language=options.lang,
            smoke_test=options.smoke_test,
            smoke_expect_activations=options.smoke_expect_activations,
        ),
        STARTED_AT,
    )


def run_migrate(options: argparse.Namespace) -> int:
    from magazyn_desktop.headless import run_migrate as migrate

    return migrate(options.data_dir, options.lang)


def run_sync(options: argparse.Namespace) -> int:
    from magazyn_desktop.headless import run_sync as sync

    return sync(options.data_dir, options.lang, demo=options.demo, deep=options.deep)


def run_doctor(options: argparse.Namespace) -> int:
    from magazyn_desktop.doctor import collect_report, format_report

    report = collect_report(options.data_dir)
    if options.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, options.lang or "pl"))
    return 0 if report["healthy"] else 1


if __name__ == "__main__":
    sys.exit(main())
