"""Voter-held ballot credentials and sealed, signed ballots (R-EL-7), client side.

Who holds what (docs/election.md, "Credentials"):

* the **voter's device** (:class:`Wallet`) generates the credential key (secp256k1), blinds the
  credential message for the issuer's published RSA key (:mod:`zhili.election.blind`), and sends a
  :data:`REQUEST` signed with the person's registered key; once the issuer's blind signature is on
  chain it unblinds it and registers the credential anonymously (through any relayer). Only the device
  ever sees the credential key, the blinding factor and the unblinded signature;
* the **issuer** (:class:`Issuer`, the election authority) holds the RSA secret and sees only
  ``(person, blinded message)`` pairs, which are uniformly random and say nothing about the credential.

A voter seals a ballot as ``keccak256(abi.encode(box, round, credential, mask, salt))`` and signs an
EIP-712 :data:`BALLOT` with the credential key; anyone may relay it. The opening (mask, salt) stays
with the voter (and whoever they give it to for the reveal) until the poll closes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from Crypto.PublicKey import RSA
from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from ..core import eip712, entropy
from ..core.files import write_atomic
from . import blind

ZERO32 = b"\0" * 32

#: What a person signs to ask for a credential (``BallotBox.REQUEST_TYPEHASH``); ``blinded`` is the
#: keccak256 of the blinded message.
REQUEST = eip712.Struct("CredentialRequest", eip712.fields("uint8 electorate", "bytes32 person", "bytes32 witness", "bytes32 blinded"), "zhili BallotBox")
#: What a credential signs for a ballot (``BallotBox.BALLOT_TYPEHASH``).
BALLOT = eip712.Struct("Ballot", eip712.fields("uint256 round", "address credential", "bytes32 commitment"), "zhili BallotBox")


def credential_message(chain_id: int, box: str, electorate: int, credential: str) -> bytes:
    """The message the issuer signs blindly (``BallotBox.credentialMessage``)."""
    return abi_encode(["uint256", "address", "uint8", "address"], [chain_id, to_checksum_address(box), electorate, to_checksum_address(credential)])


def _h(s: str) -> bytes:
    return bytes.fromhex(s[2:] if s.startswith("0x") else s)


@dataclass(frozen=True)
class Wallet:
    """One voter's credential for one electorate of one election, as kept on the voter's device."""

    chain_id: int
    box: str
    electorate: int
    key: bytes  # the credential key: never leaves the device
    modulus: bytes  # the issuer key it was blinded for
    blinded: bytes
    inverse: int  # blinding factor r^-1 mod n: never leaves the device
    signature: bytes | None = None  # the unblinded issuer signature, once finalized
    election: str = ""  # the election the box serves (for the CLI's files)

    @classmethod
    def new(cls, chain_id: int, box: str, electorate: int, modulus: bytes, election: str = "") -> Wallet:
        """A fresh credential key and its blinded message (randomness from :mod:`zhili.core.entropy`)."""
        key = entropy.token_bytes(32)
        addr = Account.from_key(key).address
        state = blind.blind(blind.os2ip(modulus), credential_message(chain_id, box, electorate, addr))
        return cls(chain_id, to_checksum_address(box), electorate, key, modulus, state.blinded, state.inverse, None, election)

    @property
    def address(self) -> str:
        return str(Account.from_key(self.key).address)

    @property
    def message(self) -> bytes:
        return credential_message(self.chain_id, self.box, self.electorate, self.address)

    def request(self, person: bytes, person_key: LocalAccount | bytes, witness: bytes = ZERO32) -> tuple[Any, ...]:
        """The ``BallotBox.CredentialRequest`` tuple, signed with the person's registered key."""
        msg = {"electorate": self.electorate, "person": person, "witness": witness, "blinded": keccak(self.blinded)}
        r, vs = eip712.sign_compact(person_key, REQUEST.typed_data(self.box, self.chain_id, msg))
        return (self.electorate, person, witness, self.blinded, r, vs)

    def finalize(self, blind_signature: bytes) -> Wallet:
        """Unblind the issuer's answer and verify it (raises :class:`~zhili.election.blind.BlindSignatureError`)."""
        n = blind.os2ip(self.modulus)
        sig = blind.finalize(n, self.message, blind.Blinded(self.blinded, self.inverse), blind_signature)
        return replace(self, signature=sig)

    def registration(self) -> tuple[Any, ...]:
        """The ``BallotBox.CredentialRegistration`` tuple (send it through any relayer)."""
        if self.signature is None:
            raise ValueError("this credential is not signed yet: finalize the issuer's answer first")
        return (self.electorate, self.address, self.signature)

    def as_json(self) -> dict[str, Any]:
        return {
            "election": self.election,
            "chain_id": self.chain_id,
            "box": self.box,
            "electorate": self.electorate,
            "key": "0x" + self.key.hex(),
            "address": self.address,
            "modulus": "0x" + self.modulus.hex(),
            "blinded": "0x" + self.blinded.hex(),
            "inverse": hex(self.inverse),
            "signature": None if self.signature is None else "0x" + self.signature.hex(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Wallet:
        sig = d.get("signature")
        return cls(
            int(d["chain_id"]), to_checksum_address(d["box"]), int(d["electorate"]), _h(d["key"]), _h(d["modulus"]), _h(d["blinded"]), int(d["inverse"], 16),
            None if sig is None else _h(sig), str(d.get("election", "")),
        )  # fmt: skip

    def save(self, path: Path) -> None:
        write_atomic(path, json.dumps(self.as_json(), indent=1), private=True)

    @classmethod
    def load(cls, path: Path) -> Wallet:
        return cls.from_json(json.loads(path.read_text()))


@dataclass(frozen=True)
class Issuer:
    """The election authority's RSA issuer key. It answers ``(person, blinded)`` requests and sees nothing else."""

    key: RSA.RsaKey

    @classmethod
    def generate(cls) -> Issuer:
        return cls(blind.generate())

    @property
    def modulus(self) -> bytes:
        return blind.modulus_bytes(self.key)

    def answer(self, electorate: int, person: bytes, blinded: bytes) -> tuple[Any, ...]:
        """The ``BallotBox.BlindAnswer`` tuple for one request."""
        return (electorate, person, blinded, blind.blind_sign(self.key, blinded))

    def save(self, path: Path) -> None:
        write_atomic(path, blind.export_key(self.key).decode(), private=True)

    @classmethod
    def load(cls, path: Path) -> Issuer:
        return cls(blind.import_key(path.read_bytes()))


@dataclass(frozen=True)
class SealedBallot:
    """A signed, sealed ballot and its opening. Relay ``signed()``; keep ``mask``/``salt`` for the reveal."""

    round: int
    credential: str
    commitment: bytes
    r: bytes
    vs: bytes
    mask: int
    salt: bytes

    def signed(self) -> tuple[Any, ...]:
        """The ``BallotBox.SignedBallot`` tuple."""
        return (self.credential, self.commitment, self.r, self.vs)

    def as_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "credential": self.credential,
            "commitment": "0x" + self.commitment.hex(),
            "r": "0x" + self.r.hex(),
            "vs": "0x" + self.vs.hex(),
            "mask": self.mask,
            "salt": "0x" + self.salt.hex(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SealedBallot:
        return cls(int(d["round"]), to_checksum_address(d["credential"]), _h(d["commitment"]), _h(d["r"]), _h(d["vs"]), int(d["mask"]), _h(d["salt"]))


def commitment(box: str, round: int, credential: str, mask: int, salt: bytes) -> bytes:
    return keccak(abi_encode(["address", "uint256", "address", "uint256", "bytes32"], [to_checksum_address(box), round, to_checksum_address(credential), mask, salt]))


def mask_of(positions: Iterable[int]) -> int:
    m = 0
    for p in positions:
        m |= 1 << p
    return m


def positions_of(mask: int) -> list[int]:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


def seal(wallet: Wallet, round: int, mask: int, salt: bytes | None = None) -> SealedBallot:
    """Seal and sign a ballot for poll ``round`` with the wallet's credential key (EIP-712 :data:`BALLOT`)."""
    salt = salt if salt is not None else entropy.token_bytes(32)
    cred = wallet.address
    c = commitment(wallet.box, round, cred, mask, salt)
    typed = BALLOT.typed_data(wallet.box, wallet.chain_id, {"round": round, "credential": cred, "commitment": c})
    r, vs = eip712.sign_compact(wallet.key, typed)
    return SealedBallot(round, cred, c, r, vs, mask, salt)
