"""The revisions that build the single-bench cache build the same tables on PostgreSQL (only the search differs)."""

from __future__ import annotations

import pytest

pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _declared(name: str | None, type_: str, parent: dict[str, str | None]) -> bool:
    """Whether the models declare it: the login's expression index (revision 0004, which SQLite does not reflect)
    and what revision 0018 builds on PostgreSQL only are not."""
    from magazyn_desktop.store.migration_dialect import POSTGRESQL_ONLY_COLUMNS, POSTGRESQL_ONLY_INDEXES

    if type_ == "column":
        return (parent.get("table_name"), name) not in POSTGRESQL_ONLY_COLUMNS
    return name != "ix_conversations_login_lower" and name not in POSTGRESQL_ONLY_INDEXES


def test_the_migrations_build_the_models_tables_on_postgresql(scratch_url: str) -> None:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from magazyn_desktop.bundle import migrations_dir
    from magazyn_desktop.store.models import Base
    from magazyn_desktop.store.schema_version import HEAD_REVISION

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    engine = create_engine(_sqlalchemy_url(scratch_url))
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_name": _declared})
            assert context.get_current_revision() == HEAD_REVISION
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
