"""Upgrading a team's shared PostgreSQL store exactly once, however many benches start at the same moment.

The revision is read first, on one plain connection: at head (the usual start) nothing else happens. Behind, the
bench checks that its role may change the schema (else the administrator is asked to run `migrate`), then waits for a
session-level advisory lock held on that same connection, in autocommit: not a transaction-level lock, which a
transaction's end would release, and never taken inside the transaction Alembic runs in, where Alembic's own
transaction handling would roll the upgrade back silently. Holding the lock, it reads the revision again (another
bench may have upgraded meanwhile) and only then runs Alembic on a second, unpooled connection, as one transaction
(PostgreSQL's DDL is transactional: a failed or killed upgrade leaves the previous schema). The lock is taken once and
released once: session locks taken twice stack and would need two unlocks. A pooler in transaction mode would hand
the lock to a server connection the bench no longer uses; the lock is checked to be on the bench's own backend.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from magazyn_desktop.store.schema_version import (
    HEAD_REVISION,
    MigrationResult,
    SchemaState,
    SchemaStatus,
    status_of_revision,
)
from magazyn_desktop.store.store_address import StoreAddress

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)

# The advisory lock's two keys: a namespace of this program's locks, and the schema's lock within it.
LOCK_NAMESPACE = 0x4D414741  # "MAGA"
SCHEMA_LOCK = 1
CONNECT_TIMEOUT_SECONDS = 10
LOCK_WAIT_SECONDS = 600  # another bench's upgrade of a large store may take minutes; longer than that is a fault


class TeamStoreError(Exception):
    """Base of the refusals and failures of a team store's upgrade; each says what the user can do."""


class TeamStoreUnreachableError(TeamStoreError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"the team's database cannot be reached: {detail}")
        self.detail = detail


class TeamSchemaNewerError(TeamStoreError):
    def __init__(self, stored: str) -> None:
        super().__init__(f"the team's database has schema revision {stored}, newer than this bench's {HEAD_REVISION}")
        self.stored = stored
        self.head = HEAD_REVISION


class TeamSchemaRightsError(TeamStoreError):
    """The schema is behind and this bench's role may not change it: an administrator runs `migrate`."""

    def __init__(self, stored: str | None, user: str) -> None:
        super().__init__(f"the team's database (schema {stored or 'empty'}) needs an upgrade to {HEAD_REVISION}, "
                         f"which the role {user} may not make")
        self.stored = stored
        self.head = HEAD_REVISION
        self.user = user


class TeamLockNotHeldError(TeamStoreError):
    """The advisory lock was not on this bench's own server connection: a pooler stands between them."""


class TeamUpgradeFailedError(TeamStoreError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"the upgrade of the team's database failed and was rolled back: {detail}")
        self.detail = detail


def connect_plain(address: StoreAddress, password: str | None = None) -> psycopg.Connection:
    """One autocommit connection outside any pool; raises TeamStoreUnreachableError."""
    import psycopg

    try:
        return psycopg.connect(address.libpq_url(password), autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS,
                               application_name="magazyn-desktop")
    except psycopg.OperationalError as exc:
        raise TeamStoreUnreachableError(_first_line(exc)) from exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def read_team_schema_status(connection: psycopg.Connection) -> SchemaStatus:
    """The stored revision, from Alembic's table in the connection's search path; no table: empty."""
    table = connection.execute("SELECT to_regclass('alembic_version')").fetchone()
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone() if table and table[0] else None
    return status_of_revision(str(row[0]) if row else None)


def may_change_schema(connection: psycopg.Connection) -> bool:
    """Whether this role may create tables in the current schema and alter every table already in it (owns them,
    directly or through a role it belongs to): what an upgrade needs."""
    row = connection.execute(
        "SELECT has_schema_privilege(current_schema(), 'CREATE') AND coalesce(bool_and("
        "pg_has_role(current_user, t.tableowner, 'USAGE')), true) "
        "FROM pg_tables t WHERE t.schemaname = current_schema()").fetchone()
    return bool(row and row[0])


def _current_user(connection: psycopg.Connection) -> str:
    row = connection.execute("SELECT current_user").fetchone()
    return str(row[0]) if row else "?"


def upgrade_team_store(address: StoreAddress, password: str | None = None) -> MigrationResult:
    """Bring the team's store to head exactly once across benches; at head, one small read."""
    started = time.perf_counter()
    connection = connect_plain(address, password)
    try:
        status = read_team_schema_status(connection)
        if status.state is SchemaState.AT_HEAD:
            return MigrationResult(status.revision, HEAD_REVISION, None, False, time.perf_counter() - started)
        if status.state is SchemaState.NEWER:
            raise TeamSchemaNewerError(status.revision or "?")
        if not may_change_schema(connection):
            raise TeamSchemaRightsError(status.revision, _current_user(connection))
        _take_schema_lock(connection)
        try:
            status = read_team_schema_status(connection)  # another bench may have upgraded while this one waited
            if status.state is SchemaState.NEWER:
                raise TeamSchemaNewerError(status.revision or "?")
            if status.state is SchemaState.AT_HEAD:
                log.info("the team's store was upgraded by another bench meanwhile")
                return MigrationResult(status.revision, HEAD_REVISION, None, False, time.perf_counter() - started)
            log.info("upgrading the team's store from %s to %s", status.revision or "nothing", HEAD_REVISION)
            run_team_alembic_upgrade(address, password)
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, SCHEMA_LOCK))
        return MigrationResult(status.revision, HEAD_REVISION, None, True, time.perf_counter() - started)
    finally:
        connection.close()


def _take_schema_lock(connection: psycopg.Connection) -> None:
    connection.execute(f"SET statement_timeout = '{LOCK_WAIT_SECONDS}s'")
    try:
        connection.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_NAMESPACE, SCHEMA_LOCK))
    finally:
        connection.execute("RESET statement_timeout")
    held = connection.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
        "AND classid = %s AND objid = %s AND granted", (LOCK_NAMESPACE, SCHEMA_LOCK)).fetchone()
    if not held or held[0] != 1:
        raise TeamLockNotHeldError("the schema lock is not held by this connection's server process: connect to "
                                   "PostgreSQL directly, not through a pooler in transaction mode")


def run_team_alembic_upgrade(address: StoreAddress, password: str | None = None, target: str = "head") -> None:
    """Alembic on a connection of its own, the whole upgrade one transaction; `target` other than head for tests."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    from magazyn_desktop.bundle import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    engine = create_engine(address.sqlalchemy_url(password), poolclass=NullPool,
                           connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                                         "application_name": "magazyn-desktop migrate"})
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, target)
    except SQLAlchemyError as exc:
        raise TeamUpgradeFailedError(_first_line(exc)) from exc
    finally:
        engine.dispose()
