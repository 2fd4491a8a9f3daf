"""Fixtures of the village tests: the village world on each chain, rolled back after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chain_kit import snapshot_world
from village_kit import VillageWorld, build_village
from zhili.core.chain import Chain


@pytest.fixture
def vw(session_chain: Chain) -> Iterator[VillageWorld]:
    yield from snapshot_world(session_chain, "village", build_village)


@pytest.fixture
def adopted(vw: VillageWorld) -> VillageWorld:
    """The village with the profile's list adopted in January 2026 (in force from April, R-VC-2)."""
    vw.notes["version"] = vw.adopt()
    return vw


@pytest.fixture
def year(session_chain: Chain) -> Iterator[VillageWorld]:
    """A whole year of the village (village_kit.build_year), four quarters final."""
    from village_kit import build_year

    yield from snapshot_world(session_chain, "village-year", build_year)
