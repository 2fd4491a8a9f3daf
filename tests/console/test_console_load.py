"""A short load test of the served console (``zhili console --db`` in its own process: the served
configuration, its limits and timeouts) over the indexed demo term: 10 readers for 3 s reading what a
reader opens (search, decisions, persons, certificates, elections) get no error; and over real HTTP,
bad input (malformed trace codes, unknown ids, oversized query strings and request lines) gets a 4xx,
never a 5xx. The 50 readers for 60 s: ``zhili bench --console`` (docs/benchmarks.md)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from console_kit import Site

from zhili.bench.console import console_process, load, reader_paths
from zhili.index import open_index


@pytest.fixture(scope="module")
def served(site: Site) -> str:
    with console_process(str(site.db)) as url:
        yield url


def test_ten_readers_for_three_seconds_meet_no_error(served: str, site: Site) -> None:
    paths = reader_paths(open_index(str(site.db), create=False).engine)
    assert len(paths) > 20 and any("/motions/" in p for p in paths) and any(p.startswith("/person/") for p in paths)
    r = load(served, paths, readers=10, seconds=3, max_requests=5_000)
    assert r["errors"] == 0, r["error_sample"]
    assert r["requests"] >= 10 and set(r["statuses"]) == {"200"}
    assert r["seconds"] < 3 + 30  # bounded: the readers stop at 3 s, a request at most 30 s after
    assert 0 < r["median_ms"] <= r["p95_ms"]


# A motion id past 64 bits once reached the database (SQLite: "Python int too large to convert to SQLite
# INTEGER") and the page was a 500: found by this test; queries.motion now names nothing past ID_MAX.

BAD = [
    ("/trace/330110-001-2026-ZZ-1", 400),
    ("/trace/" + "9" * 300, 400),
    ("/?q=330110-001-2026-XX-0001", 400),
    ("/?q=" + "x" * 5_000, 400),
    ("/?q=" + "%E4%B8%AD" * 1_000, 400),
    ("/?from=" + "2" * 300, 400),
    ("/person/0x" + "ab" * 32, 404),
    ("/person/" + "0x" + "z" * 64, 400),
    ("/certificate/0x" + "00" * 32, 404),
    ("/j/" + "x" * 2_000, 404),
    ("/j/330110-001/motions/99999999999999999999999", 404),  # past 64 bits: unknown, not a database error
    ("/j/330110-001/motions/9223372036854775808", 404),  # 2**63, the first id the database cannot hold
    ("/j/330110-001/elections/0x0000000000000000000000000000000000000000/99999999999999999999999/retally", 404),
    ("/verify?" + "&".join(["fp=0x" + "11" * 32] * 200), 400),
    ("/?q=" + "9" * 25, 200),  # a number past 64 bits is searched as text, not as a motion or case id
]


@pytest.mark.parametrize(("path", "status"), BAD, ids=[f"{b.values[0] if hasattr(b, 'values') else b[0]}"[:30] + f"…{len(b.values[0] if hasattr(b, 'values') else b[0])}" for b in BAD])
def test_bad_input_over_http_gets_a_4xx(served: str, path: str, status: int) -> None:
    u = urlsplit(served)
    conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port, timeout=30)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read().decode(errors="replace")
    conn.close()
    assert r.status == status, body[:300]
    assert "Traceback" not in body and "site-packages" not in body


def test_an_oversized_request_line_gets_a_4xx_and_a_big_header_no_5xx(served: str) -> None:
    u = urlsplit(served)
    for path, headers, ok in (("/?q=" + "x" * 40_000, {}, {400}), ("/?q=" + "%E4%B8%AD" * 5_000, {}, {400}), ("/", {"X-Filler": "y" * 40_000}, {200, 400, 431})):
        conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port, timeout=30)
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        r.read()
        conn.close()
        assert r.status in ok, (len(path), r.status)
