"""Connecting: embedded, an owned anvil process, and a consortium-style JSON-RPC URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhili import profiles
from zhili.core.chain import ANVIL_CACHE_PREFIX, ANVIL_CHAIN_ID, AnvilProcess, ChainError, anvil_accounts, connect
from zhili.jurisdiction import registry


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); look at its state
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(state) and not state.startswith("Z")


def test_anvil_is_owned_and_stopped() -> None:
    chain = connect("anvil")
    node = chain._owned
    assert node is not None and chain.chain_id == ANVIL_CHAIN_ID
    pid = node.proc.pid
    assert _alive(pid)
    # anvil's persisted states go to a directory of this node's own, not ~/.foundry/anvil/tmp
    cache = Path(node.cache_path)
    assert cache.is_dir() and cache.name.startswith(f"{ANVIL_CACHE_PREFIX}{os.getpid()}-")
    chain.close()
    assert not _alive(pid)
    assert not cache.exists()


def test_anvil_dies_with_its_owner() -> None:
    # a killed owner leaves no node behind (PR_SET_PDEATHSIG on Linux)
    code = "from zhili.core.chain import connect; import os,sys; c = connect('anvil'); print(c._owned.proc.pid, c._owned.cache_path, flush=True); os.kill(os.getpid(), 9)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    pid, left = int(proc.stdout.split()[0]), Path(proc.stdout.split()[1])
    for _ in range(50):
        if not _alive(pid):
            break
        subprocess.run(["sleep", "0.1"])
    assert not _alive(pid)
    # the killed owner could not remove its node's state directory: the next node to start does
    for _ in range(50):
        node = AnvilProcess()
        node.stop()
        if not left.exists():
            break
        subprocess.run(["sleep", "0.1"])  # anvil, dying, may still be writing into it
    assert not left.exists()


def test_consortium_url_legacy_zero_gas(monkeypatch: pytest.MonkeyPatch) -> None:
    # a free-gas chain (zero base fee, zero gas price) reached by URL, keys from the environment
    node = AnvilProcess(extra_args=["--base-fee", "0", "--gas-price", "0"])
    try:
        key = anvil_accounts(1)[0].key.hex()
        monkeypatch.setenv("ZHILI_PRIVATE_KEYS", key)
        with connect(node.url, chain_id=ANVIL_CHAIN_ID, gas_price=0) as chain:
            assert chain.kind == "rpc" and chain.tx_type == "legacy"
            sender = chain.accounts[0].address
            balance = chain.w3.eth.get_balance(sender)
            j = registry.deploy_jurisdiction(chain, profiles.load("township"), "330110-009", "测试镇")
            assert registry.read_jurisdiction(chain, j).params["threshold"] == 160
            tx = chain.w3.eth.get_transaction(chain.w3.eth.get_block("latest")["transactions"][0])
            assert tx["type"] == 0 and tx["gasPrice"] == 0
            assert chain.w3.eth.get_balance(sender) == balance  # free gas
    finally:
        node.stop()


def test_wrong_chain_id_is_refused() -> None:
    node = AnvilProcess()
    try:
        with pytest.raises(ChainError, match="chain id mismatch.*expected 1, node reports 31337"):
            connect(node.url, chain_id=1)
    finally:
        node.stop()


def test_unreachable_and_unknown_targets() -> None:
    with pytest.raises(ChainError, match="cannot reach"):
        connect("http://127.0.0.1:9")
    with pytest.raises(ChainError, match="unknown chain"):
        connect("ganache")


def test_keystore_keys(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from eth_account import Account

    from zhili.core.chain import keys_from_env

    acct = Account.create()
    store = tmp_path / "key.json"
    import json

    store.write_text(json.dumps(Account.encrypt(acct.key, "pw")))
    monkeypatch.setenv("ZHILI_KEYSTORE", str(store))
    monkeypatch.delenv("ZHILI_PRIVATE_KEYS", raising=False)
    monkeypatch.delenv("ZHILI_KEYSTORE_PASSWORD", raising=False)
    with pytest.raises(ChainError, match="ZHILI_KEYSTORE_PASSWORD"):
        keys_from_env()
    monkeypatch.setenv("ZHILI_KEYSTORE_PASSWORD", "pw")
    assert [a.address for a in keys_from_env()] == [acct.address]


def test_call_many_equals_calls_one_by_one(chain) -> None:  # type: ignore[no-untyped-def]
    """A batch of reads (one JSON-RPC batch over HTTP) answers exactly what the single calls answer."""
    from zhili.types import Category, Office

    j = registry.deploy_jurisdiction(chain, profiles.load("township"), "330110-001", "良渚镇")
    fns = [j.functions.holder(o) for o in Office] + [j.functions.weight(c, o) for c in Category for o in list(Office)[:5]]
    assert chain.call_many(fns) == [chain.call(fn) for fn in fns]
    assert chain.call_many([]) == []
