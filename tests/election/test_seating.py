"""Issue 15, items 2, 3, 4 (the pick) and 8: eligibility checked again at seating, the administrator
pick's deadline and its fallback, per-office term caps in the township (R-EL-1, R-EL-10, R-MR-7,
R-MR-9, R-TL-1). Each insider attack of the issue is performed and must end in the contract's refusal.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_utils import keccak

from chain_kit import revert, snapshot_world
from edge_kit import send_at
from election_kit import World, build_world
from zhili.core.chain import Chain
from zhili.election.client import ElectionClient, Phase
from zhili.testing import HandSeater, Staff
from zhili.types import Office, Role

SEC, DISC, CONG, CONS, ADM = (int(o) for o in (Office.SECRETARY, Office.DISCIPLINE, Office.CONGRESS, Office.CONSULTATIVE, Office.ADMINISTRATOR))


def _build(chain: Chain) -> tuple[World, ElectionClient]:
    world = build_world(chain)
    ids = world.ids
    world.record_writer()
    world.set_secretary_terms(ids[0], 1)  # the secretary-elect has served one term
    # issue 15 attack (R-EL-8): P02, who never served, declared the secretary before the chain
    chain.transact(world.jurisdiction.functions.declarePriorSecretary(ids[2]), Staff.ADMIN)
    # R-TL-1 per office: P01 was discipline secretary twice, P02 once, P03 administrator twice
    for pid, office, n in ((ids[1], DISC, 2), (ids[2], DISC, 1), (ids[3], ADM, 2)):
        chain.transact(world.persons.functions.declarePriorTerms(pid, office, n), Staff.ADMIN)
    return world, world.to_pick()


@pytest.fixture
def picking(session_chain: Chain) -> Iterator[tuple[World, ElectionClient]]:
    """One election per chain run to the administrator pick (World.to_pick), each test from a snapshot:
    secretary P00 (path 2), discipline P02 (P01 skipped), the pick between P01 and P04 (P03 skipped)."""
    yield from snapshot_world(session_chain, "election-picking", _build)


def holders(world: World) -> list[bytes]:
    return [bytes(h) for h in world.chain.call(world.jurisdiction.functions.holders())][:5]


def test_blacklisted_after_stage1_began_is_not_seated(picking: tuple[World, ElectionClient]) -> None:
    # issue 15 attack (R-MR-9, R-EL-1): P02, elected discipline secretary, blacklisted after stage 1
    # began -> refused at seating; the 6th of stage 2 (P05) enters the five and the offices follow again
    world, e = picking
    ids = world.ids
    assert e.offices()["discipline"] == ids[2]
    world.hand.relay(world.persons.functions.blacklist(ids[2], keccak(text="finding")))
    world.pick(e, ids[4])
    assert world.seating_refused(e) == [(DISC, ids[2], 1)]
    assert e.phase == Phase.AWAITING_PICK  # offices derived again: discipline P03 (P01 barred), a new pick
    elected = world.chain.call(e.contract.functions.elected())
    assert ids[2] not in elected and ids[5] in elected
    world.pick(e, ids[4])
    assert e.phase == Phase.COMPLETED and ids[2] not in holders(world)
    assert e.offices()["discipline"] == ids[3]


def test_secretary_elect_blacklisted_during_pick_is_not_seated(picking: tuple[World, ElectionClient]) -> None:
    # issue 15 attack (R-MR-9): the secretary-elect is blacklisted during the pick window, then picks
    world, e = picking
    ids = world.ids
    world.hand.relay(world.persons.functions.blacklist(ids[0], keccak(text="finding")))
    world.pick(e, ids[4])
    assert world.seating_refused(e) == [(SEC, ids[0], 1)]
    assert e.phase == Phase.AWAITING_PICK and e.offices()["secretary"] == ids[1]  # next by the same rule (R-EL-9)
    world.pick(e, ids[4])
    assert e.phase == Phase.COMPLETED and holders(world)[SEC] == ids[1] and ids[0] not in holders(world)


def test_succession_during_pick_never_makes_a_third_term(picking: tuple[World, ElectionClient]) -> None:
    # issue 15 attack (R-TL-1): secretary-elect with one term takes the post by succession during the
    # pick window (a second term, R-SU-2): seated again they would end with three
    world, e = picking
    ids = world.ids
    assert e.offices()["secretary"] == ids[0]
    world.hand.relay(world.persons.functions.recordTerm(ids[0], SEC))  # what Succession records
    world.pick(e, ids[4])
    assert world.seating_refused(e) == [(SEC, ids[0], 4)]  # only the office is barred: P00 stays among the five
    off = e.offices()
    assert off["secretary"] == ids[1] and off["discipline"] == ids[0]
    world.pick(e, ids[2])
    assert e.phase == Phase.COMPLETED
    assert world.chain.call(world.persons.functions.termsServed(ids[0], SEC)) == 2 and holders(world)[DISC] == ids[0]


def test_demerit_at_resignation_threshold_refused(picking: tuple[World, ElectionClient]) -> None:
    # issue 15 attack (R-MR-7): a demerit total of exactly 6.0 (final during the pick) is refused at
    # seating; 5.9 is not
    world, e = picking
    ids, chain = world.ids, world.chain
    book = chain.deploy("MeritBook", world.address(Staff.ADMIN), world.persons.address, sender=Staff.ADMIN)
    chain.transact(world.persons.functions.bindMeritBook(book.address), Staff.ADMIN)
    err = revert(lambda: chain.transact(world.persons.functions.bindMeritBook(book.address), Staff.ADMIN))
    assert err.error == "MeritBookAlreadyBound"
    writer = HandSeater.deploy(chain, world.jurisdiction, world.persons, book, operator=Staff.ADMIN)  # stands in for a merit ledger
    writer.grant(book, Role.LEDGER_WRITER)
    writer.relay(book.functions.append(ids[0], 1, 4, 60, keccak(text="silence 0")))  # Demerit, Silence: 6.0
    writer.relay(book.functions.append(ids[1], 1, 4, 59, keccak(text="silence 1")))  # 5.9
    world.pick(e, ids[4])
    assert world.seating_refused(e) == [(SEC, ids[0], 2)]
    world.pick(e, ids[4])
    assert e.phase == Phase.COMPLETED and holders(world)[SEC] == ids[1] and ids[0] not in holders(world)


def test_pick_deadline_and_fallback_by_rank(picking: tuple[World, ElectionClient]) -> None:
    # R-EL-10 [decision]: the secretary-elect picks within the oath period (working days, on-chain
    # calendar); in its last second the pick counts, one second later it is refused and anyone applies
    # the fallback: the highest-ranked of the remaining who may hold it (P01)
    world, e = picking
    ids, chain = world.ids, world.chain
    deadline = e.pick_deadline
    assert deadline > chain.now()
    err = revert(e.lapse_pick, Staff.RELAYER)
    assert err.error == "PickStillOpen" and err.rule == "R-EL-10"
    snap = chain.snapshot()
    chain.wait_until(deadline - 1)  # the next block is stamped `deadline`
    err = revert(e.lapse_pick, Staff.RELAYER)
    assert err.error == "PickStillOpen"
    world.pick(e, ids[4])
    assert chain.w3.eth.get_block("latest")["timestamp"] == deadline and e.offices()["administrator"] == ids[4]
    chain.revert_to(snap)
    chain.wait_until(deadline + 1)
    err = revert(world.pick, e, ids[4])
    assert err.error == "PickDeadlinePassed" and err.args_by_name["deadline"] == deadline
    e.lapse_pick(Staff.RELAYER)
    assert e.phase == Phase.COMPLETED and e.offices()["administrator"] == ids[1]


def test_lapse_refused_in_the_pick_deadlines_own_second(picking: tuple[World, ElectionClient]) -> None:
    # R-EL-10 (issue 20 edge): the pick counts in the deadline's own second, so the fallback mined in that
    # second is refused (PickStillOpen); mined a second later it applies (anyone may send it)
    world, e = picking
    chain, deadline = world.chain, e.pick_deadline
    lapse = e.contract.functions.lapsePick()
    assert send_at(chain, lapse, Staff.RELAYER, deadline)["status"] == 0
    assert e.phase == Phase.AWAITING_PICK
    assert send_at(chain, lapse, Staff.RELAYER, deadline + 1, gas=12_000_000)["status"] == 1
    assert e.phase == Phase.COMPLETED and e.offices()["administrator"] == world.ids[1]


def test_never_served_incumbent_is_no_incumbent(picking: tuple[World, ElectionClient]) -> None:
    # issue 15 attack (R-EL-8): the seat vacant, P02 who never served was declared the previous
    # secretary and ranks 3rd: no incumbent, path 1 does not apply, the candidate ranked 1st is secretary
    world, e = picking
    ids = world.ids
    assert world.chain.call(world.jurisdiction.functions.lastSecretary()) == ids[2]
    assert world.chain.call(e.contract.functions.incumbent()) == b"\0" * 32
    assert e.offices()["secretary"] == ids[0] and e.secretary_path() == 2


def test_per_office_term_caps_in_the_township(picking: tuple[World, ElectionClient]) -> None:
    # R-TL-1 as corrected (000 L331): a second term in an office is allowed, a third refused, per office;
    # R-EL-10 skips the office for whoever has held it twice
    world, e = picking
    ids, chain = world.ids, world.chain
    assert e.offices()["discipline"] == ids[2]  # P01 (rank 2) skipped: two discipline terms; P02's second is allowed
    (ev, *_) = reversed(e.contract.events.AwaitingPick().get_logs(from_block=e.from_block))
    assert set(ev.args.choices) == {ids[1], ids[4]}  # P03 has been administrator twice
    err = revert(world.pick, e, ids[3])
    assert err.error == "NotPickable" and err.rule == "R-EL-10"
    world.pick(e, ids[4])
    off = e.offices()
    assert off["congress"] == ids[1] and off["consultative"] == ids[3] and e.phase == Phase.COMPLETED
    assert chain.call(world.persons.functions.termsServed(ids[2], DISC)) == 2
    assert chain.call(world.persons.functions.termsServed(ids[1], DISC)) == 2  # not a third
