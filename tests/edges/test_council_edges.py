"""Council edges (issue 20), on the contract, one world for the module: the threshold at exactly 160
and at 159 (R-WD-2), a spending motion for exactly the remaining budget and for one more (R-WD-7), the
dispute's "more than half" at exactly half from both sides (R-WD-3), the lead's tie broken by
precedence (R-WD-6), the motion ring with a motion still in its vote, a row summing exactly to
the threshold (R-WD-2), windows of exactly `MAX_WINDOW` and one second more (R-WD-5), the
constructor's window limits at 0, 1, `MAX_WINDOW` and one more (R-WD-5), an outage ending in the
very second it is recorded, an outage of one second and of none, and an emergency seal use recorded in
its own second (R-WD-8). The world's strategic row [100, 59, 60, 40, 21] (total 280) makes 159, 160 and
exactly half (140) reachable; its discipline row [100, 100, 60, 40, 20] ties two offices at the top."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from eth_utils import keccak

from chain_kit import revert, snapshot_world
from council_kit import CouncilWorld, all_yes
from edge_kit import send_at
from zhili import profiles
from zhili.core.chain import Chain, ContractRevert
from zhili.council.client import CouncilClient, Kind, Position, Status, WindowLimits, Windows, seal_use_signature, text_id
from zhili.jurisdiction import registry
from zhili.testing import Staff
from zhili.types import CORE_OFFICES, Category, Office

S, D, C, K, A = CORE_OFFICES
YES, NO = Position.YES, Position.NO
STRATEGIC = [100, 59, 60, 40, 21]
DISCIPLINE = [100, 100, 60, 40, 20]


def _build(chain: Chain) -> CouncilWorld:
    data = copy.deepcopy(profiles.load("township").data)
    data["weights"]["strategic"] = STRATEGIC
    data["weights"]["discipline"] = DISCIPLINE
    return CouncilWorld.build(chain, profile=profiles.Profile(data, "edges"), code="EDGE-1", name="edges", seated=CORE_OFFICES, council=True)


@pytest.fixture
def world(session_chain: Chain) -> Iterator[CouncilWorld]:
    yield from snapshot_world(session_chain, "edges-council", _build)


def test_yes_weight_exactly_160_passes_159_fails(world: CouncilWorld) -> None:
    # R-WD-2: 100 + 59 = 159 fails, 100 + 60 = 160 passes; the record carries the weight and the threshold
    m159 = world.propose(Category.STRATEGIC)
    v = world.decide(m159, {S: YES, D: YES, C: NO})
    assert (v.yes, v.status) == (159, Status.REJECTED)
    m160 = world.propose(Category.STRATEGIC)
    v = world.decide(m160, {S: YES, C: YES, D: NO})
    assert (v.yes, v.status) == (160, Status.PASSED)
    d = world.council.decision(m160)
    assert d["passed"] and d["yesWeight"] == 160 and d["threshold"] == 160
    assert not world.council.decision(m159)["passed"]


def test_spending_exactly_the_remaining_budget_passes_one_over_refused(world: CouncilWorld) -> None:
    # R-WD-7: the amount must fit what remains: exactly the remainder passes (at proposal and at the
    # decision), one more is refused at proposal and cannot pass at the decision
    c = world.council
    line = text_id("edges line")
    b = world.propose(Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=line, year=2026, amount=1000)
    assert world.decide(b, {C: YES, S: YES}).status == Status.PASSED
    s1 = world.propose(Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line, amount=700)
    s2 = world.propose(Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line, amount=301)  # fits now, not after s1
    assert world.decide(s1, all_yes()).status == Status.PASSED
    v = world.decide(s2, all_yes())
    assert v.status == Status.REJECTED and v.over_budget  # 301 > 300 remaining
    err = revert(world.propose, Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line, amount=301)
    assert err.error == "OverBudget" and err.rule == "R-WD-7" and err.args_by_name == {"budgetLine": line, "amount": 301, "remaining": 300}
    s3 = world.propose(Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line, amount=300)  # exactly what remains
    v = world.decide(s3, all_yes())
    assert v.status == Status.PASSED and not v.over_budget
    assert c.budget_lines() == [{"line": line, "year": 2026, "approved": 1000, "spent": 1000, "remaining": 0}]


def test_dispute_at_exactly_half_from_both_sides(world: CouncilWorld) -> None:
    # R-WD-3: the alternative needs more than half of the strategic row (280): 140 yes is not enough,
    # 180 is; 140 against settles it at once for the proposed category
    c = world.council
    m = world.propose(Category.STRATEGIC)
    c.dispute(m, Category.LIVELIHOOD, world.key(A), A)  # 21
    c.vote_dispute(m, True, world.key(D), D)  # 80
    c.vote_dispute(m, True, world.key(C), C)  # 140: exactly half
    assert c.motion(m).status == Status.DISPUTED
    c.vote_dispute(m, True, world.key(K), K)  # 180
    v = c.motion(m)
    assert v.status == Status.CLASSIFIED and v.category == Category.LIVELIHOOD
    m2 = world.propose(Category.STRATEGIC)
    c.dispute(m2, Category.LIVELIHOOD, world.key(A), A)
    c.vote_dispute(m2, False, world.key(S), S)  # 100 against: the alternative can still win
    assert c.motion(m2).status == Status.DISPUTED
    c.vote_dispute(m2, False, world.key(K), K)  # 140 against: exactly half, it cannot
    v = c.motion(m2)
    assert v.status == Status.CLASSIFIED and v.category == Category.STRATEGIC


def test_lead_tie_goes_to_the_earlier_office(world: CouncilWorld) -> None:
    # R-WD-6 (R-WD-4): two offices share the top weight (100): precedence order puts the secretary first
    m = world.propose(Category.DISCIPLINE)
    assert world.council.lead(m) == S


def test_ring_refuses_reusing_a_motion_still_in_its_vote(world: CouncilWorld) -> None:
    # the motion ring: motion RING + 1 reuses motion 1's slots, so it is refused while motion 1 is voting
    c = world.council
    ring = int(world.chain.call(c.contract.functions.RING()))
    first = world.propose(Category.STRATEGIC)
    world.open_vote(first)
    assert c.motion(first).status == Status.VOTING
    for _ in range(ring - 1):
        world.propose(Category.LIVELIHOOD)
    err = revert(world.propose, Category.LIVELIHOOD)
    assert err.error == "TooManyOpenMotions" and err.args_by_name["undecided"] == first


def test_window_of_exactly_the_maximum_accepted_one_second_more_refused(world: CouncilWorld) -> None:
    # R-WD-5 (issue 17): each window lies between the profile's minimum and MAX_WINDOW (90 days):
    # exactly 90 days is accepted for every window, one second more is refused for each
    c = world.council
    top = int(world.chain.call(c.contract.functions.MAX_WINDOW()))
    assert top == 90 * 86400
    for which, windows in enumerate([Windows(top + 1, 600, 600), Windows(600, top + 1, 600), Windows(600, 600, top + 1)]):
        err = revert(c.propose, world.proposal(windows=windows), Staff.SECRETARIAT)
        assert err.error == "WindowOutOfBounds" and err.rule == "R-WD-5"
        assert (err.args_by_name["which"], err.args_by_name["given"], err.args_by_name["max"]) == (which, top + 1, top)
    m = world.propose(windows=Windows(top, top, top))
    assert c.motion(m).classify_end == c.motion(m).opened_at + top


def test_row_summing_exactly_to_the_threshold_is_accepted(chain: Chain) -> None:
    # R-WD-2: a row whose total is exactly the threshold can still pass a motion; one less cannot
    data = copy.deepcopy(profiles.load("township").data)
    data["weights"]["strategic"] = [50, 40, 30, 20, 20]
    registry.deploy_jurisdiction(chain, profiles.Profile(data, "edges"), "EDGE-2", "x")
    data["weights"]["strategic"] = [50, 40, 30, 20, 19]
    with pytest.raises(ContractRevert) as e:
        registry.deploy_jurisdiction(chain, profiles.Profile(data, "edges"), "EDGE-3", "x")
    assert e.value.error == "ThresholdUnreachable" and e.value.rule == "R-WD-2" and e.value.args_by_name["rowTotal"] == 159


def test_constructor_limits_of_one_second_and_of_the_maximum_accepted_zero_and_one_more_refused(world: CouncilWorld) -> None:
    # R-WD-5: each of the four profile limits (classification, vote, reveal, the lead's opinion) lies in
    # 1 … MAX_WINDOW: 0 and MAX_WINDOW + 1 are refused for each, with the limit's index; 1 and exactly
    # MAX_WINDOW are accepted for each
    chain, c = world.chain, world.council
    top = int(chain.call(c.contract.functions.MAX_WINDOW()))
    args = (world.jurisdiction.address, world.persons.address)
    admin = chain.account(Staff.ADMIN).address
    for which in range(4):
        for bad in (0, top + 1):
            limits = [600] * 4
            limits[which] = bad
            with pytest.raises(ContractRevert) as e:
                chain.call_constructor("Council", *args, tuple(limits), sender=admin)
            err = e.value
            assert err.error == "WindowOutOfBounds" and err.rule == "R-WD-5"
            assert err.args_by_name == {"which": which, "given": bad, "min": 1, "max": top}
        for good in (1, top):
            limits = [600] * 4
            limits[which] = good
            chain.call_constructor("Council", *args, tuple(limits), sender=admin)  # no refusal
    deployed = CouncilClient.deploy(chain, world.jurisdiction, world.persons, admin=Staff.ADMIN, limits=WindowLimits(1, top, 1, top))
    assert deployed.limits() == WindowLimits(1, top, 1, top)


def test_outage_ending_in_the_second_it_is_recorded_accepted_one_second_later_refused(world: CouncilWorld) -> None:
    # R-WD-8: an outage may be recorded once it is over: one ending in the very second of the recording
    # (mined in that second, edge_kit.send_at) is accepted; one ending a second after the contract's
    # clock is refused with BadOutage, whose `now_` shows the second the contract saw
    chain, c = world.chain, world.council
    reason = keccak(text="edge outage")
    chain.advance_time(3600)
    start = chain.now() - 600

    def record(end: int) -> object:
        sigs = [c.outage_signature(world.key(o), reason, start, end) for o in (S, D)]
        return c.minutes.functions.recordOutage(reason, start, end, [int(S), int(D)], sigs)

    ts = chain.now() + 5
    snap = chain.snapshot()
    assert send_at(chain, record(ts + 1), Staff.RELAYER, ts)["status"] == 0  # ends a second after the block's time
    assert c.outages() == []
    chain.revert_to(snap)
    assert send_at(chain, record(ts), Staff.RELAYER, ts)["status"] == 1  # ends in the block's own second
    assert c.outages() == [(start, ts)]
    # the refusal named: the simulation's second is the contract's `now_`; one second past it is refused
    seen = revert(c.record_outage, reason, start, 2**40, [(S, b""), (D, b"")], Staff.RELAYER).args_by_name["now_"]
    err = revert(c.record_outage, reason, start, seen + 1, [(o, c.outage_signature(world.key(o), reason, start, seen + 1)) for o in (S, D)], Staff.RELAYER)
    assert err.error == "BadOutage" and err.rule == "R-WD-8"
    assert err.args_by_name == {"startedAt": start, "endedAt": seen + 1, "now_": seen}


def test_outage_of_one_second_accepted_of_none_refused_and_a_seal_use_in_its_own_second(world: CouncilWorld) -> None:
    # R-WD-8: an outage lasts at least a second (startedAt < endedAt): [t, t + 1] is recorded, [t, t] is
    # refused with BadOutage; an emergency seal use is not in the future in the second it is recorded
    # (mined in that second, edge_kit.send_at), one a second later is (MeetingInFuture, the contract's clock)
    chain, c = world.chain, world.council
    reason = keccak(text="edge outage of one second")
    chain.advance_time(3600)
    t = chain.now() - 600

    def signed(s: int, e: int) -> list[tuple[Office, bytes]]:
        return [(o, c.outage_signature(world.key(o), reason, s, e)) for o in (S, D)]

    err = revert(c.record_outage, reason, t, t, signed(t, t), Staff.RELAYER)
    assert err.error == "BadOutage" and err.rule == "R-WD-8" and (err.args_by_name["startedAt"], err.args_by_name["endedAt"]) == (t, t)
    index = c.record_outage(reason, t, t + 1, signed(t, t + 1), Staff.RELAYER)
    assert c.outages()[index] == (t, t + 1)
    purpose = keccak(text="edge seal use")

    def seal(at: int) -> object:
        sigs = [seal_use_signature(world.key(o), c.minutes.address, chain.chain_id, purpose, at) for o in (S, A)]
        return c.minutes.functions.recordSealUse(purpose, at, [int(S), int(A)], sigs)

    ts = chain.now() + 5
    snap = chain.snapshot()
    assert send_at(chain, seal(ts + 1), Staff.RELAYER, ts)["status"] == 0  # a second after the block's time
    chain.revert_to(snap)
    assert send_at(chain, seal(ts), Staff.RELAYER, ts)["status"] == 1  # in the block's own second
    (ev,) = c.minutes.events.SealUseRecorded().get_logs(from_block=chain.w3.eth.block_number)
    assert ev.args.usedAt == ts
    seen = revert(c.record_seal_use, purpose, 2**40, [(S, b""), (A, b"")], Staff.RELAYER).args_by_name["now_"]
    err = revert(c.record_seal_use, purpose, seen + 1, [(o, seal_use_signature(world.key(o), c.minutes.address, chain.chain_id, purpose, seen + 1)) for o in (S, A)], Staff.RELAYER)
    assert err.error == "MeetingInFuture" and err.rule == "R-WD-8"
    assert (err.args_by_name["time"], err.args_by_name["now_"]) == (seen + 1, seen)
