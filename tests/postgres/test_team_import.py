"""`team import`: a bench's cache moves into the team's store once; run again, it adds nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from magazyn_desktop.domain.vocabulary import OutboxState
from tests.launch.helpers import run_app

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

pytestmark = pytest.mark.slow

COPIED = ("conversations", "messages", "orders", "outbox", "conversation_notes", "drafts", "reply_templates")


def _counts_sqlite(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COPIED}


def _counts_team(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COPIED}


def _import(data: Path, url: str) -> dict[str, object]:
    done = run_app(["team", "import", "--from-data-dir", str(data), "--store", url])
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_a_bench_moves_in_once_with_its_queue_notes_drafts_and_templates(scratch_url: str, tmp_path: Path) -> None:
    from magazyn_desktop.store.repository import Store

    bench = tmp_path / "bench"
    synced = run_app(["sync", "--once", "--demo", "--data-dir", str(bench)])
    assert synced.returncode == 0, synced.stderr
    database = bench / "magazyn.sqlite3"
    store = Store.open(database)
    try:
        account = store.ensure_account("demo", "sklep_magazyn")
        with sqlite3.connect(database) as connection:
            first, second = (row[0] for row in connection.execute(
                "SELECT id FROM conversations ORDER BY last_activity_at DESC LIMIT 2"))
        queued = store.add_outbox_entry(account, first, "Paczka wyszła dziś rano.")
        sending = store.add_outbox_entry(account, second, "Zwrot przyjęty.")
        assert store.mark_outbox_sending(sending)  # the bench stopped while sending this one
        store.add_note(first, "Klient dzwonił, czeka na fakturę.", author="ania")
        store.save_draft(second, "Dzień dobry, sprawdzam")
    finally:
        store.close()
    from magazyn_desktop.app.settings import load_settings, save_settings

    settings_file = bench / "settings.json"
    save_settings(settings_file, load_settings(settings_file).with_changes(person_name="Ania"))
    before = _counts_sqlite(database)

    first_import = _import(bench, scratch_url)
    assert _counts_team(scratch_url) == before
    copied = first_import["copied"]
    assert isinstance(copied, dict) and copied["conversations"] == before["conversations"] > 0
    with psycopg.connect(scratch_url) as connection:
        states = dict(connection.execute("SELECT text, state FROM outbox").fetchall())
    # The queued reply joins the shared queue; the one in flight is settled by reading back, never resent blindly.
    assert states == {"Paczka wyszła dziś rano.": OutboxState.QUEUED.value, "Zwrot przyjęty.": OutboxState.UNCERTAIN.value}
    with psycopg.connect(scratch_url) as connection:
        owners = connection.execute("SELECT person, text FROM drafts").fetchall()
    assert owners == [("Ania", "Dzień dobry, sprawdzam")]  # a person's own in the team: the bench's person

    again = _import(bench, scratch_url)
    assert set(again["copied"].values()) == {0}  # type: ignore[union-attr]
    assert again["accounts_matched"] == 1 and again["accounts_added"] == 0
    assert _counts_team(scratch_url) == before
    assert queued  # the bench's own ids do not matter to the team's store
