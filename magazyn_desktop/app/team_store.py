"""A team's shared store for a launch: its address checked, its password, and bringing it to this build's schema.

Which store a launch asks for is app/store_choice.py's to say. A password in the URL is used and kept in the keyring, so the settings and the command line need not carry it again;
without one the keyring's is used, else libpq's own sources (PGPASSWORD, the .pgpass file).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.app.launch_steps import EXIT_FAILED, LaunchError
from magazyn_desktop.app.store_choice import ALLOW_PLAINTEXT_VARIABLE
from magazyn_desktop.launch_texts import launch_text
from magazyn_desktop.store.schema_version import MigrationResult
from magazyn_desktop.store.store_address import AddressProblem, StoreAddress, StoreAddressError, parse_store_address

log = logging.getLogger(__name__)

EXIT_STORE_UNREACHABLE = 6  # the shared store could not be reached: worth retrying later


def resolve_store_address(url: str, language: str, *, allow_plaintext: bool = False,
                          environ: Mapping[str, str] = os.environ) -> StoreAddress:
    """The parsed address; raises LaunchError with the user's message when it cannot be a team store."""
    allow = allow_plaintext or environ.get(ALLOW_PLAINTEXT_VARIABLE) == "1"
    try:
        return parse_store_address(url, allow_plaintext=allow)
    except StoreAddressError as exc:
        if exc.problem is AddressProblem.PLAINTEXT_REMOTE:
            raise LaunchError(launch_text("team_plaintext_refused", language, detail=exc.detail), EXIT_FAILED) from exc
        raise LaunchError(launch_text("team_bad_address", language, detail=exc.detail), EXIT_FAILED) from exc


def store_password(address: StoreAddress, credentials: CredentialStore) -> str | None:
    """The database password: the URL's (then kept in the keyring), else the keyring's, else None (libpq's own)."""
    if address.password:
        credentials.save_store_password(address.credential_key(), address.password)
        return address.password
    return credentials.load_store_password(address.credential_key())


def migrate_team_store(address: StoreAddress, password: str | None, language: str) -> MigrationResult:
    """The team store at head, upgraded by this bench only if no other did; LaunchError with the user's message."""
    from magazyn_desktop.store.team_schema import (
        TeamLockNotHeldError,
        TeamSchemaNewerError,
        TeamSchemaRightsError,
        TeamStoreError,
        TeamStoreUnreachableError,
        TeamUpgradeFailedError,
        upgrade_team_store,
    )

    store = address.display()
    try:
        return upgrade_team_store(address, password)
    except TeamStoreError as exc:
        log.error("the team store was not brought to head: %s", exc)
        if isinstance(exc, TeamStoreUnreachableError):
            raise LaunchError(launch_text("team_unreachable", language, store=store, detail=exc.detail),
                              EXIT_STORE_UNREACHABLE) from exc
        if isinstance(exc, TeamSchemaNewerError):
            message = launch_text("team_newer_schema", language, store=store, stored=exc.stored, head=exc.head)
        elif isinstance(exc, TeamSchemaRightsError):
            message = launch_text("team_no_schema_rights", language, store=store, stored=exc.stored or "-",
                                  head=exc.head, user=exc.user)
        elif isinstance(exc, TeamLockNotHeldError):
            message = launch_text("team_pooler", language, store=store)
        elif isinstance(exc, TeamUpgradeFailedError):
            message = launch_text("team_upgrade_failed", language, store=store, detail=exc.detail)
        else:
            message = launch_text("team_upgrade_failed", language, store=store, detail=exc)
        raise LaunchError(message, EXIT_FAILED) from exc
