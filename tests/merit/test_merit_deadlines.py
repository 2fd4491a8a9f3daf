"""Issue 17, merit: nobody freezes a case by doing nothing (R-MR-10, R-MR-11, docs/merit.md [decision]s).

A reviewer who never seals (or never opens) is replaced after the review deadline and never appointed to
the case again; an upper committee that lets the answer deadline pass loses the appeal to the committee
two levels up; if that one is silent too, the published decision stands. Each deadline is checked at its
last second and the first second after, on both chains.
"""

from __future__ import annotations

from eth_utils import keccak

from chain_kit import revert
from merit_kit import MeritWorld
from model.calendar import expected_deadline
from zhili.merit.client import Conclusion, Decision, Finding, Stage
from zhili.testing import Staff
from zhili.types import Role

OK = Conclusion.SUBSTANTIATED


def test_review_deadline_replaces_a_reviewer_who_never_seals_or_never_opens(mw: MeritWorld) -> None:
    m, ch = mw.m, mw.chain
    r1, r2, r3, r4 = (ch.accounts[s].address for s in (Staff.REVIEWER1, Staff.REVIEWER2, Staff.ORG, Staff.AUDITOR))
    case, _ = mw.file(3, 6)
    m.assign(case, r1, r2, Staff.MERIT)
    deadline = m.case(case).review_deadline
    assert deadline == expected_deadline(ch.now(), 5)  # profile: merit.review_working_days
    stale = m.seal_review(case, OK, keccak(text="r1"), Staff.REVIEWER1)  # reviewer 2 never seals
    # attack: the reviewer's silence freezes the case. Not after the deadline: until then the pair keeps it
    mw.at(deadline)  # the last second
    err = revert(m.reassign, case, r1, r3, Staff.MERIT)
    assert err.error == "ReviewDeadlineNotPassed" and err.rule == "R-MR-10" and err.args_by_name["deadline"] == deadline
    mw.after(deadline)  # the first second after
    m.reassign(case, r1, r3, Staff.MERIT)
    c = m.case(case)
    assert (c.stage, c.reviewer1, c.reviewer2) == (Stage.IN_REVIEW, r1, r3)
    assert c.review_deadline == expected_deadline(ch.now(), 5)
    assert revert(m.open_review, stale, Staff.REVIEWER1).error == "ReviewsNotSealed"  # earlier seals are void
    # round two: both seal, reviewer 1 opens, the new reviewer never opens (waits to see the other's conclusion)
    o1 = m.seal_review(case, OK, keccak(text="r1 again"), Staff.REVIEWER1)
    m.seal_review(case, OK, keccak(text="r3"), Staff.ORG)
    m.open_review(o1, Staff.REVIEWER1)
    mw.pass_window(c.review_deadline)
    err = revert(m.reassign, case, r1, r2, Staff.MERIT)  # the first defaulter, again
    assert err.error == "ReviewerDefaulted" and err.args_by_name["reviewer"].lower() == r2.lower()
    err = revert(m.reassign, case, r3, r4, Staff.MERIT)  # sealed, never opened
    assert err.error == "ReviewerDefaulted" and err.args_by_name["reviewer"].lower() == r3.lower()
    assert revert(m.reassign, case, r1, r3, Staff.ADMIN).error == "JurisdictionRoleRequired"
    m.reassign(case, r1, r4, Staff.MERIT)  # the diligent reviewer may stay, and seals afresh
    o1 = m.seal_review(case, OK, keccak(text="r1 third"), Staff.REVIEWER1)
    o4 = m.seal_review(case, OK, keccak(text="r4"), Staff.AUDITOR)
    m.open_review(o1, Staff.REVIEWER1)
    m.open_review(o4, Staff.AUDITOR)
    assert m.case(case).stage == Stage.REVIEWED
    replaced = m.ledger.events.ReviewerReplaced().get_logs(from_block=m.from_block)
    assert [e.args.reviewer for e in replaced] == [r2, r3]


def test_unanswered_appeal_escalates_then_the_decision_stands(mw: MeritWorld) -> None:
    m, ch = mw.m, mw.chain
    higher = Staff.ORG  # the committee two levels up
    ch.transact(mw.jurisdiction.functions.grantRole(Role.HIGHER_COMMITTEE, ch.accounts[higher].address), Staff.ADMIN)
    case, _ = mw.file(3, 6)
    mw.review(case)
    mw.decide(case, Decision(Finding.PROCEDURAL, sanction=7))
    answer_by = m.appeal(case, mw.ids[3], keccak(text="grounds"), mw.key(3)).deadline
    # attack: the upper committee never answers. Until its deadline nobody may take the appeal away
    snap = ch.snapshot()
    mw.at(answer_by)  # the last second
    err = revert(m.escalate, case, Staff.ADMIN)
    assert err.error == "AnswerDeadlineNotPassed" and err.rule == "R-MR-11" and err.args_by_name["deadline"] == answer_by
    m.decide_appeal(case, True, keccak(text="answer"), Staff.UPPER)  # an answer in the last second counts
    assert ch.now() == answer_by and m.case(case).stage == Stage.FINAL
    ch.revert_to(snap)
    mw.after(answer_by)  # the first second after: the late body no longer answers, the appeal escalates
    err = revert(m.decide_appeal, case, True, keccak(text="late"), Staff.UPPER)
    assert err.error == "AnswerDeadlinePassed" and err.args_by_name["deadline"] == answer_by
    m.escalate(case, Staff.RELAYER)  # anyone
    c = m.case(case)
    assert c.stage == Stage.ESCALATED and c.answer_deadline == expected_deadline(ch.now(), 15)
    err = revert(m.decide_appeal, case, False, keccak(text="late"), Staff.UPPER)
    assert err.error == "JurisdictionRoleRequired"  # the escalated appeal is the higher body's
    # the higher body too may let its deadline pass: then the published decision stands
    snap = ch.snapshot()
    mw.at(c.answer_deadline)
    assert revert(m.finalize, case, Staff.ADMIN).error == "AnswerDeadlineNotPassed"
    m.decide_appeal(case, False, keccak(text="answer"), higher)  # the last second
    assert ch.now() == c.answer_deadline and m.case(case).stage == Stage.ANNULLED
    ch.revert_to(snap)
    mw.after(c.answer_deadline)
    m.finalize(case, Staff.RELAYER)
    assert m.case(case).stage == Stage.FINAL
    assert mw.m.totals(mw.ids[3])["demerit"] == 7
    assert revert(m.decide_appeal, case, True, keccak(text="late"), Staff.UPPER).error == "WrongStage"
    if ch.kind != "embedded":  # R-MR-13 report (py-evm scans every block per log query: anvil only)
        assert m.service_levels()["escalated_appeals"] == [case]
