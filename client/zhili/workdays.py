"""Working-day deadlines from the official Chinese calendar (SPEC §8; R-DOC-6, R-DOC-9, R-MR-11).

The holiday data come from the maintained PyPI package ``chinese-calendar`` (statutory holidays and
the adjusted working weekends published by the State Council each year), not from a list written
here. A deadline of N working days after an event is the end (24:00 China Standard Time) of the N-th
working day after the event's calendar day; it is computed once, when the period starts, and stored
on chain as an absolute time. Anyone re-checks it with :func:`working_deadline` or :func:`verify`
(same library version) from the start time and N, both emitted by the contract.

A year the installed ``chinese-calendar`` has no data for (the schedule is published each November
for the next year) raises :class:`CalendarError`; :func:`add_working_days` can instead be told to
count Monday to Friday for such a year (``fallback=True``), and then says so in
:attr:`Deadline.basis` (provisional).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib.metadata import version

CST = dt.timezone(dt.timedelta(hours=8), "CST")
BEIJING = CST
CALENDAR = f"chinese-calendar {version('chinese-calendar')}"


class CalendarError(ValueError):
    """The holiday library does not cover the dates needed (update ``chinese-calendar``)."""


def is_workday(day: dt.date) -> bool:
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise CalendarError(
            f"SPEC §8: the installed chinese-calendar does not cover {day.year}; upgrade it to a version "
            "that includes that year's State Council holiday notice"
        ) from None


def working_days_after(start: dt.date, n: int) -> list[dt.date]:
    """The first ``n`` working days strictly after ``start``."""
    out: list[dt.date] = []
    day = start
    while len(out) < n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            out.append(day)
    return out


def working_deadline(start_ts: int, n: int) -> int:
    """Unix time of the end of the ``n``-th working day after the day (CST) of ``start_ts``."""
    start = dt.datetime.fromtimestamp(start_ts, CST).date()
    last = working_days_after(start, n)[-1] if n > 0 else start
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), CST)
    return int(end.timestamp())


def show(ts: int) -> str:
    """``ts`` as a CST date-time string."""
    return dt.datetime.fromtimestamp(ts, CST).strftime("%Y-%m-%d %H:%M CST")


# ---------------------------------------------------------------------- with a stated basis (R-MR-11)


@dataclass(frozen=True)
class Deadline:
    start: int
    working_days: int
    deadline: int
    last_day: dt.date
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


def _workday(day: dt.date, fallback: bool) -> tuple[bool, bool]:
    """Whether ``day`` is a working day, and whether the answer is provisional (no calendar data)."""
    try:
        return is_workday(day), False
    except CalendarError:
        if not fallback:
            raise
        return day.weekday() < 5, True


def add_working_days(start: int, n: int, *, fallback: bool = False) -> Deadline:
    """Like :func:`working_deadline`, with the last day and the basis of the count."""
    if n < 1:
        raise ValueError("a period has at least one working day")
    day = dt.datetime.fromtimestamp(start, CST).date()
    count = 0
    provisional: set[int] = set()
    while count < n:
        day += dt.timedelta(days=1)
        work, guessed = _workday(day, fallback)
        if guessed:
            provisional.add(day.year)
        if work:
            count += 1
    end = int(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), CST).timestamp())
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
    d0 = dt.datetime.fromtimestamp(start, CST).date()
    d1 = dt.datetime.fromtimestamp(end, CST).date()
    n = 0
    while d0 < d1:
        d0 += dt.timedelta(days=1)
        if _workday(d0, fallback)[0]:
            n += 1
    return n
