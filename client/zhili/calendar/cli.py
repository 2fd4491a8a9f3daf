"""``zhili calendar …``: the province's working-day calendar on chain (SPEC §8, docs/calendar.md).

zhili calendar deploy [--authority 0x…]                         # prints the calendar address
zhili calendar publish 2027 --notice 2027.yaml --calendar 0x…  # the calendar authority, each November
zhili calendar publish 2026 --from-library --calendar 0x…       # a year chinese-calendar covers
zhili calendar show 2027 --calendar 0x… [--json]
zhili calendar deadline START N --calendar 0x… [--json]         # the on-chain deadline, recomputed too
zhili calendar check 2027.yaml [--json]                          # validate a notice file (no chain)
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import Any

from ..calendar.client import CalendarClient
from ..cli.args import BadInput, address, contract_at, whole
from ..cli.common import Context, command, json_option, out, print_json
from ..core.chain import Chain
from ..core.workdays import CST, Notice, show


def _client(chain: Chain, args: argparse.Namespace) -> CalendarClient:
    return CalendarClient.at(chain, contract_at(chain, "WorkCalendar", args.calendar, "--calendar"))


def _notice(args: argparse.Namespace) -> Notice:
    if args.from_library == bool(args.notice):
        raise BadInput("SPEC §8: give exactly one of --notice FILE.yaml or --from-library")
    n = Notice.from_library(args.year) if args.from_library else Notice.load(args.notice)
    if n.year != args.year:
        raise BadInput(f"SPEC §8: --notice {args.notice} is the notice of {n.year}, not of {args.year}")
    return n


def _instant(text: str) -> int:
    if text.isdigit():
        return int(text)
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(f"SPEC §8: start {text!r} is not a time (unix seconds or ISO 8601, CST if no zone)") from None
    return int((t if t.tzinfo else t.replace(tzinfo=CST)).timestamp())


def calendar_deploy(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = CalendarClient.deploy(chain, admin=chain.account(ctx.sender), authority=args.authority)
    ctx.emit({"calendar": c.address}, f"working-day calendar at {c.address}")


def calendar_publish(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    notice = _notice(args)
    c = _client(chain, args)
    ym = c.publish(notice, chain.account(ctx.sender))
    ctx.emit(
        {"calendar": c.address, **ym.as_json(), "source": notice.source},
        f"published {ym.year}: {ym.working_days} working days, {len(ym.weekday_holidays())} weekday holidays, "
        f"{len(ym.worked_weekends())} adjusted working weekend days; notice sha256 0x{notice.fingerprint.hex()}",
    )


def calendar_show(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    res = _client(chain, args).show(args.year)
    ctx.emit(
        res,
        f"{args.year}: {res['working_days']} working days; notice {res['notice']}\n"
        f"  holidays on weekdays: {', '.join(res['weekday_holidays'])}\n"
        f"  adjusted working weekends: {', '.join(res['worked_weekends'])}",
    )


def calendar_deadline(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    c = _client(chain, args)
    start = _instant(args.start)
    d = c.deadline(start, args.days)  # names the unpublished year and the command, before any call
    on_chain = c.deadline_on_chain(start, args.days)
    agree = on_chain == d.deadline
    ctx.emit(
        {**d.as_json(), "on_chain": on_chain, "agree": agree},
        f"{args.days} working days from {show(start)}: until {show(d.deadline)} (last day {d.last_day}); on chain {'the same' if agree else show(on_chain)}",
    )


def calendar_check(args: argparse.Namespace) -> int:
    n = Notice.load(args.notice)  # a CalendarError is bad input (exit 2)
    ym = n.year_map()
    res = {**ym.as_json(), "source": n.source, "notice": "0x" + n.fingerprint.hex()}
    if args.json:
        print_json(res)
    else:
        out.print(f"{args.notice}: a valid notice of {n.year} ({ym.working_days} working days); sha256 {res['notice']}")
    return 0


def add_commands(sub: Any) -> None:
    cp = sub.add_parser("calendar", help="the working-day calendar on chain (SPEC §8)").add_subparsers(dest="sub", required=True)

    def cmd(name: str, fn: Callable[[Context], None], help: str, target: bool = True) -> argparse.ArgumentParser:
        return command(cp, name, fn, help, contract=("--calendar", "WorkCalendar contract address (zhili deploy prints it)") if target else None)

    sp = cmd("deploy", calendar_deploy, "deploy a province's working-day calendar", target=False)
    sp.add_argument("--authority", type=address, default=None, help="account that publishes years (default: the deployer)")
    sp = cmd("publish", calendar_publish, "publish a year (calendar authority; final)")
    sp.add_argument("year", type=whole(1970, 2199))
    sp.add_argument("--notice", default=None, help="the State Council's notice as YAML (docs/calendar.md)")
    sp.add_argument("--from-library", action="store_true", help="take the year from the installed chinese-calendar")
    sp = cmd("show", calendar_show, "a published year's working days")
    sp.add_argument("year", type=whole(1970, 2199))
    sp = cmd("deadline", calendar_deadline, "the deadline of N working days from START, as the contracts compute it")
    sp.add_argument("start", help="unix seconds or ISO 8601 (CST if no zone)")
    sp.add_argument("days", type=whole(1, 255))
    sp = cp.add_parser("check", help="validate a notice file (no chain)")
    sp.add_argument("notice")
    json_option(sp)
    sp.set_defaults(fn=calendar_check)
