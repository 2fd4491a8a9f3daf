"""``zhili council …``: run the weighted council step by step on a persistent chain (R-WD-1 ... R-WD-7);
``zhili team …``: team completion (R-TC-1 … R-TC-3) and its congress confirmation polls.

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
from ..cli.common import Command, Context, command, jurisdiction_contracts, jurisdiction_options, out, parse_person
from ..core.chain import Chain, ContractRevert
from ..core.files import write_atomic
from ..council.client import CouncilClient, Kind, MotionView, Position, Proposal, SealedVote, Windows, text_id
from ..council.team import Body, TeamClient
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
    j, p = jurisdiction_contracts(chain, args)
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


# ------------------------------------------------------------------ team completion (zhili team …)

BODIES = {"party": Body.PARTY_CONGRESS, "people": Body.PEOPLES_CONGRESS}


def _team(chain: Chain, args: argparse.Namespace) -> TeamClient:
    return TeamClient.at(chain, contract_at(chain, "TeamCompletion", args.team, "--team"))


def appointment_json(a: dict[str, Any]) -> dict[str, Any]:
    """An appointment (:meth:`TeamClient.appointment`) as JSON: names for enums, hex for ids."""
    hexed = lambda b: None if b is None else "0x" + b.hex()  # noqa: E731
    return {
        "id": a["id"], "kind": a["kind"].name.lower(), "step": a["step"].name.lower(),
        "office": None if a["office"] is None else a["office"].key,
        "needed": [b.name.lower() for b in a["needed"]], "confirmed": [b.name.lower() for b in a["confirmed"]],
        "scheduled": [b.name.lower() for b in a["scheduled"]], "created_at": a["created_at"], "settled_at": a["settled_at"],
        "person": hexed(a["person"]), "post": hexed(a["post"]), "motion": a["motion"], "nominator": hexed(a["nominator"]),
    }  # fmt: skip


def _emit_appointment(ctx: Context, t: TeamClient, aid: int) -> None:
    a = appointment_json(t.appointment(aid))
    ctx.emit(a, f"appointment {aid} ({a['kind']}): {a['step']}; confirmed by {', '.join(a['confirmed']) or 'nobody yet'}")


def team_nominate(ctx: Context) -> None:
    args = ctx.args
    if (args.post is None) == (args.office is None):
        raise BadInput("R-TC-1: name either --post (a committee post) or --office (a vacant core office or discipline_deputy)")
    office = None
    if args.office is not None:
        try:
            office = Office.from_key(args.office)
        except ValueError:
            raise BadInput(f"R-TC-3: {args.office!r} is not an office; expected one of {', '.join(o.key for o in Office)}") from None
    if args.category not in (Category.STRATEGIC.key, Category.DISCIPLINE.key):
        raise BadInput(f"R-TC-1: a nomination is voted in the strategic or discipline category, not {args.category!r}")
    proposal = proposal_from(args, Kind.NOMINATION)
    t = _team(ctx.chain, args)
    aid, mid = t.nominate(proposal, parse_person(args.person), ctx.sender, post=text_id(args.post) if args.post else None, office=office)
    ctx.emit({"appointment": aid, "motion": mid}, f"appointment {aid} nominated; the council votes on motion {mid} (zhili council …)")


def team_settle_nomination(ctx: Context) -> None:
    t = _team(ctx.chain, ctx.args)
    t.settle_nomination(ctx.args.appointment, ctx.sender)
    _emit_appointment(ctx, t, ctx.args.appointment)


def team_propose_member(ctx: Context) -> None:
    args = ctx.args
    t = _team(ctx.chain, args)
    gid = t.propose_government_member(parse_person(args.person), text_id(args.post), file_hash(args.content, "--content"), ctx.sender)
    ctx.emit({"appointment": gid}, f"appointment {gid} proposed; the secretary consents or refuses (zhili team consent)")


def team_consent(ctx: Context) -> None:
    t = _team(ctx.chain, ctx.args)
    t.consent(ctx.args.appointment, ctx.args.consent, ctx.sender)
    _emit_appointment(ctx, t, ctx.args.appointment)


def team_confirm(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    t = _team(chain, args)
    e = contract_at(chain, "Election", args.election, "--election")
    poll, round = t.open_confirmation(e, BODIES[args.body], args.appointments, ctx.sender)
    ctx.emit(
        {"poll": poll, "round": round, "election": e},
        f"confirmation poll {poll} scheduled as round {round} of the election's ballot box; open it: zhili election open --election {e} --round {round}",
    )


def team_settle_confirmation(ctx: Context) -> None:
    t = _team(ctx.chain, ctx.args)
    t.settle_confirmation(ctx.args.poll, ctx.sender)
    c = t.confirmation(ctx.args.poll)
    apps = [appointment_json(t.appointment(i)) for i in c["ids"]]
    ctx.emit({"poll": ctx.args.poll, "appointments": apps}, "; ".join(f"appointment {a['id']}: {a['step']}" for a in apps))


def team_show(ctx: Context) -> None:
    _emit_appointment(ctx, _team(ctx.chain, ctx.args), ctx.args.appointment)


def team_poll(ctx: Context) -> None:
    c = _team(ctx.chain, ctx.args).confirmation(ctx.args.poll)
    data = {**c, "body": c["body"].name.lower()}
    ctx.emit(data, f"poll {c['poll']} of the {data['body']}: round {c['round']} of {c['election']}, appointments {c['ids']}, {'counted' if c['settled'] else 'not counted yet'}")


def add_team_commands(sub: Any) -> None:
    """``zhili team …``: team completion (R-TC-1 … R-TC-3) step by step; confirmations are polls of an
    election's rolls (``zhili election open/cast --round``)."""
    te = sub.add_parser("team", help="team completion: nominations, consent, congress confirmation polls (R-TC-1 … R-TC-3)").add_subparsers(dest="sub", required=True)

    def cmd(name: str, fn: Any, help: str) -> argparse.ArgumentParser:
        return command(te, name, fn, help, contract=("--team", "TeamCompletion contract address"))

    sp = cmd("nominate", team_nominate, "secretariat: nominate a committee member or a vacant core office (R-TC-1, R-TC-3)")
    sp.add_argument("--person", required=True, help="the nominee (identity number or 0x person id)")
    sp.add_argument("--post", default=None, help="the committee post's name, e.g. 组织委员")
    sp.add_argument("--office", default=None, help="a vacant core office or discipline_deputy")
    proposal_options(sp, budget=False)
    cmd("settle-nomination", team_settle_nomination, "anyone: move a nomination on once the council decided (R-TC-1)").add_argument("appointment", type=ID)
    sp = cmd("propose-member", team_propose_member, "administrator: nominate a government member (R-TC-2)")
    sp.add_argument("--person", required=True)
    sp.add_argument("--post", required=True, help="the government post's name, e.g. 副乡长")
    sp.add_argument("--content", required=True, help="the written nomination (its hash is anchored)")
    sp = cmd("consent", team_consent, "secretary: consent to, or refuse, the administrator's nominee (R-TC-2)")
    sp.add_argument("appointment", type=ID)
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--yes", dest="consent", action="store_true")
    g.add_argument("--no", dest="consent", action="store_false")
    sp = cmd("confirm", team_confirm, "election authority (or upper committee): schedule a congress confirmation poll (R-TC-1 … R-TC-3)")
    sp.add_argument("--election", required=True, help="the jurisdiction's completed election whose roll votes")
    sp.add_argument("--body", required=True, choices=tuple(BODIES), help="party congress or people's congress")
    sp.add_argument("appointments", type=ID, nargs="+", help="every appointment waiting for this body on one post")
    cmd("settle-confirmation", team_settle_confirmation, "anyone, after the reveal: count a confirmation poll").add_argument("poll", type=ID)
    cmd("show", team_show, "an appointment").add_argument("appointment", type=ID)
    cmd("poll", team_poll, "a confirmation poll").add_argument("poll", type=ID)


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
    add_team_commands(sub)
    co = sub.add_parser("council", help="the weighted council: motions, disputes, sealed votes, decisions").add_subparsers(dest="sub", required=True)

    def cmd(name: str, fn: Command, help: str, *, council: bool = True, motion: bool = True, office: bool = False) -> argparse.ArgumentParser:
        sp = command(co, name, fn, help, contract=("--council", "council contract address") if council else None, names=council)
        if motion:
            sp.add_argument("motion", type=ID, help="motion id")
        if office:
            sp.add_argument("--office", default=None, help="the member's seat (default: found from the signing key)")
        return sp

    sp = cmd("deploy", council_deploy, "deploy a council, its minutes book and team completion for a jurisdiction", council=False, motion=False)
    jurisdiction_options(sp)
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
