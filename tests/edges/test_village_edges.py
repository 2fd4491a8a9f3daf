"""Village scheme edges (issue 20) the village tests do not pin: a contract signed for next year (the
last year allowed) and for the year after it (R-VC-3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import revert, snapshot_world
from village_kit import YEAR, VillageWorld, build_village
from zhili.core.chain import Chain
from zhili.village.client import Colour


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
