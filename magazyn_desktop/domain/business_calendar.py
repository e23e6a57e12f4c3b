"""Business days on Poland's calendar, and a clock that runs only on them.

A business day is a Monday to Friday that is not a Polish public holiday (the `holidays` library's calendar for
Poland, which has the Easter-based days and Christmas Eve from 2025 on). Days are those of Warsaw's local time.

The rule of the business clock: time counts only while it is a business day in Warsaw, from its midnight to the next;
nights of business days count, weekends and holidays do not. So 24 business hours after a message received on
Friday at 15:00 is Monday at 15:00, and after one received on Saturday or Sunday it is the end of Monday (Tuesday
00:00). A duration that ends exactly at the end of a business day ends at that midnight, the earliest moment it is
complete, not after the weekend that follows. Poland's clock changes fall on Sundays, so every business day is
24 real hours long and "Monday 15:00" is on Monday's wall clock whatever the season.

Moments go in aware, in any zone, and come out in UTC like the store's: two aware datetimes of one zone subtract
by their wall clocks, which would be an hour off across a clock change.
"""

from __future__ import annotations

import bisect
import functools
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")
BUSINESS_DAY = timedelta(days=1)  # the length of a business day on the business clock
_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


_LOADED_YEARS: set[int] = set()  # the years public_holidays has computed


@functools.cache
def public_holidays(year: int) -> frozenset[date]:
    """Poland's public holidays of one year, computed once per year."""
    # Imported on first use: the library reads its tables of every country on import (about 80 ms from source),
    # which the launch need not pay.
    import holidays

    days = frozenset(holidays.country_holidays("PL", years=year))
    _LOADED_YEARS.add(year)
    return days


def _years_around(moment: datetime) -> tuple[int, int]:
    """The Warsaw years a business day from `moment` can touch (it may run into January)."""
    year = moment.astimezone(WARSAW).year
    return year, year + 1


def calendar_loaded(moment: datetime) -> bool:
    """Whether counting business time from `moment` is ready, with no import or table to build first."""
    return all(year in _LOADED_YEARS for year in _years_around(moment))


def load_calendar(moment: datetime) -> None:
    """Make counting business time from `moment` ready (for a worker to call: the first call imports the library)."""
    for year in _years_around(moment):
        public_holidays(year)


@functools.cache
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """The holidays of a year that fall on a weekday, sorted: the ones that take a business day away."""
    return tuple(sorted(day for day in public_holidays(year) if day.weekday() < _SATURDAY))


def is_business_day(day: date) -> bool:
    return day.weekday() < _SATURDAY and day not in public_holidays(day.year)


def next_business_day(day: date) -> date:
    """The first business day after `day`."""
    day += _ONE_DAY
    while not is_business_day(day):
        day += _ONE_DAY
    return day


def add_business_days(day: date, count: int) -> date:
    """The day `count` business days after `day` (before it for a negative count); `day` itself is not counted."""
    step = _ONE_DAY if count >= 0 else -_ONE_DAY
    for _ in range(abs(count)):
        day += step
        while not is_business_day(day):
            day += step
    return day


def business_days_between(start: date, end: date) -> int:
    """How many business days lie in [start, end); negative when end comes first."""
    if end < start:
        return -business_days_between(end, start)
    whole_weeks, extra_days = divmod((end - start).days, 7)
    weekdays = whole_weeks * 5 + sum((start.weekday() + offset) % 7 < _SATURDAY for offset in range(extra_days))
    holidays_in_range = 0
    for year in range(start.year, end.year + 1):
        listed = _weekday_holidays(year)
        holidays_in_range += bisect.bisect_left(listed, end) - bisect.bisect_left(listed, start)
    return weekdays - holidays_in_range


def add_business_time(start: datetime, duration: timedelta) -> datetime:
    """The earliest moment at which `duration` of business time has passed since `start`."""
    if duration < timedelta(0):
        raise ValueError(f"a business duration cannot be negative: {duration}")
    moment = _in_warsaw(start)
    day = moment.date()
    if not is_business_day(day):
        if not duration:
            return _utc(moment)
        day, moment = _start_of_next_business_day(day)
    rest_of_day = _real_time(moment, _midnight(day + _ONE_DAY))
    if duration <= rest_of_day:
        return _utc(moment) + duration
    whole_days, remainder = divmod(duration - rest_of_day, BUSINESS_DAY)
    if not remainder:  # ends at the end of a business day
        whole_days, remainder = whole_days - 1, BUSINESS_DAY
    last_day = add_business_days(next_business_day(day), whole_days)
    return _utc(_midnight(last_day)) + remainder


def add_business_hours(start: datetime, hours: float) -> datetime:
    return add_business_time(start, timedelta(hours=hours))


def business_time_between(start: datetime, end: datetime) -> timedelta:
    """Business time from `start` to `end`; negative when end comes first."""
    start, end = _in_warsaw(start), _in_warsaw(end)
    if end < start:
        return -business_time_between(end, start)
    first, last = start.date(), end.date()
    if first == last:
        return _real_time(start, end) if is_business_day(first) else timedelta(0)
    total = _real_time(start, _midnight(first + _ONE_DAY)) if is_business_day(first) else timedelta(0)
    total += business_days_between(first + _ONE_DAY, last) * BUSINESS_DAY
    if is_business_day(last):
        total += _real_time(_midnight(last), end)
    return total


def _in_warsaw(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a moment without a time zone cannot be placed on the calendar: {moment.isoformat()}")
    return moment.astimezone(WARSAW)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=WARSAW)


def _start_of_next_business_day(day: date) -> tuple[date, datetime]:
    following = next_business_day(day)
    return following, _midnight(following)


# Aware datetimes that share a tzinfo subtract and add by their wall clocks; real time needs UTC.
def _real_time(start: datetime, end: datetime) -> timedelta:
    return _utc(end) - _utc(start)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
