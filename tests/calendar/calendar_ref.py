"""An independent working-day reference for the tests (SPEC §8).

It shares nothing with ``zhili.core.workdays`` or the contract: it asks the ``chinese-calendar`` library
day by day and, for years the library does not cover, reads a notice file's lists directly. Tests
compare what the chain stores with this.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import yaml

CST = dt.timezone(dt.timedelta(hours=8))
NOTICES = Path(__file__).parent


def _notice_days(year: int) -> tuple[set[dt.date], set[dt.date]] | None:
    path = NOTICES / f"notice-{year}.yaml"
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    off = {h["date"] if isinstance(h, dict) else h for h in data.get("holidays") or []}
    return off, set(data.get("workdays") or [])


def is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        lists = _notice_days(day.year)
        if lists is None:
            raise
        off, extra = lists
        return day in extra or (day.weekday() < 5 and day not in off)


def expected_deadline(start: int, n: int) -> int:
    """24:00 CST at the end of the n-th working day strictly after the CST day of ``start``."""
    day = dt.datetime.fromtimestamp(start, CST).date()
    while n:
        day += dt.timedelta(days=1)
        n -= is_workday(day)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=CST).timestamp()) + 86400


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> int:
    """Unix time of a CST wall-clock time."""
    return int(dt.datetime(y, m, d, h, mi, s, tzinfo=CST).timestamp())
