"""Merit and succession tests' fixtures, on zhili.testing (merit_kit)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import snapshot_world
from merit_kit import MeritWorld, build_merit_world
from zhili.core.chain import Chain


@pytest.fixture
def mw(session_chain: Chain) -> Iterator[MeritWorld]:
    """One merit world per chain, built once; each test runs from a snapshot of it."""
    yield from snapshot_world(session_chain, "merit", build_merit_world)
