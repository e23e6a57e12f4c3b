"""Alembic environment, driven from code (store/migrate.py) or from the `alembic` command in a checkout.

There is deliberately no logging.config.fileConfig here: it would silence the app's own loggers.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from magazyn_desktop.store.db import create_engine_for
from magazyn_desktop.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    on_sqlite = connection.dialect.name == "sqlite"
    # Batch migrations copy tables; with foreign keys on, SQLite would cascade deletes while doing so.
    # The pragma is ignored inside a transaction, so it is set before one begins.
    raw = connection.connection.driver_connection
    if on_sqlite:
        raw.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        # SQLite and PostgreSQL roll DDL back: a failed or killed upgrade leaves the previous schema intact.
        transactional_ddl=True,
        on_version_apply=config.attributes.get("on_version_apply"),
    )
    with context.begin_transaction():
        context.run_migrations()
    if on_sqlite:
        raw.execute("PRAGMA foreign_keys=ON")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from pathlib import Path

    url = config.get_main_option("sqlalchemy.url") or ""
    engine = create_engine_for(Path(url.removeprefix("sqlite:///")))
    with engine.connect() as new_connection:
        _run(new_connection)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
