"""When a conversation must be answered or decided, how much time is left, and how urgent that is."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from magazyn_desktop.domain.business_calendar import WARSAW
from magazyn_desktop.domain.deadlines import (
    Deadline,
    DeadlineClock,
    DeadlineRule,
    TimeLeft,
    TimeUnit,
    Urgency,
    conversation_deadline,
    time_left,
    urgency,
)
from magazyn_desktop.domain.vocabulary import SubKind


def warsaw(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def deadline_of(sub_kind: SubKind, *, status: str | None = None, closed: bool = False, needs_reply: bool = False,
                decision_due_at: datetime | None = None, status_due_at: datetime | None = None,
                opened_at: datetime | None = None, last_buyer_message_at: datetime | None = None) -> Deadline | None:
    return conversation_deadline(sub_kind=sub_kind, status=status, closed=closed, needs_reply=needs_reply,
                                 decision_due_at=decision_due_at, status_due_at=status_due_at, opened_at=opened_at,
                                 last_buyer_message_at=last_buyer_message_at)


class TestTheDeadlineOfAConversation:
    def test_a_claim_is_due_when_allegro_says(self) -> None:
        due = datetime(2025, 6, 25, 12, 12, tzinfo=timezone.utc)
        assert deadline_of(SubKind.CLAIM, status="CLAIM_SUBMITTED", decision_due_at=due,
                           opened_at=warsaw(2025, 6, 10)) == Deadline(due, DeadlineRule.CLAIM_DECISION)

    def test_a_claim_without_allegros_date_is_due_fourteen_calendar_days_after_it_was_opened(self) -> None:
        # Weekends and holidays do not stop the statutory fortnight; the wall clock's time stays across the change.
        found = deadline_of(SubKind.CLAIM, status="CLAIM_SUBMITTED", opened_at=warsaw(2026, 3, 20, 10))
        assert found == Deadline(warsaw(2026, 4, 3, 10), DeadlineRule.CLAIM_STATUTORY)

    def test_a_decided_claim_has_no_deadline(self) -> None:
        for status in ("CLAIM_ACCEPTED", "CLAIM_REJECTED"):
            assert deadline_of(SubKind.CLAIM, status=status, decision_due_at=warsaw(2026, 3, 20),
                               opened_at=warsaw(2026, 3, 6)) is None

    def test_a_claim_with_no_dates_at_all_has_no_deadline(self) -> None:
        assert deadline_of(SubKind.CLAIM, status="CLAIM_SUBMITTED") is None

    @pytest.mark.parametrize("sub_kind", [SubKind.DISPUTE, SubKind.POST_PURCHASE_ISSUE])
    def test_disputes_and_purchase_problems_are_due_at_their_status_due_date(self, sub_kind: SubKind) -> None:
        due = warsaw(2026, 3, 18, 9)
        assert deadline_of(sub_kind, status="DISPUTE_ONGOING", status_due_at=due, needs_reply=True,
                           last_buyer_message_at=warsaw(2026, 3, 13, 15)) == Deadline(due, DeadlineRule.ISSUE_STATUS)

    def test_a_dispute_without_a_status_due_date_waiting_for_the_seller_takes_the_reply_rule(self) -> None:
        assert deadline_of(SubKind.DISPUTE, status="DISPUTE_ONGOING", needs_reply=True,
                           last_buyer_message_at=warsaw(2026, 3, 13, 15)) == Deadline(
            warsaw(2026, 3, 16, 15), DeadlineRule.REPLY)
        assert deadline_of(SubKind.DISPUTE, status="DISPUTE_ONGOING") is None

    def test_a_closed_dispute_has_no_deadline(self) -> None:
        assert deadline_of(SubKind.DISPUTE, status="DISPUTE_CLOSED", status_due_at=warsaw(2026, 3, 18),
                           needs_reply=True, last_buyer_message_at=warsaw(2026, 3, 13)) is None

    def test_a_message_waiting_for_a_reply_is_due_in_24_business_hours(self) -> None:
        assert deadline_of(SubKind.COMMON, needs_reply=True, last_buyer_message_at=warsaw(2027, 3, 26, 15)) == Deadline(
            warsaw(2027, 3, 30, 15), DeadlineRule.REPLY)  # across Easter Monday

    def test_a_message_answered_or_closed_has_no_deadline(self) -> None:
        received = warsaw(2026, 3, 13, 15)
        assert deadline_of(SubKind.COMMON, needs_reply=False, last_buyer_message_at=received) is None
        assert deadline_of(SubKind.COMMON, needs_reply=True, closed=True, last_buyer_message_at=received) is None
        assert deadline_of(SubKind.COMMON, needs_reply=True) is None

    def test_a_naive_date_is_refused(self) -> None:
        with pytest.raises(ValueError, match="time zone"):
            deadline_of(SubKind.CLAIM, status="CLAIM_SUBMITTED", opened_at=datetime(2026, 3, 20, 10))


class TestTimeLeft:
    @pytest.mark.parametrize("left, expected", [
        (timedelta(days=2, hours=20), TimeLeft(False, 2, TimeUnit.DAYS)),
        (timedelta(days=14), TimeLeft(False, 14, TimeUnit.DAYS)),
        (timedelta(hours=47, minutes=59), TimeLeft(False, 47, TimeUnit.HOURS)),  # hours up to two days
        (timedelta(hours=5, minutes=30), TimeLeft(False, 5, TimeUnit.HOURS)),
        (timedelta(hours=1), TimeLeft(False, 1, TimeUnit.HOURS)),
        (timedelta(minutes=40, seconds=59), TimeLeft(False, 40, TimeUnit.MINUTES)),
        (timedelta(seconds=20), TimeLeft(False, 1, TimeUnit.MINUTES)),  # never "0 min left"
        (timedelta(0), TimeLeft(True, 1, TimeUnit.MINUTES)),  # at the deadline it is past
        (-timedelta(minutes=12), TimeLeft(True, 12, TimeUnit.MINUTES)),
        (-timedelta(hours=3, minutes=10), TimeLeft(True, 3, TimeUnit.HOURS)),
        (-timedelta(days=2, hours=1), TimeLeft(True, 2, TimeUnit.DAYS)),
    ])
    def test_the_largest_whole_unit_is_shown(self, left: timedelta, expected: TimeLeft) -> None:
        now = warsaw(2026, 3, 13, 15)
        assert time_left(now + left, now) == expected

    def test_it_counts_real_time_across_the_clock_change(self) -> None:
        # Friday 15:00 to Monday 15:00 across the spring change is 71 hours: still "2 days".
        assert time_left(warsaw(2026, 3, 30, 15), warsaw(2026, 3, 27, 15)) == TimeLeft(False, 2, TimeUnit.DAYS)
        assert time_left(warsaw(2026, 3, 29, 4), warsaw(2026, 3, 29, 1)) == TimeLeft(False, 2, TimeUnit.HOURS)


class TestUrgency:
    def test_overdue_at_and_after_the_deadline(self) -> None:
        now = warsaw(2026, 3, 16, 15)
        assert urgency(now, now) is Urgency.OVERDUE
        assert urgency(now - timedelta(days=30), now) is Urgency.OVERDUE

    def test_due_within_one_working_day(self) -> None:
        friday_noon = warsaw(2026, 3, 13, 12)
        assert urgency(warsaw(2026, 3, 13, 18), friday_noon) is Urgency.DUE_SOON
        # Monday 11:59 is 23:59 of working time away (the weekend does not count): due soon already on Friday.
        assert urgency(warsaw(2026, 3, 16, 11, 59), friday_noon) is Urgency.DUE_SOON
        assert urgency(warsaw(2026, 3, 15, 10), friday_noon) is Urgency.DUE_SOON  # a claim due on Sunday
        assert urgency(warsaw(2026, 3, 16, 12), friday_noon) is Urgency.LATER  # a full working day away
        assert urgency(warsaw(2026, 3, 17, 10), friday_noon) is Urgency.LATER

    def test_a_holiday_does_not_count_as_a_working_day(self) -> None:
        # Thursday before Easter 2027 at noon: Good Friday counts, Easter Monday does not.
        thursday = warsaw(2027, 3, 25, 12)
        assert urgency(warsaw(2027, 3, 26, 11), thursday) is Urgency.DUE_SOON
        assert urgency(warsaw(2027, 3, 26, 13), thursday) is Urgency.LATER
        good_friday = warsaw(2027, 3, 26, 12)
        assert urgency(warsaw(2027, 3, 30, 11), good_friday) is Urgency.DUE_SOON
        assert urgency(warsaw(2027, 3, 30, 13), good_friday) is Urgency.LATER

    def test_a_fresh_message_is_due_soon_the_moment_after_it_arrives(self) -> None:
        received = warsaw(2026, 3, 13, 15)
        due = deadline_of(SubKind.COMMON, needs_reply=True, last_buyer_message_at=received)
        assert due is not None
        assert urgency(due.due_at, received) is Urgency.LATER  # exactly one working day away
        assert urgency(due.due_at, received + timedelta(minutes=1)) is Urgency.DUE_SOON

    def test_the_most_urgent_sorts_first(self) -> None:
        assert sorted([Urgency.LATER, Urgency.OVERDUE, Urgency.DUE_SOON]) == [
            Urgency.OVERDUE, Urgency.DUE_SOON, Urgency.LATER]


class TestTheClockOfAListRefresh:
    def test_the_clock_agrees_with_the_plain_functions(self) -> None:
        now = warsaw(2027, 3, 26, 12)
        clock = DeadlineClock.at(now)
        for hours in range(-30, 24 * 9, 5):
            due = now + timedelta(hours=hours, minutes=7)
            assert clock.urgency(due) is urgency(due, now)
            assert clock.time_left(due) == time_left(due, now)

    def test_a_naive_now_is_refused(self) -> None:
        with pytest.raises(ValueError, match="time zone"):
            DeadlineClock.at(datetime(2026, 3, 13, 12))

    def test_a_hundred_thousand_rows_are_cheap(self) -> None:
        import time

        now = warsaw(2026, 3, 13, 12)
        clock = DeadlineClock.at(now)
        deadlines = [now + timedelta(minutes=7 * row - 50_000) for row in range(100_000)]
        started = time.perf_counter()
        for due in deadlines:
            clock.urgency(due)
            clock.time_left(due)
        assert time.perf_counter() - started < 2.0  # a few microseconds a row, on a slow machine


def test_a_provisional_clock_needs_no_calendar_and_says_so() -> None:
    """Until the holiday tables are loaded (after the first paint) a list shows time left from a clock that counts a
    working day as 24 hours; the real one replaces it as soon as the calendar is there."""
    from magazyn_desktop.domain.deadlines import DeadlineClock

    now = datetime(2027, 3, 26, 15, 0, tzinfo=timezone.utc)  # a Friday before Easter
    provisional = DeadlineClock.provisional_at(now)
    assert provisional.provisional and not DeadlineClock.at(now).provisional
    assert provisional.soon_before == now + timedelta(hours=24)
    assert provisional.time_left(now + timedelta(hours=5)) == DeadlineClock.at(now).time_left(now + timedelta(hours=5))
