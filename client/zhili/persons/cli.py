"""``zhili persons …``: the province's person registry: deploy one, register a person with a key and
the identity commitment the id is bound to for good (issue 17: one id per person, so a blacklisted person
cannot come back under a new id), rotate a key with the old key, and recover a lost key (the registrar asks, a second body approves, anyone
completes it after the delay unless the person objects; issue 17)."""

from __future__ import annotations

import argparse
import os
from datetime import datetime, timezone
from typing import Any

from ..cli.args import BadInput, address, contract_at
from ..cli.common import Context, command, parse_person
from ..core.chain import Chain
from ..errors import InputError
from .client import deploy_person_registry, identity_commitment

ZERO = "0x" + "0" * 40


def persons_deploy(ctx: Context) -> None:
    c = deploy_person_registry(ctx.chain, ctx.sender)
    ctx.emit({"persons": c.address}, f"person registry at {c.address}")


def _persons(chain: Chain, args: argparse.Namespace) -> Any:
    return chain.contract("PersonRegistry", contract_at(chain, "PersonRegistry", args.persons, "--persons"))


def parse_identity(text: str) -> bytes:
    """``--identity``: ``0x`` + 64 hex digits is the commitment itself; anything else is a resident identity
    card number, committed with the province's identity key ``$ZHILI_IDENTITY_KEY`` (0x + 64 hex digits;
    no default: a public key would let anyone try the guessable card numbers). Refusals name R-MR-1."""
    text = text.strip()
    if text.startswith("0x"):
        raw = text[2:]
        if len(raw) != 64:
            raise InputError(f"R-MR-1: identity commitment {text!r} must be 0x followed by 64 hex digits")
        try:
            commitment = bytes.fromhex(raw)
        except ValueError:
            raise InputError(f"R-MR-1: identity commitment {text!r} is not hex") from None
        if not any(commitment):
            raise InputError("R-MR-1: the identity commitment is zero (it binds no one)")
        return commitment
    key = os.environ.get("ZHILI_IDENTITY_KEY", "").strip()
    if not key:
        raise InputError("R-MR-1: a card number is committed with the province identity key: set ZHILI_IDENTITY_KEY (0x and 64 hex digits), or give the commitment (0x…)")
    try:
        raw_key = bytes.fromhex(key[2:] if key.startswith("0x") else key)
    except ValueError:
        raise InputError("R-MR-1: ZHILI_IDENTITY_KEY is not hex (0x and 64 hex digits)") from None
    return identity_commitment(text, raw_key)


def persons_register(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    persons = _persons(chain, args)
    pid = parse_person(args.person)
    identity = parse_identity(args.identity)
    chain.transact(persons.functions.register(pid, args.key, identity), ctx.sender, label="persons.register")
    ctx.emit({"person": pid, "identity": "0x" + identity.hex()}, f"registered 0x{pid.hex()} with key {args.key}, bound to identity 0x{identity.hex()}")


def _key_state(ctx: Context, persons: Any, pid: bytes) -> dict[str, Any]:
    key = ctx.chain.call(persons.functions.keyOf(pid))
    new_key, ready_at, approved, requested_by = ctx.chain.call(persons.functions.recovery(pid))
    pending = None if new_key == ZERO else {"new_key": new_key, "ready_at": int(ready_at), "approved": bool(approved), "requested_by": requested_by}
    return {"person": "0x" + pid.hex(), "key": key, "recovery": pending}


def _emit_key(ctx: Context, persons: Any, pid: bytes) -> None:
    st = _key_state(ctx, persons, pid)
    r = st["recovery"]
    when = "" if r is None else datetime.fromtimestamp(r["ready_at"], timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    pending = "no recovery pending" if r is None else f"recovery to {r['new_key']} {'approved' if r['approved'] else 'awaiting approval'}, not before {when}"
    ctx.emit(st, f"{st['person']}: key {st['key']}; {pending}")


def persons_rotate(ctx: Context) -> None:
    """The person's own key replaces itself (``--from`` the current key)."""
    persons, pid = _persons(ctx.chain, ctx.args), parse_person(ctx.args.person)
    ctx.chain.transact(persons.functions.rotateKey(pid, ctx.args.new_key), ctx.sender, label="persons.rotateKey")
    _emit_key(ctx, persons, pid)


def persons_recovery(ctx: Context) -> None:
    """One step of a key recovery: request (registrar), approve (second body), complete (anyone), cancel
    (the person's key or the registrar); ``show`` sends nothing."""
    args = ctx.args
    persons, pid = _persons(ctx.chain, args), parse_person(args.person)
    f = persons.functions
    if args.step == "request":
        if not args.new_key:
            raise BadInput("R-MR-1: a recovery request names the new key (--new-key)")
        fn = f.requestRecovery(pid, args.new_key)
    elif args.new_key:
        raise BadInput(f"R-MR-1: --new-key belongs to the request, not to {args.step}")
    else:
        fn = {"approve": f.approveRecovery, "complete": f.completeRecovery, "cancel": f.cancelRecovery}.get(args.step, lambda _: None)(pid)
    if fn is not None:
        ctx.chain.transact(fn, ctx.sender, label=f"persons.{args.step}Recovery")
    _emit_key(ctx, persons, pid)


def add_commands(sub: Any) -> None:
    persons = sub.add_parser("persons", help="the province's person registry").add_subparsers(dest="sub", required=True)
    command(persons, "deploy", persons_deploy, "deploy a person registry")
    sp = command(persons, "register", persons_register, "register a person with a signing key")
    sp.add_argument("--persons", required=True)
    sp.add_argument("person", help="identity number (hashed with the province salt) or 0x person id")
    sp.add_argument("--key", required=True, type=address, help="the person's signing address")
    sp.add_argument(
        "--identity",
        required=True,
        help="the person's resident identity card number (committed with $ZHILI_IDENTITY_KEY) or the identity commitment (0x + 64 hex); one id per identity, for good",
    )
    sp = command(persons, "rotate-key", persons_rotate, "the person: replace their key, signing with the current one (--from)")
    sp.add_argument("--persons", required=True)
    sp.add_argument("person", help="identity number or 0x person id")
    sp.add_argument("--new-key", required=True, type=address, help="the new signing address")
    sp = command(persons, "recovery", persons_recovery, "recover a lost key: request (registrar), approve (second body), complete (anyone, after 7 days), cancel, show")
    sp.add_argument("--persons", required=True)
    sp.add_argument("step", choices=("show", "request", "approve", "complete", "cancel"))
    sp.add_argument("person", help="identity number or 0x person id")
    sp.add_argument("--new-key", type=address, default=None, help="the new signing address (request)")
