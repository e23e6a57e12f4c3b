"""One sync from the command line (`magazyn-desktop sync --once`), reported as a JSON-able dict.

The caller holds the single-instance guard and has brought the schema to head (the launch's migrate step).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from magazyn_desktop.allegro.errors import AllegroError
from magazyn_desktop.app.backend import build_backend
from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.app.store_location import StoreLocation
from magazyn_desktop.disk_space import is_disk_full, write_problem
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.sync.engine import SyncReport

log = logging.getLogger(__name__)


def report_as_dict(report: SyncReport) -> dict[str, Any]:
    return {
        "conversations_added": report.conversations_added,
        "conversations_changed": report.conversations_changed,
        "messages_added": report.messages_added,
        "messages_changed": report.messages_changed,
        "requests": dict(report.requests),
        "led_elsewhere": report.led_elsewhere,
        "errors": list(report.errors),
        "warnings": list(report.warnings),
        "offline": report.offline,
        "needs_sign_in": report.needs_sign_in,
        "timed_out": report.timed_out,
        "retry_after": report.retry_after,
        "unavailable": report.unavailable,
        "backoff_until": report.backoff_until.isoformat() if report.backoff_until else None,
        "deep_pass": _deep_pass_as_dict(report),
    }


def _deep_pass_as_dict(report: SyncReport) -> dict[str, Any] | None:
    part = report.deep_pass
    if part is None:
        return None
    return {"started_at": part.started_at.isoformat(), "pages": part.pages, "threads_read": part.threads_read,
            "messages_added": part.messages_added, "unreadable": part.unreadable, "complete": part.complete,
            "remaining": part.remaining}


def _send_queued(process: Callable[[], Sequence[Any]], what: str, report: SyncReport) -> dict[str, int]:
    """Queued replies or claim decisions go out too, so a scheduled run delivers them without the window; counted
    by final state. Nothing is sent offline or signed out; a sign-in needed on the way leaves the rest queued."""
    states: dict[str, int] = {}
    if report.offline or report.needs_sign_in:
        return states
    try:
        results = process()
    except AllegroError as exc:
        log.warning("queued %s were not sent: %s", what, exc)
        return states
    for result in results:
        states[result.state.value] = states.get(result.state.value, 0) + 1
    return states


def _report_without_sync(error: str, **flags: bool) -> dict[str, Any]:
    return {
        "conversations_added": 0, "conversations_changed": 0, "messages_added": 0, "messages_changed": 0,
        "requests": {}, "errors": [error], "offline": False, "needs_sign_in": False, "outbox": {}, "claim_decisions": {},
        "orders": {}, "handed_over": False, "disk_full": False, **flags,
    }


def run_sync_once(paths: AppPaths, *, demo: bool, cancelled: Callable[[], bool] = lambda: False,
                  window_waiting: Callable[[], bool] | None = None, deep: bool = False,
                  location: StoreLocation | None = None) -> dict[str, Any]:
    """Build the backend, run one sync (with `deep`, the whole deep pass too), close everything; returns the
    report's counts.

    `cancelled` says that someone else (a starting window) wants the data folder: the sync stops where it safely
    can, queued replies are left for the window to send, and the report says `handed_over`. It may answer from a
    look taken a moment ago, so `window_waiting` (a fresh look; `cancelled` when not given) is asked once more
    when the sync ends, before any reply is sent.

    A full disk ends the run with a report saying so (`disk_full`): SQLite rolled back what it could not write,
    so the cache is as the last commit left it and queued replies stay queued, unsent, for the next run.
    """
    try:
        return _sync_and_send(paths, demo=demo, cancelled=cancelled, window_waiting=window_waiting or cancelled,
                              deep=deep, location=location)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        log.warning("sync stopped: the disk is full (%s)", exc)
        return _report_without_sync(f"the disk is full: {exc}", disk_full=True)


def _sync_and_send(paths: AppPaths, *, demo: bool, cancelled: Callable[[], bool],
                   window_waiting: Callable[[], bool], deep: bool, location: StoreLocation | None) -> dict[str, Any]:
    backend = build_backend(paths, demo=demo, location=location)
    try:
        if not isinstance(backend, ConnectedBackend):
            return _report_without_sync("no Allegro account is connected; sign in from the app or use --demo",
                                        needs_sign_in=True)
        counts_before = _request_counts(backend)
        try:
            report = backend.sync.run_once(cancelled=cancelled, deep=deep)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            # What was stored before the disk filled is committed; what the run learnt beyond that is lost with it.
            log.warning("sync stopped: the disk is full (%s)", exc)
            counts_after = _request_counts(backend)
            made = {name: count - counts_before.get(name, 0) for name, count in sorted(counts_after.items())
                    if count > counts_before.get(name, 0)}
            return {**_report_without_sync(f"the disk is full: {exc}", disk_full=True), "requests": made}
        handed_over = report.cancelled or window_waiting()
        result = {**report_as_dict(report), "handed_over": handed_over, "disk_full": False, "orders": {}}
        if handed_over:
            return {**result, "outbox": {}, "claim_decisions": {}}
        # The engine records a conversation it could not store as an error and goes on; errors on a disk that is
        # full now are that disk's doing, and sending would fail at its first write.
        if report.errors and _disk_is_full(paths):
            return {**result, "outbox": {}, "claim_decisions": {}, "disk_full": True}
        try:
            result["outbox"] = _send_queued(backend.outbox.process, "replies", report)
            # After the replies, on the same terms.
            result["claim_decisions"] = _send_queued(backend.decisions.process, "claim decisions", report)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            log.warning("queued replies were not sent: the disk is full (%s)", exc)
            return {**result, "outbox": result.get("outbox", {}), "claim_decisions": {}, "errors": [*result["errors"], f"the disk is full: {exc}"],
                    "disk_full": True}
        # Not after a run Allegro cut short (offline, signed out, asked for a pause, kept failing, out of time).
        if not (report.offline or report.needs_sign_in or report.timed_out or report.retry_after is not None
                or report.unavailable):
            _prefetch_orders(backend, result, cancelled)
        return result
    finally:
        backend.close()


def _prefetch_orders(backend: ConnectedBackend, result: dict[str, Any], cancelled: Callable[[], bool]) -> None:
    """Last, after the replies: the orders of linked conversations the cache lacks. Their requests join the
    report's, and `orders` says what came of them; a window asking for the folder stops it."""
    counts_before = _request_counts(backend)
    try:
        fetched = backend.orders.run(cancelled)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        log.warning("orders were not fetched: the disk is full (%s)", exc)
        result.update(errors=[*result["errors"], f"the disk is full: {exc}"], disk_full=True)
        return
    finally:
        counts_after = _request_counts(backend)
        requests = dict(result["requests"])
        for name, count in counts_after.items():
            made = count - counts_before.get(name, 0)
            if made > 0:
                requests[name] = requests.get(name, 0) + made
        result["requests"] = dict(sorted(requests.items()))
    result["orders"] = {"fetched": len(fetched.fetched), "unavailable": len(fetched.unavailable),
                        "unreadable": len(fetched.failed), "left": fetched.remaining}


def _request_counts(backend: ConnectedBackend) -> dict[str, int]:
    try:
        return dict(backend.client.request_counts())
    except Exception:  # counting is diagnostics only
        return {}


def _disk_is_full(paths: AppPaths) -> bool:
    problem = write_problem(paths.data)
    return problem is not None and is_disk_full(problem)
