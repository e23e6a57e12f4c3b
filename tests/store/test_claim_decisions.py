"""The claim_decisions table: stored before sending, the outbox's moves, one live decision per claim, and its
revision's upgrade and downgrade."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from magazyn_desktop.bundle import migrations_dir
from magazyn_desktop.domain.claim_decision import ClaimDecision, DecisionChoice, DecisionRefused, Money, Refusal
from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, SubKind
from magazyn_desktop.store.claim_decisions import TRANSITIONS
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.schema_version import HEAD_REVISION, read_schema_status
from tests.launch.helpers import migrate_to, sqlite_tables

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
CLAIM = "00000000-0000-4000-8000-000000000001"
OTHER_CLAIM = "00000000-0000-4000-8000-000000000002"
PARTIAL = ClaimDecision(DecisionChoice.ACCEPTED_PARTIAL_REFUND, "Zwracam część ceny.", Money(Decimal("25.50"), "PLN"))
REJECT = ClaimDecision(DecisionChoice.REJECTED_MINOR_DEFECT, "Rysa jest drobna.")


@pytest.fixture
def account_id(store: Store) -> int:
    account = store.ensure_account("demo", "shop")
    for claim in (CLAIM, OTHER_CLAIM):
        store.upsert_conversation(account, ConversationSummary(
            id=claim, kind=Kind.ISSUE, sub_kind=SubKind.CLAIM, last_activity_at=NOW, status="CLAIM_SUBMITTED"))
    return account


def test_a_decision_is_stored_whole_and_queued(store: Store, account_id: int) -> None:
    decision_id = store.add_claim_decision(account_id, CLAIM, PARTIAL)
    item = store.claim_decision(decision_id)
    assert item is not None
    assert item.decision == PARTIAL and item.state is OutboxState.QUEUED and item.attempts == 0
    assert item.issue_id == CLAIM and item.found_status is None
    assert [d.id for d in store.due_claim_decisions(account_id)] == [decision_id]


def test_the_moves_of_a_send(store: Store, account_id: int) -> None:
    decision_id = store.add_claim_decision(account_id, CLAIM, REJECT)
    assert store.mark_claim_decision_sending(decision_id, NOW)
    assert not store.mark_claim_decision_sending(decision_id, NOW)  # sending already
    assert store.mark_claim_decision_uncertain(decision_id, code="OUTCOME_UNKNOWN")
    assert [d.id for d in store.uncertain_claim_decisions(account_id)] == [decision_id]
    assert store.mark_claim_decision_sent(decision_id, found_status="CLAIM_REJECTED")
    item = store.claim_decision(decision_id)
    assert item is not None and item.state is OutboxState.SENT and item.attempts == 1
    assert item.found_status == "CLAIM_REJECTED" and item.error_code is None and item.sent_at is not None
    assert not store.mark_claim_decision_queued(decision_id)  # sent is final
    assert not store.mark_claim_decision_failed(decision_id, code="REJECTED", message=None)


def test_an_uncertain_decision_found_decided_otherwise_fails_with_the_state_found(store: Store,
                                                                                  account_id: int) -> None:
    decision_id = store.add_claim_decision(account_id, CLAIM, PARTIAL)
    store.mark_claim_decision_sending(decision_id, NOW)
    store.mark_claim_decision_uncertain(decision_id, code="OUTCOME_UNKNOWN")
    assert store.mark_claim_decision_failed(decision_id, code="DECIDED_OTHERWISE", message=None,
                                            found_status="CLAIM_REJECTED")
    item = store.claim_decision(decision_id)
    assert item is not None and item.state is OutboxState.FAILED and item.found_status == "CLAIM_REJECTED"


def test_only_a_started_send_can_fail_and_a_queued_one_cannot_be_sent(store: Store, account_id: int) -> None:
    decision_id = store.add_claim_decision(account_id, CLAIM, REJECT)
    assert not store.mark_claim_decision_failed(decision_id, code="REJECTED", message=None)
    assert not store.mark_claim_decision_sent(decision_id)
    assert not store.mark_claim_decision_uncertain(decision_id)
    assert set(TRANSITIONS[OutboxState.QUEUED]) == {OutboxState.SENDING}


@pytest.mark.parametrize("moves", [[], ["sending"], ["sending", "uncertain"], ["sending", "sent"]])
def test_a_second_decision_is_refused_while_one_is_live_or_sent(store: Store, account_id: int,
                                                                moves: list[str]) -> None:
    decision_id = store.add_claim_decision(account_id, CLAIM, REJECT)
    for move in moves:
        if move == "sending":
            store.mark_claim_decision_sending(decision_id, NOW)
        elif move == "uncertain":
            store.mark_claim_decision_uncertain(decision_id)
        else:
            store.mark_claim_decision_sent(decision_id)
    with pytest.raises(DecisionRefused) as caught:
        store.add_claim_decision(account_id, CLAIM, PARTIAL)
    assert caught.value.refusal is Refusal.DECISION_EXISTS
    assert len(store.claim_decisions_for_issue(CLAIM)) == 1
    store.add_claim_decision(account_id, OTHER_CLAIM, PARTIAL)  # another claim is another matter


def test_after_a_refusal_by_allegro_a_new_decision_may_be_made(store: Store, account_id: int) -> None:
    first = store.add_claim_decision(account_id, CLAIM, REJECT)
    store.mark_claim_decision_sending(first, NOW)
    store.mark_claim_decision_failed(first, code="REJECTED", message="Reklamacja została już rozpatrzona.")
    second = store.add_claim_decision(account_id, CLAIM, PARTIAL)
    assert [d.id for d in store.claim_decisions_for_issue(CLAIM)] == [first, second]
    failed = store.claim_decision(first)
    assert failed is not None and failed.error_message == "Reklamacja została już rozpatrzona."


def test_a_decision_left_sending_becomes_uncertain(store: Store, account_id: int) -> None:
    decision_id = store.add_claim_decision(account_id, CLAIM, REJECT)
    store.mark_claim_decision_sending(decision_id, NOW)
    assert store.recover_interrupted_claim_decisions(account_id) == 1
    item = store.claim_decision(decision_id)
    assert item is not None and item.state is OutboxState.UNCERTAIN and item.error_code == "INTERRUPTED"
    assert store.recover_interrupted_claim_decisions(account_id) == 0


# -- the revision ------------------------------------------------------------------------------------------------


def _alembic_downgrade(database: Path, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    command.downgrade(config, target)


def test_the_upgrade_adds_the_table_and_keeps_the_outbox(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    migrate_to(database, "0012_draft_attachments")
    connection = connect(database)  # with the functions the search index's triggers call
    with connection:
        connection.execute("INSERT INTO accounts (id, environment, is_active, created_at) "
                           "VALUES (1, 'demo', 1, '2026-11-01 10:00:00')")
        connection.execute("INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
                           "updated_at) VALUES (?, 1, 'issue', 'CLAIM', 1, 1, 0, '2026-11-01 10:00:00')", (CLAIM,))
        connection.execute("INSERT INTO outbox (id, account_id, conversation_id, text, state, attempts, created_at, "
                           "updated_at) VALUES (1, 1, ?, 'Dzień dobry.', 'queued', 0, '2026-11-01 10:00:00', "
                           "'2026-11-01 10:00:00')", (CLAIM,))
    connection.close()
    assert "claim_decisions" not in sqlite_tables(database)
    result = upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    assert result.before == "0012_draft_attachments" and result.after == HEAD_REVISION
    store = Store.open(database)
    try:
        assert [e.text for e in store.due_outbox_entries(1)] == ["Dzień dobry."]
        decision_id = store.add_claim_decision(1, CLAIM, PARTIAL)
        assert store.claim_decision(decision_id) is not None
    finally:
        store.close()


def test_the_downgrade_drops_only_the_table(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    upgrade_to_head(database, backups=tmp_path / "backups", quarantine=tmp_path / "damaged")
    assert "claim_decisions" in sqlite_tables(database)
    _alembic_downgrade(database, "0012_draft_attachments")
    assert read_schema_status(database).revision == "0012_draft_attachments"
    tables = sqlite_tables(database)
    assert "claim_decisions" not in tables and {"outbox", "conversations"} <= tables
