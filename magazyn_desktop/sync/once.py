"""One sync from the command line (`magazyn-desktop sync --once`), reported as a JSON-able dict.

The caller holds the single-instance guard. The schema is brought to head first (a no-op costing one small read when
it is already there), as every entry point that writes the database must.
"""

from __future__ import annotations

import logging
from typing import Any

from magazyn_desktop.allegro.errors import AllegroError
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.sync.engine import SyncReport

log = logging.getLogger(__name__)


def report_as_dict(report: SyncReport) -> dict[str, Any]:
    return {
        "conversations_added": report.conversations_added,
        "conversations_changed": report.conversations_changed,
        "messages_added": report.messages_added,
        "messages_changed": report.messages_changed,
        "requests": dict(report.requests),
        "errors": list(report.errors),
        "warnings": list(report.warnings),
        "offline": report.offline,
        "needs_sign_in": report.needs_sign_in,
        "timed_out": report.timed_out,
        "retry_after": report.retry_after,
    }


def _send_outbox(backend: Any, report: SyncReport) -> dict[str, int]:
    """Queued replies go out too, so a scheduled run delivers them without the window; counted by final state."""
    states: dict[str, int] = {}
    if backend.outbox is None or report.offline or report.needs_sign_in:
        return states
    try:
        results = backend.outbox.process()
    except AllegroError as exc:  # sign-in needed: the replies stay queued for the next run
        log.warning("queued replies were not sent: %s", exc)
        return states
    for result in results:
        states[result.state.value] = states.get(result.state.value, 0) + 1
    return states


def run_sync_once(paths: AppPaths, *, demo: bool) -> dict[str, Any]:
    """Build the backend, run one sync, close everything; returns the report's counts."""
    # Imported here: building the backend pulls in httpx and the client, which `--help` never needs.
    from magazyn_desktop.backend import build_backend

    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    backend = build_backend(paths, demo=demo)
    try:
        if not backend.has_account or backend.sync is None:
            return {
                "conversations_added": 0, "conversations_changed": 0, "messages_added": 0, "messages_changed": 0,
                "requests": {}, "errors": ["no Allegro account is connected; sign in from the app or use --demo"],
                "offline": False, "needs_sign_in": True,
            }
        report = backend.sync.run_once()
        result = report_as_dict(report)
        result["outbox"] = _send_outbox(backend, report)
        return result
    finally:
        backend.close()
