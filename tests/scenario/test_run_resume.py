"""Crash safety of ``zhili run`` (issue 9): killed mid-run, a journaled run resumes without sending any
transaction twice and ends in the same state as an uninterrupted run.

The runs go to an anvil node reached by URL (the node outlives the killed process, as a real one
would). Both nodes start from the same genesis time and stamp blocks at fixed intervals, so an
uninterrupted run and a killed-and-resumed one must produce the *identical* chain: the same
transactions (sender, nonce, hash) in the same blocks. The kill is ``os._exit`` at a chosen step
(``ZHILI_RUN_CRASH``): after the step is journaled but before it is sent (``ahead``), after it is sent
but before its receipt is recorded (``sent``), and before a clock move (``time``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from web3 import Web3

from model import DEEP
from zhili.core import entropy
from zhili.core.chain import AnvilProcess, anvil_accounts
from zhili.core.journal import CRASH_ENV, JournalError, RunJournal
from zhili.scenario import runner

KEYS = ",".join(a.key.hex() for a in anvil_accounts(10))
SEED = "5a" * 32
GENESIS = 1_780_000_000  # 2026-05-28: inside the installed holiday calendar (SPEC §8)
# Steps of the township run (issues 15 and 17 moved them: the merit contracts deploy before the
# election, whose completion sets the succession order; the rolls' persons and credentials add steps to
# each election; the registry's binding of the merit book is step 40; issue 16's scrutineers, from the plan's
# Scrutiny at step 48, add 16 steps before the first election and their key generation, shares and count to
# each poll), found by target contract, function selector and sender in its journal:
#   95:ahead  the relayer's first credential batch to the first election's ballot box (requestCredentials)
#   165:time  a clock move of the council's meetings (the first motion's classification window)
#   233:sent  a reviewer's step in the first report's review (sealReview)
# and the deployment plan's steps inside the run (zhili.deploy.plan):
#   3:sent    the jurisdiction
#   162:ahead the council's secretariat grant
#   47:sent   the merit book's LEDGER_WRITER grant to the merit ledger
# Each point costs two runs of the term: `make test` kills the run once of each kind (ahead, time, sent;
# the sent one inside the deployment plan), `make deep` (ZHILI_DEEP=1) at all six. `make test` runs the
# township term up to its first council decision (TERM_STEPS: the first motion, no reports, handover or next
# election; about 180 blocks of 371, so half the time), which holds its three points; `make deep` the whole term.
CRASH_POINTS = ["95:ahead", "165:time", "47:sent"]
if DEEP:
    CRASH_POINTS += ["233:sent", "3:sent", "162:ahead"]


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The scenario the crash tests run: the bundled township term (``make deep``), or its beginning."""
    if DEEP:
        return "township"
    data = runner.load("township")
    data["council"] = data["council"][:1]
    for k in ("reports", "handover", "next_election"):
        data.pop(k)
    f = tmp_path_factory.mktemp("term") / "township-start.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(f)


def node() -> AnvilProcess:
    n = AnvilProcess(extra_args=("--timestamp", str(GENESIS)))
    Web3(Web3.HTTPProvider(n.url)).provider.make_request("anvil_setBlockTimestampInterval", [5])  # type: ignore[arg-type]
    return n


def zhili_run(n: AnvilProcess, journal: Path, *extra: str, crash: str | None = None, scenario: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZHILI_PRIVATE_KEYS": KEYS}
    env.pop(CRASH_ENV, None)
    if crash:
        env[CRASH_ENV] = crash
    cmd = [sys.executable, "-m", "zhili.cli", "run", scenario, "--chain", n.url, "--journal", str(journal), "--no-rehearsal", "--json", "-", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def history(n: AnvilProcess) -> list[tuple[int, str, int, str]]:
    """Every transaction on the chain: (block, sender, nonce, hash)."""
    w3 = Web3(Web3.HTTPProvider(n.url))
    out = []
    for b in range(int(w3.eth.block_number) + 1):
        for tx in w3.eth.get_block(b, full_transactions=True)["transactions"]:
            out.append((b, tx["from"], int(tx["nonce"]), tx["hash"].hex()))
    return out


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k not in ("journal", "wall_seconds")}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, term: str) -> Iterator[dict[str, Any]]:
    """The term, uninterrupted, with the journal and the seed the crashed runs use."""
    n = node()
    try:
        journal = tmp_path_factory.mktemp("ref") / "run.jsonl"
        p = zhili_run(n, journal, "--seed", SEED, scenario=term)
        assert p.returncode == 0, p.stderr[-3000:]
        yield {"result": json.loads(p.stdout), "history": history(n), "journal": journal, "node": n, "term": term}
    finally:
        n.stop()


@pytest.mark.parametrize("crash", CRASH_POINTS)
def test_killed_run_resumes_to_the_same_chain(reference: dict[str, Any], tmp_path: Path, crash: str) -> None:
    """Killed at a step, run again with the same journal: nothing is sent twice (the same transactions,
    senders and nonces as the uninterrupted run) and the result is the same; a torn last journal line
    (the crash cut a write short) is ignored."""
    n = node()
    try:
        journal = tmp_path / "run.jsonl"
        killed = zhili_run(n, journal, "--seed", SEED, crash=crash, scenario=reference["term"])
        assert killed.returncode == 86, killed.stderr[-3000:]
        step = int(crash.split(":")[0])
        with journal.open("a", encoding="utf-8") as f:
            f.write('{"t":"tx","k":')  # a write the crash cut short
        resumed = zhili_run(n, journal, scenario=reference["term"])  # the seed comes from the journal
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        assert "resuming from" in resumed.stderr
        result = json.loads(resumed.stdout)
        assert comparable(result) == comparable(reference["result"])
        assert history(n) == reference["history"]
        assert result["journal"]["replayed"] == step + 1  # the step the process died in was journaled first
    finally:
        n.stop()


def test_finished_journal_replays_without_sending(reference: dict[str, Any]) -> None:
    """Running a finished journal again sends nothing and reports the same result."""
    n = reference["node"]
    before = history(n)
    p = zhili_run(n, reference["journal"], scenario=reference["term"])
    assert p.returncode == 0, p.stderr[-3000:]
    result = json.loads(p.stdout)
    assert result["journal"]["sent"] == 0
    assert comparable(result) == comparable(reference["result"])
    assert history(n) == before


def test_journal_of_another_scenario_or_changed_step_is_refused(reference: dict[str, Any], tmp_path: Path) -> None:
    """A journal is bound to its scenario; a step that no longer matches stops the run before sending."""
    n = reference["node"]
    before = history(n)
    p = zhili_run(n, reference["journal"], scenario="county")
    assert p.returncode == 4
    assert "another scenario" in p.stderr
    forged = tmp_path / "forged.jsonl"
    lines = reference["journal"].read_text().splitlines()
    rec = json.loads(lines[1])
    rec["data"] = "00" * 32  # step 0 was something else
    forged.write_text("\n".join([lines[0], json.dumps(rec), *lines[2:]]) + "\n")
    p = zhili_run(n, forged, scenario=reference["term"])
    assert p.returncode == 4
    assert "step 0 differs from the journal" in p.stderr and "nothing was sent" in p.stderr
    p = zhili_run(n, reference["journal"], "--seed", "77" * 32, scenario=reference["term"])
    assert p.returncode == 4 and "--seed differs" in p.stderr
    assert history(n) == before


def test_journal_refuses_the_embedded_chain_and_a_second_user(tmp_path: Path) -> None:
    """The embedded chain dies with the process: nothing to resume. A journal in use is locked."""
    p = subprocess.run([sys.executable, "-m", "zhili.cli", "run", "township", "--journal", str(tmp_path / "j.jsonl")], capture_output=True, text=True)
    assert p.returncode == 2 and "--journal" in p.stderr
    j = RunJournal.open(tmp_path / "k.jsonl", scenario="s", chain_id=1, seed=entropy.new_seed(), start_block=0)
    try:
        with pytest.raises(JournalError, match="another zhili run"):
            RunJournal.open(tmp_path / "k.jsonl", scenario="s", chain_id=1, seed=entropy.new_seed(), start_block=0)
        j.ahead("tx", {"from": "0x0", "nonce": 0})
    finally:
        j.close()
    with pytest.raises(JournalError, match="chain id 1"):
        RunJournal.open(tmp_path / "k.jsonl", scenario="s", chain_id=2, seed=entropy.new_seed(), start_block=0)
    assert oct((tmp_path / "k.jsonl").stat().st_mode & 0o777) == "0o600"


def test_seeded_entropy_is_reproducible() -> None:
    """The same seed gives the same secrets in the same order; outside ``seeded`` they are fresh."""
    with entropy.seeded(b"\1" * 32):
        a = [entropy.token_bytes(32), entropy.randbelow(10**70), entropy.token_bytes(5)]
    with entropy.seeded(b"\1" * 32):
        b = [entropy.token_bytes(32), entropy.randbelow(10**70), entropy.token_bytes(5)]
    assert a == b and entropy.token_bytes(32) != entropy.token_bytes(32)
    with entropy.seeded(b"\2" * 32):
        assert all(0 <= entropy.randbelow(7) < 7 for _ in range(200))


def test_journal_never_touches_a_foreign_file_and_rebinds_an_empty_one(tmp_path: Path) -> None:
    """``--journal`` pointed at another file is refused untouched; a journal with no step yet (its
    rehearsal failed, say) is bound afresh to the corrected scenario, since nothing was sent under it."""
    other = tmp_path / "township.yaml"
    other.write_text("profile: township\n")
    with pytest.raises(JournalError, match="not a zhili run journal"):
        RunJournal.open(other, scenario="s", chain_id=1, seed=entropy.new_seed(), start_block=0)
    assert other.read_text() == "profile: township\n"
    RunJournal.open(tmp_path / "j.jsonl", scenario="first", chain_id=1, seed=entropy.new_seed(), start_block=0).close()
    j = RunJournal.open(tmp_path / "j.jsonl", scenario="fixed", chain_id=1, seed=b"\3" * 32, start_block=7)
    assert j.header["scenario"] == "fixed" and j.seed == b"\3" * 32 and j.start_block == 7
    j.ahead("tx", {"from": "0x0", "nonce": 0})
    j.close()
    with pytest.raises(JournalError, match="another scenario"):
        RunJournal.open(tmp_path / "j.jsonl", scenario="other", chain_id=1, seed=entropy.new_seed(), start_block=0)
