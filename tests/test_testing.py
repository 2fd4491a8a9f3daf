"""zhili.testing: the named accounts and the one world builder the tests and the benchmark share."""

from __future__ import annotations

import pytest

from zhili.core.chain import Chain
from zhili.jurisdiction import registry
from zhili.testing import ROLE_HOLDERS, Staff, World, person_of
from zhili.types import CORE_OFFICES, Office, Role


def test_staff_names_every_role_once() -> None:
    assert tuple(ROLE_HOLDERS) == registry.ROLES  # every SPEC section 0 role has its holder
    assert len(set(ROLE_HOLDERS.values())) == len(ROLE_HOLDERS)  # ... each on an account of its own
    assert Staff.ADMIN not in ROLE_HOLDERS.values() and Staff.RELAYER not in ROLE_HOLDERS.values()
    assert str(Staff.UPPER) == "3" and int(Staff.KEEPER) == int(Staff.SECRETARIAT)  # --from takes the number
    assert max(Staff) < 10  # a test chain has ten accounts


def test_world_builds_every_part(chain: Chain) -> None:
    w = World.build(chain, people=8, seed="testing", seated=CORE_OFFICES, council=True, team=True, evidence=True, handover=True, merit=True)
    j = w.jurisdiction.functions
    for role, who in ROLE_HOLDERS.items():
        assert chain.call(j.hasRole(registry.role_id(role), w.address(who)))
    assert chain.call(j.hasRole(Role.SECRETARIAT, w.address(Staff.SECRETARIAT)))
    assert chain.call(j.hasRole(Role.RECORDS_KEEPER, w.address(Staff.KEEPER)))
    assert [w.holder(o) for o in CORE_OFFICES] == w.ids[:5] and w.holder(Office.DISCIPLINE_DEPUTY) is None
    pid, key = person_of("testing", 3)
    assert w.ids[3] == pid and w.signer(3).address == key.address and w.names[pid] == "P03"
    assert bytes(chain.call(w.persons.functions.personOf(key.address))) == pid
    assert w.council.jurisdiction().address == w.jurisdiction.address and w.team.contract.address
    assert w.ledger.contract.address and w.handover.contract.address
    assert [w.index(p) for p in w.merit.order()] == [1, 2, 3, 4]  # R-SU-1: the order set from the seated offices
    assert w.calendar.published_years()
    with pytest.raises(LookupError, match="mock council"):
        w.decisions  # noqa: B018 - the ledger reads the real council here


def test_world_without_parts_says_so(chain: Chain) -> None:
    w = World.build(chain, people=1, fund=0)
    for part in ("council", "team", "ledger", "handover", "merit"):
        with pytest.raises(LookupError, match="built without"):
            getattr(w, part)
    assert w.holder(Office.SECRETARY) is None
