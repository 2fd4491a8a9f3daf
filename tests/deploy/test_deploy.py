"""Scripted deployment (scripts/deploy.py, zhili.deploy.plan): the whole set of contracts, manifest and
write-ahead log, interruption at the plan's steps, resume, status; the plan wires as the domain clients do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak
from web3 import Web3

from model import DEEP
from zhili import profiles
from zhili.cli import main
from zhili.core import artifacts
from zhili.core.chain import AnvilProcess, Chain, anvil_accounts, connect
from zhili.core.workdays import Notice, covered_years, cst_day
from zhili.council.client import CouncilClient
from zhili.council.team import TeamClient
from zhili.deploy import plan
from zhili.election.scrutiny import ScrutinyClient
from zhili.evidence.client import EvidenceClient
from zhili.evidence.handover import HandoverClient
from zhili.jurisdiction import registry
from zhili.merit.client import MeritClient
from zhili.persons.client import deploy_person_registry
from zhili.types import Role

ROOT = Path(__file__).resolve().parents[2]
KEYS = ",".join(a.key.hex() for a in anvil_accounts(10))


def deploy(node: AnvilProcess, manifest: Path, *extra: str, crash: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZHILI_PRIVATE_KEYS": KEYS}
    env.pop("ZHILI_DEPLOY_CRASH", None)
    if crash:
        env["ZHILI_DEPLOY_CRASH"] = crash
    cmd = [sys.executable, str(ROOT / "scripts" / "deploy.py"), "--network", "anvil-local", "--jurisdiction", "330110-001",
           "--url", node.url, "--manifest", str(manifest), *extra]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)


#: (contract step, role, holder step): the roles between the contracts, as the domain clients grant them
WIRING = [
    ("calendar", "CALENDAR_AUTHORITY", "deployer"), ("persons", "REGISTRAR", "deployer"),
    ("jurisdiction", "SECRETARIAT", "team"), ("jurisdiction", "OFFICE_WRITER", "team"), ("persons", "RECORD_WRITER", "team"),
    ("jurisdiction", "OFFICE_WRITER", "succession"), ("jurisdiction", "SUCCESSION_WRITER", "merit_ledger"),
    ("persons", "RECORD_WRITER", "succession"), ("persons", "RECORD_WRITER", "merit_ledger"), ("merit_book", "LEDGER_WRITER", "merit_ledger"),
]  # fmt: skip


def chain_state(node: AnvilProcess, manifest: Path) -> dict:
    w3 = Web3(Web3.HTTPProvider(node.url))
    m = json.loads(manifest.read_text())
    deployer = anvil_accounts(1)[0].address
    addrs = {k: v["address"] for k, v in m["steps"].items() if "address" in v}
    at = {k: w3.eth.contract(address=a, abi=artifacts.load(m["steps"][k]["contract"]).abi) for k, a in addrs.items()}
    jur = at["jurisdiction"]
    roles = {r: [jur.functions.hasRole(registry.role_id(r), a.address).call() for a in anvil_accounts(10)] for r in registry.ROLES}
    holder = {**addrs, "deployer": deployer}
    wiring = [at[c].functions.hasRole(getattr(Role, r), holder[h]).call() for c, r, h in WIRING]
    years = [at["calendar"].functions.isPublished(y).call() for y in m["calendar_years"]]
    # issue 17: the admin roles end with the timelock, none with the deploying key
    admins = {c: (at[c].functions.hasRole(b"\0" * 32, deployer).call(), at[c].functions.hasRole(b"\0" * 32, addrs["admin_timelock"]).call())
              for c in ("jurisdiction", "persons", "merit_book", "calendar")}  # fmt: skip
    return {"nonce": w3.eth.get_transaction_count(deployer), "addresses": addrs, "roles": roles, "wiring": wiring, "years": years, "code": jur.functions.code().call(), "admins": admins}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """An uninterrupted deployment on a fresh node: what every resumed one must end as."""
    node = AnvilProcess()
    try:
        manifest = tmp_path_factory.mktemp("ref") / "m.json"
        proc = deploy(node, manifest)
        assert proc.returncode == 0, proc.stderr
        state = chain_state(node, manifest)
        assert all(state["wiring"]) and all(state["years"]) and all(any(h) for h in state["roles"].values())
        assert set(state["addresses"]) == {"calendar", "persons", "jurisdiction", "council", "council.minutes", "evidence", "team", "merit_book",
                                           "succession", "merit_ledger", "scrutiny", "handover", "admin_timelock"}  # fmt: skip
        assert set(state["admins"].values()) == {(False, True)}  # the config's admin_timelock (issue 17)
        # idempotent: a second run sends nothing
        again = deploy(node, manifest)
        assert again.returncode == 0 and chain_state(node, manifest) == state
        return state
    finally:
        node.stop()


# `make deep` (ZHILI_DEEP=1) kills the deployment at 21 points: every kind of step of every group (deploys,
# the calendar's publication, grants on each contract, the registry's binding of the merit book), the first
# six in both phases, the rest ahead or sent (alternating), and the merit ledger once after its confirmation.
# Each kill costs two runs of the deployment; `make test` kills it at 8 of them, every kind of step and
# phase once (docs/ci.md): a deploy ahead (the first step) and sent (one whose constructor takes earlier
# addresses; the last step), the publication sent, a grant ahead and one sent, the binding ahead, and the
# confirmed phase.
BOTH = ["calendar", "calendar.publish.2026", "persons", "persons.grant.REGISTRAR.0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "jurisdiction",
        "jurisdiction.grant.auditor.0x14dC79964da2C08b23698B3D3cc7Ca32193d9955"]  # fmt: skip
ONE = ["council", "evidence", "team.grant.RECORD_WRITER", "merit_book", "persons.bind.merit_book", "succession.grant.OFFICE_WRITER", "merit_ledger.grant.LEDGER_WRITER", "handover"]
PHASES = ("ahead", "sent")
ALL_CRASHES = [(s, p) for s in BOTH for p in PHASES] + [(s, PHASES[i % 2]) for i, s in enumerate(ONE)] + [("merit_ledger", "confirmed")]
CI_CRASHES = [("calendar", "ahead"), ("calendar.publish.2026", "sent"), (BOTH[3], "ahead"), ("jurisdiction", "sent"),
              ("succession.grant.OFFICE_WRITER", "sent"), ("persons.bind.merit_book", "ahead"), ("merit_ledger", "confirmed"), ("handover", "sent")]  # fmt: skip
assert len(ALL_CRASHES) == 21 and set(CI_CRASHES) <= set(ALL_CRASHES)
CRASHES = ALL_CRASHES if DEEP else CI_CRASHES


@pytest.mark.parametrize(("step", "phase"), CRASHES)
def test_interrupted_deployment_resumes_to_the_same_state(reference: dict, tmp_path: Path, step: str, phase: str) -> None:
    node = AnvilProcess()
    try:
        manifest = tmp_path / "m.json"
        killed = deploy(node, manifest, crash=f"{step}:{phase}")
        assert killed.returncode == 97, killed.stderr  # died right there
        # the step's signed transaction is in the write-ahead log (confirmed there only after "confirmed");
        # the manifest does not have it yet
        log = [json.loads(line) for line in manifest.with_suffix(".txlog").read_text().splitlines()]
        (ahead,) = [r for r in log if r.get("step") == step]
        assert ahead["t"] == "tx" and ahead["raw"] and any(r["t"] == "ok" and r["k"] == ahead["k"] for r in log) == (phase == "confirmed")
        assert step not in json.loads(manifest.read_text())["steps"]
        resumed = deploy(node, manifest)
        assert resumed.returncode == 0, resumed.stderr
        assert f"{step}: recovered" in resumed.stdout
        assert chain_state(node, manifest) == reference  # same addresses, roles, and no transaction sent twice
        assert json.loads(manifest.read_text())["complete"]
    finally:
        node.stop()


def test_manifest_of_an_older_zhili_is_taken_over(reference: dict, tmp_path: Path) -> None:
    """Before the write-ahead log, a manifest kept its signed steps itself (status "signed", raw bytes):
    such a step moves into the log and is settled like any other (re-broadcast as the same bytes)."""
    node = AnvilProcess()
    try:
        manifest = tmp_path / "m.json"
        assert deploy(node, manifest, crash="jurisdiction:ahead").returncode == 97
        log = manifest.with_suffix(".txlog")
        (ahead,) = [r for r in map(json.loads, log.read_text().splitlines()) if r.get("step") == "jurisdiction"]
        old = json.loads(manifest.read_text())
        old["steps"]["jurisdiction"] = {"kind": "deploy", "contract": "Jurisdiction", "status": "signed", "tx": ahead["hash"], "raw": ahead["raw"],
                                        "nonce": ahead["nonce"], "from": ahead["from"]}  # fmt: skip
        manifest.write_text(json.dumps(old))
        log.unlink()  # the older zhili had none; the steps before are in the manifest as done
        resumed = deploy(node, manifest)
        assert resumed.returncode == 0, resumed.stderr
        assert "jurisdiction: recovered" in resumed.stdout
        assert chain_state(node, manifest) == reference
    finally:
        node.stop()


def test_status_checks_code_against_artifacts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    node = AnvilProcess()
    try:
        manifest = tmp_path / "m.json"
        assert deploy(node, manifest).returncode == 0
        assert main(["status", "--manifest", str(manifest), "--chain", node.url, "--json"]) == 0
        rows = json.loads(capsys.readouterr().out)["contracts"]
        assert {r["contract"] for r in rows} == {"PersonRegistry", "Jurisdiction", "WorkCalendar", "Council", "CouncilMinutes", "EvidenceLedger",
                                                 "TeamCompletion", "MeritBook", "Succession", "MeritLedger", "Scrutiny", "Handover", "AdminTimelock"}  # fmt: skip
        assert all(r["code_matches"] for r in rows)
        # a manifest pointing at other code is caught
        m = json.loads(manifest.read_text())
        m["steps"]["jurisdiction"]["address"] = m["steps"]["persons"]["address"]
        manifest.write_text(json.dumps(m))
        assert main(["status", "--manifest", str(manifest), "--chain", node.url]) == 1
        assert "DIFFERS" in capsys.readouterr().out
    finally:
        node.stop()


def test_bad_config_and_wrong_chain(tmp_path: Path) -> None:
    node = AnvilProcess()
    try:
        cfg = tmp_path / "c.yaml"
        cfg.write_text("networks: {anvil-local: {host: x, chainid: 5}}\njurisdictions: {'330110-001': {name: x, profile: township, roles: {mayor: ['0x0000000000000000000000000000000000000001']}}}\n")
        proc = deploy(node, tmp_path / "m.json", "--config", str(cfg))
        assert proc.returncode == 2 and "roles.mayor: unknown role" in proc.stderr
        cfg.write_text("networks: {anvil-local: {host: x, chainid: 5}}\njurisdictions: {'330110-001': {name: x, profile: township}}\n")
        proc = deploy(node, tmp_path / "m.json", "--config", str(cfg))
        assert proc.returncode == 2 and "chain id mismatch" in proc.stderr
        assert Web3(Web3.HTTPProvider(node.url)).eth.block_number == 0
    finally:
        node.stop()


def _wiring(chain: Chain, named: dict[str, str]) -> dict[str, Any]:
    """What the contracts were built with, by name: each one's immutables (constructor arguments that
    are addresses show as the name of the contract or account there) and every role granted on it."""
    name_of = {a.lower(): n for n, a in named.items()}

    def show(word: bytes) -> str:
        if word[:12] == b"\0" * 12 and "0x" + word[12:].hex() in name_of:
            return name_of["0x" + word[12:].hex()]
        return "0x" + word.hex()

    roles = {v: k for k, v in vars(Role).items() if isinstance(v, bytes)} | {b"\0" * 32: "DEFAULT_ADMIN"}
    out: dict[str, Any] = {}
    for step, address in named.items():
        if step not in STEP_CONTRACTS:  # an account
            continue
        contract = STEP_CONTRACTS[step]
        art = artifacts.load(contract)
        code = bytes(chain.w3.eth.get_code(address))
        words = {k: code[refs[0]["start"] : refs[0]["start"] + 32] for k, refs in art.raw.get("immutableReferences", {}).items()}
        separator = _domain_separator(chain, contract, address)
        imm = sorted((k, "its EIP-712 domain separator" if w == separator else show(w)) for k, w in words.items())
        grants = []
        if any(e.get("name") == "RoleGranted" for e in art.abi):
            c = chain.contract(contract, address)
            grants = sorted((roles[bytes(e.args.role)], name_of.get(e.args.account.lower(), e.args.account)) for e in c.events.RoleGranted().get_logs(from_block=0))
        out[step] = {"immutables": imm, "roles": grants}
    return out


def _domain_separator(chain: Chain, contract: str, address: str) -> bytes | None:
    """The EIP-712 domain separator a person-signed contract caches (it hashes the contract's own address)."""
    if not any(e.get("name") == "eip712Domain" for e in artifacts.load(contract).abi):
        return None
    _, name, version, chain_id, verifying, _, _ = chain.call(chain.contract(contract, address).functions.eip712Domain())
    typehash = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    return keccak(abi_encode(["bytes32", "bytes32", "bytes32", "uint256", "address"], [typehash, keccak(text=name), keccak(text=version), chain_id, verifying]))


STEP_CONTRACTS = {r.name: r.contract for r in plan.TABLE if r.kind == "deploy"} | {"council.minutes": "CouncilMinutes"}


def test_plan_wires_as_the_domain_clients_do() -> None:
    """One wiring: the plan's table builds the same contracts with the same constructor arguments and
    the same roles between them as the domain clients' deploy code (registry, persons, council, team,
    evidence, merit, scrutiny, handover)."""
    with connect("embedded") as chain:
        profile = profiles.load("township")
        admin, sec = chain.accounts[0].address, chain.accounts[8].address
        roles = {r: [chain.accounts[1 + i].address] for i, r in enumerate(registry.ROLES)}
        # the domain clients
        j = registry.deploy_jurisdiction(chain, profile, "330110-001", "良渚镇", roles=roles)
        persons = deploy_person_registry(chain)
        council = CouncilClient.deploy(chain, j, persons, secretariat=[sec])
        evidence = EvidenceClient.deploy(chain, j, persons, council.address)
        team = TeamClient.deploy(chain, council)
        merit = MeritClient.deploy(chain, j, persons, profile)
        scrutiny = ScrutinyClient.deploy(chain, j, persons)
        handover = HandoverClient.deploy(chain, j, persons)
        by_clients = {
            "admin": admin, "secretariat": sec, "calendar": chain.call(j.functions.calendar()), "jurisdiction": j.address, "persons": persons.address,
            "council": council.address, "council.minutes": council.minutes.address, "evidence": evidence.contract.address, "team": team.contract.address,
            "merit_book": merit.book.address, "succession": merit.succession.address, "merit_ledger": merit.ledger.address, "handover": handover.contract.address,
            "scrutiny": scrutiny.contract.address,
        }  # fmt: skip
        by_clients |= {r: h[0] for r, h in roles.items()}
        # the plan
        years = covered_years(cst_day(chain.now()).year)
        params = plan.parameters(profile, "330110-001", "良渚镇", admin, roles=roles, secretariat=[sec], notices=[Notice.from_library(y) for y in years])
        by_plan = plan.apply(chain, params, plan.GROUPS) | {"admin": admin, "secretariat": sec} | {r: h[0] for r, h in roles.items()}
        assert set(by_plan) == set(by_clients)
        assert _wiring(chain, by_plan) == _wiring(chain, by_clients)
        assert all(w["roles"] or w["immutables"] for w in _wiring(chain, by_plan).values())
        # both bind their new merit book to their registry: seating reads demerit there (R-MR-7, issue 15)
        for wired in (by_plan, by_clients):
            registered = chain.contract("PersonRegistry", wired["persons"])
            assert chain.call(registered.functions.meritBook()) == wired["merit_book"]


def test_configured_admin_receives_the_jurisdiction_last() -> None:
    """``admin:`` in the config: the deploying key grants every role, then hands the jurisdiction's admin
    role to the configured key and renounces its own (done-checks make both idempotent)."""
    with connect("embedded") as chain:
        deployer, boss = chain.accounts[0].address, chain.accounts[5].address
        params = plan.parameters(profiles.load("township"), "330110-001", "良渚镇", deployer, new_admin=boss)
        got = plan.apply(chain, params, ("calendar", "jurisdiction", "admin"))
        j = chain.contract("Jurisdiction", got["jurisdiction"])
        assert chain.call(j.functions.hasRole(b"\0" * 32, boss)) and not chain.call(j.functions.hasRole(b"\0" * 32, deployer))
        before = chain.w3.eth.block_number
        plan.apply(chain, params, ("admin",), dict(got))  # again: both steps are already so, nothing is sent
        assert chain.w3.eth.block_number == before
        assert [s.name for s in plan.steps(params, ("admin",))] == [f"jurisdiction.admin.{boss}", f"jurisdiction.admin.renounce.{boss}"]


def test_configured_recovery_approvers_are_granted_and_never_a_registrar(tmp_path: Path) -> None:
    """``recovery_approvers:`` (issue 17): the second body of a key recovery gets RECOVERY_APPROVER on the
    province registry; a config naming a registrar as approver is refused before anything is sent."""
    with connect("embedded") as chain:
        deployer, notary = chain.accounts[0].address, chain.accounts[6].address
        params = plan.parameters(profiles.load("township"), "330110-001", "良渚镇", deployer, recovery_approvers=[notary])
        assert [s.name for s in plan.steps(params, ("persons",))] == ["persons", f"persons.grant.REGISTRAR.{deployer}", f"persons.grant.RECOVERY_APPROVER.{notary}"]
        got = plan.apply(chain, params, ("persons",))
        persons = chain.contract("PersonRegistry", got["persons"])
        assert chain.call(persons.functions.hasRole(Role.RECOVERY_APPROVER, notary))
        assert not chain.call(persons.functions.hasRole(Role.RECOVERY_APPROVER, deployer))
    cfg = tmp_path / "c.yaml"
    a = "0x0000000000000000000000000000000000000007"
    cfg.write_text(f"networks: {{n: {{host: x}}}}\njurisdictions: {{'330110-001': {{name: x, profile: township, registrars: ['{a}'], recovery_approvers: ['{a}']}}}}\n")
    with pytest.raises(plan.DeployError, match="two bodies"):
        plan.load_config(cfg, "n", "330110-001")
