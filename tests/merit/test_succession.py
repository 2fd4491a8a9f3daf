"""The succession order against its insiders (issue 17, R-SU-1 … R-SU-5): set only from the offices,
never by hand; successors hold an office; cycles last the profile's minimum; merit written by another
jurisdiction's ledger moves the order. Each attack is performed and refused by the contract's error."""

from __future__ import annotations

from chain_kit import revert
from merit_kit import COMMITTEE_KEY, MeritWorld, reveal
from model.merit import order_from_offices
from zhili import profiles
from zhili.jurisdiction import registry
from zhili.merit.client import Award, Decision, Finding, MeritClient, ReporterClass
from zhili.merit.identity import ReporterIdentity
from zhili.testing import ROLE_HOLDERS, Staff
from zhili.types import Office

CM, CITIZEN = ReporterClass.COMMITTEE_MEMBER, ReporterClass.CITIZEN
ANYONE = 9  # an account with no role anywhere


def test_order_is_derived_from_the_offices(mw: MeritWorld) -> None:
    # R-SU-1: the profile's head (discipline, congress, discipline deputy), then the other offices, administrator last;
    # the reference model computes it from the same offices
    offices = {o.key: i for o, i in mw.holders().items()}
    assert mw.order() == order_from_offices(offices) == [1, 2, 5, 3, 4]
    s = mw.m.succession.functions
    assert [Office(o) for o in mw.chain.call(s.head())] == [Office.DISCIPLINE, Office.CONGRESS, Office.DISCIPLINE_DEPUTY]
    assert mw.chain.call(s.minCycleSeconds()) == 365 * 86400
    names = {f["name"] for f in mw.m.succession.abi if f.get("type") == "function"}
    assert not names & {"initOrder", "enroll"}  # no free call sets or extends the order


def test_authority_cannot_reinitialise_the_order_after_an_overtake(mw: MeritWorld) -> None:
    # attack: the election authority wipes a merit overtake by setting the order again
    # (the administrator holds an office: the committee-member table, R-MR-4: 6.0 for the deputy's removal)
    mw.run(5, 4, Decision(Finding.REMOVED, Award.DIRECT_SUPERIOR_REMOVED), CM, Award.DIRECT_SUPERIOR_REMOVED)
    assert mw.order() == [1, 2, 4, 3]  # R-SU-3: the administrator passed the consultative member (the deputy left)
    err = revert(mw.m.offices_seated, Staff.AUTHORITY)
    assert err.error == "JurisdictionRoleRequired"
    # even an office writer (here the kit's stand-in for an election) cannot: no new secretary was seated
    basis = mw.chain.call(mw.m.succession.functions.basis())
    err = revert(mw.hand.relay, mw.m.succession.functions.officesSeated())
    assert err.error == "OrderAlreadySet" and err.rule == "R-SU-1"
    assert err.args_by_name["basis"] == basis == err.args_by_name["seatedAt"]
    assert mw.order() == [1, 2, 4, 3]


def test_outsider_without_office_cannot_be_inserted(mw: MeritWorld) -> None:
    # attack: an outsider (P08, no office here) inserted into the order, by the authority or anyone
    for who in (Staff.AUTHORITY, ANYONE):
        err = revert(mw.m.join, mw.ids[8], who)
        assert err.error == "InvalidMember" and err.rule == "R-SU-1" and err.args_by_name["seated"] is False
    assert revert(mw.m.join, mw.ids[0], ANYONE).args_by_name["office"] == Office.SECRETARY  # never the secretary
    assert revert(mw.m.join, mw.ids[3], ANYONE).error == "InvalidMember"  # already in it
    # a person seated later (here by the kit's office writer, as team completion would) joins ahead of the administrator
    mw.vacate(Office.DISCIPLINE_DEPUTY)
    mw.seat(Office.DISCIPLINE_DEPUTY, 8)
    mw.m.join(mw.ids[8], ANYONE)
    assert mw.order() == [1, 2, 5, 3, 8, 4]
    assert [r["reason"] for r in mw.m.order_history()][-1] == "seating"


def test_defeated_office_less_former_discipline_secretary_is_never_seated(mw: MeritWorld) -> None:
    # attack of issue 17: P01 lost the discipline office (a new discipline secretary P08 is seated) but
    # is still listed first; removing the secretary must not seat the office-less P01 (R-SU-2)
    mw.vacate(Office.DISCIPLINE)
    mw.seat(Office.DISCIPLINE, 8)
    assert mw.order()[0] == 1 and mw.holders()[Office.DISCIPLINE] == 8
    mw.run(0, 10, Decision(Finding.REMOVED), CITIZEN)
    h = mw.holders()
    assert h[Office.SECRETARY] == 2 and 1 not in h.values()  # the congress chair, who holds an office, succeeds
    (ev,) = mw.m.succession.events.Succeeded().get_logs(from_block=mw.m.from_block)
    assert ev.args.skipped == 1 and ev.args.fromOffice == Office.CONGRESS


def test_assessment_cycles_last_the_profile_minimum(mw: MeritWorld) -> None:
    # attack: the merit committee opens and closes two "cycles" at once to demote the discipline secretary (R-SU-5)
    m, s = mw.m, mw.m.succession.functions
    m.open_cycle(Staff.MERIT)
    opened, least = mw.chain.call(s.cycleOpenedAt()), mw.chain.call(s.minCycleSeconds())
    err = revert(m.close_cycle, Staff.MERIT)  # the very next block
    assert err.error == "CycleTooShort" and err.rule == "R-SU-5"
    assert (err.args_by_name["openedAt"], err.args_by_name["minSeconds"]) == (opened, least)
    # both chains simulate a transaction at the latest block's time: that is the time checked here
    mw.chain.wait_until(opened + least - 1)
    err = revert(m.close_cycle, Staff.MERIT)  # one second short
    assert err.error == "CycleTooShort" and err.args_by_name["at"] == opened + least - 1
    mw.chain.wait_until(opened + least)
    merit = mw.address(Staff.MERIT)
    mw.chain.w3.eth.call({"from": merit, "to": m.succession.address, "data": m.succession.encode_abi("closeCycle")})  # exactly the minimum: accepted
    m.close_cycle(Staff.MERIT)
    (ev,) = m.succession.events.CycleClosed().get_logs(from_block=mw.m.from_block)
    assert ev.args.streak == 1
    m.open_cycle(Staff.MERIT)
    assert revert(m.close_cycle, Staff.MERIT).error == "CycleTooShort"
    assert mw.order()[0] == 1  # not demoted


def test_merit_from_another_jurisdictions_ledger_runs_the_pass(mw: MeritWorld) -> None:
    # R-SU-3: a final entry written by another jurisdiction's ledger in the province's book moves this order;
    # the pass is permissionless but runs once per change of the totals (no repeated passes)
    ch = mw.chain
    roles = {role: [mw.address(who)] for role, who in ROLE_HOLDERS.items()}
    j2 = registry.deploy_jurisdiction(ch, profiles.load("county"), "330100", "余杭县", roles=roles)
    other = MeritClient.deploy(ch, j2, mw.persons, profiles.load("county"), book=mw.m.book)
    err = revert(mw.m.overtake_pass, ANYONE)  # nothing new yet
    assert err.error == "NoMeritChange" and err.rule == "R-SU-3"
    ident = ReporterIdentity.new(mw.ids[4], name="P04")
    case, _ = other.report(mw.ids[9], CITIZEN, Award.CITIZEN_BUREAU_LEVEL, b"evidence", ident, COMMITTEE_KEY, Staff.ADMIN)
    mw.review(case, other)
    mw.pass_window(mw.decide(case, reveal(Decision(Finding.INVESTIGATED, Award.CITIZEN_BUREAU_LEVEL), ident), other))
    other.finalize(case, Staff.ADMIN)
    assert mw.m.totals(mw.ids[4])["merit"] == 160 and mw.order() == [1, 2, 5, 3, 4]
    mw.m.overtake_pass(ANYONE)
    assert mw.order() == [1, 2, 5, 4, 3]
    ev = mw.m.succession.events.Overtook().get_logs(from_block=mw.m.from_block)
    assert [(mw.idx(bytes(e.args.mover)), mw.idx(bytes(e.args.passed))) for e in ev] == [(4, 3)]
    # attack: pass again and again to carry P04 further on the same merit
    err = revert(mw.m.overtake_pass, ANYONE)
    assert err.error == "NoMeritChange"
    assert mw.order() == [1, 2, 5, 4, 3]
