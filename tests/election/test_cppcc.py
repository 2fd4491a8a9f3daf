"""The county CPPCC's vote on its recommended chair (contracts/election/CppccConfirmation.sol): R-EL-12.

A county whose five core offices a completed election seated (term 1: P00 secretary, P01 discipline,
P02 congress, P03 consultative, P04 administrator, as in council_kit), its council and team
completion, and the term's CPPCC session with five registered members holding the credentials they
registered in the session's own ballot box. More than half of five is three."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from chain_kit import revert, snapshot_world
from council_kit import N_PEOPLE, ElectedCouncilWorld
from election_kit import issuer
from zhili import profiles
from zhili.core.chain import Chain
from zhili.council.client import Position, Status
from zhili.council.team import Body, Step
from zhili.election.client import ElectionClient, Electorate, Phase, roll_persons
from zhili.election.cppcc import MEMBERS, CppccClient, CppccStatus
from zhili.election.credentials import seal
from zhili.jurisdiction import registry
from zhili.testing import ROLE_HOLDERS, Staff
from zhili.types import CORE_OFFICES, Role

S, D, C, K, A = CORE_OFFICES
AUTH, RELAY, UPPER = Staff.AUTHORITY, Staff.RELAYER, Staff.UPPER
ROLL = 5


@dataclass
class County:
    w: ElectedCouncilWorld
    e: ElectionClient
    cppcc: CppccClient
    members: list[tuple[bytes, LocalAccount]]


def elected_county(chain: Chain) -> ElectedCouncilWorld:
    """The county of this module, its term-1 election completed (``w.elected``), no CPPCC session yet."""
    w = ElectedCouncilWorld.build(chain, profile="county", code="330110", name="余杭县", people=N_PEOPLE, seed="cppcc", team=True)
    e = w.prepared(9, party=7, congress=6)
    e.begin_stage1(AUTH)
    e.run_poll([w.ids[: 7 - v] for v in range(7)], AUTH, RELAY)
    e.approve_list(UPPER)
    e.run_poll([w.ids[: 6 - v] for v in range(6)], AUTH, RELAY)
    w.pick(e, w.ids[4])
    assert e.phase == Phase.COMPLETED and [w.holder(o) for o in CORE_OFFICES] == w.ids[:5]
    w.hand.grant(w.jurisdiction, Role.OFFICE_WRITER)  # stands in for a removal (test-only)
    w.elected = e
    return w


def build_county(chain: Chain) -> County:
    w = elected_county(chain)
    e = w.elected
    cppcc = CppccClient.deploy(chain, w.jurisdiction, w.persons, 1, admin=Staff.ADMIN)
    members = roll_persons(chain, w.persons, "cppcc member", ROLL, Staff.ADMIN)
    cppcc.register_members([pid for pid, _ in members], AUTH)
    cppcc.enrol(MEMBERS, members, issuer(), AUTH, RELAY)  # each member's device, through a relayer
    return County(w, e, cppcc, members)


@pytest.fixture
def county(session_chain: Chain) -> Iterator[County]:
    yield from snapshot_world(session_chain, "cppcc county", build_county)


def _vacated(c: County) -> list[tuple[int, bytes, bytes]]:
    logs = c.w.jurisdiction.events.OfficeVacated().get_logs(from_block=c.cppcc.from_block)
    return [(int(ev.args.office), bytes(ev.args.personId), bytes(ev.args.reason)) for ev in logs]


def test_confirmed_by_three_of_five(county: County) -> None:
    # R-EL-12: the consultative member R-EL-10 gave the slot (P03) is the sole candidate; 3 of 5 > half
    c, w = county.cppcc, county.w
    assert revert(c.settle, RELAY).error == "NotScheduled"  # nothing to count before the recommendation
    round = c.recommend(county.e, AUTH)
    p = c.poll()
    assert p["status"] == CppccStatus.SCHEDULED and p["candidate"] == w.ids[3] and p["round"] == round
    assert c.roll() == (5, True)
    r = c.box.functions.getRound(round).call()
    assert (r[2], r[3], r[8]) == (1, 5, 0)  # one name per ballot, the roll's size as the quorum base, electorate 0
    out = c.run_vote([True, True, True], AUTH, RELAY)
    assert out == {"candidate": w.ids[3], "votes": 3, "cast": 3, "registered": 5, "confirmed": True, "vacated": False}
    assert c.poll()["status"] == CppccStatus.CONFIRMED and w.holder(K) == w.ids[3] and _vacated(county) == []
    err = revert(c.settle, RELAY)  # counted once
    assert err.error == "NotScheduled" and err.rule == "R-EL-12" and err.args_by_name["status"] == CppccStatus.CONFIRMED


def test_two_of_five_refuse_and_team_completion_fills_the_vacancy(county: County) -> None:
    # R-EL-12 [decision]: four cast (quorum), two for: 2·2 ≤ 5, rejected; the office is left vacant and
    # R-TC-3 fills it: a council nomination (>= 160 of the four sitting) and a people's-congress poll
    c, w, t = county.cppcc, county.w, county.w.team
    c.recommend(county.e, AUTH)
    out = c.run_vote([True, True, False, None], AUTH, RELAY)
    assert (out["votes"], out["cast"], out["registered"], out["confirmed"], out["vacated"]) == (2, 4, 5, False, True)
    assert c.poll()["status"] == CppccStatus.REJECTED and w.holder(K) is None
    assert _vacated(county) == [(int(K), w.ids[3], keccak(text="cppcc_rejected"))]
    assert revert(c.settle, RELAY).error == "NotScheduled"
    aid, mid = t.nominate(w.proposal(), w.ids[6], Staff.SECRETARIAT, office=K)
    v = w.decide(mid, {S: Position.YES, D: Position.YES, C: Position.NO, A: Position.NO})
    assert v.status == Status.PASSED and v.members[3] is None  # 180: the vacant seat has no vote (R-TC-3)
    t.settle_nomination(aid, RELAY)
    t.run_confirmation(county.e, Body.PEOPLES_CONGRESS, [aid], [0, 0, 0, 0], AUTH, RELAY)
    assert t.appointment(aid)["step"] == Step.APPOINTED and w.holder(K) == w.ids[6]


def test_without_quorum_rejected_but_a_later_seating_is_not_vacated(county: County) -> None:
    # two of five cast: no quorum, rejected. The holder of the recommended seating left meanwhile and a
    # new one (P06) was seated: the count does not unseat them (only the seating voted on is vacated)
    c, w = county.cppcc, county.w
    round = c.recommend(county.e, AUTH)
    c.open_round(round, AUTH)
    err = revert(c.settle, RELAY)  # the reveal is not over
    assert err.error == "RevealStillOpen"
    w.vacate(K)
    w.seat(K, 6)
    ballots = [seal(wl, round, 1) for wl in c.wallets[MEMBERS][:2]]
    c.relay(ballots, RELAY)
    c.wait_for_close(round)
    c.reveal(ballots, RELAY)
    c.wait_for_reveal_end(round)
    out = c.settle(RELAY)
    assert (out["votes"], out["cast"], out["confirmed"], out["vacated"]) == (2, 2, False, False)
    assert w.holder(K) == w.ids[6]


def test_only_the_cppcc_roll_votes(county: County) -> None:
    # the ballot box's roll is the CPPCC's: a deputy cannot obtain a credential in it (NotOnRoll), nor
    # vote with the credential they registered for the election (UnregisteredCredential); a member asks
    # only for electorate 0
    c, e = county.cppcc, county.e
    round = c.recommend(county.e, AUTH)
    c.open_round(round, AUTH)
    deputy, key = county.w.deputies(1)[0]
    assert not c.on_roll(deputy) and c.on_roll(county.members[0][0])
    err = revert(c.request_credentials, [c.new_wallet(MEMBERS).request(deputy, key)], RELAY)
    assert err.error == "NotOnRoll" and err.args_by_name["person"] == deputy
    member, mkey = county.members[0]
    err = revert(c.request_credentials, [c.new_wallet(Electorate.CONGRESS).request(member, mkey)], RELAY)
    assert err.error == "NotOnRoll" and err.args_by_name["electorate"] == 1
    theirs = replace(e.wallets[Electorate.CONGRESS][0], box=c.box.address, electorate=0)
    err = revert(c.relay, [seal(theirs, round, 1)], RELAY)
    assert err.error == "UnregisteredCredential" and err.rule == "R-EL-7"
    assert c.credential_counts(MEMBERS) == (5, 5, False)


def test_the_recommendation_is_read_from_the_election_once(county: County) -> None:
    # nobody names the candidate (recommend takes the election only); the holder must still be the
    # election's consultative member; one recommendation; the election authority or the upper committee
    c, w = county.cppcc, county.w
    (fn,) = [f for f in c.contract.abi if f.get("name") == "recommend"]
    assert [i["type"] for i in fn["inputs"]] == ["address"]
    assert revert(c.recommend, county.e, RELAY).error == "JurisdictionRoleRequired"
    w.vacate(K)
    w.seat(K, 6)  # someone else holds the office now
    err = revert(c.recommend, county.e, AUTH)
    assert err.error == "NotConsultativeHolder" and err.rule == "R-EL-12"
    assert (err.args_by_name["candidate"], err.args_by_name["holder"]) == (w.ids[3], w.ids[6])
    w.vacate(K)
    w.seat(K, 3)
    c.recommend(county.e, UPPER)  # the upper committee may too (a silent authority cannot stall it)
    err = revert(c.recommend, county.e, AUTH)
    assert err.error == "AlreadyRecommended" and err.args_by_name["candidate"] == w.ids[3]


def test_roll_checks_frozen_once_recommended_and_exactly_half_refused(county: County) -> None:
    c, w = county.cppcc, county.w
    assert revert(c.register_members, [w.ids[7]], RELAY).error == "JurisdictionRoleRequired"
    assert revert(c.register_members, [county.members[1][0]], AUTH).error == "DuplicateMember"
    assert revert(c.register_members, [keccak(text="nobody")], AUTH).error == "UnknownPerson"
    w.hand.grant(w.persons, Role.RECORD_WRITER)
    w.hand.relay(w.persons.functions.blacklist(w.ids[8], keccak(text="finding")))
    err = revert(c.register_members, [w.ids[8]], AUTH)
    assert err.error == "BlacklistedMember" and err.rule == "R-MR-9"
    c.register_members([w.ids[7]], AUTH)
    assert c.roll() == (6, False)
    c.recommend(county.e, AUTH)
    err = revert(c.register_members, [w.ids[9]], AUTH)
    assert err.error == "CppccRollFrozen" and err.args_by_name["rollSize"] == 6
    assert c.box.functions.getRound(c.poll()["round"]).call()[3] == 6
    # exactly half of the registered is not more than half: 3 of 6 (P07 holds no credential) is a rejection
    out = c.run_vote([True, True, True, False, False], AUTH, RELAY)
    assert (out["votes"], out["cast"], out["registered"], out["confirmed"], out["vacated"]) == (3, 5, 6, False, True)


def test_foreign_uncompleted_or_other_term_elections_refused(county: County) -> None:
    w, chain = county.w, county.w.chain
    c2 = CppccClient.deploy(chain, w.jurisdiction, w.persons, 2, admin=Staff.ADMIN)
    err = revert(c2.recommend, county.e, AUTH)  # term 1's election for term 2's session
    assert err.error == "WrongTerm" and (err.args_by_name["term"], err.args_by_name["expected"]) == (1, 2)
    e2 = w.election(2)  # this county's next election, still in registration
    err = revert(c2.recommend, e2, AUTH)
    assert err.error == "ElectionIncomplete" and err.args_by_name["phase"] == Phase.REGISTRATION
    err = revert(c2.recommend, w.team.contract.address, AUTH)  # writes offices here, but no election
    assert err.error == "NotThisCountysElection"
    roles = {role: [w.address(s)] for role, s in ROLE_HOLDERS.items()}
    other = registry.deploy_jurisdiction(chain, profiles.load("county"), "330111", "临安县", roles=roles)
    foreign = ElectionClient.deploy(chain, other, w.persons, 1, admin=Staff.ADMIN)
    err = revert(county.cppcc.recommend, foreign, AUTH)
    assert err.error == "NotThisCountysElection" and err.args_by_name["election"].lower() == foreign.contract.address.lower()
    empty = CppccClient.deploy(chain, w.jurisdiction, w.persons, 1, admin=Staff.ADMIN)
    assert revert(empty.recommend, county.e, AUTH).error == "EmptyCppccRoll"
    township = registry.deploy_jurisdiction(chain, profiles.load("township"), "330110-002", "瓶窑镇", roles=roles)
    err = revert(CppccClient.deploy, chain, township, w.persons, 1, admin=Staff.ADMIN)
    assert err.error == "NotCountyProfile" and err.rule == "R-EL-12"
