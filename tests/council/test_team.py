"""Team completion and government members (contracts/council/TeamCompletion.sol): R-TC-1, R-TC-2, R-TC-3."""

from __future__ import annotations

from eth_utils import keccak

from chain_kit import revert
from council_kit import CouncilWorld
from zhili.council.client import Position, Status, text_id
from zhili.council.team import Body, Step, TeamKind
from zhili.testing import Staff
from zhili.types import CORE_OFFICES, Category

S, D, C, K, A = CORE_OFFICES
YES, NO = Position.YES, Position.NO
PARTY, PEOPLE = Body.PARTY_CONGRESS, Body.PEOPLES_CONGRESS


def test_committee_member_nominated_by_weighted_vote_and_confirmed_by_both_congresses(world: CouncilWorld) -> None:
    # R-TC-1: strategic row, >= 160, then party congress and people's congress (more than half each)
    t = world.team
    post = text_id("组织委员")
    aid, mid = t.nominate(world.proposal(Category.STRATEGIC), world.ids[6], Staff.SECRETARIAT, post=post)
    a = t.appointment(aid)
    assert a["kind"] == TeamKind.COMMITTEE_MEMBER and a["step"] == Step.PENDING and a["needed"] == [PARTY, PEOPLE]
    assert world.council.motion(mid).kind.name == "NOMINATION" and world.council.motion(mid).weights == [100, 80, 60, 40, 20]
    # the congresses cannot confirm before the council decided
    err = revert(t.record_confirmation, aid, PARTY, 30, 5, 50, Staff.AUTHORITY)
    assert err.error == "NotDecided"
    v = world.decide(mid, {S: YES, C: YES, D: NO})
    assert v.status == Status.PASSED and v.yes == 160
    err = revert(t.record_confirmation, aid, PARTY, 26, 24, 50, Staff.RELAYER)
    assert err.error == "JurisdictionRoleRequired" and err.rule == "none"
    err = revert(t.record_confirmation, aid, PARTY, 30, 30, 50, Staff.AUTHORITY)
    assert err.error == "BadCount" and err.rule == "R-TC-1"
    t.record_confirmation(aid, PARTY, 26, 24, 50, Staff.AUTHORITY)  # 26 > 25
    assert t.appointment(aid)["step"] == Step.AWAITING_CONFIRMATION and t.appointment(aid)["confirmed"] == [PARTY]
    assert revert(t.record_confirmation, aid, PARTY, 26, 24, 50, Staff.AUTHORITY).error == "ConfirmationNotExpected"
    t.record_confirmation(aid, PEOPLE, 31, 0, 60, Staff.AUTHORITY)
    a = t.appointment(aid)
    assert a["step"] == Step.APPOINTED and a["person"] == world.ids[6] and a["post"] == post
    # a committee post is not a core office: nobody is seated in the jurisdiction
    assert world.chain.call(world.jurisdiction.functions.officeOf(world.ids[6]))[0] is False


def test_congress_refusal_and_failed_nomination(world: CouncilWorld) -> None:
    # R-TC-1: exactly half of the registered is not "more than half"; a nomination below 160 is refused
    t = world.team
    aid, mid = t.nominate(world.proposal(Category.DISCIPLINE), world.ids[7], Staff.SECRETARIAT, post=text_id("纪委委员"))
    assert world.council.motion(mid).weights == [80, 100, 60, 40, 20]  # county text: discipline row for the commission
    world.decide(mid, {D: YES, C: YES})
    t.record_confirmation(aid, PEOPLE, 25, 20, 50, Staff.AUTHORITY)
    assert t.appointment(aid)["step"] == Step.REFUSED
    aid2, mid2 = t.nominate(world.proposal(Category.STRATEGIC), world.ids[8], Staff.SECRETARIAT, post=text_id("宣传委员"))
    world.decide(mid2, {S: YES, K: YES})  # 140
    err = revert(t.record_confirmation, aid2, PARTY, 40, 0, 50, Staff.AUTHORITY)
    assert err.error == "NominationRejected" and err.rule == "R-TC-1"
    t.settle_nomination(aid2, Staff.RELAYER)
    assert t.appointment(aid2)["step"] == Step.REFUSED
    err = revert(t.nominate, world.proposal(Category.LIVELIHOOD), world.ids[8], Staff.SECRETARIAT, post=text_id("x"))
    assert err.error == "NominationCategory" and err.rule == "R-TC-1"


def test_vacant_core_office_filled_by_nomination_and_congress(world: CouncilWorld) -> None:
    # R-TC-3: a vacant core office stays empty until nominated (>= 160 of the sitting members) and confirmed
    t = world.team
    world.vacate(K)
    err = revert(t.nominate, world.proposal(), world.ids[6], Staff.SECRETARIAT, office=D)
    assert err.error == "OfficeNotVacant" and err.rule == "R-TC-3"
    err = revert(t.nominate, world.proposal(), world.ids[1], Staff.SECRETARIAT, office=K)
    assert err.error == "NomineeInOffice"
    aid, mid = t.nominate(world.proposal(), world.ids[6], Staff.SECRETARIAT, office=K)
    assert t.appointment(aid)["needed"] == [PEOPLE]
    v = world.decide(mid, {S: YES, D: NO, C: YES, A: YES})
    assert v.members[3] is None and v.yes == 180  # the vacant seat had no vote
    t.record_confirmation(aid, PEOPLE, 40, 10, 60, Staff.AUTHORITY)
    assert t.appointment(aid)["step"] == Step.APPOINTED
    assert world.holder(K) == world.ids[6]
    assert world.chain.call(world.persons.functions.termsServed(world.ids[6], int(K))) == 1  # R-TL-1
    # the new member sits in the next motion
    m = world.propose(Category.CONSULTATIVE)
    v = world.decide(m, {K: YES, S: YES})
    assert v.status == Status.PASSED and v.first_responsible == world.ids[6]


def test_blacklisted_and_unknown_nominees(world: CouncilWorld) -> None:
    # R-TC-1 with R-MR-9: a blacklisted person can never be nominated
    world.chain.transact(world.persons.functions.grantRole(keccak(text="zhili.role.RECORD_WRITER"), world.chain.accounts[Staff.ADMIN].address), Staff.ADMIN)
    world.chain.transact(world.persons.functions.blacklist(world.ids[9], keccak(text="finding")), Staff.ADMIN)
    err = revert(world.team.nominate, world.proposal(), world.ids[9], Staff.SECRETARIAT, post=text_id("x"))
    assert err.error == "BlacklistedNominee"
    err = revert(world.team.nominate, world.proposal(), keccak(text="nobody"), Staff.SECRETARIAT, post=text_id("x"))
    assert err.error == "NomineeUnknown"
    assert world.chain.call(world.team.contract.functions.appointmentCount()) == 0
    assert world.council.motion_count() == 0  # nothing half-written


def test_government_member_nominated_by_administrator_with_secretary_consent(world: CouncilWorld) -> None:
    # R-TC-2: administrator nominates, secretary consents, people's congress approves by more than half of deputies
    t = world.team
    post = text_id("副乡长")
    err = revert(t.propose_government_member, world.ids[6], post, keccak(text="n"), world.key(S))
    assert err.error == "NotHolder" and err.rule == "R-TC-2"
    gid = t.propose_government_member(world.ids[6], post, keccak(text="nomination"), world.key(A))
    a = t.appointment(gid)
    assert a["kind"] == TeamKind.GOVERNMENT_MEMBER and a["nominator"] == world.ids[4] and a["motion"] is None
    assert revert(t.record_confirmation, gid, PEOPLE, 40, 0, 60, Staff.AUTHORITY).error == "WrongStep"  # consent first
    assert revert(t.consent, gid, True, world.key(A)).error == "NotHolder"
    t.consent(gid, True, world.key(S))
    assert revert(t.record_confirmation, gid, PARTY, 40, 0, 60, Staff.AUTHORITY).error == "ConfirmationNotExpected"
    t.record_confirmation(gid, PEOPLE, 31, 29, 60, Staff.AUTHORITY)
    assert t.appointment(gid)["step"] == Step.APPOINTED
    # the secretary may refuse consent
    gid2 = t.propose_government_member(world.ids[7], text_id("副乡长 2"), keccak(text="n2"), world.key(A))
    t.consent(gid2, False, world.key(S))
    assert t.appointment(gid2)["step"] == Step.REFUSED
    assert revert(t.consent, gid2, True, world.key(S)).error == "WrongStep"
