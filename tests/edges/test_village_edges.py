"""Village scheme edges (issue 20) the village tests do not pin: a contract signed for next year (the
last year allowed) and for the year after it (R-VC-3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import revert, snapshot_world
from edge_kit import send_at
from village_kit import YEAR, VillageWorld, april, build_village
from zhili.core.chain import Chain
from zhili.testing import Staff
from zhili.village.client import Colour, QuarterState


@pytest.fixture
def vw(session_chain: Chain) -> Iterator[VillageWorld]:
    yield from snapshot_world(session_chain, "village", build_village)


def test_contract_for_next_year_accepted_the_year_after_refused(vw: VillageWorld) -> None:
    # R-VC-3: a contract is signed for the current year or the next one, not further ahead
    v = vw.v
    v.sign_contract(vw.ids[2], YEAR + 1, Colour.BLUE, b"\1" * 32, vw.key(2))
    assert v.colours(vw.ids[2], YEAR + 1) == [Colour.BLUE]
    e = revert(v.sign_contract, vw.ids[2], YEAR + 2, Colour.BLUE, b"\1" * 32, vw.key(2))
    assert e.error == "ContractYear" and e.rule == "R-VC-3" and e.args_by_name == {"year": YEAR + 2, "current": YEAR}


def test_criterion_value_at_the_framework_bound_accepted_one_more_refused(vw: VillageWorld) -> None:
    # R-VC-1: a criterion may be worth exactly the district's largest value, not a tenth more
    fw = vw.framework
    largest = int(vw.chain.call(fw.functions.framework())[1])
    vw.chain.call(fw.functions.checkCriterion(1, largest))
    e = revert(vw.chain.call, fw.functions.checkCriterion(1, largest + 1))
    assert e.error == "CriterionOutOfBounds" and e.rule == "R-VC-1" and e.args_by_name["maxValue"] == largest


def test_quarter_final_only_after_the_objection_deadline(vw: VillageWorld) -> None:
    # R-VC-7: objections until the deadline's last second, so finality is refused in that second
    # and possible in the next (mined in those exact seconds: edge_kit.send_at)
    v = vw.v
    vw.notes["version"] = vw.adopt()
    vw.run_month(april(), declarations=[(11, "P04")], negatives=[])
    q = april() // 3
    vw.go_to(april() + 3, day=15)
    v.publish(q, vw.key(8))
    deadline = v.quarter(q).deadline
    finalize = v.quarters.functions.finalize(q)
    assert send_at(vw.chain, finalize, Staff.ADMIN, deadline)["status"] == 0
    assert send_at(vw.chain, finalize, Staff.ADMIN, deadline + 1)["status"] == 1
    assert v.quarter(q).state == QuarterState.FINAL
