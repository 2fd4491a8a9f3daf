"""The whole benchmark in one command: gas per operation next to the anchors, and the scale runs,
on anvil and on the embedded chain. Prints tables and writes ``bench/results.json``.

    .venv/bin/python bench/run.py            # everything (see docs/benchmarks.md for the time it takes)
    .venv/bin/python bench/run.py --quick    # gas tables only, no scale runs (about a minute)
    .venv/bin/python bench/run.py --only county_election --scale-chains anvil

Sections and scale runs are registered in ``zhili.bench.suite``; one whose module is not installed is
reported as absent. Figures are explained in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from typing import Any

from rich.console import Console

from zhili import __version__
from zhili.bench import suite as bench_suite
from zhili.bench.cli import capacity_tables, gas_tables, scale_table
from zhili.core.artifacts import ANCHOR_DIR, BUILD_INFO
from zhili.core.chain import connect

out = Console(width=max(Console().width, 150))


def say(msg: str) -> None:
    out.print(f"[dim]{time.strftime('%H:%M:%S')} · {msg}[/dim]", highlight=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="bench/results.json")
    ap.add_argument("--quick", action="store_true", help="skip the scale runs")
    ap.add_argument("--chains", default="embedded,anvil", help="chains for the gas tables")
    ap.add_argument("--scale-chains", default="anvil,embedded", help="chains for the scale runs")
    ap.add_argument("--merge", default="", help="start from the scale runs of an earlier results file (a long run made in parts)")
    ap.add_argument("--only", default="", help="comma-separated scale runs (default all): " + ", ".join(r.name for r in bench_suite.SCALE_RUNS))
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    anchors_build = json.loads((ANCHOR_DIR / BUILD_INFO).read_text(encoding="utf-8"))
    results: dict[str, Any] = {
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "zhili": __version__,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "anchors_build": {k: anchors_build[k] for k in ("compiler", "evmVersion", "optimizerRuns", "packages", "pragmaRepinned")},
        "gas": {},
        "scale": {},
    }
    if args.merge:
        earlier = json.loads(open(args.merge, encoding="utf-8").read())
        results["scale"].update(earlier.get("scale", {}))
        results["merged_from"] = {"file": args.merge, "generated": earlier.get("generated"), "runs": sorted(earlier.get("scale", {}))}
    for kind in filter(None, args.chains.split(",")):
        t = time.monotonic()
        with connect(kind) as chain:
            results["gas"][kind] = bench_suite.gas_table(chain, say)
        results["gas"][kind]["wall_seconds"]["total"] = round(time.monotonic() - t, 2)
    if results["gas"]:
        for table in gas_tables(results["gas"]):
            out.print(table)
    if not args.quick:
        only = set(filter(None, args.only.split(",")))
        for run in bench_suite.SCALE_RUNS:
            if only and run.name not in only:
                continue
            entry: dict[str, Any] = {"what": run.what, "size": dict(run.kwargs)}
            for kind in filter(None, args.scale_chains.split(",")):
                if kind not in run.chains:
                    continue
                say(f"{run.name} on {kind}")
                with connect(kind) as chain:
                    try:
                        entry[kind] = bench_suite.run_scale(run, chain, say)
                        entry[kind]["size"] = run.kwargs_for(kind)
                        results["scale"][run.name] = entry
                        _write(args.out, results, t0)
                    except bench_suite.SectionAbsent as exc:
                        entry[kind] = {"absent": str(exc)}
                        break
            results["scale"][run.name] = entry
            # write as we go: a long run interrupted still leaves its finished parts
            _write(args.out, results, t0)
        out.print(scale_table({name: {k: v for k, v in e.items() if isinstance(v, dict) and k != "size"} for name, e in results["scale"].items()}))
    if results["gas"]:
        gas_chain = "anvil" if "anvil" in results["gas"] else next(iter(results["gas"]))
        results["capacity"] = bench_suite.capacity(bench_suite.capacity_figures(results["gas"][gas_chain], results["scale"], "anvil"))
        results["capacity"]["figures_from"] = gas_chain
        for table in capacity_tables(results["capacity"]):
            out.print(table)
    _write(args.out, results, t0)
    for kind, r in results["gas"].items():
        if r["missing"]:
            out.print(f"[yellow]missing on {kind}[/yellow]: {', '.join(r['missing'])}")
    out.print(f"wrote {args.out} in {results['wall_seconds_total']} s")
    return 0


def _write(path: str, results: dict[str, Any], t0: float) -> None:
    results["wall_seconds_total"] = round(time.monotonic() - t0, 1)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
