"""Follow jurisdictions' contracts on a chain and fold their events into a database (``zhili index``).

Two steps, each its own transaction:

1. **Follow** (:meth:`Index.sync`): the logs of every followed contract, read in batches of blocks
   with one log query per batch, are stored raw in ``logs`` with the hash and time of their blocks;
   each contract's ``indexed_to`` moves in the same transaction, so a run killed at any point resumes
   where the last committed batch ended, and a log already stored is never stored twice. Before
   reading, the highest stored block's hash is compared with the chain's: a chain that rewrote a block
   already indexed (or lost it) is refused (:class:`ChainRewritten`), as is another chain
   (:class:`WrongChain`: chain id and genesis hash are kept in ``meta``).
2. **Project** (:func:`project`): the stored logs are decoded with the shipped ABIs and folded by the
   rebuild code (:mod:`zhili.rebuild`, :mod:`zhili.council.rebuild` (council, team), :mod:`zhili.merit.rebuild`,
   :mod:`zhili.evidence.client`, :mod:`zhili.evidence.handover`): the very functions that
   ``tests/scenario/test_scenario.py (test_rebuild_bundled_scenarios_from_logs)`` holds equal to the contracts' storage. The projection tables are
   rewritten whole from the logs, so the same logs always give the same rows.

The contracts of a jurisdiction are named by a :class:`Target` (the jurisdiction and the contracts
that are not found from another one); ballot boxes, the minutes book, the merit book, the succession
contract and the person registry are found on chain from the contracts that name them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from sqlalchemy import Connection, Engine, create_engine, delete, event, insert, select, update
from web3 import Web3
from web3.datastructures import AttributeDict

from .. import rebuild
from ..core import artifacts
from ..core.chain import Chain
from ..council import rebuild as council_rebuild
from ..errors import ChainUnavailable, InputError
from ..evidence import handover as handover_rebuild
from ..evidence.client import VERSION_EVENTS, Status, replay_records, version_of
from ..merit import rebuild as merit_rebuild
from ..village import rebuild as village_rebuild
from . import schema as s

#: A village's contracts (SPEC §9): its ledger names its quarters contract; the supermarket names its ledger.
VILLAGE_KINDS = ("VillageLedger", "VillageQuarters", "CreditSupermarket")
#: The kinds of contract the indexer folds (artifact names).
KINDS = ("Jurisdiction", "PersonRegistry", "Election", "BallotBox", "Council", "CouncilMinutes", "TeamCompletion",
         "EvidenceLedger", "Handover", "MeritLedger", "MeritBook", "Succession", "WorkCalendar", *VILLAGE_KINDS)  # fmt: skip


class WrongChain(ChainUnavailable):
    """The database indexes another chain (chain id or genesis block differ)."""


class ChainRewritten(ChainUnavailable):
    """The chain no longer holds a block the database indexed: it was rewritten (or reset)."""


class SchemaChanged(ChainUnavailable):
    """The database was written by another version of the index schema: index into a new database."""


class IndexInputError(InputError):
    """A target the indexer cannot follow (not a contract of the named kind, …)."""


# ---------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One jurisdiction's contracts to follow, by address; the others are found from them on chain."""

    jurisdiction: str
    elections: tuple[str, ...] = ()
    council: str | None = None
    team: str | None = None
    evidence: str | None = None
    merit_ledger: str | None = None
    handover: str | None = None
    persons: str | None = None
    villages: tuple[str, ...] = ()  # VillageLedger addresses (SPEC §9); their quarters contracts are found from them
    markets: tuple[str, ...] = ()  # CreditSupermarket addresses; each names its village's ledger
    from_block: int = 0

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Target:
        known = set(cls.__dataclass_fields__)
        unknown = set(d) - known
        if unknown or "jurisdiction" not in d:
            raise IndexInputError(f"a target names its jurisdiction and some of {sorted(known - {'jurisdiction'})}; got {sorted(d)}")
        return cls(**{**d, **{k: tuple(d.get(k) or ()) for k in ("elections", "villages", "markets")}})

    @classmethod
    def from_scenario(cls, result: Mapping[str, Any]) -> Target:
        """The contracts of a scenario run (``zhili run --json`` or :func:`zhili.scenario.runner.run`)."""
        c = result.get("contracts") or {}
        elections = tuple(result[k]["address"] for k in ("election", "next_election") if result.get(k))
        v = result.get("village") or {}  # a village scenario's result (scenario/village.py)
        return cls(
            villages=tuple(x for x in [v.get("ledger")] if x), markets=tuple(x for x in [v.get("market")] if x),
            jurisdiction=result["jurisdiction"]["address"], persons=result["jurisdiction"].get("persons"), elections=elections,
            council=c.get("council"), team=c.get("team"), evidence=c.get("evidence"), merit_ledger=c.get("merit_ledger"),
            handover=(result.get("handover") or {}).get("address"),
        )  # fmt: skip


@dataclass(frozen=True)
class Found:
    address: str
    kind: str
    jurisdiction: str | None
    parent: str | None = None  # the contract it was found from (a ballot box's election, …)
    calendar: str | None = None  # a Jurisdiction's WorkCalendar (its calendar(): a province's jurisdictions may share one)
    name: str | None = None  # what the contract names itself, read once (immutable): a village ledger's village code


def discover(chain: Chain, t: Target) -> list[Found]:
    """Every contract of ``t``, with those found on chain from the named ones."""
    cs = lambda a: to_checksum_address(a)  # noqa: E731
    j = cs(t.jurisdiction)
    out: list[Found] = []
    persons = [t.persons] if t.persons else []

    def get(kind: str, addr: str, fn: str) -> str:
        try:
            return cs(chain.call(getattr(chain.contract(kind, addr).functions, fn)()))
        except Exception as exc:  # not a contract of that kind: web3's errors vary by node
            raise IndexInputError(f"{addr} is not a {kind} (its {fn}() could not be read: {type(exc).__name__})") from None

    calendar = get("Jurisdiction", j, "calendar")  # is one; its published years count the working days of a case (R-MR-13)
    out.append(Found(j, "Jurisdiction", j, calendar=calendar))
    for e in t.elections:
        out += [Found(cs(e), "Election", j), Found(get("Election", e, "ballots"), "BallotBox", j, cs(e))]
        persons.append(get("Election", e, "persons"))
    if t.council:
        out += [Found(cs(t.council), "Council", j), Found(get("Council", t.council, "minuteBook"), "CouncilMinutes", j, cs(t.council))]
        persons.append(get("Council", t.council, "persons"))
    if t.team:
        out.append(Found(cs(t.team), "TeamCompletion", j))
    if t.evidence:
        out.append(Found(cs(t.evidence), "EvidenceLedger", j))
        persons.append(get("EvidenceLedger", t.evidence, "persons"))
    if t.merit_ledger:
        led = cs(t.merit_ledger)
        out += [Found(led, "MeritLedger", j), Found(get("MeritLedger", led, "book"), "MeritBook", None, led),
                Found(get("MeritLedger", led, "succession"), "Succession", j, led)]  # fmt: skip
        persons.append(get("MeritLedger", led, "persons"))
    if t.handover:
        out.append(Found(cs(t.handover), "Handover", j))
    out += _discover_villages(chain, t, get)
    persons += [get("VillageLedger", f.address, "persons") for f in out if f.kind == "VillageLedger"]
    for other in (f for f in out if f.address != j):
        found_from = ("BallotBox", "CouncilMinutes", "MeritBook", "Succession", "VillageQuarters", "CreditSupermarket")
        owner = get(other.kind, other.address, "jurisdiction") if other.kind not in found_from else j
        if owner != j:
            raise IndexInputError(f"{other.kind} {other.address} belongs to jurisdiction {owner}, not {j}")
    for p in dict.fromkeys(cs(p) for p in persons):
        out.append(Found(p, "PersonRegistry", None))
    out.append(Found(calendar, "WorkCalendar", None, j))
    return out


def _discover_villages(chain: Chain, t: Target, get: Callable[[str, str, str], str]) -> list[Found]:
    """A target's villages: each ledger, the quarters contract it names and its supermarket (a
    supermarket names its ledger and quarters; one whose ledger is not among ``villages`` adds it)."""
    j = to_checksum_address(t.jurisdiction)
    markets: dict[str, str] = {}
    for m in t.markets:
        markets.setdefault(get("CreditSupermarket", m, "ledger"), to_checksum_address(m))
    out: list[Found] = []
    for led in dict.fromkeys([*(to_checksum_address(x) for x in t.villages), *markets]):
        quarters = get("VillageLedger", led, "quarters")
        if int(quarters, 16) == 0:
            raise IndexInputError(f"village ledger {led} has no quarters contract bound yet (setQuarters): index it once bound")
        code = bytes(chain.call(chain.contract("VillageLedger", led).functions.village())).rstrip(b"\0").decode(errors="replace")
        out += [Found(led, "VillageLedger", j, name=code), Found(quarters, "VillageQuarters", j, led)]
        if led in markets:
            if get("CreditSupermarket", markets[led], "quarters") != quarters:
                raise IndexInputError(f"supermarket {markets[led]} serves another quarters contract than village ledger {led}'s {quarters}")
            out.append(Found(markets[led], "CreditSupermarket", j, led))
    return out


# ---------------------------------------------------------------------------- decoding


@cache
def _events_by_topic(kind: str) -> dict[str, Any]:
    abi: list[dict[str, Any]] = artifacts.load(kind).abi
    c: Any = Web3().eth.contract(abi=abi)  # only its events' decoders are used
    out = {}
    for item in abi:
        if item.get("type") == "event" and not item.get("anonymous"):
            ev = getattr(c.events, item["name"])
            out["0x" + keccak(text=ev.signature).hex()] = ev()
    return out


def _block(w3: Any, n: int) -> Any:
    """Block ``n`` as the node has it now: past web3's request cache (``zhili.core.chain`` enables it
    for URLs), which would keep answering with a block the chain has since rewritten."""
    provider = w3.provider
    cached = getattr(provider, "cache_allowed_requests", False)
    provider.cache_allowed_requests = False
    try:
        return w3.eth.get_block(n)
    finally:
        provider.cache_allowed_requests = cached


def _jsonable(v: Any) -> Any:
    if isinstance(v, bytes | bytearray):
        return "0x" + bytes(v).hex()
    if isinstance(v, Mapping):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    return v


_cs = cache(to_checksum_address)  # the same few contract addresses, thousands of times

#: Decoded logs by (block, log index, block hash): decoding is pure, and web3's decoder is most of an
#: index run's time; a catch-up decodes each log once for ``logs`` and reuses it to project.
Decoded = dict[tuple[int, int, str], Any]


def _decode(kind: str, row: Mapping[str, Any] | Any, block_hash: str, memo: Decoded | None = None) -> Any:
    """web3's decoded event (``event``, ``args``, ``blockNumber``, ``logIndex``, …) of a stored log, or None."""
    if memo is not None:
        key = (int(row["block"]), int(row["log_index"]), block_hash)
        if key not in memo:
            memo[key] = _decode(kind, row, block_hash)
        return memo[key]
    topics = row["topics"]
    ev = _events_by_topic(kind).get(topics[0]) if topics else None
    if ev is None:
        return None
    log = {
        "address": row["address"], "topics": [HexBytes(t) for t in topics], "data": HexBytes(row["data"]),
        "blockNumber": int(row["block"]), "logIndex": int(row["log_index"]), "transactionIndex": int(row["tx_index"]),
        "transactionHash": HexBytes(row["tx_hash"]), "blockHash": HexBytes(block_hash), "removed": False,
    }  # fmt: skip
    return AttributeDict.recursive(ev.process_log(log))  # as web3 gives a node's logs: ev.args.name


# ---------------------------------------------------------------------------- the index


@dataclass
class SyncReport:
    head: int
    batches: int = 0
    logs: int = 0
    projected: bool = False
    contracts: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"head": self.head, "batches": self.batches, "logs": self.logs, "projected": self.projected, "contracts": self.contracts}


def _sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers (the console) beside the writer
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()


def database_url(db: str) -> str:
    """A SQLAlchemy URL, or a file path taken as SQLite."""
    return db if "://" in db else f"sqlite:///{db}"


@dataclass
class Index:
    """A database of indexed contracts (create it with :func:`open_index`)."""

    engine: Engine
    hooks: dict[str, Callable[[int], None]] = field(default_factory=dict)  # "batch": called after each committed batch (tests)
    memo: Decoded = field(default_factory=dict, repr=False)  # decoded logs (see :data:`Decoded`)

    # ------------------------------------------------------------------ meta

    def meta(self, conn: Connection) -> dict[str, str]:
        return {r.key: r.value for r in conn.execute(select(s.meta))}

    def _set_meta(self, conn: Connection, **kv: str) -> None:
        have = self.meta(conn)
        for k, v in kv.items():
            if k in have:
                conn.execute(update(s.meta).where(s.meta.c.key == k).values(value=v))
            else:
                conn.execute(insert(s.meta).values(key=k, value=v))

    def _check_chain(self, conn: Connection, chain: Chain) -> None:
        m = self.meta(conn)
        genesis = "0x" + bytes(_block(chain.w3, 0)["hash"]).hex()
        if "chain_id" not in m:
            self._set_meta(conn, chain_id=str(chain.chain_id), genesis=genesis, schema=str(s.SCHEMA_VERSION))
            return
        if m.get("schema") != str(s.SCHEMA_VERSION):
            raise SchemaChanged(f"this index was written with schema {m.get('schema')}, this zhili writes schema {s.SCHEMA_VERSION}: index into a new database")
        if m["chain_id"] != str(chain.chain_id) or m["genesis"] != genesis:
            raise WrongChain(f"this index follows chain {m['chain_id']} (genesis {m['genesis'][:18]}…), not chain {chain.chain_id} (genesis {genesis[:18]}…)")
        top = conn.execute(select(s.blocks).order_by(s.blocks.c.number.desc()).limit(1)).first()
        if top is None:
            return
        head = int(chain.w3.eth.block_number)
        if head < top.number:
            raise ChainRewritten(f"the chain's head is block {head}, but block {top.number} was indexed: the chain was rewritten or reset; index it into a new database")
        now = "0x" + bytes(_block(chain.w3, int(top.number))["hash"]).hex()
        if now != top.hash:
            raise ChainRewritten(f"block {top.number} was indexed with hash {top.hash[:18]}…, the chain now has {now[:18]}…: the chain was rewritten; index it into a new database")

    # ------------------------------------------------------------------ targets

    def add(self, chain: Chain, target: Target) -> list[Found]:
        """Follow ``target`` (again: nothing changes for contracts already followed)."""
        found = discover(chain, target)
        with self.engine.begin() as conn:
            self._check_chain(conn, chain)
            have = {r.address: r for r in conn.execute(select(s.contracts))}
            for f in found:
                if f.address in have:
                    if have[f.address].kind != f.kind:
                        raise IndexInputError(f"{f.address} is already followed as a {have[f.address].kind}, not a {f.kind}")
                    continue
                conn.execute(insert(s.contracts).values(address=f.address, kind=f.kind, jurisdiction=f.jurisdiction, parent=f.parent, calendar=f.calendar, name=f.name,
                                                        from_block=target.from_block, indexed_to=target.from_block - 1))  # fmt: skip
                have[f.address] = f  # type: ignore[assignment]
        return found

    def label(self, names: Mapping[str, str]) -> None:
        """Names for person ids (off chain: shown beside the id, searched by the console)."""
        with self.engine.begin() as conn:
            have = {r.person_id for r in conn.execute(select(s.labels.c.person_id))}
            for pid, name in names.items():
                if pid in have:
                    conn.execute(update(s.labels).where(s.labels.c.person_id == pid).values(name=name))
                else:
                    conn.execute(insert(s.labels).values(person_id=pid, name=name))

    # ------------------------------------------------------------------ follow

    def sync(self, chain: Chain, *, batch: int = 5000, until: int | None = None) -> SyncReport:
        """Read every followed contract's logs up to the chain's head (or ``until``), then project."""
        with self.engine.begin() as conn:
            self._check_chain(conn, chain)
        head = int(chain.w3.eth.block_number) if until is None else until
        rep = SyncReport(head)
        w3 = chain.w3
        while True:
            with self.engine.connect() as conn:
                rows = list(conn.execute(select(s.contracts).where(s.contracts.c.indexed_to < head)))
                rep.contracts = len(conn.execute(select(s.contracts.c.address)).all())
            if not rows:
                break
            start = min(int(r.indexed_to) for r in rows) + 1
            end = min(start + batch - 1, head)
            todo = {r.address: (r.kind, int(r.indexed_to)) for r in rows if int(r.indexed_to) < end}
            raw = w3.eth.get_logs({"address": list(todo), "fromBlock": start, "toBlock": end})
            keep = [lg for lg in raw if int(lg["blockNumber"]) > todo[_cs(lg["address"])][1]]
            numbers = sorted({int(lg["blockNumber"]) for lg in keep} | {end})
            got = {n: _block(w3, n) for n in numbers}
            hashes = {n: "0x" + bytes(b["hash"]).hex() for n, b in got.items()}
            with self.engine.begin() as conn:
                known = {r.number: r.hash for r in conn.execute(select(s.blocks).where(s.blocks.c.number.in_(numbers)))}
                for n in numbers:
                    if n in known and known[n] != hashes[n]:
                        raise ChainRewritten(f"block {n} was indexed with hash {known[n][:18]}…, the chain now has {hashes[n][:18]}…")
                    if n not in known:
                        conn.execute(insert(s.blocks).values(number=n, hash=hashes[n], timestamp=int(got[n]["timestamp"])))
                have = {(r.block, r.log_index) for r in conn.execute(select(s.logs.c.block, s.logs.c.log_index).where(s.logs.c.block.between(start, end)))}
                new = []
                for lg in keep:
                    n, i = int(lg["blockNumber"]), int(lg["logIndex"])
                    if "0x" + bytes(lg["blockHash"]).hex() != hashes[n]:
                        raise ChainRewritten(f"block {n} changed while it was read (log hash {bytes(lg['blockHash']).hex()[:16]}…, block {hashes[n][2:18]}…)")
                    if (n, i) in have:
                        continue
                    addr = _cs(lg["address"])
                    row = {"block": n, "log_index": i, "tx_hash": "0x" + bytes(lg["transactionHash"]).hex(), "tx_index": int(lg["transactionIndex"]),
                           "address": addr, "topics": ["0x" + bytes(t).hex() for t in lg["topics"]], "data": "0x" + bytes(lg["data"]).hex()}  # fmt: skip
                    ev = _decode(todo[addr][0], row, hashes[n], self.memo)
                    row |= {"event": ev.event if ev else "", "args": _jsonable(dict(ev.args)) if ev else {}}
                    new.append(row)
                if new:
                    conn.execute(insert(s.logs), new)  # one statement for the batch's logs
                    rep.logs += len(new)
                conn.execute(update(s.contracts).where(s.contracts.c.address.in_(list(todo)), s.contracts.c.indexed_to < end).values(indexed_to=end))
            rep.batches += 1
            if "batch" in self.hooks:
                self.hooks["batch"](end)
        with self.engine.begin() as conn:
            m = self.meta(conn)
            mark = _projection_mark(conn)
            if m.get("projected") != mark:
                project(conn, self.memo)
                self._set_meta(conn, projected=mark)
                rep.projected = True
        return rep


def _projection_mark(conn: Connection) -> str:
    """What the projections were made from: the followed contracts and how far each is indexed."""
    rows = conn.execute(select(s.contracts.c.address, s.contracts.c.indexed_to).order_by(s.contracts.c.address))
    return keccak(text=json.dumps([[a, int(n)] for a, n in rows])).hex()


def open_index(db: str, *, create: bool = True) -> Index:
    """The index in ``db`` (a SQLAlchemy URL or a SQLite file path), its tables created if missing."""
    engine = create_engine(database_url(db))
    _sqlite_pragmas(engine)
    if create:
        s.metadata.create_all(engine)
    return Index(engine)


# ---------------------------------------------------------------------------- project


def _events(conn: Connection, memo: Decoded | None = None) -> tuple[dict[str, list[Any]], dict[int, int]]:
    """Every stored log decoded, by contract address, in chain order; and block times."""
    kinds = {r.address: r.kind for r in conn.execute(select(s.contracts.c.address, s.contracts.c.kind))}
    times: dict[int, int] = {}
    hashes: dict[int, str] = {}
    for b in conn.execute(select(s.blocks)):
        times[int(b.number)], hashes[int(b.number)] = int(b.timestamp), b.hash
    out: dict[str, list[Any]] = defaultdict(list)
    for row in conn.execute(select(s.logs).order_by(s.logs.c.block, s.logs.c.log_index)).mappings():
        kind = kinds.get(row["address"])
        ev = _decode(kind, row, hashes[int(row["block"])], memo) if kind else None
        if ev is not None:
            out[row["address"]].append(ev)
    return out, times


def decoded(conn: Connection, address: str) -> list[Any]:
    """The stored logs of one followed contract, decoded as web3 decodes a node's, in chain order."""
    kind = conn.execute(select(s.contracts.c.kind).where(s.contracts.c.address == address)).scalar()
    if kind is None:
        return []
    q = select(s.logs, s.blocks.c.hash.label("block_hash")).join(s.blocks, s.blocks.c.number == s.logs.c.block).where(s.logs.c.address == address)
    out = [_decode(kind, r, r["block_hash"]) for r in conn.execute(q.order_by(s.logs.c.block, s.logs.c.log_index)).mappings()]
    return [e for e in out if e is not None]


def _only(evs: Iterable[Any], names: Iterable[str]) -> Iterator[Any]:
    keep = set(names)
    return (e for e in evs if e.event in keep)


def project(conn: Connection, memo: Decoded | None = None) -> None:
    """Rewrite every projection table from the stored logs, through the rebuild folds."""
    evs, times = _events(conn, memo)
    at = lambda ev: times[int(ev.blockNumber)]  # noqa: E731
    now = max(times.values(), default=0)
    cons = list(conn.execute(select(s.contracts)))
    by_j: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for c in cons:
        by_j[c.jurisdiction or ""][c.kind].append(c)
    rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for reg in by_j[""]["PersonRegistry"]:
        for pid, p in rebuild.fold_persons(_only(evs[reg.address], rebuild.PERSONS_EVENTS)).items():
            engaged_in, engaged_seated = p["engaged"]
            rows[s.persons].append({"person_id": pid, "registry": reg.address, "key": p["key"], "identity": p["identity"], "blacklisted": p["blacklisted"], "terms": p["terms"],
                                    "engaged_in": engaged_in, "engaged_seated": engaged_seated})  # fmt: skip
    books_done: set[str] = set()
    for j, ks in by_j.items():
        if not j:
            continue
        rj = rebuild.fold_jurisdiction(_only(evs[j], rebuild.JURISDICTION_EVENTS))
        if "code" not in rj:
            continue  # created before the index's first block: nothing to fold it from
        rows[s.jurisdictions].append({
            "address": j, "code": rj["code"], "name": rj["name"], "kind": int(rj["params"][0]), "threshold": int(rj["params"][2]), "weights": rj["weights"],
            "holders": rj["holders"], "roles": {r: sorted(a) for r, a in rj["roles"].items()},
            "contracts": {k: [c.address for c in v] for k, v in sorted(ks.items())},
            "calendar": next((c.calendar for c in ks["Jurisdiction"] if c.address == j), None),
        })  # fmt: skip
        boxes = {c.parent: c.address for c in ks["BallotBox"]}
        for e in ks["Election"]:
            box = boxes[e.address]
            st = rebuild.fold_election(_only(evs[e.address], rebuild.ELECTION_EVENTS), _only(evs[box], rebuild.BALLOT_BOX_EVENTS))
            rows[s.elections].append({"address": e.address, "jurisdiction": j, "box": box, "phase": st["phase"], "candidates": st["candidates"],
                                      "finalists": st["finalists"], "elected": st["elected"], "offices": st["offices"], "rolls": st["rolls"]})  # fmt: skip
            for r, p in st["polls"].items():
                rows[s.polls].append({"election": e.address, "round": r, "purpose": p.get("purpose"), "seats": p.get("seats"), "candidates": p.get("candidates"),
                                      "votes": p.get("votes"), "cast": p.get("cast"), "status": p.get("status")})  # fmt: skip
        for c in ks["Council"]:
            rc = council_rebuild.fold_council(_only(evs[c.address], council_rebuild.COUNCIL_EVENTS), rj, at, now)
            for mid, m in rc["motions"].items():
                d = m["decision"]
                rows[s.motions].append({
                    "council": c.address, "id": mid, "jurisdiction": j, "kind": m["kind"], "category": m["category"], "status": m["status"],
                    "stage": m["stage"], "passed": None if d is None else d["passed"], "yes": m["tally"][0], "no": m["tally"][1],
                    "abstain": m["tally"][2], "threshold": rc["threshold"], "first_responsible": m["firstResponsible"], "opened_at": m["openedAt"],
                    "decided_at": m["decidedAt"], "budget_line": m["budgetLine"], "amount": m["amount"], "data": _jsonable(m),
                })  # fmt: skip
            for lid, ln in rc["lines"].items():
                rows[s.budget_lines].append({"council": c.address, "line": lid, **ln})
        for c in ks["EvidenceLedger"]:
            vevs = list(_only(evs[c.address], VERSION_EVENTS))
            recs = replay_records(vevs)
            for ev in vevs:
                v = version_of(ev, rj["code"], Status(recs[bytes(ev.args.fingerprint)]["status"]))
                rows[s.documents].append({
                    "fingerprint": "0x" + v.fingerprint.hex(), "ledger": c.address, "jurisdiction": j, "trace": v.trace, "version": v.version,
                    "kind": int(v.kind), "status": int(v.status), "algorithm": v.algorithm, "signer": "0x" + v.signer.hex(), "anchored_at": v.anchored_at,
                    "previous": "0x" + v.previous.hex() if any(v.previous) else None, "motion_id": v.motion_id, "category": int(v.category),
                    "title": v.title, "details": _jsonable(v.as_json()), "raw_details": "0x" + v.details.hex(), "reason": v.reason, "r": "0x" + v.r.hex(), "vs": "0x" + v.vs.hex(),
                    "block": v.block, "tx_hash": "0x" + bytes(ev.transactionHash).hex(),
                })  # fmt: skip
        for c in ks["MeritLedger"]:
            book = next(b.address for b in by_j[""]["MeritBook"] if b.parent == c.address)
            succ = next(x.address for x in ks["Succession"] if x.parent == c.address)
            st = merit_rebuild.fold_merit(_only(evs[c.address], merit_rebuild.LEDGER_EVENTS), _only(evs[book], merit_rebuild.BOOK_EVENTS),
                                          _only(evs[succ], merit_rebuild.SUCCESSION_EVENTS))  # fmt: skip
            for cid, case in st["cases"].items():
                rows[s.merit_cases].append({"ledger": c.address, "case_id": cid, "jurisdiction": j, "accused": case["accused"], "stage": case["stage"],
                                            "filed_at": case["filedAt"], "closed_at": case["closedAt"], "data": _jsonable(case)})  # fmt: skip
            if book not in books_done:
                books_done.add(book)
                for pid, t in st["people"].items():
                    rows[s.merit_totals].append({"book": book, "person_id": pid, **t})
        _project_team(rows, evs, ks, j, at)
        for c in ks["Handover"]:
            st = handover_rebuild.fold(_only(evs[c.address], handover_rebuild.HANDOVER_EVENTS), at)
            for kind, key in (("oath", "oaths"), ("handover", "handovers"), ("dispute", "disputes")):
                for i, d in st[key].items():
                    rows[s.handovers].append({"contract": c.address, "kind": kind, "id": int(i), "jurisdiction": j, "data": _jsonable(d)})
        _project_villages(rows, j, ks, evs)
    for t in s.PROJECTIONS:
        conn.execute(delete(t))
        if rows[t]:
            conn.execute(insert(t), rows[t])


def _project_team(rows: dict[Any, list[dict[str, Any]]], evs: Mapping[str, list[Any]], ks: Mapping[str, list[Any]], j: str, at: Callable[[Any], int]) -> None:
    """A jurisdiction's team appointments (R-TC-1..3), folded by :func:`zhili.council.rebuild.fold_team`."""
    for c in ks.get("TeamCompletion", ()):
        st = council_rebuild.fold_team(_only(evs[c.address], council_rebuild.TEAM_EVENTS), at)
        for i, a in st["appointments"].items():
            rows[s.appointments].append({
                "team": c.address, "id": i, "jurisdiction": j, "kind": a["kind"], "step": a["step"], "office": a["office"], "post": a["post"],
                "person_id": a["personId"], "motion_id": a["motionId"], "nominator": a["nominator"], "created_at": a["createdAt"],
                "settled_at": a["settledAt"], "data": _jsonable(a),
            })  # fmt: skip


def _project_villages(rows: dict[Any, list[dict[str, Any]]], j: str, ks: Mapping[str, list[Any]], evs: Mapping[str, list[Any]]) -> None:
    """A jurisdiction's villages (SPEC §9) into ``rows``: each folded by :func:`zhili.village.rebuild.fold_village`."""
    for c in ks.get("VillageLedger", []):
        quarters = next(x.address for x in ks["VillageQuarters"] if x.parent == c.address)
        market = next((x.address for x in ks.get("CreditSupermarket", []) if x.parent == c.address), None)
        st = village_rebuild.fold_village(_only(evs.get(c.address, []), village_rebuild.LEDGER_EVENTS), _only(evs.get(quarters, []), village_rebuild.QUARTERS_EVENTS),
                                          None if market is None else _only(evs.get(market, []), village_rebuild.MARKET_EVENTS))  # fmt: skip
        for r in village_rows(st):
            rows[getattr(s, r.pop("table"))].append({"ledger": c.address, "jurisdiction": j, **r})
        mk = st.get("market") or {}
        rows[s.villages].append({"ledger": c.address, "jurisdiction": j, "code": c.name, "quarters": quarters, "market": market, "data": _jsonable({
            "manual": st.get("manual"), "counts": st["counts"], "lists": st["lists"], "adopted": st["adopted"], "frozen": st["frozen"],
            "quarters": st["quarters"], "objections": st["objections"], "months": len(st["months"]), "declarations": len(st["declarations"]),
            "items": mk.get("items", {}), "bonus": mk.get("bonus"),
        })})  # fmt: skip


def village_rows(st: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of a folded village (:func:`zhili.village.rebuild.fold_village`), each with its ``table``:
    a member row per villager, a standing per villager and quarter counted or published, a year per
    villager and year with a contract or a grade."""
    members = st["members"]
    accounts = (st.get("market") or {}).get("accounts", {})
    credited = set((st.get("market") or {}).get("credited", []))
    for idx, m in sorted(members.items()):
        bal, nonce = accounts.get(m["person"], [0, 0])
        yield {"table": "village_members", "idx": idx, "person_id": m["person"], "key": m["key"], "roles": m["roles"], "team": m["team"], "balance": bal, "redemptions": nonce}
    split = lambda k: tuple(map(int, k.split(":")))  # noqa: E731
    quarters = {split(k)[0] for k in (*st["totals"], *st["ranks"], *st["adjust"])} | set(st["quarters"])
    against: dict[tuple[int, int], list[int]] = defaultdict(list)
    for quarter, subject, _objector, state, _entry in st["objections"].values():
        against[(quarter, subject)].append(state)
    for quarter in sorted(quarters):
        qi = st["quarters"].get(quarter, {})
        for idx, m in sorted(members.items()):
            pts = st["totals"].get(f"{quarter}:{idx}", [0] * 6)
            adj = st["adjust"].get(f"{quarter}:{idx}", [0, 0, 0])
            obj = against.get((quarter, idx), [])
            yield {"table": "village_standings", "quarter": quarter, "idx": idx, "person_id": m["person"], "label": f"{1970 + quarter // 4}Q{quarter % 4 + 1}",
                   "state": qi.get("state", 0), "rank": st["ranks"].get(f"{quarter}:{idx}"), "points": pts, "adjust": adj,
                   "party": pts[0] - pts[1] + adj[0], "rep": pts[2] - pts[3] + adj[1], "credit": pts[4] - pts[5] + adj[2],
                   "objections": len(obj), "upheld": obj.count(2)}  # fmt: skip
    years = {split(k)[::-1] for k in st["colours"]} | {split(k) for k in st["annual"]}  # colours by idx:year, grades by year:idx
    for year, idx in sorted(years):
        m = members.get(idx)
        if m is None:
            continue
        a = st["annual"].get(f"{year}:{idx}", [0, 0, 0, 0, 0, 0, False])
        deadline, state = st["rect"].get(f"{year}:{idx}", [0, 0])
        yield {"table": "village_years", "year": year, "idx": idx, "person_id": m["person"], "colours": st["colours"].get(f"{idx}:{year}", 0),
               "graded": bool(a[6]), "party_score": int(a[0]), "rep_score": int(a[1]), "villager_score": int(a[2]), "party_grade": int(a[3]), "rep_grade": int(a[4]),
               "stars": int(a[5]), "rectification": state, "rectify_by": deadline or None, "referred": f"{year}:{idx}" in st["referred"],
               "helper": st["helper"].get(f"{year}:{idx}", 0), "credited": f"{year}:{m['person']}" in credited}  # fmt: skip


def ledger_versions(engine: Engine, ledger: str) -> Callable[[int, int], list[dict[str, Any]]]:
    """The auditor service's listing read from the index (``AuditorService.listing``): a ledger's
    versions by block, each as ``EvidenceClient.versions`` gives it, without replaying the ledger's
    events per request. As fresh as the index (``zhili index --follow``); content is still checked
    on chain before it is served."""
    addr = to_checksum_address(ledger)
    d = s.documents.c

    def listing(offset: int, limit: int) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            q = select(d.details).where(d.ledger == addr).order_by(d.block, d.trace, d.version).offset(offset).limit(limit)
            return [dict(r) for r in conn.execute(q).scalars()]

    return listing
