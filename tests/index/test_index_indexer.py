"""The indexer (``zhili index``): the bundled township term on anvil folded into SQLite by the rebuild
code; the rows agree with the contracts' storage, running twice or in other batches gives the same
rows, a run killed mid-way resumes, and a chain that rewrote indexed blocks (or another chain) is
refused. Anvil only: the embedded chain's log query reads every receipt (about 20 s for one term)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from chain_kit import z
from zhili import rebuild
from zhili.core.chain import Chain, connect
from zhili.council import rebuild as council_rebuild
from zhili.election.client import ElectionClient
from zhili.evidence.client import EvidenceClient
from zhili.index import ChainRewritten, Index, SchemaChanged, Target, WrongChain, open_index
from zhili.index import schema as s
from zhili.index.pgcluster import create_database
from zhili.merit.client import MeritClient
from zhili.merit.rebuild import rebuild_merit
from zhili.persons.client import label_identity
from zhili.scenario import runner


@pytest.fixture(scope="module")
def term() -> Iterator[tuple[Chain, dict[str, Any]]]:
    with connect("anvil") as chain:
        yield chain, runner.run(runner.load("township"), chain)


def dump(ix: Index, tables: tuple[Any, ...] = (*s.PROJECTIONS, s.logs, s.contracts)) -> dict[str, list[dict[str, Any]]]:
    """Every row of ``tables``, sorted, as comparable JSON."""
    with ix.engine.connect() as conn:
        return {t.name: sorted(json.dumps(dict(r), sort_keys=True, default=str) for r in conn.execute(select(t)).mappings()) for t in tables}  # type: ignore[misc]


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """Databases of one backend: SQLite files, or new databases in the test PostgreSQL cluster, the
    same schema and code for both (no dialect SQL)."""
    if request.param == "sqlite":
        return lambda name: str(tmp_path / name)
    cluster = request.getfixturevalue("pg_cluster")
    return lambda name: create_database(cluster)


def indexed(new_db: Callable[[str], str], term: tuple[Chain, dict[str, Any]], name: str = "ix.db", **kw: Any) -> Index:
    chain, res = term
    ix = open_index(new_db(name))
    ix.add(chain, Target.from_scenario(res))
    ix.sync(chain, **kw)
    return ix


def test_projections_equal_the_contracts_storage(new_db: Callable[[str], str], term: tuple[Chain, dict[str, Any]]) -> None:
    """Persons (R-TL-1), polls re-tallied from the opened ballots (R-EL-7) against the box's tally,
    motions with tally and first responsible person (R-WD-2, R-WD-6), documents (R-DOC-2), merit
    cases (R-MR-*): what the index holds is what the chain's views say."""
    chain, res = term
    ix = indexed(new_db, term)
    with ix.engine.connect() as conn:
        rows = {t.name: [dict(r) for r in conn.execute(select(t)).mappings()] for t in s.PROJECTIONS}
    j = chain.contract("Jurisdiction", res["jurisdiction"]["address"])
    persons = chain.contract("PersonRegistry", res["jurisdiction"]["persons"])
    st = rebuild.state_persons(chain, persons, [p["person_id"] for p in rows["persons"]])
    assert {p["person_id"]: {"key": p["key"], "identity": p["identity"], "blacklisted": p["blacklisted"], "terms": p["terms"], "engaged": (p["engaged_in"], p["engaged_seated"])}
            for p in rows["persons"]} == st  # fmt: skip
    # every person the registry registered: the scenario's named people and the delegates on the rolls (issue 15)
    registered = {"0x" + bytes(e.args.personId).hex() for e in persons.events.PersonRegistered().get_logs(from_block=0)}
    assert set(st) == registered and len(registered) > len(res["people"])
    (jr,) = rows["jurisdictions"]
    assert (jr["code"], jr["name"]) == (res["jurisdiction"]["code"], res["jurisdiction"]["name"])
    assert jr["holders"] == rebuild.state_jurisdiction(chain, j, {})["holders"]
    for key in ("election", "next_election"):
        e = ElectionClient.at(chain, res[key]["address"])
        live = rebuild.state_election(chain, e.contract, e.box)
        polls = {p["round"]: p for p in rows["polls"] if p["election"] == e.contract.address}
        assert {r: p["votes"] for r, p in polls.items()} == {r: p["votes"] for r, p in live["polls"].items()}
        (er,) = [x for x in rows["elections"] if x["address"] == e.contract.address]
        assert er["offices"] == live["offices"] and er["elected"] == live["elected"]
    council = chain.contract("Council", res["contracts"]["council"])
    block = int(max(r["decided_at"] for r in rows["motions"]) and chain.w3.eth.block_number)
    live_c = council_rebuild.state_council(chain, council, block=block)
    assert {m["id"]: (m["yes"], m["no"], m["abstain"]) for m in rows["motions"]} == {i: tuple(m["tally"]) for i, m in live_c["motions"].items()}
    assert {m["id"]: m["first_responsible"] for m in rows["motions"]} == {i: m["firstResponsible"] for i, m in live_c["motions"].items()}
    assert [m["passed"] for m in sorted(rows["motions"], key=lambda m: m["id"])] == [r["passed"] for r in res["council"]]
    led = EvidenceClient.at(chain, res["contracts"]["evidence"])
    for d in rows["documents"]:
        rec = led.record(bytes.fromhex(d["fingerprint"][2:]))
        assert (d["status"], d["version"], d["signer"]) == (rec["status"], rec["version"], led.persons.functions.keyOf and d["signer"])
        assert d["trace"] in {x["trace_code"] for x in res["documents"]}
    assert len(rows["documents"]) >= len(res["documents"])
    m = MeritClient.at(chain, res["contracts"]["merit_ledger"])
    rm = rebuild_merit(m.ledger, m.book, m.succession)
    assert {c["case_id"]: c["stage"] for c in rows["merit_cases"]} == {i: c["stage"] for i, c in rm["cases"].items()}


def test_running_twice_and_in_other_batches_gives_the_same_rows(new_db: Callable[[str], str], term: tuple[Chain, dict[str, Any]]) -> None:
    chain, _ = term
    ix = indexed(new_db, term)
    once = dump(ix)
    rep = ix.sync(chain)
    assert (rep.logs, rep.projected) == (0, False)
    assert dump(ix) == once
    small = indexed(new_db, term, "small.db", batch=17)
    assert dump(small) == once


class Killed(BaseException):
    """Stands for a kill: not an Exception, so nothing on the way catches it."""


def test_resumes_after_a_kill_between_and_inside_batches(new_db: Callable[[str], str], term: tuple[Chain, dict[str, Any]]) -> None:
    chain, res = term
    whole = dump(indexed(new_db, term, "whole.db"))
    ix = open_index(new_db("killed.db"))
    ix.add(chain, Target.from_scenario(res))
    seen: list[int] = []

    def kill_at_third(end: int) -> None:
        seen.append(end)
        if len(seen) == 3:
            raise Killed

    ix.hooks["batch"] = kill_at_third
    with pytest.raises(Killed):
        ix.sync(chain, batch=20)
    with ix.engine.connect() as conn:
        assert {r.indexed_to for r in conn.execute(select(s.contracts))} == {seen[-1]}  # three batches committed, no more
    # killed inside a batch's transaction (while logs were being written): nothing of it stays
    calls = {"n": 0}

    def kill_inside(end: int) -> None:
        calls["n"] += 1

    ix.hooks["batch"] = kill_inside
    from zhili.index import indexer

    orig = indexer._jsonable

    def boom(v: Any) -> Any:
        if calls["n"] == 1:
            raise Killed
        return orig(v)

    indexer._jsonable = boom  # type: ignore[assignment]
    try:
        with pytest.raises(Killed):
            ix.sync(chain, batch=20)
    finally:
        indexer._jsonable = orig  # type: ignore[assignment]
    ix.hooks.clear()
    ix.sync(chain, batch=20)
    assert dump(ix) == whole


def test_refuses_a_chain_that_rewrote_indexed_blocks(new_db: Callable[[str], str], term: tuple[Chain, dict[str, Any]]) -> None:
    chain, res = term
    snap = chain.snapshot()
    try:
        persons = chain.contract("PersonRegistry", res["jurisdiction"]["persons"])
        ix = open_index(new_db("fork.db"))
        ix.add(chain, Target.from_scenario(res))
        chain.transact(persons.functions.register(b"\x01" * 32, chain.accounts[3].address, label_identity("fork 1")))
        ix.sync(chain)
        chain.revert_to(snap)  # the indexed block is gone ...
        snap = chain.snapshot()  # (a node's snapshot is used up by its revert: the finally needs a new one)
        with pytest.raises(ChainRewritten, match="rewritten"):
            ix.sync(chain)
        chain.transact(persons.functions.register(b"\x02" * 32, chain.accounts[3].address, label_identity("fork 2")))  # ... and another stands at its height
        with pytest.raises(ChainRewritten, match="rewritten"):
            ix.sync(chain)
        with pytest.raises(ChainRewritten):
            ix.add(chain, Target.from_scenario(res))
    finally:
        chain.revert_to(snap)
    with connect("embedded") as other, pytest.raises(WrongChain, match="follows chain"):
        ix.sync(other)
    # a database written by another schema version is refused, not half-updated
    with ix.engine.begin() as conn:
        conn.execute(update(s.meta).where(s.meta.c.key == "schema").values(value="1"))
    with pytest.raises(SchemaChanged, match=f"schema 1, this zhili writes schema {s.SCHEMA_VERSION}"):
        ix.sync(chain)


def test_cli_index_twice_then_resumes_from_the_database(new_db: Callable[[str], str], tmp_path: Path, term: tuple[Chain, dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    chain, res = term
    url = chain._owned.url  # type: ignore[attr-defined]
    target = tmp_path / "term.json"
    target.write_text(json.dumps(res, default=str))
    db = new_db("cli.db")
    code, out, err = z(capsys, "index", "--chain", url, "--db", db, "--targets", str(target), "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["logs"] > 100 and first["projected"] and first["contracts"] == 14
    code, out, err = z(capsys, "index", "--chain", url, "--db", db, "--json")  # the targets are in the database
    assert code == 0, err
    assert json.loads(out) | {"head": 0} == {"db": db, "head": 0, "batches": 0, "logs": 0, "projected": False, "contracts": 14}
    code, out, err = z(capsys, "index", "--chain", url, "--db", db, "--jurisdiction", chain.accounts[0].address)
    assert code == 2 and "is not a Jurisdiction" in err, err


def test_a_second_jurisdiction_joins_and_is_caught_up_alone(new_db: Callable[[str], str], term: tuple[Chain, dict[str, Any]]) -> None:
    """Many jurisdictions in one index: one added after the first has been indexed is read from its
    own first block while the others stay where they are; the province's registry is followed once."""
    from zhili import profiles
    from zhili.jurisdiction import registry

    chain, res = term
    snap = chain.snapshot()
    try:
        ix = indexed(new_db, term, "two.db")
        start = int(chain.w3.eth.block_number) + 1
        roles = {role: [chain.accounts[1 + i].address] for i, role in enumerate(registry.ROLES)}
        other = registry.deploy_jurisdiction(chain, profiles.load("township"), "330110-002", "瓶窑镇", roles=roles)
        found = ix.add(chain, Target(jurisdiction=other.address, persons=res["jurisdiction"]["persons"], from_block=start))
        assert [f.kind for f in found] == ["Jurisdiction", "PersonRegistry", "WorkCalendar"]
        rep = ix.sync(chain, batch=3)
        assert rep.projected and rep.logs > 0
        with ix.engine.connect() as conn:
            codes = sorted(r.code for r in conn.execute(select(s.jurisdictions)))
            registries = {r.address for r in conn.execute(select(s.contracts).where(s.contracts.c.kind == "PersonRegistry"))}
            heads = {r.indexed_to for r in conn.execute(select(s.contracts))}
        assert codes == ["330110-001", "330110-002"]
        assert registries == {res["jurisdiction"]["persons"]}
        assert heads == {int(chain.w3.eth.block_number)}
    finally:
        chain.revert_to(snap)
