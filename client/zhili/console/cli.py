"""``zhili console``: serve the auditor's console over an index; ``--demo`` makes one first."""

from __future__ import annotations

import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..cli.common import Context, command, out
from ..core import web
from ..core.chain import Chain, connect
from ..errors import InputError
from ..index.indexer import Target, open_index
from ..persons.client import person_id
from ..scenario import runner


class ConsoleError(InputError):
    """The console cannot start as asked (no index there, a port in use, …)."""


def demo_index(chain: Chain, directory: Path, scenario: str = "township", progress: Any = None) -> Path:
    """Run a bundled scenario on ``chain`` and index it into ``directory``/demo.db, with its people's
    names as labels (the scenario's directory: not on chain)."""
    say = progress or (lambda s: None)
    res = runner.run(runner.load(scenario), chain, say)
    db = directory / "demo.db"
    ix = open_index(str(db))
    ix.add(chain, Target.from_scenario(res))
    say("indexing the term")
    ix.sync(chain)
    salt = f"zhili-scenario:{res['jurisdiction']['code']}".encode()  # the runner's person ids (scenario.runner.run)
    ix.label({"0x" + person_id(sid, salt).hex(): name for sid, name in res["people"].items()})
    return db


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: a free one, read back)."""
    try:
        return web.listen(host, port)
    except web.ListenError as exc:
        raise ConsoleError(str(exc)) from None


def serve(db: str, host: str, port: int, chain: Chain | None) -> None:
    from .app import create_app

    if "://" not in db and not Path(db).is_file():
        raise ConsoleError(f"--db {db}: no index there (make one with `zhili index --db {db} …`)")
    app = create_app(db, chain)
    sock = listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    out.print(f"zhili console at http://{shown}:{sock.getsockname()[1]}/  (Ctrl-C stops it)")
    sys.stdout.flush()
    # timeouts and limits: a slow client cannot hold a connection (keep-alive 5 s), at most 200 at once
    web.server(app).run(sockets=[sock])


def console_cmd(ctx: Context) -> None:
    a = ctx.args
    if a.demo:
        if a.db or a.chain:
            raise ConsoleError("--demo makes its own index on the embedded chain; leave out --db and --chain")
        with tempfile.TemporaryDirectory(prefix="zhili-console-") as tmp, connect("embedded") as chain:
            out.print("[bold]zhili console --demo[/bold]: the bundled township term on the embedded chain (about a minute)")
            db = demo_index(chain, Path(tmp), progress=lambda s: out.print(f"  {s}"))
            serve(str(db), a.host, a.port, chain)
        return
    if a.chain:  # the node first: a wrong chain is refused (exit 3) before anything else
        with connect(a.chain, chain_id=a.chain_id) as chain:
            serve(_db(a.db), a.host, a.port, chain)
    else:
        serve(_db(a.db), a.host, a.port, None)


def _db(db: str | None) -> str:
    if not db:
        raise ConsoleError("--db is required (or --demo)")
    return db


def add_commands(sub: Any) -> None:
    sp = command(sub, "console", console_cmd, "serve the auditor's console (a web application) over an index", sender=False, json=False, chain=False)
    sp.add_argument("--db", default=None, help="the index (`zhili index --db`): a SQLite file or a SQLAlchemy URL")
    sp.add_argument("--demo", action="store_true", help="run the bundled township term on the embedded chain, index it and serve it")
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sp.add_argument("--port", type=int, default=0, help="port (default 0: a free one, printed)")
    sp.add_argument("--chain", default=None, help="a node of the indexed chain (URL): re-tallies read it live")
    sp.add_argument("--chain-id", type=int, default=None, help="expected chain id of --chain")
