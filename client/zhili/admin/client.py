"""The two bodies of an ``AdminTimelock`` (issue 17): schedule, execute and cancel admin actions, and
the operations rebuilt from the timelock's events.

After a deployment with ``admin_timelock`` in ``zhili-config.yaml`` the admin role of the jurisdiction,
the person registry, the merit book and the calendar belongs to ``contracts/governance/AdminTimelock.sol``
(OpenZeppelin's ``TimelockController``). One body (``PROPOSER_ROLE``, which may also cancel) schedules an
action in public; the other (``EXECUTOR_ROLE``) carries it out once the delay has passed. This client
builds the calldata of an action (a role granted or revoked on an administered contract), its salt and
predecessor and the delay, and reads every operation back from the events ``CallScheduled``,
``CallSalt``, ``CallExecuted`` and ``Cancelled``; the time an operation becomes ready and its state come
from the chain (``getTimestamp``, ``getOperationState`` at the latest block), never the machine's clock.

The contract decides: executing early, executing as the proposing body, scheduling with less than the
timelock's minimum delay are refused by ``TimelockController`` and surface as
:class:`~zhili.core.chain.ContractRevert` naming its error (an early execution also names the ready time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_abi import encode
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from web3.contract import Contract

from ..core.chain import Chain, ContractRevert
from ..errors import InputError, NotFound
from ..types import Role

ZERO32 = b"\0" * 32
DEFAULT_ADMIN = b"\0" * 32
PROPOSER_ROLE = bytes(keccak(text="PROPOSER_ROLE"))
EXECUTOR_ROLE = bytes(keccak(text="EXECUTOR_ROLE"))
CANCELLER_ROLE = bytes(keccak(text="CANCELLER_ROLE"))
TIMELOCK_ROLES = {PROPOSER_ROLE: "proposer", EXECUTOR_ROLE: "executor", CANCELLER_ROLE: "canceller", DEFAULT_ADMIN: "default_admin"}
#: zhili's role names (``office_writer`` …, contracts/lib/Roles.sol), ``default_admin``, and the timelock's
#: own (``proposer``, ``executor``, ``canceller``: the bodies are changed through the timelock itself)
ROLES: dict[str, bytes] = (
    {"default_admin": DEFAULT_ADMIN} | {k.lower(): v for k, v in vars(Role).items() if k.isupper() and isinstance(v, bytes)} | {v: k for k, v in TIMELOCK_ROLES.items() if k != DEFAULT_ADMIN}
)
#: the contracts an admin action may target, whose ABIs decode its calldata for display
ADMINISTERED = ("Jurisdiction", "PersonRegistry", "MeritBook", "WorkCalendar", "AdminTimelock")
ACTIONS = {"grant": "grantRole", "revoke": "revokeRole"}
STATES = ("unset", "waiting", "ready", "done")  # TimelockController.OperationState
CST = dt.timezone(dt.timedelta(hours=8))


def role_of(name: str) -> bytes:
    try:
        return ROLES[name.lower()]
    except KeyError:
        raise InputError(f"unknown role {name!r}; expected one of {', '.join(sorted(ROLES))}") from None


def role_name(rid: bytes) -> str:
    return {v: k for k, v in ROLES.items()}.get(bytes(rid), "0x" + bytes(rid).hex())


def when(ts: int) -> str:
    """A chain timestamp as China Standard Time."""
    return dt.datetime.fromtimestamp(ts, CST).isoformat()


def operation_id(target: str, value: int, data: bytes, predecessor: bytes, salt: bytes) -> bytes:
    """``TimelockController.hashOperation``: ``keccak256(abi.encode(target, value, data, predecessor, salt))``."""
    return bytes(keccak(encode(["address", "uint256", "bytes", "bytes32", "bytes32"], [to_checksum_address(target), value, bytes(data), predecessor, salt])))


@dataclass
class Operation:
    """One scheduled operation, rebuilt from the timelock's events; ``ready_at`` and ``state`` are the chain's."""

    id: bytes
    target: str
    value: int
    data: bytes
    predecessor: bytes
    salt: bytes
    delay: int
    scheduled_block: int
    scheduled_at: int  #: the timestamp of the scheduling block
    ready_at: int  #: scheduled_at + delay: ``getTimestamp`` while pending (the chain's own record)
    state: str  #: waiting, ready, done or cancelled
    proposer: str = ""
    call: str = ""  #: the decoded call, e.g. ``grantRole(office_writer, 0x…)``
    executed_block: int | None = None
    executor: str | None = None
    cancelled_block: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": "0x" + self.id.hex(), "state": self.state, "target": self.target, "call": self.call, "data": "0x" + self.data.hex(),
            "value": self.value, "predecessor": "0x" + self.predecessor.hex(), "salt": "0x" + self.salt.hex(), "delay": self.delay,
            "scheduled_block": self.scheduled_block, "scheduled_at": self.scheduled_at, "ready_at": self.ready_at, "ready_at_cst": when(self.ready_at),
            "proposer": self.proposer, "executed_block": self.executed_block, "executor": self.executor, "cancelled_block": self.cancelled_block,
        }  # fmt: skip


@dataclass
class AdminClient:
    """An ``AdminTimelock`` on a chain: what its two bodies do and what it has scheduled."""

    chain: Chain
    timelock: Contract
    from_block: int = 0
    _abis: dict[str, Contract] = field(default_factory=dict)

    @classmethod
    def at(cls, chain: Chain, address: str, from_block: int = 0) -> AdminClient:
        return cls(chain, chain.contract("AdminTimelock", address), from_block)

    @classmethod
    def deploy(cls, chain: Chain, delay: int, proposers: list[str], executors: list[str], *, sender: Any = None) -> AdminClient:
        """A new timelock (the deployment plan's row ``admin_timelock`` does the same, and hands it the admin roles)."""
        c = chain.deploy("AdminTimelock", delay, proposers, executors, sender=sender, label="admin.deploy")
        return cls(chain, c, chain.w3.eth.block_number)

    @property
    def address(self) -> str:
        return str(self.timelock.address)

    @property
    def min_delay(self) -> int:
        return int(self.chain.call(self.timelock.functions.getMinDelay()))

    def has_role(self, role: bytes, account: str) -> bool:
        return bool(self.chain.call(self.timelock.functions.hasRole(role, to_checksum_address(account))))

    def members(self) -> dict[str, list[str]]:
        """Who holds each of the timelock's roles now (from ``RoleGranted``, checked against ``hasRole``)."""
        seen: dict[bytes, list[str]] = {}
        for ev in self.timelock.events.RoleGranted().get_logs(from_block=self.from_block):
            accounts = seen.setdefault(bytes(ev.args.role), [])
            if ev.args.account not in accounts:
                accounts.append(ev.args.account)
        return {TIMELOCK_ROLES.get(r, "0x" + r.hex()): [a for a in accts if self.has_role(r, a)] for r, accts in seen.items()}

    # ------------------------------------------------------------------ actions

    def role_call(self, action: str, role: bytes, account: str, target: str) -> bytes:
        """The calldata of ``grantRole``/``revokeRole`` (``action``: grant or revoke) on ``target``."""
        if action not in ACTIONS:
            raise InputError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        c = self.chain.contract("Jurisdiction", target)  # AccessControl's functions: one selector on every contract
        fn = getattr(c.functions, ACTIONS[action])(role, to_checksum_address(account))
        return bytes(HexBytes(fn._encode_transaction_data()))

    def next_salt(self, target: str, data: bytes) -> bytes:
        """A salt no operation of this timelock used: ``keccak256("zhili.admin", n)`` with ``n`` the
        number of operations scheduled so far, so the same action scheduled again (after a cancellation
        or an execution) gets a new id, and the salt can be found again from the events."""
        n = len({bytes(e.args.id) for e in self.timelock.events.CallScheduled().get_logs(from_block=self.from_block)})
        while True:
            salt = bytes(keccak(encode(["string", "address", "bytes", "uint256"], ["zhili.admin", to_checksum_address(target), data, n])))
            if not self.chain.call(self.timelock.functions.isOperation(operation_id(target, 0, data, ZERO32, salt))):
                return salt
            n += 1

    def delay_for(self, profile_delay: int | None) -> int:
        """The delay an action is scheduled with: the profile's ``deadlines.admin_delay_days`` in seconds,
        or the timelock's minimum if that is longer (the bodies may have raised it through the timelock);
        without a profile, the timelock's minimum (set from the profile at deployment)."""
        return max(profile_delay or 0, self.min_delay)

    def schedule(self, target: str, data: bytes, sender: Any, *, delay: int | None = None, predecessor: bytes = ZERO32, salt: bytes | None = None) -> Operation:
        """Schedule ``data`` on ``target`` (body A); the operation as the chain recorded it."""
        target = to_checksum_address(target)
        salt = self.next_salt(target, data) if salt is None else salt
        d = self.delay_for(None) if delay is None else delay
        if predecessor != ZERO32 and not self.chain.call(self.timelock.functions.isOperation(predecessor)):
            raise NotFound(f"predecessor {'0x' + predecessor.hex()} is no operation of timelock {self.address}")
        self.chain.transact(self.timelock.functions.schedule(target, 0, data, predecessor, salt, d), sender, label="admin.schedule")
        return self.operation(operation_id(target, 0, data, predecessor, salt))

    def execute(self, op_id: bytes, sender: Any) -> Operation:
        """Carry out a scheduled operation (body B). Refused by the contract before it is ready (the
        error then also names the ready time and the chain's time), after it was done or cancelled, and
        for anyone without ``EXECUTOR_ROLE``."""
        op = self.operation(op_id)
        fn = self.timelock.functions.execute(op.target, op.value, op.data, op.predecessor, op.salt)
        try:
            self.chain.transact(fn, sender, label="admin.execute")
        except ContractRevert as exc:
            if exc.error == "TimelockUnexpectedOperationState" and op.state == "waiting":
                now = self.chain.now()
                note = f"operation {'0x' + op.id.hex()} is waiting: ready at {op.ready_at} ({when(op.ready_at)}), the chain's time is {now} ({op.ready_at - now} s to go)"
                raise ContractRevert(exc.error, exc.args_by_name, exc.rule, note, exc.contract, exc.data) from None
            if exc.error == "TimelockUnexpectedOperationState":
                raise ContractRevert(exc.error, exc.args_by_name, exc.rule, f"operation {'0x' + op.id.hex()} is {op.state}", exc.contract, exc.data) from None
            raise
        return self.operation(op_id)

    def cancel(self, op_id: bytes, sender: Any) -> Operation:
        """Withdraw a pending operation (``CANCELLER_ROLE``, body A)."""
        self.operation(op_id)  # a known id, or NotFound
        self.chain.transact(self.timelock.functions.cancel(op_id), sender, label="admin.cancel")
        return self.operation(op_id)

    # ------------------------------------------------------------------ operations from events

    def operations(self) -> list[Operation]:
        """Every operation this timelock scheduled, in order, its last scheduling's lifecycle."""
        t = self.timelock
        salts = {bytes(e.args.id): bytes(e.args.salt) for e in t.events.CallSalt().get_logs(from_block=self.from_block)}
        events = [*t.events.CallScheduled().get_logs(from_block=self.from_block), *t.events.CallExecuted().get_logs(from_block=self.from_block), *t.events.Cancelled().get_logs(from_block=self.from_block)]
        events.sort(key=lambda e: (e.blockNumber, e.logIndex))
        ops: dict[bytes, Operation] = {}
        times: dict[int, int] = {}
        senders: dict[bytes, str] = {}

        def block_time(number: int, block_hash: Any) -> int:
            if number not in times:  # by hash: the provider caches blocks by number across snapshot reverts
                times[number] = int(self.chain.w3.eth.get_block(block_hash)["timestamp"])
            return times[number]

        def sender_of(tx_hash: Any) -> str:
            key = bytes(tx_hash)
            if key not in senders:
                senders[key] = str(self.chain.w3.eth.get_transaction(tx_hash)["from"])
            return senders[key]

        for e in events:
            oid = bytes(e.args.id)
            if e.event == "CallScheduled":
                if int(e.args.index) != 0:
                    continue  # a batch (scheduleBatch): shown by its first call
                at = block_time(e.blockNumber, e.blockHash)
                a = e.args
                ops.pop(oid, None)  # scheduled again after a cancellation: the new one
                ops[oid] = Operation(oid, a.target, int(a.value), bytes(a.data), bytes(a.predecessor), salts.get(oid, ZERO32), int(a.delay),
                                     e.blockNumber, at, at + int(a.delay), "waiting", sender_of(e.transactionHash), self.describe(a.target, bytes(a.data)))  # fmt: skip
            elif oid in ops and e.event == "CallExecuted":
                ops[oid].executed_block, ops[oid].executor = e.blockNumber, sender_of(e.transactionHash)
            elif oid in ops and e.event == "Cancelled":
                ops[oid].cancelled_block = e.blockNumber
        if ops:
            states = self.chain.call_many([t.functions.getOperationState(oid) for oid in ops])
            stamps = self.chain.call_many([t.functions.getTimestamp(oid) for oid in ops])
            for op, st, stamp in zip(ops.values(), states, stamps, strict=True):
                op.state = "cancelled" if STATES[int(st)] == "unset" else STATES[int(st)]
                if int(stamp) > 1:
                    op.ready_at = int(stamp)  # the chain's record of a pending operation
        return list(ops.values())

    def pending(self) -> list[Operation]:
        return [op for op in self.operations() if op.state in ("waiting", "ready")]

    def operation(self, op_id: bytes) -> Operation:
        for op in self.operations():
            if op.id == bytes(op_id):
                return op
        raise NotFound(f"no operation {'0x' + bytes(op_id).hex()} was scheduled on timelock {self.address}")

    def describe(self, target: str, data: bytes) -> str:
        """``grantRole(office_writer, 0x…)``: the call decoded with the administered contracts' ABIs."""
        for name in ADMINISTERED:
            c = self._abis.get(name) or self._abis.setdefault(name, self.chain.contract(name, target))
            try:
                fn, args = c.decode_function_input(data)
            except ValueError:
                continue
            shown = [role_name(v) if isinstance(v, bytes) and k == "role" else ("0x" + v.hex() if isinstance(v, bytes) else str(v)) for k, v in args.items()]
            return f"{fn.fn_name}({', '.join(shown)})"
        return "0x" + data[:4].hex() + "…"


def administrators(chain: Chain, contract: Contract, from_block: int = 0) -> list[str]:
    """Who holds ``DEFAULT_ADMIN_ROLE`` of ``contract`` now (from ``RoleGranted``, checked against ``hasRole``)."""
    found: list[str] = []
    for ev in contract.events.RoleGranted().get_logs(from_block=from_block, argument_filters={"role": DEFAULT_ADMIN}):
        if ev.args.account not in found and chain.call(contract.functions.hasRole(DEFAULT_ADMIN, ev.args.account)):
            found.append(ev.args.account)
    return found


def timelock_of(chain: Chain, contract: Contract) -> AdminClient | None:
    """The ``AdminTimelock`` that administers ``contract``, if one does (an admin with code that answers ``getMinDelay``)."""
    for account in administrators(chain, contract):
        if chain.w3.eth.get_code(to_checksum_address(account)):
            t = AdminClient.at(chain, account)
            try:
                if t.min_delay >= 0:
                    return t
            except ContractRevert:
                continue
    return None


@dataclass
class Grant:
    """A role an administered contract must grant to a newly deployed one: granted at once, scheduled
    through the timelock (``operation``), or left for the proposing body (``command``)."""

    contract: str  #: the administered contract's address
    role: str  #: zhili role name
    account: str
    state: str  #: granted, scheduled, to_schedule
    timelock: str | None = None
    operation: Operation | None = None
    command: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"contract": self.contract, "role": self.role, "account": self.account, "state": self.state, "timelock": self.timelock,
                "operation": self.operation.as_json() if self.operation else None, "command": self.command}  # fmt: skip


def grant_roles(chain: Chain, grants: Sequence[tuple[Contract, str, str]], sender: Any, *, label: str) -> list[Grant]:
    """Give ``(contract, role name, account)`` each: directly where ``sender`` is the contract's admin;
    where an ``AdminTimelock`` is, scheduled through it if ``sender`` may propose there, otherwise the
    ``zhili admin schedule`` command the proposing body runs. A contract administered by neither is
    granted directly, which its ``AccessControl`` refuses."""
    acct = chain.account(sender)
    done: list[Grant] = []
    for contract, role, account in grants:
        rid = role_of(role)
        if chain.call(contract.functions.hasRole(DEFAULT_ADMIN, acct.address)):
            chain.transact(contract.functions.grantRole(rid, account), acct, label=label)
            done.append(Grant(contract.address, role, account, "granted"))
            continue
        t = timelock_of(chain, contract)
        if t is None:
            chain.transact(contract.functions.grantRole(rid, account), acct, label=label)  # refused: not the admin
            done.append(Grant(contract.address, role, account, "granted"))
            continue
        command = f"zhili admin schedule grant {role} --to {account} --on {contract.address} --timelock {t.address}"
        if t.has_role(PROPOSER_ROLE, acct.address):
            op = t.schedule(contract.address, t.role_call("grant", rid, account, contract.address), acct)
            done.append(Grant(contract.address, role, account, "scheduled", t.address, op, f"zhili admin execute 0x{op.id.hex()} --timelock {t.address}"))
        else:
            done.append(Grant(contract.address, role, account, "to_schedule", t.address, None, command))
    return done
