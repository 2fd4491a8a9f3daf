"""``zhili index``: follow jurisdictions' contracts into a database (docs/console.md)."""

from __future__ import annotations

import json
import time
from typing import Any

from ..cli.args import address, read_text, whole
from ..cli.common import Context, command
from .indexer import IndexInputError, Target, open_index


def _targets(ctx: Context) -> list[Target]:
    a = ctx.args
    out = []
    for path in a.targets:
        try:
            data = json.loads(read_text(path, "--targets"))
        except json.JSONDecodeError as exc:
            raise IndexInputError(f"--targets {path}: not JSON ({exc.msg}, line {exc.lineno})") from None
        items = data if isinstance(data, list) else [data]
        for d in items:
            if not isinstance(d, dict):
                raise IndexInputError(f"--targets {path}: expected an object or a list of objects")
            # a scenario's result (``zhili run --json``) names its jurisdiction as an object
            out.append(Target.from_scenario(d) if isinstance(d.get("jurisdiction"), dict) else Target.from_json(d))
    if a.jurisdiction:
        out.append(Target(jurisdiction=a.jurisdiction, elections=tuple(a.election), council=a.council, team=a.team, evidence=a.evidence,
                          merit_ledger=a.merit_ledger, handover=a.handover, persons=a.persons, villages=tuple(a.village), markets=tuple(a.market),
                          from_block=a.from_block))  # fmt: skip
    return out


def index_cmd(ctx: Context) -> None:
    a = ctx.args
    ix = open_index(a.db)
    for t in _targets(ctx):
        ix.add(ctx.chain, t)
    while True:
        rep = ix.sync(ctx.chain, batch=a.batch)
        data: dict[str, Any] = {"db": a.db, **rep.as_json()}
        ctx.emit(data, f"indexed {rep.contracts} contracts to block {rep.head}: {rep.logs} new logs in {rep.batches} batches" + (", projections rewritten" if rep.projected else ""))
        if a.follow is None:
            return
        time.sleep(a.follow)


def add_commands(sub: Any) -> None:
    sp = command(sub, "index", index_cmd, "follow jurisdictions' contracts into a database (SQLite file or SQLAlchemy URL)", sender=False)
    sp.add_argument("--db", required=True, help="a SQLite file, or a SQLAlchemy URL (postgresql+psycopg://…)")
    sp.add_argument("--targets", action="append", default=[], metavar="FILE",
                    help="JSON: a target {jurisdiction, elections, council, evidence, merit_ledger, handover, team, persons, villages, markets, from_block}, "
                         "a list of them, or a `zhili run --json` result (repeatable)")  # fmt: skip
    sp.add_argument("--jurisdiction", type=address, default=None, help="a Jurisdiction to follow (with the options below)")
    sp.add_argument("--election", type=address, action="append", default=[], help="one of its elections (repeatable)")
    for flag in ("council", "team", "evidence", "merit-ledger", "handover", "persons"):
        sp.add_argument(f"--{flag}", type=address, default=None, help=f"its {flag.replace('-', ' ')} contract")
    sp.add_argument("--village", type=address, action="append", default=[], help="one of its villages' VillageLedger (repeatable; SPEC §9)")
    sp.add_argument("--market", type=address, action="append", default=[], help="a village's CreditSupermarket (repeatable; names its ledger)")
    sp.add_argument("--from-block", type=whole(0), default=0, help="first block to read (the deployment's)")
    sp.add_argument("--batch", type=whole(1), default=5000, help="blocks per log query and per committed transaction")
    sp.add_argument("--follow", type=whole(1), default=None, metavar="SECONDS", help="keep following, every SECONDS (stop with Ctrl-C)")
