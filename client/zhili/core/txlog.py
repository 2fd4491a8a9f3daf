"""The one write-ahead signed-transaction engine: what makes a killed run or deployment resumable
without sending anything twice.

A :class:`TxLog` is an append-only JSON-lines file, locked while in use. Its first line (``head``)
fixes what it belongs to (its format, the chain id, and what its user binds it to: a scenario's
digest, a deployment's network and jurisdiction); then, in order, for every transaction:

* ``tx``: written, flushed and fsync'd **before** the transaction is sent: its number ``k``, sender,
  nonce, target, value, a digest of the calldata, the signed bytes and their hash (and, for a
  deployment, the plan step it carries out), then
* ``ok``: the block the transaction was mined in and its status, once the receipt is in.

A ``time`` record (a clock move of a test chain) is confirmed by ``ok`` the same way, and ``done``
closes a finished log. A last line cut short by a crash is ignored on reading (it was never acted
upon); a file that is not a log of the expected format is refused untouched.

The engine is :meth:`TxLog.send` (sign → write ahead → send → confirm with the receipt) and
:meth:`TxLog.settle` (on resume, for an entry already written: a transaction already mined is read
and recorded; one the node never saw is re-broadcast as the *same signed bytes*; nothing is ever
signed twice). Its users: the run journal (:mod:`zhili.core.journal`, replayed in order) and the
deployment plan (:mod:`zhili.deploy.plan`, looked up by step name).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any, ClassVar, TypeVar

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.exceptions import TimeExhausted, TransactionNotFound
from web3.types import TxReceipt

from ..errors import JournalMismatch

L = TypeVar("L", bound="TxLog")


class TxLogError(JournalMismatch, RuntimeError):
    """The log does not fit this run (other chain or purpose, a changed client), is damaged or locked."""


def digest(obj: Any) -> str:
    """SHA-256 of canonical JSON (what a log is bound to)."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def data_digest(data: bytes | str | None) -> str:
    """SHA-256 of calldata (hex or bytes), as a ``tx`` record stores it."""
    if isinstance(data, str):
        data = bytes.fromhex(data.removeprefix("0x"))
    return hashlib.sha256(data or b"").hexdigest()


def intent(sender: str, tx: dict[str, Any]) -> dict[str, Any]:
    """What a transaction does, as its ``tx`` record states it (compared on replay)."""
    return {"from": sender, "nonce": int(tx["nonce"]), "to": tx.get("to") or None, "value": int(tx.get("value", 0)), "data": data_digest(tx.get("data"))}


class TxLog:
    """An open write-ahead transaction log; see the module docstring. Use :meth:`open_log`."""

    FORMAT: ClassVar[str] = "zhili-txlog/1"
    WHAT: ClassVar[str] = "zhili transaction log"
    CRASH_ENV: ClassVar[str] = "ZHILI_TXLOG_CRASH"  # tests: "<k or step>:<phase>" ends the process there
    CRASH_CODE: ClassVar[int] = 85
    RECEIPT_TIMEOUT: ClassVar[float] = 120

    def __init__(self, path: Path, fh: IO[str], header: dict[str, Any], entries: list[dict[str, Any]], finished: bool) -> None:
        self.path = path
        self._fh = fh
        self.header = header
        self.entries = entries  # one per tx/time record, its "ok" merged in as "block" and "status"
        self.finished = finished
        self.sent = 0  # transactions this process handed to the node
        self.poll_latency = 0.1  # seconds between receipt requests (the chain that attaches the log sets its own)

    # ------------------------------------------------------------------ opening

    @classmethod
    def open_log(cls: type[L], path: str | Path, binding: dict[str, Any], fresh: dict[str, Any] | None = None) -> L:
        """Open ``path``, creating it if missing. An existing log must match every item of
        ``binding``; ``fresh`` values (a seed, a start block) only go into a new log's head.

        A log holding only its head (nothing was ever written ahead under it) is bound afresh.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        fh = os.fdopen(fd, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise TxLogError(f"{path}: another zhili run or deployment is using this {cls.WHAT}") from None
        try:
            return cls._read(path, fh, binding, fresh or {})
        except BaseException:
            fh.close()
            raise

    @classmethod
    def _read(cls: type[L], path: Path, fh: IO[str], binding: dict[str, Any], fresh: dict[str, Any]) -> L:
        fh.seek(0)
        text = fh.read()
        if text.strip() and not text.startswith(f'{{"t":"head","format":"{cls.FORMAT}"'):
            raise TxLogError(f"{path}: not a {cls.WHAT} (refusing to touch it)")
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
                raise TxLogError(f"{path}:{i + 1}: not a {cls.WHAT} line (the file is damaged)") from None
        if lines and lines[-1].strip():  # a torn tail: end it so the next record starts on its own line
            fh.write("\n")
            fh.flush()
        if not any(r.get("t") in ("tx", "time") for r in records):
            # new, or only a head: nothing was written ahead under it, so it is bound afresh
            fh.truncate(0)
            header = {"format": cls.FORMAT, **binding, **fresh}
            log = cls(path, fh, header, [], False)
            log._append({"t": "head", **header})
            return log
        head = records[0]
        if head.get("t") != "head" or head.get("format") != cls.FORMAT:
            raise TxLogError(f"{path}: not a {cls.WHAT}")
        for key, value in binding.items():
            if head.get(key) != value:
                raise TxLogError(cls.mismatch(path, key, head.get(key), value))
        entries: list[dict[str, Any]] = []
        finished = False
        for rec in records[1:]:
            t = rec.get("t")
            if t in ("tx", "time"):
                if rec["k"] != len(entries):
                    raise TxLogError(f"{path}: step {rec['k']} out of order (expected {len(entries)})")
                entries.append(dict(rec))
            elif t == "ok":
                entries[rec["k"]]["block"] = rec["block"]
                entries[rec["k"]]["status"] = rec.get("status", 1)
            elif t == "done":
                finished = True
        for e in entries[:-1]:
            if "block" not in e:
                raise TxLogError(f"{path}: step {e['k']} was never confirmed but later steps were")
        return cls(path, fh, {k: v for k, v in head.items() if k != "t"}, entries, finished)

    @classmethod
    def mismatch(cls, path: Path, key: str, was: Any, now: Any) -> str:
        """The message for a log bound to another ``key`` (subclasses word their own)."""
        if key == "chain_id":
            return f"{path}: the {cls.WHAT} belongs to chain id {was}, the node reports {now}"
        return f"{path}: the {cls.WHAT} belongs to {key} {was!r}, not {now!r}; use a new one"

    # ------------------------------------------------------------------ writing

    def ahead(self, kind: str, fields: dict[str, Any]) -> int:
        """Write a step (durably) before it is carried out; returns its number."""
        k = len(self.entries)
        rec = {"t": kind, "k": k, **fields}
        self._append(rec)
        self.entries.append(dict(rec))
        return k

    def confirm(self, k: int, block: int, status: int = 1) -> None:
        """Record that step ``k`` is done (mined in ``block`` with ``status``; a clock move reached it)."""
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

    def __enter__(self: L) -> L:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ fault injection

    def crash(self, k: int, phase: str) -> None:
        """Test hook: die here, like ``kill -9``, if the crash variable names step ``k`` (its number
        or its ``step`` name) and ``phase`` (``ahead``, ``sent``, ``time``; a user may add its own)."""
        want = os.environ.get(self.CRASH_ENV)
        if not want:
            return
        names = {str(k)}
        if k < len(self.entries) and "step" in self.entries[k]:
            names.add(str(self.entries[k]["step"]))
        if want in {f"{n}:{phase}" for n in names}:
            os._exit(self.CRASH_CODE)

    # ------------------------------------------------------------------ the engine

    def send(self, w3: Web3, acct: LocalAccount, tx: dict[str, Any], fields: dict[str, Any] | None = None) -> tuple[int, TxReceipt]:
        """Sign ``tx``, write it ahead, send it, wait for and record its receipt; returns (step, receipt).

        ``fields`` go into the ``tx`` record beside the transaction's intent (a deployment's step name).
        """
        signed = acct.sign_transaction(tx)
        tx_hash = "0x" + bytes(signed.hash).hex()
        k = self.ahead("tx", {**intent(acct.address, tx), **(fields or {}), "hash": tx_hash, "raw": "0x" + bytes(signed.raw_transaction).hex()})
        self.crash(k, "ahead")  # from here on a restart re-broadcasts this exact transaction
        w3.eth.send_raw_transaction(signed.raw_transaction)
        self.sent += 1
        self.crash(k, "sent")
        return k, self._confirmed(w3, k, tx_hash)

    def settle(self, w3: Web3, rec: dict[str, Any]) -> TxReceipt:
        """An entry written before: if confirmed, its receipt (checked against the recorded block);
        if not, found on chain or re-broadcast as the identical signed bytes, then confirmed."""
        k, tx_hash = int(rec["k"]), str(rec["hash"])
        if "block" in rec:  # mined before: read it, send nothing
            receipt = receipt_of(w3, tx_hash)
            if receipt is None or int(receipt["blockNumber"]) != rec["block"]:
                raise TxLogError(f"{self.path}: step {k} (transaction {tx_hash}) is not in block {rec['block']} of this chain")
            return receipt
        if receipt_of(w3, tx_hash) is None:
            if w3.eth.get_transaction_count(rec["from"], "pending") > rec["nonce"]:
                if receipt_of(w3, tx_hash, wait=30) is None:
                    raise TxLogError(f"{self.path}: step {k}: nonce {rec['nonce']} of {rec['from']} was used by another transaction")
            else:
                try:
                    w3.eth.send_raw_transaction(rec["raw"])
                except Exception as exc:  # noqa: BLE001 - the node got it between our look and our send
                    if "known" not in str(exc).lower():
                        raise
                self.sent += 1
        return self._confirmed(w3, k, tx_hash)

    def _confirmed(self, w3: Web3, k: int, tx_hash: str) -> TxReceipt:
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=self.RECEIPT_TIMEOUT, poll_latency=self.poll_latency)  # type: ignore[arg-type]
        self.confirm(k, int(receipt["blockNumber"]), int(receipt["status"]))
        return receipt


def receipt_of(w3: Web3, tx_hash: str, wait: float = 0) -> TxReceipt | None:
    """The receipt of ``tx_hash``, or ``None`` if it is not mined (after waiting up to ``wait`` s)."""
    try:
        if wait:
            return w3.eth.wait_for_transaction_receipt(tx_hash, timeout=wait)  # type: ignore[arg-type]
        return w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
    except (TransactionNotFound, TimeExhausted):
        return None
