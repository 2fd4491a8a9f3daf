"""``zhili bench``: the gas table (zhili's operations and the anchors) on one chain, as a table or JSON.

``zhili bench --console --json`` runs the indexer's and the console's figures instead (on anvil:
:mod:`zhili.bench.console`; ``{"chain": …, "console": {"index.sqlite.events_per_second": …, …}}``).

``zhili bench --gas --json`` prints ``{"gas": {...}, "anchors": {...}, "capacity": {...}, ...}`` and
nothing else on stdout (progress goes to stderr); ``capacity`` is what the figures mean on a QBFT
network (a province's townships, a county's villages: :func:`zhili.bench.suite.capacity`). ``--scale`` adds the scale runs on the same chain (minutes; see
``bench/run.py`` for the full benchmark on both chains). Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from ..bench import suite as bench_suite
from ..cli.common import chain_options, print_json
from ..core.chain import connect

out = Console()
err = Console(stderr=True, soft_wrap=True)


def _fmt(v: int | None) -> str:
    return "—" if v is None else f"{v:,}"


def gas_tables(by_chain: Mapping[str, Mapping[str, Any]]) -> list[Table]:
    """Rich tables of gas results, one column per chain (``{chain: gas_table(...)}``)."""
    kinds = list(by_chain)
    first = by_chain[kinds[0]]
    t = Table(title="zhili vs anchors (gas of whole transactions)")
    t.add_column("zhili figure")
    for k in kinds:
        t.add_column(f"ours ({k})", justify="right")
    t.add_column("anchor")
    for k in kinds:
        t.add_column(f"anchor ({k})", justify="right")
    t.add_column("ours / anchor", justify="right")
    for ours, anchor, _ in bench_suite.RATIOS:
        vals = [by_chain[k]["gas"].get(ours) for k in kinds]
        refs = [by_chain[k]["anchors"].get(anchor) for k in kinds]
        ratio = f"{vals[0] / refs[0]:.2f}" if vals[0] is not None and refs[0] else "—"
        t.add_row(ours, *map(_fmt, vals), anchor, *map(_fmt, refs), ratio)
    g = Table(title="every figure (gas)")
    g.add_column("figure")
    for k in kinds:
        g.add_column(k, justify="right")
    keys = sorted({key for r in by_chain.values() for key in r["gas"]}) + sorted({key for r in by_chain.values() for key in r["anchors"]})
    for key in keys:
        g.add_row(key, *(_fmt(by_chain[k]["gas"].get(key, by_chain[k]["anchors"].get(key))) for k in kinds))
    s = Table(title="sections")
    s.add_column("section")
    for k in kinds:
        s.add_column(f"{k} (wall s)", justify="right")
    for name, _status in first["sections"].items():
        s.add_row(name, *(str(by_chain[k]["wall_seconds"].get(name, "")) if by_chain[k]["sections"][name] == "ok" else f"[yellow]{by_chain[k]['sections'][name]}[/yellow]" for k in kinds))
    return [t, g, s]


def scale_table(runs: Mapping[str, Mapping[str, Any]]) -> Table:
    """``{run name: {chain: result | {"absent": reason}}}`` as one table."""
    headline = {r.name: r.headline for r in bench_suite.SCALE_RUNS}
    t = Table(title="scale runs")
    for col in ("run", "chain", "gas total", "transactions", "wall s", "figures"):
        t.add_column(col, justify="right" if col in ("gas total", "transactions", "wall s") else "left")
    for name, by_chain in runs.items():
        for kind, r in by_chain.items():
            if "absent" in r or "error" in r:
                t.add_row(name, kind, "—", "—", "—", f"[yellow]{r.get('absent') or r.get('error')}[/yellow]")
                continue
            tx = r.get("transactions")
            figures = ", ".join(f"{k} {_fmt(r[k]) if isinstance(r[k], int) else r[k]}" for k in headline.get(name, ()) if k in r)
            t.add_row(name, kind, _fmt(r.get("gas_total")), _fmt(tx) if isinstance(tx, int) else "", str(r.get("wall_seconds", "")), figures)
    return t


def capacity_tables(cap: Mapping[str, Any]) -> list[Table]:
    """The output of :func:`bench_suite.capacity` as tables."""
    net = cap["network"]
    t = Table(title=f"capacity of one QBFT chain ({net['block_gas'] / 1e6:.0f}M gas per block, a block every {net['block_seconds']} s)")
    for col in ("item", "gas", "per block", "per second"):
        t.add_column(col, justify="left" if col == "item" else "right")
    for r in cap["items"]:
        t.add_row(r["item"], _fmt(r["gas"]), _fmt(r["per_block"]), f"{r['per_second']:,}")
    p = Table(title=f"a province of {cap['province']['townships']:,} townships, per year")
    for col in ("activity", "items", "gas each", "gas per year", "share of the chain"):
        p.add_column(col, justify="left" if col == "activity" else "right")
    for r in cap["province_load"]:
        p.add_row(r["activity"], _fmt(r["per_year"]), _fmt(r["gas_per_item"]), f"{r['gas_per_year']:.3g}", f"{100 * r['share_of_chain']:.3f} %")
    if "province_total" in cap:
        tot = cap["province_total"]
        p.add_row("[bold]total[/bold]", "", "", f"{tot['gas_per_year']:.3g}", f"[bold]{100 * tot['share_of_chain']:.3f} %[/bold]")
    tables = [t, p]
    if "election_peak" in cap:
        e = cap["election_peak"]
        q = Table(title="election day: every township's ballots of one term at once")
        for col in ("ballots", "gas", "30M blocks", "hours of full blocks"):
            q.add_column(col, justify="right")
        q.add_row(_fmt(e["ballots"]), f"{e['gas']:.3g}", _fmt(e["blocks"]), str(e["hours_of_full_blocks"]))
        tables.append(q)
    if "county_villages" in cap:
        c = cap["county_villages"]
        v = Table(title=f"a county of {c['county']['villages']:,} villages of {c['county']['persons_per_village']:,} (from {c['from']})")
        for col in ("what", "gas", "30M blocks", "share"):
            v.add_column(col, justify="left" if col == "what" else "right")
        v.add_row(f"a year ({_fmt(c['gas_per_person_year'])} gas per person)", f"{c['gas_per_year']:.3g}", "", f"{100 * c['share_of_chain']:.3f} % of the chain")
        m = c["month"]
        v.add_row(f"a month's {_fmt(m['declarations'])} declarations, verified", f"{m['gas']:.3g}", _fmt(m["blocks"]), f"{100 * m['share_of_the_window']:.2f} % of its window")
        p = c["quarter_publication"]
        v.add_row("a quarter's publication, every village", f"{p['gas']:.3g}", _fmt(p["blocks"]), f"{p['minutes_of_full_blocks']} min of full blocks")
        tables.append(v)
    return tables


def run_scale_runs(chain_kind: str, progress: Callable[[str], None], only: list[str] | None = None) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for run in bench_suite.SCALE_RUNS:
        if (only and run.name not in only) or chain_kind not in run.chains:
            continue
        with connect(chain_kind) as chain:
            try:
                results[run.name] = bench_suite.run_scale(run, chain, progress)
            except bench_suite.SectionAbsent as exc:
                results[run.name] = {"absent": str(exc)}
    return results


def cmd_console(args: argparse.Namespace, say: Callable[[str], None]) -> int:
    from . import console as bench_console

    if args.chain == "embedded" and args.documents > 1000:
        err.print("[red]--console: the embedded chain finds logs by walking every block; run it on anvil (--chain anvil)[/red]")
        return 2
    t0 = time.monotonic()
    with connect(args.chain, chain_id=args.chain_id) as chain:
        figures = bench_console.figures(chain, documents=args.documents, persons=args.persons, townships=args.townships, repeat=args.repeat, readers=args.readers, seconds=args.seconds, progress=say)
    result = {"chain": args.chain, "console": figures, "wall_seconds": {"total": round(time.monotonic() - t0, 2)}}
    if args.json:
        print_json(result)
        return 0
    t = Table(title="indexer and console (docs/benchmarks.md)")
    t.add_column("figure")
    t.add_column("value", justify="right")
    for k, v in figures.items():
        t.add_row(k, f"{v:,}" if isinstance(v, int | float) and not isinstance(v, bool) else str(v))
    out.print(t)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    say = (lambda s: err.print(f"[dim]·[/dim] {s}", highlight=False)) if not args.quiet else (lambda s: None)
    if args.console:
        return cmd_console(args, say)
    with connect(args.chain, chain_id=args.chain_id) as chain:
        result = bench_suite.gas_table(chain, say)
    if args.scale:
        result["scale"] = run_scale_runs(args.chain, say)
    # per-item figures of this run (and of its scale runs) on a QBFT network: a province, a county's villages
    scale = {name: {result["chain"]: r} for name, r in result.get("scale", {}).items()}
    result["capacity"] = bench_suite.capacity(bench_suite.capacity_figures(result, scale, result["chain"]))
    result["wall_seconds"]["total"] = round(time.monotonic() - t0, 2)
    if args.json:
        print_json(result)
        return 0
    for table in gas_tables({result["chain"]: result}):
        out.print(table)
    if args.scale:
        out.print(scale_table({name: {args.chain: r} for name, r in result["scale"].items()}))
    for table in capacity_tables(result["capacity"]):
        out.print(table)
    if result["missing"]:
        err.print(f"[yellow]missing figures[/yellow] {', '.join(result['missing'])}")
    out.print(f"{result['wall_seconds']['total']} s on the {result['chain']} chain")
    return 0


def add_commands(sub: Any) -> None:
    sp = sub.add_parser("bench", help="gas of every zhili operation next to OpenZeppelin Governor, EAS and Safe")
    sp.add_argument("--gas", action="store_true", help="the gas table only (the default; under two minutes on the embedded chain)")
    sp.add_argument("--scale", action="store_true", help="also the scale runs on this chain (minutes)")
    sp.add_argument("--console", action="store_true", help="the indexer's and the console's figures instead (10,000 documents, pages, a province's search, a load test; minutes, anvil)")
    sp.add_argument("--documents", type=int, default=10_000, help="with --console: documents anchored and indexed")
    sp.add_argument("--persons", type=int, default=1_000, help="with --console: persons in the page-time index")
    sp.add_argument("--townships", type=int, default=1_000, help="with --console: synthetic townships in the province's PostgreSQL")
    sp.add_argument("--repeat", type=int, default=100, help="with --console: timed requests of each page and search (after one warm-up)")
    sp.add_argument("--readers", type=int, default=50, help="with --console: concurrent readers of the load test")
    sp.add_argument("--seconds", type=float, default=60, help="with --console: length of the load test")
    sp.add_argument("--json", action="store_true", help='print JSON only: {"gas": {...}, "anchors": {...}, ...}')
    sp.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    chain_options(sp)
    sp.set_defaults(fn=cmd_bench)
