"""The province's person registry (``contracts/registry/PersonRegistry.sol``): lifetime person ids,
the identity commitment each id is bound to (issue 17: one id per real person, so a blacklisted person
cannot come back under a new id), and the registry's deployment. Persons are ids, never names or
addresses (R-MR-1)."""

from __future__ import annotations

from collections.abc import Sequence

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract

from ..core.chain import Chain
from ..errors import InputError
from ..types import Role

Sender = int | str | LocalAccount | None


def person_id(identity: str, salt: bytes = b"zhili-province") -> bytes:
    """Lifetime person id: a salted hash of an identity number (never an address)."""
    return keccak(salt + identity.encode("utf-8"))


IDENTITY_TAG = b"zhili.identity.v1"
"""Domain tag of an identity commitment (a commitment of another scheme never collides with one)."""
TEST_IDENTITY_TAG = b"zhili.identity.test"
"""Domain tag of the identity commitments of test persons (derived from their label, not a card number)."""
_CARD_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


class IdentityError(InputError, ValueError):
    """A resident identity card number or a province identity key that cannot be committed to (R-MR-1)."""


def card_number(text: str) -> str:
    """The resident identity card number ``text`` (GB 11643: 17 digits and a check character, 0-9 or X)
    in its one canonical form (no spaces, upper-case X), its check character verified; else
    :class:`IdentityError` naming R-MR-1. One canonical form, so one person has one commitment."""
    card = "".join(text.split()).upper()
    if len(card) != 18 or not card[:17].isdigit() or not (card[17].isdigit() or card[17] == "X"):
        raise IdentityError(f"R-MR-1: {text!r} is no resident identity card number (17 digits and a check digit or X)")
    check = "10X98765432"[sum(int(d) * w for d, w in zip(card[:17], _CARD_WEIGHTS, strict=True)) % 11]
    if card[17] != check:
        raise IdentityError(f"R-MR-1: identity card number {text!r} fails its check character (expected {check})")
    return card


def identity_commitment(card: str, province_key: bytes) -> bytes:
    """The identity commitment a person id is bound to (``PersonRegistry.register``; docs/threat-model.md,
    "Person registry: identity"): ``keccak256(IDENTITY_TAG || province_key || card number)``, the card
    number in canonical form (:func:`card_number`) and ``province_key`` the province's 32-byte identity
    key (``$ZHILI_IDENTITY_KEY``), the same for every person: no per-person salt, so the registrar cannot
    make a second commitment for the same person, and an auditor holding the card number and the key
    recomputes it. The key is what keeps the guessable 18-digit numbers from being tried against the
    chain by anyone else."""
    if len(province_key) != 32 or not any(province_key):
        raise IdentityError("R-MR-1: the province identity key is 32 bytes, not all zero")
    return keccak(IDENTITY_TAG + province_key + card_number(card).encode("ascii"))


def label_identity(label: str) -> bytes:
    """The identity commitment of the test person ``label`` (tests, scenarios, the demo, benchmarks):
    a hash of the label under its own domain tag, as distinct per label as person ids are."""
    return keccak(TEST_IDENTITY_TAG + b":" + label.encode("utf-8"))


def deploy_person_registry(chain: Chain, admin: Sender = None, registrars: Sequence[str] = ()) -> Contract:
    """Deploy the province's ``PersonRegistry``; ``admin`` grants REGISTRAR to ``registrars`` (default: admin)."""
    acct = chain.account(admin)
    persons = chain.deploy("PersonRegistry", acct.address, sender=acct, label="persons.deploy")
    for r in registrars or [acct.address]:
        chain.transact(persons.functions.grantRole(Role.REGISTRAR, r), acct, label="persons.grantRole")
    return persons
