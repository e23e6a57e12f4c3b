"""Business days on Poland's calendar and the clock that runs only on them, in Warsaw's local time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from magazyn_desktop.domain.business_calendar import (
    WARSAW,
    add_business_days,
    add_business_hours,
    add_business_time,
    business_days_between,
    business_time_between,
    is_business_day,
    public_holidays,
)


def warsaw(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


@pytest.mark.parametrize("day, name", [
    (date(2027, 3, 29), "Easter Monday 2027"),
    (date(2026, 4, 6), "Easter Monday 2026"),
    (date(2026, 6, 4), "Corpus Christi 2026"),
    (date(2027, 5, 27), "Corpus Christi 2027"),
    (date(2026, 5, 1), "1 May"),
    (date(2028, 5, 3), "3 May"),
    (date(2027, 11, 11), "Independence Day"),
    (date(2025, 12, 24), "Christmas Eve, a public holiday from 2025"),
    (date(2026, 12, 24), "Christmas Eve 2026"),
    (date(2029, 12, 24), "Christmas Eve 2029"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 1, 6), "Epiphany"),
])
def test_polish_public_holidays_on_weekdays_are_not_business_days(day: date, name: str) -> None:
    assert day.weekday() < 5, name
    assert not is_business_day(day), name


def test_the_days_around_a_holiday_are_working_days() -> None:
    assert is_business_day(date(2026, 8, 14))  # Friday before the Assumption (a Saturday in 2026)
    assert is_business_day(date(2027, 3, 26))  # Good Friday is a working day in Poland
    assert is_business_day(date(2026, 12, 23)) and is_business_day(date(2026, 12, 28))


def test_christmas_eve_was_a_working_day_before_2025() -> None:
    assert is_business_day(date(2024, 12, 24))  # a Tuesday, before the law made it a holiday
    assert date(2024, 12, 24) not in public_holidays(2024)
    assert date(2025, 12, 24) in public_holidays(2025)


def test_weekends_are_not_business_days_and_ordinary_weekdays_are() -> None:
    assert not is_business_day(date(2026, 3, 7))  # Saturday
    assert not is_business_day(date(2026, 3, 8))  # Sunday
    assert all(is_business_day(date(2026, 3, day)) for day in range(9, 14))


def test_public_holidays_of_a_year_are_cached() -> None:
    assert public_holidays(2027) is public_holidays(2027)
    assert date(2027, 3, 29) in public_holidays(2027)


@pytest.mark.parametrize("start, count, expected", [
    (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday + 1 -> Monday
    (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday + 1 -> Monday
    (date(2026, 3, 9), 5, date(2026, 3, 16)),
    (date(2027, 3, 26), 1, date(2027, 3, 30)),  # Friday before Easter -> Tuesday (Easter Monday skipped)
    (date(2026, 4, 30), 1, date(2026, 5, 4)),  # 1 May on Friday, weekend
    (date(2026, 12, 23), 1, date(2026, 12, 28)),  # 24, 25, 26 December, weekend
    (date(2026, 3, 9), 0, date(2026, 3, 9)),
    (date(2026, 3, 9), -1, date(2026, 3, 6)),  # back over the weekend
    (date(2027, 3, 30), -1, date(2027, 3, 26)),
])
def test_add_business_days(start: date, count: int, expected: date) -> None:
    assert add_business_days(start, count) == expected


def test_business_days_between_counts_the_start_but_not_the_end() -> None:
    assert business_days_between(date(2026, 3, 9), date(2026, 3, 16)) == 5
    assert business_days_between(date(2027, 3, 22), date(2027, 4, 5)) == 9  # Easter Monday in the fortnight
    assert business_days_between(date(2026, 3, 16), date(2026, 3, 9)) == -5
    assert business_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    # A whole year: 2026 has 261 weekdays, 8 of them public holidays.
    assert business_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 253


def test_business_days_between_agrees_with_counting_day_by_day() -> None:
    start = date(2024, 11, 20)
    for length in range(0, 800, 37):
        end = start + timedelta(days=length)
        by_day = sum(is_business_day(start + timedelta(days=offset)) for offset in range(length))
        assert business_days_between(start, end) == by_day


class TestTheClockRunsOnlyOnBusinessDays:
    def test_friday_afternoon_is_due_on_monday_at_the_same_time(self) -> None:
        assert add_business_hours(warsaw(2026, 3, 13, 15), 24) == warsaw(2026, 3, 16, 15)

    def test_a_message_of_the_weekend_is_due_at_the_end_of_monday(self) -> None:
        for received in (warsaw(2026, 3, 14, 0), warsaw(2026, 3, 14, 10, 30), warsaw(2026, 3, 15, 23, 59)):
            assert add_business_hours(received, 24) == warsaw(2026, 3, 17, 0)

    def test_a_whole_business_day_ends_at_midnight_not_after_the_weekend(self) -> None:
        assert add_business_hours(warsaw(2026, 3, 13, 0), 24) == warsaw(2026, 3, 14, 0)

    def test_easter_monday_is_skipped(self) -> None:
        # Maundy Thursday 2027 is 25 March; Good Friday is a working day in Poland; Easter Monday 29 March is not.
        assert add_business_hours(warsaw(2027, 3, 26, 15), 24) == warsaw(2027, 3, 30, 15)
        assert add_business_hours(warsaw(2027, 3, 29, 9), 24) == warsaw(2027, 3, 31, 0)

    def test_corpus_christi_and_the_may_holidays_are_skipped(self) -> None:
        assert add_business_hours(warsaw(2026, 6, 3, 12), 24) == warsaw(2026, 6, 5, 12)  # Corpus Christi: 4 June
        assert add_business_hours(warsaw(2026, 4, 30, 12), 24) == warsaw(2026, 5, 4, 12)  # 1 May on Friday
        assert add_business_hours(warsaw(2028, 5, 2, 12), 24) == warsaw(2028, 5, 4, 12)  # 3 May on Wednesday

    def test_independence_day_and_christmas_eve_are_skipped(self) -> None:
        assert add_business_hours(warsaw(2026, 11, 10, 8), 24) == warsaw(2026, 11, 12, 8)
        assert add_business_hours(warsaw(2025, 12, 23, 16), 24) == warsaw(2025, 12, 29, 16)  # 24-26 Dec, weekend

    def test_the_spring_clock_change_does_not_shorten_the_day(self) -> None:
        # Summer time starts on Sunday 29 March 2026: 71 real hours pass, but the clock reads Monday 15:00.
        due = add_business_hours(warsaw(2026, 3, 27, 15), 24)
        assert due == warsaw(2026, 3, 30, 15)
        assert due.astimezone(timezone.utc).hour == 13
        assert due - warsaw(2026, 3, 27, 15) == timedelta(hours=71)

    def test_the_autumn_clock_change_does_not_lengthen_the_day(self) -> None:
        due = add_business_hours(warsaw(2026, 10, 23, 15), 24)  # winter time from Sunday 25 October
        assert due == warsaw(2026, 10, 26, 15) and due.astimezone(timezone.utc).hour == 14

    def test_an_instant_in_another_zone_is_read_in_warsaw_time(self) -> None:
        # 23:30 UTC on Friday 13 March is 00:30 on Saturday in Warsaw: the clock starts on Monday.
        received = datetime(2026, 3, 13, 23, 30, tzinfo=timezone.utc)
        assert add_business_hours(received, 24) == warsaw(2026, 3, 17, 0)
        assert add_business_hours(received, 24).tzinfo is timezone.utc  # real time subtracts right

    def test_longer_and_partial_durations(self) -> None:
        assert add_business_hours(warsaw(2026, 3, 13, 15), 0.5) == warsaw(2026, 3, 13, 15, 30)
        assert add_business_hours(warsaw(2026, 3, 13, 15), 9) == warsaw(2026, 3, 14, 0)
        assert add_business_hours(warsaw(2026, 3, 13, 15), 10) == warsaw(2026, 3, 16, 1)
        assert add_business_time(warsaw(2026, 3, 13, 15), timedelta(days=5)) == warsaw(2026, 3, 20, 15)
        assert add_business_time(warsaw(2026, 3, 14, 12), timedelta(0)) == warsaw(2026, 3, 14, 12)

    def test_naive_or_negative_input_is_refused(self) -> None:
        with pytest.raises(ValueError, match="time zone"):
            add_business_hours(datetime(2026, 3, 13, 15), 24)
        with pytest.raises(ValueError, match="negative"):
            add_business_hours(warsaw(2026, 3, 13, 15), -1)
        with pytest.raises(ValueError, match="time zone"):
            business_time_between(datetime(2026, 3, 13), warsaw(2026, 3, 14))


class TestBusinessTimeBetween:
    def test_within_one_day_and_across_a_weekend(self) -> None:
        assert business_time_between(warsaw(2026, 3, 13, 9), warsaw(2026, 3, 13, 17)) == timedelta(hours=8)
        assert business_time_between(warsaw(2026, 3, 13, 15), warsaw(2026, 3, 16, 15)) == timedelta(hours=24)
        assert business_time_between(warsaw(2026, 3, 14, 1), warsaw(2026, 3, 15, 23)) == timedelta(0)

    def test_across_easter_and_the_clock_change(self) -> None:
        # Easter Sunday 2027 is also the night summer time starts; Easter Monday counts for nothing.
        assert business_time_between(warsaw(2027, 3, 26, 12), warsaw(2027, 3, 30, 12)) == timedelta(hours=24)

    def test_the_reverse_order_gives_a_negative_time(self) -> None:
        assert business_time_between(warsaw(2026, 3, 16, 15), warsaw(2026, 3, 13, 15)) == timedelta(hours=-24)

    def test_it_undoes_adding_business_time(self) -> None:
        start = warsaw(2025, 12, 19, 13, 45)
        for hours in (1, 10, 24, 50, 24 * 15 + 7):
            assert business_time_between(start, add_business_hours(start, hours)) == timedelta(hours=hours)
