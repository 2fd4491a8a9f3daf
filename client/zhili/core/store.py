"""Content fingerprints and the off-chain, content-addressed store of documents (R-DOC-3, R-DOC-5).

Only fingerprints and metadata go on chain; the bytes of documents, recordings and checklists live
in a :class:`ContentStore`. The default is a local directory (:class:`DirectoryStore`); other
back ends (an object store, an IPFS node) plug in by implementing the three methods of the protocol
and adding a URL scheme to ``_SCHEMES``.

Fingerprints: SHA-256 (``hashlib``) by default, SM3 (GB/T 32905, pure Python ``gmssl``) for users
who must use the national standard. Their on-chain algorithm ids are 1 and 2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

from ..core.files import write_atomic
from ..errors import InputError

Algorithm = Literal["sha256", "sm3"]
ALGORITHM_IDS: dict[str, int] = {"sha256": 1, "sm3": 2}
ALGORITHM_NAMES: dict[int, str] = {v: k for k, v in ALGORITHM_IDS.items()}


class StoreError(InputError):
    """Content missing, tampered with, or a store that cannot be opened."""


def sm3(data: bytes) -> bytes:
    """SM3 digest of ``data`` (GB/T 32905-2016)."""
    from gmssl import func
    from gmssl import sm3 as _sm3

    return bytes.fromhex(_sm3.sm3_hash(func.bytes_to_list(data)))


def fingerprint(data: bytes, algorithm: str = "sha256") -> bytes:
    """The 32-byte content fingerprint of ``data`` under ``algorithm`` (``sha256`` or ``sm3``)."""
    if algorithm == "sha256":
        return hashlib.sha256(data).digest()
    if algorithm == "sm3":
        return sm3(data)
    raise StoreError(f"R-DOC-3: unknown fingerprint algorithm {algorithm!r}; expected sha256 or sm3")


def algorithm_id(algorithm: str) -> int:
    try:
        return ALGORITHM_IDS[algorithm]
    except KeyError:
        raise StoreError(f"R-DOC-3: unknown fingerprint algorithm {algorithm!r}; expected sha256 or sm3") from None


class ContentStore(Protocol):
    """Where document bytes live, addressed by fingerprint."""

    def put(self, data: bytes, algorithm: str = "sha256") -> bytes:
        """Store ``data``; returns its fingerprint."""
        ...

    def get(self, fp: bytes) -> bytes:
        """The bytes whose fingerprint is ``fp``; raises :class:`StoreError` if missing or tampered with."""
        ...

    def has(self, fp: bytes) -> bool: ...


class DirectoryStore:
    """Content-addressed files under ``root``: ``root/<alg>/<hex[:2]>/<hex>``, written atomically.

    Reads re-hash the bytes, so a file altered on disk is reported, never served.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, fp: bytes, algorithm: str) -> Path:
        h = fp.hex()
        return self.root / algorithm / h[:2] / h

    def put(self, data: bytes, algorithm: str = "sha256") -> bytes:
        fp = fingerprint(data, algorithm)
        path = self._path(fp, algorithm)
        if path.exists():
            return fp
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomic(path, data)
        except FileExistsError:  # stored meanwhile by someone else: same fingerprint, same content
            pass
        return fp

    def _find(self, fp: bytes) -> tuple[Path, str] | None:
        for alg in ALGORITHM_IDS:
            p = self._path(fp, alg)
            if p.exists():
                return p, alg
        return None

    def has(self, fp: bytes) -> bool:
        return self._find(fp) is not None

    def get(self, fp: bytes) -> bytes:
        found = self._find(fp)
        if found is None:
            raise StoreError(f"R-DOC-5: no content with fingerprint 0x{fp.hex()} in {self.root}")
        path, alg = found
        data = path.read_bytes()
        if fingerprint(data, alg) != fp:
            raise StoreError(f"R-DOC-3: stored content 0x{fp.hex()} was altered on disk ({path})")
        return data


_SCHEMES: dict[str, Callable[[str], ContentStore]] = {"dir": DirectoryStore, "file": DirectoryStore}


def open_store(spec: str | Path) -> ContentStore:
    """A store from a spec: a directory path, ``dir:PATH``, or a registered ``scheme:…``."""
    text = str(spec)
    scheme, sep, rest = text.partition(":")
    if sep and scheme in _SCHEMES and len(scheme) > 1:  # (a one-letter scheme is a drive letter)
        return _SCHEMES[scheme](rest.removeprefix("//"))
    return DirectoryStore(text)
