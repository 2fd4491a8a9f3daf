"""Plumbing shared by every ``zhili`` subcommand (it becomes ``zhili/cli/common.py``).

The shared options (``--chain``, ``--chain-id``, ``--from``, ``--json``, a contract address), the
:class:`Context` a command receives (the connected chain, the parsed arguments, ``emit``), one
:func:`with_chain` wrapper and one :func:`command` factory. A command that offers ``--json`` prints
one JSON document on stdout with it, and text otherwise: ``ctx.emit(data, text)`` does both.
"""

from __future__ import annotations

import argparse
import enum
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console
from web3.contract import Contract

from ..cli.args import contract_at, parse_address, whole
from ..core.chain import Chain, connect
from ..errors import InputError

out = Console()

Text = str | Callable[[], None] | None
Command = Callable[["Context"], int | None]


# ------------------------------------------------------------------ options


def chain_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--chain", default="embedded", help="embedded (default), anvil, or a JSON-RPC URL")
    sp.add_argument("--chain-id", type=whole(1), default=None, help="expected chain id (checked for a URL)")


def sender_option(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--from", dest="sender", default=None, help="signing account: index or address (default: the first key)")


def json_option(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--json", action="store_true", help="print the result as JSON")


def contract_option(sp: argparse.ArgumentParser, flag: str, help: str) -> None:
    """A contract-address option (``--election``, ``--ledger``, …); checked against the shipped artifact by the command."""
    sp.add_argument(flag, required=True, help=help)


def names_option(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--names", default=None, help="YAML file mapping persons to display names")


def jurisdiction_options(sp: argparse.ArgumentParser, about: str | None = None) -> None:
    """``--jurisdiction`` and ``--persons``: a deploying command's Jurisdiction and PersonRegistry (:func:`jurisdiction_contracts`)."""
    sp.add_argument("--jurisdiction", required=True, help=about)
    sp.add_argument("--persons", required=True)


def jurisdiction_contracts(chain: Chain, args: argparse.Namespace) -> tuple[Contract, Contract]:
    """The shipped Jurisdiction at ``--jurisdiction`` and PersonRegistry at ``--persons`` (their code checked)."""
    j = chain.contract("Jurisdiction", contract_at(chain, "Jurisdiction", args.jurisdiction, "--jurisdiction"))
    return j, chain.contract("PersonRegistry", contract_at(chain, "PersonRegistry", args.persons, "--persons"))


# ------------------------------------------------------------------ values


def json_default(value: Any) -> Any:
    """JSON for what the clients return: bytes as 0x hex, enums by key or name, the rest as text."""
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, enum.Enum):
        return getattr(value, "key", value.name.lower())
    if hasattr(value, "as_json"):
        return value.as_json()
    return str(value)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=json_default) + "\n")


def hexstr(b: bytes) -> str:
    return "0x" + bytes(b).hex()


def parse_sender(text: str | None) -> Any:
    """``--from``: an index into the keys, or an address; ``None`` for the first key."""
    if text is None:
        return None
    return int(text) if text.isdigit() else parse_address(text, "--from")


def parse_person(text: str) -> bytes:
    """A person: ``0x`` + 64 hex digits is a person id; anything else is an identity number, hashed
    with the province salt ``$ZHILI_PERSON_SALT`` (R-MR-1)."""
    from ..election.client import person_id

    if text.startswith("0x"):
        raw = text[2:]
        if len(raw) != 64:
            raise InputError(f"R-MR-1: person id {text!r} must be 0x followed by 64 hex digits")
        try:
            return bytes.fromhex(raw)
        except ValueError:
            raise InputError(f"R-MR-1: person id {text!r} is not hex") from None
    if not text.strip():
        raise InputError("R-MR-1: empty person")
    return person_id(text.strip(), os.environ.get("ZHILI_PERSON_SALT", "zhili-province").encode())


# ------------------------------------------------------------------ context


class Context:
    """What a command gets: the connected chain (``None`` for an offline command) and its arguments."""

    def __init__(self, args: argparse.Namespace, chain: Chain | None = None) -> None:
        self.args = args
        self._chain = chain

    @property
    def chain(self) -> Chain:
        assert self._chain is not None, "an offline command has no chain"
        return self._chain

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def sender(self) -> Any:
        return parse_sender(getattr(self.args, "sender", None))

    def emit(self, data: Any, text: Text = None) -> None:
        """JSON of ``data`` with ``--json``; otherwise ``text`` (a line, or a function that prints tables)."""
        if self.json:
            print_json(data)
        elif callable(text):
            text()
        elif text is not None:
            out.print(text)


def with_chain(fn: Command) -> Callable[[argparse.Namespace], int]:
    """argparse's ``fn``: connect to ``--chain`` (checking ``--chain-id``), run, exit 0 unless told otherwise."""

    def run(args: argparse.Namespace) -> int:
        with connect(args.chain, chain_id=args.chain_id) as chain:
            return fn(Context(args, chain)) or 0

    return run


def offline(fn: Command) -> Callable[[argparse.Namespace], int]:
    """argparse's ``fn`` for a command that needs no chain."""

    def run(args: argparse.Namespace) -> int:
        return fn(Context(args)) or 0

    return run


def command(
    parent: Any, name: str, fn: Command, help: str, *, contract: tuple[str, str] | None = None, names: bool = False,
    sender: bool = True, json: bool = True, chain: bool = True,
) -> argparse.ArgumentParser:  # fmt: skip
    """One subcommand with the shared options: ``contract`` is ``(flag, help)`` of its contract-address option."""
    sp: argparse.ArgumentParser = parent.add_parser(name, help=help)
    if chain:
        chain_options(sp)
    if sender:
        sender_option(sp)
    if json:
        json_option(sp)
    if contract:
        contract_option(sp, *contract)
    if names:
        names_option(sp)
    sp.set_defaults(fn=with_chain(fn) if chain else offline(fn))
    return sp
