"""What `doctor --store` reports of a team's PostgreSQL store: its schema, who leads each account and until when,
how far the change log has got and how far behind it each running bench is, and the connections the benches hold.
Read-only, on one connection."""

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
    report["change_log_head"] = head_seq = int(head[0]) if head and head[0] is not None else 0
    if _has_column(connection, "presence", "seen_seq"):
        report["benches"] = _benches(connection, head_seq)
    return report


def _benches(connection: psycopg.Connection, head_seq: int) -> list[dict[str, Any]]:
    """The running benches (a heartbeat within a minute) and how far behind the change log each one's listener is:
    the lag in changes not yet delivered to it at its last heartbeat (None before it first connected)."""
    return [
        {"person": person, "bench": bench, "seconds_since_heartbeat": round(float(ago), 1),
         "seen_seq": seen_seq, "lag": None if seen_seq is None else max(0, head_seq - int(seen_seq))}
        for person, bench, ago, seen_seq in connection.execute(
            "SELECT person, bench, extract(epoch FROM (now() AT TIME ZONE 'UTC') - seen_at), seen_seq"
            " FROM presence WHERE seen_at > (now() AT TIME ZONE 'UTC') - interval '1 minute'"
            " ORDER BY person, bench")
    ]


def _has_column(connection: psycopg.Connection, table: str, column: str) -> bool:
    found = connection.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                               " AND table_name = %s AND column_name = %s", (table, column)).fetchone()
    return found is not None


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
