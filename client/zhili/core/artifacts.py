"""Compiled contracts shipped as package data (``zhili/artifacts/*.json``).

Running zhili needs neither node nor solc: deployments and reads use these files.
``zhili build`` (see :mod:`zhili.core.build`) regenerates them from ``contracts/``.

Test-only contracts (``contracts/mocks/``) are compiled by the same build into ``tests/artifacts/`` of
the source checkout, never into the package: a checkout loads them too, an installed zhili has none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from eth_utils import keccak

ARTIFACT_DIR = Path(__file__).resolve().parents[1] / "artifacts"
BUILD_INFO = "_build.json"
ANCHOR_DIR = ARTIFACT_DIR / "anchors"  # benchmark anchors (zhili.bench.anchors), not system contracts
# test-only contracts (contracts/mocks/): in a source checkout only (client/zhili/ -> tests/artifacts/)
TEST_ARTIFACT_DIR = Path(__file__).resolve().parents[3] / "tests" / "artifacts"


def _dirs() -> list[Path]:
    """The artifact directories: the package's, then a checkout's test-only ones (if this is a checkout)."""
    return [ARTIFACT_DIR, *([TEST_ARTIFACT_DIR] if TEST_ARTIFACT_DIR.is_dir() else [])]


@dataclass(frozen=True)
class Artifact:
    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    devdoc: dict[str, Any]
    userdoc: dict[str, Any]
    raw: dict[str, Any]


@dataclass(frozen=True)
class ErrorInfo:
    """A custom error of a zhili contract, with the rule it enforces (NatSpec ``@custom:rule``)."""

    contract: str
    name: str
    inputs: tuple[dict[str, Any], ...]
    rule: str | None
    notice: str | None

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(_abi_type(i) for i in self.inputs)})"


def _abi_type(param: dict[str, Any]) -> str:
    t: str = param["type"]
    if t.startswith("tuple"):
        return "(" + ",".join(_abi_type(c) for c in param["components"]) + ")" + t[5:]
    return t


@cache
def load(name: str) -> Artifact:
    """Load the artifact of contract ``name`` (e.g. ``"Jurisdiction"``)."""
    path = next((d / f"{name}.json" for d in _dirs() if (d / f"{name}.json").exists()), None)
    if path is None:
        raise KeyError(f"no compiled artifact for contract {name!r} in {' or '.join(map(str, _dirs()))}")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Artifact(
        name=name,
        abi=raw["abi"],
        bytecode=raw["bytecode"],
        deployed_bytecode=raw["deployedBytecode"],
        devdoc=raw.get("devdoc", {}),
        userdoc=raw.get("userdoc", {}),
        raw=raw,
    )


def names() -> list[str]:
    """Names of all shipped contracts (and, in a source checkout, the test-only ones)."""
    return sorted({p.stem for d in _dirs() for p in d.glob("*.json") if p.name != BUILD_INFO})


@cache
def error_table() -> dict[bytes, ErrorInfo]:
    """Every custom error of every shipped contract, keyed by its 4-byte selector (first declaration)."""
    return {sel: infos[0] for sel, infos in errors_by_selector().items()}


@cache
def _abi_keys() -> dict[str, str]:
    return {json.dumps(load(n).abi, sort_keys=True): n for n in names()}


def name_for_abi(abi: Any) -> str | None:
    """The shipped contract whose ABI this is (to read a revert in the context of the called contract)."""
    try:
        return _abi_keys().get(json.dumps(list(abi), sort_keys=True))
    except TypeError:
        return None


@cache
def errors_by_selector() -> dict[bytes, list[ErrorInfo]]:
    """Every declaration of each custom error selector: two contracts may declare the same signature
    with different rules, so a revert is read in the context of the contract that was called."""
    table: dict[bytes, list[ErrorInfo]] = {}
    for cname in names():
        art = load(cname)
        for entry in art.abi:
            if entry["type"] != "error":
                continue
            info = ErrorInfo(cname, entry["name"], tuple(entry["inputs"]), None, None)
            sig = info.signature
            dev = (art.devdoc.get("errors", {}).get(sig) or [{}])[0]
            user = (art.userdoc.get("errors", {}).get(sig) or [{}])[0]
            info = ErrorInfo(cname, entry["name"], info.inputs, dev.get("custom:rule"), user.get("notice"))
            table.setdefault(keccak(text=sig)[:4], []).append(info)
    return table
