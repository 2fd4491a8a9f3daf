"""``zhili village …``: the village contract + credit scheme step by step on a persistent chain
(SPEC §9, R-VC-1 … R-VC-10).

Every village command takes ``--village`` (the village's ``VillageLedger``; its quarters contract is
read from it; supermarket commands take ``--market`` too), signs with ``--from`` among
``ZHILI_PRIVATE_KEYS`` / ``ZHILI_KEYSTORE`` (a person acts with their registered key), and refuses
bad input with the rule ID (exit 2) before anything is sent. Evidence, grounds and reasons are files
whose SHA-256 fingerprint alone goes on chain (R-VC-11).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from rich.table import Table

from ..cli.args import ID, UINT16, BadInput, check_size, contract_at, whole
from ..cli.common import Command, Context, command, hexstr, jurisdiction_contracts, out, parse_person
from ..core.store import fingerprint
from .client import (
    KIND_CREDIT,
    MEMBER_GRADES,
    Colour,
    VillageClient,
    deploy_framework,
    month_index,
    month_label,
    quarter_label,
    role_keys,
    roles_from_keys,
)
from .profile import load

KINDS = {"party": 0, "rep": 1, "credit": 2}
_ = KIND_CREDIT


class VillageInputError(BadInput):
    """Bad input for a village command (the message names the rule or the option)."""


def _file_hash(path: str, field: str) -> bytes:
    check_size(path, field)
    try:
        return fingerprint(Path(path).read_bytes())
    except OSError as exc:
        raise VillageInputError(f"{field} {path}: cannot read: {exc.strerror}") from None


def _month(text: str) -> int:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if not m or not 1970 <= int(m.group(1)) <= 2200 or not 1 <= int(m.group(2)) <= 12:
        raise VillageInputError(f"R-VC-5: month {text!r}: expected YYYY-MM")
    return month_index(int(m.group(1)), int(m.group(2)))


def _quarter(text: str) -> int:
    m = re.fullmatch(r"(\d{4})Q([1-4])", text.upper())
    if not m or not 1970 <= int(m.group(1)) <= 2200:
        raise VillageInputError(f"R-VC-7: quarter {text!r}: expected YYYYQn, e.g. 2026Q2")
    return (int(m.group(1)) - 1970) * 4 + int(m.group(2)) - 1


def _client(ctx: Context) -> VillageClient:
    args = ctx.args
    ledger = contract_at(ctx.chain, "VillageLedger", args.village, "--village")
    market = contract_at(ctx.chain, "CreditSupermarket", args.market, "--market") if getattr(args, "market", None) else None
    return VillageClient.at(ctx.chain, ledger, market)


def _code(v: VillageClient, args: argparse.Namespace, negative: bool) -> int:
    """A criterion by its profile code (``P04``) or its number on chain."""
    text = args.criterion
    if text.isdigit():
        return int(text)
    try:
        code = load(args.profile).chain_code(text)
    except Exception as exc:  # noqa: BLE001 - a profile error names the criterion
        raise VillageInputError(f"R-VC-5: unknown criterion {text!r} ({exc})") from None
    positives = load(args.profile).positives
    if negative != (code > positives):
        kind = "negative" if negative else "positive"
        raise VillageInputError(f"R-VC-5: criterion {text!r} is not a {kind} criterion of the list")
    return code


# ------------------------------------------------------------------ deployment and the town


def village_framework(ctx: Context) -> None:
    fw = deploy_framework(ctx.chain, ctx.args.district, load(ctx.args.profile), ctx.sender)
    ctx.emit({"framework": fw.address, "district": ctx.args.district}, f"framework of {ctx.args.district} at [bold]{fw.address}[/bold]")


def village_deploy(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    j, persons = jurisdiction_contracts(chain, args)
    fw = chain.contract("CreditFramework", contract_at(chain, "CreditFramework", args.framework, "--framework"))
    v = VillageClient.deploy(chain, j, persons, fw, args.code, ctx.sender, sender=ctx.sender, profile=load(args.profile))
    data = {"village": v.ledger.address, "quarters": v.quarters.address, "market": v._market.address}
    ctx.emit(data, f"village {args.code}: ledger [bold]{data['village']}[/bold], quarters {data['quarters']}, market {data['market']}")


def village_member(ctx: Context) -> None:
    args = ctx.args
    try:
        roles = roles_from_keys([r for r in args.roles.split(",") if r])
    except ValueError as exc:
        raise VillageInputError(str(exc)) from None
    v = _client(ctx)
    idx = v.set_member(parse_person(args.person), roles, args.team, ctx.sender)
    ctx.emit(v.member(idx).as_json(), f"person {idx}: {', '.join(role_keys(roles)) or 'villager'}, team {args.team or '-'}")


# ------------------------------------------------------------------ lists and contracts


def village_list_propose(ctx: Context) -> None:
    v = _client(ctx)
    version = v.propose_profile_list(load(ctx.args.profile), ctx.sender)
    info = v.list_info(version)
    ctx.emit(info.as_json(), f"list {version} proposed: {info.size} criteria ({info.positives} positive), roll {info.roll} (R-VC-2)")


def village_list_vote(ctx: Context) -> None:
    v = _client(ctx)
    info = v.vote_list(ctx.args.version, ctx.args.position == "yes", ctx.sender)
    ctx.emit(info.as_json(), f"list {info.version}: {info.yes} yes, {info.no} no of {info.roll}: {info.state_key}")


def village_list_show(ctx: Context) -> None:
    v = _client(ctx)
    infos = v.lists()

    def text() -> None:
        for i in infos:
            out.print(f"list {i.version}: {i.state_key}, {i.size} criteria, {i.yes}/{i.roll} yes")

    ctx.emit([i.as_json() for i in infos], text)


def village_contract_sign(ctx: Context) -> None:
    args = ctx.args
    try:
        colour = Colour.from_key(args.colour)
    except ValueError as exc:
        raise VillageInputError(f"R-VC-3: {exc}") from None
    v = _client(ctx)
    person = parse_person(args.person)
    key = ctx.chain.account(ctx.sender)
    v.sign_contract(person, args.year, colour, _file_hash(args.duties, "--duties"), key)
    ctx.emit({"person": hexstr(person), "year": args.year, "colours": [c.key for c in v.colours(person, args.year)]},
             f"{colour.key} contract for {args.year} signed (R-VC-3)")  # fmt: skip


# ------------------------------------------------------------------ months, declarations


def village_month(ctx: Context) -> None:
    v = _client(ctx)
    mo = v.open_month(_month(ctx.args.month), ctx.sender)
    ctx.emit(mo.as_json(), f"{month_label(mo.month)} open: list {mo.version}, team {mo.team} on duty, declarations until {mo.declare_close}")


def village_declare(ctx: Context) -> None:
    args = ctx.args
    v = _client(ctx)
    month = _month(args.month)
    did = v.declare(month, _code(v, args, False), args.day, _file_hash(args.evidence, "--evidence"), ctx.sender)
    ctx.emit(v.declaration(did).as_json(), f"declaration {did} (R-VC-5): pending verification by the team on duty")


def village_verify(ctx: Context) -> None:
    args = ctx.args
    ids = list(args.ids) + list(args.reject)
    if not ids:
        raise VillageInputError("R-VC-6: name declarations to accept (ids) or --reject")
    v = _client(ctx)
    v.verify(ids, [True] * len(args.ids) + [False] * len(args.reject), ctx.sender)
    ctx.emit([v.declaration(i).as_json() for i in ids], f"{len(args.ids)} accepted, {len(args.reject)} rejected (R-VC-6)")


def village_record(ctx: Context) -> None:
    args = ctx.args
    v = _client(ctx)
    nid = v.record_negative(parse_person(args.person), _month(args.month), _code(v, args, True), args.day, _file_hash(args.evidence, "--evidence"), ctx.sender)
    ctx.emit(v.declaration(nid).as_json(), f"negative item {nid} recorded (R-VC-5)")


# ------------------------------------------------------------------ quarters


def village_publish(ctx: Context) -> None:
    v = _client(ctx)
    q = v.publish(_quarter(ctx.args.quarter), ctx.sender)
    ctx.emit(q.as_json(), f"{quarter_label(q.quarter)}: {q.done}/{q.count} standings published; objections until {q.deadline} (R-VC-7)")


def village_object(ctx: Context) -> None:
    args = ctx.args
    v = _client(ctx)
    oid = v.object(_quarter(args.quarter), parse_person(args.subject), args.entry, _file_hash(args.grounds, "--grounds"), ctx.sender)
    ctx.emit(v.objection(oid).as_json(), f"objection {oid} filed (R-VC-7)")


def village_rule(ctx: Context) -> None:
    args = ctx.args
    uphold = args.decision == "uphold"
    if uphold and not args.delta:
        raise VillageInputError("R-VC-7: an upheld objection needs --delta (tenths, non-zero)")
    v = _client(ctx)
    o = v.rule(args.objection, uphold, KINDS[args.kind] if uphold else 0, args.delta if uphold else 0, _file_hash(args.reason, "--reason"), ctx.sender)
    ctx.emit(o.as_json(), f"objection {o.id}: {o.as_json()['state']}")


def village_finalize(ctx: Context) -> None:
    v = _client(ctx)
    q = v.finalize(_quarter(ctx.args.quarter), ctx.sender)
    ctx.emit(q.as_json(), f"{quarter_label(q.quarter)} is final (R-VC-7)")


def village_grade(ctx: Context) -> None:
    v = _client(ctx)
    grades = v.grade(ctx.args.year, None, ctx.sender)
    ctx.emit([g.as_json() for g in grades], f"{len(grades)} persons graded for {ctx.args.year} (R-VC-8)")


# ------------------------------------------------------------------ supermarket


def village_redeem(ctx: Context) -> None:
    args = ctx.args
    v = _client(ctx)
    person, keeper = parse_person(args.person), parse_person(args.keeper)
    item = _whole(args.item, "--item", UINT16)
    acc = v.redeem(person, keeper, item, args.quantity, ctx.chain.account(_sender(args.person_key)), ctx.chain.account(ctx.sender))
    ctx.emit(acc.as_json(), f"redeemed {args.quantity} × item {item}; balance {acc.balance} (R-VC-10)")


def _whole(text: str, field: str, hi: int) -> int:
    if not text.isdigit() or int(text) > hi:
        raise VillageInputError(f"{field} {text!r}: expected a whole number 0..{hi}")
    return int(text)


def _sender(text: str) -> Any:
    return int(text) if text.isdigit() else text


# ------------------------------------------------------------------ reads


def village_show(ctx: Context) -> None:
    args = ctx.args
    v = _client(ctx)
    person = parse_person(args.person)
    m = v.member(person)
    data: dict[str, Any] = {"member": m.as_json(), "year": args.year, "colours": [c.key for c in v.colours(person, args.year)]}
    first = (args.year - 1970) * 4
    data["quarters"] = {quarter_label(q): v.totals(q, m.idx).as_json() for q in range(first, first + 4)}
    a = v.annual(args.year, m.idx)
    data["annual"] = a.as_json() if a.graded else None

    def text() -> None:
        out.print(f"person {m.idx} {hexstr(m.person)}: {', '.join(role_keys(m.roles)) or 'villager'}; contracts {', '.join(data['colours']) or 'none'}")
        for label, t in data["quarters"].items():
            out.print(f"  {label}: party {t['party']}, representative {t['rep']}, credit {t['credit']}")
        if a.graded:
            out.print(f"  {args.year}: stars {a.stars}, party {MEMBER_GRADES.get(a.party_grade, '-')}, representative {MEMBER_GRADES.get(a.rep_grade, '-')}")

    ctx.emit(data, text)


def village_standings(ctx: Context) -> None:
    v = _client(ctx)
    q = _quarter(ctx.args.quarter)
    rows = v.standings(q)

    def text() -> None:
        t = Table(title=f"{quarter_label(q)} standings (R-VC-7), tenths")
        for col in ("rank", "idx", "person", "party", "rep", "credit"):
            t.add_column(col)
        for s in rows:
            t.add_row(str(s.rank), str(s.idx), hexstr(s.person)[:10], str(s.totals.party), str(s.totals.rep), str(s.totals.credit))
        out.print(t)

    ctx.emit({"quarter": quarter_label(q), "state": v.quarter(q).state.name.lower(), "standings": [s.as_json() for s in rows]}, text)


# ------------------------------------------------------------------ parser


def add_commands(sub: Any) -> None:
    vp = sub.add_parser("village", help="village contract + credit points (SPEC §9)").add_subparsers(dest="sub", required=True)

    def cmd(name: str, fn: Command, help: str, market: bool = False) -> argparse.ArgumentParser:
        sp = command(vp, name, fn, help, contract=("--village", "the village's VillageLedger address"))
        if market:
            sp.add_argument("--market", required=True, help="the village's CreditSupermarket address")
        return sp

    sp = command(vp, "framework", village_framework, "deploy the district's framework (R-VC-1)")
    sp.add_argument("--district", required=True)
    sp.add_argument("--profile", default="village")
    sp = command(vp, "deploy", village_deploy, "deploy a village (ledger, quarters, supermarket); --from holds VILLAGE_OFFICE")
    for flag in ("--jurisdiction", "--persons", "--framework", "--code"):
        sp.add_argument(flag, required=True)
    sp.add_argument("--profile", default="village")
    sp = cmd("member", village_member, "the town records a person's functions and team")
    sp.add_argument("person")
    sp.add_argument("--roles", default="", help="comma-separated: party, representative, council, secretary, keeper")
    sp.add_argument("--team", type=whole(0, 3), default=0)
    sp = cmd("list-propose", village_list_propose, "the secretary puts the profile's criteria list to the assembly (R-VC-2)")
    sp.add_argument("--profile", default="village")
    sp = cmd("list-vote", village_list_vote, "a representative votes on a list (R-VC-2)")
    sp.add_argument("version", type=whole(1, UINT16))
    sp.add_argument("position", choices=("yes", "no"))
    cmd("list-show", village_list_show, "the lists and their votes")
    sp = cmd("contract-sign", village_contract_sign, "sign a five-colour contract with the person's own key (R-VC-3)")
    sp.add_argument("--person", required=True)
    sp.add_argument("--year", type=whole(1970, UINT16), required=True)
    sp.add_argument("--colour", required=True, help="red, yellow, blue, green or silver")
    sp.add_argument("--duties", required=True, help="the contract's text (its fingerprint is signed)")
    sp = cmd("month", village_month, "open a month: list, team on duty, window (anyone)")
    sp.add_argument("month", help="YYYY-MM")
    sp = cmd("declare", village_declare, "declare a positive item done (R-VC-5)")
    sp.add_argument("--month", required=True, help="YYYY-MM")
    sp.add_argument("--criterion", required=True, help="a positive criterion: its code (P04) or number")
    sp.add_argument("--day", type=whole(1, 31), required=True)
    sp.add_argument("--evidence", required=True, help="evidence file (its fingerprint goes on chain)")
    sp.add_argument("--profile", default="village")
    sp = cmd("verify", village_verify, "the team on duty verifies declarations (R-VC-6)")
    sp.add_argument("ids", type=ID, nargs="*", help="declarations accepted")
    sp.add_argument("--reject", type=ID, nargs="*", default=[], help="declarations rejected")
    sp = cmd("record", village_record, "the team on duty records a negative item (R-VC-5)")
    sp.add_argument("person")
    sp.add_argument("--month", required=True)
    sp.add_argument("--criterion", required=True, help="a negative criterion: its code (N06) or number")
    sp.add_argument("--day", type=whole(1, 31), required=True)
    sp.add_argument("--evidence", required=True)
    sp.add_argument("--profile", default="village")
    sp = cmd("publish", village_publish, "a council member publishes a quarter's standings (R-VC-7)")
    sp.add_argument("quarter", help="YYYYQn")
    sp = cmd("object", village_object, "object to a standing within the window (R-VC-7)")
    sp.add_argument("quarter")
    sp.add_argument("--subject", required=True)
    sp.add_argument("--entry", type=ID, default=0, help="a declaration or negative item of theirs (0: the standing)")
    sp.add_argument("--grounds", required=True)
    sp = cmd("rule", village_rule, "a council member votes a ruling on an objection (R-VC-7)")
    sp.add_argument("objection", type=ID)
    sp.add_argument("decision", choices=("uphold", "reject"))
    sp.add_argument("--kind", choices=tuple(KINDS), default="credit")
    sp.add_argument("--delta", type=int, default=0, help="correction in tenths (upheld)")
    sp.add_argument("--reason", required=True)
    sp = cmd("finalize", village_finalize, "make a quarter final after its window (anyone)")
    sp.add_argument("quarter")
    sp = cmd("grade", village_grade, "grade the year's persons from four final quarters (R-VC-8)")
    sp.add_argument("year", type=whole(1970, UINT16))
    sp = cmd("redeem", village_redeem, "redeem at the supermarket: --from is the keeper, --person-key the villager (R-VC-10)", market=True)
    sp.add_argument("--person", required=True)
    sp.add_argument("--keeper", required=True)
    sp.add_argument("--person-key", required=True, help="the villager's key: index or address among the configured keys")
    sp.add_argument("--item", required=True, help="catalogue item number")
    sp.add_argument("--quantity", type=whole(1, 2**32 - 1), required=True)
    sp = cmd("show", village_show, "a person's record: functions, contracts, quarters, grades")
    sp.add_argument("person")
    sp.add_argument("--year", type=whole(1970, UINT16), required=True)
    sp = cmd("standings", village_standings, "a quarter's standings in rank order, rulings included")
    sp.add_argument("quarter")
