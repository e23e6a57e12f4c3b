"""The deep pass: re-reading the messages of every thread active in the last day, for what no listing shows.

Allegro publishes some buyer messages late (a buyer confirming a warning, moderation), dated when they were written.
Such a message may be older than the thread's newest one, so the thread's lastMessageDateTime does not move and no
listing tells it apart from an unchanged thread; or the thread's new activity may lie below the refresh's overlap
window. The deep pass lists the threads down to its look-back time and reads the messages of each of them; the store
adds whatever it did not have, in its place by time.

A scheduled pass is spread over routine refreshes: each run reads at most a slice of it after its routine phases,
so a refresh is never delayed by more than one slice. Issues need no deep pass: their summaries carry
chat.messagesCount, which any late chat entry moves, so the routine listing finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from magazyn_desktop.allegro.models import ThreadPage
from magazyn_desktop.domain.records import ConversationSummary

DEEP_PASS_INTERVAL = 30 * 60.0  # seconds between the starts of two scheduled passes
DEEP_PASS_LOOKBACK = timedelta(hours=24)
DEEP_PASS_SLICE = 25  # threads a scheduled pass reads in one run, after the routine refresh


@dataclass
class DeepPassReport:
    """What one run did of a deep pass."""

    started_at: datetime  # when the pass (perhaps begun by an earlier run) started, on the wall clock
    pages: int = 0  # listing requests this run made
    threads_read: int = 0  # threads whose messages this run read
    messages_added: int = 0
    unreadable: int = 0  # threads whose messages could not be read (read again by the next pass)
    complete: bool = False  # the pass has read every thread it listed
    remaining: int = 0  # threads left for later runs


class DeepPass:
    """One pass in progress: the threads it listed and has not read yet, newest first."""

    def __init__(self, *, started_at: datetime, started_clock: float, lookback: timedelta) -> None:
        self.started_at = started_at
        self.started_clock = started_clock
        self.since = started_at - lookback
        self.listed = False
        self.reached_since = False  # the listing went down past the look-back time: it shows every active thread
        self.listed_ids: set[str] = set()
        self.pending: list[ConversationSummary] = []

    def list_threads(self, list_page: Callable[[str | None, int | None], ThreadPage], page_guard: int) -> int:
        """List the threads active since the look-back time (newest first, as Allegro sorts them); returns the
        number of requests. An error propagates, and the pass lists again next time."""
        page_id: str | None = None
        offset: int | None = None
        pages = 0
        seen: dict[str, ConversationSummary] = {}
        while pages < page_guard:
            page = list_page(page_id, offset)
            pages += 1
            fresh = [summary for summary in page.threads if summary.id not in seen]
            reached_older = False
            for summary in fresh:
                at = summary.last_activity_at
                if at is not None and at < self.since:
                    reached_older = True
                    break
                seen[summary.id] = summary
            if reached_older or (page.next_page_id is None and page.next_offset is None):
                self.reached_since = True
                break
            if not fresh:
                break
            if page.next_page_id is not None and page.next_page_id == page_id:
                break  # a server that ignores the cursor
            page_id, offset = page.next_page_id, page.next_offset
        self.pending = list(seen.values())
        self.listed_ids = set(seen)
        self.listed = True
        return pages

    def take(self, count: int | None) -> list[ConversationSummary]:
        """The next threads to read (all of them when `count` is None)."""
        taken = self.pending if count is None else self.pending[:count]
        self.pending = [] if count is None else self.pending[count:]
        return taken

    @property
    def done(self) -> bool:
        return self.listed and not self.pending


def freshest(listed: ConversationSummary, stored: ConversationSummary | None) -> ConversationSummary:
    """The summary to store with a deep read: the listing's, unless a refresh since the pass listed it stored a newer
    one (a slice may run many minutes after the listing)."""
    if stored is None or stored.last_activity_at is None:
        return listed
    if listed.last_activity_at is None or stored.last_activity_at >= listed.last_activity_at:
        return stored
    return listed
