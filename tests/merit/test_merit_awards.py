"""Issue 17, merit: awards an insider cannot inflate (R-MR-2, R-MR-4, R-MR-8, docs/merit.md [decision]s).

The reporter's class is what the chain knows (an office here or a place in the succession order makes a
committee member), not what the report declares; nothing is awarded beyond the claim; a report claiming
nothing still pays for a malicious accusation; a removal award needs someone who held an office, and one
removal earns one award (the first case to become final).
"""

from __future__ import annotations

from chain_kit import revert
from merit_kit import MeritWorld, reveal
from zhili.merit.client import Award, Decision, Finding, ReporterClass, Stage
from zhili.testing import Staff
from zhili.types import Office

CM, CITIZEN = ReporterClass.COMMITTEE_MEMBER, ReporterClass.CITIZEN


def test_reporter_class_from_the_chain_and_no_award_beyond_the_claim(mw: MeritWorld) -> None:
    m = mw.m
    # attack: a committee member (P05, the deputy: an office here) declares themself a citizen for the 16-point table
    case, ident = mw.file(9, 5, CITIZEN, Award.CITIZEN_BUREAU_LEVEL)
    mw.review(case)
    err = revert(m.propose, case, reveal(Decision(Finding.INVESTIGATED, Award.CITIZEN_BUREAU_LEVEL), ident), Staff.MERIT)
    assert err.error == "AwardNotForClass" and err.rule == "R-MR-4"
    assert err.args_by_name["class"] == int(CM)  # the chain's class, not the declared one
    # attack: a removal award when the accused (P09) holds no office
    err = revert(m.propose, case, reveal(Decision(Finding.REMOVED, Award.OTHER_DEPARTMENT_REMOVED), ident), Staff.MERIT)
    assert err.error == "AccusedHoldsNoOffice" and err.rule == "R-MR-2" and err.args_by_name["accused"] == mw.ids[9]
    # the member's own table, within the claim, is granted
    mw.decide(case, reveal(Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED), ident))
    # attack: a report claiming nothing, awarded anyway
    case2, ident2 = mw.file(10, 8, CITIZEN)
    mw.review(case2)
    err = revert(m.propose, case2, reveal(Decision(Finding.INVESTIGATED, Award.CITIZEN_SECTION_LEVEL), ident2), Staff.MERIT)
    assert err.error == "AwardAboveClaim" and err.args_by_name == {"award": int(Award.CITIZEN_SECTION_LEVEL), "claimed": 0}
    # attack: a malicious report claiming nothing escapes the penalty by keeping the reporter hidden
    assert revert(m.propose, case2, Decision(Finding.MALICIOUS), Staff.MERIT).error == "ReporterNotRevealed"
    mw.pass_window(mw.decide(case2, reveal(Decision(Finding.MALICIOUS), ident2)))
    m.finalize(case, Staff.ADMIN)
    m.finalize(case2, Staff.ADMIN)
    assert m.totals(mw.ids[5])["merit"] == 30  # 3.0, not 16
    assert m.totals(mw.ids[8])["merit"] == -80  # R-MR-8 [decision]: twice the least citizen award (4)


def test_one_removal_one_award(mw: MeritWorld) -> None:
    # attack: two members (P04 the administrator, P05 the deputy: office holders, so committee members on the
    # chain) report the same secretary; both cases reach publication while P00 still holds the office
    m = mw.m
    d = Decision(Finding.REMOVED, Award.DIRECT_SUPERIOR_REMOVED)
    cases = []
    for reporter in (4, 5):
        case, ident = mw.file(0, reporter, CM, Award.DIRECT_SUPERIOR_REMOVED)
        mw.review(case)
        deadline = mw.decide(case, reveal(d, ident))
        cases.append(case)
    mw.pass_window(deadline)
    m.finalize(cases[1], Staff.ADMIN)  # the first case final wins: P05 removed the secretary
    m.finalize(cases[0], Staff.ADMIN)  # P04's case is final too, but the removal was already rewarded
    assert [m.case(c).stage for c in cases] == [Stage.FINAL, Stage.FINAL]
    assert (m.totals(mw.ids[4])["merit"], m.totals(mw.ids[5])["merit"]) == (0, 60)
    assert bytes(mw.chain.call(mw.jurisdiction.functions.holder(Office.SECRETARY))) == mw.ids[5]  # R-SU-4: the winner succeeds
    if mw.chain.kind != "embedded":  # py-evm scans every block per log query
        (ev,) = m.ledger.events.AwardWithheld().get_logs(from_block=m.from_block)
        assert (ev.args.caseId, ev.args.award, bytes(ev.args.accused)) == (cases[0], Award.DIRECT_SUPERIOR_REMOVED, mw.ids[0])
