"""Working-day deadlines (SPEC section 8; R-MR-11) from the official Chinese calendar.

A deadline of *n working days* from a moment is the end (23:59:59, Beijing time) of the n-th working
day after that moment's calendar day, where working days follow the State Council's holiday schedule
with its adjusted workdays, as published by the maintained ``chinese-calendar`` package (not a list
written here). The contract stores the absolute time it is given and only checks that it lies between
the calendar-day minimum (n days) and a generous maximum (2n + 14 days), so anyone can recompute the
deadline from the start time in the event with :func:`add_working_days` and compare (:func:`verify`).

A year the installed ``chinese-calendar`` has no data for (the schedule is published each November
for the next year) raises :class:`CalendarError` unless ``fallback=True``, which then counts Monday to
Friday for that year and says so in :attr:`Deadline.basis` (marked provisional).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from importlib.metadata import version

import chinese_calendar

BEIJING = timezone(timedelta(hours=8))
CALENDAR = f"chinese-calendar {version('chinese-calendar')}"


class CalendarError(ValueError):
    """The official calendar has no data for a day a deadline needs."""

    rule = "R-MR-11"

    def __init__(self, day: date) -> None:
        self.day = day
        super().__init__(
            f"R-MR-11: {CALENDAR} has no holiday data for {day.year}; upgrade chinese-calendar, "
            "or accept a provisional Monday-to-Friday count for that year (fallback)"
        )


@dataclass(frozen=True)
class Deadline:
    start: int
    working_days: int
    deadline: int
    last_day: date
    basis: str

    @property
    def provisional(self) -> bool:
        return self.basis != CALENDAR

    def as_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "working_days": self.working_days,
            "deadline": self.deadline,
            "last_day": self.last_day.isoformat(),
            "basis": self.basis,
        }


def is_workday(day: date, *, fallback: bool = False) -> tuple[bool, bool]:
    """Whether ``day`` is a working day, and whether the answer is provisional (no calendar data)."""
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        if not fallback:
            raise CalendarError(day) from None
        return day.weekday() < 5, True


def add_working_days(start: int, n: int, *, fallback: bool = False) -> Deadline:
    """The end of the ``n``-th working day after the (Beijing) calendar day of unix time ``start``."""
    if n < 1:
        raise ValueError("a period has at least one working day")
    day = datetime.fromtimestamp(start, BEIJING).date()
    count = 0
    provisional: set[int] = set()
    while count < n:
        day += timedelta(days=1)
        work, guessed = is_workday(day, fallback=fallback)
        if guessed:
            provisional.add(day.year)
        if work:
            count += 1
    end = int(datetime.combine(day + timedelta(days=1), time(0), BEIJING).timestamp()) - 1
    basis = CALENDAR
    if provisional:
        years = ", ".join(str(y) for y in sorted(provisional))
        basis = f"provisional: Monday to Friday for {years} (no data in {CALENDAR})"
    return Deadline(start, n, end, day, basis)


def verify(start: int, n: int, deadline: int, *, fallback: bool = False) -> bool:
    """Whether ``deadline`` is exactly the one the calendar gives for ``n`` working days from ``start``."""
    return add_working_days(start, n, fallback=fallback).deadline == deadline


def working_days_between(start: int, end: int, *, fallback: bool = True) -> int:
    """Working days strictly after ``start``'s day up to and including ``end``'s day (R-MR-13)."""
    d0 = datetime.fromtimestamp(start, BEIJING).date()
    d1 = datetime.fromtimestamp(end, BEIJING).date()
    n = 0
    while d0 < d1:
        d0 += timedelta(days=1)
        if is_workday(d0, fallback=fallback)[0]:
            n += 1
    return n
