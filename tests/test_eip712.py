"""Mirror guard (DESIGN.md principle 8): every EIP-712 struct the client signs has the type string and
domain of the contract that checks it. A field renamed or reordered on one side would make every
signature fail on chain; this says which struct and how, before any chain runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zhili.core import eip712
from zhili.council.client import MINUTES, SEAL_USE
from zhili.election.credentials import BALLOT, REQUEST
from zhili.evidence.client import DOCUMENT
from zhili.evidence.handover import CONFIRMATION
from zhili.village.client import CONTRACT, REDEMPTION

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"
STRUCTS = [
    ("BallotBox", BALLOT),
    ("BallotBox", REQUEST),
    ("CouncilMinutes", MINUTES),
    ("CouncilMinutes", SEAL_USE),
    ("EvidenceLedger", DOCUMENT),
    ("Handover", CONFIRMATION),
    ("VillageLedger", CONTRACT),
    ("CreditSupermarket", REDEMPTION),
]


def _source(contract: str) -> str:
    (path,) = CONTRACTS.rglob(f"{contract}.sol")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("contract", "struct"), STRUCTS, ids=[s.name for _, s in STRUCTS])
def test_struct_matches_the_contract(contract: str, struct: eip712.Struct) -> None:
    src = _source(contract)
    hashed = re.findall(r'keccak256\(\s*"(' + re.escape(struct.name) + r'\([^"]*\))"\s*\)', src)
    assert hashed == [struct.type_string], f"{contract}: the contract hashes {hashed}, the client {struct.type_string}"
    domains = re.findall(r'(?:EIP712|PersonSigned)\(\s*"([^"]+)",\s*"1"', src)
    assert domains == [struct.domain], f"{contract}: EIP-712 domain {domains}, the client {struct.domain!r}"
