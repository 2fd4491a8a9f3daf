"""Functional weighted council (contracts/council/Council.sol): SPEC §3 rule by rule, on both chains."""

from __future__ import annotations

import copy

import pytest
from eth_utils import keccak

from chain_kit import revert
from council_kit import BASIS, PLAN, CouncilWorld, W, all_yes, build_council_world
from zhili import profiles
from zhili.core.chain import Chain
from zhili.council.client import Kind, Minutes, Phase, Position, Proposal, Status, WindowLimits, Windows, basis_hash, text_id
from zhili.testing import Staff
from zhili.types import CORE_OFFICES, Category, Office

S, D, C, K, A = CORE_OFFICES  # secretary, discipline, congress, consultative, administrator
YES, NO, ABSTAIN = Position.YES, Position.NO, Position.ABSTAIN


# ---------------------------------------------------------------- R-WD-1 categories and weights


def test_weight_row_is_the_category_row_snapshotted_at_creation(world: CouncilWorld) -> None:
    # R-WD-1: one category per motion; the township livelihood row (340 in total) as the profile states it
    m = world.propose(Category.LIVELIHOOD)
    v = world.council.motion(m)
    assert v.category == Category.LIVELIHOOD and v.weights == [80, 60, 60, 40, 100] and sum(v.weights) == 340
    assert v.phase == Phase.CLASSIFICATION and v.status == Status.PROPOSED
    assert v.lead == A  # the administrator has weight 100 in livelihood (R-WD-4)
    for c in Category:
        m = world.propose(c)
        assert world.council.motion(m).weights == profiles.load("township").weight_row(c)


def test_county_rows(session_chain: Chain) -> None:
    # R-WD-1: the county livelihood row differs from the township's (80/60/40/20/100)
    snap = session_chain.snapshot()
    try:
        w = build_council_world(session_chain, "county")
        m = w.propose(Category.LIVELIHOOD)
        v = w.decide(m, {S: YES, A: YES})
        assert v.weights == [80, 60, 40, 20, 100] and v.yes == 180 and v.status == Status.PASSED
        assert w.council.decision(m)["firstResponsible"] == w.ids[4]  # R-WD-6: the administrator
    finally:
        session_chain.revert_to(snap)


def test_unknown_motion(world: CouncilWorld) -> None:
    err = revert(world.council.motion, 7)
    assert err.error == "UnknownMotion" and err.rule == "none"


# ---------------------------------------------------------------- R-WD-2 threshold


@pytest.mark.parametrize(
    ("category", "yes", "weight", "passed"),
    [
        (Category.STRATEGIC, [S, C], 160, True),  # 100 + 60: exactly the threshold
        (Category.STRATEGIC, [S, K, A], 160, True),  # 100 + 40 + 20
        (Category.STRATEGIC, [D, K, A], 140, False),
        (Category.STRATEGIC, [S], 100, False),  # no member alone can pass
        (Category.DISCIPLINE, [D, C], 160, True),
        (Category.LEGISLATIVE, [C, K, A], 160, True),
        (Category.LIVELIHOOD, [A, C], 160, True),
        (Category.LIVELIHOOD, [A, K], 140, False),
    ],
)
def test_threshold_160(world: CouncilWorld, category: Category, yes: list[Office], weight: int, passed: bool) -> None:
    # R-WD-2: a motion passes when the weight voting yes is >= 160; no and abstain never count as yes
    others = {o: (NO if i % 2 else ABSTAIN) for i, o in enumerate(o for o in CORE_OFFICES if o not in yes)}
    m = world.propose(category)
    v = world.decide(m, {**{o: YES for o in yes}, **others})
    assert v.yes == weight and v.threshold == 160
    assert v.status == (Status.PASSED if passed else Status.REJECTED)
    d = world.council.decision(m)
    assert d["passed"] == passed and d["yesWeight"] == weight and d["threshold"] == 160


# ---------------------------------------------------------------- R-WD-3 classification dispute


def test_dispute_alternative_wins_with_more_than_half_of_strategic(world: CouncilWorld) -> None:
    # R-WD-3: any member disputes within the window naming one alternative; strategic weights; > 150 of 300
    c = world.council
    m = world.propose(Category.STRATEGIC)
    c.dispute(m, Category.LIVELIHOOD, world.key(A), A)  # the administrator (strategic 20) disputes
    assert c.motion(m).phase == Phase.DISPUTE
    c.vote_dispute(m, True, world.key(C), C)  # 20 + 60 = 80
    c.vote_dispute(m, False, world.key(K), K)
    c.vote_dispute(m, True, world.key(D), D)  # 160 > 150: decided at once
    v = c.motion(m)
    assert v.category == Category.LIVELIHOOD and v.weights == [80, 60, 60, 40, 100] and v.status == Status.CLASSIFIED
    (ev,) = c.contract.events.DisputeSettled().get_logs(from_block=0)
    assert ev.args.alternativeWon and ev.args.yesWeight == 160 and ev.args.rowTotal == 300
    err = revert(c.vote_dispute, m, True, world.key(S), S)
    assert err.error == "WrongStatus" and err.rule == "R-WD-7"
    # the lead of the new category (administrator, 100) states the opinion
    world.chain.advance_time(W.classify)
    assert c.lead(m) == A
    assert revert(c.state_opinion, m, keccak(text="op"), world.key(S)).error == "NotLead"
    c.state_opinion(m, keccak(text="op"), world.key(A))


def test_dispute_fails_without_majority_after_its_window(world: CouncilWorld) -> None:
    # R-WD-3: 100 + 40 = 140 is not more than 150: the proposed category stays
    c = world.council
    m = world.propose(Category.STRATEGIC)
    c.dispute(m, Category.CONSULTATIVE, world.key(K), K)
    c.vote_dispute(m, True, world.key(S), S)
    err = revert(c.settle_dispute, m, Staff.RELAYER)
    assert err.error == "DisputeTiming" and err.rule == "R-WD-3"
    assert revert(c.state_opinion, m, keccak(text="op"), world.key(S)).error == "WrongStatus"
    world.chain.advance_time(W.classify)
    assert revert(c.vote_dispute, m, True, world.key(D), D).error == "DisputeTiming"
    c.settle_dispute(m, Staff.RELAYER)
    v = c.motion(m)
    assert v.category == Category.STRATEGIC and v.status == Status.CLASSIFIED and v.phase == Phase.AWAITING_OPINION


def test_dispute_at_exactly_half_loses(session_chain: Chain) -> None:
    # R-WD-3: "more than half": a strategic row of 200 and a yes weight of exactly 100 is not enough
    snap = session_chain.snapshot()
    try:
        data = copy.deepcopy(profiles.load("township").data)
        data["weights"]["strategic"] = [100, 60, 40, 0, 0]
        w = CouncilWorld.build(session_chain, profile=profiles.Profile(data, "test"), code="X-1", name="x", seated=CORE_OFFICES, council=True)
        c = w.council
        m = c.propose(w.proposal(Category.STRATEGIC), Staff.SECRETARIAT)
        c.dispute(m, Category.LIVELIHOOD, w.keys[w.ids[0]], S)  # 100 of 200
        c.vote_dispute(m, False, w.keys[w.ids[2]], C)  # 40 against: 100 can still not exceed 100
        assert c.motion(m).status == Status.DISPUTED
        session_chain.advance_time(W.classify)
        c.settle_dispute(m, Staff.RELAYER)
        assert c.motion(m).category == Category.STRATEGIC
    finally:
        session_chain.revert_to(snap)


def test_dispute_bad_input(world: CouncilWorld) -> None:
    # R-WD-3: only within the window, only members, one alternative different from the category
    c = world.council
    m = world.propose(Category.STRATEGIC)
    err = revert(c.dispute, m, Category.STRATEGIC, world.key(D), D)
    assert err.error == "BadAlternative" and err.rule == "R-WD-3"
    err = revert(c.dispute, m, Category.LIVELIHOOD, world.chain.accounts[Staff.RELAYER], D)
    assert err.error == "NotMember" and err.rule == "R-WD-2"
    b = world.propose(Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=text_id("roads"), year=2025, amount=100)
    assert revert(c.dispute, b, Category.STRATEGIC, world.key(D), D).error == "BadAlternative"  # budgets stay legislative (R-WD-7)
    world.chain.advance_time(W.classify)
    err = revert(c.dispute, m, Category.LIVELIHOOD, world.key(D), D)
    assert err.error == "ClassificationClosed" and err.rule == "R-WD-3"
    assert c.motion(m).status == Status.PROPOSED and c.motion(m).category == Category.STRATEGIC  # unchanged
    c.dispute(m2 := world.propose(Category.STRATEGIC), Category.DISCIPLINE, world.key(D), D)
    assert revert(c.vote_dispute, m2, True, world.key(D), D).error == "AlreadyVotedOnDispute"


# ---------------------------------------------------------------- R-WD-4 lead opinion first


def test_lead_opinion_before_voting(world: CouncilWorld) -> None:
    # R-WD-4: the member with weight 100 states a reasoned opinion (hash) after classification, before voting
    c = world.council
    m = world.propose(Category.DISCIPLINE)
    v = c.seal(m, YES, world.key(S), S)
    assert revert(c.commit, v, world.key(S)).error == "WrongStatus"  # no voting before the opinion
    err = revert(c.state_opinion, m, keccak(text="op"), world.key(D))
    assert err.error == "ClassificationOpen" and err.rule == "R-WD-4"
    world.chain.advance_time(W.classify)
    err = revert(c.state_opinion, m, keccak(text="op"), world.key(S))
    assert err.error == "NotLead" and err.rule == "R-WD-4" and err.args_by_name["lead"] == D
    assert revert(c.state_opinion, m, b"\0" * 32, world.key(D)).error == "EmptyOpinion"
    c.state_opinion(m, keccak(text="the discipline secretary's opinion"), world.key(D))
    (ev,) = c.contract.events.LeadOpinion().get_logs(from_block=0)
    assert ev.args.office == D and ev.args.personId == world.ids[1] and ev.args.opinionHash == keccak(text="the discipline secretary's opinion")
    assert c.motion(m).phase == Phase.VOTING
    assert revert(c.state_opinion, m, keccak(text="again"), world.key(D)).error == "WrongStatus"


def test_silent_lead_cannot_block_the_category(world: CouncilWorld) -> None:
    # issue 17 attack: the weight-100 lead blocks every motion of its category by never stating an opinion.
    # After the profile's opinion window (from the end of classification, or of the dispute's vote) anyone
    # opens the vote; "lead declined to give an opinion" is recorded and the lead still answers (R-WD-6)
    c, chain = world.council, world.chain
    lim = c.limits()
    assert lim == WindowLimits(600, 600, 600, 86400) == WindowLimits(*profiles.load("township").council_limits())
    m = world.propose(Category.STRATEGIC)
    err = revert(c.open_without_opinion, m, Staff.RELAYER)
    assert err.error == "ClassificationOpen"
    chain.advance_time(3600)
    disputed = world.propose(Category.LIVELIHOOD)
    c.dispute(disputed, Category.STRATEGIC, world.key(D))  # won at once: 80 + 60 + 40 > 150
    c.vote_dispute(disputed, True, world.key(C))
    c.vote_dispute(disputed, True, world.key(K))
    assert c.motion(disputed).status == Status.CLASSIFIED
    deadline = c.motion(m).classify_end + lim.opinion
    chain.wait_until(deadline - 1)  # the last second in which only the lead may open the vote: refused
    err = revert(c.open_without_opinion, m, Staff.RELAYER)
    assert err.error == "OpinionPending" and err.rule == "R-WD-4" and err.args_by_name["deadline"] == deadline
    chain.wait_until(deadline)  # the deadline's own second: the simulation passes, then anyone sends it
    c.open_without_opinion(m, Staff.RELAYER)
    (ev,) = c.contract.events.LeadDeclined().get_logs(from_block=0)
    opened = chain.now()
    assert (ev.args.id, ev.args.office, ev.args.personId) == (m, S, world.ids[0]) and opened > deadline - 1
    assert (ev.args.voteEnd, ev.args.revealEnd) == (opened + W.vote, opened + W.vote + W.reveal)
    v = c.motion(m)
    assert v.lead_declined and v.phase == Phase.VOTING and not c.motion(disputed).lead_declined
    assert revert(c.state_opinion, m, keccak(text="too late"), world.key(S)).error == "WrongStatus"
    assert revert(c.open_without_opinion, m, Staff.RELAYER).error == "WrongStatus"
    # the vote runs as usual; the silent secretary voted no, the motion passed: he is first responsible for life
    votes = world.cast(m, {S: NO, D: YES, C: YES, K: YES, A: ABSTAIN})
    c.reveal(votes, Staff.RELAYER)
    v = c.close(m, Staff.RELAYER)
    assert v.status == Status.PASSED and v.lead_declined and c.decision(m)["firstResponsible"] == world.ids[0]
    # after a dispute the silence runs from the end of the dispute's vote window
    d_deadline = int(chain.call(c.contract.functions.disputeOf(disputed))[1]) + lim.opinion  # Dispute.endsAt
    chain.wait_until(d_deadline - 1)
    err = revert(c.open_without_opinion, disputed, Staff.RELAYER)
    assert err.error == "OpinionPending" and err.args_by_name["deadline"] == d_deadline
    chain.wait_until(d_deadline)
    c.open_without_opinion(disputed, Staff.RELAYER)
    v = c.motion(disputed)
    assert v.lead_declined and v.category == Category.STRATEGIC and v.vote_end == chain.now() + W.vote


def test_windows_below_the_profile_minimum_are_refused(world: CouncilWorld) -> None:
    # issue 17 attack: the secretariat sets a 60-second classification window, so nobody can dispute the
    # category; every window has the profile's minimum (township: 600 s each), edges exact and one short
    c = world.council
    lim = c.limits()
    for which, windows in enumerate([Windows(60, 3600, 3600), Windows(599, 600, 600), Windows(600, 599, 600), Windows(600, 600, 599)]):
        err = revert(c.propose, world.proposal(windows=windows), Staff.SECRETARIAT)
        assert err.error == "WindowOutOfBounds" and err.rule == "R-WD-5"
        assert err.args_by_name["which"] == max(which - 1, 0) and err.args_by_name["min"] == 600
    assert err.args_by_name["given"] == lim.reveal - 1
    m = world.propose(windows=Windows(lim.classify, lim.vote, lim.reveal))  # exactly the minimum
    assert c.motion(m).classify_end == c.motion(m).opened_at + 600


def test_lead_is_the_top_seated_weight_when_the_lead_seat_is_vacant(world: CouncilWorld) -> None:
    # R-WD-4, R-WD-6, R-TC-3 [decision]: with the administrator's seat vacant, the secretary (80) leads livelihood
    world.vacate(A)
    m = world.propose(Category.LIVELIHOOD)
    v = world.decide(m, {S: YES, D: YES, C: NO})
    assert v.lead == S and v.members[4] is None and v.weights[4] == 100
    assert v.yes == 140 and v.status == Status.REJECTED  # R-TC-3: the threshold stays 160
    m = world.propose(Category.LIVELIHOOD)
    v = world.decide(m, {S: YES, D: YES, C: YES})
    assert v.status == Status.PASSED and v.first_responsible == world.ids[0]


# ---------------------------------------------------------------- R-WD-5 sealed votes


def test_votes_sealed_until_everyone_voted_or_the_window_closed(world: CouncilWorld) -> None:
    # R-WD-5: nobody sees a vote before voting ends; only commitments are on chain until then
    c = world.council
    m = world.propose(Category.STRATEGIC)
    world.open_vote(m)
    votes = world.cast(m, {S: YES, D: NO, C: YES, K: ABSTAIN})
    (ev, *_) = c.contract.events.VoteSealed().get_logs(from_block=0)
    assert set(ev.args.keys()) == {"id", "office", "commitment"}  # no position in the sealed vote
    assert c.motion(m).positions == [Position.NONE] * 5 and c.motion(m).yes == 0
    err = revert(c.reveal, votes[:1], Staff.RELAYER)
    assert err.error == "VotesStillSealed" and err.rule == "R-WD-5"
    err = revert(c.close, m, Staff.RELAYER)
    assert err.error == "VotesStillSealed"
    # the last member votes: every seated member has voted, reveals open at once
    votes += world.cast(m, {A: NO})
    c.reveal(votes[:2], Staff.RELAYER)
    (u,) = c.contract.events.VotesUnsealed().get_logs(from_block=0)
    assert u.args.id == m
    assert revert(c.close, m, Staff.RELAYER).error == "RevealStillOpen"  # sealed votes still unopened
    c.reveal(votes[2:], Staff.RELAYER)
    v = c.close(m, Staff.RELAYER)
    assert v.positions == [YES, NO, YES, ABSTAIN, NO] and v.yes == 160 and v.no == 100 and v.abstain == 40
    assert v.status == Status.PASSED


def test_member_who_never_reveals_does_not_count_as_yes(world: CouncilWorld) -> None:
    # R-WD-5: the secretary votes but never reveals: 80 + 60 = 140 < 160
    m = world.propose(Category.STRATEGIC)
    v = world.decide(m, {S: YES, D: YES, C: YES}, reveal=[D, C])
    assert v.yes == 140 and v.status == Status.REJECTED and v.positions[0] == Position.NONE
    assert world.council.sealed_vote(m, S) == (True, False)
    assert world.council.decision(m)["firstResponsible"] == b"\0" * 32


def test_vote_bad_input_leaves_state_unchanged(world: CouncilWorld) -> None:
    # R-WD-5, R-WD-2, R-TC-3: non-member, vacant seat, double vote, reveal mismatch, late vote and reveal
    c, chain = world.council, world.chain
    world.vacate(K)
    m = world.propose(Category.STRATEGIC)
    world.open_vote(m)
    v = c.seal(m, YES, world.key(S), S)
    err = revert(c.commit, v, chain.accounts[Staff.RELAYER])
    assert err.error == "NotMember" and err.rule == "R-WD-2"
    err = revert(c.commit, c.seal(m, YES, world.key(S), K), world.key(S))
    assert err.error == "SeatVacant" and err.rule == "R-TC-3"
    # a person seated after voting opened has no vote on this motion
    world.seat(K, world.ids[7])
    err = revert(c.commit, c.seal(m, YES, world.keys[world.ids[7]], K), world.keys[world.ids[7]])
    assert err.error == "NotOnRoster" and err.rule == "R-TC-3"
    c.commit(v, world.key(S))
    err = revert(c.commit, c.seal(m, NO, world.key(S), S), world.key(S))
    assert err.error == "AlreadyVoted" and err.rule == "R-WD-5"
    assert c.sealed_vote(m, S) == (True, False)
    c.wait_for_vote_end(m)
    err = revert(c.commit, c.seal(m, YES, world.key(D), D), world.key(D))
    assert err.error == "VotingClosed"
    from dataclasses import replace

    err = revert(c.reveal, [replace(v, position=NO)], Staff.RELAYER)
    assert err.error == "RevealMismatch" and err.rule == "R-WD-5"
    err = revert(c.reveal, [c.seal(m, YES, world.key(D), D)], Staff.RELAYER)
    assert err.error == "NotCommitted"
    assert c.motion(m).positions == [Position.NONE] * 5
    c.reveal([v], Staff.RELAYER)
    assert revert(c.reveal, [v], Staff.RELAYER).error == "AlreadyRevealed"
    c.wait_for_reveal_end(m)
    late = c.seal(m, YES, world.key(C), C)
    assert revert(c.reveal, [late], Staff.RELAYER).error == "RevealClosed"
    assert c.close(m, Staff.RELAYER).yes == 100


def test_member_removed_after_voting_loses_the_vote(world: CouncilWorld) -> None:
    # R-TC-3: a seat that became vacant (or changed hands) before the reveal cannot vote
    c = world.council
    m = world.propose(Category.STRATEGIC)
    world.open_vote(m)
    votes = world.cast(m, {S: YES, D: YES, C: YES})
    world.vacate(D)
    c.wait_for_vote_end(m)
    err = revert(c.reveal, [votes[1]], Staff.RELAYER)
    assert err.error == "SeatVacant" and err.rule == "R-TC-3"
    c.reveal([votes[0], votes[2]], Staff.RELAYER)
    c.wait_for_reveal_end(m)
    assert c.close(m, Staff.RELAYER).yes == 160


def test_key_rotation_keeps_a_member_voting(world: CouncilWorld) -> None:
    # members act with their current key (PersonRegistry.keyOf)
    from eth_account import Account

    c = world.council
    m = world.propose(Category.STRATEGIC)
    world.open_vote(m)
    old = world.key(S)
    new = Account.create()
    world.chain.transact(world.persons.functions.rotateKey(world.ids[0], new.address), old)  # by the old key (issue 17)
    world.chain.fund(new.address, 10**18)
    assert revert(c.commit, c.seal(m, YES, old, S), old).error == "NotMember"
    c.commit(c.seal(m, YES, new, S), new)
    assert c.sealed_vote(m, S) == (True, False)


# ---------------------------------------------------------------- R-WD-6 first responsible person


def test_first_responsible_person_recorded_for_life(world: CouncilWorld) -> None:
    # R-WD-6: the member with weight 100 in the category; stays recorded after they leave office
    m = world.propose(Category.LEGISLATIVE)
    v = world.decide(m, {C: YES, S: YES})
    assert v.status == Status.PASSED and v.first_responsible == world.ids[2]
    (ev,) = world.council.contract.events.MotionDecided().get_logs(from_block=0)
    assert ev.args.firstResponsible == world.ids[2]
    world.vacate(C)
    world.seat(C, world.ids[8])
    assert world.council.decision(m)["firstResponsible"] == world.ids[2]
    members, weights, votes = world.chain.call(world.council.contract.functions.positions(m))
    assert members[2] == world.ids[2] and list(weights) == [80, 60, 100, 40, 20] and list(votes) == [1, 0, 1, 0, 0]


# ---------------------------------------------------------------- R-WD-7 four boundaries


def test_basis_and_plan_are_recorded(world: CouncilWorld) -> None:
    # R-WD-7: every motion states its basis (hash references) and the plan it serves
    c = world.council
    m = world.propose(Category.STRATEGIC)
    (ev,) = c.contract.events.MotionProposed().get_logs(from_block=0)
    assert list(ev.args.basisRefs) == BASIS and ev.args.planId == PLAN
    assert c.motion(m).basis_hash == basis_hash(BASIS, PLAN)
    bad = Proposal(Category.STRATEGIC, keccak(text="x"), [], PLAN, windows=W)
    err = revert(c.propose, bad, Staff.SECRETARIAT)
    assert err.error == "MissingBasis" and err.rule == "R-WD-7"
    err = revert(c.propose, Proposal(Category.STRATEGIC, keccak(text="x"), BASIS, b"\0" * 32, windows=W), Staff.SECRETARIAT)
    assert err.error == "MissingBasis"
    err = revert(c.propose, world.proposal(), world.key(S))
    assert err.error == "JurisdictionRoleRequired" and err.rule == "none"  # the secretariat proposes
    err = revert(c.propose, world.proposal(windows=Windows(10, 3600, 3600)), Staff.SECRETARIAT)
    assert err.error == "WindowOutOfBounds" and err.args_by_name["which"] == 0
    assert c.motion_count() == 1


def test_budget_lines_and_spending(world: CouncilWorld) -> None:
    # R-WD-7: budgets are legislative motions; spending states line and amount and cannot pass beyond what remains
    c = world.council
    roads = text_id("2025 镇村道路")
    err = revert(world.propose, Category.LIVELIHOOD, kind=Kind.BUDGET, budget_line=roads, year=2025, amount=1000)
    assert err.error == "BudgetNotLegislative" and err.rule == "R-WD-7"
    err = revert(world.propose, Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=roads, amount=10)
    assert err.error == "UnknownBudgetLine"
    b = world.propose(Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=roads, year=2025, amount=1000)
    err = revert(world.propose, Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=roads, amount=10)
    assert err.error == "OverBudget" and err.args_by_name == {"budgetLine": roads, "amount": 10, "remaining": 0}
    err = revert(world.propose, Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=roads, year=2026, amount=5)
    assert err.error == "LineYearMismatch"
    assert world.decide(b, {C: YES, S: YES}).status == Status.PASSED
    assert c.budget_lines() == [{"line": roads, "year": 2025, "approved": 1000, "spent": 0, "remaining": 1000}]
    s1 = world.propose(Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=roads, amount=700)
    s2 = world.propose(Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=roads, amount=400)  # fits now: 400 <= 1000
    err = revert(world.propose, Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=roads, amount=1001)
    assert err.error == "OverBudget" and err.args_by_name["remaining"] == 1000
    assert world.decide(s1, all_yes()).status == Status.PASSED
    # s2 has the votes but only 300 remain: it cannot pass (recorded as rejected, over budget)
    v = world.decide(s2, all_yes())
    assert v.status == Status.REJECTED and v.over_budget and v.yes == 340
    assert c.budget_lines()[0]["spent"] == 700 and c.budget_lines()[0]["remaining"] == 300
    d = c.decision(s1)
    assert d["budgetLine"] == roads and d["amount"] == 700
    # a supplementary budget for the same line adds to it
    b2 = world.propose(Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=roads, year=2025, amount=500)
    world.decide(b2, {C: YES, S: YES})
    assert c.budget_lines()[0]["approved"] == 1500


def test_procedure_is_the_state_machine(world: CouncilWorld) -> None:
    # R-WD-7: steps out of order are refused; withdrawal only before voting
    c = world.council
    m = world.propose(Category.STRATEGIC)
    assert revert(c.close, m, Staff.RELAYER).error == "WrongStatus"
    err = revert(c.decision, m)
    assert err.error == "NotDecided" and err.rule == "R-WD-6"
    assert revert(c.withdraw, m, Staff.RELAYER).error == "JurisdictionRoleRequired"
    c.withdraw(m, Staff.SECRETARIAT)
    assert c.motion(m).status == Status.WITHDRAWN
    world.chain.advance_time(W.classify)
    assert revert(c.state_opinion, m, keccak(text="op"), world.key(S)).error == "WrongStatus"
    m2 = world.propose(Category.STRATEGIC)
    world.open_vote(m2)
    assert revert(c.withdraw, m2, Staff.SECRETARIAT).error == "WrongStatus"


def test_ring_of_open_motions(world: CouncilWorld) -> None:
    # R-WD-7 [decision]: at most RING motions undecided at once (sealed votes reuse RING slots)
    c, chain = world.council, world.chain
    ring = int(world.chain.call(c.contract.functions.RING()))
    chain.advance_time(86400)  # a day after the seating the platform fails for an hour (issue 17, below)
    start, end = chain.now() - 7200, chain.now() - 3600
    reason = keccak(text="outage")
    outage = c.record_outage(reason, start, end, [(o, c.outage_signature(world.key(o), reason, start, end)) for o in (S, D)], Staff.RELAYER)
    first = world.propose(Category.STRATEGIC)
    world.open_vote(first)
    world.cast(first, {S: YES})
    for _ in range(ring - 1):
        world.propose(Category.STRATEGIC)
    err = revert(world.propose, Category.STRATEGIC)
    assert err.error == "TooManyOpenMotions" and err.args_by_name["undecided"] == first
    # issue 17 attack: a back-filled paper decision would take the slot of the motion still being voted on (two
    # open motions sharing a slot, a member voting twice); paper decisions honour the ring like proposals
    mins = Minutes(Category.STRATEGIC, keccak(text="paper"), BASIS, PLAN, keccak(text="opinion"), start, {S: YES, D: YES, C: YES}, keccak(text="minutes"))
    err = revert(c.backfill, mins, outage, {o: c.sign_minutes(mins, world.key(o)) for o in mins.votes}, Staff.RELAYER)
    assert err.error == "TooManyOpenMotions" and err.args_by_name["undecided"] == first
    assert c.motion_count() == ring and c.sealed_vote(first, S) == (True, False)  # the open vote keeps its slot
    assert revert(world.cast, first, {S: NO}).error == "AlreadyVoted"  # and nobody votes twice in it
    chain.advance_time(W.vote + W.reveal)
    assert c.close(first, Staff.RELAYER).status == Status.REJECTED  # S never revealed; the slot is free again
    c.withdraw(2, Staff.SECRETARIAT)
    assert c.backfill(mins, outage, {o: c.sign_minutes(mins, world.key(o)) for o in mins.votes}, Staff.RELAYER) == ring + 1
    nxt = world.propose(Category.STRATEGIC)
    assert nxt == ring + 2  # ids run from 1
    # the reused ring slots start clean for the new motion
    assert world.decide(nxt, {S: YES, C: YES}).status == Status.PASSED


# ---------------------------------------------------------------- the decision record (ICouncilDecisions)


def test_decision_record_for_the_evidence_ledger(world: CouncilWorld) -> None:
    # R-DOC-2 inputs: motion id, category, weighted result, per-member positions, first responsible person
    m = world.propose(Category.CONSULTATIVE)
    v = world.decide(m, {K: YES, S: YES, D: NO})
    d = world.council.decision(m)
    assert d == {
        "category": int(Category.CONSULTATIVE),
        "passed": True,
        "backfilled": False,
        "yesWeight": 180,
        "threshold": 160,
        "decidedAt": v.decided_at,
        "firstResponsible": world.ids[3],
        "budgetLine": b"\0" * 32,
        "amount": 0,
        "basisHash": basis_hash(BASIS, PLAN),
    }
    members, weights, votes = world.chain.call(world.council.contract.functions.positions(m))
    assert list(members) == world.ids[:5] and list(weights) == [80, 60, 40, 100, 20] and list(votes) == [1, 2, 0, 1, 0]
