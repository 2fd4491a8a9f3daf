"""The console in a real browser: Playwright drives Debian's Chromium (``executable_path``; Playwright
never downloads a browser) against a console over an indexed demo term (tests/console/conftest.py):
search, a decision page, a person page, a file checked in the browser (its bytes never sent), the
re-tally button, a bad trace code's 4xx page, the language switch and accessibility basics."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from console_kit import Site
from sqlalchemy import create_engine, select

from zhili.core.store import fingerprint
from zhili.index import schema as s
from zhili.scenario import runner

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    ctx = browser.new_context(base_url=site.url, locale="zh-CN")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    # a page may answer 4xx on purpose; what it loads (scripts, styles, charts) may not
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and r.request.resource_type != "document" else None)
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site.url) else None)
    yield pg
    ctx.close()
    assert errors == [], f"script errors: {errors}"
    assert outside == [], f"requests outside the console: {outside}"


def _row(site: Site, table: Any, *where: Any) -> Any:
    with create_engine(f"sqlite:///{site.db}").connect() as conn:
        return conn.execute(select(table).where(*where)).mappings().first()


def test_search_by_name_then_the_person_page(page: Any, site: Site) -> None:
    """A person found by name; their page: offices over time, decisions they answer for (终身负责),
    documents signed, blacklist status."""
    page.goto("/")
    assert page.get_attribute("html", "lang") == "zh-CN"
    page.get_by_label("检索内容").fill("王建国")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/?q=*")
    link = page.locator("section:has(h2:text('人员')) a.person").first
    assert "王建国" in link.inner_text()
    link.click()
    page.wait_for_url("**/person/0x*")
    assert "王建国" in page.locator("h1").inner_text()
    offices = page.locator("#offices tbody tr")
    assert offices.count() >= 1 and "党委书记" in offices.first.inner_text()
    assert page.locator("#answers li a").count() >= 1
    assert page.locator("#signed li a").count() >= 1
    assert "未列入黑名单" in page.locator("#blacklist").inner_text()


def test_decision_page_with_tally_chart_and_reverified_signatures(page: Any, site: Site) -> None:
    m = _row(site, s.motions, s.motions.c.id == 1)
    j = _row(site, s.jurisdictions)
    page.goto(f"/j/{j['code']}/motions/1")
    tally = page.locator("#tally").inner_text()
    assert f"{m['yes']}" in tally and f"{m['threshold']}" in tally and "160" in tally
    assert page.locator("#weights tbody tr").count() == 5
    assert "王建国" in page.locator("#first-responsible").inner_text()
    assert page.evaluate("() => !!Chart.getChart('tally-chart')"), "the tally chart was not drawn"
    sigs = page.locator("ol.chain li .ok")
    assert sigs.count() >= 1 and page.locator("ol.chain li .bad").count() == 0
    page.locator("ol.chain li a").first.click()
    page.wait_for_url("**/certificate/0x*")
    assert page.locator("h1").inner_text() == "存证证明"
    assert "签名有效" in page.locator("#signature").inner_text()


def test_file_checked_in_the_browser_never_leaves_it(page: Any, site: Site) -> None:
    """The first motion's document as the scenario anchored it: hashed by the page (SHA-256 with
    WebCrypto, SM3 with sm-crypto), looked up by fingerprint only; an unknown file is not found."""
    data = runner.load("township")
    m = next(x for x in data["council"] if x.get("document"))
    content = f"{m['id']}: {m['document'].get('title', m['id'])}".encode()
    assert _row(site, s.documents, s.documents.c.fingerprint == "0x" + hashlib.sha256(content).hexdigest()) is not None
    bodies: list[Any] = []
    page.on("request", lambda r: bodies.append((r.method, r.post_data)))
    page.goto("/verify")
    page.get_by_label("文件").set_input_files({"name": "doc.txt", "mimeType": "text/plain", "buffer": content})
    page.wait_for_url("**/verify?fp=*")
    assert "已存证" in page.locator("#verdict").inner_text()
    assert "0x" + fingerprint(content, "sm3").hex() in page.url, "the SM3 fingerprint computed in the browser differs from gmssl's"
    assert all(method == "GET" and not body for method, body in bodies), bodies
    page.goto("/verify")
    page.get_by_label("文件").set_input_files({"name": "other.txt", "mimeType": "text/plain", "buffer": b"not anchored anywhere"})
    page.wait_for_url("**/verify?fp=*")
    assert "未找到" in page.locator("#verdict").inner_text()


def test_retally_button_matches_the_contract(page: Any, site: Site) -> None:
    j = _row(site, s.jurisdictions)
    page.goto(f"/j/{j['code']}/elections")
    buttons = page.get_by_role("button", name="从链上重新计票")
    assert buttons.count() >= 2
    buttons.first.click()
    page.wait_for_url("**/retally*")
    assert "一致" in page.locator("#verdict").inner_text()
    assert "直接读取链上节点" in page.content()
    cells = page.locator("#retally tbody tr").first.locator("td")
    assert cells.nth(1).inner_text() == cells.nth(2).inner_text() != "—"


def test_bad_trace_code_gets_a_4xx_page(page: Any, site: Site) -> None:
    resp = page.goto("/trace/330110-001-20x6-ZZ-1")
    assert resp is not None and resp.status == 400
    text = page.locator("#error-message").inner_text()
    assert "追溯码格式不正确" in text
    body = page.content()
    assert "Traceback" not in body and "/work" not in body and "site-packages" not in body
    resp = page.goto("/j/nowhere/motions/1")
    assert resp is not None and resp.status == 404


def test_english_and_accessibility_basics(page: Any, site: Site) -> None:
    page.goto("/verify")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() == "Verify a file"
    page.goto("/")  # the choice is kept
    assert page.get_attribute("html", "lang") == "en"
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => !(e.id && document.querySelector(`label[for="${e.id}"]`)) && !e.getAttribute('aria-label')).map(e => e.name || e.id)"""
    )
    assert unlabelled == []
    # body text against its background: at least 4.5:1 (WCAG AA)
    ratio = page.evaluate(
        """() => { const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(Number).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                                   return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
                 const st = getComputedStyle(document.body); const a = lum(st.color), b = lum(st.backgroundColor);
                 return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }"""
    )
    assert ratio >= 4.5
