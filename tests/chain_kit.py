"""What the test files share: a world built once per chain and kind, each test run from a snapshot of
it (rolled back afterwards), ``revert`` to catch the contract's refusal, ``z`` to run the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from zhili.core.chain import Chain, ContractRevert

T = TypeVar("T")
_WORLDS: dict[tuple[str, str], Any] = {}


def snapshot_world(session_chain: Chain, name: str, build: Callable[[Chain], T]) -> Iterator[T]:
    """Fixture body: the ``name`` world on this chain (built on first use), rolled back after the test."""
    key = (name, session_chain.kind)
    if key not in _WORLDS:
        _WORLDS[key] = build(session_chain)
    snap = session_chain.snapshot()
    yield _WORLDS[key]
    session_chain.revert_to(snap)


def z(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``zhili ARGV`` in process: exit code, stdout, stderr."""
    from zhili.cli import main

    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def advance_node(url: str, seconds: int) -> None:
    """Move the clock of an anvil node reached by URL ``seconds`` on and mine a block there.

    zhili's anvil stamps blocks at a fixed interval (``zhili.core.chain.AnvilProcess``), which makes
    anvil ignore ``evm_increaseTime``; an exact next timestamp is what moves its clock."""
    import requests

    def rpc(method: str, params: list[Any]) -> Any:
        reply = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10).json()
        assert "error" not in reply, reply
        return reply["result"]

    now = int(rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
    rpc("evm_setNextBlockTimestamp", [now + seconds])
    rpc("evm_mine", [])


def revert(fn: Callable[..., Any], *args: Any, **kw: Any) -> ContractRevert:
    """Call ``fn`` and return the :class:`ContractRevert` it must raise."""
    with pytest.raises(ContractRevert) as e:
        fn(*args, **kw)
    return e.value
