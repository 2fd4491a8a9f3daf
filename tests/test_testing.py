"""zhili.testing: the named accounts and the one world builder the tests and the benchmark share."""

from __future__ import annotations

import pytest

from zhili.core.chain import Chain
from zhili.jurisdiction import registry
from zhili.testing import ROLE_HOLDERS, VILLAGE_ROLL, Staff, World, person_of
from zhili.types import CORE_OFFICES, Office, Role
from zhili.village import client as vc
from zhili.village.client import Colour


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


def test_world_with_a_village(chain: Chain) -> None:
    w = World.build(chain, people=12, seed="village world", village=True, village_year=2026)
    v = w.village
    assert chain.call(w.jurisdiction.functions.hasRole(Role.VILLAGE_OFFICE, w.address(Staff.TOWN)))
    assert chain.call(v.ledger.functions.quarters()) == v.quarters.address  # bound once by the town (R-VC-7)
    assert v.manual() == w.village_profile.manual()  # the town's manual from the profile (R-VC-1)
    assert v.item(1).price == w.village_profile.catalogue()[0]["price"] and v.item(1).stock == w.village_profile.catalogue()[0]["stock"]
    members = v.members()
    assert [m.person for m in members] == w.ids  # everyone of the roll, enrolled in its order
    assert [(m.roles, m.team) for m in members] == [VILLAGE_ROLL[i] for i in range(12)]
    assert w.village_members(vc.COUNCIL) == [7, 8, 9] and w.village_team(2) == [2, 3]
    # contracts of the year, by function (R-VC-3): red for party members, yellow for representatives
    assert v.colours(w.ids[5], 2026) == [Colour.RED, Colour.YELLOW, Colour.BLUE]
    assert v.colours(w.ids[11], 2026) == [Colour.BLUE] and v.colours(w.ids[11], 2027) == []
    version = w.adopt_village_list()
    info = v.list_info(version)
    # three of a roll of four: the fewest that are more than half (R-VC-2)
    assert (info.state_key, info.yes, info.roll, info.size) == ("adopted", 3, 4, len(w.village_profile.criteria()))


def test_village_world_needs_its_roll_and_says_what_it_lacks(chain: Chain) -> None:
    with pytest.raises(ValueError, match=r"persons \[10, 11\], the world has 10"):
        World.build(chain, people=10, village=True)
    w = World.build(chain, people=2, fund=0, village=True, village_roll={0: (vc.REPRESENTATIVE, 1), 1: (0, 1)})
    assert [m.roles for m in w.village.members()] == [vc.REPRESENTATIVE, 0]
    assert all(w.village.colours(pid, 2026) == [] for pid in w.ids)  # no village_year: nobody signed (R-VC-3)
    with pytest.raises(LookupError, match="no secretary"):
        w.adopt_village_list()
    plain = World.build(chain, people=1, fund=0)
    for part in ("village", "village_profile"):
        with pytest.raises(LookupError, match="without a village"):
            getattr(plain, part)
