"""``zhili doc …``, ``zhili oath …``, ``zhili handover …``, ``zhili auditor …`` (R-DOC-1 ... R-DOC-9).

``zhili doc verify FILE`` is the one command behind "refuse undocumented instructions" (R-DOC-1):
exit 0 only if the file is an anchored version that is current (not superseded, not revoked);
exit 1 otherwise (unknown or altered file, superseded, revoked). Bad input exits 2 with the rule ID.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from eth_account.signers.local import LocalAccount
from rich.table import Table

from ..cli.args import ID, BadInput, address, contract_at, read_bytes, whole
from ..cli.common import Command, Context, command, jurisdiction_contracts, jurisdiction_options, out, parse_person, parse_sender, print_json
from ..core.chain import Chain
from ..core.store import fingerprint, open_store
from ..core.workdays import show
from ..evidence.client import DocMeta, EvidenceClient, Kind, Status
from ..evidence.handover import HandoverClient, IssueKind, load_checklist
from ..types import Category, Office

ZERO_ADDRESS = "0x" + "00" * 20


def _key(chain: Chain, args: argparse.Namespace) -> LocalAccount:
    return chain.account(parse_sender(args.sender))


def _ledger(chain: Chain, args: argparse.Namespace) -> EvidenceClient:
    return EvidenceClient.at(chain, contract_at(chain, "EvidenceLedger", args.ledger, "--ledger"))


def _handover(chain: Chain, args: argparse.Namespace) -> HandoverClient:
    return HandoverClient.at(chain, contract_at(chain, "Handover", args.handover, "--handover"))


def _meta(args: argparse.Namespace, category: Category, title: str | None = None) -> DocMeta:
    title = args.title if args.title is not None else title
    if not title:
        raise BadInput("R-DOC-2: a document needs a title (--title)")
    return DocMeta(
        title=title, category=category, summary=args.summary or "", recipients=tuple(args.recipient or ()),
        basis=tuple(fingerprint(read_bytes(b, "--basis")) for b in (args.basis or ())), motion_id=args.motion or 0, budget=args.budget or "",
    )  # fmt: skip


def _fp_or_file(text: str, ledger: EvidenceClient) -> bytes:
    if text.startswith("0x") and len(text) == 66:
        try:
            fp = bytes.fromhex(text[2:])
        except ValueError:
            raise BadInput(f"R-DOC-4: --previous {text!r} is not a fingerprint (0x and 64 hex digits)") from None
        if ledger.verify_fingerprint(fp)[0] == Status.NONE:
            raise BadInput(f"R-DOC-4: --previous {text} is not an anchored version")
        return fp
    v = ledger.verify(read_bytes(text, "file"), follow=False)
    if v.status == Status.NONE:
        raise BadInput(f"R-DOC-4: {text} is not an anchored version")
    return v.fingerprint


# ------------------------------------------------------------------ doc


def doc_deploy(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    j, p = jurisdiction_contracts(chain, args)
    council = contract_at(chain, "Council", args.council, "--council") if args.council else None
    led = EvidenceClient.deploy(chain, j, p, council, sender=_key(chain, args))
    if args.keeper:
        led.grant_records_keeper(args.keeper, _key(chain, args))
    res = {"ledger": led.contract.address, "from_block": led.from_block}
    ctx.emit(res, f"evidence ledger at {res['ledger']}")
    return 0


def _report_version(ctx: Context, led: EvidenceClient, fp: bytes, what: str) -> None:
    status, signer, at, trace, version = led.verify_fingerprint(fp)
    res = {"fingerprint": fp, "trace": trace, "version": version, "status": status.name.lower(), "signer": signer, "anchored_at": at}
    ctx.emit(res, f"{what} [bold]{trace}[/bold] v{version} (0x{fp.hex()}), signed by 0x{signer.hex()} at {show(at)}")


def doc_anchor(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    led = _ledger(chain, args)
    data = read_bytes(args.file, "file")
    meta = _meta(args, Category.from_key(args.category))
    store = open_store(args.store) if args.store else None
    fp = led.anchor(data, meta, _key(chain, args), algorithm=args.alg, store=store)
    _report_version(ctx, led, fp, "anchored")
    return 0


def doc_version(kind: Kind) -> Command:
    def run(ctx: Context) -> int:
        chain, args = ctx.chain, ctx.args
        led = _ledger(chain, args)
        prev = _fp_or_file(args.previous, led)
        rec = led.record(prev)
        history = led.history(int(rec["year"]) << 40 | int(rec["category"]) << 32 | int(rec["seq"]))
        last = history[-1]
        meta = _meta(args, Category(rec["category"]), title=last.title)
        store = open_store(args.store) if args.store else None
        fp = led.new_version(prev, kind, read_bytes(args.file, "file"), meta, args.reason, _key(chain, args), algorithm=args.alg, store=store)
        _report_version(ctx, led, fp, {Kind.AMENDMENT: "amended", Kind.SUPPLEMENT: "supplemented", Kind.REVOCATION: "revoked by"}[kind])
        return 0

    return run


def doc_verify(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    led = _ledger(chain, args)
    algs = ("sha256", "sm3") if args.alg == "auto" else (args.alg,)
    v = led.verify(read_bytes(args.file, "file"), algs)
    if ctx.json:
        ctx.emit({"file": args.file, **v.as_json()})
    elif v.status == Status.NONE:
        out.print(f"[red]NOT FOUND[/red] {args.file}: no anchored document has this content (R-DOC-1: the instruction may be refused)")
    else:
        colour = "green" if v.valid else "red"
        out.print(f"[{colour}]{v.status.name}[/{colour}] {v.trace} v{v.version}, signed by 0x{v.signer.hex()} at {show(v.anchored_at or 0)}")  # type: ignore[union-attr]
        if v.latest is not None:
            out.print(f"  the document is now at v{v.latest.version} ({v.latest.kind.name.lower()}, {v.latest.status.name.lower()}), 0x{v.latest.fingerprint.hex()}")
    return 0 if v.valid else 1


def doc_history(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    led = _ledger(chain, args)
    versions = led.history(args.trace)
    if ctx.json:
        ctx.emit({"trace": versions[0].trace, "versions": [v.as_json() for v in versions]})
        return 0
    t = Table(title=f"{versions[0].trace} — {versions[-1].title}")
    for col in ("v", "kind", "status", "signed by", "anchored", "reason", "fingerprint"):
        t.add_column(col)
    for v in versions:
        t.add_row(str(v.version), v.kind.name.lower(), v.status.name.lower(), "0x" + v.signer.hex()[:12] + "…", show(v.anchored_at),
                  v.reason or "", "0x" + v.fingerprint.hex()[:16] + "…")  # fmt: skip
    out.print(t)
    for v in versions:
        if v.decision:
            out.print(f"v{v.version} executes motion {v.motion_id}: yes weight {v.decision['yesWeight']} / {v.decision['threshold']}, "
                      f"first responsible person {v.decision['firstResponsible']}")  # fmt: skip
    return 0


# ------------------------------------------------------------------ oath and handover


def handover_deploy(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    j, p = jurisdiction_contracts(chain, args)
    h = HandoverClient.deploy(chain, j, p, sender=_key(chain, args))
    ctx.emit({"handover": h.contract.address}, f"handover records at {h.contract.address}")
    return 0


def oath_schedule(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    h = _handover(chain, args)
    oid = h.schedule_oath(parse_person(args.person), Office.from_key(args.office), _key(chain, args))
    o = h.oath(oid)
    ctx.emit({"oath": oid, "deadline": o["deadline"]}, f"oath {oid}: due by {show(o['deadline'])}")
    return 0


def oath_record(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    h = _handover(chain, args)
    fp = h.record_oath(args.oath, read_bytes(args.recording, "--recording"), _key(chain, args), args.alg)
    ctx.emit({"oath": args.oath, "recording": fp}, f"oath {args.oath} recorded; recording 0x{fp.hex()}")
    return 0


def handover_open(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    h = _handover(chain, args)
    hid = h.open(args.oath, parse_person(args.outgoing), parse_person(args.supervisor), load_checklist(args.checklist), _key(chain, args))
    ctx.emit(h.show(hid), f"handover {hid} opened; sign by {show(h.case(hid)['deadline'])}")
    return 0


def handover_act(act: str) -> Command:
    def run(ctx: Context) -> int:
        chain, args = ctx.chain, ctx.args
        h, key = _handover(chain, args), _key(chain, args)
        if act == "sign":
            persons = chain.contract("PersonRegistry", chain.call(h.contract.functions.persons()))
            pid = bytes(chain.call(persons.functions.personOf(key.address)))
            h.sign(args.id, pid, key)
        elif act == "issue":
            h.record_issue(args.id, IssueKind.MISSING_ITEM if args.kind == "missing" else IssueKind.NO_ASSISTANCE, read_bytes(args.file, "file"), key)
        elif act == "dispute":
            did = h.raise_dispute(args.id, args.item, read_bytes(args.reason, "--reason"), args.major, key)
            d = h.dispute(did)
            ctx.emit({"act": act, "dispute": did, **d}, f"dispute {did}: settle on site by {show(d['escalationDeadline'])}, or it goes to the organisation department")
            return 0
        elif act == "settle":
            h.settle(args.id, read_bytes(args.file, "file"), key)
        elif act == "escalate":
            h.escalate(args.id, key)
        elif act == "rule":
            h.rule(args.id, read_bytes(args.file, "file"), key)
        # sign and issue act on a handover; settle, escalate and rule on a dispute
        state = h.show(args.id) if act in ("sign", "issue") else {"dispute": args.id, **h.dispute(args.id)}
        ctx.emit({"act": act, **state}, f"{act}: done")
        return 0

    return run


def handover_show(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    print_json(_handover(chain, args).show(args.id))  # JSON with or without --json: the state is a document
    return 0


# ------------------------------------------------------------------ auditor service


def auditor_serve(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    from ..core import web
    from ..evidence.auditor import AccessLog, AuditorService, create_app

    sock = web.listen(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else str(host)
    uri = (args.public_url or f"http://{shown}:{port}").rstrip("/")
    access_log = AccessLog(args.log)  # locked; a torn last line is cut here
    if access_log.repaired:
        out.print(f"[yellow]access log: cut a torn last line of {len(access_log.repaired)} bytes (never anchored)[/yellow]")
    try:
        ledger = _ledger(chain, args)
        listing = None
        if args.index:  # the listing from the index (`zhili index --follow` keeps it fresh), not a ledger replay per request
            from ..index.indexer import ledger_versions, open_index

            listing = ledger_versions(open_index(args.index, create=False).engine, ledger.contract.address)
        service = AuditorService(ledger, open_store(args.store), access_log, _key(chain, args), uri, listing=listing)
    except BaseException:
        access_log.close()
        sock.close()
        raise
    out.print(f"auditor service on http://{shown}:{port}, logins name {uri} (Ctrl-C stops)")
    sys.stdout.flush()
    try:
        web.server(create_app(service), limit_concurrency=args.max_connections).run(sockets=[sock])
    finally:
        service.close()
    return 0


def auditor_verify_log(ctx: Context) -> int:
    chain, args = ctx.chain, ctx.args
    from ..evidence.auditor import read_log, verify_log

    try:
        entries = read_log(args.log)
    except OSError as exc:
        raise BadInput(f"R-DOC-5: cannot read access log {args.log}: {exc.strerror}") from None
    except ValueError as exc:
        raise BadInput(f"R-DOC-5: access log {args.log} is not JSON lines: {exc}") from None
    problems = verify_log(entries, _ledger(chain, args), args.keeper)
    if ctx.json:
        ctx.emit({"log": args.log, "valid": not problems, "problems": problems})
    else:
        for p in problems:
            out.print(f"[red]problem[/red] {p}")
        if not problems:
            out.print(f"[green]valid[/green] {args.log}: chained and matching every anchor")
    return 1 if problems else 0


# ------------------------------------------------------------------ parser


def add_commands(sub: Any) -> None:
    def cmd(parent: Any, name: str, fn: Command, help: str, target: str | None = "ledger", json: bool = True) -> argparse.ArgumentParser:
        return command(parent, name, fn, help, contract=(f"--{target}", f"{target} contract address") if target else None, json=json)

    def meta_opts(sp: argparse.ArgumentParser, title_required: bool) -> None:
        sp.add_argument("file", help="the document's file (its bytes are fingerprinted)")
        sp.add_argument("--title", required=title_required, default=None)
        sp.add_argument("--summary", default="")
        sp.add_argument("--recipient", action="append", help="a recipient (repeatable)")
        sp.add_argument("--basis", action="append", help="a basis document's file (repeatable; its SHA-256 is recorded)")
        sp.add_argument("--budget", default="", help="budget link of a document that executes no motion")
        sp.add_argument("--motion", type=ID, default=0, help="the council motion it executes (result read from the council)")
        sp.add_argument("--alg", choices=("sha256", "sm3"), default="sha256", help="fingerprint algorithm (default sha256)")
        sp.add_argument("--store", default=None, help="content store (a directory) to put the file into after anchoring")

    doc = sub.add_parser("doc", help="signed, versioned decision documents (R-DOC-1 ... R-DOC-5)").add_subparsers(dest="sub", required=True)
    sp = cmd(doc, "deploy", doc_deploy, "deploy an evidence ledger", target=None)
    jurisdiction_options(sp)
    sp.add_argument("--council", default=None, type=address, help="council contract (default: none yet)")
    sp.add_argument("--keeper", default=None, type=address, help="grant RECORDS_KEEPER to the auditor service's key (needs the jurisdiction admin)")
    sp = cmd(doc, "anchor", doc_anchor, "sign and anchor a document's first version; prints its trace code")
    meta_opts(sp, True)
    sp.add_argument("--category", choices=[c.key for c in Category], default="strategic")
    for name, kind, help_ in (("amend", Kind.AMENDMENT, "anchor an amendment of the current version"),
                              ("supplement", Kind.SUPPLEMENT, "anchor a supplement to the current version"),
                              ("revoke", Kind.REVOCATION, "anchor a revocation notice (the document ends)")):  # fmt: skip
        sp = cmd(doc, name, doc_version(kind), help_)
        meta_opts(sp, False)
        sp.add_argument("--previous", required=True, help="the current version: its file or 0x fingerprint")
        sp.add_argument("--reason", required=True, help="why the document changes (R-DOC-4)")
    sp = cmd(doc, "verify", doc_verify, "is FILE an anchored, current document? exit 0 only if so (R-DOC-1)")
    sp.add_argument("file")
    sp.add_argument("--alg", choices=("auto", "sha256", "sm3"), default="auto")
    sp = cmd(doc, "history", doc_history, "every version of a trace code")
    sp.add_argument("trace", help="e.g. 330110-001-2025-LI-0007")

    oath = sub.add_parser("oath", help="oath records (R-DOC-6)").add_subparsers(dest="sub", required=True)
    sp = cmd(oath, "schedule", oath_schedule,
             "open a new member's oath period (from the seating on chain; deadline from the on-chain calendar)", target="handover")  # fmt: skip
    sp.add_argument("person")
    sp.add_argument("--office", choices=[o.key for o in Office], required=True)
    sp = cmd(oath, "record", oath_record, "record the oath with its recording's fingerprint", target="handover")
    sp.add_argument("oath", type=ID)
    sp.add_argument("--recording", required=True)
    sp.add_argument("--alg", choices=("sha256", "sm3"), default="sha256")

    ho = sub.add_parser("handover", help="handover records (R-DOC-7 ... R-DOC-9)").add_subparsers(dest="sub", required=True)
    sp = cmd(ho, "deploy", handover_deploy, "deploy the oath and handover records", target=None)
    jurisdiction_options(sp)
    sp = cmd(ho, "open", handover_open, "open a handover with the four-group checklist (YAML)", target="handover")
    sp.add_argument("--oath", type=ID, required=True)
    sp.add_argument("--outgoing", required=True)
    sp.add_argument("--supervisor", required=True)
    sp.add_argument("--checklist", required=True)
    sp = cmd(ho, "sign", handover_act("sign"), "sign the confirmation with your key", target="handover")
    sp.add_argument("id", type=ID)
    sp = cmd(ho, "issue", handover_act("issue"), "record an issue against the outgoing official (R-DOC-8)", target="handover")
    sp.add_argument("id", type=ID)
    sp.add_argument("--kind", choices=("missing", "no-assistance"), required=True)
    sp.add_argument("--file", required=True, help="the written issue")
    sp = cmd(ho, "dispute", handover_act("dispute"), "dispute a checklist item (R-DOC-9)", target="handover")
    sp.add_argument("id", type=ID)
    sp.add_argument("--item", required=True, help="the item's text as in the checklist")
    sp.add_argument("--reason", required=True, help="the written objection")
    sp.add_argument("--major", action="store_true", help="concerns major assets or decisions")
    for name, help_ in (("settle", "settle a dispute on site (supervision group)"), ("rule", "rule on a dispute (organisation department)")):
        sp = cmd(ho, name, handover_act(name), help_, target="handover")
        sp.add_argument("id", type=ID)
        sp.add_argument("--file", required=True, help="the written settlement or ruling")
    sp = cmd(ho, "escalate", handover_act("escalate"), "escalate a dispute to the organisation department", target="handover")
    sp.add_argument("id", type=ID)
    sp = cmd(ho, "show", handover_show, "a handover's state as JSON", target="handover")
    sp.add_argument("id", type=ID)

    au = sub.add_parser("auditor", help="the auditor service (R-DOC-5)").add_subparsers(dest="sub", required=True)
    sp = cmd(au, "serve", auditor_serve, "serve records and content to holders of the AUDITOR role", json=False)  # a server: no result to print
    sp.add_argument("--store", required=True, help="content store directory")
    sp.add_argument("--log", required=True, help="access log file (JSON lines)")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=whole(0, 65535), default=8645)
    sp.add_argument("--public-url", default=None, help="the base URL auditors reach this service at, named in login messages (default http://HOST:PORT)")
    sp.add_argument("--index", default=None, help="list records from this index (`zhili index --db`) instead of replaying the ledger")
    sp.add_argument("--max-connections", type=whole(1, 100000), default=200, help="connections at once (503 beyond)")
    sp = cmd(au, "verify-log", auditor_verify_log, "check an access log against its on-chain anchors")
    sp.add_argument("--log", required=True)
    sp.add_argument("--keeper", required=True, type=address, help="address of the service's key")
