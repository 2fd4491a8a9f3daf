"""Compile ``contracts/`` into the artifacts shipped in ``zhili/artifacts/`` (and the test-only
``contracts/mocks/`` into ``tests/artifacts/``, which the package does not ship).

Only developers need this module (it needs node and the npm toolchain of ``package.json``);
installing zhili and running it uses the committed artifacts. The build is deterministic:
the same sources and settings give byte-identical artifacts, and
``tests/test_toolchain.py`` proves that the committed ones equal a fresh compile.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import subprocess
from pathlib import Path
from typing import Any

from ..core.artifacts import ANCHOR_DIR, ARTIFACT_DIR, BUILD_INFO, TEST_ARTIFACT_DIR
from ..core.files import write_atomic
from ..errors import ZhiliError

REPO_ROOT = Path(__file__).resolve().parents[3]
CONTRACTS_DIR = REPO_ROOT / "contracts"
SOLC_WRAPPER = REPO_ROOT / "toolchain" / "solc"
DEFAULT_EVM_VERSION = "paris"
OPTIMIZER_RUNS = 200
TEST_ONLY_SOURCES = "contracts/mocks/"  # compiled with the rest, written to tests/artifacts/, never shipped


class BuildError(ZhiliError, RuntimeError):
    """The compiler reported errors or could not run (exit 2)."""

    exit_code = 2
    prefix = "build failed"


def _sources(contracts_dir: Path) -> dict[str, dict[str, str]]:
    files = sorted(contracts_dir.rglob("*.sol"))
    return {"contracts/" + f.relative_to(contracts_dir).as_posix(): {"content": f.read_text(encoding="utf-8")} for f in files}


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


def _run_solc(std_in: dict[str, Any]) -> dict[str, Any]:
    if not SOLC_WRAPPER.exists():
        raise BuildError(f"solc wrapper not found at {SOLC_WRAPPER}")
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
    out: dict[str, Any] = json.loads(proc.stdout)
    errors = [e for e in out.get("errors", []) if e.get("severity") == "error"]
    if errors:
        raise BuildError("\n".join(e.get("formattedMessage", e.get("message", "")) for e in errors))
    return out


def _artifact(name: str, source: str, c: dict[str, Any], version: str, evm_version: str) -> dict[str, Any]:
    metadata = json.loads(c["metadata"])
    return {
        "contractName": name,
        "sourceName": source,
        "compiler": {"version": version, "evmVersion": evm_version, "optimizerRuns": OPTIMIZER_RUNS},
        "abi": c["abi"],
        "bytecode": "0x" + c["evm"]["bytecode"]["object"],
        "deployedBytecode": "0x" + c["evm"]["deployedBytecode"]["object"],
        "immutableReferences": c["evm"]["deployedBytecode"].get("immutableReferences", {}),
        "devdoc": c["devdoc"],
        "userdoc": c["userdoc"],
        "sourceHashes": {p: s["keccak256"] for p, s in sorted(metadata["sources"].items())},
        "metadata": c["metadata"],
    }


def _warnings(out: dict[str, Any]) -> list[str]:
    return sorted(e.get("formattedMessage", e.get("message", "")).replace(str(REPO_ROOT) + "/", "") for e in out.get("errors", []) if e.get("severity") == "warning")


def compile_all(evm_version: str = DEFAULT_EVM_VERSION, contracts_dir: Path = CONTRACTS_DIR) -> dict[str, dict[str, Any]]:
    """Compile every contract and return ``{file name: artifact JSON}`` (including ``_build.json``)."""
    std_in = standard_input(evm_version, contracts_dir)
    out = _run_solc(std_in)
    version = solc_version()
    result: dict[str, dict[str, Any]] = {}
    for source, contracts in sorted(out["contracts"].items()):
        if not source.startswith("contracts/"):
            continue
        for name, c in sorted(contracts.items()):
            if not c["evm"]["bytecode"]["object"] or not c["abi"]:  # interfaces, abstract contracts, internal libraries
                continue
            result[f"{name}.json"] = _artifact(name, source, c, version, evm_version)
    result[BUILD_INFO] = {
        "warnings": _warnings(out),
        "compiler": version,
        "evmVersion": evm_version,
        "optimizerRuns": OPTIMIZER_RUNS,
        "contracts": sorted(k.removesuffix(".json") for k in result),
        "sources": {p: hashlib.sha256(s["content"].encode()).hexdigest() for p, s in sorted(std_in["sources"].items())},
    }
    return result


def render(artifact: dict[str, Any]) -> str:
    """The exact text an artifact is stored as (sorted keys, stable across runs)."""
    return json.dumps(artifact, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _write_dir(built: dict[str, dict[str, Any]], out_dir: Path) -> list[Path]:
    """Replace the artifact files of ``out_dir`` by ``built`` (each written whole; stale ones removed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.json"):
        if stale.name not in built:
            stale.unlink()
    return [write_atomic(out_dir / fname, render(art), replace=True) for fname, art in built.items()]


def split_test_only(built: dict[str, dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """``(shipped, test_only)``: the artifacts of ``contracts/mocks/`` are test-only (``tests/artifacts/``);
    the rest, with ``_build.json`` (the record of the whole build), are the package's."""
    test_only = {f: a for f, a in built.items() if str(a.get("sourceName", "")).startswith(TEST_ONLY_SOURCES)}
    return {f: a for f, a in built.items() if f not in test_only}, test_only


def write_artifacts(evm_version: str | None = None, out_dir: Path = ARTIFACT_DIR, test_dir: Path = TEST_ARTIFACT_DIR) -> list[Path]:
    """Compile and (re)write the artifact directory and the test-only one; returns the files written."""
    evm_version = evm_version or os.environ.get("ZHILI_EVM_VERSION", DEFAULT_EVM_VERSION)
    shipped, test_only = split_test_only(compile_all(evm_version))
    return _write_dir(shipped, out_dir) + _write_dir(test_only, test_dir)


# ---------------------------------------------------------------------------- benchmark anchors
#
# Third-party contracts the benchmark measures zhili against (docs/benchmarks.md), compiled from
# their npm packages with the same compiler and settings as zhili's own contracts, plus the small
# bench-only sources of ``bench/contracts/``. They are shipped in ``zhili/artifacts/anchors/`` so that
# ``zhili bench --gas`` needs neither node nor solc, and they never join the system contracts
# (``artifacts.names()`` and the error table look only at the top directory).

BENCH_CONTRACTS_DIR = REPO_ROOT / "bench" / "contracts"
NODE_MODULES = REPO_ROOT / "node_modules"
# OpenZeppelin 5.4.0 (zhili's) cannot target paris for Governor or EAS: both use SignatureChecker,
# which in 5.4 imports utils/Bytes.sol and its `mcopy` (Cancun). The anchors therefore compile
# against OpenZeppelin 5.3.0 (the version eas-contracts 1.9.0 itself declares), installed under the
# npm alias below; their `@openzeppelin/contracts/...` imports keep their names and read its files.
ANCHOR_OZ = "openzeppelin-contracts-5.3.0"
ANCHOR_PACKAGES = (
    ANCHOR_OZ,
    "@ethereum-attestation-service/eas-contracts",
    "@safe-global/safe-smart-account",
)
ANCHOR_ENTRY_POINTS = (
    "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol",
    "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol",
    "@safe-global/safe-smart-account/contracts/Safe.sol",
    "@safe-global/safe-smart-account/contracts/proxies/SafeProxyFactory.sol",
)
ANCHOR_CONTRACTS = ("BenchGovernor", "BenchTarget", "BenchVotes", "EAS", "Safe", "SafeProxyFactory", "SchemaRegistry")
# EAS pins its compiler exactly (``pragma solidity 0.8.29;`` in eas-contracts 1.9.0); every release
# pins a different one and none pins ours. The pin is rewritten to the compiler in use, nothing else
# changes; the build records every rewritten file (docs/benchmarks.md, "Anchors").
PRAGMA_REPIN = {"@ethereum-attestation-service/eas-contracts/": re.compile(r"pragma solidity (0\.8\.\d+);")}
_IMPORT = re.compile(r"""^\s*import\s+(?:[^;]*?\s+from\s+)?["']([^"']+)["']\s*;""", re.MULTILINE | re.DOTALL)


def _anchor_file(unit: str, bench_dir: Path) -> Path:
    if unit.startswith("bench/contracts/"):
        return bench_dir / unit.removeprefix("bench/contracts/")
    if unit.startswith("@openzeppelin/contracts/"):
        return NODE_MODULES / ANCHOR_OZ / unit.removeprefix("@openzeppelin/contracts/")
    return NODE_MODULES / unit


def anchor_sources(bench_dir: Path = BENCH_CONTRACTS_DIR) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """All sources the anchors need (their import closure), by unit name, and the pins rewritten.

    Returns ``(sources, repinned)`` where ``repinned`` maps a unit name to its original pragma.
    """
    version = solc_version().split("+")[0]
    todo = ["bench/contracts/" + f.relative_to(bench_dir).as_posix() for f in sorted(bench_dir.rglob("*.sol"))]
    todo += list(ANCHOR_ENTRY_POINTS)
    sources: dict[str, dict[str, str]] = {}
    repinned: dict[str, str] = {}
    while todo:
        unit = todo.pop()
        if unit in sources:
            continue
        path = _anchor_file(unit, bench_dir)
        if not path.is_file():
            raise BuildError(f"anchor source {unit} not found at {path}: run `npm install` (package.json)")
        text = path.read_text(encoding="utf-8")
        for prefix, pin in PRAGMA_REPIN.items():
            m = pin.search(text) if unit.startswith(prefix) else None
            if m and m.group(1) != version:
                repinned[unit] = m.group(0)
                text = pin.sub(f"pragma solidity {version};", text)
        sources[unit] = {"content": text}
        for imp in _IMPORT.findall(text):
            todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(unit), imp)) if imp.startswith(".") else imp)
    return dict(sorted(sources.items())), dict(sorted(repinned.items()))


def _package_version(package: str) -> str:
    meta = NODE_MODULES / package / "package.json"
    return str(json.loads(meta.read_text(encoding="utf-8"))["version"]) if meta.exists() else "missing"


def compile_anchors(evm_version: str = DEFAULT_EVM_VERSION, bench_dir: Path = BENCH_CONTRACTS_DIR) -> dict[str, dict[str, Any]]:
    """Compile the benchmark anchors; ``{file name: artifact JSON}`` (including ``_build.json``)."""
    sources, repinned = anchor_sources(bench_dir)
    std_in = standard_input(evm_version)
    std_in["sources"] = sources
    out = _run_solc(std_in)
    version = solc_version()
    result: dict[str, dict[str, Any]] = {}
    for source, contracts in sorted(out["contracts"].items()):
        for name, c in sorted(contracts.items()):
            if name in ANCHOR_CONTRACTS and c["evm"]["bytecode"]["object"]:
                if f"{name}.json" in result:
                    raise BuildError(f"two anchor contracts named {name}")
                result[f"{name}.json"] = _artifact(name, source, c, version, evm_version)
    missing = sorted(set(ANCHOR_CONTRACTS) - {k.removesuffix(".json") for k in result})
    if missing:
        raise BuildError(f"anchor contracts not produced: {', '.join(missing)}")
    result[BUILD_INFO] = {
        "warnings": _warnings(out),
        "compiler": version,
        "evmVersion": evm_version,
        "optimizerRuns": OPTIMIZER_RUNS,
        "contracts": sorted(k.removesuffix(".json") for k in result),
        "packages": {p: _package_version(p) for p in ANCHOR_PACKAGES},
        "pragmaRepinned": repinned,
        "sources": {p: hashlib.sha256(s["content"].encode()).hexdigest() for p, s in sources.items()},
    }
    return result


def write_anchor_artifacts(evm_version: str | None = None, out_dir: Path = ANCHOR_DIR) -> list[Path]:
    """Compile and (re)write ``zhili/artifacts/anchors/``; returns the files written."""
    evm_version = evm_version or os.environ.get("ZHILI_EVM_VERSION", DEFAULT_EVM_VERSION)
    return _write_dir(compile_anchors(evm_version), out_dir)
