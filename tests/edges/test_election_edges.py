"""Election edges (issue 20) the random model tests reach only sometimes, made deterministic: a tie
across the stage-2 cut (R-EL-6: a runoff among exactly the tied, for exactly the places left, never a
silent tie-break) and the incumbent tied at rank 3 (R-EL-8: a path-one runoff among the tie group)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import snapshot_world
from election_kit import World, build_world
from zhili.core.chain import Chain
from zhili.election.client import ElectionClient, Phase, Purpose
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
