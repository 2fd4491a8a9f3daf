"""Team completion in the index and the console (R-TC-1, R-TC-2, R-TC-3, issue 19): the indexer folds a
``TeamCompletion``'s log with :func:`zhili.council.rebuild.fold_team` (the fold ``tests/council/test_council_rebuild.py``
holds equal to the contract's storage) into ``appointments``; the rows equal the contract's views, and the
election page and the person page show who was appointed to which office or post, under which rule and step,
by which council motion or administrator, with each congress's count. One council world, indexed once (anvil only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_utils import keccak
from sqlalchemy import select
from starlette.testclient import TestClient

from council_kit import ElectedCouncilWorld, build_elected_council_world
from zhili.console.app import create_app
from zhili.core.chain import Chain
from zhili.council import rebuild as cr
from zhili.council.client import Position, text_id
from zhili.council.team import Body, Step, TeamKind
from zhili.index import Target, open_index
from zhili.index import schema as s
from zhili.testing import Staff
from zhili.types import CORE_OFFICES

S, D, C, K, A = CORE_OFFICES
YES, NO = Position.YES, Position.NO


@dataclass
class Team:
    w: ElectedCouncilWorld
    db: Path
    code: str
    ids: dict[str, int]  # appointment ids by name
    motions: dict[str, int]


@pytest.fixture(scope="module")
def team(session_chain: Chain, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    chain = session_chain
    snap = chain.snapshot()
    start = chain.w3.eth.block_number + 1
    w = build_elected_council_world(chain)
    t, e = w.team, w.elected
    ids: dict[str, int] = {}
    m: dict[str, int] = {}
    # R-TC-1: a committee member nominated by the council and confirmed by both congresses, after a contested
    # party-congress poll that its rival lost
    ids["member"], m["member"] = t.nominate(w.proposal(), w.ids[6], Staff.SECRETARIAT, post=text_id("组织委员"))
    w.decide(m["member"], {S: YES, C: YES, D: NO})
    t.settle_nomination(ids["member"], Staff.RELAYER)
    ids["rival"], m["rival"] = t.nominate(w.proposal(), w.ids[5], Staff.SECRETARIAT, post=text_id("组织委员"))
    w.decide(m["rival"], {S: YES, C: YES, D: YES})
    t.settle_nomination(ids["rival"], Staff.RELAYER)
    t.run_confirmation(e, Body.PARTY_CONGRESS, [ids["member"], ids["rival"]], [0, 0, 0, 0, 1, 1, None], Staff.AUTHORITY, Staff.RELAYER)
    t.run_confirmation(e, Body.PEOPLES_CONGRESS, [ids["member"]], [0, 0, 0, 0], Staff.AUTHORITY, Staff.RELAYER)
    # R-TC-3: the vacant consultative office filled (seated on appointment)
    w.vacate(K)
    ids["office"], m["office"] = t.nominate(w.proposal(), w.ids[9], Staff.SECRETARIAT, office=K)
    w.decide(m["office"], {S: YES, D: NO, C: YES, A: YES})
    t.settle_nomination(ids["office"], Staff.RELAYER)
    t.run_confirmation(e, Body.PEOPLES_CONGRESS, [ids["office"]], [0, 0, 0, 0, 0], Staff.AUTHORITY, Staff.RELAYER)
    # R-TC-2: a government member the people's congress refused (3 of 6), and one still awaiting it
    ids["refused"] = t.propose_government_member(w.ids[7], text_id("副乡长"), keccak(text="nomination"), w.key(A))
    t.consent(ids["refused"], True, w.key(S))
    t.run_confirmation(e, Body.PEOPLES_CONGRESS, [ids["refused"]], [0, 0, 0, None, None, None], Staff.AUTHORITY, Staff.RELAYER)
    ids["waiting"] = t.propose_government_member(w.ids[8], text_id("副乡长 2"), keccak(text="nomination 2"), w.key(A))
    t.consent(ids["waiting"], True, w.key(S))
    db = tmp_path_factory.mktemp("team") / "team.db"
    ix = open_index(str(db))
    ix.add(chain, Target(jurisdiction=w.jurisdiction.address, elections=(e.contract.address,), council=w.council.contract.address,
                         team=t.contract.address, from_block=start))  # fmt: skip
    ix.sync(chain)
    ix.engine.dispose()
    yield Team(w, db, str(chain.call(w.jurisdiction.functions.code())), ids, m)
    chain.revert_to(snap)


@pytest.mark.anvil_only  # the world and its indexing: about 7 s on anvil, 70 s on the embedded chain (its log query reads every receipt)
def test_the_appointments_table_equals_the_team_contracts_storage(team: Team) -> None:
    w = team.w
    live = cr.state_team(w.chain, w.team.contract)["appointments"]
    with open_index(str(team.db), create=False).engine.connect() as conn:
        rows = {r["id"]: r for r in conn.execute(select(s.appointments)).mappings()}
    assert set(rows) == set(live) == set(team.ids.values())
    for i, r in rows.items():
        a = live[i]
        assert r["team"] == w.team.contract.address and r["jurisdiction"] == w.jurisdiction.address
        assert (r["kind"], r["step"], r["office"], r["post"], r["person_id"], r["motion_id"], r["nominator"], r["created_at"], r["settled_at"]) == (
            a["kind"], a["step"], a["office"], a["post"], a["personId"], a["motionId"], a["nominator"], a["createdAt"], a["settledAt"])  # fmt: skip
        assert (r["data"]["needed"], r["data"]["confirmed"], r["data"]["scheduled"]) == (a["needed"], a["confirmed"], a["scheduled"])
    steps = {k: Step(rows[i]["step"]) for k, i in team.ids.items()}
    assert steps == {"member": Step.APPOINTED, "rival": Step.REFUSED, "office": Step.APPOINTED, "refused": Step.REFUSED, "waiting": Step.AWAITING_CONFIRMATION}
    assert rows[team.ids["office"]]["office"] == K and rows[team.ids["refused"]]["kind"] == TeamKind.GOVERNMENT_MEMBER
    assert [(c["for"], c["registered"], c["confirmed"]) for c in rows[team.ids["refused"]]["data"]["confirmations"]] == [(3, 6, False)]


@pytest.mark.anvil_only  # the world and its indexing: about 7 s on anvil, 70 s on the embedded chain (its log query reads every receipt)
def test_the_election_page_lists_the_appointments_with_rule_step_and_motion(team: Team) -> None:
    client = TestClient(create_app(str(team.db)), cookies={"lang": "en"})
    page = client.get(f"/j/{team.code}/elections")
    assert page.status_code == 200
    section = page.text[page.text.index('id="appointments"') :]
    rows = section.split('<tr class="appointment')[1:]
    assert len(rows) == 5
    member, rival, office, refused, waiting = rows  # oldest first
    assert "R-TC-1 · committee member" in member and "appointed" in member and f'/j/{team.code}/motions/{team.motions["member"]}"' in member
    assert "party congress 4/7 ✓" in member and "people&#39;s congress 4/6 ✓" in member
    assert "R-TC-1" in rival and "refused" in rival and "party congress 2/7 ✗" in rival
    assert "R-TC-3 · vacant core office" in office and "United-front member" in office and f"0x{team.w.ids[9].hex()}" in office
    assert "R-TC-2 · government member" in refused and "refused" in refused and "people&#39;s congress 3/6 ✗" in refused
    assert "secretary&#39;s consent: Yes" in refused and f"/person/0x{team.w.ids[4].hex()}" in refused  # the administrator nominated
    assert "awaiting confirmation" in waiting
    zh = TestClient(create_app(str(team.db))).get(f"/j/{team.code}/elections").text
    assert "班子补充任命" in zh and "已任命" in zh and "未任命" in zh


@pytest.mark.anvil_only  # the world and its indexing: about 7 s on anvil, 70 s on the embedded chain (its log query reads every receipt)
def test_the_person_page_shows_their_appointment_in_their_lifetime_record(team: Team) -> None:
    client = TestClient(create_app(str(team.db)), cookies={"lang": "en"})
    page = client.get(f"/person/0x{team.w.ids[9].hex()}")
    assert page.status_code == 200
    section = page.text[page.text.index('id="person-appointments"') : page.text.index("</section>", page.text.index('id="person-appointments"'))]
    assert section.count('<tr class="appointment') == 1 and "R-TC-3" in section and "United-front member" in section and "appointed" in section
    assert f'href="/j/{team.code}/elections"' in section
    # the seating it led to is in the offices table
    assert "United-front member" in page.text[page.text.index('id="offices"') :]
    other = client.get(f"/person/0x{team.w.ids[3].hex()}").text
    assert '<tr class="appointment' not in other  # no appointment names this person


def test_a_scenario_results_team_contract_is_followed() -> None:
    res = {"jurisdiction": {"address": "0x" + "11" * 20, "persons": "0x" + "22" * 20}, "contracts": {"council": "0x" + "33" * 20, "team": "0x" + "44" * 20}}
    t = Target.from_scenario(res)
    assert (t.council, t.team) == ("0x" + "33" * 20, "0x" + "44" * 20)
    assert Target.from_scenario({"jurisdiction": res["jurisdiction"]}).team is None
