"""A new term's election on a jurisdiction whose admin is the ``AdminTimelock`` (issue 17; both chains).

The deployment plan with ``admin_timelock`` hands the admin roles of the jurisdiction and the province's
registry to the timelock (body A, the organisation department, proposes; body B, a key standing for the
congress standing committee, executes; 7 days). ``ElectionClient.deploy`` then cannot grant the new
election ``OFFICE_WRITER`` and ``RECORD_WRITER`` itself: it deploys the election and schedules the two
grants through the timelock (the deploying key may propose), or leaves the command for body A. Body B
carries them out after the delay; not a second earlier, and body A alone never."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_utils import keccak

from chain_kit import revert, snapshot_world
from edge_kit import send_at
from zhili import profiles
from zhili.admin import AdminClient, grant_roles
from zhili.admin.client import EXECUTOR_ROLE, PROPOSER_ROLE, operation_id
from zhili.core.chain import Chain
from zhili.deploy import plan
from zhili.election.client import ElectionClient
from zhili.election.cppcc import CppccClient
from zhili.testing import Staff
from zhili.types import Role

A, B = Staff.ORG, Staff.AUDITOR  # body A proposes (and may cancel), body B executes
DELAY = 7 * 86400


class Deployed:
    def __init__(self, chain: Chain, profile: str = "township") -> None:
        self.chain = chain
        acct = chain.accounts
        self.profile = profiles.load(profile)
        code, name = ("330110-001", "良渚镇") if profile == "township" else ("330110", "余杭区")
        params = plan.parameters(self.profile, code, name, acct[Staff.ADMIN].address, timelock=([acct[A].address], [acct[B].address]))
        self.addresses = plan.apply(chain, params, plan.GROUPS, sender=Staff.ADMIN)
        self.admin = AdminClient.at(chain, self.addresses["admin_timelock"])
        self.j = chain.contract("Jurisdiction", self.addresses["jurisdiction"])
        self.p = chain.contract("PersonRegistry", self.addresses["persons"])


@pytest.fixture
def deployed(session_chain: Chain) -> Iterator[Deployed]:
    yield from snapshot_world(session_chain, "admin client", Deployed)


@pytest.fixture
def county(session_chain: Chain) -> Iterator[Deployed]:
    yield from snapshot_world(session_chain, "admin client county", lambda ch: Deployed(ch, "county"))


def roles_of(d: Deployed, election: str) -> tuple[bool, bool]:
    ch = d.chain
    return ch.call(d.j.functions.hasRole(Role.OFFICE_WRITER, election)), ch.call(d.p.functions.hasRole(Role.RECORD_WRITER, election))


def test_an_election_is_granted_its_roles_through_the_timelock_after_the_delay(deployed: Deployed) -> None:
    ch, t = deployed.chain, deployed.admin
    assert t.min_delay == DELAY == deployed.profile.admin_delay_seconds
    e = ElectionClient.deploy(ch, deployed.j, deployed.p, 1, admin=A, succession=deployed.addresses["succession"])
    # deployed, its two grants scheduled in public through the timelock, not granted yet
    assert [(g.role, g.state, g.timelock) for g in e.grants] == [("office_writer", "scheduled", t.address), ("record_writer", "scheduled", t.address)]
    assert roles_of(deployed, e.contract.address) == (False, False)
    ops = t.pending()
    assert [op.id for op in ops] == [g.operation.id for g in e.grants if g.operation]
    for op, target in zip(ops, (deployed.j.address, deployed.p.address), strict=True):
        assert op.state == "waiting" and op.target == target and op.delay == DELAY and op.proposer == ch.accounts[A].address
        assert op.ready_at == op.scheduled_at + DELAY == ch.call(t.timelock.functions.getTimestamp(op.id))
        assert op.id == operation_id(op.target, 0, op.data, op.predecessor, op.salt) == bytes(ch.call(t.timelock.functions.hashOperation(op.target, 0, op.data, op.predecessor, op.salt)))
    assert ops[0].call == f"grantRole(office_writer, {e.contract.address})" and ops[1].call == f"grantRole(record_writer, {e.contract.address})"
    # executed early by the client: the contract refuses, the error names the ready time
    err = revert(t.execute, ops[0].id, B)
    assert err.error == "TimelockUnexpectedOperationState" and f"ready at {ops[0].ready_at}" in str(err)
    # body A alone cannot carry out its proposal, even long after the delay
    ch.wait_until(ops[1].ready_at + 3600)
    for who in (A, Staff.ADMIN):
        err = revert(t.execute, ops[0].id, who)
        assert err.error == "AccessControlUnauthorizedAccount" and bytes(err.args_by_name["neededRole"]) == EXECUTOR_ROLE
    assert roles_of(deployed, e.contract.address) == (False, False)
    assert [op.state for op in t.pending()] == ["ready", "ready"]
    # body B: both carried out, the election can now write offices and terms
    for op in ops:
        assert t.execute(op.id, B).state == "done"
    assert roles_of(deployed, e.contract.address) == (True, True)
    assert t.pending() == [] and [(op.state, op.executor) for op in t.operations()] == [("done", ch.accounts[B].address)] * 2
    # done is done: a second execution is refused
    assert revert(t.execute, ops[0].id, B).error == "TimelockUnexpectedOperationState"


def test_the_grant_one_second_before_the_delay_is_refused_at_the_delay_accepted(deployed: Deployed) -> None:
    ch, t = deployed.chain, deployed.admin
    e = ElectionClient.deploy(ch, deployed.j, deployed.p, 1, admin=A)
    op = e.grants[0].operation
    assert op is not None
    fn = t.timelock.functions.execute(op.target, 0, op.data, op.predecessor, op.salt)
    assert send_at(ch, fn, B, op.ready_at - 1)["status"] == 0  # mined in the delay's last second
    assert roles_of(deployed, e.contract.address) == (False, False)
    assert send_at(ch, fn, B, op.ready_at)["status"] == 1  # mined in the first second it has passed
    assert roles_of(deployed, e.contract.address) == (True, False)
    assert [o.state for o in t.operations()] == ["done", "waiting"]  # the second grant was scheduled a block later


def test_a_deployer_who_cannot_propose_gets_the_commands_and_nothing_is_granted(deployed: Deployed) -> None:
    ch, t = deployed.chain, deployed.admin
    e = ElectionClient.deploy(ch, deployed.j, deployed.p, 1, admin=Staff.AUTHORITY)  # the election authority is no body of the timelock
    assert not t.has_role(PROPOSER_ROLE, ch.accounts[Staff.AUTHORITY].address)
    assert [(g.state, g.operation) for g in e.grants] == [("to_schedule", None)] * 2
    assert e.grants[0].command == f"zhili admin schedule grant office_writer --to {e.contract.address} --on {deployed.j.address} --timelock {t.address}"
    assert t.operations() == [] and roles_of(deployed, e.contract.address) == (False, False)
    # body B cannot schedule either (it only executes): it too gets the command, and the timelock refuses B's schedule
    assert [g.state for g in grant_roles(ch, [(deployed.j, "office_writer", e.contract.address)], B, label="x")] == ["to_schedule"]
    data = t.role_call("grant", Role.OFFICE_WRITER, e.contract.address, deployed.j.address)
    err = revert(t.schedule, deployed.j.address, data, B)
    assert err.error == "AccessControlUnauthorizedAccount" and bytes(err.args_by_name["neededRole"]) == PROPOSER_ROLE


def test_cancel_and_schedule_again(deployed: Deployed) -> None:
    ch, t = deployed.chain, deployed.admin
    data = t.role_call("grant", Role.AUDITOR, ch.accounts[Staff.RELAYER].address, deployed.j.address)
    op = t.schedule(deployed.j.address, data, A)
    assert revert(t.cancel, op.id, B).error == "AccessControlUnauthorizedAccount"  # only body A cancels
    assert t.cancel(op.id, A).state == "cancelled"
    ch.wait_until(op.ready_at)
    assert revert(t.execute, op.id, B).error == "TimelockUnexpectedOperationState"
    again = t.schedule(deployed.j.address, data, A)  # the same action again: a fresh salt, a new id
    assert again.id != op.id and [o.state for o in t.operations()] == ["cancelled", "waiting"]
    # a shorter delay than the timelock's is refused by the contract
    err = revert(t.schedule, deployed.j.address, data, A, delay=DELAY - 1, salt=keccak(text="short"))
    assert err.error == "TimelockInsufficientDelay" and err.args_by_name["minDelay"] == DELAY


def test_the_bodies_change_through_the_timelock_itself(deployed: Deployed) -> None:
    # [decision] the timelock administers itself: a new executing body is proposed by A, public for the delay, executed by B
    ch, t = deployed.chain, deployed.admin
    new_body = ch.accounts[Staff.RELAYER].address
    assert revert(ch.transact, t.timelock.functions.grantRole(EXECUTOR_ROLE, new_body), A).error == "AccessControlUnauthorizedAccount"  # not directly
    op = t.schedule(t.address, t.role_call("grant", EXECUTOR_ROLE, new_body, t.address), A)
    assert op.call == f"grantRole(executor, {new_body})"
    ch.wait_until(op.ready_at)
    assert not t.has_role(EXECUTOR_ROLE, new_body)
    t.execute(op.id, B)
    assert t.has_role(EXECUTOR_ROLE, new_body) and t.members()["executor"] == [ch.accounts[B].address, new_body]


def test_a_county_cppcc_session_is_granted_office_writer_through_the_timelock(county: Deployed) -> None:
    # the county CPPCC's session (R-EL-12) vacates the consultative office: its OFFICE_WRITER goes the same way
    ch, t = county.chain, county.admin
    c = CppccClient.deploy(ch, county.j, county.p, 1, admin=A)
    (g,) = c.grants
    assert (g.role, g.state) == ("office_writer", "scheduled") and g.operation is not None
    assert not ch.call(county.j.functions.hasRole(Role.OFFICE_WRITER, c.contract.address))
    ch.wait_until(g.operation.ready_at)
    t.execute(g.operation.id, B)
    assert ch.call(county.j.functions.hasRole(Role.OFFICE_WRITER, c.contract.address))
