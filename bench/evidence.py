"""Evidence-ledger benchmark (issue: evidence ledger). Prints figures, writes JSON.

    .venv/bin/python bench/evidence.py [--out bench/evidence.json] [--documents 10000] [--skip-scale]

Gas of one signed version on both chains (goal: <= 80,000 per version); then, on anvil, 10,000
documents: anchoring throughput, `verify` latency, rebuilding the ledger from its events.
"""

from __future__ import annotations

import argparse
import json
import sys

from zhili.bench_evidence import anchor_gas, scale
from zhili.chain import connect


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/evidence.json")
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--skip-scale", action="store_true")
    args = ap.parse_args()
    results: dict[str, object] = {}
    for kind in ("embedded", "anvil"):
        with connect(kind) as chain:
            results[f"gas.{kind}"] = anchor_gas(chain)
            print(kind, json.dumps(results[f"gas.{kind}"], ensure_ascii=False), flush=True)
    if not args.skip_scale:
        with connect("anvil") as chain:
            results["scale.anvil"] = scale(chain, args.documents, progress=lambda s: print("scale:", s, flush=True))
        print(json.dumps(results["scale.anvil"], indent=1))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
