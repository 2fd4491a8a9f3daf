"""Gas and time of the merit ledger (``zhili bench --gas` (section `merit`; scale run `reports_1k` in `bench/run.py`)`): each step of a report's life, the succession
order's recomputation (R-SU-3) against the number of reports, and many reports through the full review.

Figures are gas used by whole transactions on the chain given; the same code runs on the embedded
chain and on anvil.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_utils import keccak

from ..bench.suite import SectionAbsent
from ..core import artifacts
from ..core.chain import Chain
from ..merit.client import SUCCESSION_WRITER, Award, Conclusion, Decision, Finding, MeritClient, ReporterClass
from ..merit.identity import CommitteeKey, ReporterIdentity
from ..testing import HandSeater, Staff, World
from ..types import Office

SEATED = len(Office)  # persons 0..5 hold the six offices (the order: R-SU-1), 6..7 others


@dataclass
class _World:
    m: MeritClient
    hand: HandSeater
    ids: list[bytes]
    keys: dict[bytes, Any]
    committee: CommitteeKey


def _world(chain: Chain, n_people: int) -> _World:
    if "HandSeater" not in artifacts.names():
        raise SectionAbsent("the merit figures need the test-only HandSeater (tests/artifacts/ of a source checkout)")
    w = World.build(chain, code="BENCH-001", name="bench", people=n_people, seed="bench merit", fund=0, seated=Office, merit=True)
    # the world's hand seater (a contract: writer roles go only to contracts bound to the jurisdiction)
    # may run a bare order pass, to price it alone (through its relay: a few thousand gas above a direct call)
    w.hand.grant(w.jurisdiction, SUCCESSION_WRITER, Staff.ADMIN)
    return _World(w.merit, w.hand, w.ids, w.keys, CommitteeKey.generate())


def _to_publication(w: _World, accused: int, reporter: int, cls: ReporterClass, d: Decision, claimed: Award = Award.NONE) -> tuple[int, int]:
    m = w.m
    ident = ReporterIdentity(w.ids[reporter], keccak(text=f"salt {accused} {reporter} {time.monotonic_ns()}"))
    case = m.file(w.ids[accused], cls, claimed, keccak(text=f"evidence {accused}"), ident.commitment, keccak(text="blob"), Staff.ADMIN)
    m.assign(case, m.chain.accounts[Staff.REVIEWER1].address, m.chain.accounts[Staff.REVIEWER2].address, Staff.MERIT)
    o1 = m.seal_review(case, Conclusion.SUBSTANTIATED, keccak(text="r1"), Staff.REVIEWER1)
    o2 = m.seal_review(case, Conclusion.SUBSTANTIATED, keccak(text="r2"), Staff.REVIEWER2)
    m.open_review(o1, Staff.REVIEWER1)
    m.open_review(o2, Staff.REVIEWER2)
    m.recheck(case, keccak(text="big data"), True, Staff.MERIT)
    if d.award != Award.NONE or d.finding == Finding.MALICIOUS:
        from dataclasses import replace

        d = replace(d, reporter=ident.person_id, reporter_salt=ident.salt)
    m.propose(case, d, Staff.MERIT)
    m.vote(case, True, Staff.MERIT)
    return case, m.publish(case, keccak(text="notice"), Staff.MERIT).deadline


def _past(chain: Chain, deadline: int) -> None:
    now = int(chain.w3.eth.get_block("latest")["timestamp"])
    if now <= deadline:
        chain.advance_time(deadline - now + 1)


def _pass_gas(w: _World) -> int:
    r = w.hand.relay(w.m.succession.functions.overtakePass())
    return int(r["gasUsed"])


def report_life(chain: Chain) -> dict[str, Any]:
    """Gas of each step of a report's life (R-MR-4, R-MR-10, R-MR-11), for typical findings."""
    w = _world(chain, 16)
    chain.gas_used.clear()
    out: dict[str, Any] = {}
    # a citizen's report, substantiated, award 4 points: the order takes a pass
    case, dl = _to_publication(w, 9, 10, ReporterClass.CITIZEN, Decision(Finding.INVESTIGATED, Award.CITIZEN_SECTION_LEVEL), Award.CITIZEN_SECTION_LEVEL)
    steps = {k.removeprefix("merit."): v[-1] for k, v in chain.gas_used.items() if k.startswith("merit.")}
    steps["sealReview"] = sum(chain.gas_used["merit.sealReview"]) // 2
    steps["openReview"] = sum(chain.gas_used["merit.openReview"]) // 2
    _past(chain, dl)
    w.m.finalize(case, Staff.ADMIN)
    steps["finalize (award, order pass)"] = chain.gas_used["merit.finalize"][-1]
    out["steps"] = steps
    # corruption: blacklist, liability, silence, removal from office and order
    d = Decision(Finding.CORRUPTION, direct_supervisor=w.ids[0], next_supervisor=w.ids[1], silent=(w.ids[2],))
    case, dl = _to_publication(w, 3, 11, ReporterClass.CADRE, d)
    _past(chain, dl)
    w.m.finalize(case, Staff.ADMIN)
    out["finalize (corruption: blacklist, R-MR-5, R-MR-6, removal)"] = chain.gas_used["merit.finalize"][-1]
    # the secretary removed on a member's report: R-SU-4 then R-SU-2
    case, dl = _to_publication(w, 0, 7, ReporterClass.COMMITTEE_MEMBER, Decision(Finding.REMOVED, Award.DIRECT_SUPERIOR_REMOVED), Award.DIRECT_SUPERIOR_REMOVED)
    _past(chain, dl)
    w.m.finalize(case, Staff.ADMIN)
    out["finalize (secretary removed: R-SU-4, R-SU-2, term)"] = chain.gas_used["merit.finalize"][-1]
    # appeal and answer
    case, dl = _to_publication(w, 12, 13, ReporterClass.CITIZEN, Decision(Finding.PROCEDURAL, sanction=5))
    w.m.appeal(case, w.ids[12], keccak(text="grounds"), _funded(chain, w, 12))
    w.m.decide_appeal(case, True, keccak(text="answer"), Staff.UPPER)
    out["appeal"] = chain.gas_used["merit.appeal"][-1]
    out["decideAppeal (upheld, final)"] = chain.gas_used["merit.decideAppeal"][-1]
    out["total_one_report (citizen award)"] = sum(v for k, v in steps.items() if not k.startswith("finalize")) + steps["finalize (award, order pass)"]
    return out


def _funded(chain: Chain, w: _World, i: int) -> Any:
    acct = w.keys[w.ids[i]]
    if chain.w3.eth.get_balance(acct.address) == 0:
        chain.fund(acct.address, 10**17)
    return acct


def many_reports(chain: Chain, n: int = 1000, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """``n`` reports through the whole review to finality; total gas and wall time. Also the gas of
    a bare order pass (R-SU-3) before and after, to show it does not grow with the number of reports."""
    t0 = time.monotonic()
    w = _world(chain, 48)
    chain.gas_used.clear()
    pass_before = _pass_gas(w)
    t1 = time.monotonic()
    pool = list(range(SEATED + 2, 48))
    deadlines: list[tuple[int, int]] = []
    kinds = ("citizen award", "procedural", "unfounded", "cadre award", "malicious", "citizen award", "investigated", "procedural", "unfounded", "citizen award")
    for k in range(n):
        kind = kinds[k % len(kinds)]
        accused, reporter = pool[k % len(pool)], pool[(k * 7 + 3) % len(pool)]
        if reporter == accused:
            reporter = pool[(k * 7 + 4) % len(pool)]
        if kind == "citizen award":
            args = (ReporterClass.CITIZEN, Decision(Finding.INVESTIGATED, Award.CITIZEN_SECTION_LEVEL), Award.CITIZEN_SECTION_LEVEL)
        elif kind == "cadre award":
            args = (ReporterClass.CADRE, Decision(Finding.INVESTIGATED, Award.PEER_INVESTIGATED), Award.PEER_INVESTIGATED)
        elif kind == "procedural":
            args = (ReporterClass.CADRE, Decision(Finding.PROCEDURAL, sanction=1), Award.NONE)
        elif kind == "malicious":
            args = (ReporterClass.CITIZEN, Decision(Finding.MALICIOUS), Award.NONE)
        elif kind == "investigated":
            args = (ReporterClass.COMMITTEE_MEMBER, Decision(Finding.INVESTIGATED), Award.NONE)
        else:
            args = (ReporterClass.CITIZEN, Decision(Finding.UNFOUNDED), Award.NONE)
        deadlines.append(_to_publication(w, accused, reporter, args[0], args[1], args[2]))
        if (k + 1) % 100 == 0:
            progress(f"{k + 1} reports published")
    _past(chain, max(d for _, d in deadlines))
    finalize_gas = []
    for case, _ in deadlines:
        w.m.finalize(case, Staff.ADMIN)
        finalize_gas.append(chain.gas_used["merit.finalize"][-1])
    wall = time.monotonic() - t1
    total = sum(sum(v) for k, v in chain.gas_used.items() if k.startswith("merit.") and k != "merit.deploy" and k != "merit.grant" and k != "merit.officesSeated")
    pass_after = _pass_gas(w)
    award_finalize = [g for g, k in zip(finalize_gas, range(n)) if kinds[k % len(kinds)] == "citizen award"]
    return {
        "reports": n,
        "transactions": sum(len(v) for k, v in chain.gas_used.items() if k.startswith("merit.")),
        "gas_total": total,
        "gas_per_report": total // n,
        "wall_seconds": round(wall, 1),
        "wall_seconds_with_setup": round(time.monotonic() - t0, 1),
        "order_pass_gas": {"before": pass_before, f"after_{n}_reports": pass_after},
        "finalize_with_order_pass_gas": {"first_10": award_finalize[:10], "last_10": award_finalize[-10:]},
        "gas_by_step": {k.removeprefix("merit."): sum(v) for k, v in sorted(chain.gas_used.items()) if k.startswith("merit.")},
    }
