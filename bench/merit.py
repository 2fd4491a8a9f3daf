"""Merit ledger benchmark (issue 6): gas per step of a report's life, the order's recomputation against
the number of reports, and 1,000 reports through the full review on anvil. Prints figures, writes JSON.

    .venv/bin/python bench/merit.py [--reports 1000] [--out bench/merit.json]
"""

from __future__ import annotations

import argparse
import json
import sys

from zhili.bench_merit import many_reports, report_life
from zhili.chain import connect


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/merit.json")
    ap.add_argument("--reports", type=int, default=1000)
    args = ap.parse_args()
    results: dict[str, object] = {}
    for kind in ("embedded", "anvil"):
        with connect(kind) as chain:
            results[f"report_life.{kind}"] = report_life(chain)
            print(kind, json.dumps(results[f"report_life.{kind}"], indent=1), flush=True)
    with connect("anvil") as chain:
        many = many_reports(chain, args.reports, progress=lambda s: print("anvil:", s, flush=True))
    results[f"reports_{args.reports}.anvil"] = many
    print(json.dumps(many, indent=1))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
