"""Moving a bench into its team: its cache copied into the team's store once, and again without duplicates.

Everything goes in one transaction, so an import stopped half way leaves the team's store as it was. Rows the team
already has (a conversation, a message, an order, a template of the same name) stay as the team has them. Accounts
are matched by environment and login. Replies and claim decisions not yet sent join the shared queue; one the bench
was sending when it stopped becomes uncertain, settled by reading the conversation back (never sent blindly again).
What only says how this bench synced (cursors, its schedule) and what belongs to the team's coordination (leases,
the change log) is not copied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine

from magazyn_desktop.domain.vocabulary import OutboxState
from magazyn_desktop.store.change_log import record_changes
from magazyn_desktop.store.models import Account, Base

_NOT_COPIED = frozenset({"accounts", "account_leases", "change_log", "sync_cursors", "sync_schedule"})
# Tables whose id is the store's own number: a row is the same when these columns are.
_SAME_ROW = {
    "reply_templates": ("name",),
    "conversation_notes": ("conversation_id", "created_at", "text"),
    "outbox": ("conversation_id", "created_at", "text"),
    "claim_decisions": ("issue_id", "created_at", "choice"),
    "attachments": ("message_id", "remote_id"),
}
_UNSENT = {"outbox": "state", "claim_decisions": "state"}
_SENDING = OutboxState.SENDING.value
_UNCERTAIN = OutboxState.UNCERTAIN.value
_SENT = OutboxState.SENT.value


@dataclass
class ImportReport:
    copied: dict[str, int] = field(default_factory=dict)  # table -> rows added to the team's store
    accounts_matched: int = 0
    accounts_added: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"copied": dict(sorted(self.copied.items())), "accounts_matched": self.accounts_matched,
                "accounts_added": self.accounts_added}


def import_bench(source: Engine, target: Engine, draft_owner: str = "") -> ImportReport:
    """Copy the bench's cache (`source`, its SQLite file at head) into the team's store (`target`, at head); the
    bench's drafts become `draft_owner`'s (its person's: drafts are a person's own in a team)."""
    report = ImportReport()
    with source.connect() as reading, target.begin() as writing:
        accounts = _map_accounts(reading, writing, report)
        for table in Base.metadata.sorted_tables:
            if table.name in _NOT_COPIED:
                continue
            mapped = (_mapped(table, dict(row._mapping), accounts, draft_owner)
                      for row in reading.execute(select(table)))
            rows = [row for row in mapped if row is not None and _wanted(table, row)]
            report.copied[table.name] = _insert_new(writing, table, rows)
        conversations = reading.execute(select(Base.metadata.tables["conversations"].c.id,
                                               Base.metadata.tables["conversations"].c.account_id)).all()
        for account_id in {accounts[a] for _, a in conversations if a in accounts}:
            record_changes(writing, account_id, "conversation",
                           [cid for cid, a in conversations if accounts.get(a) == account_id])
    return report


def _map_accounts(reading: Connection, writing: Connection, report: ImportReport) -> dict[int, int]:
    """The bench's account ids -> the team's, adding the accounts the team lacks (matched on environment, login)."""
    table: Table = Account.__table__  # type: ignore[assignment]
    known = {(env, login): account_id for account_id, env, login in
             writing.execute(select(table.c.id, table.c.environment, table.c.login))}
    mapping: dict[int, int] = {}
    for row in reading.execute(select(table)):
        values = dict(row._mapping)
        key = (values["environment"], values["login"])
        if key in known:
            report.accounts_matched += 1
        else:
            values.pop("id")
            known[key] = writing.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
            report.accounts_added += 1
        mapping[row.id] = known[key]
    return mapping


def _mapped(table: Table, row: dict[str, Any], accounts: dict[int, int], draft_owner: str) -> dict[str, Any] | None:
    if table.name == "drafts" and not row["person"]:  # the bench's own draft: its person's in the team
        row["person"] = draft_owner
    if "account_id" in row:
        if row["account_id"] not in accounts:
            return None
        row["account_id"] = accounts[row["account_id"]]
    return row


def _wanted(table: Table, row: dict[str, Any]) -> bool:
    """Of the queues, what is still to be sent; a send in progress on the bench becomes uncertain."""
    column = _UNSENT.get(table.name)
    if column is None:
        return True
    if row[column] == _SENT:
        return False
    if row[column] == _SENDING:
        row[column] = _UNCERTAIN
    return True


def _insert_new(writing: Connection, table: Table, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    same = _SAME_ROW.get(table.name)
    if same is not None:
        for row in rows:
            row.pop("id", None)  # the team's store numbers its own
        existing = _existing(writing, table, same, rows)
        rows = [row for row in rows if tuple(row[name] for name in same) not in existing]
        if not rows:
            return 0
    statement = insert(table).on_conflict_do_nothing()
    added = 0
    for chunk in _chunks(rows, 500):
        result = writing.execute(statement.returning(*table.primary_key.columns), chunk)
        added += len(result.all())
    return added


def _existing(writing: Connection, table: Table, same: tuple[str, ...], rows: list[dict[str, Any]]) -> set[tuple]:
    """The team's rows sharing the first column with these, as keys compared in Python (NULL equals NULL here)."""
    columns = [table.c[name] for name in same]
    firsts = sorted({row[same[0]] for row in rows}, key=repr)
    found: set[tuple] = set()
    for chunk in _chunks(firsts, 500):
        found.update(tuple(r) for r in writing.execute(select(*columns).where(columns[0].in_(chunk))))
    return found


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]

