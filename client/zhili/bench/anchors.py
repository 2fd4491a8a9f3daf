"""Gas of the anchors zhili is compared with, measured on the same chain in the same run.

The anchors are well-known contracts doing the closest public equivalent of a zhili operation:

* OpenZeppelin ``Governor`` (Wizard defaults: GovernorSettings, GovernorCountingSimple, GovernorVotes,
  GovernorVotesQuorumFraction; an ERC20Votes token): ``propose`` of a proposal with one target call,
  ``castVote`` (FOR, a voter holding delegated votes, voting period open).
* The Ethereum Attestation Service (``SchemaRegistry`` + ``EAS``): ``attest`` of an attestation carrying
  ``bytes32 contentHash, string traceCode, uint32 version``, without and with ``refUID`` to an earlier one.
* Safe (singleton + ``SafeProxyFactory``, 3-of-5 owners): ``execTransaction`` of one call with three
  owner signatures.

They are compiled from their npm packages (``zhili build --anchors``) and shipped in
``zhili/artifacts/anchors/``; see docs/benchmarks.md for versions and settings. Figures are ``gasUsed``
of whole transactions in the steady state (counters already non-zero, as in a contract in use); the
first-use figures are reported beside them with a ``.first`` suffix.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD
from web3.types import TxReceipt

from ..core.artifacts import ANCHOR_DIR
from ..core.chain import Chain

ZERO = "0x" + "00" * 20
EAS_SCHEMA = "bytes32 contentHash,string traceCode,uint32 version"
TRACE_CODE = "ZJ-330110-2025-000123"  # the length of a zhili trace code (R-DOC-2)
PROPOSAL_TEXT = "zhili bench: ping the target once"


@cache
def anchor_artifact(name: str) -> dict[str, Any]:
    """The compiled artifact of an anchor contract (``zhili/artifacts/anchors/<name>.json``)."""
    path = ANCHOR_DIR / f"{name}.json"
    if not path.exists():
        raise KeyError(f"no anchor artifact {name!r} in {ANCHOR_DIR}: run `zhili build --anchors`")
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


def _at(chain: Chain, name: str, address: str) -> Contract:
    return chain.w3.eth.contract(address=to_checksum_address(address), abi=anchor_artifact(name)["abi"])


def deploy_anchor(chain: Chain, name: str, *args: Any, sender: int = 0) -> Contract:
    art = anchor_artifact(name)
    factory = chain.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    receipt = chain.transact(factory.constructor(*args), sender=sender, label=f"anchor.deploy.{name}")
    return _at(chain, name, receipt["contractAddress"])


def _gas(receipt: TxReceipt) -> int:
    return int(receipt["gasUsed"])


def governor(chain: Chain, voters: int = 5) -> dict[str, int]:
    """OpenZeppelin Governor: ``propose`` (one target call) and ``castVote`` (FOR, delegated votes)."""
    members = [chain.accounts[1 + i] for i in range(voters)]
    token = deploy_anchor(chain, "BenchVotes", [m.address for m in members], 100 * 10**18)
    gov = deploy_anchor(chain, "BenchGovernor", token.address)
    target = deploy_anchor(chain, "BenchTarget")
    for m in members:
        chain.transact(token.functions.delegate(m.address), sender=m, label="anchor.oz.delegate")
    chain.advance_time(1)  # delegations are checkpointed before any proposal's snapshot
    out: dict[str, int] = {}
    for n in (1, 2):  # the second proposal is the steady state
        call = target.functions.ping(n)._encode_transaction_data()
        description = f"{PROPOSAL_TEXT} (#{n})"
        r = chain.transact(gov.functions.propose([target.address], [0], [call], description), sender=members[0], label="anchor.oz.propose")
        pid = gov.events.ProposalCreated().process_receipt(r, errors=DISCARD)[0]["args"]["proposalId"]
        out["oz.propose" if n == 2 else "oz.propose.first"] = _gas(r)
        chain.advance_time(1)
        chain.advance_time(1)  # voting delay of 1 block has passed: the vote is open
        votes = [_gas(chain.transact(gov.functions.castVote(pid, 1), sender=m, label="anchor.oz.castVote")) for m in members]
        if n == 2:
            out["oz.castVote"] = sum(votes) // len(votes)  # per member of a body of five
            out["oz.castVote.first_on_proposal"] = votes[0]
            out["oz.castVote.later_on_proposal"] = votes[-1]
    return out


def _attest(chain: Chain, eas: Contract, schema: bytes, version: int, ref: bytes = b"\0" * 32) -> tuple[int, bytes]:
    data = abi_encode(["bytes32", "string", "uint32"], [keccak(text=f"document {version}"), TRACE_CODE, version])
    request = (schema, (ZERO, 0, True, ref, data, 0))
    r = chain.transact(eas.functions.attest(request), sender=1, label="anchor.eas.attest")
    uid = eas.events.Attested().process_receipt(r, errors=DISCARD)[0]["args"]["uid"]
    return _gas(r), bytes(uid)


def eas(chain: Chain) -> dict[str, int]:
    """EAS: ``attest`` (hash, trace code, version) without and with a reference to an earlier one."""
    registry = deploy_anchor(chain, "SchemaRegistry")
    service = deploy_anchor(chain, "EAS", registry.address)
    r = chain.transact(registry.functions.register(EAS_SCHEMA, ZERO, True), sender=1, label="anchor.eas.register")
    schema = bytes(registry.events.Registered().process_receipt(r, errors=DISCARD)[0]["args"]["uid"])
    first, _ = _attest(chain, service, schema, 1)
    plain, uid = _attest(chain, service, schema, 2)
    with_ref, _ = _attest(chain, service, schema, 3, ref=uid)
    return {"eas.attest": plain, "eas.attest_ref": with_ref, "eas.attest.first": first, "eas.register_schema": _gas(r)}


def _safe_signatures(tx_hash: bytes, signers: list[LocalAccount]) -> bytes:
    sigs = b""
    for s in sorted(signers, key=lambda a: int(a.address, 16)):  # Safe wants ascending owners
        signed = Account.unsafe_sign_hash(tx_hash, s.key)
        sigs += signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v])
    return sigs


def safe(chain: Chain, owners: int = 5, threshold: int = 3) -> dict[str, int]:
    """Safe: ``execTransaction`` of one call signed by ``threshold`` of ``owners`` owners."""
    keys = [Account.from_key(keccak(text=f"bench safe owner {i}")) for i in range(owners)]
    singleton = deploy_anchor(chain, "Safe")
    factory = deploy_anchor(chain, "SafeProxyFactory")
    target = deploy_anchor(chain, "BenchTarget")
    setup = singleton.functions.setup([k.address for k in keys], threshold, ZERO, b"", ZERO, ZERO, 0, ZERO)._encode_transaction_data()
    r = chain.transact(factory.functions.createProxyWithNonce(singleton.address, setup, 0), label="anchor.safe.create")
    wallet = _at(chain, "Safe", factory.events.ProxyCreation().process_receipt(r, errors=DISCARD)[0]["args"]["proxy"])
    out = {"safe.create_3of5": _gas(r)}
    for n in (0, 1):  # the first execution turns the nonce from zero; the second is the steady state
        call = target.functions.ping(n)._encode_transaction_data()
        fields = (target.address, 0, call, 0, 0, 0, 0, ZERO, ZERO)
        tx_hash = chain.call(wallet.functions.getTransactionHash(*fields, n))
        sigs = _safe_signatures(bytes(tx_hash), keys[:threshold])
        r = chain.transact(wallet.functions.execTransaction(*fields, sigs), label="anchor.safe.exec")
        assert wallet.events.ExecutionSuccess().process_receipt(r, errors=DISCARD), "the Safe did not execute the call"
        out["safe.exec_3of5" if n else "safe.exec_3of5.first"] = _gas(r)
    return out


def anchors(chain: Chain) -> dict[str, int]:
    """All anchor figures on ``chain``."""
    return {**governor(chain), **eas(chain), **safe(chain)}
