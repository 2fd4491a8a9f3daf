"""The console's pages without a browser (Starlette's TestClient over the same indexed demo term):
bad input gets a clear 4xx page and never a 500 nor a server path, request bodies are capped, the
re-tally works from the index alone, the bundled scripts are the npm packages' and ship as package
data, and ``zhili console`` refuses what it cannot serve."""

from __future__ import annotations

import fnmatch
import socket
from pathlib import Path
from typing import Any

import pytest
from console_kit import Site
from sqlalchemy import create_engine, select
from starlette.testclient import TestClient

from chain_kit import z
from zhili.console.app import MAX_BODY, create_app
from zhili.core.store import DirectoryStore, fingerprint
from zhili.index import schema as s

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "client" / "zhili"


@pytest.fixture
def client(site: Site) -> TestClient:
    return TestClient(create_app(str(site.db)), raise_server_exceptions=False)  # no chain: what the index alone can do


def _first(site: Site, table: Any) -> Any:
    with create_engine(f"sqlite:///{site.db}").connect() as conn:
        return conn.execute(select(table)).mappings().first()


# path, status, words the page must show (Chinese, the default)
BAD = [
    ("/trace/330110-001-20x6-ZZ-1", 400, "追溯码格式不正确"),
    ("/trace/not-a-trace", 400, "追溯码格式不正确"),
    ("/trace/999999-001-2026-ST-0001", 404, "没有这个追溯码"),
    ("/?q=330110-001-2026-XX-0001", 400, "追溯码格式不正确"),
    ("/?q=" + "x" * 201, 400, "过长"),
    ("/?from=2026-13-01", 400, "YYYY-MM-DD"),
    ("/?to=yesterday", 400, "YYYY-MM-DD"),
    ("/person/0x12", 400, "人员编号应为"),
    ("/person/robert'); DROP TABLE persons;--", 400, "人员编号应为"),
    ("/person/0x" + "ab" * 32, 404, "没有这个人员编号"),
    ("/certificate/0xzz", 400, "指纹应为"),
    ("/certificate/0x" + "00" * 32, 404, "没有这个指纹"),
    ("/verify?fp=0x1234", 400, "指纹应为"),
    ("/verify?" + "&".join(["fp=0x" + "11" * 32] * 5), 400, "最多查询 4 个"),
    ("/j/nowhere", 404, "没有这个辖区"),
    ("/j/nowhere/motions/1", 404, "没有这个辖区"),
    ("/j/nowhere/elections", 404, "没有这个辖区"),
    ("/j/330110-001/motions/999", 404, "没有这个议题"),
    ("/j/330110-001/motions/one", 404, "页面不存在"),
    ("/j/330110-001/elections/0x0000000000000000000000000000000000000000/0/retally", 404, "没有这一轮投票"),
    ("/static/../../../etc/passwd", 404, ""),
    ("/nothing-here", 404, "页面不存在"),
]


@pytest.mark.parametrize(("path", "status", "words"), BAD, ids=[b[0][:40] for b in BAD])
def test_bad_input_gets_a_clear_4xx_page(client: TestClient, path: str, status: int, words: str) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == status, r.text[:500]
    assert words in r.text
    for leak in ("Traceback", "/work", "site-packages", str(REPO), "uvicorn", "starlette"):
        assert leak not in r.text


def test_bodies_are_capped_and_nothing_takes_one(client: TestClient) -> None:
    r = client.post("/verify", content=b"x" * (MAX_BODY + 1))
    assert r.status_code == 413
    r = client.post("/verify", content=b"x" * 10, headers={"content-length": "-1"})
    assert r.status_code == 400
    r = client.post("/verify", content=b"fp=0x00")
    assert r.status_code == 405 and "不支持该请求方法" in r.text
    r = client.get("/")
    assert "default-src 'self'" in r.headers["content-security-policy"] and r.headers["x-content-type-options"] == "nosniff"
    assert "server" not in r.headers


def test_unknown_page_in_english(client: TestClient) -> None:
    r = client.get("/person/0x12?lang=en")
    assert r.status_code == 400 and "A person id is 0x and 64 hex digits." in r.text and '<html lang="en">' in r.text


def test_retally_from_the_index_alone_matches_the_box(client: TestClient, site: Site) -> None:
    e = _first(site, s.elections)
    j = _first(site, s.jurisdictions)
    r = client.get(f"/j/{j['code']}/elections/{e['address']}/0/retally?lang=en")
    assert r.status_code == 200
    assert "They match" in r.text and "no node connected" in r.text


def test_search_a_trace_code_and_a_date_range(client: TestClient, site: Site) -> None:
    d = _first(site, s.documents)
    r = client.get("/", params={"q": d["trace"]})
    assert r.status_code == 200 and d["fingerprint"] in r.text
    r = client.get("/", params={"q": d["trace"], "from": "2030-01-01"})
    assert r.status_code == 200 and "没有找到匹配的记录" in r.text
    r = client.get(f"/trace/{d['trace']}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/certificate/0x")
    cert = client.get(r.headers["location"])
    assert cert.status_code == 200 and "存证证明" in cert.text and "@media print" in client.get("/static/console.css").text


def test_the_demo_keeps_every_anchored_document_s_content_for_its_content_service(site: Site) -> None:
    # demo_index runs the term with a content store (scenario.runner.run(store=…)), so the demo's auditor
    # pages can serve what the ledger anchored: each version's content is there, and hashes to its fingerprint
    store = DirectoryStore(site.db.parent / "content")
    with create_engine(f"sqlite:///{site.db}").connect() as conn:
        docs = list(conn.execute(select(s.documents.c.fingerprint, s.documents.c.algorithm)).mappings())
    assert len(docs) >= 4
    for d in docs:
        fp = bytes.fromhex(d["fingerprint"][2:])
        assert store.has(fp), d
        assert fingerprint(store.get(fp), d["algorithm"]) == fp


def test_bundled_scripts_are_the_npm_packages_and_ship_as_package_data() -> None:
    vendor = PACKAGE / "console" / "static" / "vendor"
    nm = REPO / "node_modules"
    if not (nm / "chart.js").is_dir():
        pytest.skip("node_modules has no chart.js: `make setup-node` installs it")
    assert (vendor / "chart.umd.min.js").read_bytes() == (nm / "chart.js" / "dist" / "chart.umd.min.js").read_bytes()
    assert (vendor / "sm3.js").read_bytes() == (nm / "sm-crypto" / "dist" / "sm3.js").read_bytes()
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    globs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["zhili"]
    for f in (PACKAGE / "console").rglob("*"):
        if f.is_file() and f.suffix not in (".py", ".pyc") and f.name != "README.md":
            rel = f.relative_to(PACKAGE).as_posix()
            assert any(fnmatch.fnmatch(rel, g) for g in globs), f"{rel} is not package data"


def test_console_cli_refuses_what_it_cannot_serve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = z(capsys, "console")
    assert code == 2 and "--db is required" in err
    code, _, err = z(capsys, "console", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no index there" in err
    code, _, err = z(capsys, "console", "--demo", "--db", "x.db")
    assert code == 2 and "leave out --db and --chain" in err
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    db = tmp_path / "empty.db"
    from zhili.index import open_index

    open_index(str(db))
    code, _, err = z(capsys, "console", "--db", str(db), "--port", str(busy.getsockname()[1]))
    busy.close()
    assert code == 2 and "cannot listen" in err
