"""The bundled village year (``zhili demo --scenario village``, SPEC §9): it runs through the client on a
chain and what it reports is what the chain decided. One run per chain kind, on anvil only (the run
is a year of ~150 transactions: the embedded chain's CI budget keeps it out; `zhili demo` runs it there)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zhili.core.workdays import CST
from zhili.scenario import report
from zhili.scenario import runner as scenario


@pytest.mark.anvil_only
def test_village_year_runs_and_reports(chain_kind: str, tmp_path: Path) -> None:
    data = scenario.load("village")
    res = scenario.execute(data, chain_kind)
    v = res["village"]
    assert v["list"] == {"version": 1, "state": "adopted", "yes": 2, "no": 1}  # two of a roll of three (R-VC-2)
    assert [q["state"] for q in v["quarters"].values()] == ["final"] * 4  # R-VC-7
    q2 = v["quarters"]["2026Q2"]["standings"]
    assert [s["id"] for s in q2[:3]] == ["p1", "v1", "v2"] and [s["credit"] for s in q2[:3]] == [20, 20, 10]  # credit, then enrolment
    # v3's declaration was rejected by the team; the council upheld the objection: +1.0 stands beside it
    assert [(o["subject"], o["state"], o["delta"]) for o in v["objections"]] == [("v3", "upheld", 10), ("v2", "rejected", 0)]
    assert {s["id"]: s["credit"] for s in q2}["v3"] == 10
    g = v["grades"]
    assert (g["v1"]["villager_score"], g["v1"]["stars"]) == (630, 3)  # 60.0 + 3.0: three stars at 62.0 (R-VC-8)
    assert g["v3"]["villager_score"] == 610  # the upheld correction counts in the year
    assert (g["r2"]["rep_score"], g["r2"]["rep_grade"]) == (588, "基本合格")  # 60.0 + 0.6 × (−2.0)
    assert v["balances"]["v1"] == 80  # 3.0 above the base + the three-star bonus 5.0 (R-VC-10)
    assert v["redemptions"] == [{"person": "v1", "keeper": "shop", "item": 1, "quantity": 2, "balance": 20, "stock": 198}]
    # R-VC-9: r3, graded 不合格 (60.0 − 0.6 × 7.0 = 55.8), does not rectify: the seat is lost in the first
    # second after 24:00 CST three calendar months after the grading day (2027-01-28)
    assert (g["r3"]["rep_score"], g["r3"]["rep_grade"]) == (558, "不合格")
    deadline = int(dt.datetime(2027, 4, 29, tzinfo=CST).timestamp())
    assert v["rectifications"] == {"r3": {"deadline": deadline, "state": "seat_lost"}}
    html = report.html_report(res)
    assert "2026Q2" in html and "Redemptions" in html and "seat_lost" in html
    assert html.count('<svg class="chart"') == 3  # standings over the quarters, grades, supermarket balances
    assert res["wall_seconds"] < 60


def test_village_scenario_fields_checked_before_anything_is_sent() -> None:
    data = scenario.load("village")
    data["people"][0]["roles"] = ["boss"]
    data["months"][0]["declarations"][0]["criterion"] = "N01"  # a negative criterion is recorded, not declared
    data["objections"][0]["kind"] = "everything"
    data["redemptions"][0]["keeper"] = "nobody"
    data["rectified"] = ["r9"]
    problems = scenario.validate(data)
    assert problems == [
        "people[0].roles: unknown function 'boss'; expected one of party, representative, council, secretary, keeper",
        "months[0].declarations[0].criterion: expected a positive criterion of the village profile's list, got 'N01'",
        "objections[0].kind: expected one of party_duty, rep_duty, credit",
        "redemptions[0].keeper: unknown person 'nobody' (not in people)",
        "rectified[0]: unknown person 'r9' (not in people)",
    ]


def test_village_charts_draw_what_the_chain_reported() -> None:
    # the report's village charts from a small result (no chain): ranks per quarter, people per grade, balances
    q = lambda *rows: {"state": "final", "standings": [{"id": i, "rank": r, "party": 0, "rep": 0, "credit": 0} for i, r in rows]}  # noqa: E731
    res = {
        "people": {"a": "甲", "b": "乙"},
        "village": {
            "quarters": {"2026Q1": q(("a", 1), ("b", 2)), "2026Q2": q(("b", 1), ("a", 2))},
            "grades": {"a": {"party_grade": "优秀", "rep_grade": None, "stars": 3}, "b": {"party_grade": "优秀", "rep_grade": "合格", "stars": None}},
            "balances": {"a": 80, "b": 30},
            "redemptions": [{"person": "a", "keeper": "b", "item": 1, "quantity": 2, "balance": 20, "stock": 198}],
        },
    }
    standings, grades, market = report.village_charts(res)
    assert standings.count("<polyline") == 2 and "2026Q1" in standings and "2026Q2" in standings
    assert "甲" in standings and "乙" in standings
    # two people at 党员先锋 优秀, one 村民代表模范 合格, one with three stars
    assert ">党员先锋 优秀</text>" in grades and grades.count("<rect") == 3 and ">2</text>" in grades
    assert market.count("<rect") == 2 and market.count(f'fill="{report.COLORS["chosen"]}"') == 1  # a redeemed
    assert ">20</text>" in market and ">80</text>" not in market  # a's balance after the redemption, not before
