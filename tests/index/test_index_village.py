"""Villages in the index and the console (SPEC §9, issue 19): the bundled village year on anvil
(about 4 s) indexed into SQLite and PostgreSQL; every villager's standing per quarter (published rank,
points by kind, the rulings' corrections, objections), their year (contracts, grades, rectification,
claim) and their supermarket account equal what the contracts' own views return; and the console's
village page shows them (one scenario run for the file, one index per backend and one for the pages)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from chain_kit import z
from zhili import profiles
from zhili.console.app import create_app
from zhili.console.cli import scenario_labels
from zhili.core.chain import Chain, connect
from zhili.index import Index, Target, open_index
from zhili.index import schema as s
from zhili.index.indexer import IndexInputError, discover
from zhili.index.pgcluster import create_database
from zhili.jurisdiction import registry
from zhili.persons.client import person_id
from zhili.scenario import runner
from zhili.village.client import VillageClient

CODE, OTHER = "371003-101", "330110-009"  # the scenario's township; a township with no village


@pytest.fixture(scope="module")
def year() -> Iterator[tuple[Chain, dict[str, Any], str]]:
    """The village scenario's year on anvil, then a second township (no village) deployed beside it."""
    with connect("anvil") as chain:
        res = runner.run(runner.load("village"), chain)
        roles = {role: [chain.accounts[1 + i].address] for i, role in enumerate(registry.ROLES)}
        other = registry.deploy_jurisdiction(chain, profiles.load("township"), OTHER, "无村镇", roles=roles)
        yield chain, res, other.address


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    if request.param == "sqlite":
        return lambda name: str(tmp_path / name)
    cluster = request.getfixturevalue("pg_cluster")
    return lambda name: create_database(cluster)


def index(db: str, year: tuple[Chain, dict[str, Any], str]) -> Index:
    chain, res, other = year
    ix = open_index(db)
    ix.add(chain, Target.from_scenario(res))
    ix.add(chain, Target(jurisdiction=other, persons=res["jurisdiction"]["persons"]))
    ix.sync(chain)
    ix.label(scenario_labels(res))
    return ix


def rows(ix: Index, table: Any) -> list[dict[str, Any]]:
    with ix.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


@pytest.fixture(scope="module")
def views(year: tuple[Chain, dict[str, Any], str]) -> dict[str, Any]:
    """What the village contracts' own views return (read once for both backends), shaped as the rows."""
    chain, res, _ = year
    vr = res["village"]
    v = VillageClient.at(chain, vr["ledger"], vr["market"])
    market, quarters_c = v.market.functions, v.quarters.functions  # type: ignore[union-attr]
    live = {m.idx: m for m in v.members()}
    out: dict[str, Any] = {"village": (vr["code"], v.quarters.address, v.market.address)}  # type: ignore[union-attr]
    out["members"] = {i: ("0x" + m.person.hex(), m.key, m.roles, m.team, *(lambda a: (a.balance, a.nonce))(v.account(m.person))) for i, m in live.items()}
    objections = [v.objection(i) for i in range(1, int(chain.call(quarters_c.objectionCount())) + 1)]
    q0 = (vr["year"] - 1970) * 4
    out["standings"] = {}
    for q in range(q0, q0 + 4):
        state = int(v.quarter(q).state)
        for st in v.standings(q):
            t = st.totals
            against = [o for o in objections if (o.quarter, o.subject) == (q, st.idx)]
            out["standings"][(q, st.idx)] = {
                "state": state, "rank": st.rank, "points": [t.party_plus, t.party_minus, t.rep_plus, t.rep_minus, t.credit_plus, t.credit_minus],
                "adjust": [t.party_adjust, t.rep_adjust, t.credit_adjust], "party": t.party, "rep": t.rep, "credit": t.credit,
                "objections": len(against), "upheld": sum(o.state == 2 for o in against),
            }  # fmt: skip
    y = vr["year"]
    out["years"] = {}
    for i, m in live.items():
        a = v.annual(y, i)
        deadline, state = (int(x) for x in chain.call(quarters_c.rectification(y, i)))
        out["years"][(y, i)] = {
            "graded": a.graded, "party_score": a.party_score, "rep_score": a.rep_score, "villager_score": a.villager_score, "party_grade": a.party_grade,
            "rep_grade": a.rep_grade, "stars": a.stars, "colours": int(chain.call(v.ledger.functions.coloursOf(i, y))), "rectify_by": deadline or None,
            "rectification": state, "helper": int(chain.call(quarters_c.helperOf(y, i))), "credited": bool(chain.call(market.credited(y, m.person))),
        }  # fmt: skip
    return out


def test_standings_equal_the_contracts_views(new_db: Callable[[str], str], year: tuple[Chain, dict[str, Any], str], views: dict[str, Any]) -> None:
    """R-VC-3 contracts, R-VC-4 points by kind, R-VC-7 ranks, corrections and objections, R-VC-8 grades,
    R-VC-9 rectification, R-VC-10 claims, balances and redemptions: projected rows == the views."""
    _, res, _ = year
    vr = res["village"]
    ix = index(new_db("v.db"), year)
    (village,) = rows(ix, s.villages)
    assert (village["code"], village["quarters"], village["market"]) == views["village"]
    members = {r["idx"]: r for r in rows(ix, s.village_members)}
    assert {i: (r["person_id"], r["key"], r["roles"], r["team"], r["balance"], r["redemptions"]) for i, r in members.items()} == views["members"]
    standings = {(r["quarter"], r["idx"]): r for r in rows(ix, s.village_standings)}
    assert {k: {f: r[f] for f in want} for k, want in views["standings"].items() for r in [standings.get(k, {})]} == views["standings"]
    assert len(standings) == len(views["standings"]) == 4 * len(members)  # every villager in every quarter, all final
    years = {(r["year"], r["idx"]): r for r in rows(ix, s.village_years)}
    assert {k: {f: r[f] for f in want} for k, want in views["years"].items() for r in [years.get(k, {})]} == views["years"]
    assert set(years) == set(views["years"])
    # the edges the year holds, named: the scenario's own read-back of ranks, one upheld correction, a lost seat, one redemption
    pid = ids(res)
    for label, q in vr["quarters"].items():
        got = {r["person_id"]: r["rank"] for r in standings.values() if r["label"] == label}
        assert got == {pid[x["id"]]: x["rank"] for x in q["standings"]}
    assert [(r["label"], r["adjust"], r["upheld"]) for r in standings.values() if any(r["adjust"])] == [("2026Q2", [0, 0, 10], 1)]
    assert [members[i]["person_id"] for (_, i), r in years.items() if r["rectification"] == 3] == [pid[x] for x in vr["rectifications"]]
    assert [(r["person_id"], r["balance"], r["redemptions"]) for r in members.values() if r["redemptions"]] == [(pid["v1"], 20, 1)]  # 80 less 2 × 30


def ids(res: dict[str, Any]) -> dict[str, str]:
    """The scenario's person keys -> person ids (salted with the village's code: scenario.village.run)."""
    salt = f"zhili-scenario:{res['village']['code']}".encode()
    return {sid: "0x" + person_id(sid, salt).hex() for sid in res["people"]}


def test_a_village_is_found_from_its_supermarket_and_refused_elsewhere(tmp_path: Path, year: tuple[Chain, dict[str, Any], str], capsys: pytest.CaptureFixture[str]) -> None:
    """A supermarket names its ledger, the ledger its quarters contract; a ledger is refused for
    another township, and an address that is no ledger is refused (``zhili index --market``)."""
    chain, res, other = year
    vr = res["village"]
    j, persons = res["jurisdiction"]["address"], res["jurisdiction"]["persons"]
    found = discover(chain, Target.from_json({"jurisdiction": j, "markets": [vr["market"]]}))
    assert [(f.kind, f.address, f.parent) for f in found if f.kind in ("VillageLedger", "VillageQuarters", "CreditSupermarket")] == [
        ("VillageLedger", vr["ledger"], None), ("VillageQuarters", vr["quarters_contract"], vr["ledger"]), ("CreditSupermarket", vr["market"], vr["ledger"])]  # fmt: skip
    assert next(f.name for f in found if f.kind == "VillageLedger") == vr["code"]
    assert {f.address for f in found if f.kind == "PersonRegistry"} == {persons}  # the ledger's registry
    with pytest.raises(IndexInputError, match=f"belongs to jurisdiction {j}"):
        discover(chain, Target(jurisdiction=other, villages=(vr["ledger"],)))
    with pytest.raises(IndexInputError, match="is not a VillageLedger"):
        discover(chain, Target(jurisdiction=j, villages=(persons,)))
    url = chain._owned.url  # type: ignore[attr-defined]
    db = str(tmp_path / "cli.db")
    code, out, err = z(capsys, "index", "--chain", url, "--db", db, "--jurisdiction", j, "--market", vr["market"], "--json")
    assert code == 0, err
    assert json.loads(out)["contracts"] == 6  # the township, its calendar, the registry, the ledger, its quarters, the supermarket
    with open_index(db).engine.connect() as conn:
        assert conn.execute(select(s.villages.c.code)).scalars().all() == [vr["code"]]
        assert len(conn.execute(select(s.village_standings)).all()) == 4 * len(res["people"])


# ---------------------------------------------------------------------------- the console's village page


@pytest.fixture(scope="module")
def client(year: tuple[Chain, dict[str, Any], str], tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The console (no chain: the index alone) over the village year indexed into SQLite, with names."""
    db = str(tmp_path_factory.mktemp("village") / "v.db")
    index(db, year)
    return TestClient(create_app(db), raise_server_exceptions=False)


def test_village_page_shows_standings_grades_and_a_chart(client: TestClient, year: tuple[Chain, dict[str, Any], str]) -> None:
    _, res, _ = year
    vr = res["village"]
    page = client.get(f"/j/{CODE}/village?lang=zh")
    assert page.status_code == 200, page.text
    html = page.text
    assert f"村 {vr['code']}" in html and "R-VC-7" in html and "R-VC-8" in html
    for q in ("2026Q1", "2026Q2", "2026Q3", "2026Q4"):
        assert q in html
    pid = ids(res)
    for sid, name in res["people"].items():  # every villager, linked to their person page, by name
        assert f'href="/person/{pid[sid]}"' in html and name in html
    row = lambda sid: re.search(rf'<tr data-person="{pid[sid]}">(.*?)</tr>', html, re.S).group(1)  # type: ignore[union-attr]  # noqa: E731
    assert "不合格" in row("r3") and "失去代表资格" in row("r3")  # R-VC-8, R-VC-9
    assert "红·先锋契约" in row("p1") and "黄·模范契约" not in row("p1") and "蓝·自治契约" in row("v1")  # R-VC-3
    assert "裁决更正 +1.0" in row("v3") and "有异议 1" in row("v3") and "有异议" in row("v2")  # R-VC-7: one upheld, one rejected
    assert re.search(r'<td class="num">20</td><td class="num">1</td>', row("v1"))  # R-VC-10: balance 20 after one redemption
    (data,) = re.findall(r'<script type="application/json" class="village-data"[^>]*>(.*?)</script>', html, re.S)
    chart = json.loads(data)
    assert [s_["label"] for s_ in chart["series"]] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"] and len(chart["labels"]) == len(res["people"])
    q2 = {x["id"]: x["credit"] / 10 for x in vr["quarters"]["2026Q2"]["standings"]}
    assert dict(zip(chart["labels"], chart["series"][1]["values"], strict=True)) == {res["people"][sid]: q2[sid] for sid in res["people"]}
    assert "/static/vendor/chart.umd.min.js" in html
    en = client.get(f"/j/{CODE}/village?lang=en").text
    assert "seat lost" in en and "not competent" in en and "Village points" in en


def test_village_page_links_search_and_refusals(client: TestClient, year: tuple[Chain, dict[str, Any], str]) -> None:
    _, res, _ = year
    code = res["village"]["code"]
    assert 'id="village-link"' in client.get(f"/j/{CODE}?lang=zh").text
    assert 'id="village-link"' not in client.get(f"/j/{OTHER}").text
    for q in (code, code[:6], "大水泊"):  # the village's code, part of it, its township's name
        found = client.get("/", params={"q": q}).text
        assert f'href="/j/{CODE}/village#village-{code}"' in found, q
    assert f'href="/j/{CODE}/village#village-{code}"' in client.get("/", params={"j": CODE}).text
    assert 'id="villages-found"' not in client.get("/", params={"q": "没有这个村"}).text
    r = client.get("/j/nowhere/village")
    assert r.status_code == 404 and "没有这个辖区" in r.text
    r = client.get(f"/j/{OTHER}/village")
    assert r.status_code == 404 and "没有已索引的村" in r.text
    p = client.get(f"/person/{ids(res)['r3']}?lang=zh")  # the person page's village years: grade and lost seat, linked back
    assert p.status_code == 200 and res["people"]["r3"] in p.text
    (years,) = re.findall(r'<section id="village-years">(.*?)</section>', p.text, re.S)
    assert f'href="/j/{CODE}/village#village-{code}"' in years and "不合格" in years and "失去代表资格" in years and "2026Q3 #10 0.0" in years
