"""Working days (SPEC §8; R-DOC-6, R-DOC-9, R-MR-11): the calendar as data, and notices.

The chain is the calendar. A province's ``WorkCalendar`` contract holds, per year, a 366-bit map of
the working days that the State Council's holiday notice fixes, published once per year by the
calendar authority; the contracts compute every working-day deadline themselves from it
(:mod:`zhili.calendar.client` drives the contract). This module is the pure-Python side:

- :class:`YearMap`: one year's map (bit *d* = day-of-year *d*, 1 January = 0, is a working day), its
  two storage words, and its plausibility counts;
- :class:`Notice`: a holiday notice as data: the file an operator enters each November for the next
  year (``holidays`` and adjusted working weekends, validated), or the same derived from the
  maintained ``chinese-calendar`` library for the years it covers (:meth:`Notice.from_library`);
- :func:`add_working_days`: the SPEC §8 deadline (24:00 CST at the end of the N-th working day
  strictly after the start's CST day) over any source of year maps, so anyone can recompute a
  deadline the chain stored (from the chain's published maps, or independently from notices).

A year a source lacks raises :class:`CalendarError` naming the year and the command that publishes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError

CST = dt.timezone(dt.timedelta(hours=8), "CST")
BEIJING = CST
LIBRARY = f"chinese-calendar {version('chinese-calendar')}"
MAX_NOTICE_BYTES = 64 * 1024

#: Plausibility bounds the contract enforces (WorkCalendar.sol; every official year 2004-2026 lies within).
MIN_WORKING_DAYS, MAX_WORKING_DAYS = 240, 256
MAX_WEEKDAY_HOLIDAYS, MAX_WORKED_WEEKEND_DAYS = 25, 12


class CalendarError(InputError, ValueError):
    """A year is not published (or not covered), or a notice file is invalid (bad input)."""


def publish_hint(year: int) -> str:
    return f"zhili calendar publish {year} --notice NOTICE-{year}.yaml --calendar 0x… (docs/calendar.md)"


def missing_year(year: int, where: str) -> CalendarError:
    return CalendarError(f"SPEC §8: the working-day calendar of {year} is not published {where}; publish it from the "
                         f"State Council's notice: {publish_hint(year)}")  # fmt: skip


def year_length(year: int) -> int:
    return 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365


def cst_day(ts: int) -> dt.date:
    """The China Standard Time calendar day of Unix time ``ts``."""
    return dt.datetime.fromtimestamp(ts, CST).date()


def end_of_day(day: dt.date) -> int:
    """24:00 CST at the end of ``day``, as Unix time."""
    return int(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), CST).timestamp())


def show(ts: int) -> str:
    """``ts`` as a CST date-time string."""
    return dt.datetime.fromtimestamp(ts, CST).strftime("%Y-%m-%d %H:%M CST")


# ---------------------------------------------------------------------- one year's map


@dataclass(frozen=True)
class YearMap:
    """The working days of one year: bit ``d`` of ``bits`` is day-of-year ``d`` (1 January = 0)."""

    year: int
    bits: int
    notice: bytes = b""  # the notice's fingerprint, when known

    @classmethod
    def from_words(cls, year: int, low: int, high: int, notice: bytes = b"") -> YearMap:
        return cls(year, low | (high << 256), notice)

    @classmethod
    def from_workdays(cls, year: int, workdays: set[dt.date], notice: bytes = b"") -> YearMap:
        jan1 = dt.date(year, 1, 1)
        return cls(year, sum(1 << (d - jan1).days for d in workdays if d.year == year), notice)

    @property
    def low(self) -> int:
        return self.bits & ((1 << 256) - 1)

    @property
    def high(self) -> int:
        return self.bits >> 256

    def is_workday(self, day: dt.date) -> bool:
        if day.year != self.year:
            raise ValueError(f"{day} is not in {self.year}")
        return bool(self.bits >> (day - dt.date(self.year, 1, 1)).days & 1)

    def days(self) -> list[dt.date]:
        jan1 = dt.date(self.year, 1, 1)
        return [jan1 + dt.timedelta(days=i) for i in range(year_length(self.year))]

    @property
    def working_days(self) -> int:
        return bin(self.bits).count("1")

    def weekday_holidays(self) -> list[dt.date]:
        return [d for d in self.days() if d.weekday() < 5 and not self.is_workday(d)]

    def worked_weekends(self) -> list[dt.date]:
        return [d for d in self.days() if d.weekday() >= 5 and self.is_workday(d)]

    def problems(self) -> list[str]:
        """Why the contract would refuse this map (its plausibility bounds), if it would."""
        out = []
        if self.bits >> year_length(self.year):
            out.append(f"bits set after 31 December {self.year}")
        if not MIN_WORKING_DAYS <= self.working_days <= MAX_WORKING_DAYS:
            out.append(f"{self.working_days} working days (allowed {MIN_WORKING_DAYS}..{MAX_WORKING_DAYS})")
        if len(self.weekday_holidays()) > MAX_WEEKDAY_HOLIDAYS:
            out.append(f"{len(self.weekday_holidays())} weekday holidays (at most {MAX_WEEKDAY_HOLIDAYS})")
        if len(self.worked_weekends()) > MAX_WORKED_WEEKEND_DAYS:
            out.append(f"{len(self.worked_weekends())} worked weekend days (at most {MAX_WORKED_WEEKEND_DAYS})")
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "working_days": self.working_days,
            "weekday_holidays": [d.isoformat() for d in self.weekday_holidays()],
            "worked_weekends": [d.isoformat() for d in self.worked_weekends()],
            "low": hex(self.low),
            "high": hex(self.high),
            "notice": "0x" + self.notice.hex() if self.notice else None,
        }


# ---------------------------------------------------------------------- notices


@dataclass(frozen=True)
class Holiday:
    day: dt.date
    name: str = ""


@dataclass(frozen=True)
class Notice:
    """A year's holiday notice as data: the holidays (days off) and the adjusted working weekends.

    File format (YAML, docs/calendar.md)::

        year: 2027
        source: 国务院办公厅关于2027年部分节假日安排的通知
        holidays:                      # days off; a weekend day must be named (part of a holiday)
          - {date: 2027-01-01, name: 元旦}
        workdays: [2027-02-20]         # adjusted working weekends (调休上班)

    Its fingerprint is the SHA-256 of the file's bytes, published on chain with the year.
    """

    year: int
    source: str
    holidays: tuple[Holiday, ...]
    workdays: tuple[dt.date, ...]
    raw: bytes = field(repr=False, default=b"")

    @property
    def fingerprint(self) -> bytes:
        return hashlib.sha256(self.raw).digest()

    def year_map(self) -> YearMap:
        off = {h.day for h in self.holidays}
        extra = set(self.workdays)
        jan1 = dt.date(self.year, 1, 1)
        work = {d for d in (jan1 + dt.timedelta(days=i) for i in range(year_length(self.year)))
                if (d.weekday() < 5 and d not in off) or d in extra}  # fmt: skip
        return YearMap.from_workdays(self.year, work, self.fingerprint)

    @classmethod
    def load(cls, path: str | Path) -> Notice:
        p = Path(path)
        try:
            size = p.stat().st_size
            if size > MAX_NOTICE_BYTES:
                raise CalendarError(f"SPEC §8: notice file {p} is {size} bytes (at most {MAX_NOTICE_BYTES})")
            raw = p.read_bytes()
        except OSError as exc:
            raise CalendarError(f"SPEC §8: cannot read notice file {p}: {exc.strerror}") from None
        return cls.parse(raw, str(p))

    @classmethod
    def parse(cls, raw: bytes, where: str = "notice") -> Notice:
        """Parse and validate a notice: dates inside the year, no duplicates, adjusted workdays on
        weekends, holidays on weekdays unless named."""
        try:
            data = yaml.safe_load(raw.decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            raise CalendarError(f"SPEC §8: {where} is not UTF-8 YAML: {exc}") from None
        if not isinstance(data, dict):
            raise CalendarError(f"SPEC §8: {where} must be a mapping with year, source, holidays, workdays")
        unknown = set(data) - {"year", "source", "holidays", "workdays"}
        if unknown:
            raise CalendarError(f"SPEC §8: {where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1970 <= year <= 2199:
            raise CalendarError(f"SPEC §8: {where}: year must be a whole number 1970..2199, got {year!r}")
        source = data.get("source")
        if not isinstance(source, str) or not source.strip():
            raise CalendarError(f"SPEC §8: {where}: source (the notice's title and number) is required")
        seen: dict[dt.date, str] = {}

        def day_of(value: Any, what: str) -> dt.date:
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    raise CalendarError(f"SPEC §8: {where}: {what} {value!r} is not a date (YYYY-MM-DD)") from None
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise CalendarError(f"SPEC §8: {where}: {what} {value!r} is not a date (YYYY-MM-DD)")
            if value.year != year:
                raise CalendarError(f"SPEC §8: {where}: {what} {value} is not in {year}")
            if value in seen:
                raise CalendarError(f"SPEC §8: {where}: {value} is listed twice ({seen[value]} and {what})")
            seen[value] = what
            return value

        if not isinstance(data.get("holidays") or [], list) or not isinstance(data.get("workdays") or [], list):
            raise CalendarError(f"SPEC §8: {where}: holidays and workdays are lists")
        holidays: list[Holiday] = []
        for item in data.get("holidays") or []:
            name = ""
            if isinstance(item, dict):
                if set(item) - {"date", "name"}:
                    raise CalendarError(f"SPEC §8: {where}: a holiday has only date and name, got {sorted(item)}")
                name = str(item.get("name") or "").strip()
                item = item.get("date")
            d = day_of(item, "holiday")
            if d.weekday() >= 5 and not name:
                raise CalendarError(f"SPEC §8: {where}: holiday {d} is a weekend day; name the holiday it belongs to")
            holidays.append(Holiday(d, name))
        workdays: list[dt.date] = []
        for item in data.get("workdays") or []:
            d = day_of(item, "adjusted workday")
            if d.weekday() < 5:
                raise CalendarError(f"SPEC §8: {where}: adjusted workday {d} is a {d.strftime('%A')}, not a weekend day")
            workdays.append(d)
        notice = cls(year, source.strip(), tuple(sorted(holidays, key=lambda h: h.day)), tuple(sorted(workdays)), raw)
        problems = notice.year_map().problems()
        if problems:
            raise CalendarError(f"SPEC §8: {where}: not a plausible official calendar: {'; '.join(problems)}")
        return notice

    @classmethod
    def from_library(cls, year: int) -> Notice:
        """The notice of ``year`` as the installed ``chinese-calendar`` records it (canonical YAML)."""
        if not library_covers(year):
            raise CalendarError(f"SPEC §8: the installed {LIBRARY} does not cover {year}; publish {year} from the "
                                f"State Council's notice instead: {publish_hint(year)}")  # fmt: skip
        import chinese_calendar

        jan1 = dt.date(year, 1, 1)
        holidays, workdays = [], []
        for i in range(year_length(year)):
            d = jan1 + dt.timedelta(days=i)
            work = bool(chinese_calendar.is_workday(d))
            if d.weekday() < 5 and not work:
                _, name = chinese_calendar.get_holiday_detail(d)
                holidays.append({"date": d.isoformat(), "name": _holiday_name(name)})
            elif d.weekday() >= 5 and work:
                workdays.append(d.isoformat())
        doc = {"year": year, "source": f"{LIBRARY} (State Council notice as recorded by the library)",
               "holidays": holidays, "workdays": workdays}  # fmt: skip
        return cls.parse(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode(), f"{LIBRARY} {year}")


def _holiday_name(name: str | None) -> str:
    names = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
             "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
             "Anti-Fascist 70th Day": "抗战胜利70周年纪念日"}  # fmt: skip
    return names.get(name or "", name or "")


def library_covers(year: int) -> bool:
    import chinese_calendar

    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
        chinese_calendar.is_workday(dt.date(year, 12, 31))
        return True
    except NotImplementedError:
        return False


def covered_years(first: int) -> list[int]:
    """``first`` and the years after it that the installed ``chinese-calendar`` covers, in a row."""
    years = []
    while library_covers(first):
        years.append(first)
        first += 1
    return years


# ---------------------------------------------------------------------- deadlines

YearSource = Callable[[int], "YearMap | None"]


@dataclass(frozen=True)
class Deadline:
    start: int
    working_days: int
    deadline: int
    last_day: dt.date
    basis: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "working_days": self.working_days,
            "deadline": self.deadline,
            "last_day": self.last_day.isoformat(),
            "basis": self.basis,
        }


def add_working_days(start: int, n: int, years: YearSource, *, where: str = "", basis: str = "") -> Deadline:
    """The deadline of ``n`` working days from ``start`` (SPEC §8), as ``WorkCalendar.deadline`` computes it."""
    if not 1 <= n <= 255:
        raise ValueError(f"a period has 1 to 255 working days, not {n}")
    day = cst_day(start)
    count = 0
    cache: dict[int, YearMap] = {}
    while count < n:
        day += dt.timedelta(days=1)
        if day.year not in cache:
            ym = years(day.year)
            if ym is None:
                raise missing_year(day.year, where or "in the calendar used")
            cache[day.year] = ym
        if cache[day.year].is_workday(day):
            count += 1
    return Deadline(start, n, end_of_day(day), day, basis)


def working_days_between(start: int, end: int, years: YearSource) -> int | None:
    """Working days strictly after ``start``'s day up to and including ``end``'s day (R-MR-13);
    ``None`` if a year in between is not published."""
    d0, d1 = cst_day(start), cst_day(end)
    n = 0
    while d0 < d1:
        d0 += dt.timedelta(days=1)
        ym = years(d0.year)
        if ym is None:
            return None
        n += ym.is_workday(d0)
    return n
