"""Local files the client keeps (credentials, sealed ballots and votes, review openings, receipts,
manifests, results) are written whole or not at all.

A crash while writing must never leave half a ballot opening or half a manifest: the data goes to a
temporary file in the same directory, is flushed to disk, and is then moved into place in one step
(``os.replace``, or ``os.link`` when the file must not already exist). Secrets are created readable by
their owner only (0600).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

#: Largest input file the client reads (profiles, scenarios, checklists, CLI inputs; docs/bad-input.md).
MAX_FILE_BYTES = 1_000_000


def read_yaml(path: Path, what: str, error: Callable[[str, list[str]], Exception], shown: str | None = None) -> Any:
    """The YAML document of ``what`` (a profile, a scenario) in ``path``; ``error(source, ["<file>: …"])``
    for a file over :data:`MAX_FILE_BYTES`, one that cannot be read (its source named ``shown``,
    default the path) or one that is not YAML."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error(str(path), [f"<file>: {what} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"])
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(shown or str(path), [f"<file>: cannot read: {exc.strerror}"]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(str(path), [f"<file>: not valid YAML: {exc}"]) from None


def write_atomic(path: str | Path, data: bytes | str, *, private: bool = False, replace: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; ``private`` files get mode 0600, others 0644.

    With ``replace`` an existing file is replaced; without, an existing file raises
    :class:`FileExistsError` and is left untouched (an opening or a receipt is never overwritten).
    """
    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")  # created 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        if not private:
            os.chmod(tmp, 0o644)
        if replace:
            os.replace(tmp, p)
        else:
            os.link(tmp, p)  # fails if the file exists: no overwrite, no window between check and write
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(p.parent)
    return p


def _fsync_dir(directory: Path) -> None:
    """Make the new directory entry durable too (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user's counts): owners of temporary state
    (an anvil's cache directory, a test PostgreSQL cluster) are checked with it before their state is reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
