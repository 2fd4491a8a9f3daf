"""Shapes of command-line input shared by the ``zhili`` subcommands (docs/bad-input.md).

Argument types for argparse (an address, a whole number in a range), size limits for the files the
CLI reads, output paths checked before anything is sent, and contract addresses checked against the
shipped artifacts. Each refusal names the option or file and the offending value; rules stay in the
contracts.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from eth_utils import is_hex_address, keccak, to_checksum_address

# Files the CLI parses whole (profiles, scenarios, checklists, name maps, logs): far above any real
# one (the bundled county scenario is 6 kB), far below what would stall the client.
from ..core.files import MAX_FILE_BYTES  # noqa: E402,F401 - one limit for every file the client reads
from ..errors import InputError
from ..types import K

T = TypeVar("T")

UINT16, UINT24, UINT32 = 2**16 - 1, 2**24 - 1, 2**32 - 1


class BadInput(InputError, ValueError):
    """Bad command-line input caught before anything reached the chain (exit 2)."""


def address(text: str) -> str:
    """argparse type: ``0x`` and 40 hex digits, returned checksummed."""
    if not is_hex_address(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an address (0x and 40 hex digits)")
    return to_checksum_address(text)


def parse_address(text: str, field: str) -> str:
    """The same check for a value found inside a list or a file; ``field`` names where it came from."""
    if not isinstance(text, str) or not is_hex_address(text.strip()):
        raise BadInput(f"{field}: {text!r} is not an address (0x and 40 hex digits)")
    return to_checksum_address(text.strip())


def whole(lo: int = 0, hi: int | None = None) -> Callable[[str], int]:
    """argparse type: a whole number in ``lo..hi`` (the range its ABI type can carry)."""

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if v < lo or (hi is not None and v > hi):
            raise argparse.ArgumentTypeError(f"{v} is outside {lo}..{hi if hi is not None else ''}")
        return v

    parse.__name__ = "whole number"
    return parse


ID = whole(0, 2**256 - 1)  # motion, case, oath, handover, dispute, entry ids (uint256)


def check_size(path: str | Path, field: str, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file larger than ``limit`` bytes before reading it (missing files are the reader's business)."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return
    if size > limit:
        raise BadInput(f"{field} {path} is {size:,} bytes; the limit is {limit:,}")


def read_text(path: str | Path, field: str, limit: int = MAX_FILE_BYTES) -> str:
    check_size(path, field, limit)
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{field}: cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{field}: {path} is not UTF-8 text") from None


def read_bytes(path: str | Path, field: str, limit: int | None = None) -> bytes:
    """A file read whole (a document, an evidence file: no size limit unless ``limit``)."""
    if limit is not None:
        check_size(path, field, limit)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise BadInput(f"{field}: cannot read {path}: {exc.strerror}") from None


def file_hash(path: str | Path, field: str) -> bytes:
    """The keccak-256 of a file (what the contracts keep of a report, a notice, a result)."""
    return keccak(read_bytes(path, field))


def read_lines(path: str | Path, field: str) -> list[str]:
    """The non-empty lines of a text file, ``#`` comments skipped."""
    return [ln.strip() for ln in read_text(path, field).splitlines() if ln.strip() and not ln.startswith("#")]


def read_json(path: str | Path, field: str, parse: Callable[[Any], T] = lambda d: d) -> T:
    """``parse`` applied to the JSON of ``path``; a file that is not JSON, or a missing or malformed
    field, names the file."""
    try:
        data = json.loads(read_text(path, field))
    except ValueError as exc:
        raise BadInput(f"{field}: {path} is not JSON: {exc}") from None
    try:
        return parse(data)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise BadInput(f"{field}: {path} is malformed: {detail}") from None


def enum_key(cls: type[K], text: str, rule: str) -> K:
    """The member of a zhili enum named ``text`` (its snake_case key); a wrong name cites ``rule``."""
    try:
        return cls.from_key(text)
    except ValueError as exc:
        raise BadInput(f"{rule}: {exc}") from None


def read_yaml(path: str | Path, field: str) -> Any:
    import yaml

    text = read_text(path, field)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadInput(f"{field}: {path} is not valid YAML: {exc}") from None


def new_file(path: str | Path, field: str) -> Path:
    """An output file the command will write: its directory must exist and the file must not (an
    opening, a receipt or a ballot is never overwritten). Checked before anything is sent."""
    p = Path(path)
    if p.exists():
        raise BadInput(f"{field} {path} already exists; refusing to overwrite it (choose a new file)")
    if not p.parent.is_dir():
        raise BadInput(f"{field} {path}: directory {p.parent} does not exist")
    return p


def contract_at(chain: Any, name: str, addr: str, field: str) -> str:
    """``addr`` holds a ``name`` contract of the shipped artifacts (code compared outside immutables)."""
    from ..core import artifacts
    from ..deploy.plan import same_code

    addr = parse_address(addr, field)
    code = bytes(chain.w3.eth.get_code(addr))
    if not code:
        raise BadInput(f"{field} {addr}: no contract at this address on chain {chain.chain_id}")
    art = artifacts.load(name)
    if not same_code(code, bytes.fromhex(art.deployed_bytecode[2:]), art.raw.get("immutableReferences", {})):
        raise BadInput(f"{field} {addr}: the contract there is no {name} (its code differs from the shipped artifact)")
    return addr


def names_file(path: str | None, parse_person: Callable[[str], bytes]) -> dict[bytes, str]:
    """``--names``: a YAML mapping of persons to display names."""
    if not path:
        return {}
    mapping = read_yaml(path, "--names")
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise BadInput(f"--names {path}: expected a mapping of persons to names")
    return {parse_person(str(k)): str(v) for k, v in mapping.items()}
