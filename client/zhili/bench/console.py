"""The indexer's and the console's figures (``zhili bench --console``; docs/benchmarks.md, "Indexer and console").

* **Indexing** real chain events: ``n`` signed documents (10,000) anchored on the chain (the evidence
  scale run's relayer, :func:`zhili.bench.evidence.anchor_many`), then indexed from nothing into SQLite
  and into PostgreSQL (a throwaway cluster, :mod:`zhili.index.pgcluster`): events per second and the
  catch-up time (reading the logs and folding the projections).
* **Page times** over HTTP (uvicorn on loopback, one reader, sequential requests): a decision page and
  person pages of the bundled township term, indexed into the same SQLite database as the 10,000
  documents, with synthetic persons inserted through the schema up to ``persons`` (1,000).
* **A province's search** in PostgreSQL: 1,000 townships of synthetic rows (documents, motions,
  persons with names, merit cases) inserted through the schema, copied from the real rows above with
  new ids, codes and times; each search form query timed through the console.
* **A load test** (:func:`load`): ``readers`` concurrent readers for ``seconds`` against ``zhili
  console`` (its own process, the served configuration) over the indexed township term.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eth_utils import keccak, to_checksum_address
from sqlalchemy import Engine, func, insert, select

from ..core.chain import Chain
from ..index import Target, open_index
from ..index import schema as s
from ..index.pgcluster import Cluster, PostgresMissing, create_database
from ..index.pgcluster import start as start_cluster
from .suite import SectionAbsent

Say = Callable[[str], None]


def ms(xs: Sequence[float]) -> dict[str, float]:
    """Median and 95th percentile (nearest rank) of durations in seconds, in milliseconds."""
    xs = sorted(xs)
    return {"median_ms": round(1000 * statistics.median(xs), 1), "p95_ms": round(1000 * xs[max(0, -(-95 * len(xs) // 100) - 1)], 1)}


# ---------------------------------------------------------------------------- indexing


def index_once(chain: Chain, target: Target, db: str) -> dict[str, Any]:
    """Index ``target`` from nothing into ``db``; events (logs stored) per second of the whole catch-up."""
    ix = open_index(db)
    ix.add(chain, target)
    t0 = time.monotonic()
    rep = ix.sync(chain)
    seconds = time.monotonic() - t0
    with ix.engine.connect() as conn:
        docs = conn.execute(select(func.count()).select_from(s.documents)).scalar_one()
    ix.engine.dispose()
    return {"events": rep.logs, "documents": docs, "catch_up_seconds": round(seconds, 2), "events_per_second": round(rep.logs / seconds, 1)}


# ---------------------------------------------------------------------------- synthetic rows


def _h32(*parts: object) -> str:
    return "0x" + keccak(text="zhili bench " + " ".join(map(str, parts))).hex()


def _addr(*parts: object) -> str:
    return to_checksum_address(_h32(*parts)[:42])


def add_persons(engine: Engine, total: int) -> int:
    """Synthetic persons (copies of a real one, new ids, labelled) until ``persons`` holds ``total``."""
    with engine.begin() as conn:
        have = conn.execute(select(func.count()).select_from(s.persons)).scalar_one()
        model = dict(conn.execute(select(s.persons)).mappings().first() or {})
        rows = [model | {"person_id": _h32("person", i), "key": _addr("key", i)} for i in range(max(0, total - have))]
        if rows:
            conn.execute(insert(s.persons), rows)
            conn.execute(insert(s.labels), [{"person_id": r["person_id"], "name": f"合成人员{i:04d}"} for i, r in enumerate(rows)])
    return max(0, total - have)


def province(source: Engine, target: Engine, townships: int = 1000, *, docs: int = 20, motions: int = 10, persons: int = 10, cases: int = 2) -> dict[str, int]:
    """Rows of ``townships`` synthetic townships in ``target``, each a copy of the real rows of ``source``
    (a jurisdiction, documents, motions, persons, merit cases) under new ids, codes and times."""
    with source.connect() as conn:
        j0 = dict(conn.execute(select(s.jurisdictions).where(s.jurisdictions.c.code.is_not(None))).mappings().first() or {})
        d0 = [dict(r) for r in conn.execute(select(s.documents).where(s.documents.c.jurisdiction == j0["address"])).mappings()]
        d0 = d0 or [dict(r) for r in conn.execute(select(s.documents).limit(50)).mappings()]
        m0 = [dict(r) for r in conn.execute(select(s.motions)).mappings()]
        p0 = dict(conn.execute(select(s.persons)).mappings().first() or {})
        c0 = [dict(r) for r in conn.execute(select(s.merit_cases)).mappings()] or [{}]
        meta = [dict(r) for r in conn.execute(select(s.meta)).mappings()]
    if not (j0 and d0 and m0 and p0):
        raise SectionAbsent("the province's rows are copied from an indexed term: none here")
    s.metadata.create_all(target)
    year = 365 * 24 * 3600
    t0 = 1_767_225_600  # 2026-01-01 CST
    rnd = random.Random(19)
    counts = {"jurisdictions": 0, "documents": 0, "motions": 0, "persons": 0, "merit_cases": 0}
    with target.begin() as conn:
        conn.execute(insert(s.meta), meta)
        for i in range(townships):
            code = f"{330100 + i // 20}-{i % 20 + 1:03d}"
            addr = _addr("township", i)
            pids = [_h32("p", i, k) for k in range(persons)]
            conn.execute(insert(s.jurisdictions), [j0 | {"address": addr, "code": code, "name": f"合成镇{i:04d}"}])
            conn.execute(insert(s.persons), [p0 | {"person_id": p, "key": _addr("k", p)} for p in pids])
            conn.execute(insert(s.labels), [{"person_id": p, "name": f"人员{i:04d}-{k}"} for k, p in enumerate(pids)])
            rows = []
            for k in range(docs):
                d = d0[k % len(d0)]
                trace = f"{code}-2026-{str(d['trace']).split('-')[-2]}-{k + 1:04d}"
                rows.append(d | {"fingerprint": _h32("doc", i, k), "jurisdiction": addr, "trace": trace, "version": 1, "previous": None,
                                 "signer": pids[k % persons], "anchored_at": t0 + rnd.randrange(year), "ledger": _addr("ledger", i)})  # fmt: skip
            conn.execute(insert(s.documents), rows)
            council = _addr("council", i)
            mrows = []
            for k in range(motions):
                m = m0[k % len(m0)]
                at = t0 + rnd.randrange(year)
                mrows.append(m | {"council": council, "id": k + 1, "jurisdiction": addr, "first_responsible": pids[k % persons], "opened_at": at, "decided_at": at + 86400})
            conn.execute(insert(s.motions), mrows)
            crows = []
            for k in range(cases):
                c = c0[k % len(c0)]
                crows.append(c | {"ledger": _addr("merit", i), "case_id": k + 1, "jurisdiction": addr, "accused": pids[-1 - k], "filed_at": t0 + rnd.randrange(year),
                                  "stage": c.get("stage", 0), "closed_at": c.get("closed_at", 0), "data": c.get("data", {})})  # fmt: skip
            conn.execute(insert(s.merit_cases), crows)
            for key, n in (("jurisdictions", 1), ("documents", docs), ("motions", motions), ("persons", persons), ("merit_cases", cases)):
                counts[key] += n
    return counts


# ---------------------------------------------------------------------------- serving


@contextmanager
def served(db: str, chain: Chain | None = None) -> Iterator[str]:
    """The console over ``db`` served by uvicorn on a free loopback port, in a thread; its URL."""
    import uvicorn

    from ..console.app import create_app
    from ..console.cli import listen

    sock = listen("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(db, chain), log_level="warning", server_header=False))
    th = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    th.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        th.join(10)


@contextmanager
def console_process(db: str) -> Iterator[str]:
    """``zhili console --db`` in its own process (the served configuration: limits and timeouts); its URL."""
    proc = subprocess.Popen([sys.executable, "-m", "zhili.cli", "console", "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")) if p)})  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.search(r"http://[\d.]+:\d+", line)
        if not m:
            raise RuntimeError(f"zhili console did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
        yield m.group(0)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def page_times(base: str, paths: Sequence[str], repeat: int) -> tuple[dict[str, float], int]:
    """Sequential GETs of ``paths`` (each ``repeat`` times, after one warm-up): times and the last status."""
    import http.client
    from urllib.parse import quote, urlsplit

    u = urlsplit(base)
    paths = [quote(p, safe="/?=&-") for p in paths]
    conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port, timeout=30)
    times: list[float] = []
    status = 0
    for path in paths:
        conn.request("GET", path)
        conn.getresponse().read()
    for _ in range(repeat):
        for path in paths:
            t = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            times.append(time.perf_counter() - t)
            status = r.status
            if status != 200:
                raise RuntimeError(f"GET {path}: {status}")
    conn.close()
    return ms(times), status


async def _load(base: str, paths: Sequence[str], readers: int, seconds: float, max_requests: int) -> dict[str, Any]:
    import aiohttp

    times: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    end = time.monotonic() + seconds
    budget = {"left": max_requests}

    async def reader(k: int, session: aiohttp.ClientSession) -> None:
        i = k
        while time.monotonic() < end and budget["left"] > 0:
            budget["left"] -= 1
            path = paths[i % len(paths)]
            i += readers
            t = time.perf_counter()
            try:
                async with session.get(base + path, allow_redirects=False) as r:
                    await r.read()
                    statuses[r.status] = statuses.get(r.status, 0) + 1
                    if r.status >= 500:
                        errors.append(f"{path}: {r.status}")
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                errors.append(f"{path}: {type(exc).__name__}")
            times.append(time.perf_counter() - t)

    t0 = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=readers)) as session:
        await asyncio.gather(*(reader(k, session) for k in range(readers)))
    wall = time.monotonic() - t0
    return {"readers": readers, "seconds": round(wall, 1), "requests": len(times), "requests_per_second": round(len(times) / wall, 1),
            "errors": len(errors), "error_sample": errors[:5], "statuses": {str(k): v for k, v in sorted(statuses.items())}, **ms(times or [0.0])}  # fmt: skip


def load(base: str, paths: Sequence[str], readers: int = 50, seconds: float = 60, max_requests: int = 200_000) -> dict[str, Any]:
    """``readers`` concurrent readers GET ``paths`` in turn for ``seconds`` (at most ``max_requests``
    in all): requests, errors (5xx or no answer), statuses and the latency's median and p95."""
    return asyncio.run(_load(base, paths, readers, seconds, max_requests))


def reader_paths(engine: Engine, limit: int = 20) -> list[str]:
    """What a reader opens on an indexed term: search, decisions, handovers, persons, certificates, elections."""
    with engine.connect() as conn:
        js = [r.code for r in conn.execute(select(s.jurisdictions.c.code).where(s.jurisdictions.c.code.is_not(None)))]
        ms_ = [(r.jurisdiction, r.id) for r in conn.execute(select(s.motions.c.jurisdiction, s.motions.c.id).limit(limit))]
        codes = {r.address: r.code for r in conn.execute(select(s.jurisdictions))}
        ps = [r.person_id for r in conn.execute(select(s.labels.c.person_id).limit(limit))]
        ds = [(r.fingerprint, r.trace) for r in conn.execute(select(s.documents.c.fingerprint, s.documents.c.trace).limit(limit))]
        hs = [(r.jurisdiction, r.id) for r in conn.execute(select(s.handovers.c.jurisdiction, s.handovers.c.id).where(s.handovers.c.kind == "handover").limit(limit))]
    out = ["/", "/?lang=en"] + [f"/j/{c}" for c in js] + [f"/j/{c}/elections" for c in js]
    out += [f"/j/{codes[j]}/motions/{m}" for j, m in ms_ if j in codes]
    out += [f"/j/{codes[j]}/handovers/{h}" for j, h in hs if j in codes]
    out += [f"/person/{p}" for p in ps] + [f"/certificate/{f}" for f, _ in ds] + [f"/?q={t}" for _, t in ds[:5]]
    return out


# ---------------------------------------------------------------------------- the section


def figures(chain: Chain, *, documents: int = 10_000, persons: int = 1_000, townships: int = 1_000, repeat: int = 100,
            readers: int = 50, seconds: float = 60, progress: Say = lambda s: None) -> dict[str, Any]:  # fmt: skip
    """Every figure of the section, as dotted keys (``index.*``, ``console.*``, ``load.*``) with their sizes."""
    from ..console.cli import demo_index
    from .evidence import anchor_many

    out: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="zhili-bench-console-"))
    cluster: Cluster | None = None
    try:
        try:
            cluster = start_cluster()
        except PostgresMissing as exc:
            progress(f"no PostgreSQL: {exc}")
        progress(f"anchoring {documents:,} documents")
        a = anchor_many(chain, documents, code="330110-099", progress=progress)  # not the township term's code
        target = Target(jurisdiction=a.world.jurisdiction.address, evidence=a.world.ledger.contract.address, persons=a.world.persons.address)
        for name, db in (("sqlite", str(tmp / "docs.db")), ("postgresql", create_database(cluster.url()) if cluster else None)):
            if db is None:
                continue
            progress(f"indexing them into {name}")
            r = index_once(chain, target, db)
            if r["documents"] != documents:
                raise RuntimeError(f"{name}: {r['documents']} documents indexed, {documents} anchored")
            out[f"index.{name}.events"] = r["events"]
            out[f"index.{name}.events_per_second"] = r["events_per_second"]
            out[f"index.{name}.catch_up_seconds"] = r["catch_up_seconds"]
        out["index.documents"] = documents
        # the township term on the same chain, indexed into the 10,000 documents' SQLite database
        progress("running the township term and indexing it beside them")
        demo = demo_index(chain, tmp)  # the term alone (the load test's), with its people's names
        db = str(tmp / "docs.db")
        ix = open_index(db)
        with open_index(str(demo)).engine.connect() as conn:
            rows = list(conn.execute(select(s.contracts)))
            names = {r.person_id: r.name for r in conn.execute(select(s.labels))}
        by: dict[str, list[str]] = {}
        for row in rows:
            by.setdefault(row.kind, []).append(row.address)
        one = lambda k: by[k][0] if k in by else None  # noqa: E731
        ix.add(chain, Target(jurisdiction=by["Jurisdiction"][0], elections=tuple(by.get("Election", ())), council=one("Council"), team=one("TeamCompletion"),
                             evidence=one("EvidenceLedger"), merit_ledger=one("MeritLedger"), handover=one("Handover"), persons=one("PersonRegistry")))  # fmt: skip
        ix.sync(chain)
        ix.label(names)
        out["console.synthetic_persons"] = add_persons(ix.engine, persons)
        with ix.engine.connect() as conn:
            out["console.documents"] = conn.execute(select(func.count()).select_from(s.documents)).scalar_one()
            out["console.persons"] = conn.execute(select(func.count()).select_from(s.persons)).scalar_one()
            code = conn.execute(select(s.jurisdictions.c.code).where(s.jurisdictions.c.address == by["Jurisdiction"][0])).scalar_one()
            m = conn.execute(select(s.motions).where(s.motions.c.jurisdiction == by["Jurisdiction"][0]).order_by(s.motions.c.yes.desc())).mappings().first()
            assert m is not None
            signer = conn.execute(select(s.documents.c.signer).where(s.documents.c.jurisdiction == a.world.jurisdiction.address).limit(1)).scalar_one()
        progress("timing the pages")
        with served(db) as base:
            for key, paths in (("decision", [f"/j/{code}/motions/{m['id']}"]), ("person", [f"/person/{m['first_responsible']}"]),
                               ("person_1000_documents", [f"/person/{signer}"])):  # fmt: skip
                t, _ = page_times(base, paths, repeat)
                out |= {f"console.{key}.{k}": v for k, v in t.items()}
        out["console.requests_each"] = repeat
        if cluster is not None:
            progress(f"a province of {townships:,} synthetic townships in PostgreSQL")
            url = create_database(cluster.url())
            from sqlalchemy import create_engine

            pe = create_engine(url)
            t0 = time.monotonic()
            counts = province(ix.engine, pe, townships)
            out["province.insert_seconds"] = round(time.monotonic() - t0, 1)
            out |= {f"province.{k}": v for k, v in counts.items()}
            with pe.connect() as conn:
                some_trace = conn.execute(select(s.documents.c.trace).order_by(s.documents.c.trace.desc()).limit(1)).scalar_one()
                some_name = conn.execute(select(s.labels.c.name).order_by(s.labels.c.name.desc()).limit(1)).scalar_one()
                some_code = conn.execute(select(s.jurisdictions.c.code).order_by(s.jurisdictions.c.code.desc()).limit(1)).scalar_one()
                word = str(conn.execute(select(s.documents.c.title).limit(1)).scalar_one())[:4]
            pe.dispose()
            searches = {"trace": f"/?q={some_trace}", "name": f"/?q={some_name}", "title_word": f"/?q={word}", "number": "/?q=7",
                        "jurisdiction_and_dates": f"/?j={some_code}&from=2026-03-01&to=2026-06-30", "dates": "/?from=2026-03-01&to=2026-03-31",
                        "home": "/", "jurisdiction_page": f"/j/{some_code}"}  # fmt: skip
            with served(url) as base:
                worst = 0.0
                for key, path in searches.items():
                    t, _ = page_times(base, [path], 10)
                    out[f"province.search.{key}.median_ms"] = t["median_ms"]
                    worst = max(worst, t["p95_ms"])
                out["province.search.worst_p95_ms"] = worst
        progress(f"load test: {readers} readers for {seconds:.0f} s over the indexed term")
        with console_process(str(demo)) as base:
            paths = reader_paths(open_index(str(demo)).engine)
            r = load(base, paths, readers, seconds)
        out |= {f"load.{k}": v for k, v in r.items() if not isinstance(v, list | dict)}
        out["load.statuses"] = r["statuses"]
        out["load.paths"] = len(paths)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return out
