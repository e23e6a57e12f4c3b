"""How a row and the conversation's header show a deadline: the time left in words, and a look by urgency that
does not rest on colour alone (a filled mark for overdue, an outlined one for less than a working day, plain text
for later), and the one clock a paint pass reads them from.

A DeadlineClock walks the business calendar when it is built (when is a working day from now), so it is built once
and shared by every row painted until it is a little old, never per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PySide6.QtGui import QColor

from magazyn_desktop.domain.business_calendar import calendar_loaded
from magazyn_desktop.domain.deadlines import DeadlineClock, Urgency
from magazyn_desktop.ui.labels import time_left_label

CLOCK_KEPT_FOR = timedelta(seconds=30)  # "2 h left" read half a minute late is still right to the minute shown
OVERDUE_COLOUR = QColor("#a0213a")  # white on it has a contrast above 6:1
DUE_SOON_COLOUR = QColor("#8a4500")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class DeadlineMark:
    text: str  # "zostały 2 dni", "po terminie 3 h"
    urgency: Urgency

    @property
    def filled(self) -> bool:
        """Overdue: white text on a filled mark, which reads as different from the others without its colour."""
        return self.urgency is Urgency.OVERDUE

    @property
    def outlined(self) -> bool:
        """Less than a working day left: the text in an outline."""
        return self.urgency is Urgency.DUE_SOON

    @property
    def colour(self) -> QColor | None:
        """The mark's colour; None for later deadlines, which take the row's muted text colour."""
        if self.urgency is Urgency.OVERDUE:
            return OVERDUE_COLOUR
        return DUE_SOON_COLOUR if self.urgency is Urgency.DUE_SOON else None


def deadline_mark(due_at: datetime, clock: DeadlineClock) -> DeadlineMark:
    return DeadlineMark(time_left_label(clock.time_left(due_at)), clock.urgency(due_at))


class SharedDeadlineClock:
    """One DeadlineClock for everything painted meanwhile: built again when it is CLOCK_KEPT_FOR old, or when the
    list reads a page (renew)."""

    def __init__(self, now: Callable[[], datetime] = utc_now) -> None:
        self._now = now
        self._clock: DeadlineClock | None = None

    def clock(self) -> DeadlineClock:
        """The pass's clock; provisional (no calendar) until the calendar is loaded, which this never does itself:
        the window loads it in a worker after the first paint, then renews the clock."""
        now = self._now()
        if (self._clock is None or not timedelta(0) <= now - self._clock.now < CLOCK_KEPT_FOR
                or self._clock.provisional and calendar_loaded(now)):
            self._clock = DeadlineClock.at(now) if calendar_loaded(now) else DeadlineClock.provisional_at(now)
        return self._clock

    def renew(self) -> None:
        self._clock = None
