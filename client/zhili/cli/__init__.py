"""The ``zhili`` command. Thin: parses arguments, calls the library, prints tables or ``--json``.

Exit codes: 0 success, 1 a check failed (e.g. an invalid profile), 2 bad input or a rule the chain
refused (message names the rule ID and the offending value), 3 the chain could not be reached,
4 a run journal does not fit the run (``zhili run --journal``; nothing was sent).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from .. import __version__, profiles
from ..admin import cli as cli_admin
from ..bench import cli as cli_bench
from ..calendar import cli as cli_calendar
from ..cli import common as cli_common
from ..console import cli as cli_console
from ..core.files import write_atomic
from ..council import cli as cli_council
from ..deploy import cli as cli_deploy
from ..election import cli as cli_election
from ..errors import ZhiliError
from ..evidence import cli as cli_doc
from ..index import cli as cli_index
from ..jurisdiction import registry
from ..merit import cli as cli_merit
from ..persons import cli as cli_persons
from ..scenario import report
from ..scenario import runner as scenario
from ..village import cli as cli_village
from .args import BadInput

out = Console()
err = Console(stderr=True, soft_wrap=True)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


# ------------------------------------------------------------------ commands


def cmd_build(args: argparse.Namespace) -> int:
    from ..core.build import write_anchor_artifacts, write_artifacts

    for path in (write_anchor_artifacts if args.anchors else write_artifacts)(args.evm_version):
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


def _run_scenario(data: dict[str, Any], args: argparse.Namespace, default_report: str | None) -> int:
    say = err.print if args.json == "-" else out.print  # with --json -, stdout is the JSON document only
    with (err if args.json == "-" else out).status("running…") as status:

        def progress(msg: str) -> None:
            status.update(msg)
            say(f"[dim]·[/dim] {msg}")

        result = scenario.execute(
            data, args.chain, rehearse=not args.no_rehearsal, progress=progress, chain_id=args.chain_id,
            journal=getattr(args, "journal", None), seed=_seed(getattr(args, "seed", None)),
        )  # fmt: skip
    report_path = args.report or default_report
    if report_path:
        result["report"] = str(report.write_html(result, Path(report_path)))
    if args.json:
        text = json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            write_atomic(args.json, text, replace=True)
    if args.json != "-":
        report.print_summary(result, out)
        if report_path:
            out.print(f"HTML report: [bold]{result['report']}[/bold]")
        if args.json:
            out.print(f"JSON result: {args.json}")
    return 0


def _seed(text: str | None) -> bytes | None:
    if text is None:
        return None
    try:
        seed = bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        seed = b""
    if len(seed) != 32:
        raise BadInput(f"--seed {text!r}: expected 32 bytes as 64 hex digits")
    return seed


def cmd_run(args: argparse.Namespace) -> int:
    return _run_scenario(scenario.load(args.scenario), args, None)


def cmd_demo(args: argparse.Namespace) -> int:
    data = scenario.load(args.scenario)
    (err if args.json == "-" else out).print(f"[bold]zhili demo[/bold]: {data.get('title', args.scenario)} ({args.scenario} profile) on the {args.chain} chain")
    return _run_scenario(data, args, f"reports/zhili-demo-{args.scenario}.html")


# ------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zhili", description="Township and county governance rules on an EVM chain.")
    p.add_argument("--version", action="version", version=f"zhili {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chain_opt = cli_common.chain_options

    sp = sub.add_parser("build", help="compile contracts/ into the shipped artifacts (needs npm ci)")
    sp.add_argument("--evm-version", default=None, help="EVM version (default paris, or $ZHILI_EVM_VERSION)")
    sp.add_argument("--anchors", action="store_true", help="build the benchmark anchors (OZ Governor, EAS, Safe) instead")
    sp.set_defaults(fn=cmd_build)

    prof = sub.add_parser("profile", help="jurisdiction profiles").add_subparsers(dest="sub", required=True)
    sp = prof.add_parser("validate", help="check a profile file or a built-in profile (township, county)")
    sp.add_argument("profile")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_profile_validate)

    cli_deploy.add_commands(sub)
    cli_admin.add_commands(sub)
    cli_persons.add_commands(sub)
    cli_election.add_commands(sub)
    cli_council.add_commands(sub)
    cli_doc.add_commands(sub)
    cli_merit.add_commands(sub)
    cli_bench.add_commands(sub)
    cli_calendar.add_commands(sub)
    cli_index.add_commands(sub)
    cli_console.add_commands(sub)
    cli_village.add_commands(sub)

    def run_opts(sp: argparse.ArgumentParser) -> None:
        chain_opt(sp)
        sp.add_argument("--json", default=None, metavar="OUT", help="write the result as JSON to OUT (- for stdout)")
        sp.add_argument("--report", default=None, metavar="HTML", help="write the HTML report there")
        sp.add_argument("--no-rehearsal", action="store_true", help="for a real node: skip the in-process rehearsal")

    sp = sub.add_parser("run", help="execute a scenario file on a chain and report what the chain decided")
    sp.add_argument("scenario", help="a scenario YAML file, or a bundled one: township, county")
    run_opts(sp)
    sp.add_argument("--journal", default=None, metavar="FILE",
                    help="resumable run on a URL chain: every transaction is journaled before it is sent; run again with the same FILE after a crash to continue")  # fmt: skip
    sp.add_argument("--seed", default=None, metavar="HEX", help="32-byte seed of the run's secrets (credentials, salts): the same seed gives the same transactions")
    sp.set_defaults(fn=cmd_run)

    sp = sub.add_parser("demo", help="run a bundled scenario (the township term by default; county; the village year) on the embedded chain, with an HTML report")
    sp.add_argument("--scenario", default="township", choices=scenario.SCENARIOS)
    run_opts(sp)
    sp.set_defaults(fn=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    fn: Callable[[argparse.Namespace], int] = args.fn
    try:
        return fn(args)
    except ZhiliError as exc:  # one clause: the class carries its exit code and prefix (errors.py)
        err.print(f"[red]{exc.prefix}[/red] {exc}", highlight=False)
        return exc.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
