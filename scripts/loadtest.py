"""The console's load test alone (the one ``zhili bench --console`` ends with; docs/benchmarks.md).

``zhili console --db`` is started in its own process over an index (default: the bundled township
term run on anvil and indexed into a temporary SQLite file), and ``--readers`` concurrent readers open
the pages a reader opens (search, the jurisdiction, elections, decisions, persons, certificates) for
``--seconds``, at most ``--max-requests`` in all. Prints the result as JSON; exits 1 on any error (a
5xx or no answer within 30 s).

    .venv/bin/python scripts/loadtest.py                       # 50 readers for 60 s over the demo term
    .venv/bin/python scripts/loadtest.py --db index.db --readers 10 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from zhili.bench.console import console_process, load, reader_paths
from zhili.index import open_index


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=None, help="an index (SQLite file or SQLAlchemy URL); default: the township term on anvil, indexed")
    ap.add_argument("--readers", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-requests", type=int, default=200_000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zhili-loadtest-") as tmp:
        db = args.db
        if db is None:
            from zhili.console.cli import demo_index
            from zhili.core.chain import connect

            with connect("anvil") as chain:
                db = str(demo_index(chain, Path(tmp), progress=lambda s: print(s, file=sys.stderr)))
        paths = reader_paths(open_index(db, create=False).engine)
        with console_process(db) as base:
            result = load(base, paths, args.readers, args.seconds, args.max_requests)
    print(json.dumps(result | {"paths": len(paths)}, indent=2))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
