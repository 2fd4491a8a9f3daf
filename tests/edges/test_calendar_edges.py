"""Working-day calendar edges (SPEC §8, issue 20), on the contract: each plausibility bound exactly
and one past it, the longest deadline period and one more, and the century rule of leap years (2100
has 365 days, 2000 has 366). Year maps are built here from plain weekdays (``datetime``), so every
count below is this file's own arithmetic. One calendar for the module."""

from __future__ import annotations

import datetime as dt

import pytest

from chain_kit import revert
from zhili.calendar.client import CalendarClient
from zhili.core.chain import Chain
from zhili.testing import Staff

AUTHORITY = Staff.ADMIN
FP = b"\1" * 32


def _map(year: int, holidays: int, worked_weekends: int, extra_bit: int | None = None) -> tuple[int, int]:
    """Every weekday but the first ``holidays``, plus the first ``worked_weekends`` weekend days."""
    jan1 = dt.date(year, 1, 1)
    days = [jan1 + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - jan1).days)]
    weekdays = [d for d in days if d.weekday() < 5]
    weekends = [d for d in days if d.weekday() >= 5]
    bits = sum(1 << (d - jan1).days for d in weekdays[holidays:] + weekends[:worked_weekends])
    if extra_bit is not None:
        bits |= 1 << extra_bit
    return bits & ((1 << 256) - 1), bits >> 256


def _weekdays(year: int) -> int:
    jan1 = dt.date(year, 1, 1)
    return sum(1 for i in range((dt.date(year + 1, 1, 1) - jan1).days) if (jan1 + dt.timedelta(days=i)).weekday() < 5)


@pytest.fixture
def cal(chain: Chain) -> CalendarClient:
    return CalendarClient.deploy(chain, admin=AUTHORITY)


def _publish(cal: CalendarClient, year: int, low_high: tuple[int, int]) -> None:
    cal.chain.transact(cal.contract.functions.publish(year, *low_high, FP), AUTHORITY)


def test_plausibility_bounds_exactly_and_one_past(cal: CalendarClient) -> None:
    f = cal.contract.functions
    lo, hi_holidays = cal.chain.call_many([f.MIN_WORKING_DAYS(), f.MAX_WEEKDAY_HOLIDAYS()])
    assert (lo, hi_holidays) == (240, 25)
    # 2031 has 261 weekdays: 21 holidays leave exactly 240 working days, 22 leave 239
    assert _weekdays(2031) == 261
    _publish(cal, 2031, _map(2031, 21, 0))
    e = revert(_publish, cal, 2032, _map(2032, _weekdays(2032) - 239, 0))
    assert e.error == "ImplausibleYear" and e.rule == "SPEC §8" and e.args_by_name["workingDays"] == 239
    # exactly 25 weekday holidays (made up by worked weekend days) pass, 26 do not
    _publish(cal, 2033, _map(2033, 25, 8))
    e = revert(_publish, cal, 2034, _map(2034, 26, 8))
    assert e.error == "ImplausibleYear" and e.args_by_name["weekdayHolidays"] == 26


def test_deadline_period_bounds(cal: CalendarClient) -> None:
    # the longest period is 255 working days; 256 is refused before any year is read
    _publish(cal, 2035, _map(2035, _weekdays(2035) - 256, 0))  # 256 working days: 255 fit after 1 January
    start = int(dt.datetime(2035, 1, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
    assert cal.deadline_on_chain(start, 255) > start
    e = revert(cal.deadline_on_chain, start, 256)
    assert e.error == "BadPeriod" and e.args_by_name["workingDays"] == 256


def test_century_years_are_not_leap_unless_divisible_by_400(cal: CalendarClient) -> None:
    # 2100 has 365 days: a bit for a 366th day is refused; 2000 has 366: the same bit is a day
    e = revert(_publish, cal, 2100, _map(2100, 10, 0, extra_bit=365))
    assert e.error == "DaysBeyondYear"
    _publish(cal, 2000, _map(2000, 10, 0, extra_bit=365))
    assert cal.chain.call(cal.contract.functions.isPublished(2000))
