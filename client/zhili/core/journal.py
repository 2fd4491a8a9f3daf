"""The run journal: what makes a killed ``zhili run`` resumable without sending anything twice.

A journal is an append-only JSON-lines file. Its first line fixes what it belongs to (the scenario's
digest, the chain id, the entropy seed that makes the run's secrets reproducible); then, for every
state change the run makes, in order:

* ``tx``: written and flushed to disk **before** the transaction is sent (sender, nonce, target,
  value, a digest of the calldata, the signed bytes and their hash), then
* ``ok``: the block the transaction was mined in, once its receipt is in.

Moving the clock of a test chain (``time``/``ok``) is journaled the same way. A last line cut short
by a crash is ignored on reading; a journal is locked while a run uses it.

Resuming (:class:`zhili.core.chain.Chain` with a journal attached) executes the run again from the start
with the same secrets. While journaled entries remain, the chain is *pinned*: every read names the
block of the last journaled step, so the client sees the chain exactly as the first run saw it and
takes the same decisions. A transaction it would send must equal the next entry (sender, nonce,
target, value, calldata), otherwise the run stops with :class:`JournalError` and sends nothing; a
journaled transaction is never signed or sent again: its receipt is read from the chain. The one
entry that may lack its ``ok`` (the process died between writing it and reading the receipt) is
looked up by hash and, if the node never got it, re-broadcast as the identical signed bytes. After
the last entry the pin is released and the run continues live.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any

from ..errors import JournalMismatch

FORMAT = "zhili-run-journal/1"
CRASH_ENV = "ZHILI_RUN_CRASH"  # tests: "K:ahead", "K:sent" or "K:time" ends the process at step K


class JournalError(JournalMismatch, RuntimeError):
    """The journal does not fit this run (other scenario or chain, a changed client) or is locked."""


def digest(obj: Any) -> str:
    """SHA-256 of canonical JSON (the scenario a journal belongs to)."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def data_digest(data: bytes | str | None) -> str:
    if isinstance(data, str):
        data = bytes.fromhex(data.removeprefix("0x"))
    return hashlib.sha256(data or b"").hexdigest()


def maybe_crash(step: int, phase: str) -> None:
    """Test hook: die here, like ``kill -9``, if ``ZHILI_RUN_CRASH`` names this step and phase."""
    if os.environ.get(CRASH_ENV) == f"{step}:{phase}":
        os._exit(86)


class RunJournal:
    """An open journal; see the module docstring. Use :meth:`open`."""

    def __init__(self, path: Path, fh: IO[str], header: dict[str, Any], entries: list[dict[str, Any]], finished: bool) -> None:
        self.path = path
        self._fh = fh
        self.header = header
        self.entries = entries  # one per step, "ok" merged in as "block"
        self.finished = finished
        self.cursor = 0
        self.sent = 0

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | Path, *, scenario: str, chain_id: int, seed: bytes, start_block: int) -> RunJournal:
        """Open ``path`` for a run of ``scenario`` (a digest) on ``chain_id``; create it if missing.

        ``seed`` and ``start_block`` are only used for a new journal; an existing one keeps its own.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        fh = os.fdopen(fd, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise JournalError(f"{path}: another zhili run is using this journal") from None
        fh.seek(0)
        text = fh.read()
        if text.strip() and not text.startswith(f'{{"t":"head","format":"{FORMAT}"'):
            fh.close()
            raise JournalError(f"{path}: not a zhili run journal (refusing to touch it)")
        lines = text.split("\n")
        records: list[dict[str, Any]] = []
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                if i == len(lines) - 1:  # the last line, cut short by a crash: never acted upon
                    break
                fh.close()
                raise JournalError(f"{path}:{i + 1}: not a journal line (the file is damaged)") from None
        if lines and lines[-1].strip():  # a torn tail: end it so the next record starts on its own line
            fh.write("\n")
            fh.flush()
        if not any(r.get("t") in ("tx", "time") for r in records):
            # new, or only a header (say the rehearsal failed and the file was fixed): nothing was sent under it
            fh.truncate(0)
            header = {"format": FORMAT, "scenario": scenario, "chain_id": chain_id, "seed": seed.hex(), "start_block": start_block}
            journal = cls(path, fh, header, [], False)
            journal._append({"t": "head", **header})
            return journal
        head = records[0]
        if head.get("t") != "head" or head.get("format") != FORMAT:
            fh.close()
            raise JournalError(f"{path}: not a zhili run journal")
        if head["scenario"] != scenario:
            fh.close()
            raise JournalError(f"{path}: the journal belongs to another scenario (or the scenario file changed since); use a new journal")
        if head["chain_id"] != chain_id:
            fh.close()
            raise JournalError(f"{path}: the journal belongs to chain id {head['chain_id']}, the node reports {chain_id}")
        entries: list[dict[str, Any]] = []
        finished = False
        for rec in records[1:]:
            t = rec.get("t")
            if t in ("tx", "time"):
                if rec["k"] != len(entries):
                    fh.close()
                    raise JournalError(f"{path}: step {rec['k']} out of order (expected {len(entries)})")
                entries.append(dict(rec))
            elif t == "ok":
                entries[rec["k"]]["block"] = rec["block"]
                entries[rec["k"]]["status"] = rec.get("status", 1)
            elif t == "done":
                finished = True
        for e in entries[:-1]:
            if "block" not in e:
                fh.close()
                raise JournalError(f"{path}: step {e['k']} was never confirmed but later steps were")
        header = {k: v for k, v in head.items() if k != "t"}
        return cls(path, fh, header, entries, finished)

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

    # ------------------------------------------------------------------ writing

    def ahead(self, kind: str, fields: dict[str, Any]) -> int:
        """Write a step before it is carried out; returns its number."""
        k = len(self.entries)
        rec = {"t": kind, "k": k, **fields}
        self._append(rec)
        self.entries.append(dict(rec))
        self.cursor = len(self.entries)
        return k

    def confirm(self, k: int, block: int, status: int = 1) -> None:
        self._append({"t": "ok", "k": k, "block": block, "status": status})
        self.entries[k]["block"] = block
        self.entries[k]["status"] = status

    def finish(self, result: Any) -> None:
        self._append({"t": "done", "result": digest(result), "steps": len(self.entries)})
        self.finished = True

    def _append(self, rec: dict[str, Any]) -> None:
        self._fh.write(json.dumps(rec, separators=(",", ":")) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if not self._fh.closed:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
