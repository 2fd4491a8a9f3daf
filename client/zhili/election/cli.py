"""``zhili election …``: run a real election step by step on a persistent chain.

Each command connects to ``--chain URL`` (a node that keeps its state between commands: a Besu
network, or an anvil you started yourself), signs with the key chosen by ``--from`` among
``ZHILI_PRIVATE_KEYS`` / ``ZHILI_KEYSTORE``, and refuses bad input with the rule ID before anything is
sent. Credentials are voter-held (docs/election.md, "Credentials"): the authority publishes its
issuer key (``issuer-key``); each voter's device makes a credential file and sends a request signed
with the voter's registered key (``request``); the authority answers with blind signatures
(``answer``); the device unblinds and registers the credential anonymously (``register``, through
any relayer). Ballots are made on the voter's side (``cast``) from that file and never name the
voter; anyone may ``relay`` and ``reveal`` them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from rich.table import Table

from ..cli.args import ID, UINT16, UINT32, BadInput, contract_at, file_hash, names_file, new_file, parse_address, read_lines, whole
from ..cli.common import Command, Context, command, hexstr, out, parse_person
from ..core.chain import Chain, ContractRevert
from ..core.files import write_atomic
from ..election.blind import BlindSignatureError
from ..election.client import ElectionClient, Electorate
from ..election.credentials import Issuer, SealedBallot, Wallet, seal

MAX_ROLL = 10_000  # voters per roll from one file (the scenario schema's bound, docs/bad-input.md)


def _election(chain: Chain, args: argparse.Namespace) -> ElectionClient:
    e = ElectionClient.at(chain, contract_at(chain, "Election", args.election, "--election"))
    e.names = names_file(getattr(args, "names", None), parse_person) or e.names
    return e


# ------------------------------------------------------------------ commands


def election_deploy(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    j = chain.contract("Jurisdiction", contract_at(chain, "Jurisdiction", args.jurisdiction, "--jurisdiction"))
    p = chain.contract("PersonRegistry", contract_at(chain, "PersonRegistry", args.persons, "--persons"))
    succ = contract_at(chain, "Succession", args.succession, "--succession") if args.succession else None
    e = ElectionClient.deploy(chain, j, p, args.term, admin=ctx.sender, succession=succ)
    res = {"election": e.contract.address, "ballot_box": e.box.address}
    ctx.emit(res, f"election at {res['election']}, ballot box {res['ballot_box']}")


def election_candidates(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    ids = [parse_person(x) for x in args.people]
    _election(chain, args).add_candidates(ids, ctx.sender)
    ctx.emit({"candidates": [hexstr(i) for i in ids]}, f"added {len(ids)} candidates")


def election_vet(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    try:
        failed = [int(d) for d in args.fail.split(",")] if args.fail else []
    except ValueError:
        raise BadInput(f"R-EL-1: --fail {args.fail!r}: expected dimension numbers such as 0,3") from None
    _election(chain, args).vet(parse_person(args.person), failed, file_hash(args.report, "--report"), ctx.sender)
    ctx.emit({"person": args.person, "failed": failed, "passed": not failed}, "vetted: " + ("failed dimensions " + args.fail if failed else "passed"))


def election_voters(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    ids = [parse_person(x) for x in read_lines(args.file, "voters file")]
    if len(ids) > MAX_ROLL:
        raise BadInput(f"R-EL-5: {args.file} lists {len(ids):,} voters; a roll from one file holds at most {MAX_ROLL:,}")
    if len(set(ids)) != len(ids):
        raise BadInput(f"R-EL-5: {args.file} lists a voter twice")
    _election(chain, args).register_voters(Electorate[args.electorate.upper()], ids, ctx.sender)
    ctx.emit({"electorate": args.electorate, "registered": len(ids)}, f"registered {len(ids)} {args.electorate} voters")


def election_step(step: str) -> Command:
    def run(ctx: Context) -> None:
        chain, args = ctx.chain, ctx.args
        e = _election(chain, args)
        sender = ctx.sender
        if step == "begin-stage1":
            e.begin_stage1(sender)
        elif step == "approve":
            e.approve_list(sender)
        elif step == "finalize":
            e.finalize(sender)
        elif step == "strike":
            e.strike(parse_person(args.person), file_hash(args.reason, "--reason"), sender)
        elif step == "pick":
            e.pick_administrator(parse_person(args.person), sender)
        elif step == "lapse-pick":
            e.lapse_pick(sender)
        ctx.emit({"step": step, "phase": e.phase.name.lower(), "pending_round": e.pending_round()}, f"{step}: done; phase {e.phase.name.lower()}" + _pending(e))

    return run


def _cst(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S CST")


def _pending(e: ElectionClient) -> str:
    r = e.pending_round()
    if r is None:
        return ""
    p = e.poll(r)
    if p.status != 1:
        return f"; poll {r} open"
    due = int(e.chain.call(e.box.functions.openDeadline(r)))  # R-EL-11: from then on the upper committee may open it
    return f"; poll {r} ({p.purpose.name.lower()}, {p.seats} places, {len(p.candidates)} candidates) waits to be opened (by the upper committee too from {_cst(due)})"


def election_issuer_key(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    e = _election(chain, args)
    if e.issuer_modulus():
        raise BadInput(f"R-EL-7: election {e.contract.address} already has its issuer key; it never changes")
    path = new_file(args.out, "--out")
    issuer = Issuer.generate()
    e.publish_issuer_key(issuer, ctx.sender)
    issuer.save(path)
    ctx.emit({"issuer_key": str(path), "modulus": "0x" + issuer.modulus.hex()}, f"issuer key published; its secret is in {path} (keep it offline)")


def election_request(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    e = _election(chain, args)
    path = new_file(args.out, "--out")
    acct = chain.account(ctx.sender)
    registry = chain.contract("PersonRegistry", chain.call(e.contract.functions.persons()))
    person = bytes(chain.call(registry.functions.personOf(acct.address)))
    if not any(person):
        raise BadInput(f"R-EL-7: the key {acct.address} is no registered person's key; --from must be the voter's own key")
    witness = parse_person(args.witness) if args.witness else b"\0" * 32
    wallet = e.new_wallet(Electorate[args.electorate.upper()])
    e.request_credentials([wallet.request(person, acct, witness)], ctx.sender)
    wallet.save(path)
    ctx.emit({"credential_file": str(path), "person": hexstr(person), "booth": bool(args.witness)}, f"credential requested; keep {path} on this device (it holds the credential key)")


def election_answer(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    e = _election(chain, args)
    try:
        issuer = Issuer.load(Path(args.key))
    except (OSError, ValueError, IndexError, TypeError) as exc:
        raise BadInput(f"R-EL-7: unreadable issuer key {args.key}: {exc}") from None
    if issuer.modulus != e.issuer_modulus():
        raise BadInput(f"R-EL-7: {args.key} is not the issuer key published for election {e.contract.address}")
    n = e.answer_requests(issuer, ctx.sender)
    ctx.emit({"answered": n}, f"answered {n} credential requests (blind signatures, checked on chain)")


def _wallet(path: str, chain: Chain) -> tuple[Wallet, ElectionClient]:
    try:
        w = Wallet.from_json(json.loads(Path(path).read_text()))
        election = parse_address(json.loads(Path(path).read_text())["election"], "election")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise BadInput(f"R-EL-7: unreadable credential {path}: {detail}") from None
    if w.chain_id != chain.chain_id:
        raise BadInput(f"R-EL-7: credential {path} was issued on chain {w.chain_id}; this node is chain {chain.chain_id}")
    e = ElectionClient.at(chain, contract_at(chain, "Election", election, f"R-EL-7: credential {path}: election"))
    if e.box.address != w.box:
        raise BadInput(f"R-EL-7: credential {path} names ballot box {w.box}, but the election's is {e.box.address}")
    return w, e


def election_register(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    w, e = _wallet(args.credential, chain)
    if chain.call(e.box.functions.credentialElectorate(w.address)):
        raise BadInput(f"R-EL-7: credential {w.address} is registered already; nothing sent")
    if w.signature is None:
        sig = e.answer_for(w)
        if sig is None:
            raise BadInput(f"R-EL-7: no blind signature on chain yet for the request of {args.credential}; ask the election authority to answer")
        try:
            w = w.finalize(sig)
        except BlindSignatureError as exc:
            raise BadInput(f"R-EL-7: {exc}") from None
        write_atomic(Path(args.credential), json.dumps(w.as_json(), indent=1), private=True, replace=True)
    e.register_credentials([w], ctx.sender)
    ctx.emit({"credential": w.address, "electorate": Electorate(w.electorate).name.lower()}, f"credential {w.address} registered (anonymously)")


def election_open(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    e = _election(chain, args)
    if args.round is not None:  # a round scheduled in the election's box by another contract (a congress confirmation)
        r = e.open_round(args.round, ctx.sender, closes_in=args.closes_in, reveal_window=args.reveal_window)
    else:
        r = e.open_poll(ctx.sender, closes_in=args.closes_in, reveal_window=args.reveal_window)
    ctx.emit({"round": r}, f"poll {r} open; voters cast with their registered credentials")


def election_cast(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    out_path = new_file(args.out, "--out")
    wallet, e = _wallet(args.credential, chain)
    if wallet.signature is None:
        raise BadInput(f"R-EL-7: credential {args.credential} is not registered yet (zhili election register)")
    r = e.pending_round() if args.round is None else args.round
    if r is None:
        raise BadInput("R-EL-6: no poll is open")
    names = [parse_person(n) for n in args.names.split(",")] if args.names else []
    ballot = seal(wallet, r, e.mark(r, names))
    write_atomic(out_path, json.dumps(ballot.as_json(), indent=1), private=True)
    out.print(f"sealed ballot written to {args.out}; keep it: its opening is needed to count it")


def _ballots(paths: list[str], e: ElectionClient) -> list[SealedBallot]:
    ballots = []
    for p in paths:
        try:
            ballots.append(SealedBallot.from_json(json.loads(Path(p).read_text())))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise BadInput(f"R-EL-7: unreadable ballot file {p}: {detail}") from None
    rounds = {b.round for b in ballots}
    if len(rounds) > 1:
        raise BadInput(f"R-EL-7: the ballots belong to different polls {sorted(rounds)}; give one poll's ballots at a time")
    if ballots:
        issued = int(e.chain.call(e.box.functions.getRound(ballots[0].round))[3])
        if len(ballots) > issued:
            raise BadInput(f"R-EL-5: {len(ballots):,} ballots for poll {ballots[0].round}, whose roll holds {issued:,} voters")
    return ballots


def election_relay(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    e = _election(chain, args)
    ballots = _ballots(args.ballots, e)
    done = {(i, c) for entries in e.committed(ballots[0].round).values() for i, c in entries}
    replayed = [b for b in ballots if (b.credential, b.commitment) in done]
    if replayed and len(replayed) == len(ballots):  # a resumed relay that is already complete, or a replay
        idx = ", ".join(b.credential for b in replayed[:10])
        raise BadInput(f"R-EL-7: poll {ballots[0].round} already holds these ballots (credential {idx}); nothing sent")
    try:
        batches = e.relay(ballots, ctx.sender, batch_size=args.batch)
    except ContractRevert as exc:
        if exc.error.startswith("ECDSA"):  # OpenZeppelin's signature check: the library error names no rule
            raise BadInput(f"R-EL-7: a ballot's signature does not verify ({exc}): forged or altered; nothing sent") from None
        raise
    skipped = f" ({len(replayed)} already on chain, skipped)" if replayed else ""
    ctx.emit(
        {"round": ballots[0].round, "relayed": len(ballots) - len(replayed), "skipped": len(replayed), "batches": batches}, f"relayed {len(ballots) - len(replayed)} ballots in batches {batches}{skipped}"
    )


def election_reveal(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    e = _election(chain, args)
    ballots = _ballots(args.ballots, e)
    e.reveal(ballots, ctx.sender)
    ctx.emit({"opened": len(ballots)}, f"opened {len(ballots)} ballots")


def election_show(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    e = _election(chain, args)
    res = e.results()
    if ctx.json:
        ctx.emit(res)
        return
    out.print(f"election {e.contract.address}: phase [bold]{res['phase']}[/bold]{_pending(e)}")
    for stage, title in (("stage1", "Stage 1, party pre-selection (R-EL-2)"), ("stage2", "Stage 2, congress vote (R-EL-4)")):
        t = Table(title=title)
        t.add_column("rank", justify="right")
        t.add_column("candidate")
        t.add_column("votes", justify="right")
        chosen = set(res[stage]["advanced" if stage == "stage1" else "elected"])
        for i, row in enumerate(res[stage]["ranking"], 1):
            t.add_row(str(i), row["id"] + (" ✓" if row["id"] in chosen else ""), str(row["votes"]))
        out.print(t)
    for r in res["runoffs"]:
        out.print(f"runoff {r['round']} ({r['purpose']}, {r['seats']} places): " + ", ".join(f"{c} {v}" for c, v in zip(r["candidates"], r["votes"] or [])))
    t = Table(title="Offices (R-EL-8 … R-EL-11)")
    t.add_column("office")
    t.add_column("holder")
    for k, v in res["offices"].items():
        t.add_row(k, v or "[dim]undecided[/dim]")
    out.print(t)


# ------------------------------------------------------------------ parser


def add_commands(sub: Any) -> None:
    def cmd(parent: Any, name: str, fn: Command, help: str, election: bool = True) -> argparse.ArgumentParser:
        return command(parent, name, fn, help, contract=("--election", "election contract address") if election else None, names=election)

    el = sub.add_parser("election", help="run an election step by step").add_subparsers(dest="sub", required=True)
    sp = cmd(el, "deploy", election_deploy, "deploy an election for a jurisdiction", election=False)
    sp.add_argument("--jurisdiction", required=True)
    sp.add_argument("--persons", required=True)
    sp.add_argument("--term", type=whole(1, UINT16), required=True)
    sp.add_argument("--succession", default=None, help="the jurisdiction's Succession: the election sets its order at completion (R-SU-1)")
    sp = cmd(el, "candidates", election_candidates, "add candidates (R-EL-1)")
    sp.add_argument("people", nargs="+")
    sp = cmd(el, "vet", election_vet, "record a vetting result (R-EL-1)")
    sp.add_argument("person")
    sp.add_argument("--fail", default="", help="failed dimensions, e.g. 0,3 (none: passed)")
    sp.add_argument("--report", required=True, help="the vetting report (its hash is anchored)")
    sp = cmd(el, "voters", election_voters, "register party delegates or congress deputies from a file (R-EL-5)")
    sp.add_argument("--electorate", choices=("party", "congress"), required=True)
    sp.add_argument("file", help="one voter identity per line")
    cmd(el, "begin-stage1", election_step("begin-stage1"), "start stage 1 (R-EL-2)")
    sp = cmd(el, "strike", election_step("strike"), "upper committee strikes a finalist (R-EL-3)")
    sp.add_argument("person")
    sp.add_argument("--reason", required=True, help="the written reason (its hash is anchored)")
    cmd(el, "approve", election_step("approve"), "upper committee approves the list (R-EL-3)")
    sp = cmd(el, "issuer-key", election_issuer_key, "authority: make and publish the election's blind-signing key (R-EL-7)")
    sp.add_argument("--out", required=True, help="file for the issuer's secret key (keep it offline)")
    sp = cmd(el, "request", election_request, "voter: make a credential on this device and request its blind signature (R-EL-7)")
    sp.add_argument("--electorate", choices=("party", "congress"), required=True)
    sp.add_argument("--out", required=True, help="the credential file (stays on the voter's device)")
    sp.add_argument("--witness", default=None, help="booth issuance (paper-ballot fallback): the witnessing person")
    sp = cmd(el, "answer", election_answer, "authority: blind-sign every pending credential request (R-EL-7)")
    sp.add_argument("--key", required=True, help="the issuer's secret key file (from issuer-key)")
    sp = cmd(el, "register", election_register, "voter: unblind the answer and register the credential anonymously (any --from relays)", election=False)
    sp.add_argument("--credential", required=True, help="the credential file made by request")
    sp = cmd(el, "open", election_open, "authority (the upper committee once overdue, R-EL-11): open the pending poll for ballots (R-EL-7)")
    sp.add_argument("--closes-in", type=whole(1, UINT32), default=None, help="seconds until casting closes (default: an hour or the profile's minimum; the contract checks the profile's bounds)")
    sp.add_argument("--reveal-window", type=whole(1, UINT32), default=None, help="seconds for opening ballots after the close (default: an hour or the profile's minimum)")
    sp.add_argument("--round", type=ID, default=None, help="open this round instead of the pending poll (a congress confirmation, zhili team confirm)")
    sp = command(el, "cast", election_cast, "voter: seal and sign a ballot with a registered credential (sends nothing)", sender=False, json=False)
    sp.add_argument("--credential", required=True, help="the credential file (request, register)")
    sp.add_argument("--names", default="", help="comma-separated persons named (0 to 10 in stage 1, R-EL-2; one or none in a confirmation)")
    sp.add_argument("--round", type=ID, default=None, help="the round to vote in (default: the election's pending poll; a congress confirmation's round)")
    sp.add_argument("--out", required=True)
    sp = cmd(el, "relay", election_relay, "commit sealed ballots in batches (anyone may relay)")
    sp.add_argument("ballots", nargs="+")
    sp.add_argument("--batch", type=whole(1, 512), default=100, help="ballots per transaction (1..512, the ballot box's MAX_BATCH)")
    sp = cmd(el, "reveal", election_reveal, "open sealed ballots after the poll closes")
    sp.add_argument("ballots", nargs="+")
    cmd(el, "finalize", election_step("finalize"), "tally the poll and move the election on (R-EL-6)")
    sp = cmd(el, "pick", election_step("pick"), "secretary-elect picks the administrator (R-EL-10)")
    sp.add_argument("person")
    cmd(el, "lapse-pick", election_step("lapse-pick"), "after the pick deadline: the administrator follows from the ranking (R-EL-10)")
    cmd(el, "show", election_show, "rankings with counts, runoffs and offices")
