"""Merit ledger and succession order (contracts/merit/MeritBook.sol, MeritLedger.sol, Succession.sol):
SPEC §5 and §6 rule by rule, on both chains."""

from __future__ import annotations

from dataclasses import replace

import pytest
from eth_utils import keccak

from chain_kit import revert
from merit_kit import COMMITTEE_KEY, MeritWorld, reveal
from model.calendar import expected_deadline
from zhili import profiles
from zhili.core.chain import ContractRevert
from zhili.jurisdiction import registry
from zhili.merit.client import Award, Conclusion, Decision, Finding, MeritClient, ReporterClass, Stage
from zhili.merit.identity import blob_hash, open_identity
from zhili.testing import ROLE_HOLDERS, Staff
from zhili.types import Office, Role

Z = b"\0" * 32
CM, CADRE, CITIZEN = ReporterClass.COMMITTEE_MEMBER, ReporterClass.CADRE, ReporterClass.CITIZEN


def totals(mw: MeritWorld, i: int) -> tuple[int, int]:
    t = mw.m.totals(mw.ids[i])
    return t["merit"], t["demerit"]


# ---------------------------------------------------------------- R-MR-4 reports


def test_report_keeps_only_a_commitment_on_chain(mw: MeritWorld) -> None:
    # R-MR-4: the reporter is a commitment; the SM2/SM4 identity blob is off chain, anchored by hash
    m = mw.m
    ident_case, ident = mw.file(0, 8, CITIZEN, Award.CITIZEN_SECTION_LEVEL)
    (ev,) = m.ledger.events.ReportFiled().get_logs(from_block=m.from_block)
    assert ev.args.caseId == ident_case and ev.args.commitment == ident.commitment
    tx = mw.chain.w3.eth.get_transaction(ev.transactionHash)
    assert ident.person_id not in bytes(tx["input"]) and ident.salt not in bytes(tx["input"])
    c = m.case(ident_case)
    assert c.stage == Stage.FILED and c.accused == mw.ids[0] and c.claimed == Award.CITIZEN_SECTION_LEVEL
    # the committee opens the blob and checks it against the chain
    from zhili.merit.identity import ReporterIdentity, seal_identity

    blob = seal_identity(ident, COMMITTEE_KEY.public_only())
    assert open_identity(blob, COMMITTEE_KEY, commitment=bytes(ev.args.commitment)) == ident
    assert blob_hash(blob) != ev.args.identityBlob  # a fresh seal is a different blob (random key and IV)
    other = ReporterIdentity.new(mw.ids[9])
    with pytest.raises(ValueError, match="R-MR-4"):
        open_identity(seal_identity(other, COMMITTEE_KEY), COMMITTEE_KEY, commitment=ident.commitment)


def test_report_bad_input_changes_nothing(mw: MeritWorld) -> None:
    # R-MR-1 unknown person; R-MR-4 award by class; R-MR-2 award not in the township table
    m, f = mw.m, mw.m.ledger.functions
    from zhili.election.client import person_id

    err = revert(m.file, person_id("nobody"), CM, Award.NONE, b"\1" * 32, b"\2" * 32, Z, Staff.ADMIN)
    assert err.error == "UnregisteredPerson" and err.rule == "R-MR-1"
    err = revert(m.file, mw.ids[0], CADRE, Award.CITIZEN_BUREAU_LEVEL, b"\1" * 32, b"\2" * 32, Z, Staff.ADMIN)
    assert err.error == "AwardNotForClass" and err.rule == "R-MR-4"
    err = revert(m.file, mw.ids[0], CITIZEN, Award.PEER_INVESTIGATED, b"\1" * 32, b"\2" * 32, Z, Staff.ADMIN)
    assert err.error == "AwardNotForClass"
    err = revert(m.file, mw.ids[0], CM, Award.SECTION_LEVEL_CASE, b"\1" * 32, b"\2" * 32, Z, Staff.ADMIN)
    assert err.error == "AwardNotInProfile" and err.args_by_name["award"] == Award.SECTION_LEVEL_CASE
    assert revert(m.file, mw.ids[0], CM, Award.NONE, Z, b"\2" * 32, Z, Staff.ADMIN).error == "EmptyHash"
    assert mw.chain.call(f.caseCount()) == 0


# ---------------------------------------------------------------- R-MR-10 four steps


def test_review_steps_in_order_back_to_back(mw: MeritWorld) -> None:
    # R-MR-10: steps in order, by the right role; conclusions sealed until both reviewers are in
    m, ch = mw.m, mw.chain
    r1, r2 = ch.accounts[Staff.REVIEWER1].address, ch.accounts[Staff.REVIEWER2].address
    case, _ = mw.file(0, 6)
    err = revert(m.recheck, case, b"\1" * 32, True, Staff.MERIT)
    assert err.error == "WrongStage" and err.args_by_name["current"] == Stage.FILED and err.args_by_name["needed"] == Stage.REVIEWED
    assert revert(m.propose, case, Decision(Finding.UNFOUNDED), Staff.MERIT).error == "WrongStage"
    assert revert(m.publish, case, b"\1" * 32, Staff.MERIT).error == "WrongStage"
    assert revert(m.seal_review, case, Conclusion.SUBSTANTIATED, b"\1" * 32, Staff.REVIEWER1).error == "WrongStage"
    err = revert(m.assign, case, r1, r2, Staff.ADMIN)
    assert err.error == "JurisdictionRoleRequired" and err.rule == "none"
    assert revert(m.assign, case, r1, r1, Staff.MERIT).error == "InvalidReviewers"
    assert revert(m.assign, case, r1, mw.key(0).address, Staff.MERIT).error == "InvalidReviewers"  # the accused's own key
    m.assign(case, r1, r2, Staff.MERIT)
    o1 = m.seal_review(case, Conclusion.SUBSTANTIATED, keccak(text="r1"), Staff.REVIEWER1)
    # the first reviewer cannot open (and nobody can read) anything before the second has sealed
    err = revert(m.open_review, o1, Staff.REVIEWER1)
    assert err.error == "ReviewsNotSealed" and err.args_by_name["sealedCount"] == 1
    err = revert(m.open_review, replace(o1, salt=b"\0" * 32), Staff.REVIEWER2)  # the second reviewer peeks before sealing
    assert err.error == "ReviewsNotSealed" and err.rule == "R-MR-10"
    assert revert(m.seal_review, case, Conclusion.SUBSTANTIATED, b"\1" * 32, Staff.REVIEWER1).error == "AlreadySealed"
    assert revert(m.seal_review, case, Conclusion.SUBSTANTIATED, b"\1" * 32, 7).error == "NotReviewer"
    assert not m.ledger.events.ReviewOpened().get_logs(from_block=m.from_block)
    o2 = m.seal_review(case, Conclusion.UNSUBSTANTIATED, keccak(text="r2"), Staff.REVIEWER2)
    assert revert(m.open_review, replace(o1, conclusion=Conclusion.UNSUBSTANTIATED), Staff.REVIEWER1).error == "SealMismatch"
    m.open_review(o1, Staff.REVIEWER1)
    assert m.case(case).stage == Stage.IN_REVIEW
    m.open_review(o2, Staff.REVIEWER2)
    c = m.case(case)
    assert c.stage == Stage.REVIEWED and c.reviewed_at > 0
    opened = {e.args.reviewer: Conclusion(e.args.conclusion) for e in m.ledger.events.ReviewOpened().get_logs(from_block=m.from_block)}
    assert opened == {r1: Conclusion.SUBSTANTIATED, r2: Conclusion.UNSUBSTANTIATED}  # both recorded, disagreement allowed
    m.recheck(case, keccak(text="big data"), False, Staff.MERIT)
    assert m.case(case).stage == Stage.RECHECKED


def test_committee_deliberates_by_majority(mw: MeritWorld) -> None:
    # R-MR-10 step 3: more than half of the committee adopts; half or more against rejects
    m, ch, j = mw.m, mw.chain, mw.jurisdiction
    second, third = Staff.ORG, Staff.OATH  # two more committee members: accounts with duties elsewhere
    for acct in (second, third):
        ch.transact(j.functions.grantRole(registry.role_id("merit_committee"), ch.accounts[acct].address), Staff.ADMIN)
    assert revert(ch.transact, m.ledger.functions.setCommitteeSize(3), Staff.MERIT).error == "JurisdictionRoleRequired"
    assert revert(ch.transact, m.ledger.functions.setCommitteeSize(0), Staff.ADMIN).error == "InvalidCommitteeSize"
    ch.transact(m.ledger.functions.setCommitteeSize(3), Staff.ADMIN)
    case, _ = mw.file(0, 6)
    mw.review(case)
    m.propose(case, Decision(Finding.INVESTIGATED), Staff.MERIT)
    m.vote(case, True, Staff.MERIT)
    assert revert(m.vote, case, True, Staff.MERIT).error == "AlreadyVoted"
    m.vote(case, False, second)
    assert m.case(case).stage == Stage.DELIBERATING
    m.vote(case, False, third)  # 2 of 3 against: rejected, back to a new proposal
    assert m.case(case).stage == Stage.RECHECKED
    m.propose(case, Decision(Finding.UNFOUNDED), Staff.MERIT)
    m.vote(case, True, second)
    m.vote(case, True, third)
    c = m.case(case)
    assert c.stage == Stage.DECIDED and c.round == 2 and (c.yes, c.no) == (2, 0)
    assert m.decision(case) == Decision(Finding.UNFOUNDED)


def test_decisions_are_checked_against_the_rules(mw: MeritWorld) -> None:
    # R-MR-2, R-MR-4, R-MR-5, R-MR-8, R-MR-12, R-SU-5: the contract checks every proposal
    m = mw.m
    case, ident = mw.file(3, 6, CM, Award.PEER_INVESTIGATED)
    mw.review(case)

    def refused(d: Decision) -> ContractRevert:
        return revert(m.propose, case, d, Staff.MERIT)

    assert refused(Decision(Finding.UNFOUNDED, Award.PEER_INVESTIGATED, ident.person_id, ident.salt)).error == "NotAllowedWithFinding"
    assert refused(Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED)).error == "ReporterNotRevealed"
    err = refused(Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED, ident.person_id, b"\7" * 32))
    assert err.error == "CommitmentMismatch" and err.rule == "R-MR-4"
    err = refused(reveal(Decision(Finding.INVESTIGATED, Award.DIRECT_SUPERIOR_REMOVED), ident))
    assert err.error == "AwardNeedsRemoval"
    assert refused(reveal(Decision(Finding.INVESTIGATED, Award.CITIZEN_SECTION_LEVEL), ident)).error == "AwardNotForClass"
    err = refused(Decision(Finding.PROCEDURAL, sanction=11))
    assert err.error == "InvalidSanction" and err.args_by_name == {"sanction": 11, "max": 10}
    assert refused(Decision(Finding.INVESTIGATED, sanction=5)).error == "InvalidSanction"
    assert refused(Decision(Finding.REMOVED, direct_supervisor=mw.ids[0])).error == "NotAllowedWithFinding"  # R-MR-5
    assert refused(Decision(Finding.CORRUPTION, direct_supervisor=mw.ids[3])).error == "InvalidParty"  # the accused
    assert refused(Decision(Finding.CORRUPTION, silent=(mw.ids[1], mw.ids[1]))).error == "InvalidParty"
    err = refused(Decision(Finding.DERELICTION))
    assert err.error == "NotDisciplineSecretary" and err.rule == "R-SU-5"
    assert refused(Decision(Finding.MALICIOUS)).error == "ReporterNotRevealed"  # R-MR-8 needs whom to charge
    assert m.case(case).stage == Stage.RECHECKED  # nothing changed


# ---------------------------------------------------------------- R-MR-11 appeal and finality


def test_appeal_window_answer_and_finality(mw: MeritWorld) -> None:
    # R-MR-11: 7 working days to appeal from publication (official calendar), 15 to answer
    m = mw.m
    case, _ = mw.file(3, 6)
    mw.review(case)
    m.propose(case, Decision(Finding.PROCEDURAL, sanction=5), Staff.MERIT)
    m.vote(case, True, Staff.MERIT)
    m.publish(case, keccak(text="notice"), Staff.MERIT)  # nobody types the deadline: the ledger computes it
    c = m.case(case)
    assert c.appeal_deadline == expected_deadline(c.published_at, 7)  # anyone re-checks it
    err = revert(m.finalize, case, Staff.ADMIN)
    assert err.error == "AppealWindowOpen" and err.args_by_name["deadline"] == c.appeal_deadline
    err = revert(m.appeal, case, mw.ids[3], b"\1" * 32, mw.key(4))
    assert err.error == "NotPersonKey"
    err = revert(m.appeal, case, mw.ids[4], b"\1" * 32, mw.key(4))
    assert err.error == "NotAppealParty" and err.rule == "R-MR-11"
    m.appeal(case, mw.ids[3], keccak(text="grounds"), mw.key(3))
    c = m.case(case)
    appealed_at = m.ledger.events.Appealed().get_logs(from_block=m.from_block)[0].args.at
    assert c.stage == Stage.APPEALED and c.answer_deadline == expected_deadline(appealed_at, 15)
    assert revert(m.appeal, case, mw.ids[3], b"\1" * 32, mw.key(3)).error == "WrongStage"
    assert revert(m.decide_appeal, case, False, b"\1" * 32, Staff.MERIT).error == "JurisdictionRoleRequired"
    assert mw.chain.call(m.book.functions.entryCount()) == 0  # not final: nothing counts yet
    m.decide_appeal(case, False, keccak(text="answer"), Staff.UPPER)
    assert m.case(case).stage == Stage.ANNULLED and totals(mw, 3) == (0, 0)

    # a second case: the window passes without appeal; a late appeal is refused, then it is final
    case2, _ = mw.file(3, 6)
    mw.review(case2)
    deadline = mw.decide(case2, Decision(Finding.PROCEDURAL, sanction=5))
    mw.pass_window(deadline)
    err = revert(m.appeal, case2, mw.ids[3], b"\1" * 32, mw.key(3))
    assert err.error == "AppealWindowClosed" and err.args_by_name["deadline"] == deadline
    m.finalize(case2, Staff.ADMIN)
    assert m.case(case2).stage == Stage.FINAL and totals(mw, 3) == (0, 5)


# R-MR-11: an upheld appeal and a late answer: tests/merit/test_merit_deadlines.py (a late answer is refused
# and the appeal escalates, docs/merit.md [decision])


# ---------------------------------------------------------------- R-SU-1 … R-SU-4 succession


def test_initial_order(mw: MeritWorld) -> None:
    # R-SU-1: discipline, congress, discipline deputy (the profile's list), then the other offices
    # (consultative), administrator last; set from the seated offices (tests/merit/test_succession.py:
    # nobody sets it by hand)
    assert mw.order() == [1, 2, 5, 3, 4]


def test_member_reporting_the_secretary_succeeds_at_once(mw: MeritWorld) -> None:
    # R-MR-2 (6.0), R-SU-4 applied before R-SU-2: the reporting member succeeds; term counted (R-TL-1)
    m = mw.m
    mw.run(0, 3, Decision(Finding.REMOVED, Award.DIRECT_SUPERIOR_REMOVED), CM, Award.DIRECT_SUPERIOR_REMOVED)
    h = mw.holders()
    assert h[Office.SECRETARY] == 3 and h[Office.CONSULTATIVE] is None and mw.order() == [1, 2, 5, 4]
    assert mw.chain.call(mw.persons.functions.termsServed(mw.ids[3], 0)) == 1
    assert totals(mw, 3) == (60, 0)
    reasons = [r["reason"] for r in m.order_history()]
    assert reasons == ["election", "direct-replacement", "removed", "succession"]


def test_succession_skips_ineligible_and_leaves_old_office_vacant(mw: MeritWorld) -> None:
    # R-SU-2: first eligible successor (fewer than two terms as secretary); R-TC-3: their office stays vacant
    mw.chain.transact(mw.persons.functions.declarePriorTerms(mw.ids[1], 0, 2), Staff.ADMIN)
    mw.run(0, 9, Decision(Finding.REMOVED), CITIZEN)
    h = mw.holders()
    assert h[Office.SECRETARY] == 2 and h[Office.CONGRESS] is None and h[Office.DISCIPLINE] == 1
    assert mw.order() == [1, 5, 3, 4]  # the rest keep their order
    (ev,) = mw.m.succession.events.Succeeded().get_logs(from_block=mw.m.from_block)
    assert ev.args.skipped == 1 and ev.args.fromOffice == Office.CONGRESS


def test_overtaking_one_place_per_pass(mw: MeritWorld) -> None:
    # R-SU-3: 6.0 or more ahead of the member directly in front: up one place per pass, after each final merit change
    # (the administrator holds an office: the committee-member table, R-MR-4, 6.0 for a removal, exactly the
    # margin; the deputy it reports leaves the order, and the administrator passes the consultative member)
    mw.run(5, 4, Decision(Finding.REMOVED, Award.DIRECT_SUPERIOR_REMOVED), CM, Award.DIRECT_SUPERIOR_REMOVED)
    assert totals(mw, 4) == (60, 0) and mw.order() == [1, 2, 4, 3]
    mw.run(10, 11, Decision(Finding.INVESTIGATED, Award.CITIZEN_SECTION_LEVEL), CITIZEN, Award.CITIZEN_SECTION_LEVEL)  # someone else's merit
    assert mw.order() == [1, 4, 2, 3]
    ev = mw.m.succession.events.Overtook().get_logs(from_block=mw.m.from_block)
    assert [(mw.idx(bytes(e.args.mover)), mw.idx(bytes(e.args.passed))) for e in ev] == [(4, 3), (4, 2)]


# ---------------------------------------------------------------- R-MR-5 … R-MR-9 consequences


def test_corruption_blacklist_liability_and_silence(mw: MeritWorld) -> None:
    # R-MR-9 blacklist and removal; R-MR-5 liability 1.0 / 0.1 and the clue refund; R-MR-6 silence 0.5
    d = Decision(Finding.CORRUPTION, Award.CITIZEN_DIVISION_LEVEL, direct_supervisor=mw.ids[0], next_supervisor=mw.ids[1],
                 direct_gave_clue=True, silent=(mw.ids[2], mw.ids[6]), finding_hash=keccak(text="finding"))  # fmt: skip
    mw.run(3, 8, d, CITIZEN, Award.CITIZEN_DIVISION_LEVEL)
    assert mw.chain.call(mw.persons.functions.isBlacklisted(mw.ids[3]))
    assert mw.holders()[Office.CONSULTATIVE] is None and 3 not in mw.order()
    assert totals(mw, 8) == (90, 0)
    assert totals(mw, 0) == (1, 10) and totals(mw, 1) == (0, 1)
    assert totals(mw, 2) == (0, 5) and totals(mw, 6) == (0, 5)
    kinds = [e["kind"] for e in mw.m.entries(mw.ids[3])]
    assert kinds == ["corruption"]


def test_false_accusation_costs_twice_the_claim(mw: MeritWorld) -> None:
    # R-MR-8: malicious report: twice the claimed points from the merit ledger (may go negative)
    mw.run(0, 6, Decision(Finding.MALICIOUS), CM, Award.DIRECT_SUPERIOR_REMOVED)
    assert totals(mw, 6) == (-120, 0)
    # claimed nothing: twice the least award the reporter's class could claim (R-MR-8 [decision], docs/merit.md):
    # a committee member in the township, 2 x 1.0
    mw.run(0, 7, Decision(Finding.MALICIOUS))
    assert totals(mw, 7) == (-20, 0)


def test_thresholds_warning_and_forced_resignation(mw: MeritWorld) -> None:
    # R-MR-7: 4.0 demerit -> warning list; 6.0 -> must resign; the secretary's resignation triggers R-SU-2
    for k in range(6):
        mw.run(0, 8 + k, Decision(Finding.PROCEDURAL, sanction=10), CITIZEN)
        if k == 3:
            assert mw.m.totals(mw.ids[0])["warning_list"] and mw.holders()[Office.SECRETARY] == 0
    t = mw.m.totals(mw.ids[0])
    assert t["demerit"] == 60 and t["must_resign"]
    assert mw.holders()[Office.SECRETARY] == 1 and mw.holders()[Office.DISCIPLINE] is None
    ev = mw.m.ledger.events
    assert [e.args.demerit for e in ev.WarningListed().get_logs(from_block=mw.m.from_block)] == [40]
    assert [e.args.demerit for e in ev.MustResign().get_logs(from_block=mw.m.from_block)] == [60]


def test_offsets_need_upper_approval_and_never_for_corruption(mw: MeritWorld) -> None:
    # R-MR-12: major merit offsets a minor procedural sanction with the upper committee's approval
    m = mw.m
    mw.run(2, 9, Decision(Finding.PROCEDURAL, sanction=8), CITIZEN)
    err = revert(m.request_offset, 1, mw.key(2))
    assert err.error == "InsufficientMerit" and err.rule == "R-MR-12"
    mw.run(10, 2, Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED), CM, Award.PEER_INVESTIGATED)
    assert revert(m.request_offset, 1, mw.key(3)).error == "NotPersonKey"
    rid = m.request_offset(1, mw.key(2))
    assert revert(m.approve_offset, rid, Staff.MERIT).error == "JurisdictionRoleRequired"
    mw.chain.transact(mw.jurisdiction.functions.grantRole(Role.HIGHER_COMMITTEE, mw.address(Staff.ORG)), Staff.ADMIN)
    err = revert(m.approve_offset, rid, Staff.ORG)  # the township's one level is the upper committee's (issue 17)
    assert err.error == "JurisdictionRoleRequired" and err.args_by_name["role"] == Role.UPPER_COMMITTEE
    m.approve_offset(rid, Staff.UPPER)
    assert totals(mw, 2) == (22, 0)
    assert revert(m.request_offset, 1, mw.key(2)).error == "AlreadyOffset"
    assert revert(m.approve_offset, rid, Staff.UPPER).error == "OffsetClosed"
    # corruption and its consequences are never offset
    mw.run(11, 9, Decision(Finding.CORRUPTION, direct_supervisor=mw.ids[2]), CITIZEN)
    entries = {e["kind"]: e["id"] for e in m.entries(mw.ids[2]) + m.entries(mw.ids[11])}
    err = revert(m.request_offset, entries["leadership_liability"], mw.key(2))
    assert err.error == "NotOffsettable" and err.args_by_name["kind"] == 3
    assert revert(m.request_offset, entries["corruption"], mw.key(11)).error == "NotOffsettable"


def test_county_offsets_need_two_levels(mw: MeritWorld) -> None:
    # R-MR-12 county: two levels up approve, each body once (the upper committee and the committee two levels up),
    # and only in the ledger that wrote the entry. Changed by issue 17: two members of one body no longer make two levels.
    ch, j = mw.chain, mw.jurisdiction
    county = MeritClient.deploy(ch, j, mw.persons, profiles.load("county"), book=mw.m.book)
    assert list(ch.call(county.ledger.functions.table())[0])[5:7] == [10, 30]  # 科级 1.0, 副处级 3.0 (R-MR-3)
    second, higher = Staff.AUDITOR, Staff.ORG  # a second upper-committee member; the body two levels up
    ch.transact(j.functions.grantRole(Role.UPPER_COMMITTEE, ch.accounts[second].address), Staff.ADMIN)
    ch.transact(j.functions.grantRole(Role.HIGHER_COMMITTEE, ch.accounts[higher].address), Staff.ADMIN)
    case = county.file(mw.ids[2], CITIZEN, Award.NONE, b"\1" * 32, keccak(text="c"), Z, Staff.ADMIN)
    mw.review(case, county)
    mw.pass_window(mw.decide(case, Decision(Finding.PROCEDURAL, sanction=5), county))
    county.finalize(case, Staff.ADMIN)  # entry 1: a county sanction
    mw.run(10, 2, Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED), CM, Award.PEER_INVESTIGATED)
    # attack: offset the county sanction in the township ledger, where one approval suffices
    err = revert(mw.m.request_offset, 1, mw.key(2))
    assert err.error == "NotWritingLedger" and err.rule == "R-MR-12"
    assert (err.args_by_name["writer"].lower(), err.args_by_name["caller"].lower()) == (county.ledger.address.lower(), mw.m.ledger.address.lower())
    rid = county.request_offset(1, mw.key(2))
    county.approve_offset(rid, Staff.UPPER)
    assert totals(mw, 2) == (30, 5)
    assert revert(county.approve_offset, rid, Staff.UPPER).error == "AlreadyApproved"
    # attack: a second member of the same body as the second level
    err = revert(county.approve_offset, rid, second)
    assert err.error == "LevelAlreadyApproved" and err.args_by_name["level"] == 1
    assert revert(county.approve_offset, rid, Staff.MERIT).error == "JurisdictionRoleRequired"
    county.approve_offset(rid, higher)
    assert totals(mw, 2) == (25, 0)
    ev = county.ledger.events.OffsetApproved().get_logs(from_block=county.from_block)
    assert [(e.args.level, e.args.approvals, e.args.done) for e in ev] == [(1, 1, False), (2, 2, True)]


# ---------------------------------------------------------------- R-SU-5 demotion


def test_discipline_secretary_demoted_after_two_zero_cycles(mw: MeritWorld) -> None:
    # R-SU-5: zero merit in two consecutive assessment cycles -> back one place. Each cycle lasts the
    # profile's year at least (the edges: tests/merit/test_succession.py). The cycle with merit comes
    # first so the report's working-day deadlines fall in a year the calendar covers.
    m = mw.m
    year = 365 * 86400
    assert revert(m.close_cycle, Staff.MERIT).error == "CycleState"
    m.open_cycle(Staff.MERIT)
    assert revert(m.open_cycle, Staff.MERIT).error == "CycleState"
    # a cycle with merit earned: no streak
    mw.run(9, 1, Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED), CM, Award.PEER_INVESTIGATED)
    mw.chain.advance_time(year)
    m.close_cycle(Staff.MERIT)
    assert mw.chain.call(m.succession.functions.zeroStreak()) == 0
    m.open_cycle(Staff.MERIT)
    mw.chain.advance_time(year)
    m.close_cycle(Staff.MERIT)
    assert mw.order()[0] == 1 and mw.chain.call(m.succession.functions.zeroStreak()) == 1
    m.open_cycle(Staff.MERIT)
    mw.chain.advance_time(year)
    m.close_cycle(Staff.MERIT)
    assert mw.order()[:2] == [2, 1] and mw.chain.call(m.succession.functions.zeroStreak()) == 0


def test_dereliction_finding_demotes(mw: MeritWorld) -> None:
    # R-SU-5: the committee finds the discipline secretary derelict (失察, 压案不查): back one place
    mw.run(1, 8, Decision(Finding.DERELICTION), CITIZEN)
    assert mw.order() == [2, 1, 5, 3, 4]


# ---------------------------------------------------------------- R-MR-1 across jurisdictions


def test_ledgers_follow_the_person_across_jurisdictions(mw: MeritWorld) -> None:
    # R-MR-1: one province-wide book; R-MR-9 enforced in a jurisdiction by anyone
    ch = mw.chain
    roles = {role: [mw.address(who)] for role, who in ROLE_HOLDERS.items()}
    j2 = registry.deploy_jurisdiction(ch, profiles.load("county"), "330100", "余杭县", roles=roles)
    other = MeritClient.deploy(ch, j2, mw.persons, profiles.load("county"), book=mw.m.book)
    mw.run(9, 3, Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED), CM, Award.PEER_INVESTIGATED)
    # a case in the other jurisdiction against the same person
    case = other.file(mw.ids[3], CITIZEN, Award.NONE, b"\1" * 32, keccak(text="c"), Z, Staff.ADMIN)
    mw.review(case, other)
    mw.pass_window(mw.decide(case, Decision(Finding.PROCEDURAL, sanction=10), other))
    other.finalize(case, Staff.ADMIN)
    assert totals(mw, 3) == (30, 10)  # one record, written by two jurisdictions
    refs = {e["case"]["ledger"] for e in mw.m.entries(mw.ids[3])}
    assert refs == {mw.m.ledger.address, other.ledger.address}
    err = revert(mw.m.enforce, mw.ids[3], Staff.ADMIN)
    assert err.error == "NothingToEnforce" and err.rule == "R-MR-7"
    # blacklisted by the book's writers elsewhere: enforced here by anyone
    mw.by_hand(Role.RECORD_WRITER, mw.persons.functions.blacklist(mw.ids[3], keccak(text="finding")))
    mw.m.enforce(mw.ids[3], 9)
    assert mw.holders()[Office.CONSULTATIVE] is None and 3 not in mw.order()


# ---------------------------------------------------------------- R-MR-13 and sizes


def test_service_levels_from_chain_data(mw: MeritWorld) -> None:
    # R-MR-13: reported, not enforced
    mw.run(9, 8, Decision(Finding.INVESTIGATED), CITIZEN)
    mw.run(10, 6, Decision(Finding.INVESTIGATED), CM)
    mw.run(11, 7, Decision(Finding.UNFOUNDED), CADRE)
    sl = mw.m.service_levels()
    assert sl["cases"] == 3 and sl["discovered_internally"]["share"] == pytest.approx(2 / 3, abs=1e-3)
    assert sl["initial_verification_hours"]["within_24h"] == 1.0
    assert sl["close_working_days"]["count"] == 3 and sl["close_working_days"]["max"] >= 7


# ---------------------------------------------------------------- events tell the whole story


@pytest.mark.anvil_only  # py-evm scans every block per log query; the stateful test also checks this after every run
def test_state_rebuilt_from_events_equals_storage(mw: MeritWorld) -> None:
    # every state change has an event complete enough to rebuild the ledgers, cases, offsets and order
    from zhili.merit.rebuild import rebuild_merit, state_merit

    m = mw.m
    d = Decision(Finding.CORRUPTION, Award.CITIZEN_SECTION_LEVEL, direct_supervisor=mw.ids[0], silent=(mw.ids[2],))
    mw.run(3, 8, d, CITIZEN, Award.CITIZEN_SECTION_LEVEL)
    mw.run(2, 9, Decision(Finding.PROCEDURAL, sanction=6), CITIZEN)
    mw.run(10, 2, Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED), CM, Award.PEER_INVESTIGATED)
    m.approve_offset(m.request_offset(m.entries(mw.ids[2])[1]["id"], mw.key(2)), Staff.UPPER)
    case, _ = mw.file(4, 11)  # rejected once, then adopted, appealed and overturned
    mw.review(case)
    m.propose(case, Decision(Finding.PROCEDURAL, sanction=3), Staff.MERIT)
    m.vote(case, False, Staff.MERIT)
    mw.decide(case, Decision(Finding.PROCEDURAL, sanction=4))
    mw.pass_window(m.appeal(case, mw.ids[4], keccak(text="grounds"), mw.key(4)).deadline)
    m.escalate(case, Staff.ADMIN)  # the upper committee was silent (R-MR-11)
    mw.chain.transact(mw.jurisdiction.functions.grantRole(Role.HIGHER_COMMITTEE, mw.address(Staff.ORG)), Staff.ADMIN)
    m.decide_appeal(case, False, keccak(text="answer"), Staff.ORG)
    mw.run(0, 7, Decision(Finding.REMOVED, Award.DIRECT_SUPERIOR_REMOVED), CM, Award.DIRECT_SUPERIOR_REMOVED)
    open_case, _ = mw.file(5, 12)  # still in review
    m.assign(open_case, mw.chain.accounts[Staff.REVIEWER1].address, mw.chain.accounts[Staff.REVIEWER2].address, Staff.MERIT)
    m.seal_review(open_case, Conclusion.SUBSTANTIATED, b"\1" * 32, Staff.REVIEWER1)
    m.seal_review(open_case, Conclusion.SUBSTANTIATED, b"\2" * 32, Staff.REVIEWER2)
    mw.pass_window(m.case(open_case).review_deadline)  # nobody opened: both replaced (R-MR-10), seals void
    m.reassign(open_case, mw.address(Staff.ORG), mw.address(Staff.AUDITOR), Staff.MERIT)
    m.seal_review(open_case, Conclusion.SUBSTANTIATED, b"\3" * 32, Staff.ORG)
    m.open_cycle(Staff.MERIT)
    mw.chain.advance_time(365 * 86400)  # R-SU-5: a cycle lasts the profile's year
    m.close_cycle(Staff.MERIT)
    m.open_cycle(Staff.MERIT)
    built = rebuild_merit(m.ledger, m.book, m.succession, m.from_block)
    assert built == state_merit(mw.chain, m.ledger, m.book, m.succession, list(built["people"]))
    assert built["cycles"]["cycleOpen"] and built["offsets"][1]["done"] and built["cases"][open_case]["stage"] == Stage.IN_REVIEW
