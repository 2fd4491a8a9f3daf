"""The province's person registry (``contracts/registry/PersonRegistry.sol``): lifetime person ids
and the registry's deployment. Persons are ids, never names or addresses (R-MR-1)."""

from __future__ import annotations

from collections.abc import Sequence

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract

from ..core.chain import Chain
from ..types import Role

Sender = int | str | LocalAccount | None


def person_id(identity: str, salt: bytes = b"zhili-province") -> bytes:
    """Lifetime person id: a salted hash of an identity number (never an address)."""
    return keccak(salt + identity.encode("utf-8"))


def deploy_person_registry(chain: Chain, admin: Sender = None, registrars: Sequence[str] = ()) -> Contract:
    """Deploy the province's ``PersonRegistry``; ``admin`` grants REGISTRAR to ``registrars`` (default: admin)."""
    acct = chain.account(admin)
    persons = chain.deploy("PersonRegistry", acct.address, sender=acct, label="persons.deploy")
    for r in registrars or [acct.address]:
        chain.transact(persons.functions.grantRole(Role.REGISTRAR, r), acct, label="persons.grantRole")
    return persons
