"""Reference model of SPEC §8 (working days), for tests only: the years the tests use, written as data.

It shares nothing with the code it checks: it imports neither ``zhili`` (``zhili.core.workdays``, the
client's calendar) nor the ``chinese-calendar`` library the client derives its notices from, and it does
not read the chain's ``WorkCalendar``. Each year's days off and adjusted working weekends (调休上班) are
transcribed below from the State Council's holiday notice, cited; a working day is a weekday that is not
a day off, or an adjusted working weekend. A deadline of *n* working days is counted with a plain loop
(SPEC §8, R-MR-11 "within 7 working days of publication"): 24:00 China Standard Time at the end of the
*n*-th working day strictly after the CST day of the start.

A year not written here raises :class:`YearNotInModel`; add it from its notice (and to the transcription
check in ``tests/calendar/test_calendar.py``), never from the library.
"""

from __future__ import annotations

import datetime as dt

CST = dt.timezone(dt.timedelta(hours=8))
D = dt.date

#: Days off, as the notices give them: (first day, last day, holiday), both ends included, weekends in
#: the span counted as days off too (they are anyway).
DAYS_OFF: dict[int, tuple[tuple[dt.date, dt.date, str], ...]] = {
    # 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12)
    2025: (
        (D(2025, 1, 1), D(2025, 1, 1), "元旦"),  # 1月1日（周三）放假1天，不调休
        (D(2025, 1, 28), D(2025, 2, 4), "春节"),  # 1月28日（除夕、周二）至2月4日（正月初七、周二）放假调休，共8天
        (D(2025, 4, 4), D(2025, 4, 6), "清明节"),  # 4月4日（周五）至6日（周日）放假，共3天
        (D(2025, 5, 1), D(2025, 5, 5), "劳动节"),  # 5月1日（周四）至5日（周一）放假调休，共5天
        (D(2025, 5, 31), D(2025, 6, 2), "端午节"),  # 5月31日（周六）至6月2日（周一）放假，共3天
        (D(2025, 10, 1), D(2025, 10, 8), "国庆节、中秋节"),  # 10月1日（周三）至8日（周三）放假调休，共8天
    ),
    # 国务院办公厅关于2026年部分节假日安排的通知 (its number and date not checked offline; the dates
    # below are checked day by day against chinese-calendar: test_the_calendar_model_transcribes_each_notice)
    2026: (
        (D(2026, 1, 1), D(2026, 1, 3), "元旦"),  # 1月1日（周四）至3日（周六）放假调休，共3天
        (D(2026, 2, 15), D(2026, 2, 23), "春节"),  # 2月15日（腊月二十八、周日）至23日（正月初七、周一）放假调休，共9天
        (D(2026, 4, 4), D(2026, 4, 6), "清明节"),  # 4月4日（周六）至6日（周一）放假，共3天
        (D(2026, 5, 1), D(2026, 5, 5), "劳动节"),  # 5月1日（周五）至5日（周二）放假调休，共5天
        (D(2026, 6, 19), D(2026, 6, 21), "端午节"),  # 6月19日（周五）至21日（周日）放假，共3天
        (D(2026, 9, 25), D(2026, 9, 27), "中秋节"),  # 9月25日（周五）至27日（周日）放假，共3天
        (D(2026, 10, 1), D(2026, 10, 7), "国庆节"),  # 10月1日（周四）至7日（周三）放假调休，共7天
    ),
    # 2027: NOT a State Council notice: the made-up test notice tests/calendar/notice-2027.yaml (the real
    # one was not out when the tests were written), transcribed so that the tests crossing New Year 2027
    # count with the same days the chain is given
    2027: (
        (D(2027, 1, 1), D(2027, 1, 1), "元旦"),
        (D(2027, 2, 5), D(2027, 2, 12), "春节"),
        (D(2027, 4, 5), D(2027, 4, 5), "清明节"),
        (D(2027, 5, 3), D(2027, 5, 5), "劳动节"),
        (D(2027, 6, 9), D(2027, 6, 9), "端午节"),
        (D(2027, 9, 15), D(2027, 9, 15), "中秋节"),
        (D(2027, 10, 1), D(2027, 10, 1), "国庆节"),
        (D(2027, 10, 4), D(2027, 10, 7), "国庆节"),
    ),
}

#: Adjusted working weekends (调休上班), from the same notices.
WORKED_WEEKENDS: dict[int, tuple[dt.date, ...]] = {
    2025: (D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)),  # 春节 (周日, 周六), 劳动节 (周日), 国庆 (周日, 周六)
    2026: (D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)),  # 元旦 (周日), 春节 (周六 ×2), 劳动节 (周六), 国庆 (周日, 周六)
    2027: (D(2027, 1, 30), D(2027, 2, 20), D(2027, 5, 8), D(2027, 10, 9)),  # the made-up test notice
}


class YearNotInModel(LookupError):
    """The model has no notice for this year (add it from the State Council's notice)."""


def days_off(year: int) -> set[dt.date]:
    if year not in DAYS_OFF:
        raise YearNotInModel(f"tests/model/calendar.py has no holiday notice for {year}")
    out = set()
    for first, last, _name in DAYS_OFF[year]:
        day = first
        while day <= last:
            out.add(day)
            day += dt.timedelta(days=1)
    return out


_OFF: dict[int, set[dt.date]] = {}


def is_workday(day: dt.date) -> bool:
    """A weekday not given off, or a weekend day the notice makes a working day."""
    if day.year not in _OFF:
        _OFF[day.year] = days_off(day.year)
    if day in WORKED_WEEKENDS[day.year]:
        return True
    return day.weekday() < 5 and day not in _OFF[day.year]


def cst_day(ts: int) -> dt.date:
    return dt.datetime.fromtimestamp(ts, CST).date()


def deadline(start: int, n: int) -> int:
    """24:00 CST at the end of the ``n``-th working day strictly after the CST day of ``start`` (SPEC §8)."""
    assert n >= 1, n
    day = cst_day(start)
    while n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=CST).timestamp()) + 86400


expected_deadline = deadline  # the name the older tests use


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> int:
    """Unix time of a CST wall-clock time."""
    return int(dt.datetime(y, m, d, h, mi, s, tzinfo=CST).timestamp())
