"""Election tests' fixtures, on zhili.testing (election_kit)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import snapshot_world
from election_kit import World, build_world
from zhili.core.chain import Chain


@pytest.fixture
def world(session_chain: Chain) -> Iterator[World]:
    """One election world per chain, built once; each test runs from a snapshot of it."""
    yield from snapshot_world(session_chain, "election", build_world)
