"""Print the tables of docs/benchmarks.md from a results file (``bench/run.py``'s output).

.venv/bin/python bench/markdown.py [bench/results.json]
"""

from __future__ import annotations

import json
import sys
from typing import Any

from zhili.bench import suite as bench_suite

WHAT = {
    "election.ballot10.single": "secret ballot naming 10, commit + reveal, alone",
    "election.ballot10.amortized": "the same, relayed and revealed in batches of 100 (per ballot)",
    "election.credential.request": "credential request, person-signed, one voter alone",
    "election.credential.issue": "blind signature posted and checked by modexp, one voter alone",
    "election.credential.register": "anonymous credential registration (RSA PKCS#1 v1.5 check), one alone",
    "council.open": "open a motion (steady state)",
    "council.vote": "one member's sealed vote + own reveal",
    "council.vote.batched_reveal.amortized": "the same, five reveals in one batch (per member)",
    "council.motion.full": "a whole decision: open, opinion, 5 votes, batch reveal, close",
    "evidence.anchor": "anchor a signed original document",
    "evidence.amend": "a new version (amendment) of it",
    "merit.report.full": "a report's whole life, 11 transactions",
}


def n(v: Any) -> str:
    return f"{v:,}" if isinstance(v, int) else str(v)


def gas_rows(r: dict[str, Any], chain: str) -> list[str]:
    g = r["gas"][chain]
    rows = []
    for ours, anchor, _ in bench_suite.RATIOS:
        if ours in g["gas"] and anchor in g["anchors"]:
            a, b = g["gas"][ours], g["anchors"][anchor]
            rows.append(f"| `{ours}` | {WHAT.get(ours, '')} | **{n(a)}** | `{anchor}` | {n(b)} | **{a / b:.2f}** |")
    return rows


def extra_rows(r: dict[str, Any], chain: str) -> list[str]:
    g = r["gas"][chain]
    shown = {o for o, _, _ in bench_suite.RATIOS}
    rows = ["| figure | gas |", "|---|---:|"]
    for k, v in sorted(g["gas"].items()):
        if k not in shown and not k.endswith(".transactions"):
            rows.append(f"| `{k}` | {n(v)} |")
    for k, v in sorted(g["anchors"].items()):
        rows.append(f"| `{k}` (anchor) | {n(v)} |")
    return rows


def scale_rows(r: dict[str, Any]) -> list[str]:
    rows = ["| run | chain | size | gas total | transactions | wall s | figures |", "|---|---|---|---:|---:|---:|---|"]
    heads = {s.name: s.headline for s in bench_suite.SCALE_RUNS}
    for name, entry in r["scale"].items():
        for chain in ("anvil", "embedded"):
            res = entry.get(chain)
            if not isinstance(res, dict):
                continue
            if "absent" in res:
                rows.append(f"| {name} | {chain} | | | | | {res['absent']} |")
                continue
            size = ", ".join(f"{k}={n(v)}" for k, v in res.get("size", {}).items())
            figs = ", ".join(f"{k} {n(res[k])}" for k in heads.get(name, ()) if k in res)
            rows.append(f"| {name} | {chain} | {size} | {n(res.get('gas_total', '—'))} | {n(res.get('transactions', '—'))} | {res.get('wall_seconds', '')} | {figs} |")
    return rows


def capacity_rows(cap: dict[str, Any]) -> list[str]:
    rows = ["| item | figure | gas | per 30M block | per second |", "|---|---|---:|---:|---:|"]
    for it in cap["items"]:
        rows.append(f"| {it['item']} | `{it['figure']}` | {n(it['gas'])} | {n(it['per_block'])} | {it['per_second']:,} |")
    return rows


def province_rows(cap: dict[str, Any]) -> list[str]:
    rows = ["| activity | per year | gas each | gas per year | share of the chain |", "|---|---:|---:|---:|---:|"]
    for it in cap["province_load"]:
        rows.append(f"| {it['activity']} | {n(it['per_year'])} | {n(it['gas_per_item'])} | {it['gas_per_year']:.3g} | {100 * it['share_of_chain']:.3f} % |")
    if "province_total" in cap:
        t = cap["province_total"]
        rows.append(f"| **total** | | | **{t['gas_per_year']:.3g}** | **{100 * t['share_of_chain']:.3f} %** |")
    return rows


def county_rows(cap: dict[str, Any]) -> list[str]:
    c = cap.get("county_villages")
    if not c:
        return []
    m, p = c["month"], c["quarter_publication"]
    return [
        "| what | items | gas | 30M blocks | share |",
        "|---|---:|---:|---:|---:|",
        f"| a year of the county ({n(c['gas_per_person_year'])} gas per person, from {c['from']}) | {n(c['persons'])} persons "
        f"| {c['gas_per_year']:.3g} | | {100 * c['share_of_chain']:.3f} % of the chain |",
        f"| a month's declarations, verified | {n(m['declarations'])} | {m['gas']:.3g} | {n(m['blocks'])} "
        f"| {100 * m['share_of_the_window']:.2f} % of the window ({m['hours_of_full_blocks']} h of full blocks) |",
        f"| a quarter's publication in every village | {n(c['persons'])} standings | {p['gas']:.3g} | {n(p['blocks'])} | {p['minutes_of_full_blocks']} min of full blocks |",
    ]


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "bench/results.json"
    r = json.load(open(path, encoding="utf-8"))
    chain = "anvil" if "anvil" in r["gas"] else next(iter(r["gas"]))
    for title, rows in (
        ("GAS_TABLE", gas_rows(r, chain)),
        ("EXTRA_TABLE", extra_rows(r, chain)),
        ("SCALE_TABLE", scale_rows(r)),
        ("CAPACITY_TABLE", capacity_rows(r["capacity"]) if "capacity" in r else []),
        ("PROVINCE_TABLE", province_rows(r["capacity"]) if "capacity" in r else []),
        ("COUNTY_TABLE", county_rows(r["capacity"]) if "capacity" in r else []),
    ):
        print(f"<!-- {title} -->")
        print("\n".join(rows))
        print()
    print(f"total wall time: {r.get('wall_seconds_total')} s; gas tables: " + ", ".join(f"{k} {v['wall_seconds']['total']} s" for k, v in r["gas"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
