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


@pytest.fixture(scope="session")
def _year_chains() -> Iterator[dict[str, Chain]]:
    chains: dict[str, Chain] = {}
    yield chains
    for c in chains.values():
        c.close()


@pytest.fixture(scope="session")
def year_chain(chain_kind: str, _year_chains: dict[str, Chain]) -> Chain:
    """A chain of its own for the year world: building it moves the clock a year on, which the
    other village worlds (dated from the genesis) must not see. Kept per kind for the whole session
    (pytest may re-create a parametrized session fixture; the world cached for the kind must stay valid)."""
    from zhili.core.chain import connect

    if chain_kind not in _year_chains:
        _year_chains[chain_kind] = connect(chain_kind)
    return _year_chains[chain_kind]


@pytest.fixture
def year(year_chain: Chain) -> Iterator[VillageWorld]:
    """A whole year of the village (village_kit.build_year), four quarters final."""
    from village_kit import build_year

    yield from snapshot_world(year_chain, "village-year", build_year)
