"""Issue 15 item 4: poll windows from the profile and an opening deadline with a consequence (R-EL-7,
R-EL-11). The election authority's attacks (a one-second casting or counting window, a window stretched
for months, a poll never opened) are performed and must end in the ballot box's refusal; the upper
committee's fallback is refused before the opening deadline and accepted from it on.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import revert, snapshot_world
from edge_kit import send_at
from election_kit import World, build_world
from zhili import rebuild
from zhili.core.chain import Chain, ContractRevert
from zhili.election.client import ElectionClient, PollLimits
from zhili.jurisdiction import registry
from zhili.profiles import Profile
from zhili.testing import Staff

MIN, MAX, WITHIN = 600, 30 * 86400, 7 * 86400  # the township profile's bounds (election section)


def _build(chain: Chain) -> tuple[World, ElectionClient, int]:
    world = build_world(chain)
    e = world.prepared()
    e.begin_stage1(Staff.AUTHORITY)  # stage 1 scheduled: round 0 waits to be opened
    round_ = e.pending_round()
    assert round_ is not None
    return world, e, round_


@pytest.fixture
def scheduled(session_chain: Chain) -> Iterator[tuple[World, ElectionClient, int]]:
    """One election per chain with stage 1 scheduled and not opened; each test from a snapshot."""
    yield from snapshot_world(session_chain, "election-poll-windows", _build)


def _open(e: ElectionClient, round_: int, cast: int, count: int, who: Staff) -> None:
    e.chain.transact(e.box.functions.openRound(round_, cast, count), who)


def _refused(e: ElectionClient, round_: int, cast: int, count: int, who: Staff = Staff.AUTHORITY) -> ContractRevert:
    return revert(_open, e, round_, cast, count, who)


def test_limits_come_from_the_profile(scheduled: tuple[World, ElectionClient, int], township: Profile) -> None:
    # R-EL-7: the box enforces the jurisdiction's profile, copied at deployment (the authority gives none)
    world, e, r = scheduled
    assert e.poll_limits() == PollLimits(MIN, MIN, MIN, MAX, WITHIN) == PollLimits(*township.poll_limits())
    created = int(world.chain.call(e.box.functions.openDeadline(r))) - WITHIN
    assert created == int(e.box.events.RoundCreated().get_logs(from_block=0)[0].args.openDeadline) - WITHIN
    assert created <= world.chain.now()


def test_one_second_windows_and_months_are_refused(scheduled: tuple[World, ElectionClient, int]) -> None:
    # issue 15 attack (R-EL-7): the authority opens the poll for 1 second (nobody can vote) or counts for
    # 1 second (nobody can reveal), or one second short of the minimum, or stretches a window past the maximum
    world, e, r = scheduled
    for cast, count, which, given, bound in (
        (1, MIN, 1, 1, MIN),
        (MIN, 1, 2, 1, MIN),
        (MIN - 1, MIN, 1, MIN - 1, MIN),
        (MIN, MIN - 1, 2, MIN - 1, MIN),
        (MAX + 1, MIN, 1, MAX + 1, MIN),
        (MIN, MAX + 1, 2, MAX + 1, MIN),
    ):
        err = _refused(e, r, cast, count)
        assert err.error == "PollWindowOutOfBounds" and err.rule == "R-EL-7"
        assert err.args_by_name == {"which": which, "given": given, "min": bound, "max": MAX}
    snap = world.chain.snapshot()
    _open(e, r, MAX, MAX, Staff.AUTHORITY)  # exactly the maximum: accepted
    rnd = world.chain.call(e.box.functions.getRound(r))
    now = world.chain.now()
    assert (rnd[0], rnd[6] - now, rnd[7] - rnd[6]) == (2, MAX, MAX)
    world.chain.revert_to(snap)
    _open(e, r, MIN, MIN, Staff.AUTHORITY)  # exactly the minimum: accepted
    rnd = world.chain.call(e.box.functions.getRound(r))
    assert (rnd[0], rnd[6] - world.chain.now(), rnd[7] - rnd[6]) == (2, MIN, MIN)
    (ev,) = e.box.events.RoundOpened().get_logs(from_block=0)
    assert ev.args.openedBy == world.address(Staff.AUTHORITY)
    built = rebuild.rebuild_election(e.contract, e.box)  # RoundOpened folds into the poll's state
    built["polls"] = rebuild.comparable_polls(built["polls"])
    assert built == rebuild.state_election(world.chain, e.contract, e.box)


def test_upper_committee_opens_an_overdue_poll(scheduled: tuple[World, ElectionClient, int]) -> None:
    # issue 15 attack (R-EL-11): the authority never opens the poll, the old team stays in office.
    # Rule: from the opening deadline (scheduling + open_within_seconds) on, that second included, the
    # upper committee may open it too: mined in the second before it is refused, in the deadline's accepted
    world, e, r = scheduled
    chain = world.chain
    due = int(chain.call(e.box.functions.openDeadline(r)))
    err = _refused(e, r, MIN, MIN, Staff.UPPER)
    assert err.error == "OpeningNotOverdue" and err.rule == "R-EL-11" and err.args_by_name["openDeadline"] == due
    assert _refused(e, r, MIN, MIN, Staff.RELAYER).error == "JurisdictionRoleRequired"  # nobody else
    assert _refused(e, r, 1, MIN, Staff.UPPER).error == "PollWindowOutOfBounds"  # the committee too: the minimums
    opening = e.box.functions.openRound(r, MIN, MIN)
    assert send_at(chain, opening, Staff.UPPER, due - 1)["status"] == 0  # OpeningNotOverdue in the last second before
    assert send_at(chain, opening, Staff.UPPER, due)["status"] == 1
    (ev,) = e.box.events.RoundOpened().get_logs(from_block=0)
    assert ev.args.openedBy == world.address(Staff.UPPER) and ev.args.closesAt == due + MIN
    assert _refused(e, r, MIN, MIN).error == "WrongRoundStatus"  # opened once


def test_authority_can_still_open_after_the_deadline(scheduled: tuple[World, ElectionClient, int]) -> None:
    # R-EL-11: the deadline adds an opener, it takes nothing from the authority
    world, e, r = scheduled
    due = int(world.chain.call(e.box.functions.openDeadline(r)))
    world.chain.wait_until(due + 86400)
    assert e.open_poll(Staff.AUTHORITY) == r
    assert world.chain.call(e.box.functions.getRound(r))[0] == 2


def test_registration_window_from_scheduling(scheduled: tuple[World, ElectionClient, int], township: Profile) -> None:
    # R-EL-7 [decision]: casting closes at least min_register_seconds after the poll was scheduled, so
    # the last voter put on the roll has that long to obtain a credential; a profile with an hour of
    # registration refuses an opening that would close under an hour after scheduling
    world, _, _ = scheduled
    chain = world.chain
    data = {**township.data, "election": {**township.data["election"], "min_register_seconds": 3600}}
    calendar = chain.call(world.jurisdiction.functions.calendar())
    authority = world.address(Staff.AUTHORITY)
    j = registry.deploy_jurisdiction(chain, Profile(data, "test"), "330110-901", "registration", admin=Staff.ADMIN, roles={"election_authority": [authority]}, calendar=calendar)
    box = chain.deploy("BallotBox", j.address, world.persons.address, "0x" + "00" * 20, sender=Staff.ADMIN)  # ADMIN owns it, creates rounds
    chain.transact(box.functions.createRound(0, 9, 10, 7), Staff.ADMIN)
    created = int(chain.call(box.functions.openDeadline(0))) - WITHIN
    err = revert(chain.transact, box.functions.openRound(0, MIN, MIN), Staff.AUTHORITY)  # closes ~10 min after scheduling
    assert err.error == "PollWindowOutOfBounds" and err.rule == "R-EL-7"
    assert err.args_by_name["which"] == 0 and err.args_by_name["given"] <= MIN + 1 and err.args_by_name["min"] == 3600
    opening = box.functions.openRound(0, 3600 - 12, MIN)
    assert send_at(chain, opening, Staff.AUTHORITY, created + 11)["status"] == 0  # would close one second short
    assert send_at(chain, opening, Staff.AUTHORITY, created + 12)["status"] == 1  # closes exactly an hour after
    assert int(chain.call(box.functions.getRound(0))[6]) == created + 3600
