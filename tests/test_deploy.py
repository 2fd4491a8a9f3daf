"""Scripted deployment (scripts/deploy.py, zhili.deploy.plan): the whole set of contracts, manifest and
write-ahead log, interruption at the plan's steps, resume, status; the plan wires as the domain clients do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from web3 import Web3

from zhili.cli import main
from zhili.core import artifacts
from zhili.core.chain import AnvilProcess, anvil_accounts
from zhili.jurisdiction import registry
from zhili.types import Role

ROOT = Path(__file__).resolve().parents[1]
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
    return {"nonce": w3.eth.get_transaction_count(deployer), "addresses": addrs, "roles": roles, "wiring": wiring, "years": years, "code": jur.functions.code().call()}


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
                                           "succession", "merit_ledger", "handover"}  # fmt: skip
        # idempotent: a second run sends nothing
        again = deploy(node, manifest)
        assert again.returncode == 0 and chain_state(node, manifest) == state
        return state
    finally:
        node.stop()


# every kind of step of every group: deploys, the calendar's publication, grants on each contract; the
# first six in both phases, the rest alternating
BOTH = ["calendar", "calendar.publish.2026", "persons", "persons.grant.REGISTRAR.0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "jurisdiction",
        "jurisdiction.grant.auditor.0x14dC79964da2C08b23698B3D3cc7Ca32193d9955"]  # fmt: skip
ONE = ["council", "evidence", "team.grant.RECORD_WRITER", "merit_book", "succession.grant.OFFICE_WRITER", "merit_ledger.grant.LEDGER_WRITER", "handover"]
CRASHES = [(s, p) for s in BOTH for p in ("ahead", "sent")] + [(s, ("ahead", "sent")[i % 2]) for i, s in enumerate(ONE)]


@pytest.mark.parametrize(("step", "phase"), CRASHES)
def test_interrupted_deployment_resumes_to_the_same_state(reference: dict, tmp_path: Path, step: str, phase: str) -> None:
    node = AnvilProcess()
    try:
        manifest = tmp_path / "m.json"
        killed = deploy(node, manifest, crash=f"{step}:{phase}")
        assert killed.returncode == 97, killed.stderr  # died right there
        # the step's signed transaction is in the write-ahead log, unconfirmed; the manifest does not have it yet
        log = [json.loads(line) for line in manifest.with_suffix(".txlog").read_text().splitlines()]
        (ahead,) = [r for r in log if r.get("step") == step]
        assert ahead["t"] == "tx" and ahead["raw"] and not any(r["t"] == "ok" and r["k"] == ahead["k"] for r in log)
        assert step not in json.loads(manifest.read_text())["steps"]
        resumed = deploy(node, manifest)
        assert resumed.returncode == 0, resumed.stderr
        assert f"{step}: recovered" in resumed.stdout
        assert chain_state(node, manifest) == reference  # same addresses, roles, and no transaction sent twice
        assert json.loads(manifest.read_text())["complete"]
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
                                                 "TeamCompletion", "MeritBook", "Succession", "MeritLedger", "Handover"}  # fmt: skip
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
