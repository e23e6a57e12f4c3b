"""What `doctor --store` reports of a team's PostgreSQL store: its schema, who leads each account and until when,
how far the change log has got, and the connections the benches hold. Read-only, on one connection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from magazyn_desktop.store.schema_version import HEAD_REVISION
from magazyn_desktop.store.team_schema import read_team_schema_status

if TYPE_CHECKING:
    import psycopg

APPLICATION_PREFIX = "magazyn-desktop"  # every connection of the program names itself so (application_name)


def read_team_report(connection: psycopg.Connection) -> dict[str, Any]:
    status = read_team_schema_status(connection)
    report: dict[str, Any] = {
        "schema": {"state": status.state.value, "stored": status.revision, "head": HEAD_REVISION},
        "leases": [], "change_log_head": None, "connections": _connections(connection),
    }
    if status.revision is None or not _has_table(connection, "account_leases"):
        return report
    report["leases"] = [
        {"account_id": account_id, "login": login, "environment": environment, "holder_name": holder_name,
         "fence": fence, "expires_at": expires_at.isoformat(), "expired": bool(expired)}
        for account_id, login, environment, holder_name, fence, expires_at, expired in connection.execute(
            "SELECT l.account_id, a.login, a.environment, l.holder_name, l.fence, l.expires_at, "
            "l.expires_at < (now() AT TIME ZONE 'UTC') FROM account_leases l JOIN accounts a ON a.id = l.account_id "
            "ORDER BY l.account_id")
    ]
    head = connection.execute("SELECT max(seq) FROM change_log").fetchone()
    report["change_log_head"] = int(head[0]) if head and head[0] is not None else 0
    return report


def _has_table(connection: psycopg.Connection, name: str) -> bool:
    found = connection.execute("SELECT to_regclass(%s)", (name,)).fetchone()
    return bool(found and found[0])


def _connections(connection: psycopg.Connection) -> dict[str, Any]:
    """The program's connections to this database now (this report's own aside): in all, by client address, by
    what they are for."""
    by_client: dict[str, int] = {}
    by_purpose: dict[str, int] = {}
    for client, application, count in connection.execute(
        "SELECT coalesce(host(client_addr), 'local'), application_name, count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name LIKE %s AND pid <> pg_backend_pid() "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        (f"{APPLICATION_PREFIX}%",),
    ):
        by_client[client] = by_client.get(client, 0) + int(count)
        by_purpose[application] = by_purpose.get(application, 0) + int(count)
    return {"total": sum(by_client.values()), "by_client": by_client, "by_purpose": by_purpose}
