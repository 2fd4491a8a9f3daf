"""The console over a PostgreSQL index: the demo term of ``site`` (conftest.py) indexed a second time,
from the same chain, into a new database of the test PostgreSQL cluster (``pg_url``: ``make test``'s,
or one this session starts), through the same schema and code. Every page a reader reaches (search,
a jurisdiction, each decision, each person, elections, each certificate, a trace code, the file check,
bad input) is the same page, byte for byte, whichever database it was read from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from console_kit import Site
from sqlalchemy import select
from starlette.testclient import TestClient

from zhili.console.app import create_app
from zhili.index import Target, open_index
from zhili.index import schema as s
from zhili.index.pgcluster import create_database


def _target(rows: list[Any]) -> Target:
    """What the SQLite index follows, as a target (its contracts table names them and their kinds)."""
    by: dict[str, list[str]] = {}
    for r in rows:
        by.setdefault(r.kind, []).append(r.address)
    one = lambda k: by[k][0] if k in by else None  # noqa: E731
    return Target(jurisdiction=by["Jurisdiction"][0], elections=tuple(by.get("Election", ())), council=one("Council"), team=one("TeamCompletion"),
                  evidence=one("EvidenceLedger"), merit_ledger=one("MeritLedger"), handover=one("Handover"), persons=one("PersonRegistry"))  # fmt: skip


@dataclass
class Both:
    lite: TestClient
    pg_client: TestClient
    rows: dict[str, list[Any]]
    pg: str


@pytest.fixture(scope="module")
def both(site: Site, pg_cluster: str) -> Both:
    """Clients of the console over the SQLite and the PostgreSQL index of the same term; some rows."""
    pg = create_database(pg_cluster)
    lite = open_index(str(site.db), create=False)
    with lite.engine.connect() as conn:
        target = _target(list(conn.execute(select(s.contracts))))
        names = {r.person_id: r.name for r in conn.execute(select(s.labels))}
        rows = {t.name: [dict(r) for r in conn.execute(select(t)).mappings()] for t in (s.jurisdictions, s.motions, s.persons, s.documents, s.elections, s.polls, s.merit_cases, s.handovers)}
    ix = open_index(pg)
    assert ix.engine.dialect.name == "postgresql"
    ix.add(site.chain, target)
    ix.sync(site.chain)
    ix.label(names)
    return Both(TestClient(create_app(str(site.db)), raise_server_exceptions=False), TestClient(create_app(pg), raise_server_exceptions=False), rows, pg)


def test_the_postgresql_index_holds_the_same_rows(both: Both, site: Site) -> None:
    dumps = []
    for db in (str(site.db), both.pg):
        with open_index(db, create=False).engine.connect() as conn:
            dumps.append({t.name: sorted(json.dumps(dict(r), sort_keys=True, default=str) for r in conn.execute(select(t)).mappings()) for t in (*s.PROJECTIONS, s.logs, s.labels)})
    assert dumps[0] == dumps[1]
    assert all(both.rows[k] for k in ("motions", "documents", "persons", "polls", "merit_cases", "handovers"))


def _paths(rows: dict[str, list[Any]]) -> list[str]:
    (j,) = rows["jurisdictions"]
    code = j["code"]
    d0 = rows["documents"][0]
    paths = ["/", "/?lang=en", f"/j/{code}", f"/j/{code}/elections", f"/?q={d0['trace']}", f"/?q={d0['title'][:2]}", "/?from=2020-01-01&to=2040-12-31", f"/?j={code}&q=1"]
    paths += [f"/j/{code}/motions/{m['id']}" for m in rows["motions"]]
    paths += [f"/person/{p['person_id']}" for p in rows["persons"][:25]]
    paths += [f"/certificate/{d['fingerprint']}" for d in rows["documents"]]
    paths += [f"/trace/{d0['trace']}", f"/verify?fp={d0['fingerprint']}", f"/j/{code}/motions/9999", "/person/0x" + "ab" * 32, "/trace/not-a-trace"]
    paths += [f"/j/{code}/elections/{p['election']}/{p['round']}/retally" for p in rows["polls"]]
    paths += [f"/j/{code}/cases/{c['case_id']}" for c in rows["merit_cases"]] + [f"/j/{code}/cases/{2**64}", f"/j/{code}/succession"]
    paths += [f"/j/{code}/handovers/{h['id']}{lang}" for h in rows["handovers"] if h["kind"] == "handover" for lang in ("", "?lang=en")] + [f"/j/{code}/handovers/99"]
    return paths


def test_every_page_is_the_same_from_sqlite_and_postgresql(both: Both) -> None:
    lite, pg = both.lite, both.pg_client
    paths = _paths(both.rows)
    assert len(paths) > 40
    statuses = set()
    for path in paths:
        a, b = lite.get(path, follow_redirects=False), pg.get(path, follow_redirects=False)
        assert (b.status_code, b.headers.get("location")) == (a.status_code, a.headers.get("location")), path
        assert b.status_code < 500, path
        assert b.text == a.text, path
        statuses.add(a.status_code)
    assert statuses == {200, 303, 400, 404}
