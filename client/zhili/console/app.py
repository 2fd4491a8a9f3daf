"""The auditor's console: a Starlette application over the index (``zhili console``, docs/console.md).

Server-rendered Jinja2 pages in Chinese (``?lang=en`` or the switch in the header for English, kept
in a cookie); a little JavaScript where a person expects it (a file hashed in the browser, charts
drawn by chart.js, both served from this package, nothing from the internet). Everything shown is
public on chain; the pages only read the index. Bad input gets a 4xx page that names the problem
(a malformed trace code, an unknown id, a request body over the limit), never a 500, and no page
shows a server path, a version or a traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Connection, Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..core import web
from ..core.chain import Chain
from ..errors import InputError
from ..evidence.auditor import AuditorService
from ..evidence.client import parse_trace
from ..index.indexer import decoded, open_index
from ..rebuild import BALLOT_BOX_EVENTS, event_logs
from ..types import CORE_OFFICES, Category, Office
from . import audit, i18n
from . import queries as q

log = logging.getLogger("zhili.console")

MAX_BODY = web.MAX_BODY  # no page takes a body: a file is hashed in the browser, only its fingerprint is sent
BodyLimit = web.BodyLimit
ASGIApp = web.ASGIApp
#: A query for one record of a jurisdiction by its number (``queries.motion``, ``merit_case``, ``handover``).
Record = Callable[[Connection, str, int], dict[str, Any] | None]


class Console:
    """The pages, over one index (and optionally the chain, for the live re-tally)."""

    def __init__(self, engine: Engine, chain: Chain | None = None) -> None:
        self.engine, self.chain = engine, chain
        self.env = Environment(loader=PackageLoader("zhili.console", "templates"), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
        self.env.filters |= {"when": q.when, "short": _short, "tojson_attr": lambda v: json.dumps(v, ensure_ascii=False), "tenths": _tenths}
        self.env.globals |= {"CORE_OFFICES": CORE_OFFICES, "Office": Office, "Category": Category, "pick": i18n.pick, "i18n": i18n}

    # ------------------------------------------------------------------ rendering

    def lang(self, request: Request) -> str:
        asked = request.query_params.get("lang")
        if asked in i18n.LANGS:
            return asked
        have = request.cookies.get("lang")
        return have if have in i18n.LANGS else "zh"

    def render(self, request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        lang = self.lang(request)
        names: dict[str, str] = {}
        js: list[dict[str, Any]] = []
        try:
            with self.engine.connect() as conn:
                names = q.labels(conn)
                js = q.jurisdictions(conn)
        except Exception:  # an error page must render even if the database is the problem
            log.exception("labels")
        other = "en" if lang == "zh" else "zh"
        params = dict(request.query_params) | {"lang": other}
        html = self.env.get_template(name).render(
            request=request, lang=lang, t=lambda k: i18n.translate(k, lang), names=names, all_jurisdictions=js,
            switch_url=f"{request.url.path}?{urlencode(params)}", office_label=lambda o: _office(o, lang),
            category_label=lambda c: i18n.pick(i18n.CATEGORIES, Category(int(c)).key, lang), **ctx,
        )  # fmt: skip
        resp = HTMLResponse(html, status_code=status)
        if request.query_params.get("lang") in i18n.LANGS:
            resp.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
        return resp

    # ------------------------------------------------------------------ pages

    async def home(self, request: Request) -> Response:
        p = request.query_params
        text, code = p.get("q", ""), p.get("j") or None
        if len(text) > 200:
            raise HTTPException(400, "query_too_long")
        try:
            start, end = q.day_range(p.get("from") or None, p.get("to") or None)
        except ValueError:
            raise HTTPException(400, "bad_date") from None
        searched = bool(text or code or start or end)
        with self.engine.connect() as conn:
            try:
                results = q.search(conn, text, code=code, start=start, end=end) if searched else None
            except InputError as exc:
                raise HTTPException(400, f"bad_trace:{exc}") from None
            recent = q.search(conn, "")["documents"][:10] if not searched else []
            found_villages = q.search_villages(conn, text, code) if searched and not (start or end) else []
        return self.render(request, "search.html", q=text, j=code, start=p.get("from", ""), end=p.get("to", ""), results=results, recent=recent,
                           villages=found_villages)  # fmt: skip

    async def jurisdiction(self, request: Request) -> Response:
        code = request.path_params["code"]
        with self.engine.connect() as conn:
            j = q.jurisdiction(conn, code)
            if j is None:
                raise HTTPException(404, "unknown_jurisdiction")
            res = q.search(conn, "", code=code)
            hos = q.handovers(conn, code)
        return self.render(request, "jurisdiction.html", j=j, results=res, handovers=hos)

    def _record(self, request: Request, find: Record, param: str, unknown: str) -> tuple[str, dict[str, Any]]:
        """The jurisdiction's code and its record ``find(conn, code, <param>)``; 404 for an unknown
        jurisdiction (``unknown_jurisdiction``) or record (``unknown``)."""
        code = request.path_params["code"]
        with self.engine.connect() as conn:
            if q.jurisdiction(conn, code) is None:
                raise HTTPException(404, "unknown_jurisdiction")
            found = find(conn, code, request.path_params[param])
        if found is None:
            raise HTTPException(404, unknown)
        return code, found

    async def decision(self, request: Request) -> Response:
        code, m = self._record(request, q.motion, "mid", "unknown_motion")
        chart = {"labels": ["yes", "no", "abstain"], "values": [m["yes"], m["no"], m["abstain"]], "threshold": m["threshold"]}
        return self.render(request, "decision.html", m=m, code=code, chart=chart)

    async def person(self, request: Request) -> Response:
        pid = request.path_params["pid"].lower()
        if not q.HEX32.match(pid):
            raise HTTPException(400, "bad_person_id")
        with self.engine.connect() as conn:
            p = q.person(conn, pid)
            if p is not None:
                p["appointments"] = q.person_appointments(conn, pid)  # team appointments (R-TC-1..3)
            village_years = q.person_villages(conn, pid) if p is not None else []
        if p is None:
            raise HTTPException(404, "unknown_person")
        merit = demerit = 0
        series = []
        for e in p["entries"]:
            if e["ledger"] == 0:
                merit += e["points"]
            else:
                demerit += e["points"]
            series.append({"t": q.when(e["at"]), "merit": merit, "demerit": demerit})
        return self.render(request, "person.html", p=p, pid=pid, series=series, village_years=village_years)

    async def elections(self, request: Request) -> Response:
        code = request.path_params["code"]
        with self.engine.connect() as conn:
            es = q.elections(conn, code)
            j = q.jurisdiction(conn, code)
            apps = q.appointments(conn, code)  # team appointments (R-TC-1..3): the offices filled after the election
        if es is None:
            raise HTTPException(404, "unknown_jurisdiction")
        return self.render(request, "elections.html", elections=es, j=j, code=code, appointments=apps or [])

    async def retally(self, request: Request) -> Response:
        code, addr, rnd = request.path_params["code"], request.path_params["election"], request.path_params["round"]
        with self.engine.connect() as conn:
            es = q.elections(conn, code) or []
            e = next((x for x in es if x["address"].lower() == addr.lower()), None)
            poll = next((p for p in e["polls"] if p["round"] == rnd), None) if e else None
            if e is None or poll is None:
                raise HTTPException(404, "unknown_poll")
            if self.chain is not None:
                box = self.chain.contract("BallotBox", e["box"])
                first = min((ev.blockNumber for ev in decoded(conn, e["box"])), default=0)
                rebuilt = q.retally_from_events(event_logs(box, BALLOT_BOX_EVENTS, first), rnd)
                try:
                    contract: list[int] | None = [int(v) for v in self.chain.call(box.functions.votes(rnd))]
                except Exception:  # not tallied yet: the box refuses to show votes
                    contract = None
                source = "source_chain"
            else:
                rebuilt = q.retally_from_events(decoded(conn, e["box"]), rnd)
                contract = q.contract_tally(conn, e["box"], rnd)
                source = "source_index"
        at = lambda xs, i: xs[i] if xs is not None and i < len(xs) else None  # noqa: E731
        rows = [{"person": c, "rebuilt": at(rebuilt, i), "contract": at(contract, i)} for i, c in enumerate(poll["candidates"] or [])]
        match = rebuilt is not None and rebuilt == contract
        return self.render(request, "retally.html", e=e, poll=poll, rows=rows, match=match, source=source, code=code,
                           chart={"labels": [_short(r["person"]) for r in rows], "rebuilt": rebuilt or [], "contract": contract or []})  # fmt: skip

    # merit cases and succession (issue 19, part 2)

    async def merit_case(self, request: Request) -> Response:
        code, c = self._record(request, q.merit_case, "cid", "unknown_case")
        return self.render(request, "case.html", c=c, code=code)

    async def succession(self, request: Request) -> Response:
        code = request.path_params["code"]
        with self.engine.connect() as conn:
            su = q.succession(conn, code)
        if su is None:
            raise HTTPException(404, "unknown_jurisdiction")
        return self.render(request, "succession.html", su=su, code=code)

    # ------------------------------------------------------------------ villages (SPEC §9)

    async def village(self, request: Request) -> Response:
        code = request.path_params["code"]
        with self.engine.connect() as conn:
            vs = q.villages(conn, code)
            j = q.jurisdiction(conn, code)
        if vs is None:
            raise HTTPException(404, "unknown_jurisdiction")
        if not vs:
            raise HTTPException(404, "no_village")
        return self.render(request, "village.html", villages=vs, j=j, code=code, colours=q.COLOURS)

    # ------------------------------------------------------------------ handovers (R-DOC-6..9)

    async def handover(self, request: Request) -> Response:
        code, h = self._record(request, q.handover, "hid", "unknown_handover")
        return self.render(request, "handover.html", h=h, code=code)

    async def verify(self, request: Request) -> Response:
        fps = [f.strip().lower() for f in request.query_params.getlist("fp") if f.strip()]
        if len(fps) > 4:
            raise HTTPException(400, "too_many_fingerprints")
        for f in fps:
            if not q.HEX32.match(f):
                raise HTTPException(400, "bad_fingerprint")
        with self.engine.connect() as conn:
            found = q.by_fingerprints(conn, fps) if fps else []
        return self.render(request, "verify.html", fps=fps, found=found, looked=bool(fps))

    async def certificate(self, request: Request) -> Response:
        fp = request.path_params["fp"].lower()
        if not q.HEX32.match(fp):
            raise HTTPException(400, "bad_fingerprint")
        with self.engine.connect() as conn:
            d = q.document(conn, fp)
            m = q.meta(conn)
        if d is None:
            raise HTTPException(404, "unknown_document")
        return self.render(request, "certificate.html", d=d, chain_id=m.get("chain_id"))

    async def trace(self, request: Request) -> Response:
        text = request.path_params["trace"]
        try:
            parse_trace(text)
        except InputError as exc:
            raise HTTPException(400, f"bad_trace:{exc}") from None
        with self.engine.connect() as conn:
            found = q.search(conn, text)["documents"]
        if not found:
            raise HTTPException(404, "unknown_trace")
        latest = max(found, key=lambda d: d["version"])
        return RedirectResponse(f"/certificate/{latest['fingerprint']}", status_code=303)

    # ------------------------------------------------------------------ errors

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = str(exc.detail or "")
        key, _, extra = detail.partition(":")
        return self.render(request, "error.html", status=exc.status_code, code=exc.status_code, key=key, extra=extra)

    async def server_error(self, request: Request, exc: Exception) -> Response:
        log.exception("console page failed", exc_info=exc)
        return self.render(request, "error.html", status=500, code=500, key="internal", extra="")


ERRORS = {
    "unknown_jurisdiction": ("没有这个辖区。", "No such jurisdiction."),
    "unknown_motion": ("没有这个议题。", "No such motion."),
    "unknown_person": ("没有这个人员编号。", "No such person id."),
    "unknown_poll": ("没有这一轮投票。", "No such poll."),
    "unknown_case": ("没有这个功过案件。", "No such merit case."),
    "unknown_document": ("没有这个指纹的存证。", "No record with this fingerprint."),
    "unknown_trace": ("没有这个追溯码的文件。", "No document with this trace code."),
    "unknown_handover": ("没有这次工作交接。", "No such handover."),
    "no_village": ("本辖区没有已索引的村（村务积分）。", "No village of this jurisdiction is indexed."),
    "bad_person_id": ("人员编号应为 0x 开头的 64 位十六进制。", "A person id is 0x and 64 hex digits."),
    "bad_fingerprint": ("指纹应为 0x 开头的 64 位十六进制。", "A fingerprint is 0x and 64 hex digits."),
    "too_many_fingerprints": ("一次最多查询 4 个指纹。", "At most 4 fingerprints at a time."),
    "bad_trace": (
        "追溯码格式不正确（应为 辖区代码-年份-类别-序号，如 330110-001-2026-ST-0001）。",
        "Not a trace code (expected <jurisdiction>-<year>-<category>-<sequence>, e.g. 330110-001-2026-ST-0001).",
    ),
    "bad_date": ("日期格式应为 YYYY-MM-DD。", "Dates are YYYY-MM-DD."),
    "query_too_long": ("检索内容过长（最多 200 字）。", "The query is too long (200 characters at most)."),
    "internal": ("内部错误，已记录。", "Internal error; it was logged."),
    "no_auditor_service": ("本控制台未配置审计登录。", "Auditor sign-in is not configured on this console."),
    "bad_offset": ("偏移量应为整数。", "The offset is a whole number."),
    "content_withheld": ("访问日志未能上链锚定，原文未发出。", "The access log could not be anchored; the content was withheld."),
    "malformed": ("登录消息或签名格式不正确。", "The message or signature is malformed."),
    "unknown-nonce": ("登录消息已使用或已过期，请重新获取。", "The sign-in message was used or expired; get a new one."),
    "not-issued": ("该消息不是本服务签发的。", "This server did not issue that message."),
    "expired": ("登录消息已过期，请重新获取。", "The sign-in message expired; get a new one."),
    "bad-signature": ("签名无效。", "The signature does not verify."),
    "no-role": ("该账户在链上不持有审计角色。", "This account does not hold the AUDITOR role on chain."),
    "role-revoked": ("该账户的审计角色已被撤销，会话已结束。", "This account's AUDITOR role was revoked; the session ended."),
    "busy": ("服务繁忙，请稍后再试。", "Busy; try again shortly."),
}


def _tenths(v: Any, sign: bool = False) -> str:
    """Points kept in tenths (SPEC §9) as a decimal: 25 -> 2.5 (``sign``: +2.5)."""
    n = int(v or 0)
    return ("+" if sign and n > 0 else "") + f"{n / 10:.1f}"


def _short(h: Any) -> str:
    t = str(h or "")
    return t if len(t) <= 14 else f"{t[:8]}…{t[-4:]}"


def _office(o: Any, lang: str) -> str:
    key = o.key if isinstance(o, Office) else str(o)
    return i18n.pick(i18n.OFFICES, key, lang)


def create_app(db: str, chain: Chain | None = None, auditor: AuditorService | None = None) -> ASGIApp:
    """The console over the index in ``db`` (its tables must exist: ``zhili index`` made them); with
    ``auditor`` (a content service) its sign-in and non-public pages too (``console.audit``)."""
    ix = open_index(db, create=False)
    c = Console(ix.engine, chain)
    c.env.globals["ERRORS"] = ERRORS
    c.env.globals["auditor_login"] = auditor is not None
    static = resources.files("zhili.console") / "static"
    routes = [
        Route("/", c.home),
        Route("/j/{code}", c.jurisdiction),
        Route("/j/{code}/motions/{mid:int}", c.decision),
        Route("/j/{code}/elections", c.elections),
        Route("/j/{code}/elections/{election}/{round:int}/retally", c.retally),
        Route("/j/{code}/cases/{cid:int}", c.merit_case),
        Route("/j/{code}/succession", c.succession),
        Route("/j/{code}/handovers/{hid:int}", c.handover),
        Route("/j/{code}/village", c.village),
        Route("/person/{pid}", c.person),
        Route("/verify", c.verify),
        Route("/certificate/{fp}", c.certificate),
        Route("/trace/{trace:path}", c.trace),
        *audit.routes(c.render, auditor),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: c.http_error, Exception: c.server_error})
    return BodyLimit(app)
