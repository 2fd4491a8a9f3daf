"""Shared fixtures: the same contract tests run on the embedded chain and on anvil.

``--chain embedded|anvil|both`` (default both). Tests marked ``anvil_only`` (large or slow) run
only on anvil. Each test gets the chain rolled back to a snapshot, so tests never see each
other's state; one chain per kind serves the whole session.

``--chain anvil --embedded-sample`` (``make test``) runs the contract tests of EMBEDDED_SAMPLE on the
embedded chain as well, in the same session, so pytest-xdist balances one queue. The files of
LONGEST_FIRST are collected first, longest first (docs/ci.md): with ``--dist loadfile
--no-loadscope-reorder`` the workers take them before the many short files, and the run does not end
with one long file alone on one worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zhili import profiles
from zhili.core.chain import AnvilProcess, Chain, connect

KINDS = ("embedded", "anvil")

## The contract tests `make test` runs on the embedded chain too (the rest run there under `pytest`): the
## edge cases of every domain (the council's and the village's among them) and seating at the election's
## end. test-dates runs its files there (whole scenario runs, the calendar, handover, evidence and merit
## deadlines), and a few tests connect to it by name (the deployment plan, the CPPCC clerk's CLI). The
## council's and the village year's contract tests left the sample to keep CI within 15 minutes
## (docs/ci.md); `pytest` runs them there.
EMBEDDED_SAMPLE = ("tests/edges", "tests/election/test_seating.py")

## The slowest files of `make test`, slowest first (CI's --durations and docs/ci.md); the rest follow in
## collection order. A file missing here, or out of place, only costs balance, never a test.
LONGEST_FIRST = (
    "tests/scenario/test_run_resume.py",
    "tests/test_wheel.py",
    "tests/test_static_analysis.py",
    "tests/deploy/test_deploy.py",
    "tests/merit/test_merit_model.py",
    "tests/bench/test_bench.py",
    "tests/index/test_index_indexer.py",
    "tests/election/test_election_model.py",
    "tests/scenario/test_scenario.py",
    "tests/bench/test_bench_console.py",
    "tests/council/test_council_rebuild.py",
    "tests/council/test_council_model.py",
    "tests/village/test_village_agreement.py",
    "tests/bad_input/test_bad_input.py",
    "tests/test_brownie.py",
    "tests/council/test_council.py",
    "tests/scenario/test_village_scenario.py",
    "tests/console/test_console_browser.py",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--chain", default="both", choices=("embedded", "anvil", "both"), help="which chain(s) contract tests run on")
    parser.addoption("--embedded-sample", action="store_true", help="with --chain anvil: run the contract tests of EMBEDDED_SAMPLE on the embedded chain too")


def _in_sample(config: pytest.Config, path: Path) -> bool:
    try:
        rel = path.relative_to(config.rootpath).as_posix()
    except ValueError:  # a test file outside the rootdir
        return False
    return any(rel == s or rel.startswith(s + "/") for s in EMBEDDED_SAMPLE)


def _selected(config: pytest.Config, path: Path) -> tuple[str, ...]:
    opt = config.getoption("--chain")
    if opt == "both" or (opt == "anvil" and config.getoption("--embedded-sample") and _in_sample(config, path)):
        return KINDS
    return (opt,)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "chain_kind" not in metafunc.fixturenames:
        return
    kinds = _selected(metafunc.config, metafunc.definition.path)
    if metafunc.definition.get_closest_marker("anvil_only"):
        kinds = tuple(k for k in kinds if k == "anvil")
    if not kinds:
        metafunc.parametrize("chain_kind", [pytest.param("anvil", marks=pytest.mark.skip("anvil_only; --chain embedded"))])
    else:
        metafunc.parametrize("chain_kind", kinds, scope="session")


@pytest.hookimpl(trylast=True)  # after pytest's own reordering by fixture scope
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {f: i for i, f in enumerate(LONGEST_FIRST)}
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        first.setdefault(item.nodeid.split("::")[0], i)

    def key(item: pytest.Item) -> tuple[int, int]:
        f = item.nodeid.split("::")[0]
        return (rank.get(f, len(rank)), first[f])

    items.sort(key=key)  # stable: a file's tests keep their order


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
    """A chain rolled back to its state before the test when the test ends. On anvil the transaction
    pool is emptied too: a revert leaves it as it was, and a transaction a test left unmined there (a
    nonce ahead, a fee below the reverted chain's base fee) would hold back every later transaction of its
    sender behind a nonce gap (seen once in CI: a deployment in test_calendar.py never mined, 120 s)."""
    snap = session_chain.snapshot()
    session_chain.gas_used.clear()
    yield session_chain
    session_chain.revert_to(snap)
    if session_chain.kind == "anvil":
        session_chain.w3.provider.make_request("anvil_dropAllTransactions", [])  # type: ignore[arg-type]


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


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[str]:
    """The URL of a throwaway PostgreSQL cluster (:mod:`zhili.index.pgcluster`): ``make test``'s, named
    by ZHILI_TEST_PG_URL, else one this session starts and removes; skipped where PostgreSQL is not
    installed (``make setup-postgres``) unless ZHILI_TEST_PG_URL names one (then it must answer)."""
    import os

    from zhili.index import pgcluster

    if os.environ.get(pgcluster.ENV):
        yield os.environ[pgcluster.ENV]
        return
    try:
        cluster = pgcluster.start()
    except pgcluster.PostgresMissing as exc:
        pytest.skip(str(exc))
    try:
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: str) -> str:
    """A new empty database of the test's own in the PostgreSQL cluster."""
    from zhili.index.pgcluster import create_database

    return create_database(pg_cluster)
