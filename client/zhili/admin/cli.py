"""``zhili admin …``: the two bodies of the ``AdminTimelock`` (issue 17; docs/consortium.md).

zhili admin show     [--manifest deployments/x.json | --timelock 0x…] [--json]
zhili admin pending  [--all] (…) [--json]
zhili admin schedule grant|revoke ROLE --to 0x… --on jurisdiction|persons|merit_book|calendar|0x… [--after ID] (…) --from <body A>
zhili admin execute  ID [ID …] (…) --from <body B>
zhili admin cancel   ID (…) --from <body A>

The timelock and the contracts named by ``--on`` come from the deployment record (``--manifest``:
its steps ``admin_timelock``, ``jurisdiction``, ``persons`` …) or are given by address
(``--timelock``, ``--on 0x…``). ``schedule`` computes the calldata, a fresh salt, the predecessor (none,
or ``--after``) and the delay (the manifest's profile's ``deadlines.admin_delay_days``, at least the
timelock's minimum); the contract refuses what the bodies may not do, and the command names its error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address
from rich.table import Table

from .. import profiles
from ..cli.args import BadInput, contract_at, parse_address, read_json
from ..cli.common import Context, command, out
from .client import ACTIONS, ROLES, ZERO32, AdminClient, Operation, role_of, when


def _manifest(ctx: Context) -> dict[str, Any] | None:
    path = getattr(ctx.args, "manifest", None)
    if not path:
        return None
    if not Path(path).is_file():
        raise BadInput(f"--manifest {path}: no such file")
    data: Any = read_json(path, "--manifest")
    if not isinstance(data, dict) or not isinstance(data.get("steps"), dict):
        raise BadInput(f"--manifest {path}: not a deployment manifest (zhili deploy --manifest, scripts/deploy.py)")
    if data.get("chain_id") != ctx.chain.chain_id:
        raise BadInput(f"--manifest {path} was written for chain id {data.get('chain_id')}, the node reports {ctx.chain.chain_id}")
    return data


def _addresses(manifest: dict[str, Any] | None) -> dict[str, str]:
    if manifest is None:
        return {}
    return {k: str(v["address"]) for k, v in manifest["steps"].items() if isinstance(v, dict) and v.get("status") == "done" and "address" in v}


def _timelock(ctx: Context) -> tuple[AdminClient, dict[str, Any] | None]:
    manifest = _manifest(ctx)
    given = getattr(ctx.args, "timelock", None)
    address = given or _addresses(manifest).get("admin_timelock")
    if not address:
        where = f"--manifest {ctx.args.manifest} has no admin_timelock step (deployed without admin_timelock in the config)" if manifest else "give --manifest or --timelock"
        raise BadInput(f"no timelock: {where}")
    return AdminClient.at(ctx.chain, contract_at(ctx.chain, "AdminTimelock", address, "--timelock" if given else "admin_timelock")), manifest


def _op_id(text: str) -> bytes:
    raw = text.removeprefix("0x")
    try:
        value = bytes.fromhex(raw)
    except ValueError:
        value = b""
    if len(value) != 32 or not text.startswith("0x"):
        raise BadInput(f"operation id {text!r}: expected 0x and 64 hex digits (zhili admin pending)")
    return value


def _table(title: str, ops: list[Operation], now: int) -> None:
    t = Table(title=title)
    for col in ("operation", "call", "target", "ready at (CST)", "state"):
        t.add_column(col)
    for op in ops:
        state = op.state if op.state != "waiting" else f"waiting ({op.ready_at - now} s)"
        t.add_row("0x" + op.id.hex(), op.call, op.target, when(op.ready_at), state)
    out.print(t)


# ------------------------------------------------------------------ commands


def admin_show(ctx: Context) -> None:
    t, manifest = _timelock(ctx)
    administered = {}
    for name, address in _addresses(manifest).items():
        if name in ("jurisdiction", "persons", "merit_book", "calendar"):
            c = ctx.chain.contract("Jurisdiction", address)
            administered[name] = {"address": address, "timelock_is_admin": bool(ctx.chain.call(c.functions.hasRole(b"\0" * 32, t.address)))}
    ops = t.operations()
    counts = {s: sum(op.state == s for op in ops) for s in ("waiting", "ready", "done", "cancelled")}
    data: dict[str, Any] = {"timelock": t.address, "min_delay": t.min_delay, "members": t.members(), "administers": administered, "operations": counts, "now": ctx.chain.now()}

    def text() -> None:
        out.print(f"AdminTimelock {t.address}: minimum delay {t.min_delay} s ({t.min_delay / 86400:g} days)")
        for role, accounts in data["members"].items():
            out.print(f"  {role}: {', '.join(accounts) or '[dim]nobody[/dim]'}")
        for name, a in administered.items():
            out.print(f"  {name} {a['address']}: " + ("administered by the timelock" if a["timelock_is_admin"] else "[yellow]not administered by this timelock[/yellow]"))
        out.print("  operations: " + ", ".join(f"{n} {s}" for s, n in counts.items()))

    ctx.emit(data, text)


def admin_pending(ctx: Context) -> None:
    t, _ = _timelock(ctx)
    ops = t.operations() if ctx.args.all else t.pending()
    now = ctx.chain.now()
    ctx.emit({"timelock": t.address, "now": now, "operations": [op.as_json() for op in ops]}, lambda: _table(f"Operations of {t.address} (chain time {when(now)})", ops, now))


def admin_schedule(ctx: Context) -> None:
    args, chain = ctx.args, ctx.chain
    t, manifest = _timelock(ctx)
    targets = _addresses(manifest)
    if args.on.startswith("0x"):
        target = parse_address(args.on, "--on")
        if not chain.w3.eth.get_code(to_checksum_address(target)):
            raise BadInput(f"--on {target}: no contract at this address on chain {chain.chain_id}")
    elif args.on in targets:
        target = targets[args.on]
    else:
        known = ", ".join(sorted(targets)) if manifest else "none without --manifest"
        raise BadInput(f"--on {args.on!r}: not a contract of the deployment record (known: {known}; or give an address)")
    account = parse_address(args.account, "--to")
    profile_delay = profiles.load(manifest["jurisdiction"]["profile"]).admin_delay_seconds if manifest and isinstance(manifest.get("jurisdiction"), dict) else None
    predecessor = _op_id(args.after) if args.after else ZERO32
    data = t.role_call(args.action, role_of(args.role), account, target)
    op = t.schedule(target, data, ctx.sender, delay=t.delay_for(profile_delay), predecessor=predecessor)
    hint = f"zhili admin execute 0x{op.id.hex()} --timelock {t.address} --from <the executing body>"
    ctx.emit(
        {"id": "0x" + op.id.hex(), "operation": op.as_json(), "execute": hint},
        f"scheduled 0x{op.id.hex()}: {op.call} on {op.target}, public now; ready at {when(op.ready_at)} (after {op.delay} s). Then: {hint}",
    )


def admin_execute(ctx: Context) -> None:
    t, _ = _timelock(ctx)
    ids = [_op_id(x) for x in ctx.args.ids]
    done = [t.execute(i, ctx.sender) for i in ids]
    ctx.emit({"timelock": t.address, "executed": [op.as_json() for op in done]}, "\n".join(f"executed 0x{op.id.hex()}: {op.call} on {op.target}" for op in done))


def admin_cancel(ctx: Context) -> None:
    t, _ = _timelock(ctx)
    op = t.cancel(_op_id(ctx.args.id), ctx.sender)
    ctx.emit({"operation": op.as_json()}, f"cancelled 0x{op.id.hex()}: {op.call} on {op.target} will never run")


# ------------------------------------------------------------------ parser


def add_commands(sub: Any) -> None:
    ad = sub.add_parser("admin", help="the admin timelock's two bodies: schedule, execute, cancel admin actions (issue 17)").add_subparsers(dest="sub", required=True)

    def cmd(name: str, fn: Any, help: str, sender: bool = True) -> argparse.ArgumentParser:
        sp = command(ad, name, fn, help, sender=sender)
        sp.add_argument("--manifest", default=None, metavar="FILE", help="the deployment record (deployments/<network>.json): the timelock and the contracts by name")
        sp.add_argument("--timelock", default=None, help="the AdminTimelock's address (default: the manifest's admin_timelock)")
        return sp

    cmd("show", admin_show, "the timelock: delay, bodies, what it administers, its operations by state", sender=False)
    sp = cmd("pending", admin_pending, "operations waiting or ready, with their ready time from the chain", sender=False)
    sp.add_argument("--all", action="store_true", help="also the executed and cancelled ones")
    sp = cmd("schedule", admin_schedule, "body A: schedule a role grant or revocation on an administered contract (public, ready after the delay)")
    sp.add_argument("action", choices=tuple(ACTIONS))
    sp.add_argument("role", choices=tuple(ROLES), type=str.lower, metavar="ROLE", help="a zhili role name (office_writer, record_writer, auditor …)")
    sp.add_argument("--to", "--account", dest="account", required=True, help="the account whose role it is")
    sp.add_argument("--on", required=True, help="the contract: a step of the manifest (jurisdiction, persons, merit_book, calendar …) or an address")
    sp.add_argument("--after", default=None, metavar="ID", help="predecessor: run only after this operation was executed")
    sp = cmd("execute", admin_execute, "body B: carry out scheduled operations once ready (refused before, by the contract)")
    sp.add_argument("ids", nargs="+", metavar="ID", help="operation ids (zhili admin pending)")
    sp = cmd("cancel", admin_cancel, "body A: cancel a pending operation")
    sp.add_argument("id", metavar="ID")
