"""Reporter identity (R-MR-4): a commitment on chain, the identity itself sealed off chain with SM2/SM4.

The reporter's device draws a random 32-byte salt and puts only
``commitment = keccak256(abi.encode(personId, salt))`` in the report. The identity (person id, salt,
name, identity number, contact) is encrypted with a fresh SM4-CBC key, and that key is encrypted to
the merit committee's SM2 public key (key transport). The result, an *identity blob* (a small JSON
file), is stored off chain; its keccak256 hash is in the ``ReportFiled`` event, so the committee can
tell that the file it opens is the one filed, and the opened identity must reproduce the commitment.

SM2, SM3 and SM4 come from the pure-Python ``gmssl`` package. Two of its defaults are not used: the SM2
ephemeral key is drawn with :mod:`zhili.core.entropy` (the OS by default; gmssl would draw it with :mod:`random`), and the SM2 C3 check
value is verified on decryption (gmssl computes but does not compare it). The curve arithmetic, KDF,
SM3 and SM4 are gmssl's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from eth_abi import encode as abi_encode
from eth_utils import keccak
from gmssl import sm3, sm4
from gmssl.sm2 import CryptSM2, default_ecc_table

from ..core import entropy
from ..errors import InputError

FORMAT = "zhili-identity/1 SM2(C1C3C2)+SM4-CBC"
_N = int(default_ecc_table["n"], 16)


class IdentityError(InputError, ValueError):
    """An identity blob that cannot be opened, or does not match the report's commitment."""

    rule = "R-MR-4"


def commitment_of(person_id: bytes, salt: bytes) -> bytes:
    """The on-chain commitment to a reporter: keccak256(abi.encode(personId, salt))."""
    return keccak(abi_encode(["bytes32", "bytes32"], [person_id, salt]))


@dataclass(frozen=True)
class ReporterIdentity:
    person_id: bytes
    salt: bytes
    name: str = ""
    id_number: str = ""
    contact: str = ""

    @classmethod
    def new(cls, person_id: bytes, **details: str) -> ReporterIdentity:
        """A fresh identity record with a random salt (kept by the reporter, sealed for the committee)."""
        return cls(person_id, entropy.token_bytes(32), **details)

    @property
    def commitment(self) -> bytes:
        return commitment_of(self.person_id, self.salt)

    def as_json(self) -> dict[str, str]:
        d = asdict(self)
        d["person_id"] = "0x" + self.person_id.hex()
        d["salt"] = "0x" + self.salt.hex()
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ReporterIdentity:
        return cls(
            bytes.fromhex(str(d["person_id"]).removeprefix("0x")),
            bytes.fromhex(str(d["salt"]).removeprefix("0x")),
            str(d.get("name", "")),
            str(d.get("id_number", "")),
            str(d.get("contact", "")),
        )


class _SM2(CryptSM2):
    """gmssl's SM2 with a CSPRNG ephemeral key, C3 verified, and keys taken as given."""

    def __init__(self, private_key: str, public_key: str) -> None:
        super().__init__(private_key=private_key, public_key="00" * 64, mode=1)
        self.public_key = public_key  # gmssl lstrip("04")s keys, which breaks keys whose x starts with 04

    def encrypt(self, data: bytes) -> bytes:
        while True:
            k = entropy.randbelow(_N - 1) + 1
            c1 = self._kg(k, self.ecc_table["g"])
            xy = self._kg(k, self.public_key)
            t = sm3.sm3_kdf(xy.encode("utf8"), len(data))
            if int(t, 16) != 0:
                break
        c2 = bytes(a ^ b for a, b in zip(data, bytes.fromhex(t)))
        c3 = sm3.sm3_hash(list(bytes.fromhex(xy[:64]) + data + bytes.fromhex(xy[64:128])))
        return bytes.fromhex(c1 + c3) + c2

    def decrypt(self, data: bytes) -> bytes:
        if len(data) <= 96:
            raise IdentityError("R-MR-4: SM2 ciphertext too short")
        c1, c3, c2 = data[:64].hex(), data[64:96].hex(), data[96:]
        xy = self._kg(int(self.private_key, 16), c1)
        t = sm3.sm3_kdf(xy.encode("utf8"), len(c2))
        m = bytes(a ^ b for a, b in zip(c2, bytes.fromhex(t)))
        if sm3.sm3_hash(list(bytes.fromhex(xy[:64]) + m + bytes.fromhex(xy[64:128]))) != c3:
            raise IdentityError("R-MR-4: SM2 check value mismatch (wrong key or altered blob)")
        return m


@dataclass(frozen=True)
class CommitteeKey:
    """The merit committee's SM2 key pair (hex); ``private`` is None for the public half."""

    public: str
    private: str | None = None

    @classmethod
    def generate(cls) -> CommitteeKey:
        return cls.from_private("%064x" % (entropy.randbelow(_N - 2) + 1))

    @classmethod
    def from_private(cls, private: str) -> CommitteeKey:
        d = int(private, 16)
        if not 0 < d < _N - 1:
            raise IdentityError("R-MR-4: SM2 private key out of range")
        return cls(_SM2(private, "00" * 64)._kg(d, default_ecc_table["g"]), f"{d:064x}")

    def public_only(self) -> CommitteeKey:
        return CommitteeKey(self.public)

    def as_json(self) -> dict[str, str]:
        return {"sm2_public": self.public, **({"sm2_private": self.private} if self.private else {})}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> CommitteeKey:
        return cls(str(d["sm2_public"]), d.get("sm2_private"))


def seal_identity(identity: ReporterIdentity, committee: CommitteeKey) -> bytes:
    """The identity blob: identity JSON under a fresh SM4 key, the key under the committee's SM2 key."""
    key, iv = entropy.token_bytes(16), entropy.token_bytes(16)
    c = sm4.CryptSM4(sm4.SM4_ENCRYPT)
    c.set_key(key, sm4.SM4_ENCRYPT)
    body = c.crypt_cbc(iv, json.dumps(identity.as_json(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    wrapped = _SM2("", committee.public).encrypt(key)
    blob = {"format": FORMAT, "key": wrapped.hex(), "iv": iv.hex(), "ciphertext": bytes(body).hex()}
    return json.dumps(blob, sort_keys=True).encode("ascii")


def blob_hash(blob: bytes) -> bytes:
    """The hash of an identity blob as anchored in ``ReportFiled``."""
    return keccak(blob)


def open_identity(blob: bytes, committee: CommitteeKey, *, commitment: bytes | None = None) -> ReporterIdentity:
    """Decrypt an identity blob with the committee's private key; check it against ``commitment``."""
    if not committee.private:
        raise IdentityError("R-MR-4: opening an identity blob needs the committee's private SM2 key")
    try:
        d = json.loads(blob)
        if d.get("format") != FORMAT:
            raise IdentityError(f"R-MR-4: not an identity blob ({d.get('format')!r})")
        key = _SM2(committee.private, committee.public).decrypt(bytes.fromhex(d["key"]))
        c = sm4.CryptSM4(sm4.SM4_DECRYPT)
        c.set_key(key, sm4.SM4_DECRYPT)
        plain = c.crypt_cbc(bytes.fromhex(d["iv"]), bytes.fromhex(d["ciphertext"]))
        identity = ReporterIdentity.from_json(json.loads(bytes(plain).decode("utf-8")))
    except IdentityError:
        raise
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise IdentityError(f"R-MR-4: cannot open identity blob: {exc}") from None
    if commitment is not None and identity.commitment != commitment:
        raise IdentityError("R-MR-4: the opened identity does not match the report's commitment")
    return identity
