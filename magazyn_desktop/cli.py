"""Command line: the app itself, and the `migrate`, `doctor` and `sync` subcommands for admins and packagers."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

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


def _guarded(options: argparse.Namespace, role: str) -> tuple[Any, Any, str] | int:
    """Paths and the single-instance lock for a headless command that writes the database, its role recorded so
    that a starting window knows it may ask for the folder."""
    from magazyn_desktop.guard import LockFileError, lock_holder_pid, record_holder, try_lock
    from magazyn_desktop.launch_texts import launch_text
    from magazyn_desktop.logsetup import configure_stderr
    from magazyn_desktop.startup import (
        EXIT_DATA_DIR,
        EXIT_LOCKED,
        LaunchError,
        lock_error_message,
        prepare_paths,
        resolve_language,
    )

    configure_stderr()
    language = resolve_language(options.lang)
    try:
        paths = prepare_paths(options.data_dir, language)
    except LaunchError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    try:
        lock = try_lock(paths.lock_file)
    except LockFileError as exc:
        print(lock_error_message(exc, resolve_language(options.lang, paths), paths), file=sys.stderr)
        return EXIT_DATA_DIR
    if lock is None:
        holder = lock_holder_pid(paths.lock_file)
        message = (launch_text("already_running", language, pid=holder) if holder is not None
                   else launch_text("already_running_unknown", language))
        print(message, file=sys.stderr)
        return EXIT_LOCKED
    record_holder(paths.lock_file, role)
    return paths, lock, resolve_language(options.lang, paths)


def run_migrate(options: argparse.Namespace) -> int:
    from magazyn_desktop.guard import MIGRATE
    from magazyn_desktop.startup import LaunchError, migrate_once

    guarded = _guarded(options, MIGRATE)
    if isinstance(guarded, int):
        return guarded
    paths, lock, language = guarded
    try:
        result = migrate_once(paths, language)
    except LaunchError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    finally:
        lock.unlock()
    print(json.dumps({"revision": result.after, "previous": result.before, "upgraded": result.upgraded,
                      "backup": str(result.backup) if result.backup else None}))
    return 0


def run_sync(options: argparse.Namespace) -> int:
    from magazyn_desktop.guard import SYNC, HandoverWatch
    from magazyn_desktop.startup import LaunchError, migrate_once

    guarded = _guarded(options, SYNC)
    if isinstance(guarded, int):
        return guarded
    paths, lock, language = guarded
    try:
        migrate_once(paths, language)
        from magazyn_desktop.sync.once import run_sync_once

        # A window started meanwhile asks for the folder: the sync stops at its next safe point and lets it have it.
        report = run_sync_once(paths, demo=options.demo, cancelled=HandoverWatch(paths.lock_file).requested)
    except LaunchError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    finally:
        lock.unlock()
    if report.get("disk_full"):
        from magazyn_desktop.disk_space import disk_full_text

        print(disk_full_text(language, paths.data), file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False))
    return 0 if not report.get("errors") else 1


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
