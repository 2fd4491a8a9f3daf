"""Council tests' fixtures, on zhili.testing (council_kit)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import snapshot_world
from council_kit import CouncilWorld, ElectedCouncilWorld, build_council_world, build_elected_council_world
from zhili.core.chain import Chain


@pytest.fixture
def world(session_chain: Chain) -> Iterator[CouncilWorld]:
    """One council world per chain, built once; each test runs from a snapshot of it."""
    yield from snapshot_world(session_chain, "council", build_council_world)


@pytest.fixture
def elected(session_chain: Chain) -> Iterator[ElectedCouncilWorld]:
    """A council world seated by a completed election (its rolls vote the congress confirmations)."""
    yield from snapshot_world(session_chain, "elected council", build_elected_council_world)
