"""Lifetime identities (contracts/registry/PersonRegistry.sol): no single body takes over a person's key
(issue 17). Before, the registrar rotated any key at once: an election authority that was also the
registrar could move an absent deputy's key to its own and ask for that deputy's credential."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_utils import keccak
from web3.logs import DISCARD

from chain_kit import revert
from edge_kit import send_at
from zhili import rebuild
from zhili.core.chain import Chain
from zhili.persons.client import IdentityError, identity_commitment, label_identity, person_id
from zhili.testing import Staff, World, identity_of
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


# ---------------------------------------------------------------------------- edges (issue 20, mut27)
# Each pins one bound of rotation and recovery that the tests above reach only in the middle: the
# mutation list (tests/mutation/mutants.yaml, block "key rotation and recovery") names them.

DELAY = 7 * 24 * 3600  # SPEC/issue 17: the objection window of a recovery, 7 days (not read from the contract)
NONE = "0x" + "0" * 40


def same(a: str, b: str) -> bool:
    """Two addresses alike (a custom error's arguments come back in lower case)."""
    return a.lower() == b.lower()


def test_the_delay_runs_seven_days_from_the_requests_own_second(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    pid, new = world.ids[0], Account.create()
    asked = ch.now() + 100
    receipt = send_at(ch, p.requestRecovery(pid, new.address), REGISTRAR, asked)
    assert receipt["status"] == 1
    (ev,) = world.persons.events.RecoveryRequested().process_receipt(receipt, errors=DISCARD)
    assert (ev.args.newKey, ev.args.readyAt, ev.args.requestedBy) == (new.address, asked + DELAY, world.address(REGISTRAR))
    assert tuple(ch.call(p.recovery(pid))) == (new.address, asked + DELAY, False, world.address(REGISTRAR))
    ch.transact(p.approveRecovery(pid), APPROVER)
    err = revert(ch.transact, p.completeRecovery(pid), Staff.RELAYER)
    assert err.error == "RecoveryNotReady" and err.rule == "R-MR-1" and err.args_by_name["readyAt"] == asked + DELAY
    # the last second of the seven days refused, the first second after accepted (counted here, not read back)
    assert send_at(ch, p.completeRecovery(pid), Staff.RELAYER, asked + DELAY - 1)["status"] == 0
    assert ch.call(p.keyOf(pid)) == world.signer(0).address
    assert send_at(ch, p.completeRecovery(pid), Staff.RELAYER, asked + DELAY)["status"] == 1
    assert ch.call(p.keyOf(pid)) == new.address and ch.call(p.personOf(new.address)) == pid


def test_a_new_request_replaces_the_pending_one_and_needs_its_own_approval(world: World) -> None:
    # an approval given for key A must not carry over when the registrar asks again for key B
    ch, p = world.chain, world.persons.functions
    pid, old, a, b = world.ids[0], world.signer(0), Account.create(), Account.create()
    ch.transact(p.requestRecovery(pid, a.address), REGISTRAR)
    ch.transact(p.approveRecovery(pid), APPROVER)
    assert tuple(ch.call(p.recovery(pid)))[2] is True
    ch.transact(p.requestRecovery(pid, b.address), REGISTRAR)
    newkey, ready, approved, by = tuple(ch.call(p.recovery(pid)))
    assert (newkey, approved, by) == (b.address, False, world.address(REGISTRAR)) and ready >= ch.now() + DELAY - 1
    ch.wait_until(ready + 1)
    err = revert(ch.transact, p.completeRecovery(pid), Staff.RELAYER)
    assert err.error == "RecoveryNotApproved" and same(err.args_by_name["requestedBy"], world.address(REGISTRAR))
    assert ch.call(p.keyOf(pid)) == old.address
    ch.transact(p.approveRecovery(pid), APPROVER)
    ch.transact(p.completeRecovery(pid), Staff.RELAYER)
    assert ch.call(p.keyOf(pid)) == b.address and ch.call(p.personOf(a.address)) == b"\0" * 32


def test_a_request_for_an_unknown_person_a_zero_key_or_a_key_in_use_is_refused_at_once(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    pid, other, stranger = world.ids[0], world.ids[1], b"\x5a" * 32
    err = revert(ch.transact, p.requestRecovery(stranger, Account.create().address), REGISTRAR)
    assert err.error == "UnknownPerson" and err.args_by_name["personId"] == stranger
    assert revert(ch.transact, p.requestRecovery(pid, NONE), REGISTRAR).error == "ZeroValue"
    err = revert(ch.transact, p.requestRecovery(pid, world.signer(1).address), REGISTRAR)
    assert err.error == "KeyInUse" and same(err.args_by_name["key"], world.signer(1).address) and err.args_by_name["personId"] == other
    assert tuple(ch.call(p.recovery(pid)))[0] == NONE  # nothing pending
    # nor does the person rotate to the zero key (the id would lose its key: unregistered)
    assert revert(ch.transact, p.rotateKey(pid, NONE), world.signer(0)).error == "ZeroValue"
    assert ch.call(p.isRegistered(pid)) and ch.call(p.keyOf(pid)) == world.signer(0).address
    assert ch.call(p.isRegistered(stranger)) is False


def test_the_registrar_withdraws_its_request_and_nothing_pending_cannot_be_cancelled(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    pid, old, new = world.ids[0], world.signer(0), Account.create()
    err = revert(ch.transact, p.cancelRecovery(pid), old)
    assert err.error == "NoRecovery" and err.args_by_name["personId"] == pid
    ch.transact(p.requestRecovery(pid, new.address), REGISTRAR)
    ch.transact(p.approveRecovery(pid), APPROVER)
    err = revert(ch.transact, p.cancelRecovery(pid), APPROVER)  # the approver is not the registrar
    assert err.error == "NotOwnKey" and same(err.args_by_name["caller"], world.address(APPROVER))
    receipt = ch.transact(p.cancelRecovery(pid), REGISTRAR)
    (ev,) = world.persons.events.RecoveryCancelled().process_receipt(receipt, errors=DISCARD)
    assert (ev.args.personId, ev.args.cancelledBy) == (pid, world.address(REGISTRAR))
    assert tuple(ch.call(p.recovery(pid)))[0] == NONE
    assert revert(ch.transact, p.cancelRecovery(pid), REGISTRAR).error == "NoRecovery"
    assert revert(ch.transact, p.completeRecovery(pid), Staff.RELAYER).error == "NoRecovery"


def test_rotating_voids_a_recovery_not_yet_approved(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    pid, old, mine, theirs = world.ids[1], world.signer(1), Account.create(), Account.create()
    ch.transact(p.requestRecovery(pid, theirs.address), REGISTRAR)
    receipt = ch.transact(p.rotateKey(pid, mine.address), old)
    (ev,) = world.persons.events.RecoveryCancelled().process_receipt(receipt, errors=DISCARD)
    assert (ev.args.personId, ev.args.cancelledBy) == (pid, old.address)
    assert tuple(ch.call(p.recovery(pid)))[0] == NONE
    # the approver comes late: nothing left to approve, and nothing completes after the delay
    assert revert(ch.transact, p.approveRecovery(pid), APPROVER).error == "NoRecovery"
    ch.advance_time(DELAY + 1)
    assert revert(ch.transact, p.completeRecovery(pid), Staff.RELAYER).error == "NoRecovery"
    assert ch.call(p.keyOf(pid)) == mine.address and ch.call(p.personOf(theirs.address)) == b"\0" * 32


# ---------------------------------------------------------------------------- identity (issue 17)
# A person id is bound at registration, for good, to a commitment to the person's real-world identity
# (zhili.persons.identity_commitment; docs/threat-model.md "Person registry: identity"): one id per
# identity, so a blacklisted person cannot come back under a new id with a clean record.

ZERO32 = b"\0" * 32


def test_attack_registrar_re_registers_a_blacklisted_person_under_a_new_id(world: World) -> None:
    # issue 17: the registrar gave a person blacklisted for corruption (R-MR-9) a fresh id and key, whose
    # record was clean: hindrance 0, eligible everywhere. The identity they were registered with refuses it.
    ch, p = world.chain, world.persons.functions
    pid, identity = world.ids[0], identity_of("registry", 0)
    assert ch.call(p.identityOf(pid)) == identity
    world.by_hand(Role.RECORD_WRITER, p.blacklist(pid, keccak(text="finding: own corruption")))  # the merit ledger's finding
    count = ch.call(p.personCount())
    fresh, key = person_id("registry person 0, again"), Account.create()
    err = revert(ch.transact, p.register(fresh, key.address, identity), REGISTRAR)
    assert err.error == "IdentityBlacklisted" and err.rule == "R-MR-9"
    assert err.args_by_name["identity"] == identity and err.args_by_name["personId"] == pid
    assert ch.call(p.isRegistered(fresh)) is False and ch.call(p.personOf(key.address)) == ZERO32
    assert ch.call(p.personCount()) == count and ch.call(p.personOfIdentity(identity)) == pid
    # under any id: one derived like the real one (another salt) is refused the same way
    assert revert(ch.transact, p.register(person_id("registry person 0", b"another salt"), key.address, identity), REGISTRAR).error == "IdentityBlacklisted"
    # the blacklisted id itself stays what it was: bound to its identity, blacklisted, never eligible
    assert ch.call(p.isBlacklisted(pid)) and ch.call(p.hindrance(pid, world.jurisdiction.address, 60)) == 1


def test_a_second_id_for_the_same_identity_is_refused(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    pid, identity = world.ids[1], identity_of("registry", 1)
    fresh, key = person_id("registry person 1, second id"), Account.create()
    err = revert(ch.transact, p.register(fresh, key.address, identity), REGISTRAR)
    assert err.error == "IdentityInUse" and err.rule == "R-MR-1"
    assert err.args_by_name["identity"] == identity and err.args_by_name["personId"] == pid
    assert ch.call(p.isRegistered(fresh)) is False
    # a key rotation or a recovery never frees the identity: still bound after the person's own rotation
    ch.transact(p.rotateKey(pid, Account.create().address), world.signer(1))
    assert revert(ch.transact, p.register(fresh, key.address, identity), REGISTRAR).error == "IdentityInUse"
    # the same new id with another person's identity is fine: the refusal is the identity's, not the id's
    other = label_identity("registry person 1, second id")
    receipt = ch.transact(p.register(fresh, key.address, other), REGISTRAR)
    assert receipt["status"] == 1 and ch.call(p.identityOf(fresh)) == other and ch.call(p.identityOf(pid)) == identity


def test_a_zero_identity_is_refused(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    fresh, key = person_id("registry person without identity"), Account.create()
    err = revert(ch.transact, p.register(fresh, key.address, ZERO32), REGISTRAR)
    assert err.error == "ZeroValue" and err.rule == "R-MR-1"
    assert ch.call(p.isRegistered(fresh)) is False and ch.call(p.personOfIdentity(ZERO32)) == ZERO32
    # and a nonzero identity of a single set bit is accepted (zero is the only value refused)
    one = b"\0" * 31 + b"\x01"
    ch.transact(p.register(fresh, key.address, one), REGISTRAR)
    assert ch.call(p.identityOf(fresh)) == one and ch.call(p.personOfIdentity(one)) == fresh


def test_the_identity_shows_in_the_event_the_views_and_the_rebuild(world: World) -> None:
    ch, p = world.chain, world.persons.functions
    fresh, key = person_id("registry newcomer"), Account.create()
    identity = identity_commitment("11010519491231002X", b"\x42" * 32)
    receipt = ch.transact(p.register(fresh, key.address, identity), REGISTRAR)
    (ev,) = world.persons.events.PersonRegistered().process_receipt(receipt, errors=DISCARD)
    assert (ev.args.personId, ev.args.key, ev.args.identity) == (fresh, key.address, identity)
    assert ch.call(p.identityOf(fresh)) == identity and ch.call(p.personOfIdentity(identity)) == fresh
    assert ch.call(p.identityOf(person_id("nobody"))) == ZERO32 and ch.call(p.personOfIdentity(keccak(text="nobody"))) == ZERO32
    # events rebuild state: the fold carries each id's identity, equal to the views
    folded = rebuild.rebuild_persons(world.persons)
    assert folded["0x" + fresh.hex()]["identity"] == "0x" + identity.hex()
    assert folded == rebuild.state_persons(ch, world.persons, folded.keys())
    assert {v["identity"] for v in folded.values()} == {"0x" + identity.hex(), *("0x" + identity_of("registry", i).hex() for i in range(2))}


def test_identity_commitment_is_one_value_per_card_and_key() -> None:
    # no per-person salt: the same card and province key give the same commitment, whatever its spelling
    k = b"\x42" * 32
    assert identity_commitment("11010519491231002X", k) == identity_commitment(" 110105 19491231 002x ", k)
    assert identity_commitment("11010519491231002X", k) == keccak(b"zhili.identity.v1" + k + b"11010519491231002X")
    assert identity_commitment("11010519491231002X", k) != identity_commitment("11010519491231002X", b"\x43" * 32)
    for bad in ("110105194912310021", "1101051949123100", "11010519491231002Y", "A1010519491231002X", ""):
        with pytest.raises(IdentityError, match="R-MR-1"):
            identity_commitment(bad, k)
    for key in (b"", b"\x42" * 31, b"\0" * 32):
        with pytest.raises(IdentityError, match="R-MR-1: the province identity key"):
            identity_commitment("11010519491231002X", key)
    assert label_identity("a") != label_identity("b") and label_identity("a") != identity_commitment("11010519491231002X", k)
