"""``zhili persons …``: the province's person registry (deploy one, register a person with a key)."""

from __future__ import annotations

from typing import Any

from ..cli.args import address, contract_at
from ..cli.common import Context, command, parse_person
from .client import deploy_person_registry


def persons_deploy(ctx: Context) -> None:
    c = deploy_person_registry(ctx.chain, ctx.sender)
    ctx.emit({"persons": c.address}, f"person registry at {c.address}")


def persons_register(ctx: Context) -> None:
    chain, args = ctx.chain, ctx.args
    persons = chain.contract("PersonRegistry", contract_at(chain, "PersonRegistry", args.persons, "--persons"))
    pid = parse_person(args.person)
    chain.transact(persons.functions.register(pid, args.key), ctx.sender)
    ctx.emit({"person": pid}, f"registered 0x{pid.hex()} with key {args.key}")


def add_commands(sub: Any) -> None:
    persons = sub.add_parser("persons", help="the province's person registry").add_subparsers(dest="sub", required=True)
    command(persons, "deploy", persons_deploy, "deploy a person registry")
    sp = command(persons, "register", persons_register, "register a person with a signing key")
    sp.add_argument("--persons", required=True)
    sp.add_argument("person", help="identity number (hashed with the province salt) or 0x person id")
    sp.add_argument("--key", required=True, type=address, help="the person's signing address")
