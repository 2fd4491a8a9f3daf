"""``zhili council …``: run the weighted council step by step on a persistent chain (R-WD-1 ... R-WD-7).

Each command connects to ``--chain URL``, signs with the key chosen by ``--from`` among
``ZHILI_PRIVATE_KEYS`` / ``ZHILI_KEYSTORE``, and refuses bad input with the rule ID before anything is
sent (or shows the contract's refusal, which names the rule). A member's seat is found from their
key unless ``--office`` names it. ``vote`` seals the vote on the member's side and writes the opening
to a file: keep it, it is needed to count the vote (``reveal``, by anyone holding it).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.table import Table

from .. import profiles
from ..cli.args import ID, UINT16, UINT24, BadInput, address, contract_at, file_hash, names_file, new_file, whole
from ..cli.common import Command, Context, command, out, parse_person
from ..core.chain import Chain, ContractRevert
from ..core.files import write_atomic
from ..council.client import CouncilClient, Kind, MotionView, Position, Proposal, SealedVote, Windows, text_id
from ..council.team import TeamClient
from ..types import CORE_OFFICES, Category, Office

MAX_BASIS = 100  # basis documents per motion (docs/bad-input.md)


def _category(key: str) -> Category:
    try:
        return Category.from_key(key)
    except ValueError:
        raise BadInput(f"R-WD-1: unknown category {key!r}; expected one of {', '.join(c.key for c in Category)}") from None


def _office(key: str | None) -> Office | None:
    if key is None:
        return None
    try:
        office = Office.from_key(key)
    except ValueError:
        office = None
    if office is None or office == Office.DISCIPLINE_DEPUTY:
        raise BadInput(f"R-WD-1: {key!r} is not a core office; expected one of {', '.join(o.key for o in CORE_OFFICES)}")
    return office


def _council(chain: Chain, args: argparse.Namespace) -> CouncilClient:
    c = CouncilClient.at(chain, contract_at(chain, "Council", args.council, "--council"))
    c.names = names_file(getattr(args, "names", None), parse_person) or c.names
    return c


def _seat(c: CouncilClient, ctx: Context) -> Office:
    office = _office(getattr(ctx.args, "office", None))
    if office is not None:
        return office
    return c.office_of(ctx.sender)  # NotFound (bad input) if the key holds no seat


# ------------------------------------------------------------------ commands


def council_deploy(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    j = chain.contract("Jurisdiction", contract_at(chain, "Jurisdiction", args.jurisdiction, "--jurisdiction"))
    p = chain.contract("PersonRegistry", contract_at(chain, "PersonRegistry", args.persons, "--persons"))
    sender = ctx.sender
    c = CouncilClient.deploy(chain, j, p, admin=sender, secretariat=list(args.secretariat))
    t = TeamClient.deploy(chain, c, admin=sender)
    res = {"council": c.address, "minutes": c.minutes.address, "team": t.contract.address}
    ctx.emit(res, f"council at {res['council']} (minutes {res['minutes']}), team completion at {res['team']}")


def proposal_from(args: argparse.Namespace, kind: Kind | None = None) -> Proposal:
    """The council proposal the options of :func:`proposal_options` describe (checked before the chain)."""
    kind = kind if kind is not None else Kind[args.kind.upper()]
    line, year, amount = getattr(args, "line", ""), getattr(args, "year", 0), getattr(args, "amount", 0)
    if kind in (Kind.BUDGET, Kind.SPENDING) and not line:
        raise BadInput("R-WD-7: a budget or spending motion names its budget line (--line)")
    if kind == Kind.BUDGET and not year:
        raise BadInput("R-WD-7: a budget motion names its year (--year)")
    if amount < 0 or amount >= 2**96:
        raise BadInput(f"R-WD-7: amount {amount} out of range")
    if len(args.basis) > MAX_BASIS:
        raise BadInput(f"R-WD-7: {len(args.basis)} --basis documents; a motion cites at most {MAX_BASIS}")
    return Proposal(
        category=_category(args.category),
        content_hash=file_hash(args.content, "--content"),
        basis_refs=[file_hash(b, "--basis") for b in args.basis],
        plan_id=text_id(args.plan) if args.plan else b"\0" * 32,
        kind=kind,
        budget_line=text_id(line) if line else b"\0" * 32,
        year=year or 0,
        amount=amount,
        windows=Windows(args.classify_window, args.vote_window, args.reveal_window),
    )


def council_propose(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    proposal = proposal_from(args)
    c = _council(chain, args)
    mid = c.propose(proposal, ctx.sender)
    ctx.emit({"motion": mid}, f"motion {mid} proposed; classification window until {c.motion(mid).classify_end}")


def council_dispute(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    c.dispute(args.motion, _category(args.alternative), ctx.sender, _seat(c, ctx))
    _show_short(ctx, c, args.motion)


def council_dispute_vote(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    c.vote_dispute(args.motion, args.support, ctx.sender, _seat(c, ctx))
    _show_short(ctx, c, args.motion)


def council_settle(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    c.settle_dispute(args.motion, ctx.sender)
    _show_short(ctx, c, args.motion)


def council_opinion(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    c.state_opinion(args.motion, file_hash(args.opinion, "--opinion"), ctx.sender)
    v = c.motion(args.motion)
    ctx.emit(v.as_json(c.names), f"lead opinion recorded; motion {args.motion} open for sealed votes until {v.vote_end}")


def council_open_without_opinion(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    c.open_without_opinion(args.motion, ctx.sender)  # OpinionPending (R-WD-4) names the deadline
    v = c.motion(args.motion)
    ctx.emit(v.as_json(c.names), f"the lead declined to give an opinion (recorded); motion {args.motion} open for sealed votes until {v.vote_end}")


def council_vote(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    out_path = new_file(args.out, "--out")
    c = _council(chain, args)
    sender = ctx.sender
    vote = c.seal(args.motion, Position[args.position.upper()], sender, _seat(c, ctx))
    write_atomic(out_path, json.dumps(vote.as_json(), indent=1), private=True)  # first: a crash after the commit keeps the opening
    try:
        c.commit(vote, sender)
    except ContractRevert:  # refused, nothing sent: no opening for a vote that does not exist
        out_path.unlink()
        raise
    ctx.emit({"motion": args.motion, "office": vote.office.key, "opening": args.out}, f"sealed vote of the {vote.office.key} cast on motion {args.motion}; opening saved to {args.out} (keep it)")


def council_reveal(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    votes = []
    for p in args.votes:
        try:
            votes.append(SealedVote.from_json(json.loads(Path(p).read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise BadInput(f"R-WD-5: unreadable vote file {p}: {detail}") from None
    by_motion: dict[int, list[SealedVote]] = {}
    for v in votes:
        by_motion.setdefault(v.motion, []).append(v)
    c = _council(chain, args)
    opened: dict[int, int] = {}
    for motion, vs in by_motion.items():
        c.reveal(vs, ctx.sender)
        opened[motion] = len(vs)
    ctx.emit({"opened": opened}, "\n".join(f"opened {n} vote(s) on motion {m}" for m, n in opened.items()))


def council_close(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    v = c.close(args.motion, ctx.sender)
    ctx.emit(v.as_json(c.names), lambda: _motion_table(c, v))


def council_withdraw(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    c.withdraw(args.motion, ctx.sender)
    ctx.emit({"motion": args.motion, "withdrawn": True}, f"motion {args.motion} withdrawn")


def council_show(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    v = c.motion(args.motion)
    ctx.emit(v.as_json(c.names), lambda: _motion_table(c, v))


def council_budget(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _council(chain, args)
    lines = c.budget_lines()
    if ctx.json:
        ctx.emit(lines)
        return
    t = Table(title="Budget lines (R-WD-7)")
    for col in ("line", "year", "approved", "spent", "remaining"):
        t.add_column(col, justify="left" if col == "line" else "right")
    for ln in lines:
        t.add_row("0x" + ln["line"].hex()[:16] + "…", str(ln["year"]), f"{ln['approved']:,}", f"{ln['spent']:,}", f"{ln['remaining']:,}")
    out.print(t)


def _show_short(ctx: Context, c: CouncilClient, motion: int) -> None:
    v = c.motion(motion)
    ctx.emit(v.as_json(c.names), f"motion {motion}: category {v.category.key}, phase {v.phase.name.lower()}")


def _motion_table(c: CouncilClient, v: MotionView) -> None:
    try:
        prof = profiles.load(["township", "county"][int(c.chain.call(c.jurisdiction().functions.params())[0])])
        label: Callable[[Office], str] = prof.office_label
        cat_label = prof.category_label(v.category)
    except Exception:  # noqa: BLE001 - labels are decoration only
        label, cat_label = (lambda o: ""), ""
    out.print(f"[bold]Motion {v.id}[/bold] — {v.category.key} {cat_label} ({v.kind.name.lower()}), phase [bold]{v.phase.name.lower()}[/bold]")
    t = Table(title=f"Weighted vote (R-WD-1, R-WD-2): threshold {v.threshold}")
    for col in ("office", "label", "member", "weight", "position"):
        t.add_column(col, justify="right" if col == "weight" else "left")
    for o, m, w, p in zip(CORE_OFFICES, v.members, v.weights, v.positions):
        member = (c.names.get(m) or "0x" + m.hex()[:12] + "…") if m else ("[dim]vacant[/dim]" if v.roster else "")
        t.add_row(o.key + (" (lead)" if v.lead == o else ""), label(o), member, str(w), p.name.lower() if p else "—")
    t.add_section()
    t.add_row("yes", "", "", str(v.yes), "")
    t.add_row("no", "", "", str(v.no), "")
    t.add_row("abstain", "", "", str(v.abstain), "")
    out.print(t)
    if v.status.name in ("PASSED", "REJECTED"):
        verdict = "passed" if v.status.name == "PASSED" else "rejected" + (" (over budget, R-WD-7)" if v.over_budget else "")
        who = (c.names.get(v.first_responsible) or "0x" + v.first_responsible.hex()) if v.first_responsible else "—"
        out.print(f"{verdict}: yes {v.yes} of {v.threshold} needed; first responsible person (R-WD-6): {who}"
                  + (" [back-filled, R-WD-8]" if v.backfilled else ""))  # fmt: skip
    if v.lead_declined:
        out.print("the lead declined to give an opinion (R-WD-4): the vote was opened without it after the deadline")
    if v.budget_line:
        out.print(f"budget line 0x{v.budget_line.hex()}, amount {v.amount:,}")


# ------------------------------------------------------------------ parser


def proposal_options(sp: argparse.ArgumentParser, *, budget: bool = True) -> None:
    """The options of a council proposal (:func:`proposal_from`); ``budget`` adds kind, line, year, amount."""
    sp.add_argument("--category", required=True, help=", ".join(c.key for c in Category))
    if budget:
        sp.add_argument("--kind", choices=("general", "budget", "spending"), default="general")
    sp.add_argument("--content", required=True, help="the motion's text (its hash is anchored)")
    sp.add_argument("--basis", action="append", default=[], metavar="FILE", help="a legal or policy basis document (repeatable; hashes anchored)")
    sp.add_argument("--plan", default="", help="the plan the motion serves")
    if budget:
        sp.add_argument("--line", default="", help="budget line name (budget and spending motions)")
        sp.add_argument("--year", type=whole(0, UINT16), default=0, help="budget year (budget motions)")
        sp.add_argument("--amount", type=int, default=0, help="amount (budget and spending motions)")
    sp.add_argument("--classify-window", type=whole(0, UINT24), default=600, help="seconds for category disputes (R-WD-3)")
    sp.add_argument("--vote-window", type=whole(0, UINT24), default=3600, help="seconds of sealed voting (R-WD-5)")
    sp.add_argument("--reveal-window", type=whole(0, UINT24), default=3600, help="seconds for reveals after the vote (R-WD-5)")


def add_commands(sub: Any) -> None:
    co = sub.add_parser("council", help="the weighted council: motions, disputes, sealed votes, decisions").add_subparsers(dest="sub", required=True)

    def cmd(name: str, fn: Command, help: str, *, council: bool = True, motion: bool = True, office: bool = False) -> argparse.ArgumentParser:
        sp = command(co, name, fn, help, contract=("--council", "council contract address") if council else None, names=council)
        if motion:
            sp.add_argument("motion", type=ID, help="motion id")
        if office:
            sp.add_argument("--office", default=None, help="the member's seat (default: found from the signing key)")
        return sp

    sp = cmd("deploy", council_deploy, "deploy a council, its minutes book and team completion for a jurisdiction", council=False, motion=False)
    sp.add_argument("--jurisdiction", required=True)
    sp.add_argument("--persons", required=True)
    sp.add_argument("--secretariat", action="append", default=[], type=address, metavar="ADDRESS", help="grant SECRETARIAT (repeatable)")

    sp = cmd("propose", council_propose, "secretariat: propose a motion (R-WD-1, R-WD-7)", motion=False)
    proposal_options(sp)

    sp = cmd("dispute", council_dispute, "member: dispute the category, naming one alternative (R-WD-3)", office=True)
    sp.add_argument("--alternative", required=True)
    sp = cmd("dispute-vote", council_dispute_vote, "member: vote on a category dispute (R-WD-3)", office=True)
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--support", dest="support", action="store_true", help="for the alternative")
    g.add_argument("--oppose", dest="support", action="store_false", help="against the alternative")
    cmd("settle-dispute", council_settle, "settle a dispute whose vote has ended (R-WD-3)")
    sp = cmd("opinion", council_opinion, "lead: state the reasoned opinion; voting opens (R-WD-4)")
    sp.add_argument("--opinion", required=True, help="the written opinion (its hash is anchored)")
    cmd("open-without-opinion", council_open_without_opinion, "anyone, after the lead's deadline: open the vote, 'lead declined' recorded (R-WD-4)")
    sp = cmd("vote", council_vote, "member: seal and cast a vote (R-WD-5)", office=True)
    sp.add_argument("--position", required=True, choices=("yes", "no", "abstain"))
    sp.add_argument("--out", required=True, help="file for the opening (needed to count the vote)")
    sp = cmd("reveal", council_reveal, "open sealed votes from their files (anyone holding them)", motion=False)
    sp.add_argument("votes", nargs="+")
    cmd("close", council_close, "decide the motion: threshold, first responsible, budget (R-WD-2, R-WD-6, R-WD-7)")
    cmd("withdraw", council_withdraw, "secretariat: withdraw a motion before voting opens")
    cmd("show", council_show, "the motion with its weighted tally")
    cmd("budget", council_budget, "budget lines: approved, spent, remaining (R-WD-7)", motion=False)
