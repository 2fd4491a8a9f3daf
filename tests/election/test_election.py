"""Linked two-stage election (contracts/election/Election.sol, BallotBox.sol): SPEC §1 rule by rule, on both chains."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from chain_kit import revert
from election_kit import World
from zhili.election.client import BallotError, Electorate, Phase, Purpose, person_id
from zhili.election.credentials import Wallet, seal
from zhili.testing import Staff
from zhili.types import Office, Role


def settle(e, votes_for):  # type: ignore[no-untyped-def]
    """Run every pending runoff; ``votes_for(poll)`` gives the ballots."""
    while (r := e.pending_round()) is not None:
        e.run_poll(votes_for(e.poll(r)), Staff.AUTHORITY, Staff.RELAYER)


def stage1_clean(w: World, e) -> list[bytes]:  # type: ignore[no-untyped-def]
    """Stage 1 where P00..P06 get 7..1 votes... strictly ordered: 7 voters, voter v names P00..P(6-v)."""
    ids = w.ids
    e.begin_stage1(Staff.AUTHORITY)
    e.run_poll([ids[: 7 - v] for v in range(7)], Staff.AUTHORITY, Staff.RELAYER)
    return ids[:7]


# ---------------------------------------------------------------- R-EL-1 vetting


def test_vetting_failure_and_blacklist_disqualify(world: World) -> None:
    # R-EL-1: failing any one dimension disqualifies; blacklisted persons fail automatically
    e = world.election()
    ids = world.ids
    e.add_candidates(ids[:10], Staff.AUTHORITY)
    e.vet(ids[0], [3], keccak(text="r0"), Staff.VETTING)  # fails 专业能力
    world.hand.grant(world.persons, Role.RECORD_WRITER)
    world.hand.relay(world.persons.functions.blacklist(ids[1], keccak(text="finding")))
    e.vet(ids[1], [], keccak(text="r1"), Staff.VETTING)
    for pid in ids[2:10]:
        e.vet(pid, [], keccak(text="ok"), Staff.VETTING)
    c0 = world.chain.call(e.contract.functions.candidate(0))
    c1 = world.chain.call(e.contract.functions.candidate(1))
    assert c0[1] == 2 and c0[2] == 0b1000  # Failed, dimension 3
    assert c1[1] == 2  # blacklisted: Failed although no dimension failed
    (ev,) = [x for x in e.contract.events.CandidateVetted().get_logs(from_block=0) if x.args.personId == ids[1]]
    assert ev.args.blacklisted and not ev.args.passed
    e.register_voters(Electorate.PARTY, [world.delegates(1)[0][0]], Staff.AUTHORITY)
    e.begin_stage1(Staff.AUTHORITY)
    assert set(e.poll(e.pending_round()).candidates) == set(ids[2:10])  # 8 eligible: contested


def test_vetting_bad_input(world: World) -> None:
    e = world.election()
    ids = world.ids
    e.add_candidates(ids[:2], Staff.AUTHORITY)
    err = revert(e.vet, ids[0], [5], b"\1" * 32, Staff.VETTING)  # township has 5 dimensions: 0..4
    assert err.error == "InvalidVettingMask" and err.rule == "R-EL-1"
    assert revert(e.vet, ids[0], [], b"\1" * 32, Staff.AUTHORITY).error == "JurisdictionRoleRequired"
    e.vet(ids[0], [], b"\1" * 32, Staff.VETTING)
    assert revert(e.vet, ids[0], [], b"\1" * 32, Staff.VETTING).error == "AlreadyVetted"
    assert revert(e.vet, ids[5], [], b"\1" * 32, Staff.VETTING).error == "NotCandidate"
    assert revert(e.add_candidates, [ids[0]], Staff.AUTHORITY).error == "DuplicateCandidate"
    assert revert(e.add_candidates, [person_id("nobody")], Staff.AUTHORITY).error == "UnknownPerson"
    err = revert(e.begin_stage1, Staff.AUTHORITY)
    assert err.error == "VettingIncomplete" and err.args_by_name["personId"] == ids[1]


def test_blacklisted_person_cannot_be_candidate(world: World) -> None:
    # R-EL-1, R-MR-9
    e = world.election()
    world.hand.grant(world.persons, Role.RECORD_WRITER)
    world.hand.relay(world.persons.functions.blacklist(world.ids[4], keccak(text="finding")))
    err = revert(e.add_candidates, world.ids[:6], Staff.AUTHORITY)
    assert err.error == "BlacklistedPerson" and err.rule == "R-EL-1"
    assert world.chain.call(e.contract.functions.candidateCount()) == 0  # nothing half-written


# ---------------------------------------------------------------- R-EL-2 stage 1, R-EL-5 quorum


def test_stage1_needs_a_contested_field(world: World) -> None:
    # R-EL-2: at least 8 eligible candidates
    e = world.prepared(9, failed={0: [1], 1: [2]})
    err = revert(e.begin_stage1, Staff.AUTHORITY)
    assert err.error == "NotContested" and err.args_by_name == {"eligible": 7, "needed": 8}


def test_stage1_top7_advance(world: World) -> None:
    # R-EL-2: ranked by votes, the top 7 advance
    e = world.prepared(9)
    top = stage1_clean(world, e)
    assert e.phase == Phase.UPPER_APPROVAL
    res = e.results()
    assert [r["votes"] for r in res["stage1"]["ranking"]] == [7, 6, 5, 4, 3, 2, 1, 0, 0]
    assert set(res["stage1"]["advanced"]) == {world.names[i] for i in top}
    assert res["runoffs"] == []


def test_ballot_rules(world: World) -> None:
    # R-EL-2: 0-10 distinct names of candidates on the ballot
    e = world.prepared(12)
    e.begin_stage1(Staff.AUTHORITY)
    r = e.open_poll(Staff.AUTHORITY)
    w0, w1 = e.wallets_for(Electorate.PARTY)[:2]
    err = revert(e.cast, w0, r, world.ids[:11])
    assert err.error == "BallotTooLong" and err.rule == "R-EL-2" and err.args_by_name == {"given": 11, "max": 10}
    with pytest.raises(BallotError, match="R-EL-2: P00 is named twice"):
        e.cast(w0, r, [world.ids[0], world.ids[0]])
    with pytest.raises(BallotError, match="R-EL-2: P13 is not a candidate"):
        e.cast(w0, r, [world.ids[13]])
    # a hand-made mask naming a 13th candidate is refused by the contract at reveal
    assert revert(world.chain.call, e.box.functions.validateBallot(r, 1 << 12)).error == "UnknownCandidate"
    empty = e.cast(w1, r, [])  # a blank ballot is valid
    assert empty.mask == 0


def test_quorum_void_and_rerun(world: World) -> None:
    # R-EL-5: a stage is valid only if more than half of its registered voters cast a ballot
    e = world.prepared(9, party=6)
    e.begin_stage1(Staff.AUTHORITY)
    first = e.pending_round()
    e.run_poll([world.ids[:7]] * 3, Staff.AUTHORITY, Staff.RELAYER)  # 3 of 6: not more than half
    rerun = e.pending_round()
    assert rerun == first + 1 and e.phase == Phase.STAGE1
    (ev,) = e.contract.events.PollVoid().get_logs(from_block=0)
    assert (ev.args.round, ev.args.rerun) == (first, rerun)
    p = e.poll(rerun)
    assert p.purpose == Purpose.STAGE1 and set(p.candidates) == set(world.ids[:9])
    e.run_poll([world.ids[:7]] * 4, Staff.AUTHORITY, Staff.RELAYER)  # 4 of 6
    assert e.phase == Phase.UPPER_APPROVAL
    assert e.results()["void_polls"] == [first]


def test_roll_frozen_and_credentials_bounded_by_roll(world: World) -> None:
    # R-EL-5: ballots cast can never exceed ballots issued; credentials never exceed the roll
    e = world.prepared(9, party=5)
    e.begin_stage1(Staff.AUTHORITY)
    err = revert(e.register_voters, Electorate.PARTY, [world.delegates(6)[5][0]], Staff.AUTHORITY)
    assert err.error == "RollFrozen"
    assert len(e.wallets_for(Electorate.PARTY)) == 5  # every delegate requests and registers
    assert e.credential_counts(Electorate.PARTY) == (5, 5, False)


# ---------------------------------------------------------------- R-EL-7 secret ballot


def test_secret_ballot_lifecycle(world: World) -> None:
    # R-EL-7: sealed until the poll closes, one-time credentials, anyone relays, voters verify, anyone re-tallies
    e = world.prepared(9, party=5)
    e.begin_stage1(Staff.AUTHORITY)
    r = e.open_poll(Staff.AUTHORITY)
    wallets = e.wallets_for(Electorate.PARTY)
    ballots = [e.cast(wallets[i], r, world.ids[i : i + 3]) for i in range(4)]
    e.relay(ballots[:2], Staff.RELAYER)
    e.relay(ballots[2:], 8)  # any account may relay
    # no tally before the poll closes
    assert revert(world.chain.call, e.box.functions.votes(r)).error == "WrongRoundStatus"
    # opening before the close is refused
    assert revert(e.reveal, ballots, Staff.RELAYER).error == "PollStillOpen"
    # a credential votes once
    again = e.cast(wallets[0], r, world.ids[5:6])
    err = revert(e.relay, [again], Staff.RELAYER)
    assert err.error == "CredentialUsed" and err.rule == "R-EL-7"
    # a forged credential (a key never registered) is refused
    forged = seal(Wallet.new(world.chain.chain_id, e.box.address, 0, wallets[0].modulus), r, 1)
    assert revert(e.relay, [forged], Staff.RELAYER).error == "UnregisteredCredential"
    e.wait_for_close(r)
    late = e.cast(wallets[4], r, world.ids[:1])
    assert revert(e.relay, [late], Staff.RELAYER).error == "PollClosed"
    # a reveal that does not match its commitment
    from dataclasses import replace

    tampered = replace(ballots[0], mask=ballots[0].mask ^ 1)
    batch = e.committed(r)
    entries = batch[0]
    fn = e.box.functions.reveal(r, 0, entries, [(0, tampered.mask, tampered.salt)])
    assert revert(world.chain.transact, fn, Staff.RELAYER).error == "RevealMismatch"
    e.reveal(ballots, Staff.RELAYER)
    again = e.box.functions.reveal(r, 0, entries, [(0, ballots[0].mask, ballots[0].salt)])
    assert revert(world.chain.transact, again, Staff.RELAYER).error == "AlreadyRevealed"  # the contract's guard
    nonce = world.chain.w3.eth.get_transaction_count(world.chain.accounts[Staff.RELAYER].address)
    e.reveal(ballots[:1], Staff.RELAYER)  # the client's resume: an opened ballot is not sent again
    assert world.chain.w3.eth.get_transaction_count(world.chain.accounts[Staff.RELAYER].address) == nonce
    e.wait_for_reveal_end(r)
    e.finalize(Staff.RELAYER)
    # every voter finds their ballot by (round, credential); anyone re-tallies from events alone
    revealed = e.box.events.BallotRevealed().get_logs(from_block=0)
    assert {(x.args.credential, int(x.args.mask)) for x in revealed} == {(b.credential, b.mask) for b in ballots}
    assert world.chain.call(e.box.functions.ballotStatus(r, wallets[2].address)) == [True, True]
    cands = e.poll(r).candidates
    retally = [0] * len(cands)
    for x in revealed:
        for pos in range(len(cands)):
            retally[pos] += (int(x.args.mask) >> pos) & 1
    assert e.poll(r).votes == retally
    (t,) = e.box.events.RoundTallied().get_logs(from_block=0)
    assert list(t.args.votes) == retally and t.args.cast == 4 and t.args.counted == 4


def test_unrevealed_ballot_counts_for_quorum_not_tally(world: World) -> None:
    # R-EL-5 counts ballots cast; R-EL-7 counts only opened ballots
    e = world.prepared(9, party=5)
    e.begin_stage1(Staff.AUTHORITY)
    r = e.open_poll(Staff.AUTHORITY)
    ballots = [e.cast(w, r, world.ids[:7]) for w in e.wallets_for(Electorate.PARTY)[:3]]
    e.relay(ballots, Staff.RELAYER)
    e.wait_for_close(r)
    e.reveal(ballots[:2], Staff.RELAYER)
    assert revert(e.finalize, Staff.RELAYER).error == "RevealStillOpen"
    e.wait_for_reveal_end(r)
    e.finalize(Staff.RELAYER)
    p = e.poll(r)
    assert p.status == 3 and p.cast == 3 and p.counted == 2 and max(p.votes) == 2


def test_only_election_authority_opens_polls(world: World) -> None:
    e = world.prepared(9)
    e.begin_stage1(Staff.AUTHORITY)
    assert revert(e.open_poll, Staff.VETTING).error == "JurisdictionRoleRequired"


# ---------------------------------------------------------------- R-EL-6 runoffs


def test_boundary_tie_opens_runoff_for_exactly_the_tied(world: World) -> None:
    # R-EL-6: P04..P08 tie for the last 3 places
    e = world.prepared(10)
    ids = world.ids
    e.begin_stage1(Staff.AUTHORITY)
    e.run_poll([ids[:9]] * 4 + [ids[:4]] * 3, Staff.AUTHORITY, Staff.RELAYER)
    r = e.pending_round()
    p = e.poll(r)
    assert p.purpose == Purpose.STAGE1_RUNOFF and set(p.candidates) == set(ids[4:9]) and p.seats == 3
    assert set(world.chain.call(e.contract.functions.finalists())) == set(ids[:4])
    # P04, P07 win; P05 and P06 tie again for the last place: run again among exactly them
    e.run_poll([[ids[4], ids[7], ids[5]], [ids[4], ids[7], ids[6]]] * 2, Staff.AUTHORITY, Staff.RELAYER)
    p2 = e.poll(e.pending_round())
    assert set(p2.candidates) == {ids[5], ids[6]} and p2.seats == 1 and p2.purpose == Purpose.STAGE1_RUNOFF
    assert {ids[4], ids[7]} <= set(world.chain.call(e.contract.functions.finalists()))
    e.run_poll([[ids[6]]] * 4, Staff.AUTHORITY, Staff.RELAYER)
    assert e.phase == Phase.UPPER_APPROVAL
    assert set(world.chain.call(e.contract.functions.finalists())) == set(ids[:5]) | {ids[6], ids[7]}
    assert [(r["purpose"], r["seats"]) for r in e.results()["runoffs"]] == [("stage1_runoff", 3), ("stage1_runoff", 1)]


# ---------------------------------------------------------------- R-EL-3 upper approval


def test_strike_and_replace(world: World) -> None:
    # R-EL-3: the upper committee strikes with a reason; the next-ranked fills the place
    e = world.prepared(9)
    top = stage1_clean(world, e)
    assert revert(e.strike, world.ids[8], keccak(text="why"), Staff.UPPER).error == "NotFinalist"
    assert revert(e.strike, top[0], keccak(text="why"), Staff.AUTHORITY).error == "JurisdictionRoleRequired"
    e.strike(top[2], keccak(text="reason"), Staff.UPPER)
    # P07 and P08 both had 0 votes: tie for the one free place -> runoff among exactly them
    p = e.poll(e.pending_round())
    assert p.purpose == Purpose.STAGE1_RUNOFF and set(p.candidates) == set(world.ids[7:9])
    assert revert(e.approve_list, Staff.UPPER).error == "PollPending"
    e.run_poll([[world.ids[8]]] * 4, Staff.AUTHORITY, Staff.RELAYER)
    fin = set(world.chain.call(e.contract.functions.finalists()))
    assert fin == (set(top) - {top[2]}) | {world.ids[8]}
    (ev,) = e.contract.events.Struck().get_logs(from_block=0)
    assert ev.args.personId == top[2] and ev.args.reasonHash == keccak(text="reason")
    # striking more than leaves a contested stage 2 (> 5 finalists) is refused
    e.strike(top[3], keccak(text="r2"), Staff.UPPER)  # P07 fills (last in the pool)
    e.strike(top[4], keccak(text="r3"), Staff.UPPER)  # nobody left to fill: 6 finalists for 5 places
    assert len(world.chain.call(e.contract.functions.finalists())) == 6
    err = revert(e.strike, top[5], keccak(text="r4"), Staff.UPPER)
    assert err.error == "StrikeLeavesTooFew" and err.rule == "R-EL-3"
    assert err.args_by_name == {"remaining": 5, "needed": 6}
    e.approve_list(Staff.UPPER)
    assert e.phase == Phase.STAGE2
    assert e.poll(e.pending_round()).max_names == 6  # R-EL-4: 0..all finalists


# ---------------------------------------------------------------- R-EL-4, R-EL-8 ... R-EL-11 offices


def full_election(world: World, stage2_order: list[int], *, incumbent: bytes = b"\0" * 32, pick: int | None = None):  # type: ignore[no-untyped-def]
    """Stage 1 clean (P00..P06 advance); stage 2 with 5 deputies gives candidates in ``stage2_order``
    5,4,3,2,1 votes (strict ranking); then the secretary picks ``pick`` (default: the lowest-ranked of the three)."""
    e = world.prepared(9, congress=5, incumbent=incumbent)
    stage1_clean(world, e)
    e.approve_list(Staff.UPPER)
    ranked = [world.ids[i] for i in stage2_order]
    e.run_poll([ranked[: 5 - v] for v in range(5)], Staff.AUTHORITY, Staff.RELAYER)
    assert e.phase == Phase.AWAITING_PICK, e.phase
    choices = [c for c in ranked[:5] if c not in e.offices().values()]
    world.pick(e, world.ids[pick] if pick is not None else choices[-1])
    return e


def test_offices_path2_by_rank(world: World) -> None:
    # R-EL-9, R-EL-10, R-OF-2: no incumbent: rank 1 secretary, rank 2 discipline, secretary picks the administrator
    e = full_election(world, [3, 1, 4, 0, 2, 5, 6], pick=4)
    off = e.offices()
    ids = world.ids
    assert off == {"secretary": ids[3], "discipline": ids[1], "congress": ids[0], "consultative": ids[2], "administrator": ids[4]}
    assert e.secretary_path() == 2 and e.phase == Phase.COMPLETED
    # R-EL-11: written into the jurisdiction at once; R-TL-1: terms counted
    for office, pid in off.items():
        assert world.chain.call(world.jurisdiction.functions.holder(Office.from_key(office))) == pid
        assert world.chain.call(world.persons.functions.termsServed(pid, Office.from_key(office))) == 1
    assert [r["votes"] for r in e.results()["stage2"]["ranking"]] == [5, 4, 3, 2, 1, 0, 0]


def test_path1_incumbent_in_top3_is_secretary_again(world: World) -> None:
    # R-EL-8: previous secretary ranked 3rd with one term served
    world.set_secretary_terms(world.ids[2], 1)
    e = full_election(world, [0, 1, 2, 3, 4, 5, 6], incumbent=world.ids[2], pick=4)
    off = e.offices()
    assert off["secretary"] == world.ids[2] and e.secretary_path() == 1
    # R-EL-10 [decision]: discipline is the first of the other four in rank order
    assert off["discipline"] == world.ids[0] and off["congress"] == world.ids[1] and off["consultative"] == world.ids[3]
    assert world.chain.call(world.persons.functions.termsServed(world.ids[2], 0)) == 2


def test_path1_fails_outside_top3(world: World) -> None:
    # R-EL-8 / R-TL-2: a previous secretary ranked 4th is not secretary; rotation by rank makes them congress chair
    world.set_secretary_terms(world.ids[3], 1)
    e = full_election(world, [0, 1, 2, 3, 4, 5, 6], incumbent=world.ids[3], pick=2)
    off = e.offices()
    assert off["secretary"] == world.ids[0] and e.secretary_path() == 2
    assert off["congress"] == world.ids[3]


def test_two_term_secretary_serves_in_another_office(world: World) -> None:
    # R-TL-1, R-EL-9 [decision]: ranked 1st with two terms served: never secretary, may hold another office
    world.set_secretary_terms(world.ids[0], 2)
    e = full_election(world, [0, 1, 2, 3, 4, 5, 6], incumbent=world.ids[0], pick=4)
    off = e.offices()
    assert off["secretary"] == world.ids[1] and e.secretary_path() == 2
    assert off["discipline"] == world.ids[0]
    assert not world.chain.call(e.contract.functions.eligibleForSecretary(world.ids[0]))
    assert world.chain.call(world.persons.functions.termsServed(world.ids[0], 0)) == 2


def test_administrator_pick_rules(world: World) -> None:
    # R-EL-10: only the secretary-elect, only among the remaining three, no default
    e = world.prepared(9, congress=5)
    stage1_clean(world, e)
    e.approve_list(Staff.UPPER)
    ranked = world.ids[:7]
    e.run_poll([ranked[: 5 - v] for v in range(5)], Staff.AUTHORITY, Staff.RELAYER)
    assert e.phase == Phase.AWAITING_PICK
    sec = e.offices()["secretary"]
    (ev,) = e.contract.events.AwaitingPick().get_logs(from_block=0)
    assert set(ev.args.choices) == set(world.ids[2:5])
    other = world.keys[world.ids[1]]
    assert revert(e.pick_administrator, world.ids[3], other).error == "NotSecretaryElect"
    err = revert(e.pick_administrator, world.ids[1], world.keys[sec])
    assert err.error == "NotPickable" and err.rule == "R-EL-10"
    assert revert(e.pick_administrator, world.ids[6], world.keys[sec]).error == "NotPickable"
    # the secretary-elect rotates their key (with the old one, issue 17); the new key picks
    from eth_account import Account

    new = Account.create()
    world.chain.transact(world.persons.functions.rotateKey(sec, new.address), world.keys[sec])
    world.chain.fund(new.address, 10**18)
    assert revert(e.pick_administrator, world.ids[3], world.keys[sec]).error == "NotSecretaryElect"
    e.pick_administrator(world.ids[3], new)
    assert e.offices()["administrator"] == world.ids[3]


def test_incumbent_is_the_chains_last_secretary(world: World) -> None:
    # R-EL-8: the previous secretary is the one the chain seated, never an argument; once a secretary
    # is seated, nobody can declare another
    e = full_election(world, [0, 1, 2, 3, 4, 5, 6], pick=4)
    assert e.offices()["secretary"] == world.ids[0]
    err = revert(lambda: world.chain.transact(world.jurisdiction.functions.declarePriorSecretary(world.ids[1]), Staff.ADMIN))
    assert err.error == "PriorSecretaryFixed" and err.rule == "R-EL-8"
    nxt = world.election(2)
    assert world.chain.call(nxt.contract.functions.incumbent()) == world.ids[0]
    assert world.chain.call(world.jurisdiction.functions.lastSecretary()) == world.ids[0]


def test_nobody_assigns_offices_by_hand(world: World) -> None:
    # R-EL-11: steps out of phase are refused
    e = world.prepared(9)
    assert revert(e.approve_list, Staff.UPPER).error == "WrongPhase"
    assert revert(e.finalize, Staff.RELAYER).error == "NoPollPending"
    assert revert(e.pick_administrator, world.ids[0], Staff.ADMIN).error == "WrongPhase"


def test_relay_and_reveal_resume_without_sending_twice(world: World) -> None:
    # crash safety: a relayer killed after some batches reruns the whole job; nothing is sent twice
    e = world.prepared(9, party=5)
    e.begin_stage1(Staff.AUTHORITY)
    r = e.open_poll(Staff.AUTHORITY)
    ballots = [e.cast(w, r, world.ids[i : i + 2]) for i, w in enumerate(e.wallets_for(Electorate.PARTY)[:4])]
    e.relay(ballots[:2], Staff.RELAYER, batch_size=1)  # ... then the relayer dies
    sender = world.chain.accounts[Staff.RELAYER].address
    nonce = world.chain.w3.eth.get_transaction_count(sender)
    e.relay(ballots, Staff.RELAYER, batch_size=1)  # rerun of the whole job
    assert world.chain.w3.eth.get_transaction_count(sender) == nonce + 2  # only the two missing ballots
    assert world.chain.call(e.box.functions.getRound(r))[4] == 4
    e.wait_for_close(r)
    e.reveal(ballots[:3], Staff.RELAYER)
    nonce = world.chain.w3.eth.get_transaction_count(sender)
    e.reveal(ballots, Staff.RELAYER)
    assert world.chain.w3.eth.get_transaction_count(sender) == nonce + 1  # one batch left to open
    assert world.chain.call(e.box.functions.getRound(r))[5] == 4


# ---------------------------------------------------------------- issue 15: engaged elsewhere (the rest: test_seating.py)


def test_elect_in_two_jurisdictions_refused(world: World) -> None:
    # issue 15 attack: P00 already stands elected in another jurisdiction (its election recorded it first)
    world.record_writer()
    ids, other = world.ids, world.address(Staff.UPPER)  # the other jurisdiction's address (never called while elect)
    world.hand.relay(world.persons.functions.engage(ids[0], other, False))
    e = world.to_pick()
    assert tuple(world.chain.call(world.persons.functions.engagement(ids[0]))) == (other, False)  # the first keeps them
    assert tuple(world.chain.call(world.persons.functions.engagement(ids[1]))) == (world.jurisdiction.address, False)
    world.pick(e, ids[2])
    assert world.seating_refused(e) == [(int(Office.SECRETARY), ids[0], 3)]
    world.pick(e, ids[3])
    assert e.phase == Phase.COMPLETED and ids[0] not in world.chain.call(world.jurisdiction.functions.holders())
    assert tuple(world.chain.call(world.persons.functions.engagement(ids[1]))) == (world.jurisdiction.address, True)
