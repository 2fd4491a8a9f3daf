"""``zhili team …``: team completion step by step on a persistent chain (R-TC-1 … R-TC-3).

The secretariat nominates (a council ``Nomination`` motion, voted with ``zhili council``), anyone settles
the nomination once the council decided, the administrator nominates government members and the
secretary consents. A congress confirmation is a poll: ``confirm`` schedules it as a round of the
completed election's ballot box, ``zhili election open --round R`` opens it, delegates or deputies cast
with their credentials (``zhili election cast --round R --names PERSON``, or no ``--names`` for a blank
ballot), anyone relays and reveals, and ``settle-confirmation`` counts it.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..cli.args import ID, BadInput, contract_at, file_hash
from ..cli.common import Context, command, parse_person
from ..core.chain import Chain
from ..council.cli import proposal_from, proposal_options
from ..council.client import Kind, text_id
from ..council.team import Body, TeamClient
from ..types import Category, Office

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


# ------------------------------------------------------------------ commands


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


# ------------------------------------------------------------------ parser


def add_commands(sub: Any) -> None:
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


__all__ = ["BODIES", "add_commands", "appointment_json"]
