"""Quarters (R-VC-7), grades (R-VC-8) and consequences (R-VC-9) of the village, and the insider
attacks on them that the contracts refuse."""

from __future__ import annotations

from eth_utils import keccak

from chain_kit import revert
from model.calendar import at
from village_kit import OFFICE, YEAR, VillageWorld, april
from zhili.village.client import COUNCIL, REPRESENTATIVE, QuarterState, month_index


def _q2_published(vw: VillageWorld) -> int:
    """Declarations in April, Q2 published mid-July; returns the quarter."""
    vw.notes["ids"] = vw.run_month(april(), declarations=[(11, "P04"), (2, "P11")], negatives=[(3, "N06")])
    q = april() // 3
    vw.go_to(april() + 3, day=15)
    vw.v.publish(q, vw.key(8))
    return q


def test_publication_in_rank_order_freezes_the_quarter(adopted: VillageWorld) -> None:
    # R-VC-7: standings in rank order (credit net descending, then index), each person once; then frozen
    vw, v = adopted, adopted.v
    ids = vw.run_month(april(), declarations=[(11, "P04"), (2, "P11")])
    q = april() // 3
    vw.go_to(april() + 2, day=20)
    assert revert(v.publish, q, vw.key(8)).error == "QuarterNotOver"
    vw.go_to(april() + 3, day=15)
    order = v.rank_order(q)
    assert order[:2] == [v.idx_of(vw.ids[2]), v.idx_of(vw.ids[11])]  # 2.0 before 1.0
    bad = [order[1], order[0], *order[2:]]
    e = revert(vw.chain.transact, v.quarters.functions.publish(q, bad), vw.key(8))
    assert e.error == "RankOrder" and e.rule == "R-VC-7"
    assert revert(vw.chain.transact, v.quarters.functions.publish(q, order), vw.key(2)).error == "VillageRoleRequired"
    # in two batches
    vw.chain.transact(v.quarters.functions.publish(q, order[:5]), vw.key(8))
    assert v.quarter(q).state == QuarterState.PUBLISHING
    dup = [order[4], *order[5:]]
    assert revert(vw.chain.transact, v.quarters.functions.publish(q, dup), vw.key(8)).error == "RankOrder"
    vw.chain.transact(v.quarters.functions.publish(q, order[5:]), vw.key(8))
    qi = v.quarter(q)
    assert qi.state == QuarterState.PUBLISHED and qi.done == qi.count == 12
    assert [s.idx for s in v.standings(q)] == order
    # the team on duty can no longer change a point of the quarter
    assert revert(v.verify, [ids[0]], [False], vw.key(1)).error in ("QuarterFrozenAlready", "AlreadyVerified")


def test_insider_team_cannot_verify_into_a_published_quarter(adopted: VillageWorld) -> None:
    vw, v = adopted, adopted.v
    vw.go_to(april())
    mo = v.open_month(april() + 0)
    pending = v.declare(april(), vw.code("P04"), 3, b"\1" * 32, vw.key(11))
    vw.go_to(april() + 3, day=15)
    v.publish(april() // 3, vw.key(8))
    e = revert(v.verify, [pending], [True], vw.key(vw.on_duty(mo.team, avoid=[11])))
    assert e.error == "QuarterFrozenAlready" and e.rule == "R-VC-7"
    assert revert(v.open_month, april() + 1).error == "QuarterFrozenAlready"  # a month never opened stays closed
    # and the council cannot publish it again
    assert revert(v.publish, april() // 3, vw.key(8)).error == "QuarterState"


def test_objection_window_last_second_and_first_after(adopted: VillageWorld) -> None:
    # R-VC-7: objections until the deadline (7 working days after publication), not a second later
    vw, v = adopted, adopted.v
    q = _q2_published(vw)
    deadline = v.quarter(q).deadline
    snap = vw.chain.snapshot()
    vw.go_after(deadline, 0)
    v.object(q, vw.ids[2], 0, keccak(text="grounds"), vw.key(11))
    vw.chain.revert_to(snap)
    vw.go_after(deadline, 1)
    e = revert(v.object, q, vw.ids[2], 0, keccak(text="grounds"), vw.key(11))
    assert e.error == "ObjectionWindowClosed" and e.rule == "R-VC-7"


def test_rulings_by_majority_and_finality(adopted: VillageWorld) -> None:
    vw, v = adopted, adopted.v
    q = _q2_published(vw)
    oid = v.object(q, vw.ids[3], 0, keccak(text="the negative item was someone else's"), vw.key(3))
    assert revert(v.finalize, q).error == "NotYetFinal"
    # one vote of three is not a majority; two different rulings do not add up
    v.rule(oid, True, 2, 10, keccak(text="a"), vw.key(8))
    assert v.objection(oid).state == 1
    v.rule(oid, True, 2, 20, keccak(text="a"), vw.key(9))
    assert v.objection(oid).state == 1
    assert revert(v.rule, oid, True, 2, 10, keccak(text="a"), vw.key(8)).error == "AlreadyRuled"
    assert revert(v.rule, oid, True, 2, 10, keccak(text="a"), vw.key(2)).error == "VillageRoleRequired"
    o = v.rule(oid, True, 2, 10, keccak(text="a"), vw.key(7))
    assert o.state == 2 and v.totals(q, vw.ids[3]).credit == 0  # −1.0 corrected by +1.0
    assert revert(v.finalize, q).error == "NotYetFinal"  # window still running
    vw.go_after(v.quarter(q).deadline)
    assert v.finalize(q).state == QuarterState.FINAL
    # R-VC-7: a final quarter never changes: no objection, no ruling, no publication
    assert revert(v.object, q, vw.ids[3], 0, b"\1" * 32, vw.key(3)).error == "ObjectionWindowClosed"
    assert revert(v.rule, oid, True, 2, 10, keccak(text="b"), vw.key(9)).error == "ObjectionClosed"
    assert revert(v.publish, q, vw.key(8)).error == "QuarterState"
    assert revert(v.finalize, q).error == "QuarterState"


def test_a_ruling_needs_more_than_half_of_an_even_council(adopted: VillageWorld) -> None:
    """R-VC-7: a ruling is the majority of the council's members. With four members (P6 joins P7..P9
    before publication), two agreeing votes are exactly half and rule nothing; the third does."""
    vw, v = adopted, adopted.v
    v.set_member(vw.ids[6], REPRESENTATIVE | COUNCIL, 0, OFFICE)
    q = _q2_published(vw)
    assert v.quarter(q).council == 4
    oid = v.object(q, vw.ids[3], 0, keccak(text="the negative item was someone else's"), vw.key(3))
    v.rule(oid, True, 2, 10, keccak(text="a"), vw.key(8))
    assert v.rule(oid, True, 2, 10, keccak(text="a"), vw.key(9)).state == 1  # 2 of 4: exactly half, still open
    assert v.rule(oid, True, 2, 10, keccak(text="a"), vw.key(6)).state == 2  # 3 of 4: upheld


def test_insider_council_member_cannot_rule_on_own_standing(adopted: VillageWorld) -> None:
    vw, v = adopted, adopted.v
    q = _q2_published(vw)
    oid = v.object(q, vw.ids[7], 0, keccak(text="P07 should have more"), vw.key(7))
    e = revert(v.rule, oid, True, 2, 50, keccak(text="self"), vw.key(7))
    assert e.error == "OwnStanding" and e.rule == "R-VC-7"


def test_objection_entry_must_belong_to_the_standing(adopted: VillageWorld) -> None:
    vw, v = adopted, adopted.v
    q = _q2_published(vw)
    first = vw.notes["ids"][0]  # P11's declaration
    e = revert(v.object, q, vw.ids[2], first, b"\1" * 32, vw.key(4))
    assert e.error == "EntryNotInStanding"
    assert v.objection(v.object(q, vw.ids[11], first, b"\1" * 32, vw.key(4))).entry == first


# ------------------------------------------------------------------ the year (R-VC-8, R-VC-9)


def test_grades_from_four_final_quarters(year: VillageWorld) -> None:
    vw, v = year, year.v
    assert revert(v.grade, YEAR + 1, [1]).error == "YearNotFinal"
    v.grade(YEAR)
    a11 = v.annual(YEAR, vw.ids[11])
    assert (a11.villager_score, a11.stars) == (620, 3)  # exactly the three-star threshold (R-VC-8)
    a2 = v.annual(YEAR, vw.ids[2])
    assert (a2.villager_score, a2.stars) == (610, 2)  # 1.0 below it: two stars
    assert v.annual(YEAR, vw.ids[3]).stars == 1
    a6 = v.annual(YEAR, vw.ids[6])
    assert (a6.rep_score, a6.rep_grade) == (558, 4)  # 600 + 0.6 × (−70): 不合格
    a1 = v.annual(YEAR, vw.ids[1])
    assert (a1.party_score, a1.party_grade, a1.villager_score, a1.stars) == (548, 4, 560, 2)
    assert v.annual(YEAR, vw.ids[4]).rep_grade == 3
    assert revert(v.grade, YEAR, [1]).error == "AlreadyGraded"


def test_failing_representative_loses_the_seat(year: VillageWorld) -> None:
    # R-VC-9: rectify by the deadline or lose the seat; a by-election is due; the seat leaves the roll
    vw, v = year, year.v
    v.grade(YEAR)
    deadline, state = v.rectification(YEAR, vw.ids[6])
    assert state == 1
    assert revert(v.lose_seat, YEAR, vw.ids[6]).error == "RectificationDeadline"
    assert revert(v.lose_seat, YEAR, vw.ids[4]).error == "NoRectificationDue"
    snap = vw.chain.snapshot()
    vw.go_after(deadline, 0)
    v.confirm_rectified(YEAR, vw.ids[6], keccak(text="rectified"), 1)
    assert v.rectification(YEAR, vw.ids[6])[1] == 2
    vw.chain.revert_to(snap)
    vw.go_after(deadline)
    assert revert(v.confirm_rectified, YEAR, vw.ids[6], keccak(text="late"), 1).error == "RectificationDeadline"
    reps = vw.chain.call(v.ledger.functions.representatives())
    v.lose_seat(YEAR, vw.ids[6])
    assert v.rectification(YEAR, vw.ids[6])[1] == 3
    assert vw.chain.call(v.ledger.functions.representatives()) == reps - 1
    assert not v.member(vw.ids[6]).roles & 2
    logs = v.quarters.events.SeatLost().get_logs(from_block=0)
    assert [bytes(e.args.person) for e in logs] == [vw.ids[6]]


def test_party_member_referred_and_helpers(year: VillageWorld) -> None:
    vw, v = year, year.v
    v.grade(YEAR)
    referred = v.quarters.events.ReferredToBranch().get_logs(from_block=0)
    assert [e.args.idx for e in referred] == [v.idx_of(vw.ids[1])]
    assert revert(v.assign_helper, YEAR, vw.ids[3], vw.ids[1], vw.key(1)).error == "VillageRoleRequired"
    assert revert(v.assign_helper, YEAR, vw.ids[2], vw.ids[1], vw.key(0)).error == "HelpNotAllowed"  # two stars
    assert revert(v.assign_helper, YEAR, vw.ids[3], vw.ids[11], vw.key(0)).error == "HelpNotAllowed"  # not a party member
    v.assign_helper(YEAR, vw.ids[3], vw.ids[5], vw.key(0))
    assert vw.chain.call(v.quarters.functions.helperOf(YEAR, v.idx_of(vw.ids[3]))) == v.idx_of(vw.ids[5])
    assert revert(v.assign_helper, YEAR, vw.ids[3], vw.ids[1], vw.key(0)).error == "HelpNotAllowed"


def test_objections_of_the_year_ruled(year: VillageWorld) -> None:
    vw, v = year, year.v
    assert v.objection(vw.notes["upheld"]).state == 2
    assert v.objection(vw.notes["rejected"]).state == 3
    assert v.totals(vw.notes["q2"], vw.ids[11]).credit_adjust == 10


def test_rectification_deadline_is_three_calendar_months(year: VillageWorld) -> None:
    # R-VC-9: graded at 10:00 on 31 January 2027, the failing representative has until 24:00 CST of
    # 30 April (three calendar months on; April has no 31st): that last second confirms, the next refuses
    vw, v = year, year.v
    vw.go_to(month_index(YEAR + 1, 1), day=31)
    v.grade(YEAR, [v.idx_of(vw.ids[6])])
    deadline, state = v.rectification(YEAR, vw.ids[6])
    assert (deadline, state) == (at(YEAR + 1, 5, 1), 1)
    snap = vw.chain.snapshot()
    vw.go_after(deadline, 0)
    v.confirm_rectified(YEAR, vw.ids[6], keccak(text="rectified"), 1)
    vw.chain.revert_to(snap)
    vw.go_after(deadline)
    e = revert(v.confirm_rectified, YEAR, vw.ids[6], keccak(text="late"), 1)
    assert (e.error, e.rule, e.args_by_name["deadline"]) == ("RectificationDeadline", "R-VC-9", deadline)
