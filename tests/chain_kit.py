"""What the test files share: a world built once per chain and kind, each test run from a snapshot of
it (rolled back afterwards), ``revert`` to catch the contract's refusal, ``z`` to run the CLI."""

from __future__ import annotations

from typing import Any, Callable, Iterator, TypeVar

import pytest

from zhili.chain import Chain, ContractRevert

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


def revert(fn: Callable[..., Any], *args: Any, **kw: Any) -> ContractRevert:
    """Call ``fn`` and return the :class:`ContractRevert` it must raise."""
    with pytest.raises(ContractRevert) as e:
        fn(*args, **kw)
    return e.value
