"""The reply_templates table: the whole list saved in one go (added, changed, reordered, deleted), names unique,
the default set seeded once only, and its revision's upgrade and downgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

from magazyn_desktop.bundle import migrations_dir
from magazyn_desktop.domain.templates import Template
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.records import TemplateEdit
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.reply_templates import DuplicateTemplateName
from magazyn_desktop.store.schema_version import HEAD_REVISION, read_schema_status
from tests.launch.helpers import migrate_to, sqlite_tables

DEFAULTS = [Template("Status wysyłki", "Paczka {numer_przesylki}"), Template("Zwrot", "Zwrot {numer_zamowienia}")]


def test_templates_are_added_in_the_order_given_with_their_times(store: Store) -> None:
    saved = store.save_reply_templates([TemplateEdit(None, "Zwrot", "Dzień dobry, zwrot.", "formularz.pdf"),
                                        TemplateEdit(None, "Faktura", "Faktura {numer_zamowienia}.", None)])
    assert [(t.name, t.body, t.attachment, t.position) for t in saved] == [
        ("Zwrot", "Dzień dobry, zwrot.", "formularz.pdf", 0), ("Faktura", "Faktura {numer_zamowienia}.", None, 1)]
    assert store.reply_templates() == saved
    assert all(t.created_at.tzinfo is not None and t.updated_at == t.created_at for t in saved)


def test_saving_the_list_edits_reorders_and_deletes(store: Store) -> None:
    first, second, third = store.save_reply_templates(
        [TemplateEdit(None, name, f"{name}.", None) for name in ("A", "B", "C")])
    saved = store.save_reply_templates([TemplateEdit(third.id, "C", "C zmienione.", "zdjecia.pdf"),
                                        TemplateEdit(first.id, "A", "A.", None)])
    assert [(t.id, t.name, t.body, t.attachment, t.position) for t in saved] == [
        (third.id, "C", "C zmienione.", "zdjecia.pdf", 0), (first.id, "A", "A.", None, 1)]
    assert saved[0].created_at == third.created_at and saved[0].updated_at >= third.updated_at
    assert second.id not in {t.id for t in store.reply_templates()}


def test_two_templates_may_swap_their_names_in_one_save(store: Store) -> None:
    first, second = store.save_reply_templates([TemplateEdit(None, "A", "jeden", None),
                                                TemplateEdit(None, "B", "dwa", None)])
    saved = store.save_reply_templates([TemplateEdit(first.id, "B", "jeden", None),
                                        TemplateEdit(second.id, "A", "dwa", None)])
    assert [(t.id, t.name) for t in saved] == [(first.id, "B"), (second.id, "A")]


def test_a_name_used_twice_is_refused_and_nothing_changes(store: Store) -> None:
    before = store.save_reply_templates([TemplateEdit(None, "Zwrot", "Zwrot.", None)])
    with pytest.raises(DuplicateTemplateName) as refused:
        store.save_reply_templates([TemplateEdit(before[0].id, "Zwrot", "Nowy tekst.", None),
                                    TemplateEdit(None, " Zwrot ", "Drugi.", None)])
    assert refused.value.name == "Zwrot"
    assert store.reply_templates() == before


def test_the_default_set_is_seeded_once_and_deleting_it_does_not_bring_it_back(store: Store) -> None:
    assert store.seed_reply_templates(DEFAULTS) is True
    assert [(t.name, t.body) for t in store.reply_templates()] == [(t.name, t.body) for t in DEFAULTS]
    assert store.seed_reply_templates(DEFAULTS) is False
    assert len(store.reply_templates()) == 2
    store.save_reply_templates([])
    assert store.seed_reply_templates(DEFAULTS) is False
    assert store.reply_templates() == []


def test_templates_made_before_the_first_seeding_are_kept_and_no_defaults_added(store: Store) -> None:
    store.save_reply_templates([TemplateEdit(None, "Własny", "Mój tekst.", None)])
    assert store.seed_reply_templates(DEFAULTS) is False
    assert [t.name for t in store.reply_templates()] == ["Własny"]


# -- the revision ------------------------------------------------------------------------------------------------


def test_the_upgrade_adds_the_tables_and_keeps_the_drafts(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    migrate_to(database, "0014_conversation_workflow")
    connection = connect(database)
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, is_active, created_at) "
                           "VALUES (1, 'demo', 1, '2026-11-01 10:00:00')")
        connection.execute("INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
                           "updated_at) VALUES ('c1', 1, 'thread', 'COMMON', 1, 1, 0, '2026-11-01 10:00:00')")
        connection.execute("INSERT INTO drafts (conversation_id, text, updated_at) "
                           "VALUES ('c1', 'szkic', '2026-11-01 10:00:00')")
    connection.close()
    assert "reply_templates" not in sqlite_tables(database)
    result = upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    assert result.before == "0014_conversation_workflow" and result.after == HEAD_REVISION
    store = Store.open(database)
    try:
        assert store.load_draft("c1") == "szkic"
        assert store.seed_reply_templates(DEFAULTS) is True
    finally:
        store.close()


def test_the_downgrade_drops_only_the_newsqlite_tables(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    database = tmp_path / "db.sqlite3"
    upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    assert {"reply_templates", "store_markers"} <= sqlite_tables(database)
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    command.downgrade(config, "0014_conversation_workflow")
    assert read_schema_status(database).revision == "0014_conversation_workflow"
    tables = sqlite_tables(database)
    assert not {"reply_templates", "store_markers"} & tables and {"drafts", "conversation_notes"} <= tables
