"""Resumable, idempotent deployment of a jurisdiction's zhili system to any JSON-RPC chain.

A deployment is a *plan*: an ordered list of named steps (deploy a contract, grant a role), each
signed, written ahead to the manifest (``deployments/<network>.json``), then sent, then recorded with
its receipt. Killed at any point, a second run reads the manifest and continues: a step whose signed
transaction is on chain is recorded, a signed step that never reached the node is re-broadcast *as the
same signed transaction* (so it can never be mined twice), and no step is signed twice. The manifest
is written atomically (temporary file + rename), so it is never half-written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3.exceptions import TransactionNotFound

from .. import profiles
from ..calendar.client import CALENDAR_AUTHORITY
from ..core import artifacts
from ..core.chain import Chain, ChainError, ContractRevert
from ..core.files import write_atomic
from ..core.workdays import Notice, covered_years, cst_day
from ..errors import InputError
from ..jurisdiction import registry
from ..types import Role

CONFIG_FILE = "zhili-config.yaml"
MANIFEST_DIR = "deployments"
Progress = Callable[[str], None]


class DeployError(InputError, RuntimeError):
    """The deployment cannot proceed (bad config, a refused step, a manifest for another chain)."""


@dataclass
class Step:
    name: str
    contract: str  # artifact name; for "call" the contract the function belongs to
    kind: str  # "deploy" | "call"
    args: Callable[[dict[str, Any]], list[Any]]  # from the manifest so far
    target: str | None = None  # for "call": the step whose address is called
    function: str | None = None
    done_check: Callable[[Chain, dict[str, Any]], bool] | None = None  # state already there?


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


def load_config(path: Path, network: str, code: str) -> tuple[NetworkConfig, JurisdictionConfig]:
    """Read ``zhili-config.yaml``: ``networks.<name>`` (brownie's names: host, chainid, gas_price) and
    ``jurisdictions.<code>`` (profile, name, role holders)."""
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
    for role, holders in roles.items():
        if role not in registry.ROLES:
            raise DeployError(f"{path}: jurisdictions.{code}.roles.{role}: unknown role; expected one of {', '.join(registry.ROLES)}")
        for h in holders or []:
            if not (isinstance(h, str) and h.startswith("0x") and len(h) == 42):
                raise DeployError(f"{path}: jurisdictions.{code}.roles.{role}: {h!r} is not an address")
    if "name" not in j or "profile" not in j:
        raise DeployError(f"{path}: jurisdictions.{code}: needs name and profile")
    return net, JurisdictionConfig(str(code), j["name"], j["profile"], roles, j.get("registrars") or [], j.get("admin"))


# ---------------------------------------------------------------------------- manifest


class Manifest:
    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @classmethod
    def open(cls, path: Path, network: str, chain_id: int) -> Manifest:
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("chain_id") != chain_id:
                raise DeployError(f"{path} was written for chain id {data.get('chain_id')}, the node reports {chain_id}")
            return cls(path, data)
        return cls(path, {"network": network, "chain_id": chain_id, "steps": {}})

    @property
    def steps(self) -> dict[str, dict[str, Any]]:
        return self.data["steps"]

    def address(self, step: str) -> str:
        return self.steps[step]["address"]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(self.data, indent=1, ensure_ascii=False, sort_keys=True), replace=True)


def _crash_point(step: str, phase: str) -> None:
    """Fault injection for the tests: ``ZHILI_DEPLOY_CRASH=<step>:<phase>`` kills the process there."""
    if os.environ.get("ZHILI_DEPLOY_CRASH") == f"{step}:{phase}":
        os._exit(97)


# ---------------------------------------------------------------------------- plan


def plan(
    j: JurisdictionConfig,
    profile: profiles.Profile,
    admin: str,
    existing_persons: str | None,
    existing_calendar: str | None = None,
    notices: tuple[Notice, ...] = (),
) -> list[Step]:
    """The steps for one jurisdiction (and, unless given, its province's person registry and
    working-day calendar with the years in ``notices`` published)."""
    steps: list[Step] = []
    registrar_role = Role.REGISTRAR
    if existing_calendar is None:
        steps.append(Step("calendar", "WorkCalendar", "deploy", lambda m: [admin]))
        steps.append(
            Step(
                "calendar.grant.CALENDAR_AUTHORITY", "WorkCalendar", "call", lambda m: [CALENDAR_AUTHORITY, admin],
                target="calendar", function="grantRole",
            )
        )  # fmt: skip
        for n in notices:
            ym = n.year_map()
            steps.append(
                Step(
                    f"calendar.publish.{n.year}", "WorkCalendar", "call", lambda m, ym=ym, n=n: [n.year, ym.low, ym.high, n.fingerprint],
                    target="calendar", function="publish",
                )
            )  # fmt: skip
    if existing_persons is None:
        steps.append(Step("persons", "PersonRegistry", "deploy", lambda m: [admin]))
        for r in j.registrars or [admin]:
            steps.append(
                Step(
                    f"persons.grant.REGISTRAR.{r}", "PersonRegistry", "call", lambda m, r=r: [registrar_role, to_checksum_address(r)],
                    target="persons", function="grantRole",
                )
            )  # fmt: skip
    steps.append(
        Step(
            "jurisdiction", "Jurisdiction", "deploy",
            lambda m: [j.admin or admin, m["steps"]["calendar"]["address"], j.code, j.name, profile.chain_params(), profile.weight_matrix()],
        )
    )  # fmt: skip
    for role, holders in sorted(j.roles.items()):
        for h in holders:
            steps.append(
                Step(
                    f"jurisdiction.grant.{role}.{h}", "Jurisdiction", "call", lambda m, role=role, h=h: [registry.role_id(role), to_checksum_address(h)],
                    target="jurisdiction", function="grantRole",
                )
            )  # fmt: skip
    return steps


def deploy(
    chain: Chain,
    j: JurisdictionConfig,
    manifest_path: Path,
    network: str,
    *,
    sender: int | str | LocalAccount | None = None,
    existing_persons: str | None = None,
    existing_calendar: str | None = None,
    progress: Progress = lambda s: None,
) -> Manifest:
    """Run (or resume) the deployment of ``j``; returns the completed manifest. A new calendar gets
    every year from the chain's current one that the installed ``chinese-calendar`` covers."""
    acct = chain.account(sender)
    profile = profiles.load(j.profile)
    m = Manifest.open(manifest_path, network, chain.chain_id)
    m.data.setdefault("jurisdiction", {"code": j.code, "name": j.name, "profile": j.profile, "profile_hash": "0x" + profile.hash.hex()})
    if m.data["jurisdiction"]["code"] != j.code:
        raise DeployError(f"{manifest_path} belongs to jurisdiction {m.data['jurisdiction']['code']}, not {j.code}")
    if existing_persons:
        m.steps.setdefault("persons", {"kind": "existing", "contract": "PersonRegistry", "status": "done", "address": to_checksum_address(existing_persons)})
    if existing_calendar:
        m.steps.setdefault("calendar", {"kind": "existing", "contract": "WorkCalendar", "status": "done", "address": to_checksum_address(existing_calendar)})
    years = m.data.setdefault("calendar_years", covered_years(cst_day(chain.now()).year))
    notices = () if existing_calendar else tuple(Notice.from_library(y) for y in years)
    for step in plan(j, profile, acct.address, existing_persons, existing_calendar, notices):
        _run_step(chain, acct, m, step, progress)
    m.data["artifacts"] = {s["contract"]: "0x" + keccak(hexstr=artifacts.load(s["contract"]).deployed_bytecode).hex() for s in m.steps.values() if s.get("kind") in ("deploy", "existing")}
    m.data["complete"] = True
    m.save()
    return m


def _run_step(chain: Chain, acct: LocalAccount, m: Manifest, step: Step, progress: Progress) -> None:
    rec = m.steps.get(step.name)
    if rec and rec.get("status") == "done":
        return
    w3 = chain.w3
    if rec and rec.get("status") == "signed":
        # written ahead, maybe sent: find it, or re-broadcast the very same signed transaction
        receipt = _receipt(chain, rec["tx"])
        if receipt is None:
            try:
                w3.eth.send_raw_transaction(rec["raw"])
                progress(f"{step.name}: re-broadcast {rec['tx']}")
            except Exception as exc:  # noqa: BLE001 - "already known" and friends
                if "known" not in str(exc).lower() and "nonce too low" not in str(exc).lower():
                    raise
            receipt = w3.eth.wait_for_transaction_receipt(rec["tx"], timeout=300)
        _record(m, step, rec, receipt)
        progress(f"{step.name}: recovered from the manifest")
        return
    # build and simulate (a refusal stops here with the contract's reason; nothing is signed)
    if step.kind == "deploy":
        art = artifacts.load(step.contract)
        fn = w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor(*step.args(m.data))
    else:
        assert step.target and step.function
        contract = chain.contract(step.contract, m.address(step.target))
        fn = getattr(contract.functions, step.function)(*step.args(m.data))
    params = chain._tx_params(acct)
    try:
        tx = fn.build_transaction(params)
    except Exception as exc:  # noqa: BLE001
        revert = chain._revert(exc) if not isinstance(exc, ContractRevert) else exc
        raise DeployError(f"{step.name}: {revert}") from None
    signed = acct.sign_transaction(tx)
    rec = {
        "kind": step.kind,
        "contract": step.contract,
        "status": "signed",
        "tx": "0x" + bytes(signed.hash).hex(),
        "raw": "0x" + bytes(signed.raw_transaction).hex(),
        "nonce": tx["nonce"],
        "from": acct.address,
    }
    m.steps[step.name] = rec
    m.save()  # write-ahead: from here on a restart re-broadcasts this exact transaction
    _crash_point(step.name, "signed")
    w3.eth.send_raw_transaction(signed.raw_transaction)
    _crash_point(step.name, "sent")
    receipt = w3.eth.wait_for_transaction_receipt(signed.hash, timeout=300)
    _record(m, step, rec, receipt)
    progress(f"{step.name}: {rec.get('address') or rec['tx']}")


def _receipt(chain: Chain, tx_hash: str) -> Any:
    try:
        return chain.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
    except TransactionNotFound:
        return None


def _record(m: Manifest, step: Step, rec: dict[str, Any], receipt: Any) -> None:
    if receipt["status"] != 1:
        raise DeployError(f"{step.name}: transaction {rec['tx']} failed on chain")
    rec["status"] = "done"
    rec["block"] = int(receipt["blockNumber"])
    rec["gas_used"] = int(receipt["gasUsed"])
    rec.pop("raw", None)
    if step.kind == "deploy":
        rec["address"] = receipt["contractAddress"]
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
        if s.get("kind") not in ("deploy", "existing"):
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


def find(manifest_path: Path, step: str) -> str:
    """The address of a deployed step (``jurisdiction``, ``persons``, …) from a manifest."""
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    try:
        return str(data["steps"][step]["address"])
    except KeyError:
        raise ChainError(f"{manifest_path} has no deployed {step!r}") from None
