"""``zhili bench --console --json``, small: every figure of the section is produced, the indexer
indexed every anchored document into SQLite and PostgreSQL, the province's rows were inserted, and
the load test (the served ``zhili console`` in its own process) met no error. The full sizes (10,000
documents, 1,000 persons and townships, 50 readers for 60 s) and their figures: docs/benchmarks.md."""

from __future__ import annotations

import json

import pytest

from zhili.cli import main

KEYS = (
    "index.sqlite.events_per_second", "index.sqlite.catch_up_seconds", "index.postgresql.events_per_second", "index.postgresql.catch_up_seconds",
    "console.decision.median_ms", "console.decision.p95_ms", "console.person.median_ms", "console.person.p95_ms",
    "console.person_1000_documents.p95_ms", "province.search.worst_p95_ms", "province.search.trace.median_ms", "province.search.name.median_ms",
    "load.requests", "load.p95_ms", "load.median_ms", "load.requests_per_second",
)  # fmt: skip


def test_bench_console_json_gives_every_figure(capsys: pytest.CaptureFixture[str], pg_cluster: str) -> None:
    args = ["--documents", "60", "--persons", "150", "--townships", "12", "--repeat", "10", "--readers", "4", "--seconds", "2"]
    assert main(["bench", "--console", "--json", "--quiet", "--chain", "anvil", *args]) == 0
    r = json.loads(capsys.readouterr().out)
    f = r["console"]
    for key in KEYS:
        assert isinstance(f[key], int | float) and f[key] > 0, key
    assert f["index.documents"] == 60 and f["index.sqlite.events"] == f["index.postgresql.events"] > 120  # a commitment and an anchor each, and more
    assert f["console.persons"] == 150 and f["console.documents"] > 60 and f["console.requests_each"] == 10
    assert (f["province.jurisdictions"], f["province.documents"], f["province.motions"]) == (12, 240, 120)
    assert f["load.errors"] == 0 and set(f["load.statuses"]) == {"200"} and f["load.readers"] == 4


def test_bench_console_refuses_the_embedded_chain_at_size(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--console", "--json", "--chain", "embedded"]) == 2
    assert "run it on anvil" in capsys.readouterr().err
