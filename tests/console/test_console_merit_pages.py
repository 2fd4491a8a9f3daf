"""The merit case and succession pages (issue 19, part 2) over the indexed demo term, and the case
timeline's deadline and R-MR-13 judgements over events that miss them (the demo's cases keep time)."""

from __future__ import annotations

import re

import pytest
from console_kit import Site
from sqlalchemy import create_engine, select
from starlette.testclient import TestClient

from zhili.console import queries as q
from zhili.console.app import create_app
from zhili.index import schema as s

CODE = "330110-001"
H = 3600
DAY = 86400


@pytest.fixture
def client(site: Site) -> TestClient:
    return TestClient(create_app(str(site.db)), raise_server_exceptions=False)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_jurisdiction_and_person_pages_link_cases_and_succession(site: Site, client: TestClient) -> None:
    r = client.get(f"/j/{CODE}")
    assert r.status_code == 200
    for cid in (1, 2, 3):
        assert f'href="/j/{CODE}/cases/{cid}"' in r.text
    assert f'href="/j/{CODE}/succession"' in r.text
    with create_engine(f"sqlite:///{site.db}").connect() as conn:
        accused = conn.execute(select(s.merit_cases.c.accused).where(s.merit_cases.c.case_id == 3)).scalar_one()
    assert f'href="/j/{CODE}/cases/3"' in client.get(f"/person/{accused}").text
    assert f'href="/j/{CODE}/cases/3"' in client.get("/?q=%233").text  # a case number searched


def test_case_page_is_a_timeline_with_the_chains_deadlines(site: Site, client: TestClient) -> None:
    with create_engine(f"sqlite:///{site.db}").connect() as conn:
        row = conn.execute(select(s.merit_cases).where(s.merit_cases.c.case_id == 1)).mappings().one()
    r = client.get(f"/j/{CODE}/cases/1")
    assert r.status_code == 200
    text = _text(r.text)
    # every step of case 1, in order: report, review, re-check, vote, publication, appeal and its answer, close
    steps = ["举报立案", "指定背对背初审人", "初审完成", "大数据复核", "委员会表决", "公示", "申诉", "申诉答复", "结案"]
    at = [text.index(f" {x} · 区块") for x in steps]
    assert at == sorted(at), text
    # the deadlines are the ones the contract logged (computed there from the on-chain calendar)
    for key in ("reviewDeadline", "appealDeadline", "answerDeadline"):
        assert q.when(row["data"][key]) in text
    assert "逾期" not in text.replace("逾期未答", "")  # nothing late in the demo's case 1
    assert "按期" in text and "初核 ≤ 24 小时" in text and "达标" in text
    assert "结案 ≤ 15 个工作日：用时 0 个工作日（链上日历）" in text  # counted with the indexed calendar
    en = _text(client.get(f"/j/{CODE}/cases/1?lang=en").text)
    assert "appeal answered" in en and "on time" in en and "Initial verification ≤ 24 h" in en


@pytest.mark.parametrize(
    "path,words",
    [
        (f"/j/{CODE}/cases/99", "没有这个功过案件"),
        (f"/j/{CODE}/cases/{2**63}", "没有这个功过案件"),
        (f"/j/{CODE}/cases/{2**64 + 1}", "没有这个功过案件"),
        (f"/j/{CODE}/cases/0", "没有这个功过案件"),
        (f"/j/{CODE}/cases/-1", "页面不存在"),
        (f"/j/{CODE}/cases/one", "页面不存在"),
        ("/j/nowhere/cases/1", "没有这个辖区"),
        ("/j/nowhere/succession", "没有这个辖区"),
    ],
)
def test_unknown_ids_are_404(client: TestClient, path: str, words: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and words in r.text


def test_succession_page_matches_the_contract_and_the_rebuild(site: Site, client: TestClient) -> None:
    with create_engine(f"sqlite:///{site.db}").connect() as conn:
        addr = conn.execute(select(s.contracts.c.address).where(s.contracts.c.kind == "Succession")).scalar_one()
        su = q.succession(conn, CODE)
    assert su is not None
    on_chain = ["0x" + bytes(p).hex() for p in site.chain.call(site.chain.contract("Succession", addr).functions.order())]
    assert su["order"] == on_chain and len(on_chain) == 4
    reasons = [ch["reason"] for ch in su["changes"]]
    assert reasons == ["election", "direct-replacement", "removed", "succession", "election"]
    assert su["changes"][-1]["order"] == on_chain  # the order after the demo's second election is the contract's
    first = su["changes"][0]
    assert any(c["event"] == "OfficesSeated" for c in first["causes"])  # the election's seating caused it
    replace = su["changes"][1]
    assert any(c["event"] == "CaseClosed" and c["cases"] == [3] for c in replace["causes"])  # the final case 3
    html = client.get(f"/j/{CODE}/succession").text
    now = html[html.index('class="order-now"') :]
    now = now[: now.index("</ol>")]
    assert [m for m in re.findall(r'href="/person/(0x[0-9a-f]{64})"', now)] == on_chain
    text = _text(html)
    for words in ("选举完成", "直接替补", "免职", "继任"):
        assert words in text
    assert f'href="/j/{CODE}/cases/3"' in html
    en = _text(client.get(f"/j/{CODE}/succession?lang=en").text)
    assert "Order of succession" in en and "election completed" in en and "direct replacement" in en


def _ev(event: str, t: int, **args: object) -> dict[str, object]:
    return {"event": event, "args": {"caseId": 7, **args}, "time": t, "block": t, "tx": "0x"}


def test_timeline_flags_late_steps_and_missed_service_levels() -> None:
    t0 = 1_767_590_000
    evs = [
        _ev("ReportFiled", t0, at=t0),
        _ev("ReviewersAssigned", t0 + 10, reviewDeadline=t0 + 5 * DAY, reassigned=False),
        _ev("ReviewersAssigned", t0 + 6 * DAY, reviewDeadline=t0 + 12 * DAY, reassigned=True),  # the first review was missed
        _ev("InitialReviewDone", t0 + 13 * DAY, at=t0 + 13 * DAY),  # after the second deadline too, and after 24 h
        _ev("Published", t0 + 14 * DAY, at=t0 + 14 * DAY, appealDeadline=t0 + 20 * DAY),
        _ev("Appealed", t0 + 15 * DAY, at=t0 + 15 * DAY, answerDeadline=t0 + 30 * DAY),
        _ev("AppealEscalated", t0 + 31 * DAY, at=t0 + 31 * DAY, answerDeadline=t0 + 50 * DAY),
        _ev("AppealDecided", t0 + 51 * DAY),  # the higher committee answered late as well
        _ev("CaseClosed", t0 + 51 * DAY, at=t0 + 51 * DAY),
    ]
    st = q.case_steps(evs, as_of=t0 + 60 * DAY)
    by = [(x["event"], x["late"]) for x in st]
    assert by == [("ReportFiled", None), ("ReviewersAssigned", True), ("ReviewersAssigned", True), ("InitialReviewDone", True),
                  ("Published", None), ("Appealed", False), ("AppealEscalated", True), ("AppealDecided", True), ("CaseClosed", None)]  # fmt: skip
    assert st[5]["answer_late"] is True
    assert st[3]["level"] == {"rule": "verify", "value": 13 * 24.0, "ok": False}
    assert st[-1]["level"]["rule"] == "close" and st[-1]["level"]["value"] == 51 and st[-1]["level"]["ok"] is None  # not judged without the calendar
    # in time: no flag
    ok = q.case_steps([_ev("ReportFiled", t0, at=t0), _ev("ReviewersAssigned", t0 + 1, reviewDeadline=t0 + 5 * DAY, reassigned=False),
                       _ev("InitialReviewDone", t0 + 2 * H, at=t0 + 2 * H)], as_of=t0 + 3 * H)  # fmt: skip
    assert [x["late"] for x in ok] == [None, False, False] and ok[2]["level"]["ok"] is True


def test_open_case_overdue_as_of_the_last_block_not_the_clock() -> None:
    t0 = 1_767_590_000
    evs = [_ev("ReportFiled", t0, at=t0), _ev("ReviewersAssigned", t0 + 10, reviewDeadline=t0 + 5 * DAY, reassigned=False)]
    assert all(x["event"] != "overdue" for x in q.case_steps(evs, as_of=t0 + 2 * H))
    late = [x for x in q.case_steps(evs, as_of=t0 + 6 * DAY) if x["event"] == "overdue"]
    assert sorted(x["deadline_kind"] for x in late) == ["review", "verify"]
    assert {x["deadline"] for x in late} == {t0 + 5 * DAY, t0 + 24 * H}


def test_the_close_level_counts_the_indexed_calendars_working_days(site: Site) -> None:
    # the jurisdiction's WorkCalendar is indexed with its YearPublished logs: the map of each published
    # year is the chain's (isWorkday agrees day by day over the year of the demo's cases)
    import datetime as dt

    with create_engine(f"sqlite:///{site.db}").connect() as conn:
        j = q.jurisdiction(conn, CODE)
        assert j is not None
        cal = conn.execute(select(s.contracts.c.address).where(s.contracts.c.kind == "WorkCalendar", s.contracts.c.parent == j["address"])).scalar_one()
        years = q.calendar_years(conn, j["address"])
        row = conn.execute(select(s.merit_cases).where(s.merit_cases.c.case_id == 1)).mappings().one()
    year = dt.datetime.fromtimestamp(int(row["data"]["reviewDeadline"]), q.CST).year
    ym = years(year)
    assert ym is not None and years(1999) is None
    contract = site.chain.contract("WorkCalendar", cal)
    jan1 = dt.date(year, 1, 1)
    for k in range(0, 365, 7):  # a day of every week of the year
        day = jan1 + dt.timedelta(days=k)
        noon = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=q.CST).timestamp())
        assert ym.is_workday(day) == bool(site.chain.call(contract.functions.isWorkingDay(noon))), day


def test_close_level_in_working_days_when_the_calendar_is_published() -> None:
    # with the calendar's years, the 15 working days are counted and judged (R-MR-13); without, calendar days
    from zhili.core.workdays import YearMap, cst_day

    t0 = 1_767_590_000  # 2026-01-05 13:13 CST, a Monday
    weekdays = YearMap.from_workdays(2026, {d for d in YearMap(2026, 0).days() if d.weekday() < 5})
    years = {2026: weekdays}.get
    evs = [_ev("ReportFiled", t0, at=t0), _ev("CaseClosed", t0 + 21 * DAY, at=t0 + 21 * DAY)]
    assert cst_day(t0).weekday() == 0
    closed = q.case_steps(evs, as_of=t0 + 22 * DAY, years=years)[-1]["level"]
    assert closed == {"rule": "close_wd", "value": 15, "ok": True}  # Tue 6 … Mon 26 January: 15 weekdays
    late = q.case_steps([evs[0], _ev("CaseClosed", t0 + 22 * DAY, at=t0 + 22 * DAY)], as_of=t0 + 23 * DAY, years=years)[-1]["level"]
    assert late == {"rule": "close_wd", "value": 16, "ok": False}
    unknown = q.case_steps(evs, as_of=t0 + 22 * DAY, years={}.get)[-1]["level"]
    assert unknown == {"rule": "close", "value": 21, "ok": None}
