"""``zhili console``: serve the auditor's console over an index; ``--demo`` makes one first."""

from __future__ import annotations

import dataclasses
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..cli.common import Context, command, out
from ..core import web
from ..core.chain import Chain, connect
from ..errors import InputError
from ..index.indexer import Target, ledger_versions, open_index
from ..persons.client import person_id
from ..scenario import runner


class ConsoleError(InputError):
    """The console cannot start as asked (no index there, a port in use, …)."""


#: What ``zhili console --demo`` runs and indexes: a township's term, then a village's year (SPEC §9).
DEMO = ("township", "village")


def demo_index(chain: Chain, directory: Path, scenario: str | tuple[str, ...] = "township", progress: Any = None) -> Path:
    """Run a bundled scenario (or several, one after the other) on ``chain`` and index it into
    ``directory``/demo.db, with its people's names as labels (the scenario's directory: not on chain)."""
    say = progress or (lambda s: None)
    db = directory / "demo.db"
    ix = open_index(str(db))
    for name in (scenario,) if isinstance(scenario, str) else scenario:
        start = int(chain.w3.eth.block_number) + 1  # each run deploys its own contracts: read from its first block
        res = runner.run(runner.load(name), chain, say)
        ix.add(chain, dataclasses.replace(Target.from_scenario(res), from_block=start))
        say(f"indexing the {name} run")
        ix.sync(chain)
        ix.label(scenario_labels(res))
    return db


def scenario_labels(res: dict[str, Any]) -> dict[str, str]:
    """Person id -> name of a scenario run's people (the runner's ids: scenario.runner.run, a village's
    salted with its village code, scenario.village.run)."""
    code = res["village"]["code"] if isinstance(res.get("village"), dict) else res["jurisdiction"]["code"]
    salt = f"zhili-scenario:{code}".encode()
    return {"0x" + person_id(sid, salt).hex(): name for sid, name in res["people"].items()}


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: a free one, read back)."""
    try:
        return web.listen(host, port)
    except web.ListenError as exc:
        raise ConsoleError(str(exc)) from None


def serve(db: str, host: str, port: int, chain: Chain | None, auditor: Any = None) -> None:
    """Serve the console; ``auditor`` (the parsed ``--ledger``/``--store``/``--log``/``--keeper``/
    ``--public-url`` options) adds the sign-in and the non-public pages through a content service."""
    from .app import create_app

    if "://" not in db and not Path(db).is_file():
        raise ConsoleError(f"--db {db}: no index there (make one with `zhili index --db {db} …`)")
    sock = listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}"
    service = None
    try:
        if auditor is not None and auditor.ledger:
            service = _content_service(chain, auditor, (auditor.public_url or url).rstrip("/"), db)
        app = create_app(db, chain, service)
    except BaseException:
        sock.close()
        raise
    out.print(f"zhili console at {url}/  (Ctrl-C stops it)")
    if service is not None:
        out.print(f"auditors sign in at {service.uri}/login")
    sys.stdout.flush()
    # timeouts and limits: a slow client cannot hold a connection (head 10 s, keep-alive 5 s), at most 200 at once
    try:
        web.server(app).run(sockets=[sock])
    finally:
        if service is not None:
            service.close()


def _content_service(chain: Chain | None, a: Any, uri: str, db: str) -> Any:
    from ..cli.args import contract_at
    from ..cli.common import parse_sender
    from ..core.store import open_store
    from ..evidence.auditor import AccessLog, AuditorService
    from ..evidence.client import EvidenceClient

    if chain is None or not (a.store and a.log and a.keeper):
        raise ConsoleError("--ledger needs --chain, --store, --log and --keeper (the content service behind the auditor pages)")

    ledger = EvidenceClient.at(chain, contract_at(chain, "EvidenceLedger", a.ledger, "--ledger"))
    log = AccessLog(a.log)
    try:
        listing = ledger_versions(open_index(db, create=False).engine, ledger.contract.address)  # the console's index, not a replay
        return AuditorService(ledger, open_store(a.store), log, chain.account(parse_sender(a.keeper)), uri, listing=listing)
    except BaseException:
        log.close()
        raise


def console_cmd(ctx: Context) -> None:
    a = ctx.args
    if a.demo:
        if a.db or a.chain:
            raise ConsoleError("--demo makes its own index on the embedded chain; leave out --db and --chain")
        with tempfile.TemporaryDirectory(prefix="zhili-console-") as tmp, connect("embedded") as chain:
            out.print("[bold]zhili console --demo[/bold]: the bundled township term and village year on the embedded chain (about a minute and a half)")
            db = demo_index(chain, Path(tmp), DEMO, progress=lambda s: out.print(f"  {s}"))
            serve(str(db), a.host, a.port, chain)
        return
    if a.chain:  # the node first: a wrong chain is refused (exit 3) before anything else
        with connect(a.chain, chain_id=a.chain_id) as chain:
            serve(_db(a.db), a.host, a.port, chain, a)
    else:
        if a.ledger:
            raise ConsoleError("--ledger needs --chain (roles are read from the chain at every request)")
        serve(_db(a.db), a.host, a.port, None)


def _db(db: str | None) -> str:
    if not db:
        raise ConsoleError("--db is required (or --demo)")
    return db


def add_commands(sub: Any) -> None:
    sp = command(sub, "console", console_cmd, "serve the auditor's console (a web application) over an index", sender=False, json=False, chain=False)
    sp.add_argument("--db", default=None, help="the index (`zhili index --db`): a SQLite file or a SQLAlchemy URL")
    sp.add_argument("--demo", action="store_true", help="run the bundled township term and village year on the embedded chain, index them and serve them")
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sp.add_argument("--port", type=int, default=0, help="port (default 0: a free one, printed)")
    sp.add_argument("--chain", default=None, help="a node of the indexed chain (URL): re-tallies read it live")
    sp.add_argument("--chain-id", type=int, default=None, help="expected chain id of --chain")
    sp.add_argument("--ledger", default=None, help="an EvidenceLedger: adds the auditors' sign-in (EIP-4361) and content pages (with --store, --log, --keeper)")
    sp.add_argument("--store", default=None, help="the content store directory behind --ledger")
    sp.add_argument("--log", default=None, help="the access log file (JSON lines; locked while the console runs)")
    sp.add_argument("--keeper", default=None, help="the content service's key: an index into the keys or an address (holds RECORDS_KEEPER)")
    sp.add_argument("--public-url", default=None, help="the base URL auditors reach the console at, named in sign-in messages (default http://HOST:PORT)")
