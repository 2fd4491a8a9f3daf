"""The village reference model (tests/model/village.py) at every edge of SPEC §9, each test citing its rule.

These tests check the model itself against SPEC, the seed (``004 L<n>``) and the independent calendar
(tests/model/calendar.py), so that the agreement tests (test_village_agreement.py) compare the contracts
with something known to be right. Dates are in 2026, a year the calendar model writes from the State
Council's notice (its Spring Festival and National Day holidays move the windows: see the R-VC-5 and R-VC-7 tests).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from model.calendar import at, expected_deadline, is_workday
from model.village import (
    BASIC,
    BLUE,
    CREDIT,
    EXCELLENT,
    GREEN,
    PARTY,
    PARTY_DUTY,
    QUALIFIED,
    RED,
    REP_DUTY,
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
    trunc_div,
)

Y = 2026
EV = bytes(range(1, 33))  # an evidence fingerprint (32 bytes; the content stays off chain, R-VC-11)
C = frozenset({CREDIT})

FW = Framework(base=100, max_value=50, member_thresholds=(200, 120, 100), star_thresholds=(200, 160, 120, 100))
MANUAL = Manual(
    catalogue={"rice": Good(price=50, stock=2), "tractor_hour": Good(price=100, stock=1)},
    star_bonus=(0, 0, 10, 50, 100),
)
LIST = (
    Criterion("P01", "参加村民议事会", "协商议事", True, 20, C),
    Criterion("P02", "清理房前屋后", "环境治理", True, 10, C),
    Criterion("P03", "走访困难群众", "养老助残", True, 50, frozenset({PARTY_DUTY})),
    Criterion("P04", "收集并反映民意", "协商议事", True, 30, frozenset({REP_DUTY})),
    Criterion("P05", "带头调解邻里纠纷", "矛盾化解", True, 10, frozenset({PARTY_DUTY, CREDIT})),
    Criterion("N01", "乱倒垃圾", "环境治理", False, 10, C),
    Criterion("N02", "无故缺席党员大会", "协商议事", False, 50, frozenset({PARTY_DUTY})),
)
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_50c53297a3ffbae2.txt"


def rejects(rule: str, fn, *args, **kwargs) -> Refused:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, e.value
    return e.value


def village(criteria: tuple[Criterion, ...] = LIST, adopted: int = at(Y - 1, 12, 20)) -> VillageModel:
    """Four representatives, two party members, villagers; three teams; a council of four; everyone signed."""
    m = VillageModel(Y, FW, MANUAL)
    for p in ("r1", "r2", "r3", "r4"):
        m.set_member(p, "representative")
    m.set_member("p1", "party_member", team=1)  # team 1: party members (004 L9)
    m.set_member("p2", "party_member", team=1)
    m.set_member("c1", team=2)  # team 2: village cadres
    m.set_member("c2", team=2)
    m.set_member("v2", team=3)  # team 3: the masses' representatives
    m.set_member("v3", team=3)
    for k in ("k1", "k2", "k3", "k4"):
        m.set_member(k, "council")
    m.set_member("sec", "party_member", "secretary")
    m.set_member("shop", "keeper")
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
    for p in ("c1", "c2", "v1", "v2", "v3", "k1"):
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
    crit = [Criterion(f"P{i:02}", "正面", "志愿服务", True, 10, C) for i in range(SEED_POSITIVE)]
    crit += [Criterion(f"N{i:02}", "负面", "公民公德", False, 10, C) for i in range(SEED_NEGATIVE)]
    assert len(check_list(crit, FW)) == 56
    assert len(check_list(crit[:3], FW)) == 3
    rejects("R-VC-2", check_list, crit[SEED_POSITIVE:], FW)  # nothing anyone could declare


# ---------------------------------------------------------------- R-VC-1 three levels


def test_r_vc_1_value_bound_exactly_met_and_one_past() -> None:
    ok = Criterion("X", "t", "环境治理", True, FW.max_value, C)
    assert check_list([ok], FW)
    over = Criterion("X", "t", "环境治理", True, FW.max_value + 1, C)
    rejects("R-VC-1", check_list, [over], FW)
    rejects("R-VC-1", check_list, [Criterion("X", "t", "环境治理", True, 0, C)], FW)
    rejects("R-VC-2", check_list, [Criterion("X", "t", "环境治理", True, 10, frozenset({"merit"}))], FW)
    rejects("R-VC-2", check_list, [Criterion("X", "t", "环境治理", True, 10, frozenset())], FW)
    m = village(criteria=())
    rejects("R-VC-1", m.propose_list, [over])
    assert m.proposals == {}  # nothing written


def test_r_vc_1_town_windows_within_the_framework() -> None:
    Manual(declare_workdays=FW.max_window_workdays).check(FW)
    rejects("R-VC-1", Manual(declare_workdays=FW.max_window_workdays + 1).check, FW)
    rejects("R-VC-1", Manual(objection_workdays=0).check, FW)
    rejects("R-VC-1", Manual(first_team=4).check, FW)
    rejects("R-VC-1", VillageModel, Y, FW, Manual(objection_workdays=16))
    rejects("R-VC-1", Framework(base=0, max_value=10, member_thresholds=(100, 101, 50), star_thresholds=(4, 3, 2, 1)).check)
    Framework(base=0, max_value=10, member_thresholds=(100, 100, 50), star_thresholds=(4, 3, 2, 1)).check()  # 合格 unreachable: allowed
    rejects("R-VC-1", Framework(base=0, max_value=10, member_thresholds=(3, 2, 1), star_thresholds=(4, 3, 2, 1), duty_share=101).check)


# ---------------------------------------------------------------- R-VC-2 the list needs the assembly


def test_r_vc_2_exactly_half_is_not_enough_more_than_half_is() -> None:
    m = village(criteria=())
    pid = m.propose_list(LIST)
    assert m.vote_list(pid, "r1", True, at(Y, 1, 1)) == "proposed"
    assert m.vote_list(pid, "r2", True, at(Y, 1, 1)) == "proposed"  # 2 of 4 registered: exactly half
    assert m.list_for(4) is None
    assert m.vote_list(pid, "r3", True, at(Y, 1, 2)) == "adopted"  # 3 of 4: more than half
    assert m.list_for(1) is None and m.list_for(2) == pid  # in force from the next quarter


def test_r_vc_2_of_the_registered_not_of_the_votes_cast() -> None:
    m = village(criteria=())
    pid = m.propose_list(LIST)
    m.vote_list(pid, "r1", True, at(Y, 1, 1))
    m.vote_list(pid, "r2", True, at(Y, 1, 1))
    assert m.vote_list(pid, "r3", False, at(Y, 1, 1)) == "proposed"  # 2 yes of 3 cast, of 4 registered
    assert m.vote_list(pid, "r4", False, at(Y, 1, 1)) == "rejected"  # half against: yes can no longer pass half


def test_r_vc_2_who_votes_and_how_often() -> None:
    m = village(criteria=())
    pid = m.propose_list(LIST)
    m.set_member("r5", "representative")  # registered after the list was proposed: not on its roll
    rejects("R-VC-2", m.vote_list, pid, "r5", True, at(Y, 1, 1))
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
    amended = tuple(Criterion(c.code, c.text, c.category, c.positive, 40 if c.code == "P01" else c.value, c.kinds) for c in LIST)
    pid = m.propose_list(amended)
    for r in ("r1", "r2", "r3"):
        m.vote_list(pid, r, True, at(Y, 5, 10))
    assert m.criterion(2, "P01").value == 20 and m.criterion(3, "P01").value == 40
    rejects("R-VC-5", m.declare, "v1", "Z99", dt.date(Y, 4, 2), EV, at(Y, 4, 3))  # no such criterion in force


def test_r_vc_2_adopted_at_the_quarters_first_second_waits_for_the_next() -> None:
    """[decision] The quarter's first second belongs to it: a list adopted then was not in force when it began."""
    m = village(adopted=at(Y, 4, 1))
    assert m.list_for(2) is None and m.list_for(3) is not None
    m2 = village(adopted=at(Y, 4, 1) - 1)  # the last second of the first quarter
    assert m2.list_for(2) is not None


# ---------------------------------------------------------------- R-VC-3 five-colour contracts


def test_r_vc_3_colours_need_their_function_and_are_signed_once() -> None:
    m = village()
    rejects("R-VC-3", m.sign, "v1", RED)  # not a party member
    rejects("R-VC-3", m.sign, "v1", YELLOW)  # not a representative
    m.sign("v1", SILVER)
    m.sign("v1", GREEN)  # anyone may volunteer
    rejects("R-VC-3", m.sign, "v1", BLUE)  # already signed
    m.sign("newcomer", GREEN)  # signing enrols
    assert m.scored_types("p1") == {PARTY, VILLAGER} and m.scored_types("r1") == {REPRESENTATIVE, VILLAGER}
    assert m.scored_types("newcomer") == set()  # a volunteer's contract alone earns credit but no grade


def test_r_vc_3_duty_points_only_under_a_signed_contract() -> None:
    m = village()
    m.set_member("p3", "party_member")
    m.sign("p3", BLUE)  # a party member without the red contract
    a = m.declare("p3", "P03", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # party duty alone
    b = m.declare("p3", "P05", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # party duty and credit
    m.verify("p1", [a, b], True)
    assert m.counts_for(m.items[a]) == set() and m.counts_for(m.items[b]) == {CREDIT}
    m.sign("p3", RED)  # signed later: the items written before stay as they were
    c = m.declare("p3", "P03", dt.date(Y, 1, 6), EV, at(Y, 1, 7))
    assert m.counts_for(m.items[c]) == {PARTY_DUTY}
    m.set_member("x")  # recorded by the town, no contract at all
    rejects("R-VC-3", m.declare, "x", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    rejects("R-VC-3", m.record, "p1", "x", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))


# ---------------------------------------------------------------- R-VC-4 three point types, 60/40


def test_r_vc_4_duty_and_credit_in_the_framework_proportion() -> None:
    m = village()
    a = m.declare("p1", "P03", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # party duty 5.0
    b = m.declare("p1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # credit 2.0
    c = m.declare("v1", "P02", dt.date(Y, 2, 5), EV, at(Y, 2, 6))  # credit 1.0
    d = m.declare("r1", "P04", dt.date(Y, 2, 5), EV, at(Y, 2, 6))  # representative duty 3.0
    m.verify("p2", [a, b], True)  # January: the party members' team is on duty
    m.verify("c1", [c, d], True)  # February: the village cadres' team
    m.publish(1, m.declare_deadline(3) + 1)
    # party: base 10.0 + 60 % of 5.0 + 40 % of 2.0 = 10.0 + 3.0 + 0.8
    assert m.quarter_total(1, PARTY, "p1") == 100 + 38 and m.quarter_total(1, PARTY, "p2") == 100
    assert m.quarter_total(1, REPRESENTATIVE, "r1") == 100 + 18  # 60 % of 3.0
    # villager autonomy: resident credit alone, the same credit as the combined types' 40 %
    assert m.quarter_total(1, VILLAGER, "p1") == 120 and m.quarter_total(1, VILLAGER, "v1") == 110
    assert m.standing(1, "p1") == (1, (50, 0, 0, 0, 20, 0)) and m.standing(1, "v1") == (2, (0, 0, 0, 0, 10, 0))
    assert m.standing(1, "r1") == (3, (0, 0, 30, 0, 0, 0))  # rewards and penalties by kind, as published


def test_r_vc_4_the_weighted_part_is_truncated_toward_zero() -> None:
    crit = (
        Criterion("D", "t", "协商议事", True, 7, frozenset({PARTY_DUTY})),
        Criterion("ND", "t", "协商议事", False, 7, frozenset({PARTY_DUTY})),
    )
    m = village(criteria=crit)
    m.declare("p1", "D", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.verify("p2", [1], True)
    m.record("p1", "p2", "ND", dt.date(Y, 1, 7), EV, at(Y, 1, 8))
    m.publish(1, m.declare_deadline(3) + 1)
    assert m.quarter_total(1, PARTY, "p1") == 100 + 4  # 60 % of 0.7 = 0.42 -> 0.4
    assert m.quarter_total(1, PARTY, "p2") == 100 - 4  # -0.42 -> -0.4, not -0.5
    assert [trunc_div(x, 100) for x in (199, 100, 99, 0, -99, -100, -199)] == [1, 1, 0, 0, 0, -1, -1]


def test_r_vc_4_a_framework_with_another_proportion() -> None:
    fw = Framework(base=0, max_value=50, member_thresholds=(3, 2, 1), star_thresholds=(4, 3, 2, 1), duty_share=70)
    m = VillageModel(Y, fw, MANUAL)
    assert m.total(PARTY, {PARTY_DUTY: 10, REP_DUTY: 0, CREDIT: 10}) == 10
    assert m.total(PARTY, {PARTY_DUTY: 10, REP_DUTY: 0, CREDIT: 0}) == 7
    assert m.total(REPRESENTATIVE, {PARTY_DUTY: 10, REP_DUTY: 0, CREDIT: 10}) == 3
    assert m.total(VILLAGER, {PARTY_DUTY: 10, REP_DUTY: 10, CREDIT: 10}) == 10


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
    assert [village().team_on_duty(mo) for mo in range(1, 13)] == [1, 2, 3] * 4
    m = VillageModel(Y, FW, Manual(first_team=3))  # the town's manual names January's team
    assert [m.team_on_duty(mo) for mo in range(1, 13)] == [3, 1, 2] * 4


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
    end = m.declare_deadline(2)  # negative items close with the month's declarations
    i2 = m.record("c2", "v1", "N01", dt.date(Y, 2, 5), EV, end)
    assert m.items[i2].counted
    rejects("R-VC-5", m.record, "c2", "v1", "N01", dt.date(Y, 2, 6), EV, end + 1)


# ---------------------------------------------------------------- R-VC-7 publication, objections, finality


def test_r_vc_7_publication_after_the_last_months_window() -> None:
    m = village()
    end = m.declare_deadline(3)
    assert end == at(Y, 4, 9)  # March 31 + 5 working days (Qingming, 4-6 April 2026, is off)
    rejects("R-VC-7", m.publish, 1, end)
    m.publish(1, end + 1)
    rejects("R-VC-7", m.publish, 1, end + 2)
    assert len(m.quarters[1].points) == len(m.members)  # every enrolled person, with or without points


def test_r_vc_7_rank_order_credit_first_then_enrolment() -> None:
    m = village()
    a = m.declare("v3", "P02", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    b = m.declare("v1", "P02", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.verify("p1", [a, b], True)
    m.record("p1", "c2", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    order = m.rank_order(1)
    enrolled = list(m.members)
    first = sorted(["v1", "v3"], key=enrolled.index)  # equal credit: the earlier enrolled first, no shared rank
    assert order[:2] == first and order[-1] == "c2"
    rejects("R-VC-7", m.publish, 1, m.declare_deadline(3) + 1, order[::-1])
    m.publish(1, m.declare_deadline(3) + 1, order)
    assert m.standing(1, first[0])[0] == 1 and m.standing(1, first[1])[0] == 2  # type: ignore[index]
    assert m.standing(1, "c2") == (len(m.members), (0, 0, 0, 0, 0, 10))


def test_r_vc_7_an_unverified_declaration_counts_only_by_a_ruling() -> None:
    m = village()
    i = m.declare("v1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.publish(1, m.declare_deadline(3) + 1)
    assert m.items[i].status == "declared" and m.quarter_total(1, VILLAGER, "v1") == 100
    rejects("R-VC-7", m.verify, "p2", [i], True)  # the quarter is published
    o = m.object("v1", 1, "v1", i, m.quarters[1].published_at)
    for k in ("k1", "k2"):
        assert m.rule(k, o, True, CREDIT, 20) == "pending"  # exactly half of four: not yet
    assert m.rule("k3", o, True, CREDIT, 20) == "upheld"
    assert m.quarter_total(1, VILLAGER, "v1") == 120
    assert m.standing(1, "v1")[1] == (0, 0, 0, 0, 0, 0)  # type: ignore[index]  # the published points stay; the correction is beside them


def test_r_vc_7_the_objection_windows_last_second_and_the_first_after() -> None:
    m = village()
    i = m.record("p1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    t = m.declare_deadline(3) + 1  # 9 April 2026, 00:00:01 CST (a Thursday)
    rejects("R-VC-7", m.object, "v1", 1, "v1", i, t)  # not published yet
    m.publish(1, t)
    dl = m.quarters[1].deadline
    assert dl == expected_deadline(t, 7) == at(Y, 4, 21)  # 10, 13-17, 20 April: 24:00 on the 20th
    rejects("R-VC-7", m.object, "v1", 1, "v1", i, dl + 1)
    rejects("R-VC-7", m.object, "v1", 1, "v2", i, dl)  # the entry is not v2's
    o = m.object("v1", 1, "v1", i, dl)
    rejects("R-VC-7", m.finalize, 1, dl)  # the window is open in its last second
    rejects("R-VC-7", m.finalize, 1, dl + 1)  # an objection is pending
    rejects("R-VC-7", m.rule, "v2", o, False)  # not a council member
    rejects("R-VC-7", m.rule, "k1", o, False, CREDIT, 0)  # a rejection corrects nothing
    rejects("R-VC-7", m.rule, "k1", o, True, CREDIT, 0)  # an upheld ruling corrects something
    assert m.rule("k1", o, False) == "pending"
    rejects("R-VC-7", m.rule, "k1", o, True, CREDIT, 10)  # one vote each
    assert m.rule("k2", o, False) == "pending"  # half of four
    assert m.rule("k3", o, False) == "rejected"
    rejects("R-VC-7", m.rule, "k4", o, True, CREDIT, 10)
    m.finalize(1, dl + 1)
    assert m.quarter_total(1, VILLAGER, "v1") == 90


def test_r_vc_7_votes_count_for_one_ruling_and_nobody_rules_on_their_own_standing() -> None:
    m = village()
    m.sign("k2", BLUE)
    i = m.record("p1", "k2", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.publish(1, m.declare_deadline(3) + 1)
    o = m.object("v1", 1, "k2", i, m.quarters[1].deadline)
    rejects("R-VC-7", m.rule, "k2", o, True, CREDIT, 10)  # their own standing
    m.rule("k1", o, True, CREDIT, 10)
    m.rule("k3", o, True, CREDIT, 5)  # another correction: votes do not add up across rulings
    assert m.rule("k4", o, True, CREDIT, 10) == "pending"  # 2 of the 4 seated when publication began
    m.set_member("k5", "council")  # seated after publication began: votes, but the majority counts the four
    assert m.rule("k5", o, True, CREDIT, 10) == "upheld"
    assert m.nets(1, "k2")[CREDIT] == -10 + 10


def test_r_vc_7_a_split_council_holds_the_quarter_open() -> None:
    """[decision] with an even council, two against two decides nothing: the quarter waits (docs/village.md)."""
    m = village()
    i = m.record("p1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    m.publish(1, m.declare_deadline(3) + 1)
    o = m.object("v1", 1, "v1", i, m.quarters[1].deadline)
    for k, up in (("k1", True), ("k2", True), ("k3", False), ("k4", False)):
        assert m.rule(k, o, up, CREDIT if up else None, 10 if up else 0) == "pending"
    rejects("R-VC-7", m.finalize, 1, m.quarters[1].deadline + 1)


def test_r_vc_7_a_final_quarter_never_changes() -> None:
    m = village()
    i = m.record("p1", "v1", "N01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    close_quarter(m, 1)
    before = (m.quarters[1].points, m.quarters[1].adjust, m.quarters[1].order)
    rejects("R-VC-7", m.publish, 1, at(Y, 6, 1))  # re-published
    rejects("R-VC-7", m.object, "v1", 1, "v1", i, at(Y, 6, 1))
    rejects("R-VC-7", m.finalize, 1, at(Y, 6, 1))
    rejects("R-VC-5", m.record, "p1", "v1", "N01", dt.date(Y, 1, 6), EV, at(Y, 6, 1))  # its window closed long ago
    rejects("R-VC-5", m.declare, "v1", "P01", dt.date(Y, 1, 6), EV, at(Y, 6, 1))
    assert (m.quarters[1].points, m.quarters[1].adjust, m.quarters[1].order) == before


# ---------------------------------------------------------------- R-VC-8 annual grading


def graded_village(points: dict[str, int]) -> VillageModel:
    """A village whose persons earn the given resident-credit points (tenths) in January, nothing after."""
    units = (50, 10, 1)
    m = village(criteria=tuple(Criterion(f"C{u}", "t", "社会公益", True, u, C) for u in units))
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
    m.grade(list(m.members), at(Y + 1, 1, 20))
    # base 10.0 once, plus the year's credit
    assert m.annual[VILLAGER]["v1"] == 150 and m.grades["v1"][VILLAGER] == 3
    assert m.grades["v2"][VILLAGER] == 3
    assert m.annual[VILLAGER]["v3"] == 120 and m.grades["v3"][VILLAGER] == 3  # exactly 12.0: three stars
    assert m.annual[VILLAGER]["c1"] == 119 and m.grades["c1"][VILLAGER] == 2  # 11.9
    assert m.grades["c2"][VILLAGER] == 2  # the base alone: exactly 10.0
    # party members: 优秀 20.0, 合格 12.0, 基本合格 10.0; p1 and p2 have only the base
    assert m.grades["p1"][PARTY] == BASIC
    assert m.grades["k2"] == {} and m.grades["r1"] == {REPRESENTATIVE: BASIC, VILLAGER: 2}  # graded by the contracts held


def test_r_vc_8_member_grade_edges() -> None:
    m = village()
    assert [m.member_grade(t) for t in (200, 199, 120, 119, 100, 99)] == [EXCELLENT, QUALIFIED, QUALIFIED, BASIC, BASIC, UNQUALIFIED]
    assert [m.stars(t) for t in (200, 199, 160, 159, 120, 119, 100, 99)] == [5, 4, 4, 3, 3, 2, 2, 1]


def test_r_vc_8_the_annual_total_sums_the_four_quarters_and_truncates_once() -> None:
    crit = LIST + (Criterion("D1", "t", "协商议事", True, 1, frozenset({PARTY_DUTY})),)
    m = village(criteria=crit)
    for mo in (1, 4, 7, 10):
        m.declare("v1", "P01", dt.date(Y, mo, 5), EV, at(Y, mo, 6))
        m.declare("p1", "D1", dt.date(Y, mo, 5), EV, at(Y, mo, 6))
    for iid in list(m.items):
        m.verify("p2", [iid], True)  # January, April, July, October: the first team
    rejects("R-VC-8", m.grade, ["v1"], at(Y, 12, 1))
    for q in range(1, 5):
        close_quarter(m, q)
        assert m.quarter_total(q, PARTY, "p1") == 100  # 60 % of 0.1 is 0.06: nothing in a quarter
    m.grade(["v1", "p1"], at(Y + 1, 1, 20))
    assert m.annual[VILLAGER]["v1"] == 100 + 4 * 20 and m.grades["v1"][VILLAGER] == 4
    assert m.annual[PARTY]["p1"] == 100 + 2  # 60 % of the year's 0.4 is 0.24: truncated once, to 0.2
    rejects("R-VC-8", m.grade, ["v1"], at(Y + 1, 1, 21))  # once a year
    rejects("R-VC-8", m.grade, ["v2", "v1"], at(Y + 1, 1, 21))
    assert "v2" not in m.grades  # all or nothing


# ---------------------------------------------------------------- R-VC-9 consequences


def test_r_vc_9_a_representative_rectifies_by_the_deadline_or_loses_the_seat() -> None:
    crit = LIST + (Criterion("N03", "无故缺席村民代表会议", "协商议事", False, 50, frozenset({REP_DUTY})),)
    m = village(criteria=crit)
    for p, mo in (("r1", 1), ("r2", 4)):
        m.record("p1", p, "N03", dt.date(Y, mo, 5), EV, at(Y, mo, 6))  # -5.0 duty: 60 % -> -3.0
    for q in range(1, 5):
        close_quarter(m, q)
    when = at(Y + 1, 1, 20, 15)
    m.grade(list(m.members), when)
    assert m.annual[REPRESENTATIVE]["r1"] == 70 and m.grades["r1"][REPRESENTATIVE] == UNQUALIFIED
    deadline = m.rectifications["r1"].deadline
    assert deadline == at(Y + 1, 4, 21)  # 24:00 CST on 20 April, three months on
    rejects("R-VC-9", m.lapse_seat, "r1", deadline)  # still in time in the deadline's last second
    m.rectify("r2", deadline)
    rejects("R-VC-9", m.rectify, "r1", deadline + 1)
    m.lapse_seat("r1", deadline + 1)
    assert m.by_elections == ["r1"] and not m.has("r1", "representative")
    rejects("R-VC-9", m.lapse_seat, "r2", deadline + 1)  # rectified
    rejects("R-VC-9", m.rectify, "r3", deadline)  # nothing due
    # the assembly now counts three registered representatives: two are more than half
    pid = m.propose_list(LIST)
    assert m.vote_list(pid, "r2", True, deadline + 2) == "proposed"
    assert m.vote_list(pid, "r3", True, deadline + 2) == "adopted"


def test_r_vc_9_add_months_clamps_to_the_months_last_day() -> None:
    assert add_months(dt.date(Y, 11, 30), 3) == dt.date(Y + 1, 2, 28)
    assert add_months(dt.date(Y, 1, 31), 3) == dt.date(Y, 4, 30)


def test_r_vc_9_referral_and_one_to_one_help() -> None:
    crit = LIST + (Criterion("N04", "严重违反村规民约", "公民公德", False, 50, C),)
    m = village(criteria=crit)
    m.record("p2", "p1", "N02", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # duty -5.0: 60 % -> -3.0 -> 7.0
    m.record("p1", "v1", "N04", dt.date(Y, 1, 5), EV, at(Y, 1, 6))  # villager credit -5.0 -> 5.0
    for q in range(1, 5):
        close_quarter(m, q)
    m.grade(list(m.members), at(Y + 1, 1, 20))
    assert m.referred == ["p1"]
    assert m.grades["v1"][VILLAGER] == 1 and m.grades["v2"][VILLAGER] == 2
    rejects("R-VC-9", m.assign_helper, "v2", "p2")  # v2 has two stars
    rejects("R-VC-9", m.assign_helper, "v1", "v2")  # not a party member
    rejects("R-VC-9", m.assign_helper, "v1", "v1")
    m.assign_helper("v1", "p2")
    rejects("R-VC-9", m.assign_helper, "v1", "p1")  # once


# ---------------------------------------------------------------- R-VC-10 the credit supermarket


def test_r_vc_10_grades_and_points_earn_redeemable_credit_once() -> None:
    m = graded_village({"v1": 100, "v2": 60, "v3": 1})
    rejects("R-VC-10", m.claim, "v1")  # not graded yet
    m.grade(["v1", "v2", "v3", "p1", "k2"], at(Y + 1, 1, 20))
    assert [m.grades[p][VILLAGER] for p in ("v1", "v2", "v3")] == [5, 4, 2]
    assert m.claim("v1") == 100 + 100  # 10.0 above the base, and five stars' bonus
    assert m.claim("v2") == 60 + 50 and m.claim("v3") == 1 + 0
    assert m.claim("k2") == 0  # no blue contract: no stars, nothing
    rejects("R-VC-10", m.claim, "v1")  # once
    assert m.balance["v1"] == 200


def test_r_vc_10_stock_reaching_zero_and_the_balance_exactly_spent() -> None:
    m = graded_village({"v1": 100})
    m.grade(["v1"], at(Y + 1, 1, 20))
    m.claim("v1")
    assert m.balance["v1"] == 200
    score = m.annual[VILLAGER]["v1"]
    rejects("R-VC-10", m.redeem, "v1", "shop", "tractor_hour", 3, 0)  # one in stock
    m.redeem("v1", "shop", "rice", 2, 0)  # the last two bags: stock reaches 0
    assert m.stock["rice"] == 0 and m.balance["v1"] == 100
    assert m.annual[VILLAGER]["v1"] == score  # never the score
    rejects("R-VC-10", m.redeem, "v1", "shop", "rice", 1, 1)  # out of stock
    m.restock("rice", 3)
    rejects("R-VC-10", m.redeem, "v1", "shop", "rice", 1, 0)  # the same signed redemption twice
    rejects("R-VC-10", m.redeem, "v1", "shop", "rice", 1, 2)  # out of order
    rejects("R-VC-10", m.redeem, "v1", "shop", "rice", 1, 1, keeper_signed=False)
    rejects("R-VC-10", m.redeem, "v1", "shop", "rice", 1, 1, person_signed=False)
    rejects("R-VC-10", m.redeem, "v1", "v2", "rice", 1, 1)  # not a shop keeper
    rejects("R-VC-10", m.redeem, "v1", "shop", "rice", 0, 1)
    rejects("R-VC-10", m.redeem, "v1", "shop", "tv", 1, 1)
    rejects("R-VC-10", m.redeem, "v1", "shop", "rice", 3, 1)  # 15.0 > 10.0
    m.redeem("v1", "shop", "rice", 2, 1)  # exactly the balance
    assert m.balance["v1"] == 0 and m.stock["rice"] == 1
    rejects("R-VC-10", m.redeem, "v1", "shop", "rice", 1, 2)
    m.set_good("rice", 50, listed=False)
    rejects("R-VC-10", m.restock, "rice", 1)


# ---------------------------------------------------------------- R-VC-11 publication


def test_r_vc_11_only_fingerprints_and_everything_public() -> None:
    m = village()
    rejects("R-VC-11", m.declare, "v1", "P01", dt.date(Y, 1, 5), b"photo of the cleaned yard", at(Y, 1, 6))
    i = m.declare("v1", "P01", dt.date(Y, 1, 5), EV, at(Y, 1, 6))
    assert m.public_item(i) == ("v1", "P01", dt.date(Y, 1, 5), EV, "declared", False)
