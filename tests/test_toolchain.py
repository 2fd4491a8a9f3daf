"""The offline compiler: the solc-js wrapper and the deterministic, committed artifacts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import solcx

from zhili.core import artifacts
from zhili.core.build import CONTRACTS_DIR, DEFAULT_EVM_VERSION, SOLC_WRAPPER, compile_all, render, solc_version, split_test_only

PINNED = "0.8.28"


def test_wrapper_version_speaks_like_native_solc() -> None:
    out = subprocess.run([str(SOLC_WRAPPER), "--version"], capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert lines[0] == "solc, the solidity compiler commandline interface"
    assert lines[1].startswith(f"Version: {PINNED}+commit.")


def test_wrapper_standard_json_prints_only_json() -> None:
    src = "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\ncontract A { function f() external pure returns (uint) { return 1; } }"
    std_in = {
        "language": "Solidity",
        "sources": {"A.sol": {"content": src}},
        "settings": {"evmVersion": "paris", "outputSelection": {"*": {"*": ["abi"]}}},
    }
    proc = subprocess.run([str(SOLC_WRAPPER), "--standard-json", "--allow-paths", "."], input=json.dumps(std_in), capture_output=True, text=True, check=True)
    out = json.loads(proc.stdout)  # the whole of stdout is one JSON document
    assert out["contracts"]["A.sol"]["A"]["abi"][0]["name"] == "f"


def test_py_solc_x_accepts_the_wrapper() -> None:
    # py-solc-x (and brownie through it) only needs --version and --standard-json
    version = solcx.wrapper.get_solc_version(SOLC_WRAPPER)
    assert str(version) == PINNED
    out = solcx.compile_standard(
        {"language": "Solidity", "sources": {"B.sol": {"content": "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0; contract B {}"}},
         "settings": {"outputSelection": {"*": {"*": ["evm.bytecode.object"]}}}},
        solc_binary=SOLC_WRAPPER,
    )  # fmt: skip
    assert out["contracts"]["B.sol"]["B"]["evm"]["bytecode"]["object"]


def test_committed_artifacts_equal_a_fresh_compile() -> None:
    """Deterministic build: the shipped artifacts are exactly what the sources compile to."""
    shipped, test_only = split_test_only(compile_all(DEFAULT_EVM_VERSION))
    assert set(test_only) == {f"{p.stem}.json" for p in (CONTRACTS_DIR / "mocks").glob("*.sol")}, "contracts/mocks/ is test-only"
    for directory, fresh in ((artifacts.ARTIFACT_DIR, shipped), (artifacts.TEST_ARTIFACT_DIR, test_only)):
        committed = {p.name for p in directory.glob("*.json")}
        assert committed == set(fresh), f"run `zhili build`: the set of contracts in {directory} changed"
        for fname, art in fresh.items():
            on_disk = (directory / fname).read_text(encoding="utf-8")
            assert on_disk == render(art), f"{fname} is stale: run `zhili build` and commit the artifacts"


def _jurisdiction_only(tmp_path: Path) -> Path:
    """A contracts directory holding only Jurisdiction.sol and what it imports: compiles in seconds."""
    copy = tmp_path / "contracts"
    (copy / "lib").mkdir(parents=True)
    for f in ("registry/Jurisdiction.sol", "registry/WorkCalendar.sol", "lib/ZhiliTypes.sol", "lib/CivilDate.sol", "lib/Roles.sol"):
        (copy / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CONTRACTS_DIR / f, copy / f)
    return copy


def test_a_changed_contract_makes_the_artifacts_stale(tmp_path: Path) -> None:
    copy = _jurisdiction_only(tmp_path)
    assert render(compile_all(DEFAULT_EVM_VERSION, contracts_dir=copy)["Jurisdiction.json"]) == (artifacts.ARTIFACT_DIR / "Jurisdiction.json").read_text(encoding="utf-8"), (
        "unchanged, it compiles to the shipped artifact"
    )
    target = copy / "registry" / "Jurisdiction.sol"
    target.write_text(target.read_text() + "\n// a change the artifacts have not seen\n")
    fresh = compile_all(DEFAULT_EVM_VERSION, contracts_dir=copy)
    assert render(fresh["Jurisdiction.json"]) != (artifacts.ARTIFACT_DIR / "Jurisdiction.json").read_text(encoding="utf-8")


def test_artifacts_record_compiler_settings_and_source_hashes() -> None:
    info = json.loads((artifacts.ARTIFACT_DIR / artifacts.BUILD_INFO).read_text())
    assert info["evmVersion"] == "paris" and info["compiler"] == solc_version()
    assert info["warnings"] == [], "the compiler warns: fix the contracts"
    art = artifacts.load("Jurisdiction").raw
    assert art["compiler"]["evmVersion"] == "paris"
    assert "contracts/registry/Jurisdiction.sol" in art["sourceHashes"]
    assert any(p.startswith("@openzeppelin/contracts/") for p in art["sourceHashes"])
    meta = json.loads(art["metadata"])
    assert meta["settings"]["evmVersion"] == "paris" and meta["settings"]["optimizer"]["enabled"]


def test_paris_bytecode_has_no_push0() -> None:
    # consortium chains lag mainnet: compiled for paris, no PUSH0 (0x5f) opcode may appear
    code = bytes.fromhex(artifacts.load("Jurisdiction").deployed_bytecode[2:])
    i = 0
    meta_len = int.from_bytes(code[-2:], "big") + 2  # CBOR metadata at the end is data, not code
    body = code[: len(code) - meta_len]
    while i < len(body):
        op = body[i]
        assert op != 0x5F, f"PUSH0 at {i}"
        i += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)


@pytest.mark.parametrize("evm", ["shanghai"])
def test_evm_version_is_configurable(evm: str, tmp_path: Path) -> None:
    fresh = compile_all(evm, contracts_dir=_jurisdiction_only(tmp_path))
    assert fresh["Jurisdiction.json"]["compiler"]["evmVersion"] == evm
