"""Which times from Allegro may steer the sync: not before 2000, not more than a day past the reference time.

The reference is the server's own clock (the `Date` header of its last answer) when there is one, else the PC's.
A time outside the window (9999-12-31 from a glitch, 0001-01-01 from a default value) is kept on its record, but it
never moves a sync cursor and never sorts a conversation above everything else; and no cursor ever moves past the
reference, whatever the leeway, so one fast clock cannot make later messages look old.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary

EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LEEWAY = timedelta(days=1)  # clocks and time zones disagree; more than a day ahead is not a clock error


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


def is_plausible(at: datetime | None, reference: datetime) -> bool:
    if at is None:
        return False
    at = _aware(at)
    return EARLIEST <= at <= _aware(reference) + LEEWAY


def usable_for_cursor(at: datetime | None, reference: datetime) -> datetime | None:
    """The time a cursor may move to for `at`: None when implausible, never later than the reference."""
    if at is None or not is_plausible(at, reference):
        return None
    return min(_aware(at), _aware(reference))


def for_storage(
    summary: ConversationSummary, messages: Sequence[ConversationMessage], reference: datetime
) -> tuple[ConversationSummary, tuple[ConversationMessage, ...]]:
    """The summary and messages with every time that would sort above the reference replaced.

    A summary's implausible last activity becomes unknown (the stored order keeps what it had). A message from the
    far future keeps its place in the history at the newest plausible time of the conversation (or EARLIEST), which
    does not change from one sync to the next, so the stored message is not rewritten on every sync.
    """
    if summary.last_activity_at is not None and not is_plausible(summary.last_activity_at, reference):
        summary = replace(summary, last_activity_at=None)
    limit = _aware(reference) + LEEWAY
    ahead = [m for m in messages if _aware(m.created_at) > limit]
    if not ahead:
        return summary, tuple(messages)
    plausible = [_aware(m.created_at) for m in messages if is_plausible(m.created_at, reference)]
    if summary.last_activity_at is not None:
        plausible.append(_aware(summary.last_activity_at))
    stand_in = max(plausible) if plausible else EARLIEST
    return summary, tuple(replace(m, created_at=stand_in) if _aware(m.created_at) > limit else m for m in messages)
