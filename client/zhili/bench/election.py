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
from ..council.client import text_id
from ..council.team import Body, Step
from ..election.client import ElectionClient, Electorate, Phase, roll_persons
from ..election.cppcc import MEMBERS, CppccClient
from ..election.credentials import Issuer
from ..testing import Staff, World
from ..types import Office


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
    sealing = w.seal_elections()
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


def full_election(chain: Chain, *, candidates: int, delegates: int, deputies: int, batch: int = 150, sealed: bool = True, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """One election from registration to seated offices; total gas and wall time. ``sealed``: every poll
    sealed to five scrutineers, three of whom open it after the close (R-EL-13; their key generation,
    shares and the on-chain count are in the figures)."""
    t0 = time.monotonic()
    chain.gas_used.clear()
    w = _world(chain, candidates, fund=10**17)
    if sealed:
        w.seal_elections()
    ids, keys = w.ids, w.keys
    # the province's person registry holds its residents before any election: the voters are registered
    # persons already (setup), and the election registers them as voters and issues their credentials
    rolls = {label: roll_persons(chain, w.persons, label, n, Staff.ADMIN) for label, n in (("delegate", delegates), ("deputy", deputies))}
    setup_gas = sum(sum(v) for v in chain.gas_used.values())
    chain.gas_used.clear()
    t1 = time.monotonic()
    progress("registration")
    e = w.election()
    e.add_candidates(ids, Staff.AUTHORITY)
    for pid in ids:
        e.vet(pid, [], keccak(text="report"), Staff.VETTING)
    issuer = Issuer.generate()
    for electorate, label in ((Electorate.PARTY, "delegate"), (Electorate.CONGRESS, "deputy")):
        voters = rolls[label]
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
        "sealed": sealed,
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


def _completed_county_election(chain: Chain) -> tuple[World, ElectionClient]:
    """A county with council and team completion whose term-1 election ran to completion: 9 candidates,
    7 party delegates and 6 congress deputies holding registered credentials; stage 1 and stage 2 rank
    P00 > P01 > …, P04 picked administrator, so P03 holds the consultative office (R-EL-10)."""
    w = World.build(chain, profile="county", code="BENCH-CPPCC", name="bench county", people=10, seed="bench county", team=True)
    ids = w.ids
    e = w.election()
    e.add_candidates(ids[:9], Staff.AUTHORITY)
    for pid in ids[:9]:
        e.vet(pid, [], keccak(text="report"), Staff.VETTING)
    issuer = Issuer.generate()
    for electorate, label, n in ((Electorate.PARTY, "delegate", 7), (Electorate.CONGRESS, "deputy", 6)):
        voters = roll_persons(chain, w.persons, label, n, Staff.ADMIN)
        e.register_voters(electorate, [pid for pid, _ in voters], Staff.AUTHORITY)
        e.enrol(electorate, voters, issuer, Staff.AUTHORITY, Staff.RELAYER)
    e.begin_stage1(Staff.AUTHORITY)
    e.run_poll([ids[: 7 - v] for v in range(7)], Staff.AUTHORITY, Staff.RELAYER)
    e.approve_list(Staff.UPPER)
    e.run_poll([ids[: 6 - v] for v in range(6)], Staff.AUTHORITY, Staff.RELAYER)
    sec = e.offices()["secretary"]
    assert sec is not None, "stage 2 elected the secretary"
    e.pick_administrator(ids[4], w.keys[sec])
    assert e.phase == Phase.COMPLETED and w.holder(Office.CONSULTATIVE) == ids[3], "the bench county's election completed as planned"
    return w, e


def confirmation_polls(chain: Chain) -> dict[str, int]:
    """Gas of the confirmation polls that follow a county election (issue 15 items 5 and 7): a people's
    congress confirmation of a government member (``TeamCompletion.openConfirmation`` and
    ``settleConfirmation``, six deputies, four for) and the CPPCC's vote on its recommended chair
    (``CppccConfirmation``: five members; ``recommend``; ``settle`` confirmed by three, or rejected by
    two for and two against, which vacates the consultative office)."""
    w, e = _completed_county_election(chain)
    t = w.team
    sec, admin = w.keys[w.ids[0]], w.keys[w.ids[4]]
    before = dict(chain.gas_used)
    chain.gas_used.clear()
    aid = t.propose_government_member(w.ids[6], text_id("副县长"), keccak(text="bench nomination"), admin)
    t.consent(aid, True, sec)
    t.run_confirmation(e, Body.PEOPLES_CONGRESS, [aid], [0, 0, 0, 0, None, None], Staff.AUTHORITY, Staff.RELAYER)
    assert t.appointment(aid)["step"] == Step.APPOINTED, "4 of 6 deputies confirm the nominee"
    out = {
        "team.confirmation.open": chain.gas_used["team.openConfirmation"][-1],
        "team.confirmation.settle": chain.gas_used["team.settleConfirmation"][-1],
    }
    cppcc = CppccClient.deploy(chain, w.jurisdiction, w.persons, 1, admin=Staff.ADMIN)
    members = roll_persons(chain, w.persons, "cppcc member", 5, Staff.ADMIN)
    cppcc.register_members([pid for pid, _ in members], Staff.AUTHORITY)
    cppcc.enrol(MEMBERS, members, Issuer.generate(), Staff.AUTHORITY, Staff.RELAYER)
    cppcc.recommend(e, Staff.AUTHORITY)
    out["election.cppcc.deploy"] = chain.gas_used["cppcc.deploy"][-1]
    out["election.cppcc.register_members.5"] = chain.gas_used["cppcc.registerMembers"][-1]
    out["election.cppcc.recommend"] = chain.gas_used["cppcc.recommend"][-1]
    snap = chain.snapshot()
    assert cppcc.run_vote([True, True, True], Staff.AUTHORITY, Staff.RELAYER)["confirmed"], "3 of 5 confirm"
    out["election.cppcc.settle"] = chain.gas_used["cppcc.settle"][-1]
    chain.revert_to(snap)
    res = cppcc.run_vote([True, True, False, None], Staff.AUTHORITY, Staff.RELAYER)
    assert not res["confirmed"] and res["vacated"], "2 of 5 reject; the office is vacated"
    out["election.cppcc.settle.rejected"] = chain.gas_used["cppcc.settle"][-1]
    chain.gas_used.clear()
    chain.gas_used.update(before)
    return out
