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

``zhili cppcc …``: the county CPPCC's vote on its recommended chair (R-EL-12) in a
``CppccConfirmation``'s own ballot box: deploy the session, register its members, ``recommend`` the
completed election's consultative member, then the same credential and ballot steps
(:func:`ballot_commands`, one code path for both boxes), ``open``, ``cast --vote for|against``,
``settle``, ``show``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address
from rich.table import Table
from web3.contract import Contract

from ..admin.client import Grant, when
from ..cli.args import ID, UINT16, UINT32, BadInput, contract_at, file_hash, names_file, new_file, parse_address, read_json, read_lines, whole
from ..cli.common import Command, Context, command, hexstr, jurisdiction_contracts, jurisdiction_options, out, parse_person
from ..core.chain import Chain, ContractRevert
from ..core.files import write_atomic
from ..election.blind import BlindSignatureError
from ..election.client import BallotBoxClient, ElectionClient, Electorate
from ..election.cppcc import MEMBERS, CppccClient, CppccStatus
from ..election.credentials import Issuer, SealedBallot, Wallet, positions_of
from ..election.scrutiny import Deal, EncryptedBallot, Scrutineer, ScrutinyClient, decrypt_ballot, valid_mask

MAX_ROLL = 10_000  # voters per roll from one file (the scenario schema's bound, docs/bad-input.md)


@dataclass(frozen=True)
class BoxOwner:
    """The contract that owns a ballot box, as the credential and ballot commands name it: an
    ``Election`` (``zhili election``) or a ``CppccConfirmation`` (``zhili cppcc``). The steps are the
    same for both (:class:`~zhili.election.client.BallotBoxClient`); only the contract differs."""

    noun: str  #: in messages: "election", "CPPCC session"
    flag: str  #: its address option: "--election", "--cppcc"
    artifact: str  #: the shipped artifact its code is checked against
    at: Callable[[Chain, str], BallotBoxClient]  #: the client on an address
    command: str  #: "zhili election", "zhili cppcc"

    def client(self, chain: Chain, args: argparse.Namespace) -> BallotBoxClient:
        return self.at(chain, contract_at(chain, self.artifact, getattr(args, self.flag[2:]), self.flag))


ELECTION = BoxOwner("election", "--election", "Election", ElectionClient.at, "zhili election")
CPPCC = BoxOwner("CPPCC session", "--cppcc", "CppccConfirmation", CppccClient.at, "zhili cppcc")


def _election(chain: Chain, args: argparse.Namespace) -> ElectionClient:
    e = ElectionClient.at(chain, contract_at(chain, "Election", args.election, "--election"))
    e.names = names_file(getattr(args, "names", None), parse_person) or e.names
    return e


# ------------------------------------------------------------------ commands


def election_deploy(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    j, p = jurisdiction_contracts(chain, args)
    succ = contract_at(chain, "Succession", args.succession, "--succession") if args.succession else None
    scr = contract_at(chain, "Scrutiny", args.scrutiny, "--scrutiny") if args.scrutiny else None
    e = ElectionClient.deploy(chain, j, p, args.term, admin=ctx.sender, succession=succ, scrutiny=scr)
    res = {"election": e.contract.address, "ballot_box": e.box.address, "scrutiny": scr, **_grants_json(e.grants)}
    sealed = f"; every round sealed to the scrutineers of {scr}" if scr else ""

    def text() -> None:
        out.print(f"election at {res['election']}, ballot box {res['ballot_box']}{sealed}")
        _print_grants(e.grants, "the election can seat nobody")

    ctx.emit(res, text)


def _grants_json(grants: list[Grant]) -> dict[str, Any]:
    """A deployed contract's role grants (``zhili.admin.grant_roles``): usable at once, or after the timelock's delay."""
    waiting = [g for g in grants if g.state != "granted"]
    ready = max((g.operation.ready_at for g in waiting if g.operation), default=None)
    return {"grants": [g.as_json() for g in grants], "usable": not waiting, "usable_after": ready if all(g.operation for g in waiting) else None}


def _print_grants(grants: list[Grant], until: str) -> None:
    waiting = [g for g in grants if g.state != "granted"]
    for g in waiting:
        if g.operation:
            out.print(f"  {g.role} on {g.contract}: scheduled through the admin timelock as 0x{g.operation.id.hex()}, ready at {when(g.operation.ready_at)}")
        else:
            out.print(f"  {g.role} on {g.contract}: an admin timelock administers it and this key cannot propose there; the proposing body runs:\n    {g.command} --from <body A>")
    if waiting:
        ready = _grants_json(grants)["usable_after"]
        then = f" (after {when(ready)})" if ready else ""
        out.print(f"[yellow]{until} until the grants are executed{then}[/yellow]: zhili admin execute <ID> --timelock {waiting[0].timelock} --from <body B>")


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
    sealed = ""
    scrutiny = e.scrutiny_address()
    if scrutiny is not None and not e.chain.call(e.scrutiny().contract.functions.keyFixed(e.box.address, r)):
        sealed = f"; sealed (R-EL-13): its scrutineers fix the poll key first (zhili scrutiny panel --box {e.box.address} --round {r} …)"
    return f"; poll {r} ({p.purpose.name.lower()}, {p.seats} places, {len(p.candidates)} candidates) waits to be opened (by the upper committee too from {_cst(due)}){sealed}"


# ------------------------------------------------------------------ credentials and ballots (any ballot box)


def box_issuer_key(owner: BoxOwner) -> Command:
    """Authority: make the box's blind-signing key, publish its modulus, keep the secret in ``--out``."""

    def run(ctx: Context) -> None:
        b = owner.client(ctx.chain, ctx.args)
        if b.issuer_modulus():
            raise BadInput(f"R-EL-7: {owner.noun} {b.contract.address} already has its issuer key; it never changes")
        path = new_file(ctx.args.out, "--out")
        issuer = Issuer.generate()
        b.publish_issuer_key(issuer, ctx.sender)
        issuer.save(path)
        ctx.emit({"issuer_key": str(path), "modulus": "0x" + issuer.modulus.hex()}, f"issuer key published; its secret is in {path} (keep it offline)")

    return run


def box_request(owner: BoxOwner) -> Command:
    """Voter: a credential made on this device, its blind request signed with the voter's own key."""

    def run(ctx: Context) -> None:
        chain, args = ctx.chain, ctx.args
        b = owner.client(chain, args)
        path = new_file(args.out, "--out")
        acct = chain.account(ctx.sender)
        registry = chain.contract("PersonRegistry", chain.call(b.contract.functions.persons()))
        person = bytes(chain.call(registry.functions.personOf(acct.address)))
        if not any(person):
            raise BadInput(f"R-EL-7: the key {acct.address} is no registered person's key; --from must be the voter's own key")
        witness = parse_person(args.witness) if args.witness else b"\0" * 32
        electorate = Electorate[args.electorate.upper()] if getattr(args, "electorate", None) else MEMBERS
        wallet = b.new_wallet(electorate)
        b.request_credentials([wallet.request(person, acct, witness)], ctx.sender)
        wallet.save(path)
        ctx.emit({"credential_file": str(path), "person": hexstr(person), "booth": bool(args.witness)}, f"credential requested; keep {path} on this device (it holds the credential key)")

    return run


def box_answer(owner: BoxOwner) -> Command:
    """Authority: blind-sign every pending request with the issuer key file."""

    def run(ctx: Context) -> None:
        args = ctx.args
        b = owner.client(ctx.chain, args)
        try:
            issuer = Issuer.load(Path(args.key))
        except (OSError, ValueError, IndexError, TypeError) as exc:
            raise BadInput(f"R-EL-7: unreadable issuer key {args.key}: {exc}") from None
        if issuer.modulus != b.issuer_modulus():
            raise BadInput(f"R-EL-7: {args.key} is not the issuer key published for {owner.noun} {b.contract.address}")
        n = b.answer_requests(issuer, ctx.sender)
        ctx.emit({"answered": n}, f"answered {n} credential requests (blind signatures, checked on chain)")

    return run


def _wallet(path: str, chain: Chain, owner: BoxOwner = ELECTION) -> tuple[Wallet, BallotBoxClient]:
    """A credential file and the client of the box it was made for (its ``election`` field names the
    box's owner: an election, or a CPPCC session)."""
    try:
        w = Wallet.from_json(json.loads(Path(path).read_text()))
        addr = parse_address(json.loads(Path(path).read_text())["election"], "election")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise BadInput(f"R-EL-7: unreadable credential {path}: {detail}") from None
    if w.chain_id != chain.chain_id:
        raise BadInput(f"R-EL-7: credential {path} was issued on chain {w.chain_id}; this node is chain {chain.chain_id}")
    b = owner.at(chain, contract_at(chain, owner.artifact, addr, f"R-EL-7: credential {path}: {owner.flag[2:]}"))
    if b.box.address != w.box:
        raise BadInput(f"R-EL-7: credential {path} names ballot box {w.box}, but the {owner.noun}'s is {b.box.address}")
    return w, b


def box_register(owner: BoxOwner) -> Command:
    """Voter's device: unblind the answer found on chain and register the credential (any ``--from`` relays)."""

    def run(ctx: Context) -> None:
        chain, args = ctx.chain, ctx.args
        w, b = _wallet(args.credential, chain, owner)
        if chain.call(b.box.functions.credentialElectorate(w.address)):
            raise BadInput(f"R-EL-7: credential {w.address} is registered already; nothing sent")
        if w.signature is None:
            sig = b.answer_for(w)
            if sig is None:
                raise BadInput(f"R-EL-7: no blind signature on chain yet for the request of {args.credential}; ask the election authority to answer")
            try:
                w = w.finalize(sig)
            except BlindSignatureError as exc:
                raise BadInput(f"R-EL-7: {exc}") from None
            write_atomic(Path(args.credential), json.dumps(w.as_json(), indent=1), private=True, replace=True)
        b.register_credentials([w], ctx.sender)
        ctx.emit({"credential": w.address, "electorate": Electorate(w.electorate).name.lower() if owner is ELECTION else "members"}, f"credential {w.address} registered (anonymously)")

    return run


def box_cast(owner: BoxOwner, round_and_mask: Callable[[BallotBoxClient, argparse.Namespace], tuple[int, int]]) -> Command:
    """Voter's device: seal and sign a ballot with a registered credential and write it to ``--out``;
    nothing is sent. ``round_and_mask`` reads the poll and the names from the arguments."""

    def run(ctx: Context) -> None:
        chain, args = ctx.chain, ctx.args
        out_path = new_file(args.out, "--out")
        wallet, b = _wallet(args.credential, chain, owner)
        if wallet.signature is None:
            raise BadInput(f"R-EL-7: credential {args.credential} is not registered yet ({owner.command} register)")
        r, mask = round_and_mask(b, args)
        ballot = b.seal_ballot(wallet, r, mask)  # a sealed box: encrypted to the poll key (R-EL-13)
        write_atomic(out_path, json.dumps(ballot.as_json(), indent=1), private=True)
        if isinstance(ballot, EncryptedBallot):
            out.print(f"ballot encrypted to the scrutineers' poll key, written to {args.out}; hand it to any relayer (it holds no opening)")
        else:
            out.print(f"sealed ballot written to {args.out}; keep it: its opening is needed to count it")

    return run


def _ballots(paths: list[str], e: BallotBoxClient) -> list[SealedBallot | EncryptedBallot]:
    ballots: list[SealedBallot | EncryptedBallot] = []
    for p in paths:
        try:
            data = json.loads(Path(p).read_text())
            ballots.append(EncryptedBallot.from_json(data) if isinstance(data, dict) and "rx" in data else SealedBallot.from_json(data))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise BadInput(f"R-EL-7: unreadable ballot file {p}: {detail}") from None
    rounds = {b.round for b in ballots}
    if len(rounds) > 1:
        raise BadInput(f"R-EL-7: the ballots belong to different polls {sorted(rounds)}; give one poll's ballots at a time")
    if len({type(b) for b in ballots}) > 1:
        raise BadInput("R-EL-13: the files mix ballots encrypted to the scrutineers with commit-reveal ballots; give one kind at a time")
    if ballots:
        issued = int(e.chain.call(e.box.functions.getRound(ballots[0].round))[3])
        if len(ballots) > issued:
            raise BadInput(f"R-EL-5: {len(ballots):,} ballots for poll {ballots[0].round}, whose roll holds {issued:,} voters")
    return ballots


def box_relay(owner: BoxOwner) -> Command:
    """Anyone: commit sealed ballots in batches (what is on chain already is left out)."""

    def run(ctx: Context) -> None:
        args = ctx.args
        e = owner.client(ctx.chain, args)
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
            {"round": ballots[0].round, "relayed": len(ballots) - len(replayed), "skipped": len(replayed), "batches": batches},
            f"relayed {len(ballots) - len(replayed)} ballots in batches {batches}{skipped}",
        )

    return run


def box_reveal(owner: BoxOwner) -> Command:
    """Anyone holding the ballot files: open them after the poll closes."""

    def run(ctx: Context) -> None:
        e = owner.client(ctx.chain, ctx.args)
        ballots = _ballots(ctx.args.ballots, e)
        e.reveal(ballots, ctx.sender)
        ctx.emit({"opened": len(ballots)}, f"opened {len(ballots)} ballots")

    return run


def window_options(sp: argparse.ArgumentParser) -> None:
    """``--closes-in`` and ``--reveal-window`` of an ``open`` command (:meth:`BallotBoxClient.open_round`)."""
    sp.add_argument("--closes-in", type=whole(1, UINT32), default=None, help="seconds until casting closes (default: an hour or the profile's minimum; the contract checks the profile's bounds)")
    sp.add_argument("--reveal-window", type=whole(1, UINT32), default=None, help="seconds for opening ballots after the close (default: an hour or the profile's minimum)")


def ballot_commands(parent: Any, owner: BoxOwner, cmd: Callable[..., argparse.ArgumentParser]) -> dict[str, argparse.ArgumentParser]:
    """The issuance and ballot commands every ballot box offers (issuer-key, request, answer, register,
    relay, reveal), added to ``parent`` with ``cmd``; returns their parsers by name."""
    sps = {}
    sp = sps["issuer-key"] = cmd(parent, "issuer-key", box_issuer_key(owner), f"authority: make and publish the {owner.noun}'s blind-signing key (R-EL-7)")
    sp.add_argument("--out", required=True, help="file for the issuer's secret key (keep it offline)")
    sp = sps["request"] = cmd(parent, "request", box_request(owner), "voter: make a credential on this device and request its blind signature (R-EL-7)")
    sp.add_argument("--out", required=True, help="the credential file (stays on the voter's device)")
    sp.add_argument("--witness", default=None, help="booth issuance (paper-ballot fallback): the witnessing person")
    sp = sps["answer"] = cmd(parent, "answer", box_answer(owner), "authority: blind-sign every pending credential request (R-EL-7)")
    sp.add_argument("--key", required=True, help="the issuer's secret key file (from issuer-key)")
    sp = sps["register"] = cmd(parent, "register", box_register(owner), "voter: unblind the answer and register the credential anonymously (any --from relays)", False)
    sp.add_argument("--credential", required=True, help="the credential file made by request")
    sp = sps["relay"] = cmd(parent, "relay", box_relay(owner), "commit sealed ballots in batches (anyone may relay)")
    sp.add_argument("ballots", nargs="+")
    sp.add_argument("--batch", type=whole(1, 512), default=100, help="ballots per transaction (1..512, the ballot box's MAX_BATCH)")
    sp = sps["reveal"] = cmd(parent, "reveal", box_reveal(owner), "open sealed ballots after the poll closes")
    sp.add_argument("ballots", nargs="+")
    return sps


# ------------------------------------------------------------------ the election's polls


def election_open(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    e = _election(chain, args)
    if args.round is not None:  # a round scheduled in the election's box by another contract (a congress confirmation)
        r = e.open_round(args.round, ctx.sender, closes_in=args.closes_in, reveal_window=args.reveal_window)
    else:
        r = e.open_poll(ctx.sender, closes_in=args.closes_in, reveal_window=args.reveal_window)
    ctx.emit({"round": r}, f"poll {r} open; voters cast with their registered credentials")


def _election_ballot(b: BallotBoxClient, args: argparse.Namespace) -> tuple[int, int]:
    assert isinstance(b, ElectionClient)
    r = b.pending_round() if args.round is None else args.round
    if r is None:
        raise BadInput("R-EL-6: no poll is open")
    names = [parse_person(n) for n in args.names.split(",")] if args.names else []
    return r, b.mark(r, names)


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


# ------------------------------------------------------------------ the county CPPCC's vote (zhili cppcc …, R-EL-12)


def _cppcc(chain: Chain, args: argparse.Namespace) -> CppccClient:
    return CppccClient.at(chain, contract_at(chain, "CppccConfirmation", args.cppcc, "--cppcc"))


def _member_names(args: argparse.Namespace) -> dict[bytes, str]:
    return names_file(getattr(args, "names", None), parse_person)


def _who(pid: bytes, names: dict[bytes, str]) -> str:
    return names.get(pid, hexstr(pid))


def _scheduled_round(c: CppccClient) -> int:
    p = c.poll()
    if p["status"] == CppccStatus.NONE:
        raise BadInput(f"R-EL-12: CPPCC session {c.contract.address} has no recommendation yet (zhili cppcc recommend)")
    return int(p["round"])


def cppcc_deploy(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    j, p = jurisdiction_contracts(chain, args)
    c = CppccClient.deploy(chain, j, p, args.term, admin=ctx.sender)
    res = {"cppcc": c.contract.address, "ballot_box": c.box.address, "term": args.term, **_grants_json(c.grants)}

    def text() -> None:
        out.print(f"CPPCC session of term {args.term} at {res['cppcc']}, ballot box {res['ballot_box']}; it may vacate the consultative office after a rejection")
        _print_grants(c.grants, "it can vacate nothing")

    ctx.emit(res, text)


def cppcc_members(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    ids = [parse_person(x) for x in read_lines(args.file, "members file")]
    if len(ids) > MAX_ROLL:
        raise BadInput(f"R-EL-12: {args.file} lists {len(ids):,} members; a roll from one file holds at most {MAX_ROLL:,}")
    if len(set(ids)) != len(ids):
        raise BadInput(f"R-EL-12: {args.file} lists a member twice")
    c = _cppcc(chain, args)
    c.register_members(ids, ctx.sender)
    size, _ = c.roll()
    ctx.emit({"registered": len(ids), "roll": size}, f"registered {len(ids)} CPPCC members; the roll holds {size}")


def cppcc_recommend(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _cppcc(chain, args)
    election = contract_at(chain, "Election", args.election, "--election")
    round = c.recommend(election, ctx.sender)
    p = c.poll()
    names = _member_names(args)
    ctx.emit(
        {"round": round, "candidate": hexstr(p["candidate"]), "election": election, "roll": c.roll()[0]},
        f"{_who(p['candidate'], names)} recommended as sole candidate for CPPCC chair (round {round}); open it: zhili cppcc open --cppcc {c.contract.address}",
    )


def cppcc_open(ctx: Context) -> None:
    c = _cppcc(ctx.chain, ctx.args)
    r = c.open_round(_scheduled_round(c), ctx.sender, closes_in=ctx.args.closes_in, reveal_window=ctx.args.reveal_window)
    closes, deadline = (int(v) for v in ctx.chain.call(c.box.functions.getRound(r))[6:8])
    ctx.emit({"round": r, "closes_at": closes, "reveal_deadline": deadline}, f"poll {r} open until {_cst(closes)}; members cast with their registered credentials (zhili cppcc cast)")


def _cppcc_ballot(b: BallotBoxClient, args: argparse.Namespace) -> tuple[int, int]:
    assert isinstance(b, CppccClient)
    r = _scheduled_round(b)
    return r, b.mark(r, args.vote == "for")


def _outcome_json(o: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if o is None else {**o, "candidate": hexstr(o["candidate"])}


def _outcome_text(o: dict[str, Any], names: dict[bytes, str]) -> str:
    verdict = "confirmed" if o["confirmed"] else "rejected" + ("; the consultative office is vacant (R-TC-3 fills it)" if o["vacated"] else "")
    return f"{_who(o['candidate'], names)}: {o['votes']} for of {o['registered']} registered members ({o['cast']} cast; more than half needed): {verdict}"


def cppcc_settle(ctx: Context) -> None:
    c = _cppcc(ctx.chain, ctx.args)
    _scheduled_round(c)
    o = c.settle(ctx.sender)
    ctx.emit(_outcome_json(o), _outcome_text(o, _member_names(ctx.args)))


def cppcc_show(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _cppcc(chain, args)
    p = c.poll()
    size, frozen = c.roll()
    issued, registered, _ = c.credential_counts(MEMBERS)
    scheduled = p["status"] != CppccStatus.NONE
    r = chain.call(c.box.functions.getRound(p["round"])) if scheduled else None
    res = {
        "cppcc": c.contract.address,
        "ballot_box": c.box.address,
        "term": int(chain.call(c.contract.functions.term())),
        "status": p["status"].name.lower(),
        "roll": size,
        "frozen": frozen,
        "credentials": {"issued": issued, "registered": registered},
        "election": p["election"] if scheduled else None,
        "candidate": hexstr(p["candidate"]) if scheduled else None,
        "round": p["round"] if scheduled else None,
        "poll": None if r is None else {"status": ["none", "created", "open", "final", "void"][int(r[0])], "cast": int(r[4]), "counted": int(r[5]), "closes_at": int(r[6]), "reveal_deadline": int(r[7])},
        "outcome": _outcome_json(c.outcome()),
    }
    if ctx.json:
        ctx.emit(res)
        return
    names = _member_names(args)
    roll = f"roll {size} members ({'frozen' if frozen else 'open'}), {registered} credentials registered of {issued} issued"
    out.print(f"CPPCC session {c.contract.address} (term {res['term']}): [bold]{res['status']}[/bold]; {roll}")
    if scheduled and res["poll"] is not None:
        poll = res["poll"]
        out.print(f"candidate {_who(p['candidate'], names)} from election {p['election']}; round {p['round']} {poll['status']}: {poll['cast']} cast, {poll['counted']} counted")
        if poll["status"] == "created":
            out.print(f"waits to be opened (by the upper committee too from {_cst(int(chain.call(c.box.functions.openDeadline(p['round']))))})")
        elif poll["status"] == "open":
            out.print(f"casting closes {_cst(poll['closes_at'])}, reveals until {_cst(poll['reveal_deadline'])}")
    o = c.outcome()
    if o is not None:
        out.print(_outcome_text(o, names))


def add_cppcc_commands(sub: Any) -> None:
    """``zhili cppcc …``: the county CPPCC's vote on its recommended chair (R-EL-12), step by step: the same
    credential and ballot steps as ``zhili election`` (:func:`ballot_commands`) in the session's own box."""
    cp = sub.add_parser("cppcc", help="the county CPPCC's vote on the recommended chair (R-EL-12)").add_subparsers(dest="sub", required=True)

    def cmd(parent: Any, name: str, fn: Command, help: str, cppcc: bool = True) -> argparse.ArgumentParser:
        return command(parent, name, fn, help, contract=("--cppcc", "CppccConfirmation contract address") if cppcc else None, names=cppcc)

    sp = cmd(cp, "deploy", cppcc_deploy, "deploy the CPPCC session of a county election term (grants it OFFICE_WRITER to vacate after a rejection)", False)
    jurisdiction_options(sp, about="the county jurisdiction")
    sp.add_argument("--term", type=whole(1, UINT16), required=True, help="the election term whose consultative member the session votes on")
    sp = cmd(cp, "members", cppcc_members, "authority: register CPPCC members from a file, until the recommendation (R-EL-12)")
    sp.add_argument("file", help="one member identity per line")
    sp = cmd(cp, "recommend", cppcc_recommend, "authority (or upper committee): recommend the completed election's consultative member; schedules the poll (R-EL-12)")
    sp.add_argument("--election", required=True, help="the county's completed election of the session's term")
    ballot_commands(cp, CPPCC, cmd)
    sp = cmd(cp, "open", cppcc_open, "authority (the upper committee once overdue, R-EL-11): open the poll for ballots (R-EL-7)")
    window_options(sp)
    sp = command(cp, "cast", box_cast(CPPCC, _cppcc_ballot), "member: seal and sign a ballot with a registered credential (sends nothing)", sender=False, json=False)
    sp.add_argument("--credential", required=True, help="the credential file (request, register)")
    sp.add_argument("--vote", required=True, choices=("for", "against"), help="for the candidate, or against (a ballot that names nobody)")
    sp.add_argument("--out", required=True)
    cmd(cp, "settle", cppcc_settle, "anyone, after the reveal: count the poll; a rejection vacates the consultative office (R-EL-12)")
    cmd(cp, "show", cppcc_show, "the session: roll, credentials, candidate, poll and outcome")


# ------------------------------------------------------------------ scrutiny (R-EL-13)

PHASES = ("none", "dealing", "keyed", "failed", "opened")
DEVICE_KIND = "zhili scrutineer device"


def _sealed_box(chain: Chain, args: argparse.Namespace) -> tuple[Contract, ScrutinyClient]:
    """``--box``: a ballot box that seals its rounds, and the client of its ``Scrutiny``."""
    box = chain.contract("BallotBox", contract_at(chain, "BallotBox", args.box, "--box"))
    a = str(chain.call(box.functions.scrutiny()))
    if int(a, 16) == 0:
        raise BadInput(f"R-EL-13: ballot box {box.address} has no scrutineers: its rounds are commit-reveal (zhili election reveal)")
    return box, ScrutinyClient.at(chain, to_checksum_address(a))


def _panel(s: ScrutinyClient, box: Contract, round: int, *, need: str | None = None) -> dict[str, Any]:
    p = s.panel(box.address, round)
    p["phase"] = PHASES[int(p["phase"])]
    if need is not None and p["phase"] != need:
        raise BadInput(f"R-EL-13: round {round} of box {box.address} is in phase {p['phase']!r}; this step needs {need!r}")
    return p


def _check_key(chain: Chain, s: ScrutinyClient, person: bytes, sender: Any) -> Any:
    """The signing key ``--from``: the person's registered key (the contract checks it too, NotMember)."""
    acct = chain.account(sender)
    registry = chain.contract("PersonRegistry", chain.call(s.contract.functions.persons()))
    if str(chain.call(registry.functions.keyOf(person))).lower() != acct.address.lower():
        raise BadInput(f"R-EL-13: --from {acct.address} is not the registered key of person {hexstr(person)}; a scrutineer acts with its own key")
    return acct


def _load_device(path: str, chain: Chain, s: ScrutinyClient, sender: Any) -> Scrutineer:
    def parse(d: Any) -> tuple[Any, ...]:
        if d.get("kind") != DEVICE_KIND:
            raise ValueError(f"kind is {d.get('kind')!r}, not {DEVICE_KIND!r}")
        return int(d["chain_id"]), parse_address(d["scrutiny"], "scrutiny"), d

    chain_id, scrutiny, data = read_json(path, "R-EL-13: --device", parse)
    if chain_id != chain.chain_id:
        raise BadInput(f"R-EL-13: device {path} belongs to chain {chain_id}; this node is chain {chain.chain_id}")
    if scrutiny != s.contract.address:
        raise BadInput(f"R-EL-13: device {path} holds a key for Scrutiny {scrutiny}, but the box seals to {s.contract.address}")
    try:
        person = bytes.fromhex(str(data["person"])[2:])
    except (KeyError, ValueError):
        raise BadInput(f"R-EL-13: --device {path} is malformed: person {data.get('person')!r}") from None
    acct = _check_key(chain, s, person, sender)
    try:
        return Scrutineer.from_json(data, acct)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise BadInput(f"R-EL-13: --device {path} is malformed: {exc}") from None


def _save_device(path: str | Path, chain: Chain, s: ScrutinyClient, m: Scrutineer, *, replace: bool = True) -> None:
    data = {"kind": DEVICE_KIND, "chain_id": chain.chain_id, "scrutiny": s.contract.address, "key_address": m.key.address, **m.as_json()}
    write_atomic(Path(path), json.dumps(data, indent=1), private=True, replace=replace)


def _member(s: ScrutinyClient, box: Contract, round: int, m: Scrutineer) -> int:
    members = s.members(box.address, round)
    if m.person not in members:
        raise BadInput(f"R-EL-13: person {hexstr(m.person)} is not on the panel of round {round} of box {box.address}")
    return members.index(m.person)


def _on_panel(ctx: Context) -> tuple[Contract, ScrutinyClient, Scrutineer, int]:
    """``--box``, its ``Scrutiny``, the scrutineer of ``--device`` (signing with ``--from``) and its place
    on the panel of ``--round``."""
    box, s = _sealed_box(ctx.chain, ctx.args)
    m = _load_device(ctx.args.device, ctx.chain, s, ctx.sender)
    return box, s, m, _member(s, box, ctx.args.round, m)


def _index(value: int, s: ScrutinyClient, box: Contract, round: int, flag: str) -> int:
    n = len(s.members(box.address, round))
    if value >= n:
        raise BadInput(f"R-EL-13: {flag} {value}: the panel of round {round} has members 0..{n - 1}")
    return value


def scrutiny_deploy(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    j, p = jurisdiction_contracts(chain, args)
    s = ScrutinyClient.deploy(chain, j, p, admin=ctx.sender)
    ctx.emit({"scrutiny": s.contract.address}, f"Scrutiny at {s.contract.address}; deploy elections with --scrutiny {s.contract.address} to seal their rounds")


def scrutiny_key(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    path = new_file(args.device, "--device")
    s = ScrutinyClient.at(chain, contract_at(chain, "Scrutiny", args.scrutiny, "--scrutiny"))
    person = parse_person(args.person)
    acct = _check_key(chain, s, person, ctx.sender)
    if chain.call(s.contract.functions.encryptionKey(person))[0] and not args.rotate:
        raise BadInput(
            f"R-EL-13: person {hexstr(person)} already has an encryption key on Scrutiny {s.contract.address}; a new one orphans the shares dealt to the old "
            "device (give --rotate to replace a lost device's key, before any panel that names this person deals)"
        )
    m = Scrutineer(person, acct)
    s.set_encryption_key(m)
    _save_device(path, chain, s, m, replace=False)
    ctx.emit({"device": str(path), "person": hexstr(person), "encryption_key": [hex(v) for v in m.enc_point]}, f"encryption key set for {hexstr(person)}; its secret is in {path} (keep it on this device)")


def scrutiny_panel(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    box, s = _sealed_box(chain, args)
    members = [parse_person(x) for x in args.member]
    n, t = len(members), args.threshold if args.threshold is not None else s.panel_rule()[1]
    if len(set(members)) != n:
        raise BadInput("R-EL-13: a --member is named twice")
    for m in members:
        if not chain.call(s.contract.functions.encryptionKey(m))[0]:
            raise BadInput(f"R-EL-13: member {hexstr(m)} has no encryption key on Scrutiny {s.contract.address} (zhili scrutiny key)")
    chain.transact(s.contract.functions.namePanel(box.address, args.round, members, t), ctx.sender, label="scrutiny.namePanel")
    p = _panel(s, box, args.round)
    res = {"box": box.address, "round": args.round, "members": [hexstr(m) for m in members], "threshold": t, "deal_by": p["dealBy"], "complain_by": p["complainBy"], "answer_by": p["answerBy"]}
    ctx.emit(res, f"panel of {n} named for round {args.round} (threshold {t}); members deal until {_cst(p['dealBy'])}, complain until {_cst(p['complainBy'])}, answer until {_cst(p['answerBy'])}")


def scrutiny_deal(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    box, s, m, me = _on_panel(ctx)
    p = _panel(s, box, args.round, need="dealing")
    if me in s.dealt(box.address, args.round):
        raise BadInput(f"R-EL-13: member {me} already dealt for round {args.round}; nothing sent")
    poll = (box.address, args.round)
    d = m.deals.get(poll)
    if d is None or len(d.coefficients) != int(p["threshold"]):
        d = Deal.new(int(p["threshold"]))
        m.deals[poll] = d
        _save_device(args.device, chain, s, m)  # first on the device: a crash after sending still can answer complaints
    s.deal(m, box.address, args.round, deal=d)
    ctx.emit({"dealer": me, "round": args.round, "commitments": [[hex(c) for c in pt] for pt in d.commitments]}, f"member {me} dealt its shares for round {args.round}")


def scrutiny_receive(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    box, s, m, me = _on_panel(ctx)
    p = _panel(s, box, args.round)
    failed = s.receive(m, box.address, args.round)
    _save_device(args.device, chain, s, m)
    got = m.received.get((box.address, args.round), {})
    n = len(s.members(box.address, args.round))
    res = {"member": me, "verified": sorted(got), "failed": sorted(failed), "not_dealt": [i for i in range(n) if i not in got and i not in failed]}
    text = f"member {me}: shares from dealers {res['verified']} verified"
    if failed:
        text += f"; dealers {res['failed']} FAILED: complain (zhili scrutiny complain --dealer D) before {_cst(p['complainBy'])}"
    ctx.emit(res, text)


def scrutiny_complain(ctx: Context) -> None:
    args = ctx.args
    box, s, m, me = _on_panel(ctx)
    dealer = _index(args.dealer, s, box, args.round, "--dealer")
    _panel(s, box, args.round, need="dealing")
    s.complain(m, box.address, args.round, dealer)
    ctx.emit({"accuser": me, "dealer": dealer}, f"member {me} complained against dealer {dealer}; the dealer must answer with the share in the clear")


def scrutiny_answer(ctx: Context) -> None:
    args = ctx.args
    box, s, m, me = _on_panel(ctx)
    accuser = _index(args.accuser, s, box, args.round, "--accuser")
    _panel(s, box, args.round, need="dealing")
    if (box.address, args.round) not in m.deals:
        raise BadInput(f"R-EL-13: device {args.device} holds no deal for round {args.round}; only the dealer's own device can answer")
    if (accuser, me) not in s.complaints(box.address, args.round):
        raise BadInput(f"R-EL-13: no open complaint of member {accuser} against member {me}; nothing sent")
    s.answer(m, box.address, args.round, accuser)
    ctx.emit({"dealer": me, "accuser": accuser}, f"member {me} answered the complaint of member {accuser} (the share is now public and verified)")


def scrutiny_fix_key(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    box, s = _sealed_box(chain, args)
    _panel(s, box, args.round, need="dealing")
    s.fix_key(box.address, args.round, ctx.sender)
    p = _panel(s, box, args.round)
    qualified = s.qualified(box.address, args.round)
    res = {"round": args.round, "phase": p["phase"], "qualified": qualified, "key": [hex(v) for v in p["key"]]}
    if p["phase"] == "failed":
        ctx.emit(res, f"[red]fewer than {p['threshold']} members dealt honestly[/red] (qualified {qualified}): the election authority names a new panel")
    else:
        ctx.emit(res, f"poll key fixed for round {args.round} (qualified dealers {qualified}); the round may open")


def scrutiny_share(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    box, s, m, me = _on_panel(ctx)
    _panel(s, box, args.round, need="keyed")
    qualified = s.qualified(box.address, args.round)
    if any(i not in m.received.get((box.address, args.round), {}) for i in qualified):
        s.receive(m, box.address, args.round)  # answered complaints, or a device that never ran receive
        _save_device(args.device, chain, s, m)
    got = m.received.get((box.address, args.round), {})
    missing = [i for i in qualified if i not in got]
    if missing:
        raise BadInput(f"R-EL-13: device {args.device} lacks verified shares from qualified dealers {missing}; its key share cannot be computed")
    s.publish_share(m, box.address, args.round)
    p = _panel(s, box, args.round)
    published = bin(int(p["published"])).count("1")
    text = f"member {me} published its key share ({published} of {p['threshold']})"
    if p["phase"] == "opened":
        text += "; the poll secret is public: anyone counts (zhili scrutiny count)"
    ctx.emit({"member": me, "published": published, "threshold": int(p["threshold"]), "phase": p["phase"]}, text)


def scrutiny_count(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    box, s = _sealed_box(chain, args)
    p = _panel(s, box, args.round)
    if p["phase"] != "opened":
        raise BadInput(f"R-EL-13: round {args.round} cannot be counted yet: phase {p['phase']!r}, {bin(int(p['published'])).count('1')} of {p['threshold']} key shares published")
    batches = s.count(box, args.round, ctx.sender)
    votes, invalid = s.retally(box, args.round)
    rnd = chain.call(box.functions.getRound(args.round))
    res = {"round": args.round, "batches_counted": batches, "committed": int(rnd[4]), "counted": int(rnd[5]), "invalid": invalid, "votes": votes}
    ctx.emit(res, f"counted {batches} batches: {int(rnd[5])} of {int(rnd[4])} ballots counted, {invalid} invalid; votes {votes}")


def scrutiny_show(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    box, s = _sealed_box(chain, args)
    p = _panel(s, box, args.round)
    members = s.members(box.address, args.round)
    rnd = chain.call(box.functions.getRound(args.round))
    res: dict[str, Any] = {
        "box": box.address, "scrutiny": s.contract.address, "round": args.round, "phase": p["phase"], "threshold": int(p["threshold"]),
        "members": [hexstr(m) for m in members], "deal_by": int(p["dealBy"]), "complain_by": int(p["complainBy"]), "answer_by": int(p["answerBy"]),
        "dealt": sorted(s.dealt(box.address, args.round)) if members else [], "complaints": [list(c) for c in s.complaints(box.address, args.round)] if members else [],
        "qualified": [i for i in range(len(members)) if int(p["qualified"]) >> i & 1],
        "published": [i for i in range(len(members)) if int(p["published"]) >> i & 1],
        "key": [hex(v) for v in p["key"]] if p["phase"] in ("keyed", "opened") else None,
        "closes_at": int(rnd[6]), "committed": int(rnd[4]), "counted": int(rnd[5]),
        "panel_rule": dict(zip(("members", "threshold"), s.panel_rule())),
    }  # fmt: skip
    if p["phase"] == "opened":
        votes, invalid = s.retally(box, args.round)
        res.update(secret=hex(int(p["secret"])), retally={"votes": votes, "invalid": invalid}, invalid=int(chain.call(box.functions.invalidBallots(args.round))))

    def text() -> None:
        out.print(f"round {args.round} of box {box.address}: phase [bold]{res['phase']}[/bold], threshold {res['threshold']} of {len(members)}")
        out.print(f"the profile's panel: {res['panel_rule']['threshold']} of {res['panel_rule']['members']} scrutineers open a poll")
        if members:
            out.print(f"deal by {_cst(res['deal_by'])}, complain by {_cst(res['complain_by'])}, answer by {_cst(res['answer_by'])}")
        t = Table(title="Scrutineers (R-EL-13)")
        for c in ("member", "person", "dealt", "qualified", "published"):
            t.add_column(c)
        for i, m in enumerate(members):
            t.add_row(str(i), hexstr(m), *("✓" if i in res[k] else "" for k in ("dealt", "qualified", "published")))
        out.print(t)
        if res["complaints"]:
            out.print("open complaints (accuser, dealer): " + ", ".join(map(str, res["complaints"])))
        if res["key"]:
            out.print(f"poll key ({res['key'][0]}, {res['key'][1]})")
        out.print(f"ballots: {res['committed']} cast, {res['counted']} counted")
        if "retally" in res:
            out.print(f"re-tally from chain data: votes {res['retally']['votes']}, invalid {res['retally']['invalid']} (on chain: {res['invalid']} invalid)")

    ctx.emit(res, text)


def scrutiny_check(ctx: Context) -> int:
    """A voter's check: the ballot of this file is on chain as relayed, counted, and what the count read in it."""
    chain, args = ctx.chain, ctx.args
    box, s = _sealed_box(chain, args)
    ballot = read_json(args.ballot, "R-EL-13: --ballot", EncryptedBallot.from_json)
    r, cred = ballot.round, ballot.credential
    found = [(batch, ct) for batch, entries in s.sealed_batches(box, r).items() for c, ct in entries if c == cred]
    res: dict[str, Any] = {"round": r, "credential": cred, "on_chain": bool(found)}
    if not found:
        ctx.emit(res, f"[red]no ballot of credential {cred} in round {r} of box {box.address}[/red]: relay it (zhili election relay)")
        return 1
    batch, ct = found[-1]
    counted = {int(e.args.batch) for e in box.events.SealedBatchCounted().get_logs(from_block=0, argument_filters={"round": r})}
    res.update(batch=batch, matches_file=ct == ballot.ciphertext, counted=batch in counted)
    text = f"credential {cred}: on chain in batch {batch}" + ("" if res["matches_file"] else " [red]with another ciphertext than this file's[/red]")
    p = _panel(s, box, r)
    if p["phase"] == "opened":
        rnd = chain.call(box.functions.getRound(r))
        mask = decrypt_ballot(int(p["secret"]), ct, box.address, r, cred)
        valid = valid_mask(mask, int(rnd[1]), int(rnd[2]))
        res.update(valid=valid, positions=positions_of(mask) if valid and mask is not None else None)
        text += f"; {'counted' if res['counted'] else 'not counted yet'}: " + (f"candidates {res['positions']} (positions on the poll's list)" if valid else "invalid (废票)")
    else:
        text += f"; the box is not opened yet (phase {p['phase']})"
    ctx.emit(res, text)
    return 0 if res["matches_file"] else 1


# ------------------------------------------------------------------ parser


def add_commands(sub: Any) -> None:
    def cmd(parent: Any, name: str, fn: Command, help: str, election: bool = True) -> argparse.ArgumentParser:
        return command(parent, name, fn, help, contract=("--election", "election contract address") if election else None, names=election)

    el = sub.add_parser("election", help="run an election step by step").add_subparsers(dest="sub", required=True)
    sp = cmd(el, "deploy", election_deploy, "deploy an election for a jurisdiction", election=False)
    jurisdiction_options(sp)
    sp.add_argument("--term", type=whole(1, UINT16), required=True)
    sp.add_argument("--succession", default=None, help="the jurisdiction's Succession: the election sets its order at completion (R-SU-1)")
    sp.add_argument("--scrutiny", default=None, help="the jurisdiction's Scrutiny: the ballot box seals every round to its scrutineers (R-EL-13)")
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
    sps = ballot_commands(el, ELECTION, cmd)
    sps["request"].add_argument("--electorate", choices=("party", "congress"), required=True)
    sp = cmd(el, "open", election_open, "authority (the upper committee once overdue, R-EL-11): open the pending poll for ballots (R-EL-7)")
    window_options(sp)
    sp.add_argument("--round", type=ID, default=None, help="open this round instead of the pending poll (a congress confirmation, zhili team confirm)")
    sp = command(el, "cast", box_cast(ELECTION, _election_ballot), "voter: seal and sign a ballot with a registered credential (sends nothing)", sender=False, json=False)
    sp.add_argument("--credential", required=True, help="the credential file (request, register)")
    sp.add_argument("--names", default="", help="comma-separated persons named (0 to 10 in stage 1, R-EL-2; one or none in a confirmation)")
    sp.add_argument("--round", type=ID, default=None, help="the round to vote in (default: the election's pending poll; a congress confirmation's round)")
    sp.add_argument("--out", required=True)
    cmd(el, "finalize", election_step("finalize"), "tally the poll and move the election on (R-EL-6)")
    sp = cmd(el, "pick", election_step("pick"), "secretary-elect picks the administrator (R-EL-10)")
    sp.add_argument("person")
    cmd(el, "lapse-pick", election_step("lapse-pick"), "after the pick deadline: the administrator follows from the ranking (R-EL-10)")
    cmd(el, "show", election_show, "rankings with counts, runoffs and offices")
    add_cppcc_commands(sub)

    sc = sub.add_parser("scrutiny", help="scrutineers: the poll key nobody holds, shares after the close, the count (R-EL-13)").add_subparsers(dest="sub", required=True)

    def scmd(name: str, fn: Command, help: str, *, device: bool = False, sender: bool = True) -> argparse.ArgumentParser:
        sp = command(sc, name, fn, help, sender=sender)
        if name not in ("deploy", "key"):
            sp.add_argument("--box", required=True, help="the ballot box (zhili election deploy prints it)")
        if name not in ("deploy", "key", "check"):
            sp.add_argument("--round", type=ID, required=True, help="the round (zhili election show: the pending poll)")
        if device:
            sp.add_argument("--device", required=True, help="the scrutineer's device file (zhili scrutiny key; private, 0600)")
        return sp

    sp = scmd("deploy", scrutiny_deploy, "deploy the jurisdiction's Scrutiny (then: zhili election deploy --scrutiny)")
    jurisdiction_options(sp)
    sp = scmd("key", scrutiny_key, "scrutineer: make an encryption key on this device and register it (--from: the person's key)")
    sp.add_argument("--scrutiny", required=True, help="the Scrutiny contract")
    sp.add_argument("--device", required=True, help="the new device file (never overwritten)")
    sp.add_argument("--person", required=True, help="the scrutineer (a registered person)")
    sp.add_argument("--rotate", action="store_true", help="replace the person's key set from another device (a lost device)")
    sp = scmd("panel", scrutiny_panel, "election authority: name the round's scrutineers and threshold before it opens")
    sp.add_argument("--member", action="append", required=True, help="a scrutineer (repeat; member 0, 1, … in this order)")
    sp.add_argument("--threshold", type=whole(2, 16), help="shares needed to open the box (default and only value: the profile's, zhili scrutiny show)")
    scmd("deal", scrutiny_deal, "scrutineer: deal encrypted shares of a fresh polynomial", device=True)
    scmd("receive", scrutiny_receive, "scrutineer: decrypt and verify the shares dealt to this device; prints the dealers that failed", device=True)
    sp = scmd("complain", scrutiny_complain, "scrutineer: complain against a dealer whose share failed", device=True)
    sp.add_argument("--dealer", type=whole(0, 15), required=True)
    sp = scmd("answer", scrutiny_answer, "scrutineer: answer a complaint with the share in the clear", device=True)
    sp.add_argument("--accuser", type=whole(0, 15), required=True)
    scmd("fix-key", scrutiny_fix_key, "anyone, after the answer window: fix the poll key from the qualified dealers")
    scmd("share", scrutiny_share, "scrutineer, after the close: publish this device's key share (verified on chain)", device=True)
    scmd("count", scrutiny_count, "anyone, once the secret is public: count every batch on chain and re-tally")
    scmd("show", scrutiny_show, "the panel: phase, deadlines, dealers, qualified, published, key; the re-tally after the count", sender=False)
    sp = scmd("check", scrutiny_check, "voter: the ballot of this file is on chain, counted, and what the count read", sender=False)
    sp.add_argument("--ballot", required=True, help="the ballot file from zhili election cast")
