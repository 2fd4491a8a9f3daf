"""The village reference model (tests/model/village.py) at every edge of SPEC §9, each test citing its rule.

These tests check the model itself against SPEC, the seed (``004 L<n>``) and the independent calendar
(tests/calendar_ref.py), so that the agreement tests (test_village_agreement.py) compare the contracts
with something known to be right. Dates are in 2026, a year the ``chinese-calendar`` library covers
(its Spring Festival and National Day holidays move the windows: see the R-VC-5 and R-VC-7 tests).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calendar_ref import at, expected_deadline, is_workday
from model.village import (
    BASIC,
    BLUE,
    EXCELLENT,
    GREEN,
    PARTY,
    QUALIFIED,
    RED,
    REPRESENTATIVE,
    SEED_NEGATIVE,
    SEED_POSITIVE,
    SILVER,
    TEAMS,
    UNQUALIFIED,
    VILLAGER,
    YELLOW,
    Criterion,
    Framework,
    Good,
    Manual,
    Refused,
    VillageModel,
    add_months,
    check_list,
)

Y = 2026
EV = bytes(range(1, 33))  # an evidence fingerprint (32 bytes; the content stays off chain, R-VC-11)
ALL = frozenset({PARTY, REPRESENTATIVE, VILLAGER})

FW = Framework(base=100, max_value=50, member_thresholds=(200, 120, 100), star_thresholds=(200, 160, 120, 100))
MANUAL = Manual(
    catalogue={"rice": Good(price=50, stock=2), "tractor_hour": Good(price=100, stock=1)},
    grade_credit={EXCELLENT: 300, QUALIFIED: 100, "star5": 200, "star4": 100},
)
LIST = (
    Criterion("P01", "参加村民议事会", "协商议事", True, 20, ALL),
    Criterion("P02", "清理房前屋后", "环境治理", True, 10, frozenset({VILLAGER, PARTY})),
    Criterion("P03", "走访困难群众", "养老助残", True, 50, frozenset({PARTY}), duty=True),
    Criterion("P04", "收集并反映民意", "协商议事", True, 30, frozenset({REPRESENTATIVE}), duty=True),
    Criterion("N01", "乱倒垃圾", "环境治理", False, 10, ALL),
    Criterion("N02", "无故缺席党员大会", "协商议事", False, 50, frozenset({PARTY}), duty=True),
)
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_50c53297a3ffbae2.txt"


def rejects(rule: str, fn, *args, **kwargs) -> Refused:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, e.value
    return e.value


def village(criteria: tuple[Criterion, ...] = LIST, adopted: int = at(Y - 1, 12, 20)) -> VillageModel:
    """Four representatives, two party members, a mediator, villagers; three teams; a council of four."""
    m = VillageModel(Y, FW, MANUAL)
    for p in ("r1", "r2", "r3", "r4"):
        m.register(p, "representative")
    for p in ("p1", "p2"):
        m.register(p, "party_member")
    m.register("med", "mediator")
    for p in ("c1", "c2", "v1", "v2", "v3", "k1", "k2", "k3", "k4"):
        m.register(p)
    m.form_teams((["p1", "p2"], ["c1", "c2"], ["v2", "v3"]))
    m.seat_council(["k1", "k2", "k3", "k4"])
    if criteria:
        pid = m.propose_list(criteria)
        for r in ("r1", "r2", "r3"):
            m.vote_list(pid, r, True, adopted)
    for p in ("p1", "p2"):
        m.sign(p, RED)
        m.sign(p, BLUE)
    for p in ("r1", "r2", "r3", "r4"):
        m.sign(p, YELLOW)
        m.sign(p, BLUE)
    for p in ("c1", "c2", "v1", "v2", "v3", "k1", "med"):
        m.sign(p, BLUE)
    return m


def close_quarter(m: VillageModel, q: int) -> None:
    """Publish ``q`` right after its declarations close and finalize it right after its objection window."""
    t = m.declare_deadline(3 * q) + 1
    m.publish(q, t)
    m.finalize(q, m.quarters[q].deadline + 1)


# ---------------------------------------------------------------- the seed's numbers


def test_seed_numbers_are_the_seeds() -> None:
    """The model's fixed numbers are the seed's, read from the seed's own text where it is beside us."""
    if not SEED.exists():
        pytest.skip(f"seed not beside the repository: {SEED}")
    text = SEED.read_text(encoding="utf-8")
    assert f"{SEED_POSITIVE}項正面、{SEED_NEGATIVE}項負面" in text  # 004 L7
    assert "三類積分" in text and "三支評分隊伍" in text and len(TEAMS) == 3  # 004 L7, L9
    assert "優秀、合格、基本合格、不合格4個等次" in text and "五星、四星、三星、二星、一星5個等次" in text  # 004 L9
    assert all(w in text for w in ("紅色", "黃色", "藍色", "綠色", "銀色"))  # 004 L13


def test_a_list_of_the_seeds_size_is_data() -> None:
    """R-VC-2: 19 positive and 37 negative criteria (004 L7) are a list like any other, not a constant."""
    crit = [Criterion(f"P{i:02}", "正面", "志愿服务", True, 10, frozenset({VILLAGER})) for i in range(SEED_POSITIVE)]
    crit += [Criterion(f"N{i:02}", "负面", "公民公德", False, 10, frozenset({VILLAGER})) for i in range(SEED_NEGATIVE)]
    assert len(check_list(crit, FW)) == 56
    assert len(check_list(crit[:3], FW)) == 3


# ---------------------------------------------------------------- R-VC-1 three levels


def test_r_vc_1_value_bound_exactly_met_and_one_past() -> None:
    ok = Criterion("X", "t", "环境治理", True, FW.max_value, frozenset({VILLAGER}))
    assert check_list([ok], FW)
    over = Criterion("X", "t", "环境治理", True, FW.max_value + 1, frozenset({VILLAGER}))
    rejects("R-VC-1", check_list, [over], FW)
    rejects("R-VC-1", check_list, [Criterion("X", "t", "环境治理", True, 0, frozenset({VILLAGER}))], FW)
    rejects("R-VC-1", check_list, [Criterion("X", "t", "环境治理", True, 10, frozenset({"merit"}))], FW)
    m = village(criteria=())
    rejects("R-VC-1", m.propose_list, [over])
    assert m.proposals == {}  # nothing written


def test_r_vc_1_town_windows_within_the_framework() -> None:
    Manual(catalogue={}, grade_credit={}, declare_workdays=FW.max_window_workdays).check(FW)
    rejects("R-VC-1", Manual(catalogue={}, grade_credit={}, declare_workdays=FW.max_window_workdays + 1).check, FW)
    rejects("R-VC-1", Manual(catalogue={}, grade_credit={}, objection_workdays=0).check, FW)
    rejects("R-VC-1", VillageModel, Y, FW, Manual(catalogue={}, grade_credit={}, objection_workdays=16))
    rejects("R-VC-8", Framework(base=0, max_value=10, member_thresholds=(100, 100, 50), star_thresholds=(4, 3, 2, 1)).check)


# ---------------------------------------------------------------- R-VC-2 the list needs the assembly


def test_r_vc_2_exactly_half_is_not_enough_more_than_half_is() -> None:
    m = village(criteria=())
    pid = m.propose_list(LIST)
    assert not m.vote_list(pid, "r1", True, at(Y, 1, 1))
    assert not m.vote_list(pid, "r2", True, at(Y, 1, 1))  # 2 of 4 registered: exactly half
    assert m.list_in_force(at(Y, 3, 1)) is None
    assert m.vote_list(pid, "r3", True, at(Y, 1, 2))  # 3 of 4: more than half
    assert m.list_in_force(at(Y, 1, 2)) == pid


def test_r_vc_2_of_the_registered_not_of_the_votes_cast() -> None:
    m = village(criteria=())
    pid = m.propose_list(LIST)
    m.vote_list(pid, "r1", True, at(Y, 1, 1))
    m.vote_list(pid, "r2", True, at(Y, 1, 1))
    m.vote_list(pid, "r3", False, at(Y, 1, 1))  # 2 yes of 3 votes cast, but of 4 registered: not adopted
    assert m.proposals[pid].adopted_at is None


def test_r_vc_2_who_votes_and_how_often() -> None:
    m = village(criteria=())
    pid = m.propose_list(LIST)
    rejects("R-VC-2", m.vote_list, pid, "p1", True, at(Y, 1, 1))  # not a representative
    m.vote_list(pid, "r1", True, at(Y, 1, 1))
    rejects("R-VC-2", m.vote_list, pid, "r1", False, at(Y, 1, 1))
    m.vote_list(pid, "r2", True, at(Y, 1, 1))
    m.vote_list(pid, "r3", True, at(Y, 1, 1))
    rejects("R-VC-2", m.vote_list, pid, "r4", True, at(Y, 1, 1))  # adopted already


def test_r_vc_2_the_quarter_uses_the_list_in_force_when_it_began() -> None:
    # adopted on 15 January: not in force for the first quarter, in force from the second
    m = village(adopted=at(Y, 1, 15))
    rejects("R-VC-2", m.declare, "v1", "P01", dt.date(Y, 1, 20), EV, at(Y, 1, 21))
    m.declare("v1", "P01", dt.date(Y, 4, 2), EV, at(Y, 4, 3))
    # an amendment adopted in the second quarter applies from the third: Q2 keeps P01 at 2.0
    amended = tuple(Criterion(c.code, c.text, c.category, c.positive, 40 if c.code == "P01" else c.value, c.types, c.duty) for c in LIST)
    pid = m.propose_list(amended)
    for r in ("r1", "r2", "r3"):
        m.vote_list(pid, r, True, at(Y, 5, 10))
    assert m._criterion(2, "P01").value == 20 and m._criterion(3, "P01").value == 40
    rejects("R-VC-2", m.declare, "v1", "Z99", dt.date(Y, 4, 2), EV, at(Y, 4, 3))  # unknown criterion


def test_r_vc_2_adopted_at_the_quarters_first_second_is_in_force() -> None:
    m = village(adopted=at(Y, 4, 1))
    assert m.list_in_force(m.quarter_start(2)) is not None and m.list_in_force(m.quarter_start(1)) is None
    m2 = village(adopted=at(Y, 4, 1) + 1)
    assert m2.list_in_force(m2.quarter_start(2)) is None


# ---------------------------------------------------------------- R-VC-3 five-colour contracts


def test_r_vc_3_colours_need_their_role_and_are_signed_once() -> None:
    m = village()
    rejects("R-VC-3", m.sign, "v1", RED)  # not a party member
    rejects("R-VC-3", m.sign, "v1", YELLOW)  # not a representative
    rejects("R-VC-3", m.sign, "v1", SILVER)  # not a mediator
    m.sign("med", SILVER)
    m.sign("v1", GREEN)  # anyone may volunteer
    rejects("R-VC-3", m.sign, "v1", BLUE)  # already signed
    rejects("R-VC-3", m.sign, "nobody", BLUE)
    assert m.scored_types("p1") == {PARTY, VILLAGER} and m.scored_types("med") == {VILLAGER}


def test_r_vc_3_duty_points_only_under_a_signed_contract() -> None:
    m = village()
    m.register("p3", "party_member")
    m.sign("p3", BLUE)  # a party member without the red contract
    rejects("R-VC-3", m.declare, "p3", "P03", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.sign("p3", RED)
    m.declare("p3", "P03", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.register("x")  # registered, no contract at all
    rejects("R-VC-3", m.declare, "x", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))


# ---------------------------------------------------------------- R-VC-4 three point types, 60/40


def test_r_vc_4_duty_and_credit_in_the_framework_proportion() -> None:
    m = village()
    a = m.declare("p1", "P03", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # duty 5.0
    b = m.declare("p1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # credit 2.0 (all types)
    c = m.declare("v1", "P02", dt.date(Y, 2, 5), EV, at(Y, 2, 6))  # credit 1.0 (villager, party)
    m.verify("p2", [a, b], True)  # January: the party members' team is on duty
    m.verify("c1", [c], True)  # February: the village cadres' team
    m.publish(1, m.declare_deadline(3) + 1)
    # party: base 10.0 + 60 % of 5.0 + 40 % of 2.0 = 10.0 + 3.0 + 0.8
    assert m.standing(1, PARTY, "p1") == (100 + 38, 1)
    # villager autonomy: resident credit alone
    assert m.standing(1, VILLAGER, "p1") == (120, 1) and m.standing(1, VILLAGER, "v1") == (110, 2)
    assert m.standing(1, VILLAGER, "v2") == (100, 3) and m.standing(1, VILLAGER, "v3") == (100, 3)  # ties share a rank
    assert m.standing(1, REPRESENTATIVE, "p1") is None  # not a representative


def test_r_vc_4_the_weighted_part_is_truncated_toward_zero() -> None:
    crit = (
        Criterion("D", "t", "协商议事", True, 7, frozenset({PARTY}), duty=True),
        Criterion("ND", "t", "协商议事", False, 7, frozenset({PARTY}), duty=True),
    )
    m = village(criteria=crit)
    m.declare("p1", "D", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.verify("p2", [1], True)
    m.record("p1", "p2", "ND", dt.date(Y, 1, 7), EV, at(Y, 1, 8))
    m.publish(1, m.declare_deadline(3) + 1)
    assert m.standing(1, PARTY, "p1") == (100 + 4, 1)  # 60 % of 0.7 = 0.42 -> 0.4
    assert m.standing(1, PARTY, "p2") == (100 - 4, 2)  # -0.42 -> -0.4, not -0.5


def test_r_vc_4_credit_in_a_type_the_person_is_not_scored_in() -> None:
    m2 = VillageModel(Y, FW, MANUAL)
    m2.register("p", "party_member")
    m2.register("r", "representative")
    m2.register("w")
    pid = m2.propose_list(LIST)
    m2.vote_list(pid, "r", True, at(Y - 1, 12, 1))
    m2.sign("p", RED)  # scored in party points only
    m2.sign("r", YELLOW)
    rejects("R-VC-4", m2.declare, "r", "P02", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # P02: villager and party only
    m2.declare("p", "P02", dt.date(Y, 1, 5), EV, at(Y, 1, 6))


# ---------------------------------------------------------------- R-VC-5 monthly self-declaration


def test_r_vc_5_the_windows_last_second_and_the_first_after() -> None:
    m = village()
    # January 2026 ends on a Saturday; five working days after it: 2-6 February -> 24:00 CST on 6 February
    end = m.declare_deadline(1)
    assert end == at(Y, 2, 7) == expected_deadline(at(Y, 1, 31), 5)
    m.declare("v1", "P01", dt.date(Y, 1, 31), EV, end)
    rejects("R-VC-5", m.declare, "v1", "P02", dt.date(Y, 1, 31), EV, end + 1)
    assert len(m.items) == 1


def test_r_vc_5_a_holiday_lengthens_the_window() -> None:
    """September's window runs over National Day (1-7 October 2026): five working days end on 13 October."""
    m = village()
    assert not is_workday(dt.date(Y, 10, 5)) and is_workday(dt.date(Y, 10, 13))
    assert m.declare_deadline(9) == at(Y, 10, 14)
    m.declare("v1", "P01", dt.date(Y, 9, 30), EV, at(Y, 10, 13, 23, 59, 59))


def test_r_vc_5_not_before_the_month_nor_a_future_day() -> None:
    m = village()
    rejects("R-VC-5", m.declare, "v1", "P01", dt.date(Y, 2, 1), EV, at(Y, 2, 1) - 1)  # before February
    rejects("R-VC-5", m.declare, "v1", "P01", dt.date(Y, 2, 10), EV, at(Y, 2, 9))  # a day still to come
    m.declare("v1", "P01", dt.date(Y, 2, 10), EV, at(Y, 2, 10))  # the day itself
    rejects("R-VC-5", m.declare, "v1", "P01", dt.date(Y, 2, 10), EV, at(Y, 2, 11))  # the same item twice
    rejects("R-VC-5", m.declare, "v1", "N01", dt.date(Y, 2, 10), EV, at(Y, 2, 11))  # negatives are recorded
    rejects("R-VC-5", m.declare, "v1", "P02", dt.date(Y, 2, 10), bytes(32), at(Y, 2, 11))  # no evidence
    rejects("R-VC-5", m.declare, "v1", "P02", dt.date(Y - 1, 12, 31), EV, at(Y, 1, 2))  # not this year


# ---------------------------------------------------------------- R-VC-6 teams on duty


def test_r_vc_6_monthly_rotation_in_a_fixed_order() -> None:
    assert [VillageModel.team_on_duty(mo) for mo in range(1, 13)] == [0, 1, 2] * 4


def test_r_vc_6_a_captain_never_verifies_their_own_declaration() -> None:
    m = village()
    own = m.declare("p1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # p1 is in January's team
    rejects("R-VC-6", m.verify, "p1", [own], True)
    rejects("R-VC-6", m.verify, "c1", [own], True)  # February's team, not January's
    m.verify("p2", [own], True)  # the other member of the team on duty
    rejects("R-VC-6", m.verify, "p2", [own], True)  # verified already


def test_r_vc_6_a_batch_is_all_or_nothing() -> None:
    m = village()
    a = m.declare("v1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    b = m.declare("p2", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    rejects("R-VC-6", m.verify, "p2", [a, b], True)  # b is p2's own
    assert m.items[a].status == "declared"
    rejects("R-VC-6", m.verify, "p1", [a, a], True)
    m.verify("p1", [a, b], True)
    assert m.items[a].counted and m.items[b].counted


def test_r_vc_6_negative_items_by_the_team_on_duty_never_on_oneself() -> None:
    m = village()
    rejects("R-VC-6", m.record, "c1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # not on duty in January
    rejects("R-VC-6", m.record, "p1", "p1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    rejects("R-VC-5", m.record, "p1", "v1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # a positive is declared
    i = m.record("p1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    assert m.items[i].counted and m.public_item(i)[3] == EV  # shown to the person, with its fingerprint
    i2 = m.record("c2", "v1", "N01", dt.date(Y, 2, 5), EV, at(Y, 4, 2))  # after the month, before publication
    assert m.items[i2].counted


# ---------------------------------------------------------------- R-VC-7 publication, objections, finality


def test_r_vc_7_publication_after_the_last_months_window() -> None:
    m = village()
    end = m.declare_deadline(3)
    assert end == at(Y, 4, 9)  # March 31 + 5 working days (Qingming, 4-6 April 2026, is off)
    rejects("R-VC-7", m.publish, 1, end)
    rejects("R-VC-7", m.publish, 2, at(Y, 8, 1))  # the first quarter first
    m.publish(1, end + 1)
    rejects("R-VC-7", m.publish, 1, end + 2)


def test_r_vc_7_an_unverified_declaration_lapses_and_an_objection_revives_it() -> None:
    m = village()
    i = m.declare("v1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.publish(1, m.declare_deadline(3) + 1)
    assert m.items[i].status == "lapsed" and m.standing(1, VILLAGER, "v1") == (100, 1)
    rejects("R-VC-7", m.verify, "p2", [i], True)  # the quarter is published
    o = m.object("v1", i, m.quarters[1].published_at)
    for k in ("k1", "k2"):
        assert m.rule(k, o, True) == "pending"  # exactly half of four: not yet
    assert m.rule("k3", o, True) == "upheld"
    assert m.standing(1, VILLAGER, "v1") == (120, 1)


def test_r_vc_7_the_objection_windows_last_second_and_the_first_after() -> None:
    m = village()
    i = m.record("p1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    t = m.declare_deadline(3) + 1  # 9 April 2026, 00:00:01 CST (a Thursday)
    m.publish(1, t)
    dl = m.quarters[1].deadline
    assert dl == expected_deadline(t, 7) == at(Y, 4, 21)  # 10, 13-17, 20 April: 24:00 on the 20th
    rejects("R-VC-7", m.object, "v1", i, dl + 1)
    rejects("R-VC-7", m.object, "nobody", i, dl)  # not a villager
    o = m.object("v1", i, dl)
    rejects("R-VC-7", m.object, "v2", i, dl)  # once per entry
    rejects("R-VC-7", m.finalize, 1, dl)  # the window is open in its last second
    rejects("R-VC-7", m.finalize, 1, dl + 1)  # an objection is pending
    rejects("R-VC-7", m.rule, "v2", o, False)  # not a council member
    assert m.rule("k1", o, False) == "pending"
    rejects("R-VC-7", m.rule, "k1", o, True)
    assert m.rule("k2", o, False) == "rejected"  # half against: the yes side cannot pass half
    rejects("R-VC-7", m.rule, "k3", o, True)
    m.finalize(1, dl + 1)
    assert m.standing(1, VILLAGER, "v1") == (90, 13)  # twelve others hold the blue contract at 10.0


def test_r_vc_7_a_final_quarter_never_changes() -> None:
    m = village()
    i = m.record("p1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    close_quarter(m, 1)
    before = m.quarters[1].standings
    rejects("R-VC-7", m.publish, 1, at(Y, 6, 1))  # re-published
    rejects("R-VC-7", m.object, "v1", i, at(Y, 6, 1))
    rejects("R-VC-7", m.finalize, 1, at(Y, 6, 1))
    rejects("R-VC-7", m.record, "p1", "v1", "N01", dt.date(Y, 1, 6), EV, at(Y, 6, 1))
    rejects("R-VC-5", m.declare, "v1", "P01", dt.date(Y, 1, 6), EV, at(Y, 6, 1))  # its windows closed long ago
    assert m.quarters[1].standings == before


def test_r_vc_7_upheld_objection_removes_a_negative_item() -> None:
    m = village()
    i = m.record("p1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.publish(1, m.declare_deadline(3) + 1)
    o = m.object("v1", i, m.quarters[1].deadline)
    for k in ("k4", "k2", "k1"):
        m.rule(k, o, True)
    assert m.objections[o].outcome == "upheld" and not m.items[i].counted
    assert m.standing(1, VILLAGER, "v1") == (100, 1)


# ---------------------------------------------------------------- R-VC-8 annual grading


def graded_village(points: dict[str, int]) -> VillageModel:
    """A village whose persons earn the given resident-credit points (tenths) in January, nothing after."""
    units = (50, 10, 1)
    m = village(criteria=tuple(Criterion(f"C{u}", "t", "社会公益", True, u, ALL) for u in units))
    for p, v in points.items():
        day = 1
        while v:
            u = next(u for u in units if u <= v)
            m.declare(p, f"C{u}", dt.date(Y, 1, day), EV, at(Y, 1, 31))
            v, day = v - u, day + 1
    for iid, i in m.items.items():
        m.verify("p2" if i.person == "p1" else "p1", [iid], True)  # January: the party members' team
    for q in range(1, 5):
        close_quarter(m, q)
    return m


def test_r_vc_8_a_threshold_exactly_met_and_one_tenth_short() -> None:
    # villager thresholds (annual totals): 5 stars 20.0, 4 stars 16.0, 3 stars 12.0, 2 stars 10.0
    m = graded_village({"v1": 50, "v2": 49, "v3": 20, "c1": 19, "c2": 0})
    m.grade(at(Y + 1, 1, 20))
    # base 10.0 once, plus the year's credit
    assert m.annual[VILLAGER]["v1"] == 150 and m.grades["v1"][VILLAGER] == 3
    assert m.grades["v2"][VILLAGER] == 3
    assert m.annual[VILLAGER]["v3"] == 120 and m.grades["v3"][VILLAGER] == 3  # exactly 12.0: three stars
    assert m.annual[VILLAGER]["c1"] == 119 and m.grades["c1"][VILLAGER] == 2  # 11.9
    assert m.grades["c2"][VILLAGER] == 2  # the base alone: exactly 10.0
    # party members: 优秀 20.0, 合格 12.0, 基本合格 10.0; p1 and p2 have only the base
    assert m.grades["p1"][PARTY] == BASIC


def test_r_vc_8_member_grade_edges() -> None:
    m = village()
    assert [m.member_grade(t) for t in (200, 199, 120, 119, 100, 99)] == [EXCELLENT, QUALIFIED, QUALIFIED, BASIC, BASIC, UNQUALIFIED]
    assert [m.stars(t) for t in (200, 199, 160, 159, 120, 119, 100, 99)] == [5, 4, 4, 3, 3, 2, 2, 1]


def test_r_vc_8_the_annual_total_sums_the_four_quarters() -> None:
    m = village()
    for mo in (1, 4, 7, 10):
        m.declare("v1", "P01", dt.date(Y, mo, 5), EV, at(Y, mo, 6))
    duty = {1: "p2", 4: "p2", 7: "p2", 10: "p2"}
    for iid, i in m.items.items():
        m.verify(duty[i.day.month], [iid], True)
    rejects("R-VC-8", m.grade, at(Y, 12, 1))
    for q in range(1, 5):
        close_quarter(m, q)
    m.grade(at(Y + 1, 1, 20))
    assert m.annual[VILLAGER]["v1"] == 100 + 4 * 20 and m.grades["v1"][VILLAGER] == 4
    rejects("R-VC-8", m.grade, at(Y + 1, 1, 21))  # once a year


# ---------------------------------------------------------------- R-VC-9 consequences


def test_r_vc_9_a_representative_rectifies_by_the_deadline_or_loses_the_seat() -> None:
    crit = LIST + (Criterion("N03", "无故缺席村民代表会议", "协商议事", False, 50, frozenset({REPRESENTATIVE}), duty=True),)
    m = village(criteria=crit)
    for p, mo in (("r1", 1), ("r2", 4)):
        m.record("p1", p, "N03", dt.date(Y, mo, 5), EV, at(Y, mo, 6))  # -5.0 duty: 60 % -> -3.0
    for q in range(1, 5):
        close_quarter(m, q)
    when = at(Y + 1, 1, 20, 15)
    m.grade(when)
    assert m.annual[REPRESENTATIVE]["r1"] == 70 and m.grades["r1"][REPRESENTATIVE] == UNQUALIFIED
    deadline = m.rectifications["r1"].deadline
    assert deadline == at(Y + 1, 4, 21)  # 24:00 CST on 20 April, three months on
    rejects("R-VC-9", m.lapse_seat, "r1", deadline)  # still in time in the deadline's last second
    m.rectify("r2", deadline)
    rejects("R-VC-9", m.rectify, "r1", deadline + 1)
    m.lapse_seat("r1", deadline + 1)
    assert m.by_elections == ["r1"] and "r1" not in m.representatives()
    rejects("R-VC-9", m.lapse_seat, "r2", deadline + 1)  # rectified
    rejects("R-VC-9", m.rectify, "r3", deadline)  # nothing due
    # the assembly now counts three registered representatives: two are more than half
    pid = m.propose_list(LIST)
    m.vote_list(pid, "r2", True, deadline + 2)
    assert m.vote_list(pid, "r3", True, deadline + 2)


def test_r_vc_9_add_months_clamps_to_the_months_last_day() -> None:
    assert add_months(dt.date(Y, 11, 30), 3) == dt.date(Y + 1, 2, 28)
    assert add_months(dt.date(Y, 1, 31), 3) == dt.date(Y, 4, 30)


def test_r_vc_9_referral_and_one_to_one_help() -> None:
    crit = LIST + (Criterion("N04", "严重违反村规民约", "公民公德", False, 50, ALL),)
    m = village(criteria=crit)
    m.record("p2", "p1", "N02", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # duty -5.0: 60 % -> -3.0 -> 7.0
    m.record("p1", "v1", "N04", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # villager credit -5.0 -> 5.0
    for q in range(1, 5):
        close_quarter(m, q)
    m.grade(at(Y + 1, 1, 20))
    assert m.referred == ["p1"]
    assert m.grades["v1"][VILLAGER] == 1 and m.help_due == {"v1"}
    rejects("R-VC-9", m.assign_helper, "v2", "p2")  # v2 has two stars
    rejects("R-VC-9", m.assign_helper, "v1", "v2")  # not a party member under contract
    m.assign_helper("v1", "p2")
    rejects("R-VC-9", m.assign_helper, "v1", "p1")  # once


# ---------------------------------------------------------------- R-VC-10 the credit supermarket


def supermarket() -> VillageModel:
    m = village()
    a = m.declare("v1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    b = m.declare("v1", "P02", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.verify("p1", [a, b], True)
    close_quarter(m, 1)
    return m


def test_r_vc_10_a_final_quarter_earns_its_rewards() -> None:
    m = village()
    a = m.declare("v1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.record("p1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.verify("p1", [a], True)
    m.publish(1, m.declare_deadline(3) + 1)
    assert m.balance.get("v1", 0) == 0  # published is not final
    m.finalize(1, m.quarters[1].deadline + 1)
    assert m.balance["v1"] == 20  # the reward; a penalty lowers the score, not the balance


def test_r_vc_10_stock_reaching_zero_and_the_balance_exactly_spent() -> None:
    m = supermarket()
    assert m.balance["v1"] == 30
    score = m.standing(1, VILLAGER, "v1")
    rejects("R-VC-10", m.redeem, "v1", "tractor_hour", 1, 1)  # 10.0 > 3.0
    m.balance["v1"] = 100  # (a grade credit, say)
    m.redeem("v1", "rice", 2, 1)  # the last two bags: stock reaches 0, balance exactly spent
    assert m.stock["rice"] == 0 and m.balance["v1"] == 0
    assert m.standing(1, VILLAGER, "v1") == score  # never the score
    m.balance["v1"] = 50
    rejects("R-VC-10", m.redeem, "v1", "rice", 1, 2)  # out of stock
    m.restock("rice", 1)
    rejects("R-VC-10", m.redeem, "v1", "rice", 1, 1)  # the same signed redemption twice
    rejects("R-VC-10", m.redeem, "v1", "rice", 1, 2, keeper_signed=False)
    rejects("R-VC-10", m.redeem, "v1", "rice", 1, 2, person_signed=False)
    rejects("R-VC-10", m.redeem, "v1", "rice", 0, 2)
    rejects("R-VC-10", m.redeem, "v1", "tv", 1, 2)
    m.redeem("v1", "rice", 1, 2)
    assert m.balance["v1"] == 0 and m.stock["rice"] == 0
    rejects("R-VC-10", m.redeem, "v1", "rice", 1, 3)


def test_r_vc_10_grades_earn_redeemable_credit() -> None:
    m = graded_village({"v1": 100, "v2": 60})
    m.grade(at(Y + 1, 1, 20))
    assert m.grades["v1"][VILLAGER] == 5 and m.grades["v2"][VILLAGER] == 4
    assert m.balance["v1"] == 100 + 200 and m.balance["v2"] == 60 + 100


# ---------------------------------------------------------------- R-VC-11 publication


def test_r_vc_11_only_fingerprints_and_everything_public() -> None:
    m = village()
    rejects("R-VC-11", m.declare, "v1", "P01", dt.date(Y, 1, 5), b"photo of the cleaned yard", at(Y, 1, 6))
    i = m.declare("v1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    assert m.public_item(i) == ("v1", "P01", dt.date(Y, 1, 5), EV, "declared", False)
