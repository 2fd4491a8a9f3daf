"""Compile ``contracts/`` into the artifacts shipped in ``zhili/artifacts/``.

Only developers need this module (it needs node and the npm toolchain of ``package.json``);
installing zhili and running it uses the committed artifacts. The build is deterministic:
the same sources and settings give byte-identical artifacts, and
``tests/test_artifacts.py`` proves that the committed ones equal a fresh compile.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from .artifacts import ARTIFACT_DIR, BUILD_INFO

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACTS_DIR = REPO_ROOT / "contracts"
SOLC_WRAPPER = REPO_ROOT / "toolchain" / "solc"
DEFAULT_EVM_VERSION = "paris"
OPTIMIZER_RUNS = 200


class BuildError(RuntimeError):
    """The compiler reported errors or could not run."""


def _sources(contracts_dir: Path) -> dict[str, dict[str, str]]:
    files = sorted(contracts_dir.rglob("*.sol"))
    return {
        "contracts/" + f.relative_to(contracts_dir).as_posix(): {"content": f.read_text(encoding="utf-8")}
        for f in files
    }


def standard_input(evm_version: str = DEFAULT_EVM_VERSION, contracts_dir: Path = CONTRACTS_DIR) -> dict[str, Any]:
    """The Standard JSON input for all contracts under ``contracts_dir`` (named ``contracts/...``)."""
    return {
        "language": "Solidity",
        "sources": _sources(contracts_dir),
        "settings": {
            "evmVersion": evm_version,
            "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
            "viaIR": False,
            "outputSelection": {
                "*": {
                    "*": [
                        "abi",
                        "evm.bytecode.object",
                        "evm.deployedBytecode.object",
                        "evm.deployedBytecode.immutableReferences",
                        "metadata",
                        "devdoc",
                        "userdoc",
                    ]
                }
            },
        },
    }


def solc_version() -> str:
    out = subprocess.run([str(SOLC_WRAPPER), "--version"], capture_output=True, text=True, check=True).stdout
    return out.strip().splitlines()[-1].removeprefix("Version: ").strip()


def compile_all(
    evm_version: str = DEFAULT_EVM_VERSION, contracts_dir: Path = CONTRACTS_DIR
) -> dict[str, dict[str, Any]]:
    """Compile every contract and return ``{file name: artifact JSON}`` (including ``_build.json``)."""
    if not SOLC_WRAPPER.exists():
        raise BuildError(f"solc wrapper not found at {SOLC_WRAPPER}")
    std_in = standard_input(evm_version, contracts_dir)
    try:
        proc = subprocess.run(
            [str(SOLC_WRAPPER), "--standard-json"],
            input=json.dumps(std_in),
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:  # node or node_modules missing
        raise BuildError(f"could not run {SOLC_WRAPPER}: {exc}; run `make setup` (npm install) first") from exc
    out = json.loads(proc.stdout)
    errors = [e for e in out.get("errors", []) if e.get("severity") == "error"]
    if errors:
        raise BuildError("\n".join(e.get("formattedMessage", e.get("message", "")) for e in errors))
    version = solc_version()
    result: dict[str, dict[str, Any]] = {}
    for source, contracts in sorted(out["contracts"].items()):
        if not source.startswith("contracts/"):
            continue
        for name, c in sorted(contracts.items()):
            bytecode = c["evm"]["bytecode"]["object"]
            if not bytecode:  # interfaces and abstract contracts
                continue
            metadata = json.loads(c["metadata"])
            result[f"{name}.json"] = {
                "contractName": name,
                "sourceName": source,
                "compiler": {"version": version, "evmVersion": evm_version, "optimizerRuns": OPTIMIZER_RUNS},
                "abi": c["abi"],
                "bytecode": "0x" + bytecode,
                "deployedBytecode": "0x" + c["evm"]["deployedBytecode"]["object"],
                "immutableReferences": c["evm"]["deployedBytecode"].get("immutableReferences", {}),
                "devdoc": c["devdoc"],
                "userdoc": c["userdoc"],
                "sourceHashes": {p: s["keccak256"] for p, s in sorted(metadata["sources"].items())},
                "metadata": c["metadata"],
            }
    warnings = sorted(
        e.get("formattedMessage", e.get("message", "")).replace(str(REPO_ROOT) + "/", "")
        for e in out.get("errors", [])
        if e.get("severity") == "warning"
    )
    result[BUILD_INFO] = {
        "warnings": warnings,
        "compiler": version,
        "evmVersion": evm_version,
        "optimizerRuns": OPTIMIZER_RUNS,
        "contracts": sorted(k.removesuffix(".json") for k in result),
        "sources": {
            p: hashlib.sha256(s["content"].encode()).hexdigest() for p, s in sorted(std_in["sources"].items())
        },
    }
    return result


def render(artifact: dict[str, Any]) -> str:
    """The exact text an artifact is stored as (sorted keys, stable across runs)."""
    return json.dumps(artifact, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_artifacts(evm_version: str | None = None, out_dir: Path = ARTIFACT_DIR) -> list[Path]:
    """Compile and (re)write the artifact directory; returns the files written."""
    evm_version = evm_version or os.environ.get("ZHILI_EVM_VERSION", DEFAULT_EVM_VERSION)
    built = compile_all(evm_version)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.json"):
        if stale.name not in built:
            stale.unlink()
    written = []
    for fname, art in built.items():
        path = out_dir / fname
        path.write_text(render(art), encoding="utf-8")
        written.append(path)
    return written
