"""The handover page (R-DOC-6..9) over the indexed demo term: the secretary's handover with its oath,
its checklist by group, the three confirmations re-verified from the index, its start against the
24-hour deadline, and an issue recorded on chain after the term was indexed (the index catches up);
a tampered confirmation shows as invalid; unknown ids, ids past 64 bits and unknown jurisdictions are 404."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from console_kit import Site
from sqlalchemy import create_engine, select, update
from starlette.testclient import TestClient

from zhili.console.app import create_app
from zhili.core.store import fingerprint
from zhili.evidence.handover import HandoverClient, IssueKind
from zhili.index import open_index
from zhili.index import schema as s
from zhili.jurisdiction.registry import ROLES

J = "/j/330110-001"
ISSUE = b"an unlisted guarantee for the village road loan"


def _rows(db: Path, table: Any) -> list[Any]:
    with create_engine(f"sqlite:///{db}").connect() as conn:
        return list(conn.execute(select(table)).mappings())


@pytest.fixture(scope="module")
def site(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The shared demo site (tests/console/conftest.py) with this file's own copy of the index, and its
    chain rolled back afterwards: the issue recorded here is for this file's tests only."""
    db = tmp_path_factory.mktemp("handover") / "demo.db"
    with sqlite3.connect(site.db) as src, sqlite3.connect(db) as dst:  # the backup API: the WAL's pages too
        src.backup(dst)
    snap = site.chain.snapshot()
    yield Site(site.url, db, site.chain)
    site.chain.revert_to(snap)


@pytest.fixture(scope="module")
def handed(site: Site) -> dict[str, Any]:
    """The demo term's handover, with an issue recorded by the organisation department after it was indexed."""
    (h,) = [r for r in _rows(site.db, s.handovers) if r["kind"] == "handover"]
    hc = HandoverClient.at(site.chain, h["contract"])
    org = 1 + ROLES.index("org_department")  # the scenario's staff accounts (scenario.runner)
    hc.record_issue(h["id"], IssueKind.MISSING_ITEM, ISSUE, org)
    open_index(str(site.db), create=False).sync(site.chain)
    return dict(h)


@pytest.fixture
def client(site: Site, handed: dict[str, Any]) -> TestClient:
    return TestClient(create_app(str(site.db)), raise_server_exceptions=False)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_handover_page_shows_oath_checklist_signatures_and_issue(client: TestClient, site: Site, handed: dict[str, Any]) -> None:
    d = handed["data"]
    r = client.get(f"{J}/handovers/{handed['id']}")
    assert r.status_code == 200
    page = _text(r.text)
    # the three parties with the names the demo labelled them with, each linked to their person page
    names = {x["person_id"]: x["name"] for x in _rows(site.db, s.labels)}
    for who, word in (("outgoing", "移交人"), ("incoming", "接收人"), ("supervisor", "监交人")):
        assert re.search(rf'id="{who}"><a class="person" href="/person/{d[who]}"><code>[^<]+</code> {names[d[who]]}</a>', r.text), who
        assert word in page
    assert len({d["outgoing"], d["incoming"], d["supervisor"]}) == 3
    # checklist: the township scenario's 3 + 2 + 2 + 2 items, each item's fingerprint shown under its group
    assert "印章、账号与机要 (3)" in page and "文件资料 (2)" in page and "资产 (2)" in page and "工作事项 (2)" in page
    assert "0x" + fingerprint("党委公章 1 枚".encode(), "sha256").hex() in r.text
    assert d["checklist"] in r.text
    # the three confirmations, each re-verified against the signer's key in the registry
    sigs = re.findall(r"签名有效（已重新验证）", r.text)
    assert len(sigs) == 3 and "签名无效" not in r.text
    # opened within 24 hours of the oath, the oath within its working-day deadline
    assert d["openedAt"] <= d["deadline"] and re.search(r'id="start">[^<]*<span class="ok">按时', r.text)
    assert re.search(r'id="oath">.*?<span class="ok">按时', r.text, re.S)
    # the issue recorded after the handover, with its fingerprint and its kind
    assert "0x" + fingerprint(ISSUE).hex() in r.text and "清单遗漏事项" in page
    assert "交接争议 无" in page


def test_handover_page_in_english(client: TestClient, handed: dict[str, Any]) -> None:
    r = client.get(f"{J}/handovers/{handed['id']}?lang=en")
    page = _text(r.text)
    assert r.status_code == 200 and '<html lang="en"' in r.text
    for g in ("Credentials (3)", "Files (2)", "Assets (2)", "Work items (2)"):
        assert g in page
    assert page.count("Valid (re-verified)") == 3 and "Item missing from the checklist" in page
    assert "Start deadline (24 hours after the oath)" in page and "in time" in page


def test_jurisdiction_page_lists_the_handover(client: TestClient, handed: dict[str, Any]) -> None:
    r = client.get(J)
    assert r.status_code == 200
    assert f'href="{J}/handovers/{handed["id"]}"' in r.text
    m = re.search(r'<ul id="handovers">(.*?)</ul>', r.text, re.S)
    assert m and "党委书记" in m.group(1) and "按时" in m.group(1) and "责任移交时间" in m.group(1)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (f"{J}/handovers/1", "没有这次工作交接"),
        (f"{J}/handovers/9223372036854775807", "没有这次工作交接"),
        (f"{J}/handovers/9223372036854775808", "没有这次工作交接"),  # 2**63: past what the database holds
        (f"{J}/handovers/18446744073709551616", "没有这次工作交接"),  # 2**64
        ("/j/999999-999/handovers/0", "没有这个辖区"),
    ],
)
def test_unknown_handovers_are_404(client: TestClient, path: str, words: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and words in r.text


def test_handover_bad_ids_are_not_pages(client: TestClient) -> None:
    assert client.get(f"{J}/handovers/-1").status_code == 404  # no route: ids are whole numbers
    assert client.get(f"{J}/handovers/x").status_code == 404
    assert client.post(f"{J}/handovers/0").status_code == 405


def test_a_tampered_confirmation_is_shown_invalid(site: Site, handed: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "tampered.db"
    with sqlite3.connect(site.db) as src, sqlite3.connect(db) as dst:  # the backup API: the WAL's pages too
        src.backup(dst)
    eng = create_engine(f"sqlite:///{db}")
    with eng.begin() as conn:
        lg = conn.execute(select(s.logs).where(s.logs.c.event == "HandoverSigned").order_by(s.logs.c.block)).mappings().first()
        assert lg is not None
        args = dict(lg["args"]) | {"r": "0x" + "11" * 32}
        conn.execute(update(s.logs).where(s.logs.c.block == lg["block"], s.logs.c.log_index == lg["log_index"]).values(args=args))
    r = TestClient(create_app(str(db)), raise_server_exceptions=False).get(f"{J}/handovers/{handed['id']}")
    assert r.status_code == 200
    assert r.text.count("签名无效") == 1 and r.text.count("签名有效（已重新验证）") == 2
