"""Merit ledger edges (issue 20): the committee's "more than half" at exactly half and half plus one
(R-MR-10), the appeal window's last second and the first second after it (R-MR-11), and the deadlines
of issue 17 (a reviewer replaced, an unanswered appeal escalated) in their own second and the next, on
the contract; the reporter's class from place 1 of the succession order without an office (R-MR-4
[decision]), and an offset of a sanction exactly equal to the merit and of one a tenth more (R-MR-12).
Every deadline the contract stores is first compared with the reference models' own count
(tests/model/calendar.py: the State Council's notices as data; the day counts of tests/model/merit.py's
Table, from the seeds), then probed at its last second and the first second after; one window crosses
the 2026 Mid-autumn and National Day holidays and ends on an adjusted working Saturday."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_utils import keccak

from chain_kit import revert, snapshot_world
from edge_kit import send_at
from merit_kit import MeritWorld, build_merit_world, reveal
from model.calendar import at, cst_day, is_workday
from model.calendar import deadline as working_deadline
from model.merit import Table
from zhili.core.chain import Chain
from zhili.jurisdiction import registry
from zhili.merit.client import Award, Decision, Finding, ReporterClass, Stage
from zhili.testing import Staff
from zhili.types import Office

COMMITTEE = (Staff.MERIT, Staff.ORG, Staff.OATH, Staff.AUDITOR)  # four members: half is 2
DAYS = Table()  # the model's day counts (R-MR-10 review 5, R-MR-11 appeal 7 and answer 15: seed 000 line 283)


@pytest.fixture
def mw(session_chain: Chain) -> Iterator[MeritWorld]:
    yield from snapshot_world(session_chain, "merit", build_merit_world)


def test_committee_exactly_half_yes_does_not_adopt(mw: MeritWorld) -> None:
    # R-MR-10: a committee of 4 adopts with 3 yes (more than half), not with 2 (exactly half);
    # 2 no (exactly half) send the proposal back
    m, ch = mw.m, mw.chain
    for acct in COMMITTEE[1:]:
        ch.transact(mw.jurisdiction.functions.grantRole(registry.role_id("merit_committee"), ch.accounts[acct].address), Staff.ADMIN)
    ch.transact(m.ledger.functions.setCommitteeSize(len(COMMITTEE)), Staff.ADMIN)
    case, _ = mw.file(3, 6)
    mw.review(case)
    m.propose(case, Decision(Finding.PROCEDURAL, sanction=5), Staff.MERIT)
    m.vote(case, True, COMMITTEE[0])
    m.vote(case, True, COMMITTEE[1])
    c = m.case(case)
    assert (c.stage, c.yes, c.no) == (Stage.DELIBERATING, 2, 0)  # exactly half: not adopted
    m.vote(case, True, COMMITTEE[2])
    c = m.case(case)
    assert (c.stage, c.yes) == (Stage.DECIDED, 3)  # half plus one
    case2, _ = mw.file(3, 6)
    mw.review(case2)
    m.propose(case2, Decision(Finding.PROCEDURAL, sanction=5), Staff.MERIT)
    m.vote(case2, False, COMMITTEE[0])
    assert m.case(case2).stage == Stage.DELIBERATING  # one no of four: still open
    m.vote(case2, False, COMMITTEE[1])
    assert m.case(case2).stage == Stage.RECHECKED  # exactly half against: rejected


def test_appeal_in_the_last_second_accepted_first_after_refused(mw: MeritWorld) -> None:
    # R-MR-11: an appeal mined in the deadline's own second is in time, one a second later is not;
    # finality is refused in the deadline's second and possible the second after
    m, ch = mw.m, mw.chain
    case, _ = mw.file(3, 6)
    mw.review(case)
    deadline = mw.decide(case, Decision(Finding.PROCEDURAL, sanction=5))
    assert deadline == working_deadline(m.case(case).published_at, DAYS.appeal_days)  # the model's count
    d = m.decision(case).as_tuple()
    appeal = m.ledger.functions.appeal(case, d, mw.ids[3], b"\0" * 32, keccak(text="grounds"))
    snap = ch.snapshot()
    assert send_at(ch, appeal, mw.key(3), deadline)["status"] == 1 and m.case(case).stage == Stage.APPEALED
    ch.revert_to(snap)
    snap = ch.snapshot()  # a snapshot is used up by its revert (anvil)
    late = m.ledger.functions.appeal(case, d, mw.ids[3], b"\0" * 32, keccak(text="late grounds"))  # not the same bytes as before the revert
    assert send_at(ch, late, mw.key(3), deadline + 1)["status"] == 0
    err = revert(m.appeal, case, mw.ids[3], keccak(text="grounds"), mw.key(3))  # the client names the refusal
    assert err.error == "AppealWindowClosed" and err.rule == "R-MR-11" and err.args_by_name["deadline"] == deadline
    assert m.case(case).stage == Stage.PUBLISHED
    ch.revert_to(snap)
    finalize = m.ledger.functions.finalize(case, d)
    assert send_at(ch, finalize, Staff.ADMIN, deadline)["status"] == 0  # AppealWindowOpen in its last second
    assert m.case(case).stage == Stage.PUBLISHED
    assert send_at(ch, finalize, Staff.ADMIN, deadline + 1)["status"] == 1
    assert m.case(case).stage == Stage.FINAL


def test_reviewers_replaced_only_after_the_review_deadlines_own_second(mw: MeritWorld) -> None:
    # R-MR-10 (issue 17): a reassignment mined in the review deadline's own second is refused
    # (ReviewDeadlineNotPassed: the pair still holds the case), one mined a second later replaces them
    m, ch = mw.m, mw.chain
    r1, r2, r3, r4 = (ch.accounts[s].address for s in (Staff.REVIEWER1, Staff.REVIEWER2, Staff.ORG, Staff.AUDITOR))
    case, _ = mw.file(3, 6)
    m.assign(case, r1, r2, Staff.MERIT)
    deadline = m.case(case).review_deadline
    assert deadline == working_deadline(ch.now(), DAYS.review_days)  # from the assignment's block, the model's count
    reassign = m.ledger.functions.reassignReviewers(case, r3, r4)
    assert send_at(ch, reassign, Staff.MERIT, deadline)["status"] == 0
    assert (m.case(case).reviewer1, m.case(case).reviewer2) == (r1, r2)
    assert send_at(ch, reassign, Staff.MERIT, deadline + 1)["status"] == 1
    assert (m.case(case).reviewer1, m.case(case).reviewer2) == (r3, r4)


def test_appeal_escalates_only_after_the_answer_deadlines_own_second(mw: MeritWorld) -> None:
    # R-MR-11 (issue 17): the upper committee may answer in the answer deadline's own second, so an
    # escalation mined in that second is refused (AnswerDeadlineNotPassed); one a second later escalates
    m, ch = mw.m, mw.chain
    case, _ = mw.file(3, 6)
    mw.review(case)
    mw.decide(case, Decision(Finding.PROCEDURAL, sanction=7))
    answer_by = m.appeal(case, mw.ids[3], keccak(text="grounds"), mw.key(3)).deadline
    assert answer_by == working_deadline(ch.now(), DAYS.answer_days)  # from the appeal's block, the model's count
    escalate = m.ledger.functions.escalateAppeal(case)
    assert send_at(ch, escalate, Staff.RELAYER, answer_by)["status"] == 0
    assert m.case(case).stage == Stage.APPEALED
    assert send_at(ch, escalate, Staff.RELAYER, answer_by + 1)["status"] == 1
    assert m.case(case).stage == Stage.ESCALATED
    # the higher body's window runs 15 working days from the escalation's own second (R-MR-11 [decision])
    assert m.case(case).answer_deadline == working_deadline(answer_by + 1, DAYS.answer_days)


def test_appeal_window_across_national_day_ends_on_the_adjusted_working_saturday(mw: MeritWorld) -> None:
    # R-MR-11, SPEC §8: published Wednesday 2026-09-23. The 7 working days (2026 notice): 24 Sep; 25 Sep
    # 中秋 off, 26-27 weekend; 28, 29, 30 Sep; 1-7 Oct 国庆 off; 8, 9 Oct; Saturday 10 Oct, an adjusted
    # working day (调休上班). The window ends at 24:00 on Saturday 10 Oct. Weekdays alone would end it on
    # 2 Oct; the holidays without the worked Saturday on 12 Oct: only both together give the 10th.
    m, ch = mw.m, mw.chain
    case, _ = mw.file(3, 6)
    mw.review(case)
    m.propose(case, Decision(Finding.PROCEDURAL, sanction=5), Staff.MERIT)
    m.vote(case, True, Staff.MERIT)
    ch.wait_until(at(2026, 9, 23, 10) - 1)
    m.publish(case, keccak(text="notice"), Staff.MERIT)
    c = m.case(case)
    assert cst_day(c.published_at).isoformat() == "2026-09-23"
    deadline = c.appeal_deadline
    assert deadline == working_deadline(c.published_at, DAYS.appeal_days) == at(2026, 10, 11)  # 24:00 on 10 Oct
    assert is_workday(cst_day(deadline - 1)) and cst_day(deadline - 1).weekday() == 5  # the model: a worked Saturday
    d = m.decision(case).as_tuple()
    snap = ch.snapshot()
    appeal = m.ledger.functions.appeal(case, d, mw.ids[3], b"\0" * 32, keccak(text="grounds"))
    assert send_at(ch, appeal, mw.key(3), deadline)["status"] == 1  # the window's last second: heard
    c = m.case(case)
    assert c.stage == Stage.APPEALED
    # the answer window from the appeal's day (Sunday 11 Oct CST): 12-16, 19-23, 26-30 Oct, 24:00 on Friday the 30th
    assert c.answer_deadline == working_deadline(deadline, DAYS.answer_days) == at(2026, 10, 31)
    ch.revert_to(snap)
    late = m.ledger.functions.appeal(case, d, mw.ids[3], b"\0" * 32, keccak(text="late grounds"))
    assert send_at(ch, late, mw.key(3), deadline + 1)["status"] == 0  # the first second after: refused
    err = revert(m.appeal, case, mw.ids[3], keccak(text="grounds"), mw.key(3))
    assert err.error == "AppealWindowClosed" and err.rule == "R-MR-11" and err.args_by_name["deadline"] == deadline
    assert m.case(case).stage == Stage.PUBLISHED


def test_place_one_of_the_order_without_an_office_makes_a_committee_member(mw: MeritWorld) -> None:
    # R-MR-4 [decision] (docs/merit.md): an office here *or a place in the succession order* makes the
    # reporter a committee member. P01 (discipline secretary, place 1) loses the office but keeps the
    # place (the admin vacates by hand, as an election's term end does before the order is reset):
    # declaring "citizen" still gets no citizen award. P09 (no office, no place) keeps the declaration.
    m, ch = mw.m, mw.chain
    p01, p09 = mw.ids[1], mw.ids[9]
    mw.hand.vacate(Office.DISCIPLINE, "edge: vacated by hand")
    assert not ch.call(mw.jurisdiction.functions.isSeated(p01))
    assert int(ch.call(m.succession.functions.placeOf(p01))) == 1 and int(ch.call(m.succession.functions.placeOf(p09))) == 0
    award = Award.CITIZEN_SECTION_LEVEL
    case, ident = mw.file(10, 1, ReporterClass.CITIZEN, award)
    mw.review(case)
    err = revert(m.propose, case, reveal(Decision(Finding.INVESTIGATED, award), ident), Staff.MERIT)
    assert err.error == "AwardNotForClass" and err.rule == "R-MR-4"
    assert err.args_by_name == {"award": int(award), "class": int(ReporterClass.COMMITTEE_MEMBER)}
    case2, ident2 = mw.file(10, 9, ReporterClass.CITIZEN, award)
    mw.review(case2)
    mw.decide(case2, reveal(Decision(Finding.INVESTIGATED, award), ident2))  # place 0: the citizen table
    assert m.case(case2).stage == Stage.PUBLISHED


def test_offset_of_exactly_the_merit_accepted_one_tenth_more_refused(mw: MeritWorld) -> None:
    # R-MR-12: merit offsets a sanction it covers: merit exactly equal to the sanction is enough, a
    # tenth less is not (InsufficientMerit, at the request and at the approval). P02 earns 3.0, loses
    # 2.0 for a malicious report (R-MR-8: twice the least committee-member award, 1.0): merit 1.0;
    # sanctions of 1.0 and 0.1 (the township's largest minor sanction is 1.0)
    m = mw.m
    p02 = mw.ids[2]
    mw.run(10, 2, Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED), ReporterClass.COMMITTEE_MEMBER, Award.PEER_INVESTIGATED)
    mw.run(11, 2, Decision(Finding.MALICIOUS))
    mw.run(2, 9, Decision(Finding.PROCEDURAL, sanction=10), ReporterClass.CITIZEN)
    mw.run(2, 12, Decision(Finding.PROCEDURAL, sanction=1), ReporterClass.CITIZEN)
    sanctions = {e["points"]: e["id"] for e in m.entries(p02) if e["ledger"] == "demerit"}
    assert sorted(sanctions) == [1, 10]
    assert (m.totals(p02)["merit"], m.totals(p02)["demerit"]) == (10, 11)
    whole = m.request_offset(sanctions[10], mw.key(2))  # merit 10, sanction 10: exactly covered
    tenth = m.request_offset(sanctions[1], mw.key(2))
    m.approve_offset(tenth, Staff.UPPER)
    assert (m.totals(p02)["merit"], m.totals(p02)["demerit"]) == (9, 10)
    err = revert(m.approve_offset, whole, Staff.UPPER)  # merit 9 now: a tenth short
    assert err.error == "InsufficientMerit" and err.rule == "R-MR-12"
    assert err.args_by_name == {"personId": p02, "merit": 9, "needed": 10}
    err = revert(m.request_offset, sanctions[10], mw.key(2))
    assert err.error == "InsufficientMerit" and err.args_by_name == {"personId": p02, "merit": 9, "needed": 10}
    assert (m.totals(p02)["merit"], m.totals(p02)["demerit"]) == (9, 10)
