"""When a conversation must be answered or decided, how much time is left, and how urgent that is.

The rules, most specific first:
- a claim (CLAIM) still undecided: Allegro's `decisionDueDate`; without one, 14 calendar days after the claim was
  opened (to the same time of day on Warsaw's clock), the term of art. 7a of the consumer rights act, after which an
  unanswered complaint counts as accepted. The statute would let the term run to the end of the 14th day, and past
  a weekend or holiday on which it ends (art. 111 and 115 of the civil code); the app counts the stricter way, so
  that no seller is late by its count;
- a dispute or purchase problem still open: its `statusDueDate` where Allegro gives one;
- a conversation whose buyer waits for a reply: 24 business hours after the buyer's last unanswered message
  (business_calendar has the clock's rule).

The words are the window's (ui/labels.py): here a deadline is a moment, a TimeLeft and an Urgency.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from magazyn_desktop.domain.business_calendar import BUSINESS_DAY, WARSAW, add_business_time
from magazyn_desktop.domain.reply_block import DECIDED_ISSUE_STATUSES
from magazyn_desktop.domain.vocabulary import CLOSED_ISSUE_STATUS_SUFFIX, SubKind

CLAIM_ANSWER_TERM = timedelta(days=14)
REPLY_TERM = BUSINESS_DAY  # 24 hours on the business clock
# Time left is shown in days from two days on: below that, hours say more than "1 day".
_DAYS_FROM = timedelta(days=2)
_HOUR = timedelta(hours=1)
_MINUTE = timedelta(minutes=1)
_DISPUTE_SUB_KINDS = frozenset({SubKind.DISPUTE, SubKind.POST_PURCHASE_ISSUE})


class DeadlineRule(str, enum.Enum):
    """Which rule set a deadline: the window can say why a row is due."""

    CLAIM_DECISION = "claim_decision"  # Allegro's decisionDueDate
    CLAIM_STATUTORY = "claim_statutory"  # 14 days after the claim was opened
    ISSUE_STATUS = "issue_status"  # a dispute's or purchase problem's statusDueDate
    REPLY = "reply"  # 24 business hours after the buyer's unanswered message


@dataclass(frozen=True, slots=True)
class Deadline:
    due_at: datetime  # UTC
    rule: DeadlineRule


def conversation_deadline(*, sub_kind: str, status: str | None, closed: bool, needs_reply: bool,
                          decision_due_at: datetime | None, status_due_at: datetime | None,
                          opened_at: datetime | None, last_buyer_message_at: datetime | None) -> Deadline | None:
    """The deadline the stored facts give, or None when nothing is due.

    `opened_at` is the claim's `openedDate`; `last_buyer_message_at` the buyer's last message when the buyer spoke
    last (`needs_reply`). Every moment must be aware.
    """
    for moment in (decision_due_at, status_due_at, opened_at, last_buyer_message_at):
        _check_aware(moment)
    if _decided(status):
        return None
    if sub_kind == SubKind.CLAIM:
        if decision_due_at is not None:
            return Deadline(_utc(decision_due_at), DeadlineRule.CLAIM_DECISION)
        if opened_at is not None:
            # Added on Warsaw's wall clock (one zone on both sides): calendar days, not 14 x 24 real hours.
            return Deadline(_utc(opened_at.astimezone(WARSAW) + CLAIM_ANSWER_TERM), DeadlineRule.CLAIM_STATUTORY)
        return None
    if sub_kind in _DISPUTE_SUB_KINDS and status_due_at is not None:
        return Deadline(_utc(status_due_at), DeadlineRule.ISSUE_STATUS)
    if needs_reply and not closed and last_buyer_message_at is not None:
        return Deadline(add_business_time(last_buyer_message_at, REPLY_TERM), DeadlineRule.REPLY)
    return None


class TimeUnit(str, enum.Enum):
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"


@dataclass(frozen=True, slots=True)
class TimeLeft:
    """Real time to a deadline in its largest whole unit (rounded down, at least 1): "2 days left", "3 h overdue"."""

    overdue: bool
    amount: int
    unit: TimeUnit


class Urgency(enum.IntEnum):
    """For colour and sorting: the most urgent is the smallest."""

    OVERDUE = 0
    DUE_SOON = 1  # less than one working day of business time left
    LATER = 2


@dataclass(frozen=True, slots=True)
class DeadlineClock:
    """Deadlines seen from one moment: built once per refresh of a list, then a few comparisons a row."""

    now: datetime  # UTC
    soon_before: datetime  # a deadline before this is less than one working day away
    provisional: bool = False  # a working day counted as 24 hours: the calendar was not loaded yet

    @classmethod
    def at(cls, now: datetime) -> DeadlineClock:
        _check_aware(now)
        return cls(_utc(now), add_business_time(now, BUSINESS_DAY))

    @classmethod
    def provisional_at(cls, now: datetime) -> DeadlineClock:
        """A clock that needs no calendar, for a first paint that must not wait for it; its time left is exact,
        only "due within a working day" may be off over a weekend or a holiday until the real clock replaces it."""
        _check_aware(now)
        return cls(_utc(now), _utc(now) + BUSINESS_DAY, provisional=True)

    def urgency(self, due_at: datetime) -> Urgency:
        if due_at <= self.now:
            return Urgency.OVERDUE
        return Urgency.DUE_SOON if due_at < self.soon_before else Urgency.LATER

    def time_left(self, due_at: datetime) -> TimeLeft:
        left = due_at - self.now  # `now` is UTC, so this is real time whatever zone due_at is in
        overdue = left <= timedelta(0)
        span = -left if overdue else left
        if span >= _DAYS_FROM:
            return TimeLeft(overdue, span.days, TimeUnit.DAYS)
        if span >= _HOUR:
            return TimeLeft(overdue, span // _HOUR, TimeUnit.HOURS)
        return TimeLeft(overdue, max(1, span // _MINUTE), TimeUnit.MINUTES)


def urgency(due_at: datetime, now: datetime) -> Urgency:
    return DeadlineClock.at(now).urgency(due_at)


def time_left(due_at: datetime, now: datetime) -> TimeLeft:
    return DeadlineClock.at(now).time_left(due_at)


def _decided(status: str | None) -> bool:
    return status in DECIDED_ISSUE_STATUSES or (status or "").endswith(CLOSED_ISSUE_STATUS_SUFFIX)


def _check_aware(moment: datetime | None) -> None:
    if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
        raise ValueError(f"a moment without a time zone cannot be placed on the calendar: {moment.isoformat()}")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
