"""Council gas and a year of a township council, measured with whole transactions (see docs/council.md).

Figures are gas used by complete transactions. "cold" is the first motion of a new council (every
storage slot it touches is fresh); "warm" is a motion once the council has run ``RING`` motions, so
that the sealed-vote ring and the counters are already written (the steady state of a council in use).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from ..bench.suite import SectionAbsent
from ..core import artifacts
from ..core.chain import Chain
from ..council.client import CouncilClient, Kind, Minutes, Position, Proposal, Windows, text_id
from ..testing import Staff, World
from ..types import CORE_OFFICES, Category, Office

WINDOWS = Windows(classify=600, vote=3600, reveal=3600)
BASIS = [text_id("bench basis 1"), text_id("bench basis 2")]
PLAN = text_id("bench plan")


@dataclass
class _Bench:
    chain: Chain
    council: CouncilClient
    keys: dict[Office, LocalAccount]

    def propose(self, category: Category, i: int, **kw: Any) -> int:
        p = Proposal(category, keccak(text=f"bench motion {i}"), BASIS, PLAN, windows=WINDOWS, **kw)
        return self.council.propose(p, Staff.SECRETARIAT)

    def run(self, motion: int, positions: dict[Office, Position], *, batch: bool = True, opened: bool = False) -> None:
        """Lead opinion, every member's sealed vote, reveals (one batch or one per member), close."""
        c = self.council
        if not opened:
            lead = c.lead(motion)
            assert lead is not None
            c.state_opinion(motion, keccak(text=f"opinion {motion}"), self.keys[lead])
        votes = []
        for o, p in positions.items():
            v = c.seal(motion, p, self.keys[o], o, salt=keccak(text=f"salt {motion} {o}"))
            c.commit(v, self.keys[o])
            votes.append(v)
        if batch:
            c.reveal(votes, Staff.RELAYER)
        else:
            for v in votes:
                c.reveal([v], self.keys[v.office])
        c.close(motion, Staff.RELAYER)


def _world(chain: Chain) -> _Bench:
    """Persons 0..4 seated in the five core offices, the council's members (seated by the test-only
    hand seater: the section needs a source checkout)."""
    if "HandSeater" not in artifacts.names():
        raise SectionAbsent("the council figures need the test-only HandSeater (tests/artifacts/ of a source checkout)")
    w = World.build(chain, code="BENCH-001", name="bench", people=len(CORE_OFFICES), seed="bench member", seated=CORE_OFFICES, council=True)
    return _Bench(chain, w.council, {o: w.signer(int(o)) for o in CORE_OFFICES})


def _last(chain: Chain, label: str) -> int:
    return chain.gas_used[label][-1]


def council_gas(chain: Chain) -> dict[str, int]:
    """Gas to open a motion and per member vote (commit + reveal), cold and warm (R-WD-5)."""
    b = _world(chain)
    c = b.council
    chain.gas_used.clear()
    yes: dict[Office, Position] = {o: Position.YES for o in CORE_OFFICES}
    out: dict[str, int] = {}

    def own_reveals(plan: int, when: str) -> None:
        """A motion whose members reveal their own votes: its gas per step, ``when`` cold or warm."""
        m = b.propose(Category.STRATEGIC, plan)
        out[f"open.{when}"] = _last(chain, "council.propose")
        chain.advance_time(WINDOWS.classify)
        b.run(m, yes, batch=False)
        out[f"opinion.{when}"] = _last(chain, "council.stateOpinion")
        out[f"commit.{when}"] = sum(chain.gas_used["council.commit"][-5:]) // 5
        out[f"reveal.own_tx.{when}"] = sum(chain.gas_used["council.reveal"][-5:]) // 5
        out[f"close.passed.{when}"] = _last(chain, "council.close")

    own_reveals(0, "cold")  # the very first motion
    # warm the ring: one whole council cycle of RING motions
    ring = int(chain.call(c.contract.functions.RING()))
    ids = [b.propose(Category(i % 5), i + 1) for i in range(ring)]
    chain.advance_time(WINDOWS.classify)
    for i in ids:
        b.run(i, yes)
    own_reveals(10_000, "warm")
    # warm: one batch of all five openings (anyone holding them, e.g. the clerk after the vote)
    m = b.propose(Category.LIVELIHOOD, 10_001)
    chain.advance_time(WINDOWS.classify)
    b.run(m, yes, batch=True)
    out["reveal.batch5.per_member.warm"] = _last(chain, "council.revealMany") // 5
    out["vote.per_member.all_phases.own_reveal.warm"] = out["commit.warm"] + out["reveal.own_tx.warm"]
    out["vote.per_member.all_phases.batched_reveal.warm"] = _last(chain, "council.commit") + out["reveal.batch5.per_member.warm"]
    out["vote.per_member.all_phases.own_reveal.cold"] = out["commit.cold"] + out["reveal.own_tx.cold"]
    # a spending motion and its budget (R-WD-7)
    line = text_id("bench line")
    m = b.propose(Category.LEGISLATIVE, 10_002, kind=Kind.BUDGET, budget_line=line, year=2025, amount=10**9)
    out["open.budget.new_line"] = _last(chain, "council.propose")
    chain.advance_time(WINDOWS.classify)
    b.run(m, yes)
    m = b.propose(Category.LIVELIHOOD, 10_003, kind=Kind.SPENDING, budget_line=line, amount=10**6)
    out["open.spending.warm"] = _last(chain, "council.propose")
    chain.advance_time(WINDOWS.classify)
    b.run(m, yes)
    out["close.spending"] = _last(chain, "council.close")
    # issue 17: a silent lead (anyone opens the vote after the deadline), a recorded outage, a back-fill in it
    m = b.propose(Category.STRATEGIC, 10_004)
    chain.advance_time(WINDOWS.classify + c.limits().opinion)
    c.open_without_opinion(m, Staff.RELAYER)
    out["open_without_opinion.warm"] = _last(chain, "council.openWithoutOpinion")
    start, end = chain.now() - 3600, chain.now() - 60
    reason = keccak(text="bench outage")
    two = (Office.SECRETARY, Office.DISCIPLINE)
    c.record_outage(reason, start, end, [(o, c.outage_signature(b.keys[o], reason, start, end)) for o in two], Staff.RELAYER)
    out["outage.record"] = _last(chain, "council.recordOutage")
    mins = Minutes(
        category=Category.STRATEGIC, content_hash=keccak(text="bench paper"), basis_refs=BASIS, plan_id=PLAN,
        lead_opinion=keccak(text="bench paper opinion"), meeting_time=start + 600, votes=yes, minutes_hash=keccak(text="bench minutes"),
    )  # fmt: skip
    c.backfill(mins, 0, {o: c.sign_minutes(mins, b.keys[o]) for o in CORE_OFFICES}, Staff.RELAYER)
    out["backfill.five_signers"] = _last(chain, "council.backfill")
    return out


def council_year(chain: Chain, motions: int = 200, meeting: int = 10, seed: int = 2025, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """A year of a township council: ``motions`` motions in meetings of ``meeting``, each with a lead
    opinion, five sealed votes, one batch of reveals and the close; two budget lines and spending."""
    rng = random.Random(seed)
    t0 = time.monotonic()
    b = _world(chain)
    chain.gas_used.clear()
    t1 = time.monotonic()
    lines = [text_id("2025 roads"), text_id("2025 schools")]
    passed = 0
    done = 0
    first = True
    while done < motions:
        batch = []
        for k in range(min(meeting, motions - done)):
            i = done + k
            if first and k < len(lines):
                batch.append(b.propose(Category.LEGISLATIVE, i, kind=Kind.BUDGET, budget_line=lines[k], year=2025, amount=10**9))
            elif i % 7 == 3 and i >= meeting:  # spending once the budgets passed (first meeting)
                batch.append(b.propose(Category.LIVELIHOOD, i, kind=Kind.SPENDING, budget_line=lines[i % 2], amount=rng.randrange(10**6, 10**7)))
            else:
                batch.append(b.propose(Category(rng.randrange(5)), i))
        first = False
        chain.advance_time(WINDOWS.classify)
        for m in batch:
            positions: dict[Office, Position] = {o: rng.choice((Position.YES, Position.YES, Position.YES, Position.NO, Position.ABSTAIN)) for o in CORE_OFFICES}
            if m < len(lines):
                positions = {o: Position.YES for o in CORE_OFFICES}
            b.run(m, positions)
            passed += b.council.motion(m).status.name == "PASSED"
        done += len(batch)
        progress(f"{done} motions")
    total = sum(sum(v) for v in chain.gas_used.values())
    return {
        "motions": motions,
        "passed": passed,
        "transactions": sum(len(v) for v in chain.gas_used.values()),
        "gas_total": total,
        "gas_per_motion": total // motions,
        "wall_seconds": round(time.monotonic() - t1, 2),
        "wall_seconds_with_setup": round(time.monotonic() - t0, 2),
        "gas_by_operation": {k: sum(v) for k, v in sorted(chain.gas_used.items())},
    }
