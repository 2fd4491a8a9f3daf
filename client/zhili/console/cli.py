"""``zhili console``: serve the auditor's console over an index; ``--demo`` makes one first, with a
demo auditor who can sign in. ``zhili auth sign``: sign a console's EIP-4361 sign-in message with a
key file, after the client-side checks (no wallet needed)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import socket
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cli.common import Context, command, out
from ..core import web
from ..core.chain import Chain, connect
from ..core.store import DirectoryStore
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
    return demo_term(chain, directory, scenario, progress)[0]


def demo_term(chain: Chain, directory: Path, scenario: str | tuple[str, ...] = "township", progress: Any = None) -> tuple[Path, list[dict[str, Any]]]:
    """:func:`demo_index`, with each run's result (its contracts); the content of the documents a term
    anchors is kept in ``directory``/content, the store of the demo's content service."""
    say = progress or (lambda s: None)
    db = directory / "demo.db"
    (directory / "content").mkdir(exist_ok=True)
    store = DirectoryStore(directory / "content")
    ix = open_index(str(db))
    results = []
    for name in (scenario,) if isinstance(scenario, str) else scenario:
        start = int(chain.w3.eth.block_number) + 1  # each run deploys its own contracts: read from its first block
        res = runner.run(runner.load(name), chain, say, store=store)
        ix.add(chain, dataclasses.replace(Target.from_scenario(res), from_block=start))
        say(f"indexing the {name} run")
        ix.sync(chain)
        ix.label(scenario_labels(res))
        results.append(res)
    ix.engine.dispose()
    return db, results


# ---------------------------------------------------------------------------- the demo's auditor (devnet only)

#: The demo chain's accounts (``scenario.runner``): 0 is the jurisdiction's admin; 8 the relayer, here the
#: content service's records keeper (it anchors the access log, so it needs gas: a funded devnet account).
DEMO_ADMIN, DEMO_KEEPER = 0, 8


@dataclass
class DemoAuditor:
    """An auditor of the demo: a fresh key in ``key_file`` (mode 0600, in the demo's temporary
    directory, removed with it) that holds AUDITOR on the demo chain, and the content service's options."""

    address: str
    key_file: Path
    options: argparse.Namespace  # ledger, store, log, keeper, public_url: as ``zhili console --ledger …`` takes them


def demo_auditor(chain: Chain, directory: Path, ledger: str) -> DemoAuditor:
    """Make the demo's auditor on ``chain`` (a devnet: its admin key is public): a new key written to
    ``directory``/auditor.key, granted AUDITOR in the ledger's jurisdiction by the admin, and the records
    keeper (account :data:`DEMO_KEEPER`) granted RECORDS_KEEPER, with the content store and the access
    log in ``directory``. Nothing of it leaves ``directory``."""
    from eth_account import Account

    from ..evidence.client import AUDITOR, EvidenceClient

    led = EvidenceClient.at(chain, ledger)
    acct = Account.create()
    key_file = directory / "auditor.key"
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(acct.key.to_0x_hex() + "\n")
    chain.transact(led.jurisdiction.functions.grantRole(AUDITOR, acct.address), DEMO_ADMIN, label="demo.grantAuditor")
    led.grant_records_keeper(chain.accounts[DEMO_KEEPER].address, DEMO_ADMIN)
    (directory / "content").mkdir(exist_ok=True)
    opts = argparse.Namespace(ledger=led.contract.address, store=str(directory / "content"), log=str(directory / "access.jsonl"), keeper=str(DEMO_KEEPER), public_url=None)
    return DemoAuditor(acct.address, key_file, opts)


def demo_sign_in_hint(who: DemoAuditor, chain_id: int) -> Callable[[str], list[str]]:
    """How to sign in as the demo auditor without a wallet, for the service at ``uri``."""

    def lines(uri: str) -> list[str]:
        return [
            f"demo auditor (AUDITOR on this demo chain only): {who.address}",
            f"  its key: {who.key_file} (removed when the demo stops)",
            f"  sign in without a wallet: open {uri}/login, enter the address, press Get message, then run",
            f"    zhili auth sign --key-file {who.key_file} --server {uri} --ledger {who.options.ledger} --ledger-chain-id {chain_id}",
            "  paste the message (then Ctrl-D), and paste the signature it prints into the page",
        ]

    return lines


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


def serve(db: str, host: str, port: int, chain: Chain | None, auditor: Any = None, hint: Callable[[str], list[str]] | None = None) -> None:
    """Serve the console; ``auditor`` (the parsed ``--ledger``/``--store``/``--log``/``--keeper``/
    ``--public-url`` options) adds the sign-in and the non-public pages through a content service;
    ``hint`` gives lines printed after the sign-in address (the demo's auditor)."""
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
        for line in hint(service.uri) if hint else []:
            out.print(line, markup=False, highlight=False, soft_wrap=True)  # one line each: the command is copied whole
    sys.stdout.flush()
    # timeouts and limits: a slow client cannot hold a connection (head 10 s, keep-alive 5 s), at most 200 at once
    try:
        web.server(app).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it shut down on: stopping is what was asked
        out.print("stopped")
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
            db, runs = demo_term(chain, Path(tmp), DEMO, progress=lambda s: out.print(f"  {s}"))
            who = demo_auditor(chain, Path(tmp), runs[0]["contracts"]["evidence"])  # the township's ledger
            serve(str(db), a.host, a.port, chain, who.options, hint=demo_sign_in_hint(who, chain.chain_id))
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


# ---------------------------------------------------------------------------- zhili auth sign


def _read_key(path: str) -> Any:
    from eth_account import Account

    try:
        text = Path(path).read_text().strip()
    except OSError as exc:
        raise ConsoleError(f"--key-file {path}: cannot read it ({exc.strerror})") from None
    try:
        return Account.from_key(text)
    except Exception:  # never echo what the file holds
        raise ConsoleError(f"--key-file {path}: not a private key (expected 0x and 64 hex digits)") from None


def auth_sign_cmd(ctx: Context) -> None:
    """Sign an EIP-4361 sign-in message read from stdin, after :func:`zhili.core.auth.check_before_signing`:
    it must name the server ``--server``, the ledger ``--ledger`` on chain ``--ledger-chain-id`` and this
    key's address, and not be expired. Prints the signature (personal_sign) to paste into the login page."""
    from eth_account.messages import encode_defunct

    from ..core.auth import check_before_signing

    a = ctx.args
    acct = _read_key(a.key_file)
    message = sys.stdin.read().replace("\r\n", "\n").strip()  # as the page's form sends it (no trailing newline)
    if not message:
        raise ConsoleError("no message on stdin: paste the message the login page shows")
    check_before_signing(message, address=acct.address, uri=a.server.rstrip("/"), chain_id=a.ledger_chain_id, ledger=a.ledger)
    print(acct.sign_message(encode_defunct(text=message)).signature.to_0x_hex())


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
    auth = sub.add_parser("auth", help="sign in to a console's auditor pages without a browser wallet").add_subparsers(dest="sub", required=True)
    sp = command(auth, "sign", auth_sign_cmd, "sign the EIP-4361 message on stdin with a key file, after checking it names your server, ledger and chain", sender=False, json=False, chain=False)
    sp.add_argument("--key-file", required=True, help="a file holding the private key (0x and 64 hex digits), e.g. the demo's auditor.key")
    sp.add_argument("--server", required=True, help="the base URL of the console you mean to sign in to (the message must name it)")
    sp.add_argument("--ledger", required=True, help="the EvidenceLedger address you audit (the message must name it)")
    sp.add_argument("--ledger-chain-id", type=int, required=True, help="the chain id of that ledger (the message must name it)")
