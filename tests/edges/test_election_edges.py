"""Election edges (issue 20) the random model tests reach only sometimes, made deterministic: a tie
across the stage-2 cut (R-EL-6: a runoff among exactly the tied, for exactly the places left, never a
silent tie-break) and the incumbent tied at rank 3 (R-EL-8: a path-one runoff among the tie group);
and the forgery proof of the credential cap (R-EL-7): no proof while a slot is left, none without the
authority's signature, a proof at the cap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import _WORLDS, revert, snapshot_world
from election_kit import World, build_world, issuer
from zhili.core.chain import Chain
from zhili.election import blind
from zhili.election.client import ElectionClient, Electorate, Phase, Purpose
from zhili.testing import Staff


def _build(chain: Chain) -> tuple[World, ElectionClient]:
    """Stage 1 where P00..P06 get 7..1 votes (7 finalists), the list approved: stage 2 is open. The
    previous secretary is P02 with one term served (R-EL-8)."""
    w = build_world(chain)
    w.set_secretary_terms(w.ids[2], 1)
    e = w.prepared(9, congress=5, incumbent=w.ids[2])
    e.begin_stage1(Staff.AUTHORITY)
    e.run_poll([w.ids[: 7 - v] for v in range(7)], Staff.AUTHORITY, Staff.RELAYER)
    e.approve_list(Staff.UPPER)
    assert e.phase == Phase.STAGE2
    e.wallets_for(e.electorate_of(e.pending_round() or 0))  # the deputies' credentials, issued and registered (R-EL-5)
    return w, e


@pytest.fixture
def stage2(session_chain: Chain) -> Iterator[tuple[World, ElectionClient]]:
    """One election at stage 2 per chain, built once; each test runs from a snapshot of it with a
    client of its own (a client keeps what it sent, which a revert undoes), holding the registered
    credentials of the build (on chain before the snapshot, so a revert keeps them)."""
    for w, e in snapshot_world(session_chain, "edges-election-stage2", _build):
        c = ElectionClient.at(session_chain, e.contract.address, e.from_block)
        c.wallets = {k: list(v) for k, v in e.wallets.items()}
        yield w, c


def _elected(w: World, e: ElectionClient) -> set[bytes]:
    return set(w.chain.call(e.contract.functions.elected()))


def test_tie_at_the_stage2_cut_schedules_a_runoff_of_exactly_the_tied(stage2: tuple[World, ElectionClient]) -> None:
    # R-EL-4, R-EL-6: P00..P03 have 5 votes, P04, P05 and P06 one each: three tied for the fifth place
    world, e = stage2
    ids = world.ids
    top4 = ids[:4]
    e.run_poll([[*top4, ids[4]], [*top4, ids[5]], [*top4, ids[6]], top4, top4], Staff.AUTHORITY, Staff.RELAYER)
    assert _elected(world, e) == set(top4)  # only those strictly above the cut
    p = e.poll(e.pending_round())
    assert p.purpose == Purpose.STAGE2_RUNOFF and set(p.candidates) == set(ids[4:7]) and p.seats == 1
    assert e.phase == Phase.STAGE2
    e.run_poll([[ids[5]]] * 3 + [[ids[4]]] * 2, Staff.AUTHORITY, Staff.RELAYER)
    assert _elected(world, e) == set(top4) | {ids[5]}
    assert e.phase == Phase.OFFICES  # stage 2 done; P00..P03 (P02 the incumbent) tied at the top: offices go on by runoffs


def test_incumbent_tied_at_rank_3_goes_to_a_path_one_runoff(stage2: tuple[World, ElectionClient]) -> None:
    # R-EL-8: the previous secretary (P02, one term) shares rank 3 with P03: neither is in the top 3
    # alone, so a path-one runoff among exactly the two decides the one place left above the line
    world, e = stage2
    ids = world.ids
    ballots = [ids[:5], ids[:5], ids[:4], ids[:2], ids[:1]]  # P00 5, P01 4, P02 3, P03 3, P04 2
    e.run_poll(ballots, Staff.AUTHORITY, Staff.RELAYER)
    assert _elected(world, e) == set(ids[:5])
    p = e.poll(e.pending_round())
    assert p.purpose == Purpose.PATH_ONE and set(p.candidates) == {ids[2], ids[3]} and p.seats == 1
    assert e.offices()["secretary"] is None
    e.run_poll([[ids[2]]] * 3 + [[ids[3]]] * 2, Staff.AUTHORITY, Staff.RELAYER)
    assert e.offices()["secretary"] == ids[2] and e.secretary_path() == 1


@pytest.fixture
def stage1(session_chain: Chain) -> Iterator[tuple[World, ElectionClient]]:
    """The election tests' world (chain_kit, shared with tests/election) with an election whose stage 1
    has begun: five delegates on the party roll, the issuer key published; rolled back afterwards."""
    key = ("election", session_chain.kind)
    if key not in _WORLDS:
        _WORLDS[key] = build_world(session_chain)
    w = _WORLDS[key]
    snap = session_chain.snapshot()
    e = w.prepared(9, congress=5)
    e.begin_stage1(Staff.AUTHORITY)
    yield w, e
    session_chain.revert_to(snap)


def test_forgery_proof_only_at_the_cap_and_only_with_the_authoritys_signature(stage1: tuple[World, ElectionClient]) -> None:
    # R-EL-7 (the credentials of the secret ballot): a valid, unregistered credential proves a forgery only when every issued credential is
    # registered (it could otherwise still register: one slot left is no proof), and only with the
    # authority's signature over its own address; at the cap with that signature the electorate is compromised
    w, e = stage1
    party = int(Electorate.PARTY)
    voters = w.delegates(5)
    (a,) = e.enrol(Electorate.PARTY, voters[:1], issuer(), Staff.AUTHORITY, Staff.RELAYER)
    b = e.new_wallet(Electorate.PARTY)
    e.request_credentials([b.request(*voters[1])], Staff.RELAYER)
    e.answer_requests(issuer(), Staff.AUTHORITY)
    b = b.finalize(e.blind_signature(Electorate.PARTY, voters[1][0]) or b"")
    assert e.credential_counts(Electorate.PARTY)[:2] == (2, 1)  # issued 2, registered 1: one slot left
    prove = e.box.functions.proveForgery
    err = revert(w.chain.transact, prove(party, b.address, b.signature or b""), Staff.RELAYER)
    assert err.error == "NoForgeryProof" and err.rule == "R-EL-7" and (err.args_by_name["electorate"], err.args_by_name["credential"].lower()) == (party, b.address.lower())
    forged = e.new_wallet(Electorate.PARTY)
    forged = forged.finalize(blind.blind_sign(issuer().key, forged.blinded))
    e.register_credentials([forged], Staff.AUTHORITY)  # the authority's own credential takes b's slot
    assert e.credential_counts(Electorate.PARTY) == (2, 2, False)
    err = revert(w.chain.transact, prove(party, b.address, a.signature or b""), Staff.RELAYER)  # a's signature, not b's
    assert err.error == "NoForgeryProof" and (err.args_by_name["electorate"], err.args_by_name["credential"].lower()) == (party, b.address.lower())
    assert e.credential_counts(Electorate.PARTY) == (2, 2, False)
    w.chain.transact(prove(party, b.address, b.signature or b""), Staff.RELAYER)
    assert e.credential_counts(Electorate.PARTY) == (2, 2, True)
