"""Command line: the app itself, and the subcommands for admins and packagers: `migrate`, `doctor`, `sync`, `search`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

STARTED_AT = time.perf_counter()

from magazyn_desktop import __version__  # noqa: E402  (the start time is taken before anything else loads)

SUBCOMMANDS = ("migrate", "doctor", "sync", "search", "team")
SEARCH_LIMIT = 50  # conversations `search` prints unless --limit says otherwise


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="magazyn-desktop",
        description="One inbox for an Allegro seller's buyer conversations. "
                    "Subcommands: migrate, doctor, sync, search, team (see 'magazyn-desktop SUBCOMMAND --help').",
    )
    parser.add_argument("--version", action="version", version=f"magazyn-desktop {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (default: MAGAZYN_DATA_DIR or the user's data folder)")
    parser.add_argument("--demo", action="store_true", help="use the built-in demo backend instead of Allegro")
    parser.add_argument("--open", dest="open_id", metavar="CONVERSATION_ID", help="open this conversation (also in a running window)")
    parser.add_argument("--lang", choices=("pl", "en"), help="interface language (default: Polish)")
    parser.add_argument("--store", metavar="URL",
                        help="a team's shared PostgreSQL store, postgresql://USER@SERVER/DATABASE (default: "
                             "MAGAZYN_STORE_URL, else the settings, else this bench's own file)")
    parser.add_argument("--store-allow-plaintext", action="store_true",
                        help="allow an unencrypted connection to a remote store (a trusted network only)")
    parser.add_argument("--smoke-test", action="store_true", help="run the whole launch offscreen, print one JSON line and exit")
    parser.add_argument("--smoke-expect-activations", type=int, default=0, help=argparse.SUPPRESS)
    return parser


def _subcommand_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"magazyn-desktop {name}")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (default: MAGAZYN_DATA_DIR or the user's data folder)")
    parser.add_argument("--lang", choices=("pl", "en"), help="language of messages (default: Polish)")
    if name == "team":
        parser.add_argument("action", choices=("import",),
                            help="import: copy a bench's cache into the team's store, once")
        parser.add_argument("--from-data-dir", metavar="DIR", required=True,
                            help="the bench's data folder whose cache is copied (its program must be closed)")
    if name in ("migrate", "sync", "doctor", "team"):
        parser.add_argument("--store", metavar="URL",
                            help="a team's shared PostgreSQL store, postgresql://USER@SERVER/DATABASE (default: "
                                 "MAGAZYN_STORE_URL, else the settings, else this bench's own file)")
        parser.add_argument("--store-allow-plaintext", action="store_true",
                            help="allow an unencrypted connection to a remote store (a trusted network only)")
    if name == "doctor":
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
    if name == "sync":
        parser.add_argument("--once", action="store_true", required=True, help="run one sync and exit")
        parser.add_argument("--demo", action="store_true", help="use the built-in demo backend")
        parser.add_argument("--deep", action="store_true",
                            help="also re-read every thread active in the last day now (the deep pass), for "
                                 "messages Allegro published late")
    if name == "search":
        parser.add_argument("text", nargs="+", metavar="TEXT",
                            help="what to find, as typed in the window's search box (put -- before a text "
                                 "starting with -)")
        parser.add_argument("--json", action="store_true", help="print one JSON object per conversation")
        parser.add_argument("--limit", type=_positive_int, default=SEARCH_LIMIT, metavar="N",
                            help=f"at most N conversations (default: {SEARCH_LIMIT})")
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {value!r}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        name = args.pop(0)
        options = _subcommand_parser(name).parse_args(args)
        if name == "migrate":
            return run_migrate(options)
        if name == "doctor":
            return run_doctor(options)
        if name == "search":
            return run_search(options)
        if name == "team":
            return run_team(options)
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
            store_url=options.store,
            store_allow_plaintext=options.store_allow_plaintext,
        ),
        STARTED_AT,
    )


def run_migrate(options: argparse.Namespace) -> int:
    from magazyn_desktop.headless import run_migrate as migrate

    return migrate(options.data_dir, options.lang, store=options.store,
                   store_allow_plaintext=options.store_allow_plaintext)


def run_team(options: argparse.Namespace) -> int:
    from magazyn_desktop.headless import run_team_import

    return run_team_import(options.from_data_dir, options.lang, store=options.store,
                           store_allow_plaintext=options.store_allow_plaintext)


def run_sync(options: argparse.Namespace) -> int:
    from magazyn_desktop.headless import run_sync as sync

    return sync(options.data_dir, options.lang, demo=options.demo, deep=options.deep, store=options.store,
                store_allow_plaintext=options.store_allow_plaintext)


def run_search(options: argparse.Namespace) -> int:
    from magazyn_desktop.search_command import run_search as search

    return search(options.data_dir, " ".join(options.text), language=options.lang or "pl", as_json=options.json,
                  limit=options.limit)


def run_doctor(options: argparse.Namespace) -> int:
    from magazyn_desktop.doctor import collect_report, format_report

    report = collect_report(options.data_dir, store=options.store, store_allow_plaintext=options.store_allow_plaintext)
    if options.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, options.lang or "pl"))
    return 0 if report["healthy"] else 1


if __name__ == "__main__":
    sys.exit(main())
