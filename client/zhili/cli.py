"""The ``zhili`` command. Thin: parses arguments, calls the library, prints tables or ``--json``.

Exit codes: 0 success, 1 a check failed (e.g. an invalid profile), 2 bad input or a rule the chain
refused (message names the rule ID and the offending value), 3 the chain could not be reached.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable, Sequence

from rich.console import Console
from rich.table import Table

from . import __version__, cli_election, cli_merit, profiles, registry
from .build import BuildError
from .chain import ChainError, ContractRevert, connect
from .election import BallotError
from .types import Category, Office

out = Console()
err = Console(stderr=True, soft_wrap=True)


class CliError(Exception):
    """Bad input caught before anything reached the chain."""


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _jurisdiction_tables(view: registry.JurisdictionView, profile: profiles.Profile) -> None:
    out.print(f"[bold]{view.name}[/bold] ({view.code}) — {profile.data['name']['zh']} profile, registry at {view.address}")
    w = Table(title="Weights by category (R-WD-1), threshold %d (R-WD-2)" % view.params["threshold"])
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


# ------------------------------------------------------------------ commands


def cmd_build(args: argparse.Namespace) -> int:
    from .build import write_artifacts

    for path in write_artifacts(args.evm_version):
        out.print(f"wrote {path}")
    return 0


def cmd_profile_validate(args: argparse.Namespace) -> int:
    profile = profiles.load(args.profile)
    problems = registry.validate(profile)
    if args.json:
        _print_json({"profile": profile.source, "valid": not problems, "problems": problems, "notes": profile.notes})
    else:
        for n in profile.notes:
            out.print(f"[yellow]note[/yellow] {n}")
        for p in problems:
            err.print(f"[red]error[/red] {p}")
        if not problems:
            out.print(f"[green]valid[/green] {profile.source}")
    return 1 if problems else 0


def cmd_deploy(args: argparse.Namespace) -> int:
    profile = profiles.load(args.profile)
    roles: dict[str, list[str]] = {}
    for spec in args.role:
        name, _, address = spec.partition("=")
        if name not in registry.ROLES or not address.startswith("0x") or len(address) != 42:
            raise CliError(f"--role {spec!r}: expected NAME=0xADDRESS with NAME one of {', '.join(registry.ROLES)}")
        roles.setdefault(name, []).append(address)
    with connect(args.chain, chain_id=args.chain_id) as chain:
        contract = registry.deploy_jurisdiction(chain, profile, args.code, args.name, roles=roles)
        view = registry.read_jurisdiction(chain, contract)
        if args.json:
            _print_json({"chain": chain.kind, "chain_id": chain.chain_id, "jurisdiction": view.as_json()})
        else:
            _jurisdiction_tables(view, profile)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    profile = profiles.load("township")
    say = err.print if args.json else out.print  # with --json, stdout is the JSON document only
    with connect(args.chain) as chain:
        say(f"[bold]zhili demo[/bold] on the {chain.kind} chain (chain id {chain.chain_id})")
        for n in profile.notes:
            say(f"[yellow]profile note[/yellow] {n}")
        roles = {role: [chain.accounts[1 + i].address] for i, role in enumerate(registry.ROLES)}
        contract = registry.deploy_jurisdiction(chain, profile, "330110-001", "良渚镇 (demo)", roles=roles)
        view = registry.read_jurisdiction(chain, contract)
        if args.json:
            _print_json({"chain": chain.kind, "jurisdiction": view.as_json(), "gas": chain.gas_used})
        else:
            _jurisdiction_tables(view, profile)
            g = Table(title="Gas used")
            g.add_column("operation")
            g.add_column("transactions", justify="right")
            g.add_column("gas (total)", justify="right")
            for label, used in chain.gas_used.items():
                g.add_row(label, str(len(used)), f"{sum(used):,}")
            out.print(g)
    return 0


# ------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zhili", description="Township and county governance rules on an EVM chain.")
    p.add_argument("--version", action="version", version=f"zhili {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def chain_opt(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--chain", default="embedded", help="embedded (default), anvil, or a JSON-RPC URL")
        sp.add_argument("--chain-id", type=int, default=None, help="expected chain id (checked for a URL)")

    sp = sub.add_parser("build", help="compile contracts/ into the shipped artifacts (needs npm ci)")
    sp.add_argument("--evm-version", default=None, help="EVM version (default paris, or $ZHILI_EVM_VERSION)")
    sp.set_defaults(fn=cmd_build)

    prof = sub.add_parser("profile", help="jurisdiction profiles").add_subparsers(dest="sub", required=True)
    sp = prof.add_parser("validate", help="check a profile file or a built-in profile (township, county)")
    sp.add_argument("profile")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_profile_validate)

    sp = sub.add_parser("deploy", help="deploy a jurisdiction registry from a profile")
    sp.add_argument("--profile", default="township")
    sp.add_argument("--code", required=True, help="administrative code of the jurisdiction")
    sp.add_argument("--name", required=True)
    sp.add_argument("--role", action="append", default=[], metavar="NAME=ADDRESS", help="grant an external role (repeatable)")
    sp.add_argument("--json", action="store_true")
    chain_opt(sp)
    sp.set_defaults(fn=cmd_deploy)

    cli_election.add_commands(sub, chain_opt)
    cli_merit.add_commands(sub, chain_opt)

    sp = sub.add_parser("demo", help="run the bundled township demo on the embedded chain")
    sp.add_argument("--json", action="store_true")
    chain_opt(sp)
    sp.set_defaults(fn=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    fn: Callable[[argparse.Namespace], int] = args.fn
    try:
        return fn(args)
    except profiles.ProfileError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        return 2
    except (ContractRevert, CliError, cli_election.CliInputError, BallotError, cli_merit.MeritInputError) as exc:
        err.print(f"[red]refused[/red] {exc}", highlight=False)
        return 2
    except BuildError as exc:
        err.print(f"[red]build failed[/red] {exc}", highlight=False)
        return 2
    except ChainError as exc:
        err.print(f"[red]chain[/red] {exc}", highlight=False)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
