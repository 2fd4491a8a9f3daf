"""Gas figures of whole transactions, measured on a chain (``zhili bench``; see docs/benchmarks.md).

Each figure is gas used by complete transactions, all phases included, amortized per item where the
key says so. The same code runs on the embedded chain and on anvil.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from eth_utils import keccak

from ..core.chain import Chain
from ..election.client import Electorate, roll_persons
from ..election.credentials import Issuer
from ..testing import Staff, World


def _world(chain: Chain, n_people: int, fund: int = 0) -> World:
    return World.build(chain, code="BENCH-001", name="bench", people=n_people, seed="bench", fund=fund)


def election_ballots(chain: Chain, batch: int = 100) -> dict[str, int]:
    """Gas of a stage-1 ballot naming 10 candidates: commit and reveal, single and in batches (R-EL-7)."""
    w = _world(chain, 12)
    ids = w.ids
    e = w.election()
    e.add_candidates(ids, Staff.AUTHORITY)
    for pid in ids:
        e.vet(pid, [], keccak(text="report"), Staff.VETTING)
    voters = roll_persons(chain, w.persons, "delegate", batch + 1, Staff.ADMIN)
    e.register_voters(Electorate.PARTY, [pid for pid, _ in voters], Staff.AUTHORITY)
    before = dict(chain.gas_used)
    chain.gas_used.clear()
    issuer = Issuer.generate()
    e.enrol(Electorate.PARTY, voters[:1], issuer, Staff.AUTHORITY, Staff.RELAYER)  # one voter alone
    e.enrol(Electorate.PARTY, voters[1:], issuer, Staff.AUTHORITY, Staff.RELAYER)  # the rest in one batch each
    req, iss, reg = (chain.gas_used[f"election.credential.{k}"] for k in ("request", "issue", "register"))
    chain.gas_used.clear()
    e.begin_stage1(Staff.AUTHORITY)
    r = e.open_poll(Staff.AUTHORITY)
    ballots = [e.cast(wl, r, ids[i % 2 : i % 2 + 10]) for i, wl in enumerate(e.wallets[Electorate.PARTY])]
    chain.gas_used.clear()
    e.relay(ballots[:1], Staff.RELAYER, batch_size=1)
    e.relay(ballots[1:], Staff.RELAYER, batch_size=batch)
    e.reveal(ballots[:1], Staff.RELAYER)  # batch 0 holds ballot 0 alone
    commit = chain.gas_used["election.commit"]
    reveal = chain.gas_used["election.reveal"]
    e.reveal(ballots[1:], Staff.RELAYER)
    reveal = chain.gas_used["election.reveal"]
    chain.gas_used.clear()
    chain.gas_used.update(before)
    return {
        **sealed_ballots(chain, batch),
        "election.ballot10.single": commit[0] + reveal[0],
        "election.ballot10.amortized": (commit[1] + reveal[1]) // batch,
        "election.ballot10.commit.amortized": commit[1] // batch,
        "election.ballot10.reveal.amortized": reveal[1] // batch,
        "election.credential.request": req[0],
        "election.credential.request.amortized": req[1] // batch,
        "election.credential.issue": iss[0],
        "election.credential.issue.amortized": iss[1] // batch,
        "election.credential.register": reg[0],
        "election.credential.register.amortized": reg[1] // batch,
    }


def sealed_ballots(chain: Chain, batch: int = 100) -> dict[str, int]:
    """Gas of the scrutineers' sealing (R-EL-13): one round's key generation by 5 scrutineers (3 to open),
    a 10-name ballot sealed to the poll key and relayed in a batch of ``batch``, the box opened by 3 key
    shares after the close, and the on-chain count of the batch."""
    w = _world(chain, 12)
    ids = w.ids
    sealing = w.seal_elections(5, 3)
    e = w.election()
    e.add_candidates(ids, Staff.AUTHORITY)
    for pid in ids:
        e.vet(pid, [], keccak(text="report"), Staff.VETTING)
    voters = roll_persons(chain, w.persons, "delegate", batch, Staff.ADMIN)
    e.register_voters(Electorate.PARTY, [pid for pid, _ in voters], Staff.AUTHORITY)
    e.enrol(Electorate.PARTY, voters, Issuer.generate(), Staff.AUTHORITY, Staff.RELAYER)
    e.begin_stage1(Staff.AUTHORITY)
    round_ = e.pending_round()
    assert round_ is not None
    before = dict(chain.gas_used)
    chain.gas_used.clear()
    s, box = sealing.scrutiny, e.box.address
    s.run_key_generation(box, round_, sealing.members, sealing.threshold, Staff.AUTHORITY, Staff.RELAYER)
    dkg = sum(sum(chain.gas_used[k]) for k in ("scrutiny.namePanel", "scrutiny.deal", "scrutiny.fixKey"))
    deal = max(chain.gas_used["scrutiny.deal"])
    e.open_poll(Staff.AUTHORITY)
    ballots = [e.cast(wl, round_, ids[i % 2 : i % 2 + 10]) for i, wl in enumerate(e.wallets[Electorate.PARTY])]
    chain.gas_used.clear()
    e.relay(ballots, Staff.RELAYER, batch_size=batch)
    commit = chain.gas_used["election.commit"][0]
    for m in sealing.members[: sealing.threshold]:
        s.publish_share(m, box, round_)
    shares = chain.gas_used["scrutiny.publishShare"]
    s.count(e.box, round_, Staff.RELAYER)
    count = chain.gas_used["scrutiny.count"][0]
    chain.gas_used.clear()
    chain.gas_used.update(before)
    return {
        "election.ballot10.sealed": (commit + count) // batch,
        "election.ballot10.sealed.commit.amortized": commit // batch,
        "election.count.per_ballot": count // batch,
        "election.dkg.total": dkg,
        "election.dkg.deal": deal,
        "election.open_box": sum(shares),
        "election.open_box.last_share": shares[-1],
    }


def full_election(chain: Chain, *, candidates: int, delegates: int, deputies: int, batch: int = 150, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """One election from registration to seated offices; total gas and wall time."""
    t0 = time.monotonic()
    chain.gas_used.clear()
    w = _world(chain, candidates, fund=10**17)
    ids, keys = w.ids, w.keys
    setup_gas = sum(sum(v) for v in chain.gas_used.values())
    chain.gas_used.clear()
    t1 = time.monotonic()
    e = w.election()
    e.add_candidates(ids, Staff.AUTHORITY)
    for pid in ids:
        e.vet(pid, [], keccak(text="report"), Staff.VETTING)
    issuer = Issuer.generate()
    for electorate, label, n in ((Electorate.PARTY, "delegate", delegates), (Electorate.CONGRESS, "deputy", deputies)):
        voters = roll_persons(chain, w.persons, label, n, Staff.ADMIN)
        e.register_voters(electorate, [pid for pid, _ in voters], Staff.AUTHORITY)
        e.enrol(electorate, voters, issuer, Staff.AUTHORITY, Staff.RELAYER)
    e.begin_stage1(Staff.AUTHORITY)
    progress("stage 1")
    # delegate d names 10 candidates starting at a spread offset: a clear, varied ranking
    e.run_poll([[ids[(d * 7 + k * (4 if d % 2 else 3)) % candidates] for k in range(10)] for d in range(delegates)], Staff.AUTHORITY, Staff.RELAYER, batch_size=batch)
    while (r := e.pending_round()) is not None and e.phase.name == "STAGE1":
        p = e.poll(r)
        e.run_poll([p.candidates[: p.seats]] * delegates, Staff.AUTHORITY, Staff.RELAYER, batch_size=batch)
    e.approve_list(Staff.UPPER)
    progress("stage 2")
    first = e.pending_round()
    assert first is not None, "stage 2 opens with a poll"
    fin = e.poll(first).candidates
    e.run_poll([fin[: 5 - d % 3] for d in range(deputies)], Staff.AUTHORITY, Staff.RELAYER, batch_size=batch)
    while (r := e.pending_round()) is not None:
        p = e.poll(r)
        e.run_poll([p.candidates[: p.seats]] * deputies, Staff.AUTHORITY, Staff.RELAYER, batch_size=batch)
    sec = e.offices()["secretary"]
    assert sec is not None, "stage 2 elected the secretary"
    choices = [c for c in e.poll(e.rounds()[-1]).candidates if c not in e.offices().values()] or [c for c in chain.call(e.contract.functions.elected()) if c not in e.offices().values()]
    e.pick_administrator(choices[-1], keys[sec])
    while (r := e.pending_round()) is not None:
        p = e.poll(r)
        e.run_poll([p.candidates[: p.seats]] * deputies, Staff.AUTHORITY, Staff.RELAYER, batch_size=batch)
    total = sum(sum(v) for k, v in chain.gas_used.items() if not k.endswith((".per_ballot", ".per_voter")))
    return {
        "phase": e.phase.name.lower(),
        "candidates": candidates,
        "delegates": delegates,
        "deputies": deputies,
        "polls": len(e.rounds()),
        "gas_total": total,
        "transactions": sum(len(v) for k, v in chain.gas_used.items() if not k.endswith((".per_ballot", ".per_voter"))),
        "gas_setup_registry_and_persons": setup_gas,
        "wall_seconds": round(time.monotonic() - t1, 2),
        "wall_seconds_with_setup": round(time.monotonic() - t0, 2),
        "gas_by_operation": {k: sum(v) for k, v in sorted(chain.gas_used.items()) if not k.endswith((".per_ballot", ".per_voter"))},
    }
