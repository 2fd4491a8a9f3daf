"""What the edge tests share: an act mined in an exact second, without the client's simulation.

The client simulates every transaction before sending it (``Chain.prepare``), and the two test chains
simulate at different times (the embedded chain at the latest block's, anvil at the next block's), so a
refusal found by simulation does not say at which second the contract refused. ``send_at`` mines the
act in the block of second ``ts`` (the chain is moved to ``ts - 1`` first; blocks are one second apart)
with a fixed gas allowance and returns the receipt, so a test reads the contract's own verdict at that
second: ``status`` 1 (accepted) or 0 (refused)."""

from __future__ import annotations

from typing import Any

from zhili.core.chain import Chain

GAS = 3_000_000


def send_at(chain: Chain, fn: Any, sender: Any, ts: int, gas: int = GAS) -> Any:
    """Mine ``fn`` sent by ``sender`` in the block of second ``ts``; the receipt (refusals included).
    ``gas``: the allowance (an act that seats offices needs more than the default)."""
    chain.wait_until(ts - 1)
    assert chain.now() == ts - 1, f"the chain is already at {chain.now()}, past {ts - 1}"
    if chain.kind != "embedded":  # anvil after a snapshot revert may stamp the next block with its parent's second
        chain.w3.provider.make_request("evm_setNextBlockTimestamp", [ts])  # type: ignore[arg-type]
    acct = chain.account(sender)
    tx = fn.build_transaction({**chain._tx_params(acct), "gas": gas})
    tx_hash = chain.w3.eth.send_raw_transaction(acct.sign_transaction(tx).raw_transaction)
    receipt = chain.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
    # the latest block, not get_block(number): web3 caches blocks by number across snapshot reverts
    assert receipt["blockNumber"] == chain.w3.eth.block_number and chain.now() == ts
    return receipt
