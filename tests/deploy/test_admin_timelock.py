"""After deployment the admins are an ``AdminTimelock`` (issue 17, admin powers; both chains).

The deployment plan (``admin_timelock`` in the config) hands ``DEFAULT_ADMIN_ROLE`` of the jurisdiction,
the person registry, the merit book and the calendar to OpenZeppelin's ``TimelockController`` whose
proposer is one body (here the organisation department's key) and executor another (here a key standing
for the congress standing committee), with the profile's delay (7 days); the deploying key renounces.
An admin action (here: a contract bound to the jurisdiction granted ``OFFICE_WRITER``, the way a
contract would be replaced) is scheduled in public, waits, and is carried out by the second body only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak
from hexbytes import HexBytes
from web3.logs import DISCARD

from chain_kit import revert, snapshot_world
from edge_kit import send_at
from zhili import profiles
from zhili.core.chain import Chain
from zhili.deploy import plan
from zhili.testing import HandSeater, Staff
from zhili.types import Office, Role

ADMIN = b"\0" * 32
PROPOSER, CANCELLER, EXECUTOR = (keccak(text=r) for r in ("PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE"))
A, B = Staff.ORG, Staff.AUDITOR  # body A proposes (and may cancel), body B executes
ZERO32 = b"\0" * 32
ADMINISTERED = {"jurisdiction": "Jurisdiction", "persons": "PersonRegistry", "merit_book": "MeritBook", "calendar": "WorkCalendar"}


class Deployed:
    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        acct = chain.accounts
        self.profile = profiles.load("township")
        self.params = plan.parameters(self.profile, "330110-001", "良渚镇", acct[Staff.ADMIN].address, timelock=([acct[A].address], [acct[B].address]))
        self.addresses = plan.apply(chain, self.params, plan.GROUPS, sender=Staff.ADMIN)
        self.timelock = chain.contract("AdminTimelock", self.addresses["admin_timelock"])
        self.j = chain.contract("Jurisdiction", self.addresses["jurisdiction"])

    def schedule(self, fn: Any, salt: bytes, delay: int | None = None) -> tuple[Any, bytes]:
        """Body A schedules ``fn`` (a call on an administered contract); the timelock call and the op's id."""
        d = self.profile.admin_delay_seconds if delay is None else delay
        data = HexBytes(fn._encode_transaction_data())
        return self.timelock.functions.schedule(fn.address, 0, data, ZERO32, salt, d), bytes(self.chain.call(self.timelock.functions.hashOperation(fn.address, 0, data, ZERO32, salt)))

    def execute(self, fn: Any, salt: bytes) -> Any:
        return self.timelock.functions.execute(fn.address, 0, HexBytes(fn._encode_transaction_data()), ZERO32, salt)


@pytest.fixture
def deployed(session_chain: Chain) -> Iterator[Deployed]:
    yield from snapshot_world(session_chain, "admin timelock", Deployed)


def test_the_deployer_holds_no_admin_role_after_deployment(deployed: Deployed) -> None:
    ch, t = deployed.chain, deployed.timelock
    deployer = ch.accounts[Staff.ADMIN].address
    assert [s.name for s in plan.steps(deployed.params)][-9:] == ["admin_timelock"] + [f"{step}.admin.{what}" for step in ADMINISTERED for what in ("timelock", "renounce")]
    for step, contract in ADMINISTERED.items():
        c = ch.contract(contract, deployed.addresses[step])
        assert not ch.call(c.functions.hasRole(ADMIN, deployer)), step
        assert ch.call(c.functions.hasRole(ADMIN, t.address)), step
    assert ch.call(t.functions.getMinDelay()) == 7 * 86400 == deployed.profile.admin_delay_seconds
    a, b = ch.accounts[A].address, ch.accounts[B].address
    assert ch.call(t.functions.hasRole(PROPOSER, a)) and ch.call(t.functions.hasRole(CANCELLER, a)) and ch.call(t.functions.hasRole(EXECUTOR, b))
    assert not any(ch.call(t.functions.hasRole(r, who)) for r in (PROPOSER, CANCELLER) for who in (b, deployer))
    assert not any(ch.call(t.functions.hasRole(EXECUTOR, who)) for who in (a, deployer, "0x" + "00" * 20))  # nobody else executes
    assert not ch.call(t.functions.hasRole(ADMIN, deployer)) and ch.call(t.functions.hasRole(ADMIN, t.address))  # it administers itself
    # the deploying key (and either body alone) can no longer grant anything directly
    for who in (Staff.ADMIN, A, B):
        err = revert(ch.transact, deployed.j.functions.grantRole(Role.AUDITOR, ch.accounts[Staff.RELAYER].address), who)
        assert err.error == "AccessControlUnauthorizedAccount"
    # run again: every step is already so, nothing is sent
    before = ch.w3.eth.block_number
    plan.apply(ch, deployed.params, plan.GROUPS, dict(deployed.addresses), sender=Staff.ADMIN)
    assert ch.w3.eth.block_number == before


def test_an_admin_action_waits_the_delay_in_public_and_needs_the_second_body(deployed: Deployed) -> None:
    ch, j, t = deployed.chain, deployed.j, deployed.timelock
    hand = HandSeater.deploy(ch, j, operator=Staff.RELAYER)  # a contract bound here, meant to write offices
    grant = j.functions.grantRole(Role.OFFICE_WRITER, hand.address)
    delay = deployed.profile.admin_delay_seconds
    # body B cannot propose; body A cannot propose a shorter delay than the profile's
    call, op = deployed.schedule(grant, keccak(text="replace"))
    assert revert(ch.transact, call, B).error == "AccessControlUnauthorizedAccount"
    short, _ = deployed.schedule(grant, keccak(text="replace"), delay - 1)
    err = revert(ch.transact, short, A)
    assert err.error == "TimelockInsufficientDelay" and err.args_by_name["minDelay"] == delay
    # body A proposes: public on chain, with everything the action will do
    receipt = ch.transact(call, A)
    (ev,) = t.events.CallScheduled().process_receipt(receipt, errors=DISCARD)
    assert bytes(ev.args.id) == op and ev.args.target == j.address and bytes(ev.args.data) == bytes(HexBytes(grant._encode_transaction_data()))
    assert ev.args.delay == delay
    ready = ch.call(t.functions.getTimestamp(op))
    assert ready == ch.w3.eth.get_block(receipt["blockHash"])["timestamp"] + delay  # by hash: the provider caches blocks by number across reverts
    # the last second before the delay has passed: refused, the role not granted
    assert send_at(ch, deployed.execute(grant, keccak(text="replace")), B, ready - 1)["status"] == 0
    assert not ch.call(j.functions.hasRole(Role.OFFICE_WRITER, hand.address))
    # the first second it has: body B carries it out
    r = send_at(ch, deployed.execute(grant, keccak(text="replace")), B, ready)
    assert r["status"] == 1 and len(t.events.CallExecuted().process_receipt(r, errors=DISCARD)) == 1
    assert ch.call(j.functions.hasRole(Role.OFFICE_WRITER, hand.address))
    hand.seat(Office.SECRETARY, keccak(text="a person"))
    assert ch.call(j.functions.holder(int(Office.SECRETARY))) == keccak(text="a person")


def test_the_proposing_body_alone_cannot_carry_out_its_proposal(deployed: Deployed) -> None:
    ch, j, t = deployed.chain, deployed.j, deployed.timelock
    grant = j.functions.grantRole(Role.AUDITOR, ch.accounts[Staff.RELAYER].address)
    call, op = deployed.schedule(grant, keccak(text="auditor"))
    ch.transact(call, A)
    ch.wait_until(ch.call(t.functions.getTimestamp(op)) + 86400)  # long after the delay
    for who in (A, Staff.ADMIN, Staff.RELAYER):
        err = revert(ch.transact, deployed.execute(grant, keccak(text="auditor")), who)
        assert err.error == "AccessControlUnauthorizedAccount" and bytes(err.args_by_name["neededRole"]) == EXECUTOR
    assert not ch.call(j.functions.hasRole(Role.AUDITOR, ch.accounts[Staff.RELAYER].address))
    # body A may cancel what it proposed (body B may not); a cancelled action never runs
    assert revert(ch.transact, t.functions.cancel(op), B).error == "AccessControlUnauthorizedAccount"
    ch.transact(t.functions.cancel(op), A)
    assert revert(ch.transact, deployed.execute(grant, keccak(text="auditor")), B).error == "TimelockUnexpectedOperationState"
    # and the writer-role check (part 1) still holds for what the bodies schedule: a key is refused at execution
    key_grant = j.functions.grantRole(Role.OFFICE_WRITER, ch.accounts[Staff.RELAYER].address)
    call, op = deployed.schedule(key_grant, keccak(text="key"))
    ch.transact(call, A)
    ch.wait_until(ch.call(t.functions.getTimestamp(op)))
    assert revert(ch.transact, deployed.execute(key_grant, keccak(text="key")), B).error == "WriterNotContract"


def test_the_config_names_two_bodies(tmp_path: Path) -> None:
    # `admin_timelock` in zhili-config.yaml: two bodies, neither empty, no key in both, not with `admin`
    a, b = "0x" + "00" * 19 + "0a", "0x" + "00" * 19 + "0b"
    cfg = tmp_path / "c.yaml"

    def load(timelock: str, extra: str = "") -> plan.JurisdictionConfig:
        cfg.write_text(f"networks: {{n: {{host: x}}}}\njurisdictions: {{'330110-001': {{name: x, profile: township, {extra}admin_timelock: {timelock}}}}}\n")
        return plan.load_config(cfg, "n", "330110-001")[1]

    j = load(f"{{proposers: ['{a}'], executors: ['{b}']}}")
    assert (j.timelock_proposers, j.timelock_executors) == ([a], [b])
    for bad, message in (
        (f"{{proposers: ['{a}'], executors: ['{a}']}}", "two bodies"),
        (f"{{proposers: ['{a}']}}", "executors: expected a non-empty list"),
        (f"{{proposers: [], executors: ['{b}']}}", "proposers: expected a non-empty list"),
        (f"{{proposers: ['{a}'], executors: ['nobody']}}", "is not an address"),
    ):
        with pytest.raises(plan.DeployError, match=message):
            load(bad)
    with pytest.raises(plan.DeployError, match="either admin or admin_timelock"):
        load(f"{{proposers: ['{a}'], executors: ['{b}']}}", f"admin: '{a}', ")
