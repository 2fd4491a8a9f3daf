"""The client's one source of secret randomness: credentials, ballot and vote salts, review openings,
reporter identities and their encryption.

By default every call draws from :mod:`secrets` (the operating system). Inside :func:`seeded` the
same calls draw from a deterministic stream derived from a 32-byte seed (HMAC-SHA256 in counter
mode), so that a journaled ``zhili run`` can be executed again after a crash and produce the very
same transactions (docs/scenarios.md, "Resuming"). The seed is then as secret as everything drawn
from it: the run journal that keeps it is written with mode 0600.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class _Stream:
    """HMAC-SHA256(seed, counter) blocks, consumed in order."""

    def __init__(self, seed: bytes) -> None:
        if len(seed) != 32:
            raise ValueError(f"an entropy seed is 32 bytes, got {len(seed)}")
        self._seed = seed
        self._counter = 0
        self._buf = b""

    def take(self, n: int) -> bytes:
        while len(self._buf) < n:
            self._buf += hmac.new(self._seed, self._counter.to_bytes(8, "big"), hashlib.sha256).digest()
            self._counter += 1
        out, self._buf = self._buf[:n], self._buf[n:]
        return out


_stream: ContextVar[_Stream | None] = ContextVar("zhili_entropy", default=None)


def token_bytes(n: int) -> bytes:
    """``n`` secret random bytes (deterministic inside :func:`seeded`)."""
    s = _stream.get()
    return secrets.token_bytes(n) if s is None else s.take(n)


def randbelow(n: int) -> int:
    """A secret random integer in ``[0, n)`` (rejection sampling inside :func:`seeded`)."""
    s = _stream.get()
    if s is None:
        return secrets.randbelow(n)
    if n <= 0:
        raise ValueError("randbelow needs a positive bound")
    size = (n.bit_length() + 7) // 8
    while True:
        v = int.from_bytes(s.take(size), "big") >> (8 * size - n.bit_length())
        if v < n:
            return v


def new_seed() -> bytes:
    return secrets.token_bytes(32)


@contextmanager
def seeded(seed: bytes) -> Iterator[None]:
    """Draw every secret of the enclosed code from ``seed`` (same seed, same calls: same secrets)."""
    token = _stream.set(_Stream(seed))
    try:
        yield
    finally:
        _stream.reset(token)
