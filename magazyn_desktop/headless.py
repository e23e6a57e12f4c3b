"""The headless launch: `migrate` and `sync --once` take the same steps as the window, in the same order.

Paths, the single-instance guard (recording the holder's role, so a starting window knows it may ask for the folder),
then migrate once, each step timed in the log by `launch_steps.step`; only what follows differs.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from magazyn_desktop.app.launch_steps import (
    EXIT_DATA_DIR,
    EXIT_FAILED,
    EXIT_LOCKED,
    LaunchError,
    lock_error_message,
    migrate_once,
    prepare_paths,
    resolve_language,
    step,
)
from magazyn_desktop.guard import MIGRATE, SYNC, HandoverWatch, LockFileError, lock_holder_pid, record_holder, try_lock
from magazyn_desktop.launch_texts import launch_text
from magazyn_desktop.logsetup import configure_stderr
from magazyn_desktop.paths import AppPaths

if TYPE_CHECKING:
    from magazyn_desktop.store.schema_version import MigrationResult
    from magazyn_desktop.app.store_location import StoreLocation
    from magazyn_desktop.store.store_address import StoreAddress

log = logging.getLogger("magazyn_desktop.startup")


@dataclass(frozen=True)
class HeadlessLaunch:
    paths: AppPaths
    language: str
    migration: MigrationResult  # what the migrate step did
    location: StoreLocation  # the bench's own file, or a team's store


def _paths_and_language(data_dir: str | None, requested_language: str | None) -> tuple[AppPaths, str]:
    """Steps 1 and 2: logging to stderr, the data folder, and the language (the settings' unless asked for)."""
    configure_stderr()
    language = resolve_language(requested_language)
    with step("paths"):
        paths = prepare_paths(data_dir, language)
    return paths, resolve_language(requested_language, paths)


@contextmanager
def _launched(data_dir: str | None, requested_language: str | None, role: str, *, store: str | None = None,
              store_allow_plaintext: bool = False, local_only: bool = False) -> Iterator[HeadlessLaunch]:
    """Steps 1–4 of every launch; raises LaunchError with the user's message. The lock is released on leaving.
    With a team store (`store`, MAGAZYN_STORE_URL, the settings) the migrate step upgrades that one instead."""
    from magazyn_desktop.app.store_location import StoreLocation

    paths, language = _paths_and_language(data_dir, requested_language)
    team = None if local_only else _team_store_address(paths, language, store, store_allow_plaintext)
    location = StoreLocation(paths.database) if team is None else StoreLocation(paths.database, *team)
    with step("guard"):
        try:
            lock = try_lock(paths.lock_file)
        except LockFileError as exc:
            raise LaunchError(lock_error_message(exc.cause, exc.reason, language, paths), EXIT_DATA_DIR) from exc
        if lock is None:
            holder = lock_holder_pid(paths.lock_file)
            message = (launch_text("already_running", language, pid=holder) if holder is not None
                       else launch_text("already_running_unknown", language))
            raise LaunchError(message, EXIT_LOCKED)
        record_holder(paths.lock_file, role)
    try:
        with step("migrate"):
            if location.team is not None:
                from magazyn_desktop.app.team_store import migrate_team_store

                result = migrate_team_store(location.team, location.password, language)
            else:
                result = migrate_once(paths, language)
        log.info("schema at %s (upgraded: %s)", result.after, result.upgraded)
        yield HeadlessLaunch(paths=paths, language=language, migration=result, location=location)
    finally:
        location.close()
        lock.unlock()


def _refused(exc: LaunchError) -> int:
    print(exc, file=sys.stderr)
    return exc.exit_code


def run_migrate(data_dir: str | None, language: str | None, *, store: str | None = None,
                store_allow_plaintext: bool = False) -> int:
    """`magazyn-desktop migrate`: the launch up to its migrate step, then one JSON line saying what it did.

    With a team store (`--store`, MAGAZYN_STORE_URL or the settings) the shared database is upgraded instead, under
    its own lock (app/team_store.py), whatever the bench's window is doing: the data folder only keeps the log."""
    try:
        paths, chosen_language = _paths_and_language(data_dir, language)
        team = _team_store_address(paths, chosen_language, store, store_allow_plaintext)
        if team is not None:
            from magazyn_desktop.app.team_store import migrate_team_store

            address, password, _bench, _person = team
            with step("migrate"):
                result = migrate_team_store(address, password, chosen_language)
            print(json.dumps({"store": address.display(), "revision": result.after, "previous": result.before,
                              "upgraded": result.upgraded}))
            return 0
        with _launched(data_dir, language, MIGRATE) as launch:
            result = launch.migration
    except LaunchError as exc:
        return _refused(exc)
    print(json.dumps({"revision": result.after, "previous": result.before, "upgraded": result.upgraded,
                      "backup": str(result.backup) if result.backup else None}))
    return 0


def run_team_import(from_data_dir: str, language: str | None, *, store: str | None,
                    store_allow_plaintext: bool = False) -> int:
    """`magazyn-desktop team import --from-data-dir DIR --store URL`: the bench's cache, under its folder's guard
    and at head, copied into the team's store (brought to head too) once; one JSON line says what was added."""
    try:
        with _launched(from_data_dir, language, MIGRATE, local_only=True) as launch:
            team = _team_store_address(launch.paths, launch.language, store, store_allow_plaintext)
            if team is None:
                raise LaunchError(launch_text("team_import_needs_store", launch.language), EXIT_FAILED)
            address, password, _bench, person = team
            from magazyn_desktop.app.team_store import migrate_team_store
            from magazyn_desktop.store.db import create_engine_for
            from magazyn_desktop.store.team_engine import create_team_engine
            from magazyn_desktop.store.team_import import import_bench

            migrate_team_store(address, password, launch.language)
            source, target = create_engine_for(launch.paths.database), create_team_engine(address, password)
            try:
                with step("team import"):
                    report = import_bench(source, target, draft_owner=person)
            finally:
                source.dispose()
                target.dispose()
    except LaunchError as exc:
        return _refused(exc)
    print(json.dumps({"store": address.display(), **report.as_dict()}))
    return 0


def _team_store_address(paths: AppPaths, language: str, store: str | None,
                        allow_plaintext: bool) -> tuple[StoreAddress, str | None, str, str] | None:
    """The team store a command is for (the option, else MAGAZYN_STORE_URL, else the settings), its password, the
    bench's name for others and its person's; None: the bench's own file."""
    from magazyn_desktop.app.settings import load_settings
    from magazyn_desktop.app.store_choice import chosen_store_url
    from magazyn_desktop.app.team_store import resolve_store_address, store_password

    settings = load_settings(paths.settings_file)
    url = chosen_store_url(store, settings)
    if not url:
        return None
    address = resolve_store_address(url, language,
                                    allow_plaintext=allow_plaintext or settings.store_allow_plaintext)
    from magazyn_desktop.allegro.credentials import CredentialStore
    from magazyn_desktop.app.bench_person import person_name
    from magazyn_desktop.app.team_leadership import holder_name

    return (address.without_password(), store_password(address, CredentialStore()), holder_name(settings),
            person_name(settings))


def run_sync(data_dir: str | None, language: str | None, *, demo: bool, deep: bool = False, store: str | None = None,
             store_allow_plaintext: bool = False) -> int:
    """`magazyn-desktop sync --once [--deep]`: the launch, one sync (with the deep pass) and the queued replies, a
    JSON report on stdout.

    A window started meanwhile asks for the folder: the sync stops at its next safe point and lets it have it.
    """
    try:
        with _launched(data_dir, language, SYNC, store=store, store_allow_plaintext=store_allow_plaintext) as launch:
            # Imported here: the backend pulls in httpx and the client, which `--help` never needs.
            from magazyn_desktop.app.sync_once import run_sync_once

            with step("sync"):
                watch = HandoverWatch(launch.paths.lock_file)
                report = run_sync_once(launch.paths, demo=demo, cancelled=watch.requested,
                                       window_waiting=watch.requested_now, deep=deep, location=launch.location)
    except LaunchError as exc:
        return _refused(exc)
    if report.get("disk_full"):
        from magazyn_desktop.disk_space import disk_full_text

        print(disk_full_text(launch.language, launch.paths.data), file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False))
    return 0 if not report.get("errors") else 1
