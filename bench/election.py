"""Election benchmark (issue: secret ballots and a county-sized election). Prints figures, writes JSON.

    .venv/bin/python bench/election.py [--out bench/election.json]
"""

from __future__ import annotations

import argparse
import json
import sys

from zhili.bench import election_ballots, full_election
from zhili.chain import connect


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/election.json")
    ap.add_argument("--skip-county", action="store_true")
    args = ap.parse_args()
    results: dict[str, object] = {}
    for kind in ("embedded", "anvil"):
        with connect(kind) as chain:
            results[f"ballots.{kind}"] = election_ballots(chain)
            print(kind, json.dumps(results[f"ballots.{kind}"]), flush=True)
    if not args.skip_county:
        with connect("anvil") as chain:
            county = full_election(chain, candidates=40, delegates=300, deputies=150, progress=lambda s: print("county:", s, flush=True))
        results["county_election.anvil"] = county
        print(json.dumps(county, indent=1))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
