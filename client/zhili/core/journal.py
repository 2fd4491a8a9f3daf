"""The run journal: what makes a killed ``zhili run`` resumable without sending anything twice.

A journal is a :class:`zhili.core.txlog.TxLog` (the one write-ahead transaction engine, whose module
docstring gives the file format) whose head fixes the scenario's digest, the chain id and the entropy
seed that makes the run's secrets reproducible. Every state change the run makes is in it, in order:
``tx`` written and fsync'd before the transaction is sent, ``ok`` once its receipt is in; moving the
clock of a test chain (``time``/``ok``) is journaled the same way.

Resuming (:class:`zhili.core.chain.Chain` with a journal attached) executes the run again from the start
with the same secrets. While journaled entries remain, the chain is *pinned*: every read names the
block of the last journaled step, so the client sees the chain exactly as the first run saw it and
takes the same decisions. A transaction it would send must equal the next entry (sender, nonce,
target, value, calldata), otherwise the run stops with :class:`JournalError` and sends nothing; a
journaled transaction is never signed or sent again (:meth:`TxLog.settle`). After the last entry the
pin is released and the run continues live.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from .txlog import TxLog, TxLogError, data_digest, digest

__all__ = ["CRASH_ENV", "FORMAT", "JournalError", "RunJournal", "data_digest", "digest"]

FORMAT = "zhili-run-journal/1"
CRASH_ENV = "ZHILI_RUN_CRASH"  # tests: "K:ahead", "K:sent" or "K:time" ends the process at step K

#: The journal's errors are the transaction log's (exit code 4, ``JournalMismatch``).
JournalError = TxLogError


class RunJournal(TxLog):
    """An open run journal; see the module docstring. Use :meth:`open`."""

    FORMAT: ClassVar[str] = FORMAT
    WHAT: ClassVar[str] = "zhili run journal"
    CRASH_ENV: ClassVar[str] = CRASH_ENV
    CRASH_CODE: ClassVar[int] = 86

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cursor = 0

    @classmethod
    def open(cls, path: str | Path, *, scenario: str, chain_id: int, seed: bytes, start_block: int) -> RunJournal:
        """Open ``path`` for a run of ``scenario`` (a digest) on ``chain_id``; create it if missing.

        ``seed`` and ``start_block`` are only used for a new journal; an existing one keeps its own.
        """
        return cls.open_log(path, {"scenario": scenario, "chain_id": chain_id}, {"seed": seed.hex(), "start_block": start_block})

    @classmethod
    def mismatch(cls, path: Path, key: str, was: Any, now: Any) -> str:
        if key == "scenario":
            return f"{path}: the journal belongs to another scenario (or the scenario file changed since); use a new journal"
        if key == "chain_id":
            return f"{path}: the journal belongs to chain id {was}, the node reports {now}"
        return super().mismatch(path, key, was, now)

    @property
    def seed(self) -> bytes:
        return bytes.fromhex(self.header["seed"])

    @property
    def start_block(self) -> int:
        return int(self.header["start_block"])

    # ------------------------------------------------------------------ replay

    @property
    def replaying(self) -> bool:
        return self.cursor < len(self.entries)

    def next_entry(self, kind: str, expect: dict[str, Any]) -> dict[str, Any] | None:
        """The journaled step this one must equal, or ``None`` when the run is past the journal."""
        if not self.replaying:
            return None
        rec = self.entries[self.cursor]
        wrong = [k for k, v in expect.items() if rec.get(k) != v]
        if rec["t"] != kind or wrong:
            got = {k: expect[k] for k in wrong}
            was = {k: rec.get(k) for k in wrong}
            raise JournalError(
                f"{self.path}: step {self.cursor} differs from the journal ({rec['t']} {was} there, {kind} {got} now): "
                "the scenario, the client or the chain changed since the journal was written; nothing was sent"
            )
        self.cursor += 1
        return rec

    def ahead(self, kind: str, fields: dict[str, Any]) -> int:
        k = super().ahead(kind, fields)
        self.cursor = len(self.entries)
        return k
