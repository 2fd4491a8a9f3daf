"""EIP-712 typed data for the messages persons and voters sign (one domain shape for every contract).

Each signed struct is described once, as a :class:`Struct` (its Solidity type string and typehash are
derived from the fields, and ``tests/test_eip712.py`` checks them against the contracts' typehashes);
eth-account does the hashing and signing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.datastructures import SignedMessage
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

DOMAIN_TYPES = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


@dataclass(frozen=True)
class Struct:
    """A signed struct: its EIP-712 name, fields ``(name, solidity type)`` in order, and the domain name
    of the contract that checks it (version ``1``)."""

    name: str
    fields: tuple[tuple[str, str], ...]
    domain: str

    @property
    def type_string(self) -> str:
        """``Name(type1 name1,type2 name2,…)``, the string the contract's typehash hashes."""
        return f"{self.name}({','.join(f'{t} {n}' for n, t in self.fields)})"

    @property
    def typehash(self) -> bytes:
        return keccak(text=self.type_string)

    def typed_data(self, contract: str, chain_id: int, message: Mapping[str, Any]) -> dict[str, Any]:
        """The full typed-data document for ``message`` checked by the contract at ``contract``."""
        return {
            "types": {"EIP712Domain": DOMAIN_TYPES, self.name: [{"name": n, "type": t} for n, t in self.fields]},
            "primaryType": self.name,
            "domain": {"name": self.domain, "version": "1", "chainId": chain_id, "verifyingContract": to_checksum_address(contract)},
            "message": dict(message),
        }


def sign(key: LocalAccount | bytes, typed: dict[str, Any]) -> bytes:
    """A 65-byte ``r ‖ s ‖ v`` signature over ``typed`` by ``key`` (an account or a private key)."""
    return bytes(_sign(key, typed).signature)


def sign_compact(key: LocalAccount | bytes, typed: dict[str, Any]) -> tuple[bytes, bytes]:
    """An EIP-2098 compact signature ``(r, vs)`` over ``typed``."""
    sig = _sign(key, typed)
    vs = sig.s | ((sig.v - 27) << 255)
    return int(sig.r).to_bytes(32, "big"), int(vs).to_bytes(32, "big")


def _sign(key: LocalAccount | bytes, typed: dict[str, Any]) -> SignedMessage:
    signed: SignedMessage = Account.sign_message(encode_typed_data(full_message=typed), key.key if isinstance(key, LocalAccount) else key)
    return signed


def recover_compact(typed: dict[str, Any], r: bytes, vs: bytes) -> str:
    """The address that made the compact signature ``(r, vs)`` over ``typed``: anyone can re-check it."""
    v_bit = vs[0] >> 7
    s = int.from_bytes(vs, "big") & ((1 << 255) - 1)
    return str(Account.recover_message(encode_typed_data(full_message=typed), vrs=(27 + v_bit, int.from_bytes(r, "big"), s)))


def fields(*pairs: str) -> tuple[tuple[str, str], ...]:
    """``fields("uint256 round", "uint32 index")`` → ``(("round", "uint256"), ("index", "uint32"))``."""
    out: list[tuple[str, str]] = []
    for p in pairs:
        t, n = p.split()
        out.append((n, t))
    return tuple(out)


__all__: Sequence[str] = ("DOMAIN_TYPES", "Struct", "fields", "recover_compact", "sign", "sign_compact")
