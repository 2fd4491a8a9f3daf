"""``zhili deploy`` and ``zhili status``: the deployment plan from the command line (docs/consortium.md).

zhili deploy --code 330110-001 --name 良渚镇 [--profile township] [--role NAME=0x…]… [--calendar 0x…]
             [--persons 0x…] [--merit-book 0x…] [--admin-proposer 0x… --admin-executor 0x…]
             [--manifest deployments/x.json] [--json]
zhili status --manifest deployments/<network>.json [--json]

``zhili deploy`` deploys and wires every contract of the jurisdiction and, unless given, its
province's calendar, person registry and merit book (:data:`zhili.deploy.plan.TABLE`). With
``--manifest`` it is resumable: killed, run it again with the same manifest and it continues, sending
nothing twice (``scripts/deploy.py`` does the same from ``zhili-config.yaml``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.table import Table

from .. import profiles
from ..cli.args import BadInput, contract_at, parse_address
from ..cli.common import Context, chain_options, json_option, out, sender_option, with_chain
from ..core.workdays import Notice, covered_years, cst_day
from ..jurisdiction import registry
from ..types import Category, Office
from . import plan


def _roles(specs: list[str]) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    known = registry.ROLES + registry.EXTRA_ROLES
    for spec in specs:
        name, _, address = spec.partition("=")
        if name not in known or not address.startswith("0x") or len(address) != 42:
            raise BadInput(f"--role {spec!r}: expected NAME=0xADDRESS with NAME one of {', '.join(known)}")
        roles.setdefault(name, []).append(address)
    return roles


def _timelock(args: argparse.Namespace) -> tuple[list[str], list[str]] | None:
    """``--admin-proposer``/``--admin-executor`` (issue 17): two bodies, neither empty, no key in both."""
    proposers = [parse_address(a, "--admin-proposer") for a in args.admin_proposer]
    executors = [parse_address(a, "--admin-executor") for a in args.admin_executor]
    if not proposers and not executors:
        return None
    if not proposers or not executors:
        raise BadInput("--admin-proposer and --admin-executor go together: an admin action needs two bodies (issue 17)")
    both = set(proposers) & set(executors)
    if both:
        raise BadInput(f"--admin-executor {sorted(both)[0]} also proposes; an admin action needs two bodies (issue 17)")
    return proposers, executors


def deploy(ctx: Context, profile: profiles.Profile, roles: dict[str, list[str]], timelock: tuple[list[str], list[str]] | None = None) -> None:
    chain, args = ctx.chain, ctx.args
    given = {
        "calendar": contract_at(chain, "WorkCalendar", args.calendar, "--calendar") if args.calendar else None,
        "persons": contract_at(chain, "PersonRegistry", args.persons, "--persons") if args.persons else None,
        "merit_book": contract_at(chain, "MeritBook", args.merit_book, "--merit-book") if args.merit_book else None,
    }
    if args.manifest:
        proposers, executors = timelock or ([], [])
        j = plan.JurisdictionConfig(args.code, args.name, args.profile, roles, timelock_proposers=proposers, timelock_executors=executors)
        m = plan.deploy(
            chain, j, Path(args.manifest), args.chain, sender=ctx.sender, existing_persons=given["persons"], existing_calendar=given["calendar"],
            existing_merit_book=given["merit_book"], progress=lambda s: None if ctx.json else out.print(f"[dim]·[/dim] {s}"),
        )  # fmt: skip
        addresses = m.addresses()
    else:
        acct = chain.account(ctx.sender)
        notices = [] if given["calendar"] else [Notice.from_library(y) for y in covered_years(cst_day(chain.now()).year)]
        params = plan.parameters(
            profile, args.code, args.name, acct.address, roles={r: h for r, h in roles.items() if r in registry.ROLES},
            secretariat=roles.get("secretariat", []), notices=notices, timelock=timelock,
        )  # fmt: skip
        plan.preflight(chain, params)  # nothing is sent for a jurisdiction the contract refuses
        addresses = {k: v for k, v in given.items() if v}
        plan.apply(chain, params, [g for g in plan.GROUPS if g not in addresses], addresses, sender=acct)
    view = registry.read_jurisdiction(chain, chain.contract("Jurisdiction", addresses["jurisdiction"]))
    data = {"chain": chain.kind, "chain_id": chain.chain_id, "jurisdiction": view.as_json(), "contracts": addresses, "manifest": args.manifest}
    ctx.emit(data, lambda: _tables(view, profile, addresses))


def _tables(view: registry.JurisdictionView, profile: profiles.Profile, addresses: dict[str, str]) -> None:
    out.print(f"[bold]{view.name}[/bold] ({view.code}) — {profile.data['name']['zh']} profile, registry at {view.address}")
    w = Table(title=f"Weights by category (R-WD-1), threshold {view.params['threshold']} (R-WD-2)")
    w.add_column("category")
    for o in Office:
        if o != Office.DISCIPLINE_DEPUTY:
            w.add_column(profile.office_label(o), justify="right")
    w.add_column("total", justify="right")
    for c in Category:
        row = view.weights[c]
        w.add_row(f"{c.key} {profile.category_label(c)}", *map(str, row), str(sum(row)))
    out.print(w)
    t = Table(title="Offices (R-OF-1)")
    t.add_column("office")
    t.add_column("label")
    t.add_column("holder (person id)")
    for o in Office:
        t.add_row(o.key, profile.office_label(o), view.holders[o.key] or "[dim]vacant[/dim]")
    out.print(t)
    contracts = Table(title="Contracts (zhili.deploy.plan)")
    contracts.add_column("step")
    contracts.add_column("address")
    for step, address in addresses.items():
        contracts.add_row(step, address)
    out.print(contracts)


def status(ctx: Context) -> int:
    try:
        rows = plan.status(ctx.chain, Path(ctx.args.manifest))
    except plan.DeployError as exc:
        raise BadInput(str(exc)) from None
    ok = all(r["code_matches"] for r in rows)

    def table() -> None:
        t = Table(title=f"Deployment {ctx.args.manifest}")
        for col in ("step", "contract", "address", "code"):
            t.add_column(col)
        for r in rows:
            t.add_row(r["step"], r["contract"], r["address"], "[green]matches[/green]" if r["code_matches"] else "[red]DIFFERS[/red]")
        out.print(t)

    ctx.emit({"manifest": ctx.args.manifest, "ok": ok, "contracts": rows}, table)
    return 0 if ok else 1


def _deploy_command(args: argparse.Namespace) -> int:
    """The profile and the roles are checked before the chain is reached."""
    profile, roles, timelock = profiles.load(args.profile), _roles(args.role), _timelock(args)
    return with_chain(lambda ctx: deploy(ctx, profile, roles, timelock))(args)


def add_commands(sub: Any) -> None:
    sp: argparse.ArgumentParser = sub.add_parser("deploy", help="deploy and wire every contract of a jurisdiction (and its province's) from a profile")
    sp.add_argument("--profile", default="township")
    sp.add_argument("--code", required=True, help="administrative code of the jurisdiction")
    sp.add_argument("--name", required=True)
    sp.add_argument("--role", action="append", default=[], metavar="NAME=ADDRESS", help="grant an external role (repeatable)")
    sp.add_argument("--calendar", default=None, help="the province's WorkCalendar (default: deploy one and publish the years chinese-calendar covers)")
    sp.add_argument("--persons", default=None, help="the province's PersonRegistry (default: deploy one)")
    sp.add_argument("--merit-book", default=None, help="the province's MeritBook (default: deploy one)")
    sp.add_argument("--admin-proposer", action="append", default=[], metavar="ADDRESS",
                    help="with --admin-executor: the admin roles go, last, to an AdminTimelock whose proposing body is ADDRESS (repeatable; issue 17, zhili admin)")  # fmt: skip
    sp.add_argument("--admin-executor", action="append", default=[], metavar="ADDRESS", help="the AdminTimelock's executing body (repeatable; not a proposer)")
    sp.add_argument("--manifest", default=None, metavar="FILE", help="resumable: record the steps there (and write ahead to FILE's .txlog); run again after a crash")
    sender_option(sp)
    json_option(sp)
    chain_options(sp)
    sp.set_defaults(fn=_deploy_command)

    sp = sub.add_parser("status", help="check a deployment against its manifest (code on chain = shipped artifacts)")
    sp.add_argument("--manifest", required=True, help="deployments/<network>.json")
    json_option(sp)
    chain_options(sp)
    sp.set_defaults(fn=with_chain(status))
