"""Council benchmark (issue: functional weighted council). Prints figures, writes JSON.

    .venv/bin/python bench/council.py [--out bench/council.json] [--motions 200]

Gas to open a motion and per member vote (sealed vote + reveal), cold and warm, on the embedded chain
(py-evm) and anvil; then a year of a township council (200 motions) on anvil: total gas and wall time.
"""

from __future__ import annotations

import argparse
import json
import sys

from zhili.bench_council import council_gas, council_year
from zhili.chain import connect


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/council.json")
    ap.add_argument("--motions", type=int, default=200)
    ap.add_argument("--skip-year", action="store_true")
    args = ap.parse_args()
    results: dict[str, object] = {}
    for kind in ("embedded", "anvil"):
        with connect(kind) as chain:
            results[f"gas.{kind}"] = council_gas(chain)
            print(kind, json.dumps(results[f"gas.{kind}"], indent=1), flush=True)
    if not args.skip_year:
        with connect("anvil") as chain:
            year = council_year(chain, motions=args.motions, progress=lambda s: print("year:", s, flush=True))
        results["year.anvil"] = year
        print(json.dumps(year, indent=1))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
