"""Evidence-ledger, handover and auditor tests' fixtures, on zhili.testing (evidence_kit)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import snapshot_world
from evidence_kit import EvidenceWorld, build_world
from zhili.core.chain import Chain


@pytest.fixture
def w(session_chain: Chain) -> Iterator[EvidenceWorld]:
    """One evidence world per chain, built once; each test runs from a snapshot of it."""
    yield from snapshot_world(session_chain, "evidence", build_world)
