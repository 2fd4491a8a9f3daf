"""Working-day deadlines from the official Chinese calendar (SPEC §8; R-DOC-6, R-DOC-9, R-MR-11).

The holiday data come from the maintained PyPI package ``chinese-calendar`` (statutory holidays and
the adjusted working weekends published by the State Council each year), not from a list written
here. A deadline of N working days after an event is the end (24:00 China Standard Time) of the N-th
working day after the event's calendar day; it is computed once, when the period starts, and stored
on chain as an absolute time. Anyone re-checks it with :func:`working_deadline` (same library
version) from the start time and N, both emitted by the contract.
"""

from __future__ import annotations

import datetime as dt

CST = dt.timezone(dt.timedelta(hours=8), "CST")


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
