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


@pytest.fixture
def world(session_chain: Chain) -> Iterator[World]:
    yield from snapshot_world(session_chain, "election", build_world)


def _to_stage2(w: World, incumbent: bytes = b"\0" * 32) -> ElectionClient:
    """Stage 1 where P00..P06 get 7..1 votes (7 finalists), the list approved: stage 2 is open."""
    e = w.prepared(9, congress=5, incumbent=incumbent)
    e.begin_stage1(Staff.AUTHORITY)
    e.run_poll([w.ids[: 7 - v] for v in range(7)], Staff.AUTHORITY, Staff.RELAYER)
    e.approve_list(Staff.UPPER)
    assert e.phase == Phase.STAGE2
    return e


def _elected(w: World, e: ElectionClient) -> set[bytes]:
    return set(w.chain.call(e.contract.functions.elected()))


def test_tie_at_the_stage2_cut_schedules_a_runoff_of_exactly_the_tied(world: World) -> None:
    # R-EL-4, R-EL-6: P00..P03 have 5 votes, P04, P05 and P06 one each: three tied for the fifth place
    ids = world.ids
    e = _to_stage2(world)
    top4 = ids[:4]
    e.run_poll([[*top4, ids[4]], [*top4, ids[5]], [*top4, ids[6]], top4, top4], Staff.AUTHORITY, Staff.RELAYER)
    assert _elected(world, e) == set(top4)  # only those strictly above the cut
    p = e.poll(e.pending_round())
    assert p.purpose == Purpose.STAGE2_RUNOFF and set(p.candidates) == set(ids[4:7]) and p.seats == 1
    assert e.phase == Phase.STAGE2
    e.run_poll([[ids[5]]] * 3 + [[ids[4]]] * 2, Staff.AUTHORITY, Staff.RELAYER)
    assert _elected(world, e) == set(top4) | {ids[5]}
    assert e.phase == Phase.OFFICES  # stage 2 done; P00..P03 tied at the top: offices go on by their own runoffs


def test_incumbent_tied_at_rank_3_goes_to_a_path_one_runoff(world: World) -> None:
    # R-EL-8: the previous secretary (P02, one term) shares rank 3 with P03: neither is in the top 3
    # alone, so a path-one runoff among exactly the two decides the one place left above the line
    ids = world.ids
    world.set_secretary_terms(ids[2], 1)
    e = _to_stage2(world, incumbent=ids[2])
    ballots = [ids[:5], ids[:5], ids[:4], ids[:2], ids[:1]]  # P00 5, P01 4, P02 3, P03 3, P04 2
    e.run_poll(ballots, Staff.AUTHORITY, Staff.RELAYER)
    assert _elected(world, e) == set(ids[:5])
    p = e.poll(e.pending_round())
    assert p.purpose == Purpose.PATH_ONE and set(p.candidates) == {ids[2], ids[3]} and p.seats == 1
    assert e.offices()["secretary"] is None
    e.run_poll([[ids[2]]] * 3 + [[ids[3]]] * 2, Staff.AUTHORITY, Staff.RELAYER)
    assert e.offices()["secretary"] == ids[2] and e.secretary_path() == 1
