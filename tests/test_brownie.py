"""Brownie smoke test, run from the main venv against the separate brownie venv.

Brownie 1.22.2 pins its own web3/eth-account versions, so it lives in ``.venv-brownie``
(``bash toolchain/setup-brownie.sh``, which ``make test`` runs first). This test drives it as a
subprocess: ``brownie compile --all`` (through the offline solc wrapper linked as
``~/.solcx/solc-v0.8.28``), then ``brownie run scripts/brownie_smoke.py --network zhili-anvil``,
which launches anvil on 127.0.0.1, deploys Jurisdiction (township profile), checks the
threshold (R-WD-2) and code read back, and stops anvil again; then ``brownie run scripts/deploy``.

It proves the brownie integration, not the contracts (``zhili build``, forge and the contract tests
compile and test every one of them): brownie runs in a scratch project with the checkout's own
``brownie-config.yaml``, ``toolchain/brownie.env``, ``node_modules`` and scripts, whose ``contracts/``
holds only what the smoke script deploys (Jurisdiction, WorkCalendar and the files they import). Brownie
compiles a project's every contract whenever it loads it, and compiling all of contracts/ with solc-js
took ~96 s of the CI run; this takes a few seconds (docs/ci.md).

Brownie launches anvil on the port of its network configuration; to keep parallel test runs
from colliding (or brownie from attaching to another run's node), the port is chosen here per
run and passed as ``ZHILI_BROWNIE_PORT`` (``brownie-config.yaml``): a port below the kernel's
ephemeral range, so no node started with ``--port 0`` and no outgoing connection is given it,
that is free now and locked (``flock``) for the duration, so no other zhili test run picks it.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-brownie"
BROWNIE = VENV / "bin" / "brownie"
SMOKE_CONTRACTS = ("registry/Jurisdiction.sol", "registry/WorkCalendar.sol")  # what scripts/brownie_smoke.py deploys
PORTS = range(20000, 30000)  # below the ephemeral range (Linux default 32768-60999)
TIMEOUT = 300

pytestmark = pytest.mark.brownie


def _brownie(project: Path, *args: str, port: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run brownie in its own process group, so nothing it starts (anvil) can outlive it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    if port is not None:
        env["ZHILI_BROWNIE_PORT"] = str(port)  # networks.zhili-anvil.cmd_settings.port in brownie-config.yaml
    # Brownie selects its anvil backend only for a cmd starting with "anvil": the network's cmd
    # is plain `anvil`, linked into .venv-brownie/bin by setup-brownie.sh.
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(VENV)
    proc = subprocess.Popen(
        [str(BROWNIE), *args],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=TIMEOUT)
    finally:
        # Brownie stops anvil itself at exit; this only matters if it crashed or timed out.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, None)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.fixture
def port() -> Iterator[int]:
    """A port for brownie's anvil, free and locked against other zhili test runs while the test runs."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    assert PORTS.stop <= low, f"the brownie ports {PORTS} overlap the ephemeral range from {low}"
    for cand in random.sample(PORTS, 50):
        lock = open(Path(tempfile.gettempdir()) / f"zhili-brownie-port-{cand}.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        try:
            if _port_free(cand) and _bindable(cand):
                yield cand
                return
        finally:
            lock.close()  # releases the lock
    pytest.fail(f"no free port for brownie's anvil in {PORTS}")


def _imports(source: Path) -> set[Path]:
    """The contract source and every file of contracts/ it imports, transitively (npm imports excepted)."""
    todo, seen = [source.resolve()], set()
    while todo:
        f = todo.pop()
        if f not in seen:
            seen.add(f)
            todo += [(f.parent / p).resolve() for p in re.findall(r'^import\s[^"]*"([^"@][^"]*)";', f.read_text(), re.M)]
    return seen


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch brownie project: the checkout's config, dotenv file, node_modules and scripts, and of
    contracts/ only the smoke script's contracts with their imports."""
    if not BROWNIE.exists():
        pytest.skip(f"{VENV.name} not found: run `bash toolchain/setup-brownie.sh` (make test does)")
    proj = tmp_path_factory.mktemp("brownie")
    shutil.copy(ROOT / "brownie-config.yaml", proj / "brownie-config.yaml")
    (proj / "toolchain").mkdir()
    (proj / "tests" / "brownie").mkdir(parents=True)  # project_structure.tests: brownie lists it on load
    shutil.copy(ROOT / "toolchain" / "brownie.env", proj / "toolchain" / "brownie.env")
    (proj / "node_modules").symlink_to(ROOT / "node_modules")  # the @openzeppelin remapping
    # scripts/deploy.py finds the checkout's client/ and zhili-config.yaml from its resolved path
    (proj / "scripts").mkdir()
    for script in ("brownie_smoke.py", "deploy.py"):
        (proj / "scripts" / script).symlink_to(ROOT / "scripts" / script)
    contracts = ROOT / "contracts"
    for src in set().union(*(_imports(contracts / c) for c in SMOKE_CONTRACTS)):
        dest = proj / "contracts" / src.relative_to(contracts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)
    return proj


def test_brownie_compiles_offline(project: Path) -> None:
    res = _brownie(project, "compile", "--all")
    assert res.returncode == 0, res.stdout
    assert "Solc version: 0.8.28" in res.stdout, res.stdout
    assert "EVM Version: Paris" in res.stdout, res.stdout
    build_dir = project / ".brownie-build" / "contracts"  # project_structure.build in brownie-config.yaml
    assert {p.stem for p in build_dir.glob("*.json")} >= {"Jurisdiction", "WorkCalendar"}
    build = json.loads((build_dir / "Jurisdiction.json").read_text())
    assert build["compiler"]["version"].startswith("0.8.28")
    assert build["compiler"]["evm_version"] == "paris"
    assert build["compiler"]["optimizer"] == {"enabled": True, "runs": 200}
    assert any(f["type"] == "function" and f["name"] == "seat" for f in build["abi"])


def test_brownie_smoke_on_anvil(project: Path, port: int) -> None:
    # The port is free and ours: brownie launches anvil there rather than attaching to a node.
    res = _brownie(project, "run", "scripts/brownie_smoke.py", "--network", "zhili-anvil", port=port)
    assert res.returncode == 0, res.stdout
    assert "brownie smoke: ok" in res.stdout, res.stdout
    assert f"Launching 'anvil --quiet --port {port} " in res.stdout, res.stdout  # brownie started anvil itself ...
    assert "Terminating local RPC client" in res.stdout, res.stdout  # ... and stopped it
    assert _port_free(port), f"anvil still listening on {port} after brownie exited"


def test_brownie_runs_the_deployment_script(project: Path, tmp_path: Path, port: int) -> None:
    # `brownie run scripts/deploy --network NAME`: brownie connects, zhili's resumable deployment of the whole set runs
    from zhili.core.chain import anvil_accounts

    manifest = tmp_path / "anvil.json"
    os.environ.update(ZHILI_JURISDICTION="330110-001", ZHILI_NETWORK="anvil-local", ZHILI_MANIFEST=str(manifest),
                      ZHILI_PRIVATE_KEYS=anvil_accounts(1)[0].key.hex())  # fmt: skip
    try:
        res = _brownie(project, "run", "scripts/deploy.py", "--network", "zhili-anvil", port=port)
    finally:
        for k in ("ZHILI_JURISDICTION", "ZHILI_NETWORK", "ZHILI_MANIFEST", "ZHILI_PRIVATE_KEYS"):
            os.environ.pop(k, None)
    assert res.returncode == 0, res.stdout
    m = json.loads(manifest.read_text())
    assert m["complete"] and all(m["steps"][s]["status"] == "done" for s in ("calendar", "persons", "jurisdiction", "council", "merit_ledger", "handover"))
    assert f"Launching 'anvil --quiet --port {port} " in res.stdout, res.stdout
    assert _port_free(port)
