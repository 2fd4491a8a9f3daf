"""Conventions every compiled contract keeps (docs/architecture.md, "Conventions"), checked over all
artifacts at once: errors documented and tagged, no two zhili errors sharing a selector, runtime sizes
under the EIP-170 limit.

Errors declared by OpenZeppelin (``AccessControlUnauthorizedAccount``, ``ECDSAInvalidSignature``, ...)
appear in every artifact that inherits them; their NatSpec is OpenZeppelin's, so only errors declared
in ``contracts/`` are held to the zhili tags. An error inherited from one zhili base shows up in several
artifacts with the same signature: that is one declaration, not a clash.
"""

from __future__ import annotations

import re
from pathlib import Path

from eth_utils import keccak

from zhili.core import artifacts

ROOT = Path(__file__).resolve().parents[1]
EIP170 = 24_576  # bytes of deployed runtime code (EIP-170)
RULE = re.compile(r"^(none|R-[A-Z]+-\d+|SPEC §\d+)$")


def _zhili_error_names() -> set[str]:
    """Names of the errors declared in contracts/ (everything else in an ABI comes from OpenZeppelin)."""
    names: set[str] = set()
    for path in (ROOT / "contracts").rglob("*.sol"):
        names |= set(re.findall(r"^\s*error\s+(\w+)\s*\(", path.read_text(encoding="utf-8"), re.M))
    return names


def _errors() -> list[tuple[str, str, dict, dict]]:
    """``(contract, signature, devdoc entry, userdoc entry)`` of every error in every artifact."""
    out = []
    for name in artifacts.names():
        art = artifacts.load(name)
        for entry in art.abi:
            if entry["type"] != "error":
                continue
            sig = f"{entry['name']}({','.join(artifacts._abi_type(i) for i in entry['inputs'])})"
            dev = (art.devdoc.get("errors", {}).get(sig) or [{}])[0]
            user = (art.userdoc.get("errors", {}).get(sig) or [{}])[0]
            out.append((name, sig, dev, user))
    return out


def test_every_zhili_error_has_a_notice_and_a_rule_tag() -> None:
    ours = _zhili_error_names()
    bad = []
    for contract, sig, dev, user in _errors():
        if sig.split("(")[0] not in ours:
            continue  # OpenZeppelin's declaration and docs
        rule = dev.get("custom:rule", "")
        if not user.get("notice"):
            bad.append(f"{contract}.{sig}: no @notice")
        if not RULE.match(rule):
            bad.append(f"{contract}.{sig}: @custom:rule {rule!r} is not 'none', 'R-…' or 'SPEC §…'")
    assert not bad, "\n".join(bad)


def test_no_two_error_signatures_share_a_selector() -> None:
    by_selector: dict[bytes, set[str]] = {}
    where: dict[str, set[str]] = {}
    for contract, sig, _, _ in _errors():
        by_selector.setdefault(keccak(text=sig)[:4], set()).add(sig)
        where.setdefault(sig, set()).add(contract)
    clashes = {sel.hex(): sigs for sel, sigs in by_selector.items() if len(sigs) > 1}
    assert not clashes, clashes
    # the same signature in two artifacts must be one declaration (a base's, or OpenZeppelin's)
    declared: dict[str, list[str]] = {}
    for path in sorted((ROOT / "contracts").rglob("*.sol")):
        for m in re.finditer(r"^\s*error\s+(\w+)\s*\(", path.read_text(encoding="utf-8"), re.M):
            declared.setdefault(m.group(1), []).append(path.relative_to(ROOT).as_posix())
    twice = {sig: (sorted(contracts), declared[sig.split("(")[0]]) for sig, contracts in where.items() if len(contracts) > 1 and len(declared.get(sig.split("(")[0], [])) > 1}
    assert not twice, f"one signature, several declarations: {twice}"


def test_every_runtime_fits_eip170() -> None:
    rows = []
    for name in artifacts.names():
        size = len(bytes.fromhex(artifacts.load(name).deployed_bytecode.removeprefix("0x")))
        rows.append((name, size))
    print(f"\n{'contract':<24}{'runtime':>9}{'margin':>9}{'used':>7}")
    for name, size in sorted(rows, key=lambda r: -r[1]):
        print(f"{name:<24}{size:>9,}{EIP170 - size:>9,}{size / EIP170:>7.1%}")
    too_big = [(n, s) for n, s in rows if s >= EIP170]
    assert not too_big, too_big


def test_python_role_ids_mirror_contracts_lib_roles() -> None:
    # DESIGN principle 8: the one Python copy of lib/Roles.sol, checked against it
    import re
    from pathlib import Path

    from eth_utils import keccak

    from zhili.types import Role

    root = Path(__file__).resolve().parents[1]
    src = (root / "contracts" / "lib" / "Roles.sol").read_text(encoding="utf-8")
    solidity = {n: keccak(text=s) for n, s in re.findall(r'bytes32 internal constant (\w+) = keccak256\("([^"]+)"\)', src)}
    python = {n: v for n, v in vars(Role).items() if n.isupper()}
    assert solidity and python == solidity
    stray = [str(p.relative_to(root)) for p in (root / "client" / "zhili").rglob("*.py")
             if "zhili.role." in p.read_text(encoding="utf-8") and p.name != "types.py"]  # fmt: skip
    assert not stray, f"role ids written outside zhili.types: {stray}"
