"""Lifetime identities (contracts/registry/PersonRegistry.sol): no single body takes over a person's key
(issue 17). Before, the registrar rotated any key at once: an election authority that was also the
registrar could move an absent deputy's key to its own and ask for that deputy's credential."""

from __future__ import annotations

import pytest
from eth_account import Account

from chain_kit import revert
from edge_kit import send_at
from zhili.core.chain import Chain
from zhili.testing import Staff, World
from zhili.types import Role

REGISTRAR, APPROVER = Staff.ADMIN, Staff.AUDITOR


@pytest.fixture
def world(chain: Chain) -> World:
    w = World.build(chain, people=2, seed="registry")
    chain.transact(w.persons.functions.grantRole(Role.RECOVERY_APPROVER, w.address(APPROVER)), Staff.ADMIN)
    return w


def test_only_the_persons_own_key_rotates_it(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    pid, old = world.ids[0], world.signer(0)
    thief, new = Account.create(), Account.create()
    err = revert(ch.transact, p.rotateKey(pid, thief.address), REGISTRAR)
    assert err.error == "NotOwnKey" and err.rule == "R-MR-1"
    assert revert(ch.transact, p.rotateKey(pid, world.address(Staff.ADMIN)), world.signer(1)).error == "NotOwnKey"
    assert revert(ch.transact, p.rotateKey(pid, world.signer(1).address), old).error == "KeyInUse"
    ch.transact(p.rotateKey(pid, new.address), old)
    assert ch.call(p.keyOf(pid)) == new.address and ch.call(p.personOf(old.address)) == b"\0" * 32


def test_a_lost_key_is_recovered_by_two_bodies_after_the_delay_unless_the_person_objects(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    pid, old, new = world.ids[0], world.signer(0), Account.create()
    delay = ch.call(p.RECOVERY_DELAY())
    assert delay == 7 * 24 * 3600
    assert revert(ch.transact, p.requestRecovery(pid, new.address), APPROVER).error == "AccessControlUnauthorizedAccount"
    assert revert(ch.transact, p.completeRecovery(pid), Staff.RELAYER).error == "NoRecovery"
    ch.transact(p.requestRecovery(pid, new.address), REGISTRAR)
    ready = ch.call(p.recovery(pid))[1]
    err = revert(ch.transact, p.completeRecovery(pid), Staff.RELAYER)
    assert err.error == "RecoveryNotApproved" and err.rule == "R-MR-1"
    # the registrar cannot approve its own request, even holding the approver role
    ch.transact(world.persons.functions.grantRole(Role.RECOVERY_APPROVER, world.address(REGISTRAR)), Staff.ADMIN)
    assert revert(ch.transact, p.approveRecovery(pid), REGISTRAR).error == "RecoveryNeedsTwoBodies"
    assert revert(ch.transact, p.approveRecovery(pid), Staff.RELAYER).error == "AccessControlUnauthorizedAccount"
    ch.transact(p.approveRecovery(pid), APPROVER)
    # the person still holds the key: they object, and the recovery is void
    assert revert(ch.transact, p.cancelRecovery(pid), Staff.RELAYER).error == "NotOwnKey"
    ch.transact(p.cancelRecovery(pid), old)
    assert revert(ch.transact, p.completeRecovery(pid), Staff.RELAYER).error == "NoRecovery"
    # asked again and approved: refused in the last second of the delay, done in its first second after
    ch.transact(p.requestRecovery(pid, new.address), REGISTRAR)
    ready = ch.call(p.recovery(pid))[1]
    ch.transact(p.approveRecovery(pid), APPROVER)
    assert send_at(ch, p.completeRecovery(pid), Staff.RELAYER, ready - 1)["status"] == 0
    assert ch.call(p.keyOf(pid)) == old.address
    assert send_at(ch, p.completeRecovery(pid), Staff.RELAYER, ready)["status"] == 1
    assert ch.call(p.keyOf(pid)) == new.address and tuple(ch.call(p.recovery(pid)))[0] == "0x" + "0" * 40


def test_rotating_ones_own_key_voids_a_pending_recovery(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    pid, old, mine, theirs = world.ids[1], world.signer(1), Account.create(), Account.create()
    ch.transact(p.requestRecovery(pid, theirs.address), REGISTRAR)
    ch.transact(p.approveRecovery(pid), APPROVER)
    ch.transact(p.rotateKey(pid, mine.address), old)
    assert revert(ch.transact, p.completeRecovery(pid), Staff.RELAYER).error == "NoRecovery"
    assert ch.call(p.keyOf(pid)) == mine.address
