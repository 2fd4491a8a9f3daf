"""Gas figures of whole transactions, measured on a chain (``zhili bench``; see docs/benchmarks.md).

Each figure is gas used by complete transactions, all phases included, amortized per item where the
key says so. The same code runs on the embedded chain and on anvil.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from eth_account import Account
from eth_utils import keccak

from .. import profiles
from ..core.chain import Chain
from ..election.client import ElectionClient, Electorate, deploy_person_registry, person_id
from ..jurisdiction import registry

AUTHORITY, VETTING, UPPER, RELAYER = 1, 2, 3, 9


def _world(chain: Chain, n_people: int) -> tuple[Any, Any, list[bytes], dict[bytes, Any]]:
    roles = {role: [chain.accounts[1 + i].address] for i, role in enumerate(registry.ROLES)}
    j = registry.deploy_jurisdiction(chain, profiles.load("township"), "BENCH-001", "bench", roles=roles)
    persons = deploy_person_registry(chain)
    ids, keys = [], {}
    for i in range(n_people):
        pid = person_id(f"bench person {i}")
        acct = Account.from_key(keccak(text=f"bench key {i}"))
        chain.transact(persons.functions.register(pid, acct.address), label="persons.register")
        ids.append(pid)
        keys[pid] = acct
    return j, persons, ids, keys


def election_ballots(chain: Chain, batch: int = 100) -> dict[str, int]:
    """Gas of a stage-1 ballot naming 10 candidates: commit and reveal, single and in batches (R-EL-7)."""
    j, persons, ids, _ = _world(chain, 12)
    e = ElectionClient.deploy(chain, j, persons, 1)
    e.add_candidates(ids, AUTHORITY)
    for pid in ids:
        e.vet(pid, [], keccak(text="report"), VETTING)
    e.register_voters(Electorate.PARTY, [person_id(f"delegate {i}") for i in range(batch + 1)], AUTHORITY)
    e.begin_stage1(AUTHORITY)
    creds = e.open_poll(AUTHORITY)
    ballots = [e.cast(creds, i, ids[i % 2 : i % 2 + 10]) for i in range(batch + 1)]
    before = dict(chain.gas_used)
    chain.gas_used.clear()
    e.relay(ballots[:1], RELAYER, batch_size=1)
    e.relay(ballots[1:], RELAYER, batch_size=batch)
    e.reveal(ballots[:1], RELAYER)  # batch 0 holds ballot 0 alone
    commit = chain.gas_used["election.commit"]
    reveal = chain.gas_used["election.reveal"]
    e.reveal(ballots[1:], RELAYER)
    reveal = chain.gas_used["election.reveal"]
    chain.gas_used.clear()
    chain.gas_used.update(before)
    return {
        "election.ballot10.single": commit[0] + reveal[0],
        "election.ballot10.amortized": (commit[1] + reveal[1]) // batch,
        "election.ballot10.commit.amortized": commit[1] // batch,
        "election.ballot10.reveal.amortized": reveal[1] // batch,
    }


def full_election(chain: Chain, *, candidates: int, delegates: int, deputies: int, batch: int = 150, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """One election from registration to seated offices; total gas and wall time."""
    t0 = time.monotonic()
    chain.gas_used.clear()
    j, persons, ids, keys = _world(chain, candidates)
    for acct in keys.values():
        chain.fund(acct.address, 10**17)
    setup_gas = sum(sum(v) for v in chain.gas_used.values())
    chain.gas_used.clear()
    t1 = time.monotonic()
    e = ElectionClient.deploy(chain, j, persons, 1)
    e.add_candidates(ids, AUTHORITY)
    for pid in ids:
        e.vet(pid, [], keccak(text="report"), VETTING)
    e.register_voters(Electorate.PARTY, [person_id(f"delegate {i}") for i in range(delegates)], AUTHORITY)
    e.register_voters(Electorate.CONGRESS, [person_id(f"deputy {i}") for i in range(deputies)], AUTHORITY)
    e.begin_stage1(AUTHORITY)
    progress("stage 1")
    # delegate d names 10 candidates starting at a spread offset: a clear, varied ranking
    e.run_poll([[ids[(d * 7 + k * (4 if d % 2 else 3)) % candidates] for k in range(10)] for d in range(delegates)], AUTHORITY, RELAYER, batch_size=batch)
    while (r := e.pending_round()) is not None and e.phase.name == "STAGE1":
        p = e.poll(r)
        e.run_poll([p.candidates[: p.seats]] * delegates, AUTHORITY, RELAYER, batch_size=batch)
    e.approve_list(UPPER)
    progress("stage 2")
    fin = e.poll(e.pending_round()).candidates
    e.run_poll([fin[: 5 - d % 3] for d in range(deputies)], AUTHORITY, RELAYER, batch_size=batch)
    while (r := e.pending_round()) is not None:
        p = e.poll(r)
        e.run_poll([p.candidates[: p.seats]] * deputies, AUTHORITY, RELAYER, batch_size=batch)
    sec = e.offices()["secretary"]
    choices = [c for c in e.poll(e.rounds()[-1]).candidates if c not in e.offices().values()] or [c for c in chain.call(e.contract.functions.elected()) if c not in e.offices().values()]
    e.pick_administrator(choices[-1], keys[sec])
    while (r := e.pending_round()) is not None:
        p = e.poll(r)
        e.run_poll([p.candidates[: p.seats]] * deputies, AUTHORITY, RELAYER, batch_size=batch)
    total = sum(sum(v) for k, v in chain.gas_used.items() if not k.endswith(".per_ballot"))
    return {
        "phase": e.phase.name.lower(),
        "candidates": candidates,
        "delegates": delegates,
        "deputies": deputies,
        "polls": len(e.rounds()),
        "gas_total": total,
        "transactions": sum(len(v) for k, v in chain.gas_used.items() if not k.endswith(".per_ballot")),
        "gas_setup_registry_and_persons": setup_gas,
        "wall_seconds": round(time.monotonic() - t1, 2),
        "wall_seconds_with_setup": round(time.monotonic() - t0, 2),
        "gas_by_operation": {k: sum(v) for k, v in sorted(chain.gas_used.items()) if not k.endswith(".per_ballot")},
    }
