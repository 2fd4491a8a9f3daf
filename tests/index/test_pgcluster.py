"""The tests' throwaway PostgreSQL cluster (``zhili.index.pgcluster``, what ``make test`` runs pytest
inside): ``run`` names it to the command, passes the command's exit status on and removes the cluster;
a cluster left by a killed run (its owner process gone) is stopped and removed by the next start,
one whose owner still runs is left alone. Skipped where PostgreSQL is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhili.index import pgcluster

pytestmark = pytest.mark.skipif(pgcluster.bindir() is None, reason="PostgreSQL is not installed (make setup-postgres)")


def test_run_names_the_cluster_passes_the_status_on_and_removes_it(tmp_path: Path) -> None:
    probe = "import os, sqlalchemy as s; u = os.environ['ZHILI_TEST_PG_URL']; print(u); print(s.create_engine(u).connect().execute(s.text('select 41 + 1')).scalar()); raise SystemExit(7)"
    r = subprocess.run([sys.executable, "-m", "zhili.index.pgcluster", "run", "--", sys.executable, "-c", probe], capture_output=True, text=True, timeout=180)
    assert r.returncode == 7, r.stderr
    url, answer = r.stdout.split()
    assert answer == "42" and url.startswith("postgresql+psycopg://postgres@/postgres?host=")
    directory = Path(url.split("host=")[1].split("&")[0])
    assert directory.name.startswith(pgcluster.PREFIX) and not directory.exists()


def test_a_killed_runs_cluster_is_removed_by_the_next_start() -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = pgcluster.start(owner=dead.pid)  # as if its owner had been killed before it could stop it
    mine = None
    try:
        assert (left.data / "postmaster.pid").exists()
        mine = pgcluster.start()
        assert not left.directory.exists()  # stopped and removed
        assert (mine.directory / "owner").read_text() == str(os.getpid())
        again = pgcluster.start()  # a cluster whose owner runs (this one) is left alone
        assert mine.directory.exists() and again.directory != mine.directory
        again.stop()
        assert not again.directory.exists()
    finally:
        left.stop()
        if mine is not None:
            mine.stop()
