"""One way to reach a chain, used by the CLI, the scripts and the tests.

``connect("embedded")``
    web3.py's EthereumTesterProvider (eth-tester + py-evm), in-process, no server. The default.
``connect("anvil")``
    starts the npm ``@foundry-rs/anvil`` binary on a loopback port it picks itself; the process
    that started it owns it and stops it (on ``close()``, at exit, and, on Linux, if it dies).

Both test chains start at :data:`GENESIS_TIME` and never read the machine's clock: every block is
one second after its parent unless zhili moves the clock (:meth:`Chain.wait_until`). Deadlines in
working days depend on the date (the holiday calendar), so a test chain that followed the wall
clock would give different results on different days (docs/architecture.md, "Time").
``connect("http://host:8545")``
    any JSON-RPC node, e.g. Hyperledger Besu with QBFT: checks the chain id, sends legacy
    transactions at a fixed gas price (zero on a free-gas consortium chain) or EIP-1559 ones,
    and injects the PoA/QBFT extra-data middleware.

Every transaction goes through :meth:`Chain.transact`: it is simulated first, so a rule violation
surfaces as :class:`ContractRevert` carrying the contract's custom error, its arguments and the
SPEC rule ID from the contract's NatSpec (``@custom:rule``), and nothing is sent.
"""

from __future__ import annotations

import ast
import atexit
import ctypes
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlparse

import requests
from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractConstructor, ContractFunction
from web3.exceptions import ContractCustomError, ContractLogicError, ContractPanicError
from web3.middleware import ExtraDataToPOAMiddleware, Web3Middleware
from web3.providers.eth_tester import EthereumTesterProvider
from web3.providers.rpc import HTTPProvider
from web3.types import BlockIdentifier, TxParams, TxReceipt

from ..core import artifacts, txlog
from ..core.files import pid_alive
from ..core.journal import RunJournal
from ..errors import ChainUnavailable, InputError, RuleRefused

ChainKind = Literal["embedded", "anvil", "rpc"]
TxType = Literal["eip1559", "legacy"]

ANVIL_MNEMONIC = "test test test test test test test test test test test junk"
ANVIL_CHAIN_ID = 31337
ANVIL_ACCOUNTS = 10
DEFAULT_HARDFORK = "paris"  # what the contracts are compiled for (consortium chains lag mainnet)
# The test chains' genesis: Monday 2026-01-05 09:00 China Standard Time. A fixed start makes every
# run on them independent of today's date; 2026 is covered by the installed holiday calendar
# (chinese-calendar, SPEC §8) and is the year the bundled scenarios label their motions with.
GENESIS_TIME = int(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
assert GENESIS_TIME == 1_767_574_800
BLOCK_INTERVAL = 1  # seconds from one block to the next on a test chain, unless the clock is moved
ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")
PANIC_SELECTOR = bytes.fromhex("4e487b71")


class ChainError(ChainUnavailable, RuntimeError):
    """The chain could not be reached or is not the one expected."""


class SignerError(InputError, ChainError):
    """No signing key for the account asked for (``--from``, ``ZHILI_PRIVATE_KEYS``): bad input, not the chain."""


class ContractRevert(RuleRefused):
    """A contract refused a call or transaction.

    ``error`` is the custom error's name (``"BallotTooLong"``), ``args`` its decoded arguments by
    name, ``rule`` the SPEC rule ID the contract declares for it, ``notice`` its NatSpec text.
    Plain ``revert("...")`` reasons and panics get ``error`` = ``"Error"`` / ``"Panic"``.
    """

    def __init__(
        self,
        error: str,
        args: dict[str, Any],
        rule: str | None = None,
        notice: str | None = None,
        contract: str | None = None,
        data: bytes = b"",
    ) -> None:
        self.error = error
        self.args_by_name = args
        self.rule = rule
        self.notice = notice
        self.contract = contract
        self.data = data
        super().__init__(self.message)

    @property
    def message(self) -> str:
        shown = ", ".join(f"{k}={_show(v)}" for k, v in self.args_by_name.items())
        head = f"{self.rule}: " if self.rule and self.rule != "none" else ""  # plumbing errors name no rule
        tail = f" — {self.notice}" if self.notice else ""
        return f"{head}{self.error}({shown}){tail}"


def _show(v: Any) -> str:
    if isinstance(v, bytes):
        return "0x" + v.hex()
    return repr(v) if isinstance(v, str) else str(v)


def decode_revert(data: bytes, prefer: str | None = None) -> ContractRevert:
    """Turn raw revert data into a :class:`ContractRevert` using the shipped artifacts; where several
    contracts declare the same error, ``prefer`` (the called contract) decides whose rule ID applies."""
    sel, body = data[:4], data[4:]
    if sel == ERROR_STRING_SELECTOR:
        (reason,) = abi_decode(["string"], body)
        return ContractRevert("Error", {"reason": reason}, data=data)
    if sel == PANIC_SELECTOR:
        (code,) = abi_decode(["uint256"], body)
        return ContractRevert("Panic", {"code": hex(code)}, data=data)
    infos = artifacts.errors_by_selector().get(sel)
    if not infos:
        return ContractRevert("UnknownError", {"data": data}, data=data)
    info = next((i for i in infos if i.contract == prefer), infos[0])
    types = [artifacts._abi_type(i) for i in info.inputs]
    values = abi_decode(types, body) if types else ()
    named = {i["name"] or f"arg{n}": v for n, (i, v) in enumerate(zip(info.inputs, values))}
    return ContractRevert(info.name, named, info.rule, info.notice, info.contract, data)


def _revert_data_from(exc: Exception) -> bytes | None:
    data = getattr(exc, "data", None)
    if isinstance(exc, ContractCustomError | ContractPanicError) and isinstance(data, str):
        return bytes.fromhex(data.removeprefix("0x"))
    if isinstance(exc, ContractLogicError):
        if isinstance(data, str) and data.startswith("0x"):
            return bytes.fromhex(data[2:])
        msg = exc.message or ""
        if msg.startswith("execution reverted: "):
            return ERROR_STRING_SELECTOR + abi_encode(["string"], [msg.removeprefix("execution reverted: ")])
        return b""
    return None


class _EmbeddedProvider(EthereumTesterProvider):
    """EthereumTesterProvider that reports reverts like a real node (JSON-RPC error with data).

    Plain eth-tester turns the revert bytes into a string before web3 sees them; this restores the
    bytes so that custom errors decode the same way on every chain.
    """

    def make_request(self, method: Any, params: Any) -> Any:
        from eth_tester.exceptions import TransactionFailed

        try:
            return super().make_request(method, params)
        except TransactionFailed as exc:
            msg = str(exc.args[0]) if exc.args else ""
            reason = msg.removeprefix("execution reverted: ")
            data = b""
            if reason.startswith(("b'", 'b"')):
                data = ast.literal_eval(reason)
            elif reason:
                data = ERROR_STRING_SELECTOR + abi_encode(["string"], [reason])
            return {
                "jsonrpc": "2.0",
                "id": 0,
                "error": {"code": 3, "message": "execution reverted", "data": "0x" + data.hex()},
            }


def _deterministic_pyevm_clock() -> None:
    """py-evm stamps each new block ``max(parent + 1, eth_now())``
    (``eth._utils.headers.new_timestamp_from_parent``), i.e. it follows the machine's clock. zhili's
    embedded chain must not: ``eth_now`` is replaced by a clock that never runs, so each block is
    one second after its parent, and only :meth:`Chain._set_clock` (eth-tester's ``time_travel``)
    moves time. py-evm serves only the embedded chain in this process, so the patch is global and
    idempotent; the genesis time itself is a genesis parameter (:func:`_embedded_tester`)."""
    from eth._utils import headers

    if getattr(headers.eth_now, "zhili", False):
        return

    def eth_now() -> int:
        return 0  # below any parent's timestamp: the parent's + 1 wins

    eth_now.zhili = True  # type: ignore[attr-defined]
    headers.eth_now = eth_now


def _embedded_tester(genesis_time: int) -> Any:
    from eth_tester import EthereumTester, PyEVMBackend

    _deterministic_pyevm_clock()
    params = PyEVMBackend.generate_genesis_params(overrides={"timestamp": genesis_time})
    return EthereumTester(PyEVMBackend(genesis_parameters=params))


def find_anvil() -> str:
    """Path of the anvil binary: ``$ZHILI_ANVIL``, the npm package in the repo, or ``anvil`` on PATH."""
    env = os.environ.get("ZHILI_ANVIL")
    if env:
        return env
    root = Path(__file__).resolve().parents[3] / "node_modules" / "@foundry-rs"
    for cand in sorted(root.glob("anvil-*/bin/anvil")):
        if os.access(cand, os.X_OK):
            return str(cand)
    found = shutil.which("anvil")
    if found:
        return found
    raise ChainError("anvil not found: run `npm ci` in the repository or set ZHILI_ANVIL")


ANVIL_CACHE_PREFIX = "zhili-anvil-"


def _anvil_cache_dir() -> str:
    """A fresh directory for one anvil's persisted states, named after the process that owns it.

    anvil keeps recent states in memory and writes older ones to disk (several GB over a long test
    run) under ``~/.foundry/anvil/tmp`` by default, and leaves them there when it is stopped. Each of
    our nodes gets its own ``--cache-path`` instead, removed when the node stops; a directory left by
    an owner that died without stopping it (a crash test's SIGKILL) is removed by the next start.
    """
    base = Path(tempfile.gettempdir())
    for stale in base.glob(f"{ANVIL_CACHE_PREFIX}*-*"):
        pid = stale.name[len(ANVIL_CACHE_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{ANVIL_CACHE_PREFIX}{os.getpid()}-")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class AnvilProcess:
    """An anvil node on a loopback port of its own choosing, owned by this process.

    anvil binds port 0 and prints ``Listening on 127.0.0.1:PORT``; the port is read from that line,
    so parallel test workers can never start two nodes on one port or reach each other's node.
    The chain starts at ``genesis_time`` (default :data:`GENESIS_TIME`; a ``--timestamp`` in
    ``extra_args`` wins) and stamps each block ``BLOCK_INTERVAL`` after its parent, whatever the
    machine's clock says (``anvil_setBlockTimestampInterval``).
    """

    def __init__(
        self,
        hardfork: str = DEFAULT_HARDFORK,
        chain_id: int = ANVIL_CHAIN_ID,
        extra_args: Sequence[str] = (),
        genesis_time: int | None = None,
    ) -> None:
        extra_args = list(extra_args)
        timestamp = [] if "--timestamp" in extra_args else ["--timestamp", str(genesis_time if genesis_time is not None else GENESIS_TIME)]
        binary = find_anvil()
        self.cache_path = "" if "--cache-path" in extra_args else _anvil_cache_dir()
        cache = ["--cache-path", self.cache_path] if self.cache_path else []
        cmd = [
            binary,
            "--host", "127.0.0.1",
            "--port", "0",
            "--hardfork", hardfork,
            "--chain-id", str(chain_id),
            "--accounts", str(ANVIL_ACCOUNTS),
            "--gas-limit", "30000000",
            *timestamp,
            *cache,
            *extra_args,
        ]  # fmt: skip
        self.port = 0
        self.url = ""
        self._listening = threading.Event()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
        atexit.register(self.stop)
        # anvil prints its banner, then "Listening on ...", then a log line per request: a thread
        # reads the port and keeps draining the pipe (logging is switched off below) so anvil never blocks
        threading.Thread(target=self._read_stdout, name=f"anvil-{self.proc.pid}-stdout", daemon=True).start()
        deadline = time.monotonic() + 20
        while not self._listening.wait(0.05):
            if self.proc.poll() is not None:
                self._listening.wait(0.5)  # the reader may still be finishing
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise ChainError(f"anvil exited at start ({self.proc.returncode}): {err.strip()}")
            if time.monotonic() > deadline:
                self.stop()
                raise ChainError("anvil did not start listening within 20 s")
        if not self.port:  # stdout ended without the line: anvil is exiting
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            err = self.proc.stderr.read().decode() if self.proc.poll() is not None and self.proc.stderr else ""
            self.stop()
            raise ChainError(f"anvil exited at start ({self.proc.returncode}): {err.strip()}")
        self.url = f"http://127.0.0.1:{self.port}"
        session = requests.Session()
        session.trust_env = False  # a loopback node: no proxy
        for method, params in (("anvil_setLoggingEnabled", [False]), ("anvil_setBlockTimestampInterval", [BLOCK_INTERVAL])):
            reply = session.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10).json()
            if "error" in reply:
                self.stop()
                raise ChainError(f"anvil refused {method}: {reply['error']}")
        session.close()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if not self._listening.is_set():
                line = raw.decode(errors="replace").strip()
                if line.startswith("Listening on "):
                    self.port = int(line.rsplit(":", 1)[1])
                    self._listening.set()
        self._listening.set()  # EOF: anvil is gone (its exit is reported by the caller)
        self.proc.stdout.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()
        if self.cache_path:
            shutil.rmtree(self.cache_path, ignore_errors=True)


def anvil_accounts(n: int = ANVIL_ACCOUNTS) -> list[LocalAccount]:
    Account.enable_unaudited_hdwallet_features()
    return [Account.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(n)]


def keys_from_env() -> list[LocalAccount]:
    """Signing keys for a JSON-RPC chain, never from the repository.

    ``ZHILI_PRIVATE_KEYS`` (comma-separated hex keys) or ``ZHILI_KEYSTORE`` (comma-separated
    encrypted keystore files) with ``ZHILI_KEYSTORE_PASSWORD``.
    """
    out: list[LocalAccount] = []
    for key in filter(None, (k.strip() for k in os.environ.get("ZHILI_PRIVATE_KEYS", "").split(","))):
        out.append(Account.from_key(key))
    stores = [s for s in os.environ.get("ZHILI_KEYSTORE", "").split(",") if s.strip()]
    if stores:
        password = os.environ.get("ZHILI_KEYSTORE_PASSWORD")
        if password is None:
            raise SignerError("ZHILI_KEYSTORE is set but ZHILI_KEYSTORE_PASSWORD is not")
        for store in stores:
            encrypted = Path(store.strip()).read_text(encoding="utf-8")
            out.append(Account.from_key(Account.decrypt(encrypted, password)))
    return out


@dataclass
class Chain:
    """A connected chain with the accounts zhili may sign for."""

    w3: Web3
    kind: ChainKind
    accounts: list[LocalAccount]
    tx_type: TxType = "eip1559"
    gas_price: int | None = None
    gas_used: dict[str, list[int]] = field(default_factory=dict)
    _owned: AnvilProcess | None = None
    _chain_id: int | None = None
    _embedded_gas_cap: int = 15_000_000
    _on_close: list[Callable[[], None]] = field(default_factory=list)
    journal: RunJournal | None = None
    pinned: int | None = None  # while a journal is replayed: the block every read is made at

    @property
    def chain_id(self) -> int:
        if self._chain_id is None:
            self._chain_id = int(self.w3.eth.chain_id)
        return self._chain_id

    def account(self, who: int | str | LocalAccount | None) -> LocalAccount:
        """An account by index, address or itself; ``None`` is the first (deployer)."""
        if not self.accounts and not isinstance(who, LocalAccount):
            raise SignerError("no signing keys: set ZHILI_PRIVATE_KEYS or ZHILI_KEYSTORE (+ ZHILI_KEYSTORE_PASSWORD)")
        if isinstance(who, int) and not 0 <= who < len(self.accounts):
            raise SignerError(f"no signing key number {who}: {len(self.accounts)} keys are configured")
        if who is None:
            return self.accounts[0]
        if isinstance(who, int):
            return self.accounts[who]
        if isinstance(who, str):
            for a in self.accounts:
                if a.address.lower() == who.lower():
                    return a
            raise SignerError(f"no signing key for {who}")
        return who

    # ------------------------------------------------------------------ contracts

    def contract(self, name: str, address: str) -> Contract:
        art = artifacts.load(name)
        return self.w3.eth.contract(address=to_checksum_address(address), abi=art.abi)

    def deploy(self, name: str, *args: Any, sender: int | str | LocalAccount | None = None, label: str | None = None) -> Contract:
        """Deploy contract ``name`` from the shipped artifacts."""
        art = artifacts.load(name)
        factory = self.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
        receipt = self.transact(factory.constructor(*args), sender=sender, label=label or f"deploy.{name}")
        address = receipt["contractAddress"]
        assert address is not None, "a mined deployment has a contract address"
        return self.contract(name, address)

    def call_constructor(self, name: str, *args: Any, sender: str) -> None:
        """Simulate deploying ``name`` (nothing is sent); a refusal raises :class:`ContractRevert`."""
        art = artifacts.load(name)
        ctor = self.w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor(*args)
        try:
            self.w3.eth.call({"from": to_checksum_address(sender), "data": ctor.data_in_transaction})
        except (ContractLogicError, ContractCustomError, ContractPanicError) as exc:
            raise self._revert(exc, ctor) from None

    def call(self, fn: ContractFunction, block: BlockIdentifier = "latest") -> Any:
        """Read-only call; a revert raises :class:`ContractRevert`."""
        try:
            return fn.call(block_identifier=block)
        except (ContractLogicError, ContractCustomError, ContractPanicError) as exc:
            raise self._revert(exc, fn) from None

    def call_many(self, fns: Sequence[ContractFunction], block: BlockIdentifier = "latest") -> list[Any]:
        """Several read-only calls; over HTTP in one JSON-RPC batch (a fraction of the time of one by
        one). Any failure in the batch (a revert, say) repeats the calls one by one, so it surfaces
        as :meth:`call` reports it."""
        if self.kind == "embedded" or len(fns) < 2 or block != "latest":
            return [self.call(fn, block) for fn in fns]
        try:
            with self.w3.batch_requests() as batch:
                for fn in fns:
                    batch.add(fn)
                results = list(batch.execute())
        except Exception:  # noqa: BLE001 - fall back to single calls for the real error
            return [self.call(fn, block) for fn in fns]
        return results

    # ------------------------------------------------------------------ transactions

    def _fees(self) -> dict[str, int]:
        if self.tx_type == "legacy":
            price = self.gas_price if self.gas_price is not None else int(self.w3.eth.gas_price)
            return {"gasPrice": price}
        if self.gas_price is not None:
            return {"maxFeePerGas": self.gas_price, "maxPriorityFeePerGas": self.gas_price}
        base = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0))
        tip = 10**9 if self.kind != "rpc" else int(self.w3.eth.max_priority_fee)
        return {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip}

    def transact(
        self,
        fn: ContractFunction | ContractConstructor,
        sender: int | str | LocalAccount | None = None,
        *,
        label: str | None = None,
        gas: int | None = None,
    ) -> TxReceipt:
        """Simulate, sign, send and wait for one transaction; returns its receipt.

        A revert in the simulation raises :class:`ContractRevert` and nothing is sent. ``label``
        records the gas used under that operation name (see :attr:`gas_used`).
        """
        acct, tx = self.prepare(fn, sender, gas=gas)
        receipt = self._send(acct, tx)
        if label:
            self.gas_used.setdefault(label, []).append(int(receipt["gasUsed"]))
        return receipt

    def prepare(self, fn: ContractFunction | ContractConstructor, sender: int | str | LocalAccount | None = None, *, gas: int | None = None) -> tuple[LocalAccount, dict[str, Any]]:
        """The signing account and the unsigned transaction for ``fn``, simulated first: a revert
        raises :class:`ContractRevert` and nothing is signed (what :meth:`transact` and the
        deployment plan send)."""
        acct = self.account(sender)
        params = self._tx_params(acct)
        if gas is not None:
            params["gas"] = gas
        elif self.kind in ("embedded", "anvil"):
            # a test chain (py-evm, or an anvil zhili started): an estimate runs the transaction a dozen
            # times (a binary search); one simulating call under a fixed cap is enough. A node reached by
            # URL ("rpc": Besu, a shared anvil) keeps the estimate, so no transaction asks for more than it needs
            params["gas"] = self._embedded_gas_cap
        try:
            tx: dict[str, Any] = dict(fn.build_transaction(cast(TxParams, params)))  # estimates gas: a revert surfaces here
            if "gas" in params:
                sim = {k: tx[k] for k in ("from", "to", "data", "value", "gas") if k in tx}
                self.w3.eth.call(sim)  # type: ignore[arg-type]
        except (ContractLogicError, ContractCustomError, ContractPanicError) as exc:
            raise self._revert(exc, fn) from None
        return acct, dict(tx)

    def wait_pending(self, sender: int | str | LocalAccount | None = None, timeout: float = 120) -> None:
        """Wait until no transaction of ``sender`` is pending (after a crash, before resuming)."""
        address = self.account(sender).address
        deadline = time.monotonic() + timeout
        while self.w3.eth.get_transaction_count(address, "pending") > self.w3.eth.get_transaction_count(address, "latest"):
            if time.monotonic() > deadline:
                raise ChainError(f"transactions of {address} still pending after {timeout} s")
            time.sleep(0.5)

    def fund(self, to: str, wei: int, sender: int | str | LocalAccount | None = None) -> TxReceipt:
        """Send ``wei`` of the chain's currency to ``to`` (e.g. gas money on a test chain)."""
        acct = self.account(sender)
        return self._send(acct, {**self._tx_params(acct), "to": to_checksum_address(to), "value": wei, "gas": 21000})

    def _tx_params(self, acct: LocalAccount) -> dict[str, Any]:
        return {
            "from": acct.address,
            "chainId": self.chain_id,
            "nonce": self.w3.eth.get_transaction_count(acct.address, "pending"),
            **self._fees(),
        }

    @property
    def _poll_latency(self) -> float:
        """How often a receipt is asked for: a dev node mines at once (anvil a moment after the send, also
        when reached by URL, so web3's 0.1 s default would idle most of a transaction's time), a real
        chain every block."""
        return 0.005 if self.dev_node else 0.1

    def _send(self, acct: LocalAccount, tx: dict[str, Any]) -> TxReceipt:
        if self.journal is not None:
            receipt = self._send_journaled(self.journal, acct, tx)
        else:
            signed = acct.sign_transaction(tx)
            tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
            receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120, poll_latency=self._poll_latency)
        if receipt["status"] != 1:
            raise self._replay_failure(tx, receipt)
        return receipt

    # ------------------------------------------------------------------ the run journal (zhili.core.journal)

    def attach_journal(self, journal: RunJournal) -> None:
        """Journal every transaction and clock move from now on; replay what the journal already holds."""
        self.journal = journal
        journal.poll_latency = self._poll_latency
        chain = self

        class _PinReads(Web3Middleware):
            def request_processor(self, method: Any, params: Any) -> Any:
                return method, chain._pin_params(method, params)

            def response_processor(self, method: Any, response: Any) -> Any:
                if method == "eth_blockNumber" and chain.pinned is not None and "result" in response:
                    return {**response, "result": hex(chain.pinned)}
                return response

        self.w3.middleware_onion.add(_PinReads, name="zhili_pin_reads")
        self.pinned = journal.start_block if journal.replaying else None

    _BLOCK_PARAM = {"eth_call": 1, "eth_estimateGas": 1, "eth_getBalance": 1, "eth_getCode": 1,
                    "eth_getStorageAt": 2, "eth_getTransactionCount": 1, "eth_getBlockByNumber": 0}  # fmt: skip

    def _pin_params(self, method: str, params: Any) -> Any:
        """Reads at ``latest``/``pending`` are made at :attr:`pinned` while a journal is replayed."""
        if self.pinned is None:
            return params
        at = hex(self.pinned)
        if method == "eth_getLogs":
            f = dict(params[0])
            if f.get("toBlock", "latest") in ("latest", "pending") and "blockHash" not in f:
                f["toBlock"] = at
            return [f, *params[1:]]
        pos = self._BLOCK_PARAM.get(method)
        if pos is None:
            return params
        params = list(params)
        if len(params) <= pos:
            params.append(at)
        elif params[pos] in ("latest", "pending"):
            params[pos] = at
        return params

    def _replayed(self, journal: RunJournal, rec: dict[str, Any]) -> None:
        """Move the pin to a replayed step's block, or release it after the last one."""
        self.pinned = rec["block"] if journal.replaying else None

    def _send_journaled(self, journal: RunJournal, acct: LocalAccount, tx: dict[str, Any]) -> TxReceipt:
        rec = journal.next_entry("tx", txlog.intent(acct.address, tx))
        if rec is None:  # past the journal: sign, write ahead, send, confirm
            return journal.send(self.w3, acct, tx)[1]
        mined = "block" in rec
        if not mined:  # the step the process died in: the node may or may not have it
            self.pinned = None
        receipt = journal.settle(self.w3, rec)  # mined before: read, nothing sent; else found or re-broadcast
        if mined:
            self._replayed(journal, rec)
        return receipt

    @cached_property
    def dev_node(self) -> bool:
        """A chain whose clock zhili may move: embedded, anvil (also reached by URL)."""
        return self.kind != "rpc" or str(self.w3.client_version).lower().startswith("anvil")

    def now(self) -> int:
        """The timestamp of the latest block (of the pinned one while a journal is replayed)."""
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def wait_until(self, ts: int) -> None:
        """Until the chain's clock reaches ``ts``: moves it on a test chain, waits for blocks on a real one.

        Journaled like a transaction: a replayed run does not wait or move the clock again.
        """
        if self.now() >= ts:
            return
        journal = self.journal
        rec = journal.next_entry("time", {"until": ts}) if journal is not None else None
        if rec is not None and "block" in rec:
            self._replayed(journal, rec)  # type: ignore[arg-type]
            return
        if rec is not None:
            self.pinned = None
            k = rec["k"]
        elif journal is not None:
            k = journal.ahead("time", {"until": ts})
            journal.crash(k, "time")
        if self.now() < ts:
            if self.dev_node:
                self._set_clock(ts)
            else:
                while self.now() < ts:
                    time.sleep(min(5.0, max(1.0, ts - self.now())))
        if journal is not None:
            journal.confirm(k, int(self.w3.eth.block_number))

    def _replay_failure(self, tx: dict[str, Any], receipt: TxReceipt) -> Exception:
        call = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}
        try:
            self.w3.eth.call(call, receipt["blockNumber"] - 1)  # type: ignore[arg-type]
        except (ContractLogicError, ContractCustomError, ContractPanicError) as exc:
            return self._revert(exc)
        return ChainError(f"transaction {receipt['transactionHash'].hex()} failed (out of gas?)")

    @staticmethod
    def _revert(exc: Exception, fn: Any = None) -> ContractRevert:
        data = _revert_data_from(exc)
        if not data:
            return ContractRevert("Reverted", {"message": str(exc)})
        abi = getattr(fn, "contract_abi", None) or getattr(fn, "abi", None)
        return decode_revert(data, artifacts.name_for_abi(abi) if isinstance(abi, list) else None)

    # ------------------------------------------------------------------ test helpers

    def snapshot(self) -> Any:
        return self.w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]

    def revert_to(self, snap: Any) -> None:
        self.w3.provider.make_request("evm_revert", [snap])  # type: ignore[arg-type]

    def advance_time(self, seconds: int) -> None:
        """Move the chain clock forward and mine a block (embedded and anvil only; journaled)."""
        if not self.dev_node:
            raise ChainError("cannot move the clock of a real chain")
        self.wait_until(self.now() + max(1, seconds))

    def _set_clock(self, ts: int) -> None:
        """Mine a block at ``ts`` (absolute, so doing it twice is harmless)."""
        if self.kind == "embedded":
            tester = self.w3.provider.ethereum_tester  # type: ignore[attr-defined]
            tester.time_travel(ts)
            tester.mine_blocks(1)
        elif self.dev_node:
            self.w3.provider.make_request("evm_setNextBlockTimestamp", [ts])  # type: ignore[arg-type]
            self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        else:
            raise ChainError("cannot move the clock of a real chain")

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        for fn in self._on_close:
            fn()
        self._on_close.clear()
        if self._owned is not None:
            self._owned.stop()
            self._owned = None

    def __enter__(self) -> Chain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _http(url: str) -> HTTPProvider:
    """An HTTP provider; for a node on this machine, without the proxy lookup ``requests`` makes on
    every request (it scans the environment each time: a third of the client's time against anvil)."""
    session = None
    if urlparse(url).hostname in ("127.0.0.1", "localhost", "::1"):
        session = requests.Session()
        session.trust_env = False
    return Web3.HTTPProvider(url, request_kwargs={"timeout": 60}, session=session, cache_allowed_requests=True)


def connect(
    target: str = "embedded",
    *,
    chain_id: int | None = None,
    tx_type: TxType | None = None,
    gas_price: int | None = None,
    poa: bool | None = None,
    hardfork: str = DEFAULT_HARDFORK,
    genesis_time: int | None = None,
) -> Chain:
    """Connect to ``embedded``, ``anvil`` or a JSON-RPC URL (see the module docstring).

    A test chain (embedded, anvil) starts at ``genesis_time``, by default :data:`GENESIS_TIME`;
    a chain reached by URL is a real one and keeps its own clock.

    For a URL, ``chain_id`` (if given) must match the node's, ``tx_type`` defaults to ``legacy``
    and ``gas_price`` to the node's price, ``poa`` (default on) injects the extra-data middleware.
    """
    if target == "embedded":
        w3 = Web3(_EmbeddedProvider(_embedded_tester(GENESIS_TIME if genesis_time is None else genesis_time)))
        keys = w3.provider.ethereum_tester.backend.account_keys  # type: ignore[attr-defined]
        accounts = [Account.from_key(k.to_bytes()) for k in keys]
        return Chain(w3, "embedded", accounts, tx_type or "eip1559", gas_price)
    if target == "anvil":
        node = AnvilProcess(hardfork=hardfork, genesis_time=genesis_time)
        w3 = Web3(_http(node.url))
        return Chain(w3, "anvil", anvil_accounts(), tx_type or "eip1559", gas_price, _owned=node)
    if target.startswith(("http://", "https://")):
        w3 = Web3(_http(target))
        if poa is not False:
            w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
        try:
            actual = int(w3.eth.chain_id)
        except Exception as exc:  # noqa: BLE001 - any transport failure
            raise ChainError(f"cannot reach {target}: {exc}") from exc
        if chain_id is not None and actual != chain_id:
            raise ChainError(f"chain id mismatch at {target}: expected {chain_id}, node reports {actual}")
        return Chain(w3, "rpc", keys_from_env(), tx_type or "legacy", gas_price)
    raise ChainError(f"unknown chain {target!r}: use embedded, anvil or an http(s):// URL")
