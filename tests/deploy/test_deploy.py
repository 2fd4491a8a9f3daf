"""Scripted deployment (scripts/deploy.py): manifest, interruption at every step, resume, status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from web3 import Web3

from zhili.jurisdiction import registry
from zhili.core.chain import AnvilProcess, anvil_accounts
from zhili.cli import main

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


def chain_state(node: AnvilProcess, manifest: Path) -> dict:
    w3 = Web3(Web3.HTTPProvider(node.url))
    m = json.loads(manifest.read_text())
    deployer = anvil_accounts(1)[0].address
    addrs = {k: v["address"] for k, v in m["steps"].items() if "address" in v}
    jur = w3.eth.contract(address=addrs["jurisdiction"], abi=__import__("zhili.core.artifacts", fromlist=["x"]).load("Jurisdiction").abi)
    roles = {r: [jur.functions.hasRole(registry.role_id(r), a.address).call() for a in anvil_accounts(10)] for r in registry.ROLES}
    return {"nonce": w3.eth.get_transaction_count(deployer), "addresses": addrs, "roles": roles, "code": jur.functions.code().call()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """An uninterrupted deployment on a fresh node: what every resumed one must end as."""
    node = AnvilProcess()
    try:
        manifest = tmp_path_factory.mktemp("ref") / "m.json"
        proc = deploy(node, manifest)
        assert proc.returncode == 0, proc.stderr
        state = chain_state(node, manifest)
        # idempotent: a second run sends nothing
        again = deploy(node, manifest)
        assert again.returncode == 0 and chain_state(node, manifest) == state
        return state
    finally:
        node.stop()


STEPS = ["calendar", "calendar.publish.2026", "persons", "persons.grant.REGISTRAR.0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "jurisdiction",
         "jurisdiction.grant.auditor.0x14dC79964da2C08b23698B3D3cc7Ca32193d9955"]  # fmt: skip


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("phase", ["signed", "sent"])
def test_interrupted_deployment_resumes_to_the_same_state(reference: dict, tmp_path: Path, step: str, phase: str) -> None:
    node = AnvilProcess()
    try:
        manifest = tmp_path / "m.json"
        killed = deploy(node, manifest, crash=f"{step}:{phase}")
        assert killed.returncode == 97, killed.stderr  # died right there
        on_disk = json.loads(manifest.read_text())  # the manifest is whole, with the step written ahead
        assert on_disk["steps"][step]["status"] == "signed"
        resumed = deploy(node, manifest)
        assert resumed.returncode == 0, resumed.stderr
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
        assert {r["contract"] for r in rows} == {"PersonRegistry", "Jurisdiction", "WorkCalendar"} and all(r["code_matches"] for r in rows)
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
