"""The working-day calendar on chain (SPEC §8): publication, finality, plausibility, deadlines computed
by the contracts and checked against an independent reference, a year nobody published refused with
the year named, the appeal window across the New Year, the CLI, and the calendar rebuilt from events."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from eth_utils import keccak

from chain_kit import revert, snapshot_world, z
from merit_kit import MeritWorld, build_merit_world
from model.calendar import CST, at, expected_deadline
from zhili.calendar.client import CalendarClient
from zhili.core.chain import Chain, anvil_accounts, connect
from zhili.core.workdays import CalendarError, Notice, YearMap, add_working_days, year_length
from zhili.merit.client import Decision, Finding, Stage
from zhili.testing import Staff

NOTICE_2027 = Path(__file__).parent / "notice-2027.yaml"
AUTHORITY = Staff.ADMIN  # the deployer publishes the covered years and holds the role in the test worlds
OUTSIDER = Staff.ORG  # holds no calendar role


@pytest.fixture
def cal(chain: Chain) -> CalendarClient:
    c = CalendarClient.deploy(chain, admin=AUTHORITY)
    c.publish(Notice.from_library(2026), AUTHORITY)
    return c


@pytest.fixture
def mw(session_chain: Chain) -> Iterator[MeritWorld]:
    yield from snapshot_world(session_chain, "merit", build_merit_world)


# ------------------------------------------------------------------ publication


def test_a_year_is_published_once_with_its_notice(cal: CalendarClient) -> None:
    notice = Notice.load(NOTICE_2027)
    ym = cal.publish(notice, AUTHORITY)
    (ev,) = [e for e in cal.contract.events.YearPublished().get_logs(from_block=0) if e.args.year == 2027]
    assert ev.args.notice == notice.fingerprint and ev.args.workingDays == ym.working_days == 247
    fresh = CalendarClient.at(cal.chain, cal.address).year(2027)
    assert fresh is not None and fresh.bits == ym.bits and fresh.notice == notice.fingerprint
    # final: not even the authority can change a published year (a deadline computed from it stays true)
    other = Notice.parse(NOTICE_2027.read_bytes().replace(b"2027-10-09", b"2027-10-16"))
    e = revert(cal.publish, other, AUTHORITY)
    assert e.error == "YearAlreadyPublished" and e.rule == "SPEC §8" and e.args_by_name["year"] == 2027
    assert cal.chain.call(cal.contract.functions.yearMap(2027))[2] == notice.fingerprint


def test_only_the_calendar_authority_publishes(cal: CalendarClient) -> None:
    e = revert(cal.publish, Notice.load(NOTICE_2027), OUTSIDER)
    assert e.error == "AccessControlUnauthorizedAccount"
    assert not cal.is_published(2027)


def test_the_contract_refuses_an_implausible_or_malformed_map(cal: CalendarClient) -> None:
    fn, fp = cal.contract.functions.publish, b"\1" * 32
    weekdays = YearMap.from_workdays(2027, {d for d in YearMap(2027, 0).days() if d.weekday() < 5})  # no holiday at all
    e = revert(cal.chain.transact, fn(2027, weekdays.low, weekdays.high, fp), AUTHORITY)
    assert e.error == "ImplausibleYear" and e.args_by_name["workingDays"] == 261 and e.args_by_name["weekdayHolidays"] == 0
    every_day = (1 << 365) - 1  # the authority cannot abolish weekends either
    e = revert(cal.chain.transact, fn(2027, every_day & ((1 << 256) - 1), every_day >> 256, fp), AUTHORITY)
    assert e.error == "ImplausibleYear" and e.args_by_name["workedWeekendDays"] == 104
    real = Notice.load(NOTICE_2027).year_map()
    e = revert(cal.chain.transact, fn(2027, real.low, real.high | (1 << 109), fp), AUTHORITY)  # day 366 of a 365-day year
    assert e.error == "DaysBeyondYear"
    assert revert(cal.chain.transact, fn(2027, real.low, real.high, b"\0" * 32), AUTHORITY).error == "EmptyNotice"
    assert revert(cal.chain.transact, fn(1969, real.low, real.high, fp), AUTHORITY).error == "YearOutOfRange"


def test_client_bounds_mirror_the_contract(cal: CalendarClient) -> None:
    # the client checks a notice file before anything is sent, with the contract's own bounds
    from zhili.core import workdays

    f = cal.contract.functions
    got = cal.chain.call_many([f.MIN_WORKING_DAYS(), f.MAX_WORKING_DAYS(), f.MAX_WEEKDAY_HOLIDAYS(), f.MAX_WORKED_WEEKEND_DAYS()])
    assert got == [workdays.MIN_WORKING_DAYS, workdays.MAX_WORKING_DAYS, workdays.MAX_WEEKDAY_HOLIDAYS, workdays.MAX_WORKED_WEEKEND_DAYS]


def test_every_official_year_the_library_has_is_plausible(chain: Chain) -> None:
    # the bounds are not tighter than reality: 2004-2026 as the State Council published them, accepted
    # by the contract with the same working-day count the client computes
    c = CalendarClient.deploy(chain, admin=AUTHORITY)
    for year in range(2004, 2027):
        ym = c.publish(Notice.from_library(year), AUTHORITY)
        assert ym.problems() == [], (year, ym.problems())
    counted = {int(e.args.year): int(e.args.workingDays) for e in c.contract.events.YearPublished().get_logs(from_block=0)}
    assert counted == {y: Notice.from_library(y).year_map().working_days for y in range(2004, 2027)}


# ------------------------------------------------------------------ deadlines


def test_deadlines_on_chain_equal_an_independent_computation(cal: CalendarClient) -> None:
    cal.publish(Notice.load(NOTICE_2027), AUTHORITY)
    f = cal.contract.functions.deadline
    cases = []
    for day in range(0, 70, 3):  # 2026-11-25 .. 2027-02-01, across New Year and the (made-up) Spring Festival
        base = at(2026, 11, 25) + day * 86400
        for secs in (0, 10 * 3600, 86400 - 1):  # first and last second of a CST day
            for n in (1, 2, 3, 5, 7, 15):
                cases.append((base + secs, n))
    got = cal.chain.call_many([f(s, n) for s, n in cases])
    for (s, n), on_chain in zip(cases, got):
        assert on_chain == expected_deadline(s, n) == cal.deadline(s, n).deadline, (s, n)
    # the last second of a day and the first of the next count from different days
    assert cal.deadline_on_chain(at(2026, 12, 30, 23, 59, 59), 1) == at(2026, 12, 31) + 86400
    assert cal.deadline_on_chain(at(2026, 12, 31), 1) == at(2027, 1, 4) + 86400  # 1 Jan holiday, then a weekend


def test_a_year_not_published_is_refused_with_the_year_named(cal: CalendarClient) -> None:
    e = revert(cal.deadline_on_chain, at(2026, 12, 28, 10), 7)
    assert e.error == "YearNotPublished" and e.args_by_name["year"] == 2027 and e.rule == "SPEC §8"
    with pytest.raises(CalendarError, match=r"calendar of 2027 is not published .*zhili calendar publish 2027"):
        cal.deadline(at(2026, 12, 28, 10), 7)
    assert cal.deadline_on_chain(at(2026, 12, 21, 10), 7) == expected_deadline(at(2026, 12, 21, 10), 7)  # stays in 2026
    assert revert(cal.deadline_on_chain, at(2026, 12, 21), 0).error == "BadPeriod"


def test_appeal_window_across_the_new_year_is_computed_on_chain(mw: MeritWorld) -> None:
    # R-MR-11 (the case): a decision published on 2026-12-28; 7 working days reach into 2027
    m, ch = mw.m, mw.chain
    # the case is filed and reviewed early in December: its review deadline (issue 17) stays inside 2026
    ch.wait_until(at(2026, 12, 1, 10))
    case, _ = mw.file(3, 6)
    mw.review(case)
    m.propose(case, Decision(Finding.PROCEDURAL, sanction=5), Staff.MERIT)
    m.vote(case, True, Staff.MERIT)
    ch.wait_until(at(2026, 12, 28, 10))
    e = revert(m.publish, case, keccak(text="notice"), Staff.MERIT)
    assert e.error == "YearNotPublished" and e.args_by_name["year"] == 2027  # nothing is guessed
    assert m.case(case).stage == Stage.DECIDED
    m.calendar.publish(Notice.load(NOTICE_2027), AUTHORITY)  # the province enters next year's notice
    d = m.publish(case, keccak(text="notice"), Staff.MERIT)
    c = m.case(case)
    assert c.appeal_deadline == d.deadline == expected_deadline(c.published_at, 7)
    assert dt.datetime.fromtimestamp(c.appeal_deadline, CST).year == 2027
    # R-MR-11 at its edge, on the computed deadline: an appeal in its last second is heard, one second later not
    snap = ch.snapshot()
    ch.wait_until(c.appeal_deadline - 1)  # the next block is stamped with the deadline itself
    answer_by = m.appeal(case, mw.ids[3], keccak(text="grounds"), mw.key(3))
    assert m.case(case).stage == Stage.APPEALED and answer_by.start == c.appeal_deadline
    assert answer_by.deadline == expected_deadline(c.appeal_deadline, 15)  # the answer window, on chain too
    ch.revert_to(snap)
    ch.wait_until(c.appeal_deadline + 1)  # refused in the simulation, at the first second after the window
    e = revert(m.appeal, case, mw.ids[3], keccak(text="grounds"), mw.key(3))
    assert e.error == "AppealWindowClosed" and e.rule == "R-MR-11" and e.args_by_name["now_"] == c.appeal_deadline + 1


# ------------------------------------------------------------------ rebuild, client, CLI


def test_calendar_rebuilt_from_events(cal: CalendarClient) -> None:
    cal.publish(Notice.load(NOTICE_2027), AUTHORITY)
    rebuilt = {int(e.args.year): (int(e.args.low), int(e.args.high), bytes(e.args.notice))
               for e in cal.contract.events.YearPublished().get_logs(from_block=0)}  # fmt: skip
    assert set(rebuilt) == {2026, 2027}
    for year, words in rebuilt.items():
        low, high, notice = cal.chain.call(cal.contract.functions.yearMap(year))
        assert words == (int(low), int(high), bytes(notice))


def test_notice_file_validation() -> None:
    n = Notice.load(NOTICE_2027)
    ym = n.year_map()
    assert ym.is_workday(dt.date(2027, 1, 30)) and not ym.is_workday(dt.date(2027, 2, 8)) and year_length(2027) == 365
    assert n.fingerprint == __import__("hashlib").sha256(NOTICE_2027.read_bytes()).digest()
    with pytest.raises(CalendarError, match="2027-02-22 is a Monday, not a weekend day"):
        Notice.parse(b"year: 2027\nsource: x\nworkdays: [2027-02-22]\n")
    with pytest.raises(CalendarError, match="not in 2027"):
        Notice.parse(b"year: 2027\nsource: x\nholidays: [2028-01-03]\n")
    # the library's record and a transcribed file of the same year give the same map
    lib = Notice.from_library(2026)
    assert Notice.parse(lib.raw).year_map().bits == lib.year_map().bits
    assert add_working_days(at(2026, 9, 30, 10), 7, {2026: lib.year_map()}.get).deadline == expected_deadline(at(2026, 9, 30, 10), 7)


@pytest.mark.anvil_only
def test_cli_publish_show_deadline(node, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in anvil_accounts(2)))
    C = ["--chain", node.url, "--chain-id", "31337"]
    code, out, _ = z(capsys, "calendar", "deploy", "--json", *C)
    assert code == 0
    addr = json.loads(out)["calendar"]
    K = ["--calendar", addr, *C]
    assert z(capsys, "calendar", "publish", "2026", "--from-library", *K)[0] == 0
    code, _, err = z(capsys, "calendar", "deadline", "2026-12-28T10:00:00", "7", "--json", *K)
    assert code == 2 and "2027" in err and "zhili calendar publish 2027" in err
    code, out, _ = z(capsys, "calendar", "publish", "2027", "--notice", str(NOTICE_2027), "--json", *K)
    assert code == 0 and json.loads(out)["working_days"] == 247
    code, out, _ = z(capsys, "calendar", "show", "2027", "--json", *K)
    assert code == 0 and "2027-10-09" in json.loads(out)["worked_weekends"]
    code, out, _ = z(capsys, "calendar", "deadline", "2026-12-28T10:00:00", "7", "--json", *K)
    res = json.loads(out)
    assert code == 0 and res["agree"] and res["deadline"] == expected_deadline(at(2026, 12, 28, 10), 7)
    code, out, _ = z(capsys, "calendar", "check", str(NOTICE_2027), "--json")
    assert code == 0 and json.loads(out)["year"] == 2027


def test_deploy_publishes_the_covered_years_from_the_chain_year() -> None:
    with connect("embedded") as chain:
        from zhili import profiles
        from zhili.jurisdiction import registry

        j = registry.deploy_jurisdiction(chain, profiles.load("township"), "330110-001", "良渚镇")
        cal = CalendarClient.of_jurisdiction(chain, j)
        year = dt.datetime.fromtimestamp(chain.now(), CST).year
        assert cal.published_years()[0] == year and all(cal.is_published(y) for y in cal.published_years())


def test_a_scenario_carries_the_notices_it_needs() -> None:
    # docs/scenarios.md: `calendar:` lists notices written inline, validated like a notice file
    from zhili import scenario

    data = scenario.load("township")
    notice = yaml.safe_load(NOTICE_2027.read_text(encoding="utf-8"))
    assert scenario.validate({**data, "calendar": [notice]}) == []
    bad = {**notice, "workdays": ["2027-02-22"]}
    problems = scenario.validate({**data, "calendar": [notice, bad]})
    assert len(problems) == 1 and "calendar[1]" in problems[0] and "2027-02-22 is a Monday" in problems[0]
    assert scenario.calendar_notice(notice).year_map().bits == Notice.load(NOTICE_2027).year_map().bits


def test_the_calendar_model_transcribes_each_notice() -> None:
    # tests/model/calendar.py writes each year's notice as data (no library, no client): its working days
    # must be the library's, the notice's as the chain receives them (2025, 2026), and the made-up 2027
    # notice file's, day by day, so that a typo in the model or a change in the library fails here
    import chinese_calendar

    from model import calendar as model

    for year in (2025, 2026):
        day = dt.date(year, 1, 1)
        while day.year == year:
            assert model.is_workday(day) == chinese_calendar.is_workday(day), day
            day += dt.timedelta(days=1)
    data = yaml.safe_load(NOTICE_2027.read_text(encoding="utf-8"))
    off = {h["date"] for h in data["holidays"]}
    assert model.days_off(2027) == off and set(model.WORKED_WEEKENDS[2027]) == set(data["workdays"])
    day = dt.date(2027, 1, 1)
    while day.year == 2027:
        assert model.is_workday(day) == (day in data["workdays"] or (day.weekday() < 5 and day not in off)), day
        day += dt.timedelta(days=1)
    with pytest.raises(model.YearNotInModel, match="2028"):
        model.is_workday(dt.date(2028, 1, 3))
    # the literal edges the merit and handover tests rely on
    assert model.deadline(at(2026, 9, 23, 10), 7) == at(2026, 10, 11) and model.deadline(at(2025, 9, 26, 10), 3) == at(2025, 10, 1)
