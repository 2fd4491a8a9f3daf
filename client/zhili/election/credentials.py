"""One-time ballot credentials and sealed, signed ballots (R-EL-7), client side.

The election authority issues one credential (a fresh key) per registered voter, like paper ballots,
and commits to the set as a Merkle root of ``(index, address)`` leaves, built exactly as
OpenZeppelin's ``MerkleProof`` verifies (double-hashed leaves, sorted-pair hashing). A voter seals a
ballot as ``keccak256(abi.encode(box, round, index, mask, salt))`` and signs an EIP-712 ``Ballot``
with the credential key; anyone may relay it. The opening (mask, salt) stays with the voter (and
whoever they give it to for the reveal) until the poll closes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from ..core import eip712, entropy
from ..core.files import write_atomic


def _hash_pair(a: bytes, b: bytes) -> bytes:
    return keccak(a + b) if a < b else keccak(b + a)


def leaf(index: int, address: str) -> bytes:
    return keccak(keccak(abi_encode(["uint32", "address"], [index, to_checksum_address(address)])))


class MerkleTree:
    """Sorted-pair Merkle tree as verified by OpenZeppelin ``MerkleProof``."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        if not leaves:
            raise ValueError("a credential set needs at least one credential")
        self.levels: list[list[bytes]] = [list(leaves)]
        while len(self.levels[-1]) > 1:
            prev = self.levels[-1]
            nxt = [_hash_pair(prev[i], prev[i + 1]) for i in range(0, len(prev) - 1, 2)]
            if len(prev) % 2:
                nxt.append(prev[-1])  # odd node moves up unchanged
            self.levels.append(nxt)

    @property
    def root(self) -> bytes:
        return self.levels[-1][0]

    def proof(self, i: int) -> list[bytes]:
        out = []
        for level in self.levels[:-1]:
            sib = i ^ 1
            if sib < len(level):
                out.append(level[sib])
            i //= 2
        return out


@dataclass(frozen=True)
class CredentialSet:
    """The credentials of one poll: the secret keys (handed out one per voter) and the tree."""

    round: int
    keys: tuple[bytes, ...]

    @classmethod
    def issue(cls, round: int, count: int) -> CredentialSet:
        return cls(round, tuple(entropy.token_bytes(32) for _ in range(count)))

    @cached_property
    def accounts(self) -> list[LocalAccount]:
        return [Account.from_key(k) for k in self.keys]

    @cached_property
    def _tree(self) -> MerkleTree:
        return MerkleTree([leaf(i, a.address) for i, a in enumerate(self.accounts)])

    def tree(self) -> MerkleTree:
        return self._tree

    def credential(self, index: int) -> Credential:
        tree = self.tree()
        return Credential(self.round, index, self.keys[index], tuple(tree.proof(index)))

    def all(self) -> list[Credential]:
        tree = self.tree()
        return [Credential(self.round, i, k, tuple(tree.proof(i))) for i, k in enumerate(self.keys)]

    def save(self, path: Path) -> None:
        write_atomic(path, json.dumps({"round": self.round, "keys": ["0x" + k.hex() for k in self.keys]}, indent=1), private=True)

    @classmethod
    def load(cls, path: Path) -> CredentialSet:
        data = json.loads(path.read_text())
        return cls(int(data["round"]), tuple(bytes.fromhex(k[2:]) for k in data["keys"]))


@dataclass(frozen=True)
class Credential:
    """What one voter receives: round, index, one-time key, Merkle proof."""

    round: int
    index: int
    key: bytes
    proof: tuple[bytes, ...]

    @property
    def address(self) -> str:
        return str(Account.from_key(self.key).address)


@dataclass(frozen=True)
class SealedBallot:
    """A signed, sealed ballot and its opening. Relay ``signed()``; keep ``mask``/``salt`` for the reveal."""

    round: int
    index: int
    commitment: bytes
    r: bytes
    vs: bytes
    proof: tuple[bytes, ...]
    mask: int
    salt: bytes

    def signed(self) -> tuple[Any, ...]:
        """The ``BallotBox.SignedBallot`` tuple."""
        return (self.index, self.commitment, self.r, self.vs, list(self.proof))

    def as_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "index": self.index,
            "commitment": "0x" + self.commitment.hex(),
            "r": "0x" + self.r.hex(),
            "vs": "0x" + self.vs.hex(),
            "proof": ["0x" + p.hex() for p in self.proof],
            "mask": self.mask,
            "salt": "0x" + self.salt.hex(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SealedBallot:
        h = lambda s: bytes.fromhex(s[2:])  # noqa: E731
        return cls(d["round"], d["index"], h(d["commitment"]), h(d["r"]), h(d["vs"]), tuple(h(p) for p in d["proof"]), d["mask"], h(d["salt"]))


def commitment(box: str, round: int, index: int, mask: int, salt: bytes) -> bytes:
    return keccak(abi_encode(["address", "uint256", "uint32", "uint256", "bytes32"], [to_checksum_address(box), round, index, mask, salt]))


def mask_of(positions: Iterable[int]) -> int:
    m = 0
    for p in positions:
        m |= 1 << p
    return m


def positions_of(mask: int) -> list[int]:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


#: What a credential signs for a ballot (``BallotBox.BALLOT_TYPEHASH``).
BALLOT = eip712.Struct("Ballot", eip712.fields("uint256 round", "uint32 index", "bytes32 commitment"), "zhili BallotBox")


def seal(cred: Credential, box: str, chain_id: int, mask: int, salt: bytes | None = None) -> SealedBallot:
    """Seal and sign a ballot with a credential (EIP-712 :data:`BALLOT`)."""
    salt = salt if salt is not None else entropy.token_bytes(32)
    c = commitment(box, cred.round, cred.index, mask, salt)
    typed = BALLOT.typed_data(box, chain_id, {"round": cred.round, "index": cred.index, "commitment": c})
    r, vs = eip712.sign_compact(cred.key, typed)
    return SealedBallot(cred.round, cred.index, c, r, vs, cred.proof, mask, salt)
