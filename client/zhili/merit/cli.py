"""``zhili merit …`` and ``zhili succession …``: reports through the four-step review, appeals,
ledgers, offsets and the succession order, step by step on a persistent chain (SPEC §5–§6).

Every command takes ``--ledger`` (the jurisdiction's ``MeritLedger``; the province's book, the
succession order, the person registry and the jurisdiction are read from it), signs with ``--from``
among ``ZHILI_PRIVATE_KEYS`` / ``ZHILI_KEYSTORE``, and refuses bad input with the rule ID (exit 2)
before anything is sent. The reporter's identity never leaves the reporter's files except as an
SM2/SM4 blob for the committee (``merit report --blob-out``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.table import Table

from .. import profiles
from ..cli.args import ID, UINT16, BadInput, contract_at, enum_key, file_hash, names_file, new_file, parse_address, read_bytes, read_json, whole
from ..cli.common import Command, Context, command, hexstr, jurisdiction_contracts, jurisdiction_options, out, parse_person
from ..core.chain import Chain, ContractRevert
from ..core.files import write_atomic
from ..merit.client import Award, Conclusion, Decision, Finding, MeritClient, ReporterClass, ReviewOpening
from ..merit.identity import CommitteeKey, ReporterIdentity, blob_hash, open_identity

ZERO32 = b"\0" * 32


def _client(chain: Chain, args: argparse.Namespace) -> MeritClient:
    ledger = contract_at(chain, "MeritLedger", args.ledger, "--ledger")
    m = MeritClient.at(chain, ledger)
    m.names = names_file(getattr(args, "names", None), parse_person) or m.names
    return m


# ------------------------------------------------------------------ merit


def merit_deploy(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    j, p = jurisdiction_contracts(chain, args)
    book = chain.contract("MeritBook", contract_at(chain, "MeritBook", args.book, "--book")) if args.book else None
    m = MeritClient.deploy(chain, j, p, profiles.load(args.profile), book=book, committee_size=args.committee_size, admin=ctx.sender)
    res = {"ledger": m.ledger.address, "book": m.book.address, "succession": m.succession.address}
    ctx.emit(res, f"merit ledger {res['ledger']}, book {res['book']}, succession {res['succession']}")


def merit_keygen(ctx: Context) -> None:
    args = ctx.args
    priv, pub = new_file(args.out, "--out"), new_file(args.public_out, "--public-out")
    key = CommitteeKey.generate()
    write_atomic(priv, json.dumps(key.as_json(), indent=1), private=True)
    write_atomic(pub, json.dumps(key.public_only().as_json(), indent=1))
    out.print(f"SM2 key pair in {args.out} (keep it with the committee); public key in {args.public_out} (give it to reporters)")


def merit_report(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    blob_out, receipt_out = new_file(args.blob_out, "--blob-out"), new_file(args.receipt_out, "--receipt-out")
    m = _client(chain, args)
    cls = enum_key(ReporterClass, args.reporter_class, "R-MR-4")
    claim = enum_key(Award, args.claim, "R-MR-2")
    committee = read_json(args.committee_key, "committee key", CommitteeKey.from_json)
    ident = ReporterIdentity.new(parse_person(args.reporter), name=args.reporter_name or "", contact=args.contact or "")
    receipt = {"case": None, "ledger": m.ledger.address, **ident.as_json()}

    def keep(blob: bytes) -> None:  # both on disk before the report is sent: the chain holds only their hashes
        write_atomic(blob_out, blob, private=True)
        write_atomic(receipt_out, json.dumps(receipt, indent=1, ensure_ascii=False), private=True)

    try:
        case, blob = m.report(parse_person(args.accused), cls, claim, read_bytes(args.evidence, "evidence"), ident, committee, ctx.sender, keep=keep)
    except ContractRevert:  # refused, nothing sent: no receipt for a report that does not exist
        blob_out.unlink(missing_ok=True)
        receipt_out.unlink(missing_ok=True)
        raise
    write_atomic(receipt_out, json.dumps({**receipt, "case": case}, indent=1, ensure_ascii=False), private=True, replace=True)
    res = {"case": case, "commitment": hexstr(ident.commitment), "identity_blob": hexstr(blob_hash(blob))}
    ctx.emit(res, f"case {case} filed; identity blob (for the committee) in {args.blob_out}; your receipt (keep it secret) in {args.receipt_out}")


def merit_step(step: str) -> Command:
    def run(ctx: Context) -> None:
        chain, args = ctx.chain, ctx.args
        m = _client(chain, args)
        s = ctx.sender
        case: int = getattr(args, "case", 0)  # 0: a step that names no case (cases count from 1)
        if step in ("assign", "reassign"):
            r = [parse_address(x, "R-MR-10: --reviewers") for x in args.reviewers.split(",")]
            if len(r) != 2:
                raise BadInput("R-MR-10: --reviewers needs exactly two addresses, A,B")
            (m.assign if step == "assign" else m.reassign)(case, r[0], r[1], s)
        elif step == "seal":
            out_path = new_file(args.out, "--out")

            def keep(o: ReviewOpening) -> None:
                write_atomic(out_path, json.dumps(o.as_json(), indent=1), private=True)

            try:
                m.seal_review(case, enum_key(Conclusion, args.conclusion, "R-MR-10"), file_hash(args.review, "review"), s, keep=keep)
            except ContractRevert:  # refused, nothing sent: no opening for a seal that does not exist
                out_path.unlink(missing_ok=True)
                raise
            ctx.emit({"step": step, "case": case, "opening": args.out, "stage": m.case(case).stage.key}, f"sealed; keep {args.out} until the other reviewer has sealed too")
            return
        elif step == "open":
            m.open_review(read_json(args.opening, "review opening", ReviewOpening.from_json), s)
        elif step == "recheck":
            m.recheck(case, file_hash(args.result, "re-check result"), not args.inconsistent, s)
        elif step == "vote":
            m.vote(case, args.vote == "yes", s)
        elif step == "publish":
            d = m.publish(case, file_hash(args.notice, "notice"), s)
            ctx.emit({"step": step, "case": case, "appeal_deadline": d.deadline, "last_day": d.last_day, "basis": d.basis}, f"published; appeals until {d.deadline} (last day {d.last_day}, {d.basis})")
            return
        elif step == "decide":
            m.decide_appeal(case, args.answer_kind == "uphold", file_hash(args.answer, "answer"), s)
        elif step == "escalate":
            d = m.escalate(case, s)
            text = f"escalated; the committee two levels up answers by {d.deadline} (last day {d.last_day}, {d.basis})"
            ctx.emit({"step": step, "case": case, "answer_deadline": d.deadline, "last_day": d.last_day, "basis": d.basis}, text)
            return
        elif step == "finalize":
            m.finalize(case, s)
        elif step == "approve-offset":
            m.approve_offset(args.request, s)
        stage = m.case(case).stage.key if case else None
        ctx.emit({"step": step, "case": case, "stage": stage, **({"request": args.request} if step == "approve-offset" else {})}, f"{step}: done" + (f"; case {case} is {stage}" if case else ""))

    return run


def merit_propose(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    m = _client(chain, args)
    case = m.case(args.case)
    reporter, salt = ZERO32, ZERO32
    if args.identity_blob:
        if not args.committee_key:
            raise BadInput("R-MR-4: --identity-blob needs --committee-key (the committee's private key)")
        ident = open_identity(read_bytes(args.identity_blob, "identity blob"), read_json(args.committee_key, "committee key", CommitteeKey.from_json),
                              commitment=case.commitment)  # fmt: skip
        reporter, salt = ident.person_id, ident.salt

    def pid(x: str | None) -> bytes:
        return parse_person(x) if x else ZERO32

    d = Decision(
        enum_key(Finding, args.finding, "R-MR-10"), enum_key(Award, args.award, "R-MR-2"), reporter, salt, args.sanction,
        pid(args.direct), pid(args.next), args.direct_clue, args.next_clue,
        tuple(parse_person(x) for x in args.silent.split(",")) if args.silent else (),
        file_hash(args.finding_doc, "finding") if args.finding_doc else ZERO32,
    )  # fmt: skip
    m.propose(args.case, d, ctx.sender)
    ctx.emit({"case": args.case, "decision": d.as_json(), "stage": m.case(args.case).stage.key}, f"decision proposed for case {args.case}: {d.finding.key}" + (f", award {d.award.key}" if d.award else ""))


def merit_appeal(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    m = _client(chain, args)
    salt = ZERO32
    if args.receipt:
        salt = read_json(args.receipt, "receipt", lambda d: bytes.fromhex(str(d["salt"]).removeprefix("0x")))
    d = m.appeal(args.case, parse_person(args.person), file_hash(args.grounds, "grounds"), ctx.sender, salt=salt)
    ctx.emit({"case": args.case, "answer_deadline": d.deadline, "last_day": d.last_day, "basis": d.basis}, f"appeal filed; the upper committee answers by {d.deadline} (last day {d.last_day}, {d.basis})")


def merit_offset(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    m = _client(chain, args)
    rid = m.request_offset(args.entry, ctx.sender)
    ctx.emit({"request": rid}, f"offset request {rid}: waiting for the upper committee's approval (R-MR-12)")


def merit_show(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    m = _client(chain, args)
    if not 1 <= args.case <= m.case_count():
        raise BadInput(f"R-MR-10: no case {args.case} on ledger {m.ledger.address} (cases 1..{m.case_count()})")
    c = m.case(args.case)
    res = c.as_json()
    try:
        res["decision"] = m.decision(args.case).as_json()
    except LookupError:
        res["decision"] = None
    if c.appeal_deadline:
        days = int(chain.call(m.jurisdiction.functions.params())[15])
        res["appeal_deadline_checked"] = m.calendar.deadline(c.published_at, days).deadline == c.appeal_deadline
    if ctx.json:
        ctx.emit(res)
        return
    t = Table(title=f"case {args.case}")
    t.add_column("field")
    t.add_column("value")
    for k, v in res.items():
        t.add_row(k, json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v))
    out.print(t)


def merit_person(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    m = _client(chain, args)
    pid = parse_person(args.person)
    totals = m.totals(pid)
    entries = m.entries(pid)
    if ctx.json:
        ctx.emit({"person": hexstr(pid), "totals": totals, "entries": [{**e, "person": hexstr(e["person"]), "case_ref": hexstr(e["case_ref"])} for e in entries]})
        return
    out.print(f"{m.name(pid)}: merit {totals['merit'] / 10:.1f}, demerit {totals['demerit'] / 10:.1f}"
              + (" — [yellow]warning list[/yellow] (R-MR-7)" if totals["warning_list"] else "")
              + (" — [red]must resign[/red] (R-MR-7)" if totals["must_resign"] else ""))  # fmt: skip
    t = Table(title="Ledgers (R-MR-1), points")
    for col in ("entry", "ledger", "kind", "points", "total", "case", "offset"):
        t.add_column(col)
    for e in entries:
        t.add_row(str(e["id"]), e["ledger"], e["kind"], f"{e['points'] / 10:+.1f}", f"{e['total'] / 10:.1f}", f"{e['case']['case']} @ {e['case']['ledger'][:10]}…", "yes" if e["offset"] else "")
    out.print(t)


def merit_service_levels(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    sl = _client(chain, args).service_levels()
    if ctx.json:
        ctx.emit(sl)
        return
    iv, cl, di = sl["initial_verification_hours"], sl["close_working_days"], sl["discovered_internally"]
    out.print(f"R-MR-13 over {sl['cases']} cases (reported, not enforced):")
    out.print(f"  initial verification: max {iv['max']} h, mean {iv['mean']} h, within 24 h: {iv['within_24h']}")
    out.print(f"  closed: max {cl['max']} working days, within 15: {cl['within_15']}")
    out.print(f"  discovered internally: {di['share']} (target {di['target_share']})")


# ------------------------------------------------------------------ succession


def succession_show(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    m = _client(chain, args)
    rows = m.order_table()
    holder = bytes(chain.call(m.jurisdiction.functions.holder(0)))
    if ctx.json:
        ctx.emit({"secretary": m.name(holder) if any(holder) else None, "order": rows})
        return
    t = Table(title=f"Succession order (R-SU-1 … R-SU-5); secretary {m.name(holder) if any(holder) else 'vacant'}")
    for col in ("place", "person", "office", "merit", "demerit", "status"):
        t.add_column(col)
    for r in rows:
        status = "must resign" if r["must_resign"] else "warning list" if r["warning_list"] else ""
        t.add_row(str(r["place"]), r["person"], r["office"] or "-", f"{r['merit'] / 10:.1f}", f"{r['demerit'] / 10:.1f}", status)
    out.print(t)


def succession_history(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    hist = _client(chain, args).order_history()
    if ctx.json:
        ctx.emit(hist)
        return
    for h in hist:
        out.print(f"block {h['block']} {h['reason']}: " + ", ".join(h["order"]))


def succession_step(step: str) -> Command:
    def run(ctx: Context) -> None:
        chain, args = ctx.chain, ctx.args
        m = _client(chain, args)
        s = ctx.sender
        if step == "cycle":
            (m.open_cycle if args.action == "open" else m.close_cycle)(s)
            streak = chain.call(m.succession.functions.zeroStreak())
            ctx.emit({"cycle": args.action, "zero_streak": streak}, f"cycle {args.action}ed; zero streak {streak}")
        elif step == "enforce":
            m.enforce(parse_person(args.person), s)
            ctx.emit({"enforced": args.person, "order": m.order_table()}, "enforced")
        elif step == "join":
            m.join(parse_person(args.person), s)
            ctx.emit({"joined": args.person, "order": m.order_table()}, "joined")
        elif step == "pass":
            m.overtake_pass(s)
            ctx.emit({"order": m.order_table()}, "pass run: " + ", ".join(m.name(p) for p in m.order()))

    return run


# ------------------------------------------------------------------ parser


def add_commands(sub: Any) -> None:
    def cmd(parent: Any, name: str, fn: Command, help: str, ledger: bool = True) -> argparse.ArgumentParser:
        return command(parent, name, fn, help, contract=("--ledger", "the jurisdiction's MeritLedger address") if ledger else None, names=ledger)

    mp = sub.add_parser("merit", help="reports, four-step review, appeals, ledgers (SPEC §6)").add_subparsers(dest="sub", required=True)
    sp = cmd(mp, "deploy", merit_deploy, "deploy the merit ledger and succession order of a jurisdiction", ledger=False)
    jurisdiction_options(sp)
    sp.add_argument("--book", default=None, help="the province's MeritBook (default: deploy one)")
    sp.add_argument("--profile", default="township")
    sp.add_argument("--committee-size", type=whole(1, 255), default=1)
    kp = command(mp, "keygen", merit_keygen, "make the merit committee's SM2 key pair (offline)", chain=False, sender=False, json=False)
    kp.add_argument("--out", required=True)
    kp.add_argument("--public-out", required=True)

    sp = cmd(mp, "report", merit_report, "file a report (R-MR-4): commitment on chain, identity sealed for the committee")
    sp.add_argument("--accused", required=True)
    sp.add_argument("--class", dest="reporter_class", default="citizen", help="committee_member, cadre or citizen")
    sp.add_argument("--claim", default="none", help="the award claimed, e.g. direct_superior_removed")
    sp.add_argument("--evidence", required=True, help="evidence file (its hash is anchored)")
    sp.add_argument("--reporter", required=True, help="the reporter's identity number or person id (never sent)")
    sp.add_argument("--reporter-name", default=None)
    sp.add_argument("--contact", default=None)
    sp.add_argument("--committee-key", required=True, help="the committee's public key file (merit keygen)")
    sp.add_argument("--blob-out", required=True, help="where to write the encrypted identity for the committee")
    sp.add_argument("--receipt-out", required=True, help="where to write the reporter's own receipt (salt)")

    def case_cmd(name: str, fn: Command, help: str) -> argparse.ArgumentParser:
        sp = cmd(mp, name, fn, help)
        sp.add_argument("case", type=ID)
        return sp

    case_cmd("assign", merit_step("assign"), "assign the two back-to-back reviewers (R-MR-10)").add_argument("--reviewers", required=True, help="A,B")
    case_cmd("reassign", merit_step("reassign"), "replace the reviewers after the review deadline (R-MR-10)").add_argument("--reviewers", required=True, help="A,B")
    sp = case_cmd("seal", merit_step("seal"), "reviewer: seal a conclusion (R-MR-10)")
    sp.add_argument("--conclusion", required=True, choices=[c.key for c in Conclusion])
    sp.add_argument("--review", required=True, help="the written review (its hash is sealed)")
    sp.add_argument("--out", required=True, help="where to keep the opening")
    sp = cmd(mp, "open", merit_step("open"), "reviewer: open a sealed conclusion once both are sealed (R-MR-10)")
    sp.add_argument("--opening", required=True)
    sp = case_cmd("recheck", merit_step("recheck"), "anchor the big-data re-check (R-MR-10)")
    sp.add_argument("--result", required=True)
    sp.add_argument("--inconsistent", action="store_true")
    sp = case_cmd("propose", merit_propose, "put a decision to the committee's vote (R-MR-10)")
    sp.add_argument("--finding", required=True, help=", ".join(f.key for f in Finding))
    sp.add_argument("--award", default="none")
    sp.add_argument("--identity-blob", default=None, help="reveal the reporter (needed for an award or R-MR-8)")
    sp.add_argument("--committee-key", default=None, help="the committee's private key file")
    sp.add_argument("--sanction", type=whole(0, UINT16), default=0, help="procedural sanction in tenths (R-MR-12)")
    sp.add_argument("--direct", default=None, help="direct supervisor (R-MR-5)")
    sp.add_argument("--next", default=None, help="next-level supervisor (R-MR-5)")
    sp.add_argument("--direct-clue", action="store_true")
    sp.add_argument("--next-clue", action="store_true")
    sp.add_argument("--silent", default="", help="peers who knew and kept silent (R-MR-6), comma-separated")
    sp.add_argument("--finding-doc", default=None, help="the written finding (its hash is anchored)")
    sp = case_cmd("vote", merit_step("vote"), "committee member: vote on the proposal (R-MR-10)")
    sp.add_argument("vote", choices=("yes", "no"))
    case_cmd("publish", merit_step("publish"), "publish with the appeal deadline (R-MR-10, R-MR-11)").add_argument("--notice", required=True)
    sp = case_cmd("appeal", merit_appeal, "appeal within 7 working days, signed by the person (R-MR-11)")
    sp.add_argument("--person", required=True)
    sp.add_argument("--grounds", required=True)
    sp.add_argument("--receipt", default=None, help="the reporter's receipt, to appeal as the (unrevealed) reporter")
    sp = case_cmd("decide", merit_step("decide"), "upper committee (escalated: the one two levels up): answer an appeal (R-MR-11)")
    sp.add_argument("answer_kind", choices=("uphold", "overturn"))
    sp.add_argument("--answer", required=True)
    case_cmd("escalate", merit_step("escalate"), "after the answer deadline: send the appeal two levels up (R-MR-11, anyone)")
    case_cmd("finalize", merit_step("finalize"), "make a case final after its appeal window, or an escalated one after the second deadline (anyone)")
    case_cmd("show", merit_show, "a case, its decision and deadlines")
    sp = cmd(mp, "person", merit_person, "a person's merit and demerit ledgers (R-MR-1)")
    sp.add_argument("person")
    sp = cmd(mp, "offset", merit_offset, "ask to offset a procedural sanction with merit (R-MR-12)")
    sp.add_argument("entry", type=ID)
    sp = cmd(mp, "approve-offset", merit_step("approve-offset"), "upper committee: approve an offset (R-MR-12)")
    sp.add_argument("request", type=ID)
    cmd(mp, "service-levels", merit_service_levels, "R-MR-13 figures from chain data")

    sq = sub.add_parser("succession", help="the succession order (SPEC §5)").add_subparsers(dest="sub", required=True)
    cmd(sq, "show", succession_show, "the current order with merit totals")
    cmd(sq, "history", succession_history, "every change of the order, with its reason")
    sp = cmd(sq, "cycle", succession_step("cycle"), "open or close an assessment cycle (R-SU-5)")
    sp.add_argument("action", choices=("open", "close"))
    sp = cmd(sq, "enforce", succession_step("enforce"), "remove a blacklisted or over-threshold person here (R-MR-7, R-MR-9)")
    sp.add_argument("person")
    sp = cmd(sq, "join", succession_step("join"), "a newly seated office holder (team completion) joins the order (R-SU-1)")
    sp.add_argument("person")
    cmd(sq, "pass", succession_step("pass"), "overtaking pass after a final merit entry written by another jurisdiction's ledger (R-SU-3)")
