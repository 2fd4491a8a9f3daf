"""Shared fixtures: the same contract tests run on the embedded chain and on anvil.

``--chain embedded|anvil|both`` (default both). Tests marked ``anvil_only`` (large or slow) run
only on anvil. Each test gets the chain rolled back to a snapshot, so tests never see each
other's state; one chain per kind serves the whole session.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zhili import profiles
from zhili.core.chain import AnvilProcess, Chain, connect

KINDS = ("embedded", "anvil")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--chain", default="both", choices=("embedded", "anvil", "both"), help="which chain(s) contract tests run on")


def _selected(config: pytest.Config) -> tuple[str, ...]:
    opt = config.getoption("--chain")
    return KINDS if opt == "both" else (opt,)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "chain_kind" not in metafunc.fixturenames:
        return
    kinds = _selected(metafunc.config)
    if metafunc.definition.get_closest_marker("anvil_only"):
        kinds = tuple(k for k in kinds if k == "anvil")
    if not kinds:
        metafunc.parametrize("chain_kind", [pytest.param("anvil", marks=pytest.mark.skip("anvil_only; --chain embedded"))])
    else:
        metafunc.parametrize("chain_kind", kinds, scope="session")


@pytest.fixture(scope="session")
def _chains() -> Iterator[dict[str, Chain]]:
    chains: dict[str, Chain] = {}
    yield chains
    for c in chains.values():
        c.close()


@pytest.fixture(scope="session")
def session_chain(chain_kind: str, _chains: dict[str, Chain]) -> Chain:
    if chain_kind not in _chains:
        _chains[chain_kind] = connect(chain_kind)
    return _chains[chain_kind]


@pytest.fixture
def chain(session_chain: Chain) -> Iterator[Chain]:
    """A chain rolled back to its state before the test when the test ends."""
    snap = session_chain.snapshot()
    session_chain.gas_used.clear()
    yield session_chain
    session_chain.revert_to(snap)


@pytest.fixture(scope="session")
def township() -> profiles.Profile:
    return profiles.load("township")


@pytest.fixture(scope="session")
def county() -> profiles.Profile:
    return profiles.load("county")


@pytest.fixture(scope="module")
def node() -> Iterator[AnvilProcess]:
    """An anvil node of this test module's own, reached by URL (CLI and crash tests)."""
    n = AnvilProcess()
    yield n
    n.stop()
