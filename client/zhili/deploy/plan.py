"""One deployment plan: the declarative wiring of every zhili contract of a jurisdiction (and of its
province), resumable and idempotent on any JSON-RPC chain.

:data:`TABLE` is data, one row per step: its name, kind (``deploy`` a contract, ``call`` a function
of an earlier step's contract, ``read`` an address an earlier contract created), contract, arguments
(addresses of earlier steps, the plan's parameters, constants) and done-check (the state is already
there: a role held, a year published). Rows with ``each`` are repeated over a parameter (one per role
holder, registrar, calendar year). Rows belong to groups, run in table order (:data:`GROUPS`):

``calendar``      the province's WorkCalendar, its authority, the years chinese-calendar covers published
``jurisdiction``  Jurisdiction and the external role holders (SPEC §0)
``persons``       the province's PersonRegistry, its registrars and recovery approvers
``council``       Council, the CouncilMinutes it creates, its secretariat
``evidence``      EvidenceLedger
``team``          TeamCompletion and its roles
``merit_book``    the province's MeritBook
``merit``         Succession, MeritLedger and their roles
``scrutiny``      Scrutiny: the scrutineers' poll keys and sealed counts (R-EL-13), named by elections
``handover``      Handover
``admin``         the admin roles handed over, last: with ``admin_timelock`` in the config, an
                  ``AdminTimelock`` (OpenZeppelin's ``TimelockController``) is deployed whose proposer
                  is one body and executor another, with the profile's ``deadlines.admin_delay_days``;
                  it receives ``DEFAULT_ADMIN_ROLE`` of the jurisdiction and of the province's contracts
                  this run deployed, and the deploying key renounces its own (issue 17). Without it,
                  the jurisdiction's admin role goes to the configured ``admin`` key, if it is another

The wiring is the domain clients' (``CouncilClient.deploy``, ``TeamClient.deploy``,
``MeritClient.deploy`` …): the same constructor arguments and role grants, with the same gas labels.
An ``Election`` is not in the plan: it exists per term and is deployed when an election starts
(``zhili election deploy``, ``ElectionClient.deploy``: its term number and the incumbent are known
only then, and it is granted OFFICE_WRITER and RECORD_WRITER at that moment, or, after an
``admin_timelock`` handover, through the timelock: ``zhili admin``); it names the plan's
``scrutiny`` (``--scrutiny``) to seal its rounds to the scrutineers. A county's
``CppccConfirmation`` (R-EL-12) is not either, for the same reason: one per term, with the CPPCC's roll
of that term (``CppccClient.deploy``, granted OFFICE_WRITER).

Two executors share the table. :func:`apply` sends the steps through :meth:`Chain.transact` (the
scenario runner, whose run journal makes it resumable; ``zhili deploy`` without a manifest).
:func:`deploy` is the operator's resumable deployment: every transaction goes through the write-ahead
transaction log (:mod:`zhili.core.txlog`, the engine the run journal uses) in
``deployments/<network>.txlog`` — signed, written ahead, sent, confirmed — and each finished step
is recorded in the manifest ``deployments/<network>.json`` (written atomically). Killed at any point,
a second run continues: a step whose signed transaction is on chain is recorded, one the node never
saw is re-broadcast *as the same signed bytes*, no step is signed twice, and a step whose state is
already there (its done-check) is recorded without a transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3.types import TxReceipt

from .. import profiles
from ..core import artifacts
from ..core.chain import Chain, ContractRevert
from ..core.files import write_atomic
from ..core.txlog import TxLog, TxLogError
from ..core.workdays import Notice, covered_years, cst_day
from ..errors import InputError
from ..jurisdiction import registry
from ..merit.client import table_from_profile
from ..types import Role

CONFIG_FILE = "zhili-config.yaml"
MANIFEST_DIR = "deployments"
DEFAULT_ADMIN = b"\0" * 32
Progress = Callable[[str], None]


class DeployError(InputError, RuntimeError):
    """The deployment cannot proceed (bad config, a refused step, a manifest for another chain)."""


# ---------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Ref:
    """An argument: the address an earlier step deployed (or read)."""

    step: str


@dataclass(frozen=True)
class Param:
    """An argument: one of the plan's parameters (:func:`parameters`)."""

    key: str


@dataclass(frozen=True)
class Item:
    """An argument of a row with ``each``: the value it is repeated for, or its ``index``-th element."""

    index: int | None = None


Arg = Ref | Param | Item | bytes | int | str


@dataclass(frozen=True)
class Check:
    """A done-check: ``function(*args)`` on the step's target returns ``want`` when the state is there
    (an address counts as true when it is not zero)."""

    function: str
    args: tuple[Arg, ...]
    want: bool = True


Kind = Literal["deploy", "call", "read"]


@dataclass(frozen=True)
class Row:
    """One step of :data:`TABLE` (see the module docstring)."""

    name: str  # "{key}" is the key of the ``each`` item
    group: str
    kind: Kind
    contract: str  # the artifact deployed, called (the target's) or read
    args: tuple[Arg, ...] = ()
    target: str | None = None  # call, read: the step whose contract is called
    function: str | None = None
    done: Check | None = None  # call: the state is already there (a deploy is done when recorded)
    each: str | None = None  # repeat over the mapping parameter of that name (key -> item)
    label: str | None = None  # the gas label (Chain.gas_used), as the domain clients name it
    needs: str | None = None  # run only when this group runs too (an admin handover of a province contract)


def _grant(name: str, group: str, target: str, contract: str, role: Arg, who: Arg, label: str, each: str | None = None) -> Row:
    return Row(name, group, "call", contract, (role, who), target, "grantRole", Check("hasRole", (role, who)), each, label)


J, P = Ref("jurisdiction"), Ref("persons")

#: Every contract of a jurisdiction and its province, and the roles between them, in deployment order.
TABLE: tuple[Row, ...] = (
    # the province's working-day calendar (SPEC §8), the jurisdiction and its external roles, the province's person registry
    Row("calendar", "calendar", "deploy", "WorkCalendar", (Param("admin"),), label="calendar.deploy"),
    _grant("calendar.grant.CALENDAR_AUTHORITY", "calendar", "calendar", "WorkCalendar", Role.CALENDAR_AUTHORITY, Param("admin"), "calendar.grant"),
    Row(
        "calendar.publish.{key}", "calendar", "call", "WorkCalendar", (Item(0), Item(1), Item(2), Item(3)), "calendar", "publish", Check("isPublished", (Item(0),)), "years", "calendar.publish"
    ),  # fmt: skip
    Row("jurisdiction", "jurisdiction", "deploy", "Jurisdiction", (Param("admin"), Ref("calendar"), Param("code"), Param("name"), Param("params"), Param("weights")), label="registry.deploy"),  # fmt: skip
    _grant("jurisdiction.grant.{key}", "jurisdiction", "jurisdiction", "Jurisdiction", Item(0), Item(1), "registry.grantRole", each="roles"),
    Row("persons", "persons", "deploy", "PersonRegistry", (Param("admin"),), label="persons.deploy"),
    _grant("persons.grant.REGISTRAR.{key}", "persons", "persons", "PersonRegistry", Role.REGISTRAR, Item(), "persons.grantRole", each="registrars"),
    _grant("persons.grant.RECOVERY_APPROVER.{key}", "persons", "persons", "PersonRegistry", Role.RECOVERY_APPROVER, Item(), "persons.grantRole", each="recovery_approvers"),
    # council (R-WD-*), its minutes book (created by the council), its secretariat; documents; the team
    Row("council", "council", "deploy", "Council", (J, P, Param("council_limits")), label="council.deploy"),
    Row("council.minutes", "council", "read", "CouncilMinutes", target="council", function="minuteBook"),
    _grant("council.grant.SECRETARIAT.{key}", "council", "jurisdiction", "Jurisdiction", Role.SECRETARIAT, Item(), "council.grant", each="secretariat"),
    Row("evidence", "evidence", "deploy", "EvidenceLedger", (J, P, Ref("council"), Param("document_roles")), label="evidence.deploy"),
    Row("team", "team", "deploy", "TeamCompletion", (Ref("council"), J, P), label="team.deploy"),
    _grant("team.grant.SECRETARIAT", "team", "jurisdiction", "Jurisdiction", Role.SECRETARIAT, Ref("team"), "team.grant"),
    _grant("team.grant.OFFICE_WRITER", "team", "jurisdiction", "Jurisdiction", Role.OFFICE_WRITER, Ref("team"), "team.grant"),
    _grant("team.grant.POLL_CLIENT", "team", "jurisdiction", "Jurisdiction", Role.POLL_CLIENT, Ref("team"), "team.grant"),
    _grant("team.grant.RECORD_WRITER", "team", "persons", "PersonRegistry", Role.RECORD_WRITER, Ref("team"), "team.grant"),
    # merit and succession (R-MR-*, R-SU-*): the province's book, the jurisdiction's order and ledger
    Row("merit_book", "merit_book", "deploy", "MeritBook", (Param("admin"), P), label="merit.deploy"),
    # the registry reads the book at every seating (R-MR-7: demerit at the resignation threshold refused)
    Row("persons.bind.merit_book", "merit_book", "call", "PersonRegistry", (Ref("merit_book"),), "persons", "bindMeritBook", Check("meritBook", ()), label="persons.bind"),  # fmt: skip
    Row("succession", "merit", "deploy", "Succession", (J, P, Ref("merit_book"), Param("succession_head"), Param("min_cycle_seconds")), label="merit.deploy"),  # fmt: skip
    Row("merit_ledger", "merit", "deploy", "MeritLedger", (J, P, Ref("merit_book"), Ref("succession"), Param("merit_table"), Param("committee_size")), label="merit.deploy"),  # fmt: skip
    _grant("succession.grant.OFFICE_WRITER", "merit", "jurisdiction", "Jurisdiction", Role.OFFICE_WRITER, Ref("succession"), "merit.grant"),
    _grant("merit_ledger.grant.SUCCESSION_WRITER", "merit", "jurisdiction", "Jurisdiction", Role.SUCCESSION_WRITER, Ref("merit_ledger"), "merit.grant"),
    _grant("succession.grant.RECORD_WRITER", "merit", "persons", "PersonRegistry", Role.RECORD_WRITER, Ref("succession"), "merit.grant"),
    _grant("merit_ledger.grant.RECORD_WRITER", "merit", "persons", "PersonRegistry", Role.RECORD_WRITER, Ref("merit_ledger"), "merit.grant"),
    _grant("merit_ledger.grant.LEDGER_WRITER", "merit", "merit_book", "MeritBook", Role.LEDGER_WRITER, Ref("merit_ledger"), "merit.grant"),
    # the scrutineers' poll keys and the sealed count (R-EL-13): no role of its own (it reads the jurisdiction's)
    Row("scrutiny", "scrutiny", "deploy", "Scrutiny", (J, P), label="scrutiny.deploy"),
    # oath and handover (R-DOC-6 … R-DOC-9)
    Row("handover", "handover", "deploy", "Handover", (J, P), label="handover.deploy"),
    # last: the jurisdiction's admin to the configured key (the deploying key gave every role above)
    _grant("jurisdiction.admin.{key}", "admin", "jurisdiction", "Jurisdiction", DEFAULT_ADMIN, Item(), "registry.grantRole", each="new_admin"),
    Row(
        "jurisdiction.admin.renounce.{key}",
        "admin",
        "call",
        "Jurisdiction",
        (DEFAULT_ADMIN, Param("admin")),
        "jurisdiction",
        "renounceRole",
        Check("hasRole", (DEFAULT_ADMIN, Param("admin")), want=False),
        "new_admin",
        "registry.renounceRole",
    ),  # fmt: skip
    # or (issue 17) an AdminTimelock: one body proposes, another executes after the profile's delay; it
    # receives every admin role this run holds, then the deploying key renounces them
    Row("admin_timelock", "admin", "deploy", "AdminTimelock", (Item(0), Item(1), Item(2)), each="timelock", label="admin.deploy"),
    *(
        row
        for step, contract in (("jurisdiction", "Jurisdiction"), ("persons", "PersonRegistry"), ("merit_book", "MeritBook"), ("calendar", "WorkCalendar"))
        for row in (
            Row(
                f"{step}.admin.timelock",
                "admin",
                "call",
                contract,
                (DEFAULT_ADMIN, Ref("admin_timelock")),
                step,
                "grantRole",
                Check("hasRole", (DEFAULT_ADMIN, Ref("admin_timelock"))),
                "timelock",
                "admin.grant",
                step,
            ),
            Row(
                f"{step}.admin.renounce",
                "admin",
                "call",
                contract,
                (DEFAULT_ADMIN, Param("admin")),
                step,
                "renounceRole",
                Check("hasRole", (DEFAULT_ADMIN, Param("admin")), want=False),
                "timelock",
                "admin.renounce",
                step,
            ),
        )
    ),  # fmt: skip
)

#: The groups of :data:`TABLE`, in order; the province's are left out when it gives its contracts.
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(r.group for r in TABLE))
PROVINCE: dict[str, str] = {"calendar": "WorkCalendar", "persons": "PersonRegistry", "merit_book": "MeritBook"}


@dataclass(frozen=True)
class Step:
    """A row of the table for one item (rows without ``each`` have one step)."""

    name: str
    row: Row
    item: Any = None

    def value(self, arg: Arg, addresses: Mapping[str, str], params: Mapping[str, Any]) -> Any:
        if isinstance(arg, Ref):
            return addresses[arg.step]
        if isinstance(arg, Param):
            return params[arg.key]
        if isinstance(arg, Item):
            return self.item if arg.index is None else self.item[arg.index]
        return arg

    def args(self, addresses: Mapping[str, str], params: Mapping[str, Any]) -> list[Any]:
        return [self.value(a, addresses, params) for a in self.row.args]


def steps(params: Mapping[str, Any], groups: Sequence[str] = GROUPS) -> list[Step]:
    """The table's rows of ``groups`` (in table order), each repeated over its ``each`` parameter."""
    out: list[Step] = []
    for row in TABLE:
        if row.group not in groups or (row.needs is not None and row.needs not in groups):
            continue
        if row.each is None:
            out.append(Step(row.name, row))
        else:
            out += [Step(row.name.format(key=key), row, item) for key, item in params.get(row.each, {}).items()]
    return out


def parameters(
    profile: profiles.Profile,
    code: str,
    name: str,
    admin: str,
    *,
    roles: Mapping[str, Sequence[str]] | None = None,
    registrars: Sequence[str] = (),
    recovery_approvers: Sequence[str] = (),
    secretariat: Sequence[str] = (),
    notices: Sequence[Notice] = (),
    new_admin: str | None = None,
    committee_size: int = 1,
    timelock: tuple[Sequence[str], Sequence[str]] | None = None,
) -> dict[str, Any]:
    """The parameters the table's rows read: ``admin`` is the deploying key (it administers every
    contract while the plan runs); ``roles`` maps role names of ``registry.ROLES`` to holders;
    ``timelock`` the (proposers, executors) of the ``AdminTimelock`` that receives the admin roles
    last (issue 17), with the profile's ``admin_delay_seconds``."""
    admin = to_checksum_address(admin)
    cs = to_checksum_address
    return {
        "admin": admin,
        "code": code,
        "name": name,
        "params": profile.chain_params(),
        "weights": profile.weight_matrix(),
        "merit_table": table_from_profile(profile),
        "council_limits": profile.council_limits(),
        "document_roles": profile.document_roles(),
        "succession_head": [int(o) for o in profile.succession_head],
        "min_cycle_seconds": profile.min_cycle_seconds,
        "committee_size": committee_size,
        "years": {str(n.year): (n.year, n.year_map().low, n.year_map().high, n.fingerprint) for n in notices},
        "roles": {f"{role}.{cs(h)}": (registry.role_id(role), cs(h)) for role, holders in (roles or {}).items() for h in holders},
        "registrars": {cs(r): cs(r) for r in registrars or [admin]},
        "recovery_approvers": {cs(r): cs(r) for r in recovery_approvers},  # the second body of a key recovery (issue 17)
        "secretariat": {cs(s): cs(s) for s in secretariat},
        "new_admin": {cs(new_admin): cs(new_admin)} if new_admin and cs(new_admin) != admin else {},
        "timelock": {"admin": (profile.admin_delay_seconds, [cs(a) for a in timelock[0]], [cs(a) for a in timelock[1]])} if timelock else {},
    }


def preflight(chain: Chain, params: Mapping[str, Any]) -> None:
    """Nothing is sent for a jurisdiction the contract refuses: its constructor is simulated first
    (a refusal raises :class:`ContractRevert` naming the rule)."""
    registry.dry_run(chain, params["admin"], (params["code"], params["name"], params["params"], params["weights"]))


def _done(chain: Chain, step: Step, addresses: Mapping[str, str], params: Mapping[str, Any]) -> bool:
    check = step.row.done
    if check is None or step.row.target is None:
        return False
    target = chain.contract(step.row.contract, addresses[step.row.target])
    fn = getattr(target.functions, check.function)(*[step.value(a, addresses, params) for a in check.args])
    got = chain.call(fn)
    if isinstance(got, str):  # an address (web3 gives a checksummed string): done when it is not zero
        got = int(got, 16) != 0
    return bool(got) == check.want


def _function(chain: Chain, step: Step, addresses: Mapping[str, str], params: Mapping[str, Any]) -> Any:
    row = step.row
    if row.kind == "deploy":
        art = artifacts.load(row.contract)
        return chain.w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor(*step.args(addresses, params))
    assert row.target is not None and row.function is not None
    contract = chain.contract(row.contract, addresses[row.target])
    return getattr(contract.functions, row.function)(*step.args(addresses, params))


def _contract_of(step: str) -> str:
    for row in TABLE:
        if row.name == step:
            return row.contract
    raise KeyError(step)


# ---------------------------------------------------------------------------- live executor


def apply(
    chain: Chain,
    params: Mapping[str, Any],
    groups: Sequence[str],
    addresses: dict[str, str] | None = None,
    *,
    sender: int | str | LocalAccount | None = None,
) -> dict[str, str]:
    """Carry out ``groups`` of the table through :meth:`Chain.transact` (journaled when the chain
    has a run journal); ``addresses`` are the steps already there (updated and returned)."""
    addresses = {} if addresses is None else addresses
    acct = chain.account(sender)
    for step in steps(params, groups):
        row = step.row
        if step.name in addresses:
            continue
        if row.kind == "read":
            assert row.target is not None and row.function is not None
            src = chain.contract(_contract_of(row.target), addresses[row.target])
            addresses[step.name] = str(chain.call(getattr(src.functions, row.function)()))
        elif row.kind == "deploy":
            addresses[step.name] = str(chain.deploy(row.contract, *step.args(addresses, params), sender=acct, label=row.label).address)
        elif not _done(chain, step, addresses, params):
            chain.transact(_function(chain, step, addresses, params), acct, label=row.label)
    return addresses


# ---------------------------------------------------------------------------- configuration


@dataclass
class NetworkConfig:
    name: str
    host: str
    chainid: int | None = None
    gas_price: int | None = None
    tx_type: str | None = None
    poa: bool = True


@dataclass
class JurisdictionConfig:
    code: str
    name: str
    profile: str
    roles: dict[str, list[str]] = field(default_factory=dict)
    registrars: list[str] = field(default_factory=list)
    admin: str | None = None
    recovery_approvers: list[str] = field(default_factory=list)
    timelock_proposers: list[str] = field(default_factory=list)
    timelock_executors: list[str] = field(default_factory=list)


def load_config(path: Path, network: str, code: str) -> tuple[NetworkConfig, JurisdictionConfig]:
    """Read ``zhili-config.yaml``: ``networks.<name>`` (brownie's names: host, chainid, gas_price) and
    ``jurisdictions.<code>`` (profile, name, role holders; ``secretariat`` holders propose council motions)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise DeployError(f"cannot read {path}: {exc.strerror}") from None
    nets = data.get("networks") or {}
    if network not in nets:
        raise DeployError(f"{path}: networks.{network}: not defined (have: {', '.join(nets) or 'none'})")
    n = nets[network] or {}
    if not isinstance(n.get("host"), str):
        raise DeployError(f"{path}: networks.{network}.host: expected a URL")
    net = NetworkConfig(network, n["host"], n.get("chainid"), n.get("gas_price"), n.get("tx_type"), n.get("poa", True))
    js = data.get("jurisdictions") or {}
    if code not in js:
        raise DeployError(f"{path}: jurisdictions.{code}: not defined (have: {', '.join(map(str, js)) or 'none'})")
    j = js[code] or {}
    roles = j.get("roles") or {}
    known = registry.ROLES + registry.EXTRA_ROLES
    for role, holders in roles.items():
        if role not in known:
            raise DeployError(f"{path}: jurisdictions.{code}.roles.{role}: unknown role; expected one of {', '.join(known)}")
        for h in holders or []:
            if not _is_address(h):
                raise DeployError(f"{path}: jurisdictions.{code}.roles.{role}: {h!r} is not an address")
    for key in ("admin", "registrars", "recovery_approvers"):
        for h in [j[key]] if key == "admin" and j.get(key) else j.get(key) or []:
            if not _is_address(h):
                raise DeployError(f"{path}: jurisdictions.{code}.{key}: {h!r} is not an address")
    if "name" not in j or "profile" not in j:
        raise DeployError(f"{path}: jurisdictions.{code}: needs name and profile")
    both = {h.lower() for h in j.get("registrars") or []} & {h.lower() for h in j.get("recovery_approvers") or []}
    if both:
        raise DeployError(f"{path}: jurisdictions.{code}.recovery_approvers: {sorted(both)[0]} is also a registrar; a key recovery needs two bodies (issue 17)")
    roles = {r: list(h or []) for r, h in roles.items()}
    proposers, executors = _timelock_config(path, code, j)
    return net, JurisdictionConfig(str(code), j["name"], j["profile"], roles, j.get("registrars") or [], j.get("admin"), j.get("recovery_approvers") or [], proposers, executors)


def _timelock_config(path: Path, code: str, j: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """``admin_timelock: {proposers: [...], executors: [...]}`` (issue 17): two bodies, neither empty, no
    key in both; not together with ``admin`` (the admin roles go to one or the other)."""
    t = j.get("admin_timelock")
    if t is None:
        return [], []
    where = f"{path}: jurisdictions.{code}.admin_timelock"
    if not isinstance(t, dict):
        raise DeployError(f"{where}: expected proposers and executors")
    if j.get("admin"):
        raise DeployError(f"{where}: give either admin or admin_timelock, not both")
    lists = []
    for key in ("proposers", "executors"):
        got = t.get(key) or []
        if not isinstance(got, list) or not got:
            raise DeployError(f"{where}.{key}: expected a non-empty list of addresses")
        for h in got:
            if not _is_address(h):
                raise DeployError(f"{where}.{key}: {h!r} is not an address")
        lists.append([str(h) for h in got])
    both = {h.lower() for h in lists[0]} & {h.lower() for h in lists[1]}
    if both:
        raise DeployError(f"{where}.executors: {sorted(both)[0]} also proposes; an admin action needs two bodies (issue 17)")
    return lists[0], lists[1]


def _is_address(h: Any) -> bool:
    return isinstance(h, str) and h.startswith("0x") and len(h) == 42


def config_parameters(j: JurisdictionConfig, profile: profiles.Profile, admin: str, notices: Sequence[Notice]) -> dict[str, Any]:
    """The plan's parameters for a configured jurisdiction (roles in the config's order, by role name)."""
    roles = {r: h for r, h in sorted(j.roles.items()) if r in registry.ROLES}
    return parameters(
        profile, j.code, j.name, admin, roles=roles, registrars=j.registrars, recovery_approvers=j.recovery_approvers,
        secretariat=j.roles.get("secretariat", []), notices=notices, new_admin=j.admin,
        timelock=(j.timelock_proposers, j.timelock_executors) if j.timelock_proposers else None,
    )  # fmt: skip


# ---------------------------------------------------------------------------- manifest and log


class DeployLog(TxLog):
    """The write-ahead log of a deployment (``deployments/<network>.txlog``): a :class:`TxLog` whose
    ``tx`` records name the plan step they carry out."""

    FORMAT: ClassVar[str] = "zhili-deploy-log/1"
    WHAT: ClassVar[str] = "zhili deployment log"
    CRASH_ENV: ClassVar[str] = "ZHILI_DEPLOY_CRASH"  # tests: "<step>:ahead", "<step>:sent" or "<step>:confirmed"
    CRASH_CODE: ClassVar[int] = 97
    RECEIPT_TIMEOUT: ClassVar[float] = 300

    def latest(self, step: str) -> dict[str, Any] | None:
        """The last transaction written ahead for ``step`` (a failed one is followed by a new one)."""
        found = None
        for e in self.entries:
            if e.get("step") == step:
                found = e
        return found


class Manifest:
    """``deployments/<network>.json``: the finished steps (address, transaction, block, gas)."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @classmethod
    def open(cls, path: Path, network: str, chain_id: int) -> Manifest:
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise DeployError(f"{path} is not a JSON manifest: {exc}") from None
            if data.get("chain_id") != chain_id:
                raise DeployError(f"{path} was written for chain id {data.get('chain_id')}, the node reports {chain_id}")
            return cls(path, data)
        return cls(path, {"network": network, "chain_id": chain_id, "steps": {}})

    @property
    def steps(self) -> dict[str, dict[str, Any]]:
        steps: dict[str, dict[str, Any]] = self.data["steps"]
        return steps

    def addresses(self) -> dict[str, str]:
        return {k: str(v["address"]) for k, v in self.steps.items() if v.get("status") == "done" and "address" in v}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(self.data, indent=1, ensure_ascii=False, sort_keys=True), replace=True)


def log_path(manifest_path: Path) -> Path:
    """The write-ahead log beside a manifest: ``deployments/<network>.txlog``."""
    return manifest_path.with_suffix(".txlog")


# ---------------------------------------------------------------------------- resumable executor


def deploy(
    chain: Chain,
    j: JurisdictionConfig,
    manifest_path: Path,
    network: str,
    *,
    sender: int | str | LocalAccount | None = None,
    existing_persons: str | None = None,
    existing_calendar: str | None = None,
    existing_merit_book: str | None = None,
    progress: Progress = lambda s: None,
) -> Manifest:
    """Run (or resume) the deployment of ``j`` and its province's contracts (unless given); returns
    the completed manifest. A new calendar gets every year from the chain's current one that the
    installed ``chinese-calendar`` covers."""
    acct = chain.account(sender)
    profile = profiles.load(j.profile)
    m = Manifest.open(manifest_path, network, chain.chain_id)
    m.data.setdefault("jurisdiction", {"code": j.code, "name": j.name, "profile": j.profile, "profile_hash": "0x" + profile.hash.hex()})
    if m.data["jurisdiction"]["code"] != j.code:
        raise DeployError(f"{manifest_path} belongs to jurisdiction {m.data['jurisdiction']['code']}, not {j.code}")
    given = {"persons": existing_persons, "calendar": existing_calendar, "merit_book": existing_merit_book}
    for group, address in given.items():
        if address:
            m.steps.setdefault(group, {"kind": "existing", "contract": PROVINCE[group], "status": "done", "address": to_checksum_address(address)})
    years = m.data.setdefault("calendar_years", covered_years(cst_day(chain.now()).year))
    notices = () if existing_calendar else tuple(Notice.from_library(y) for y in years)
    params = config_parameters(j, profile, acct.address, notices)
    groups = [g for g in GROUPS if not given.get(g)]
    try:
        log = DeployLog.open_log(log_path(manifest_path), {"network": network, "chain_id": chain.chain_id, "jurisdiction": j.code})
    except TxLogError as exc:
        raise DeployError(str(exc)) from None
    try:
        if "jurisdiction" not in m.steps:
            try:
                preflight(chain, params)
            except ContractRevert as exc:
                raise DeployError(f"jurisdiction: {exc}") from None
        _import_old_manifest(m, log)
        for step in steps(params, groups):
            _run_step(chain, acct, m, log, step, params, progress)
    finally:
        log.close()
    m.data["artifacts"] = {s["contract"]: "0x" + keccak(hexstr=artifacts.load(s["contract"]).deployed_bytecode).hex() for s in m.steps.values() if s.get("kind") in ("deploy", "existing", "read")}
    m.data["complete"] = True
    m.save()
    return m


def _import_old_manifest(m: Manifest, log: DeployLog) -> None:
    """A manifest of zhili ≤ 0.x kept its signed-but-unconfirmed steps itself (``status: signed``,
    ``raw``): they move into the log, to be settled like any written-ahead step."""
    for name, rec in list(m.steps.items()):
        if rec.get("status") == "signed" and "raw" in rec and log.latest(name) is None:
            log.ahead("tx", {"from": rec["from"], "nonce": rec["nonce"], "step": name, "hash": rec["tx"], "raw": rec["raw"]})
            del m.steps[name]
    m.save()


def _run_step(chain: Chain, acct: LocalAccount, m: Manifest, log: DeployLog, step: Step, params: Mapping[str, Any], progress: Progress) -> None:
    if m.steps.get(step.name, {}).get("status") == "done":
        return
    row, addresses = step.row, m.addresses()
    if row.kind == "read":
        assert row.target is not None and row.function is not None
        src = chain.contract(_contract_of(row.target), addresses[row.target])
        address = to_checksum_address(chain.call(getattr(src.functions, row.function)()))
        m.steps[step.name] = {"kind": "read", "contract": row.contract, "status": "done", "address": address}
        m.save()
        progress(f"{step.name}: {address}")
        return
    rec = log.latest(step.name)
    if rec is not None and rec.get("status", 1) == 1:
        # written ahead before (maybe sent, maybe mined): recorded, or re-broadcast as the same bytes
        _record(m, step, rec, log.settle(chain.w3, rec))
        progress(f"{step.name}: recovered from {log.path.name}")
        return
    if row.kind == "call" and _done(chain, step, addresses, params):
        m.steps[step.name] = {"kind": "call", "contract": row.contract, "status": "done", "already": True}
        m.save()
        progress(f"{step.name}: already so on chain")
        return
    try:  # build and simulate: a refusal stops here with the contract's reason, nothing is signed
        acct, tx = chain.prepare(_function(chain, step, addresses, params), acct)
    except ContractRevert as exc:
        raise DeployError(f"{step.name}: {exc}") from None
    k, receipt = log.send(chain.w3, acct, tx, {"step": step.name})
    log.crash(k, "confirmed")  # tests: confirmed in the log, not yet in the manifest
    _record(m, step, log.entries[k], receipt)
    progress(f"{step.name}: {m.steps[step.name].get('address') or m.steps[step.name]['tx']}")


def _record(m: Manifest, step: Step, rec: dict[str, Any], receipt: TxReceipt) -> None:
    if receipt["status"] != 1:
        raise DeployError(f"{step.name}: transaction {rec['hash']} failed on chain (run again to retry the step)")
    done: dict[str, Any] = {
        "kind": step.row.kind, "contract": step.row.contract, "status": "done", "tx": rec["hash"], "nonce": rec["nonce"], "from": rec["from"],
        "block": int(receipt["blockNumber"]), "gas_used": int(receipt["gasUsed"]),
    }  # fmt: skip
    if step.row.kind == "deploy":
        done["address"] = receipt["contractAddress"]
    m.steps[step.name] = done
    m.save()


# ---------------------------------------------------------------------------- status


def status(chain: Chain, manifest_path: Path) -> list[dict[str, Any]]:
    """Check a deployment against its manifest: every contract's code on chain equals the shipped artifact."""
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DeployError(f"cannot read {manifest_path}: {exc.strerror}") from None
    except ValueError as exc:
        raise DeployError(f"{manifest_path} is not a JSON manifest: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), dict):
        raise DeployError(f"{manifest_path}: expected a manifest with chain_id and steps")
    if data.get("chain_id") != chain.chain_id:
        raise DeployError(f"{manifest_path} is for chain id {data.get('chain_id')}, the node reports {chain.chain_id}")
    rows = []
    for name, s in sorted(data["steps"].items()):
        if s.get("kind") not in ("deploy", "existing", "read"):
            continue
        code = bytes(chain.w3.eth.get_code(s["address"]))
        art = artifacts.load(s["contract"])
        ok = same_code(code, bytes.fromhex(art.deployed_bytecode[2:]), art.raw.get("immutableReferences", {}))
        rows.append({"step": name, "contract": s["contract"], "address": s["address"], "code_matches": ok, "code_hash": "0x" + keccak(code).hex()})
    return rows


def same_code(on_chain: bytes, artifact: bytes, immutables: dict[str, list[dict[str, int]]]) -> bool:
    """Runtime code equals the artifact outside the immutable slots the compiler lists."""
    if len(on_chain) != len(artifact):
        return False
    masked = bytearray(on_chain)
    for refs in immutables.values():
        for r in refs:
            masked[r["start"] : r["start"] + r["length"]] = artifact[r["start"] : r["start"] + r["length"]]
    return bytes(masked) == artifact
