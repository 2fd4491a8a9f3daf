"""The discipline deputy (R-SU-1's third successor) seated through team completion (R-TC-1, R-TC-3) and
joining the succession order (issue 17): nobody else can seat it, nobody inserts an office-less person."""

from __future__ import annotations

from chain_kit import revert
from council_kit import ElectedCouncilWorld
from zhili.council.client import Position
from zhili.council.team import Body, Step
from zhili.merit.client import MeritClient
from zhili.testing import Staff
from zhili.types import CORE_OFFICES, Category, Office

S, D, C, K, A = CORE_OFFICES
YES = Position.YES
ANYONE = 9


def test_discipline_deputy_seated_by_team_completion_joins_the_order(elected: ElectedCouncilWorld) -> None:
    world = elected
    ch = world.chain
    m = MeritClient.deploy(ch, world.jurisdiction, world.persons, world.profile, admin=Staff.ADMIN)
    world.hand.relay(m.succession.functions.officesSeated())  # the world's election completed before this merit book existed
    assert [world.index(p) for p in m.order()] == [1, 2, 3, 4]  # R-SU-1: no deputy yet
    t = world.team
    aid, mid = t.nominate(world.proposal(Category.DISCIPLINE), world.ids[6], Staff.SECRETARIAT, office=Office.DISCIPLINE_DEPUTY)
    assert revert(m.join, world.ids[6], ANYONE).error == "InvalidMember"  # nominated is not seated
    world.decide(mid, {o: YES for o in (S, D, C)})  # 80 + 100 + 60 of the discipline row
    t.settle_nomination(aid, ANYONE)
    t.run_confirmation(world.elected, Body.PEOPLES_CONGRESS, [aid], [0, 0, 0, 0], Staff.AUTHORITY, Staff.RELAYER)  # 4 of 6 deputies
    assert t.appointment(aid)["step"] == Step.APPOINTED and world.holder(Office.DISCIPLINE_DEPUTY) == world.ids[6]
    m.join(world.ids[6], ANYONE)  # anyone: the result depends only on the jurisdiction's offices
    assert [world.index(p) for p in m.order()] == [1, 2, 3, 6, 4]
    err = revert(m.join, world.ids[6], ANYONE)
    assert err.error == "InvalidMember" and err.rule == "R-SU-1"
