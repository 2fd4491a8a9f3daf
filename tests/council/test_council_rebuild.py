"""Rebuild from events: ``Council``, ``CouncilMinutes`` and ``TeamCompletion`` folded from their logs
equal what their views say, after a history that touches every kind of state (both chains).

The bundled scenarios' councils are compared in ``tests/scenario/test_scenario.py (test_rebuild_bundled_scenarios_from_logs)``; here the council kit drives
what the scenarios do not: disputes won and lost, withdrawals, over-budget spending, open and unsealed
votes, back-filled minutes, emergency seal uses, and every kind of appointment.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from eth_utils import keccak

from council_kit import BASIS, PLAN, CouncilWorld, ElectedCouncilWorld, all_yes, build_council_world, build_elected_council_world
from zhili import rebuild
from zhili.core.chain import Chain
from zhili.council import rebuild as cr
from zhili.council.client import Kind, Minutes, Phase, Position, Status, seal_use_signature, text_id
from zhili.council.team import Body, Step
from zhili.testing import Staff
from zhili.types import CORE_OFFICES, Category, Role

S, D, C, K, A = CORE_OFFICES
YES, NO, ABSTAIN = Position.YES, Position.NO, Position.ABSTAIN
PARTY, PEOPLE = Body.PARTY_CONGRESS, Body.PEOPLES_CONGRESS


@dataclass
class History:
    world: ElectedCouncilWorld
    start: int  # first block of the world
    block: int  # the block the comparison is made at
    now: int  # its timestamp
    motions: dict[str, int]


def _now(chain: Chain) -> int:
    return int(chain.w3.eth.get_block("latest")["timestamp"])


def _paper(world: CouncilWorld, votes: dict[Any, Position], tag: str, **kw: Any) -> Minutes:
    kw.setdefault("category", Category.STRATEGIC)
    return Minutes(
        content_hash=keccak(text=f"paper {tag}"), basis_refs=BASIS, plan_id=PLAN, lead_opinion=keccak(text=f"opinion {tag}"),
        meeting_time=_now(world.chain) - 300, votes=votes, minutes_hash=keccak(text=f"minutes {tag}"), **kw,
    )  # fmt: skip


def _backfill(world: CouncilWorld, mins: Minutes, outage: int = 0) -> int:
    sigs = {o: world.council.sign_minutes(mins, world.key(o)) for o in mins.votes}
    return world.council.backfill(mins, outage, sigs, Staff.RELAYER)


def _drive(w: ElectedCouncilWorld) -> dict[str, int]:
    """Every kind of council, minutes and team state; returns motion ids by name."""
    c, t, chain = w.council, w.team, w.chain
    m: dict[str, int] = {}
    line, line2 = text_id("2025 道路"), text_id("2025 应急")
    # R-WD-2, R-WD-6: passed with the secretary first responsible; R-WD-7: a budget, spending within it, and
    # a spending over what remains by the time it closes (rejected, flagged)
    m["general"] = w.propose(Category.STRATEGIC)
    w.decide(m["general"], all_yes())
    m["budget"] = w.propose(Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=line, year=2025, amount=1000)
    w.decide(m["budget"], {S: YES, D: NO, C: YES, K: ABSTAIN, A: YES})
    m["spend"] = w.propose(Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line, amount=700)
    m["overspend"] = w.propose(Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line, amount=400)
    w.decide(m["spend"], all_yes())
    assert w.decide(m["overspend"], all_yes()).over_budget
    # R-WD-3: a dispute won at once by the strategic row, and one lost by settlement after its vote
    m["disputed"] = w.propose(Category.STRATEGIC)
    c.dispute(m["disputed"], Category.DISCIPLINE, w.key(D))
    c.vote_dispute(m["disputed"], True, w.key(C))
    c.vote_dispute(m["disputed"], True, w.key(K))  # 80 + 60 + 40 = 180 > 150: settled, discipline row
    w.decide(m["disputed"], {D: YES, S: YES, C: NO, K: YES}, reveal=[D, S, C])  # K never reveals (R-WD-5)
    m["dispute_lost"] = w.propose(Category.LIVELIHOOD)
    c.dispute(m["dispute_lost"], Category.CONSULTATIVE, w.key(K))
    c.vote_dispute(m["dispute_lost"], False, w.key(A))
    c.wait_until(c.motion(m["dispute_lost"]).opened_at + 2 * 600)
    c.settle_dispute(m["dispute_lost"], Staff.RELAYER)  # classified, awaiting the lead opinion
    m["withdrawn"] = w.propose(Category.CONSULTATIVE)
    c.withdraw(m["withdrawn"], Staff.SECRETARIAT)
    # R-WD-8: an outage (two signatures), paper decisions in it (a general one, a budget on a new line, a spending
    # from it, a failed one) and two seal uses
    started = _now(chain) - 600
    c.record_outage(keccak(text="outage"), started, started + 599, [(o, c.outage_signature(w.key(o), keccak(text="outage"), started, started + 599)) for o in (S, A)], Staff.RELAYER)
    m["paper"] = _backfill(w, _paper(w, {S: YES, D: YES, C: NO, K: ABSTAIN}, "general"))
    budget = _paper(w, {C: YES, S: YES, D: ABSTAIN}, "budget", category=Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=line2, year=2025, amount=500)
    m["paper_budget"] = _backfill(w, budget)
    spend = _paper(w, {A: YES, S: YES, D: ABSTAIN}, "spend", category=Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line2, amount=300)
    m["paper_spend"] = _backfill(w, spend)
    m["paper_failed"] = _backfill(w, _paper(w, {K: YES, A: YES, C: NO}, "failed"))  # 60 < 160: recorded as rejected
    for i, (o1, o2) in enumerate([(S, A), (D, C)]):
        purpose, used = keccak(text=f"seal use {i}"), _now(chain) - 3600 * (i + 1)
        sig = lambda o: seal_use_signature(w.key(o), c.minutes.address, chain.chain_id, purpose, used)  # noqa: E731
        c.record_seal_use(purpose, used, [(o1, sig(o1)), (o2, sig(o2))], Staff.RELAYER)
    # R-TC-1: a committee member appointed by both congresses after a contested party poll (its rival refused);
    # one refused by the people's congress; one whose vote failed; one blacklisted before seating (all polls of
    # the election's rolls: 7 delegates, 6 deputies)
    e = w.elected
    aid, m["nominate"] = t.nominate(w.proposal(Category.STRATEGIC), w.ids[6], Staff.SECRETARIAT, post=text_id("组织委员"))
    w.decide(m["nominate"], {S: YES, C: YES, D: NO})
    t.settle_nomination(aid, Staff.RELAYER)
    rival, m["nominate_rival"] = t.nominate(w.proposal(Category.STRATEGIC), w.ids[5], Staff.SECRETARIAT, post=text_id("组织委员"))
    w.decide(m["nominate_rival"], {S: YES, C: YES, D: YES})
    t.settle_nomination(rival, Staff.RELAYER)
    t.run_confirmation(e, PARTY, [aid, rival], [0, 0, 0, 0, 1, 1, None], Staff.AUTHORITY, Staff.RELAYER)
    t.run_confirmation(e, PEOPLE, [aid], [0, 0, 0, 0], Staff.AUTHORITY, Staff.RELAYER)
    aid, m["nominate_failed"] = t.nominate(w.proposal(Category.STRATEGIC), w.ids[8], Staff.SECRETARIAT, post=text_id("宣传委员"))
    w.decide(m["nominate_failed"], {S: YES, K: YES})
    t.settle_nomination(aid, Staff.RELAYER)
    # R-TC-3: a vacant core office filled (new roster); R-TC-2: government members appointed, refused (by the
    # secretary, by the congress, at seating), pending
    w.vacate(K)
    aid, m["fill"] = t.nominate(w.proposal(Category.STRATEGIC), w.ids[9], Staff.SECRETARIAT, office=K)
    w.decide(m["fill"], {S: YES, D: NO, C: YES, A: YES})
    t.settle_nomination(aid, Staff.RELAYER)
    t.run_confirmation(e, PEOPLE, [aid], [0, 0, 0, 0, 0], Staff.AUTHORITY, Staff.RELAYER)
    assert t.appointment(aid)["step"] == Step.APPOINTED and w.holder(K) == w.ids[9]
    gid = t.propose_government_member(w.ids[6], text_id("副乡长"), keccak(text="nomination 1"), w.key(A))
    t.consent(gid, True, w.key(S))
    t.run_confirmation(e, PEOPLE, [gid], [0, 0, 0, 0], Staff.AUTHORITY, Staff.RELAYER)
    gid = t.propose_government_member(w.ids[7], text_id("副乡长 2"), keccak(text="nomination 2"), w.key(A))
    t.consent(gid, False, w.key(S))
    gid = t.propose_government_member(w.ids[7], text_id("副乡长 4"), keccak(text="nomination 4"), w.key(A))
    t.consent(gid, True, w.key(S))
    t.run_confirmation(e, PEOPLE, [gid], [0, 0, 0, None, None, None], Staff.AUTHORITY, Staff.RELAYER)  # 3 of 6
    assert t.appointment(gid)["step"] == Step.REFUSED
    gid = t.propose_government_member(w.ids[5], text_id("副乡长 5"), keccak(text="nomination 5"), w.key(A))
    t.consent(gid, True, w.key(S))
    w.by_hand(Role.RECORD_WRITER, w.persons.functions.blacklist(w.ids[5], keccak(text="finding")))
    t.run_confirmation(e, PEOPLE, [gid], [0, 0, 0, 0], Staff.AUTHORITY, Staff.RELAYER)  # confirmed, refused at seating
    assert t.appointment(gid)["step"] == Step.REFUSED
    gid = t.propose_government_member(w.ids[8], text_id("副乡长 3"), keccak(text="nomination 3"), w.key(A))
    t.consent(gid, True, w.key(S))  # awaiting the people's congress
    gid = t.propose_government_member(w.ids[6], text_id("副乡长 6"), keccak(text="nomination 6"), w.key(A))
    t.consent(gid, True, w.key(S))
    t.open_confirmation(e, PEOPLE, [gid], Staff.AUTHORITY)  # scheduled, never opened
    _, m["nominate_pending"] = t.nominate(w.proposal(Category.STRATEGIC), w.ids[7], Staff.SECRETARIAT, post=text_id("统战委员"))
    # issue 17: the lead stayed silent; the vote opened without the opinion (flag 4), decided
    m["declined"] = w.propose(Category.LIVELIHOOD)
    c.wait_until(c.motion(m["declined"]).classify_end + c.limits().opinion)
    c.open_without_opinion(m["declined"], Staff.RELAYER)
    votes = w.cast(m["declined"], {o: YES for o in CORE_OFFICES})
    c.reveal(votes, Staff.RELAYER)
    assert c.close(m["declined"], Staff.RELAYER).lead_declined
    # motions left open: sealed votes not yet unsealed (R-WD-5); a motion in its classification window
    m["voting"] = w.propose(Category.CONSULTATIVE)
    w.open_vote(m["voting"])
    w.cast(m["voting"], {K: YES, S: NO})
    m["proposed"] = w.propose(Category.DISCIPLINE)
    return m


_HISTORIES: dict[str, History] = {}


@pytest.fixture(scope="module")
def history(session_chain: Chain) -> Iterator[History]:
    snap = session_chain.snapshot()
    start = session_chain.w3.eth.block_number + 1
    w = build_elected_council_world(session_chain)
    motions = _drive(w)
    block = session_chain.w3.eth.block_number
    yield History(w, start, block, _now(session_chain), motions)
    session_chain.revert_to(snap)


def test_council_rebuilt_from_events_equals_storage(history: History) -> None:
    """R-WD-1 … R-WD-8, R-TC-3: every motion's kind, category, weight row, status, windows, roster,
    positions, tally, lead, sealed votes, stage, decision record (first responsible, R-WD-6), basis hash
    and budget line (R-WD-7), every dispute (R-WD-3), roster and budget line, folded from the council's
    log (and its jurisdiction's), equal the council's views."""
    w, m = history.world, history.motions
    j = rebuild.rebuild_jurisdiction(w.jurisdiction, history.start)
    built = cr.rebuild_council(w.council.contract, j, history.start, now=history.now)
    assert built == cr.state_council(w.chain, w.council.contract, block=history.block)
    # the history covers what it claims to
    mo = built["motions"]
    assert built["motionCount"] == len(m) and built["rosterCount"] == 3
    stages = {k: Phase(mo[m[k]]["stage"]) for k in ("voting", "proposed", "dispute_lost", "withdrawn", "paper_failed")}
    assert stages == {"voting": Phase.VOTING, "proposed": Phase.CLASSIFICATION, "dispute_lost": Phase.AWAITING_OPINION,
                      "withdrawn": Phase.WITHDRAWN, "paper_failed": Phase.REJECTED}  # fmt: skip
    assert mo[m["overspend"]]["flags"] == 2 and mo[m["paper"]]["flags"] == 1 and mo[m["declined"]]["flags"] == 4
    assert mo[m["disputed"]]["category"] == Category.DISCIPLINE and mo[m["disputed"]]["sealed"][K] == [True, False]
    assert mo[m["dispute_lost"]]["status"] == Status.CLASSIFIED and mo[m["dispute_lost"]]["dispute"]["noMask"] == 1 << A
    assert mo[m["voting"]]["sealed"][K] == [True, False] and mo[m["voting"]]["sealed"][S] == [True, False]
    assert [(x["approved"], x["spent"]) for x in built["lines"].values()] == [(1000, 700), (500, 300)]


def test_minutes_rebuilt_from_events_equals_storage(history: History) -> None:
    """R-WD-8: back-filled minutes (meeting time, the members who signed) and emergency seal uses (count,
    digests) folded from the minutes book's log equal what the book and its council store."""
    w = history.world
    built = cr.rebuild_minutes(w.council.minutes, history.start)
    assert cr.comparable_minutes(built) == cr.state_minutes(w.chain, w.council.minutes, w.council.contract, built)
    assert built["sealUseCount"] == 2 and len(built["minutes"]) == 4 and len(built["recorded"]) == 7 and len(built["outages"]) == 1
    assert built["minutes"][history.motions["paper"]]["signers"] == [*(("0x" + p.hex()) for p in w.ids[:4]), None]


def test_team_rebuilt_from_events_equals_storage(history: History) -> None:
    """R-TC-1, R-TC-2, R-TC-3: every appointment (kind, step, office, bodies needed, confirmed and
    scheduled, times, nominee, post, council motion, nominator) and every confirmation poll (body, election,
    round, ballot, counted) folded from the team contract's log equals its storage."""
    w = history.world
    built = cr.rebuild_team(w.team.contract, history.start)
    assert cr.comparable_team(built) == cr.state_team(w.chain, w.team.contract)
    steps = sorted(a["step"] for a in built["appointments"].values())
    assert steps == [Step.PENDING, *[Step.AWAITING_CONFIRMATION] * 2, *[Step.APPOINTED] * 3, *[Step.REFUSED] * 5]
    polls = built["confirmations"]
    assert len(polls) == 7 and [p["settled"] for p in polls.values()] == [1] * 6 + [0]
    assert [p["body"] for p in polls.values()] == [PARTY] + [PEOPLE] * 6
    refused = [a for a in built["appointments"].values() if a["seatingRefused"]]
    assert len(refused) == 1 and refused[0]["personId"] == "0x" + w.ids[5].hex()
    counts = [(c["for"], c["registered"], c["confirmed"]) for a in built["appointments"].values() for c in a["confirmations"]]
    assert (4, 7, True) in counts and (2, 7, False) in counts and (3, 6, False) in counts


@pytest.mark.anvil_only  # 34 motions through their votes: seconds on anvil, minutes on the embedded chain
def test_council_rebuild_replays_reused_ring_slots(chain: Chain) -> None:
    """R-WD-5: a motion's sealed votes live in ring slot ``id % 32``; when the motion 32 places later
    seals a vote in the same slot, the older motion's unrevealed vote is no longer held there. The
    rebuild replays the ring and still equals the council's views, before and after the reuse."""
    start = chain.w3.eth.block_number + 1
    w = build_council_world(chain)
    first = w.propose(Category.STRATEGIC)
    w.decide(first, {S: YES, D: YES, K: YES}, reveal=[S, D])  # K sealed and never revealed

    def compare() -> dict[str, Any]:
        block = chain.w3.eth.block_number
        j = rebuild.rebuild_jurisdiction(w.jurisdiction, start)
        built = cr.rebuild_council(w.council.contract, j, start, now=int(chain.w3.eth.get_block(block)["timestamp"]))
        assert built == cr.state_council(chain, w.council.contract, block=block)
        return built

    assert compare()["motions"][first]["sealed"][K] == [True, False]
    for _ in range(cr.RING - 1):
        w.decide(w.propose(Category.STRATEGIC), {S: YES, C: YES})
    reuse = w.propose(Category.STRATEGIC)
    assert reuse % cr.RING == first % cr.RING
    w.open_vote(reuse)
    w.cast(reuse, {K: YES})  # sealed in the slot the first motion's unrevealed vote held
    built = compare()
    assert built["motions"][first]["sealed"][K] == [False, False]
    assert built["motions"][reuse]["sealed"][K] == [True, False]
