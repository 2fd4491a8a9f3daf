"""The council of a really elected team: the offices written by an election (R-EL-11) sit in the council."""

from __future__ import annotations

from eth_utils import keccak

from election_kit import build_world
from test_election import full_election
from zhili.core.chain import Chain
from zhili.council.client import CouncilClient, Position, Proposal, Status, Windows, text_id
from zhili.testing import Staff
from zhili.types import Category, Office


def test_elected_team_decides_a_motion(chain: Chain) -> None:
    # R-EL-9, R-EL-10 seat the five offices; R-WD-1 ... R-WD-6 run on them without any other setup
    w = build_world(chain)
    e = full_election(w, [3, 1, 4, 0, 2, 5, 6], pick=4)
    off = {Office.from_key(k): v for k, v in e.offices().items()}
    assert off[Office.SECRETARY] == w.ids[3] and off[Office.ADMINISTRATOR] == w.ids[4]
    c = CouncilClient.deploy(chain, w.jurisdiction, w.persons, secretariat=[chain.accounts[Staff.SECRETARIAT].address])
    windows = Windows(600, 3600, 3600)
    m = c.propose(Proposal(Category.LIVELIHOOD, keccak(text="村道硬化"), [text_id("basis")], text_id("plan"), windows=windows), Staff.SECRETARIAT)
    chain.advance_time(windows.classify)
    key = {o: w.keys[pid] for o, pid in off.items()}
    assert c.lead(m) == Office.ADMINISTRATOR
    c.state_opinion(m, keccak(text="乡理意见"), key[Office.ADMINISTRATOR])
    votes = [c.seal(m, Position.YES, key[o]) for o in (Office.ADMINISTRATOR, Office.SECRETARY)]  # office found from the key
    for v in votes:
        c.commit(v, key[v.office])
    for o in (Office.DISCIPLINE, Office.CONGRESS, Office.CONSULTATIVE):
        v = c.seal(m, Position.NO, key[o])
        c.commit(v, key[o])
        votes.append(v)
    c.reveal(votes, 9)
    v = c.close(m, 9)
    assert v.status == Status.PASSED and v.yes == 180 and v.first_responsible == w.ids[4]
    assert v.members == [off[o] for o in Office if o != Office.DISCIPLINE_DEPUTY]
