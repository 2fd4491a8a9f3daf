"""The console's non-public pages (R-DOC-5): Sign-In with Ethereum through the auditor content
service (:class:`zhili.evidence.auditor.AuditorService`, the same login, sessions, role check and
access log), then the anchored records and their content.

``GET /login``            the login page: an address, the message the server issues (naming this server,
                          the chain and the ledger), a signature (by a browser wallet, ``window.ethereum``,
                          after the page's script checked the message names this page's host, chain and
                          ledger — or pasted from any signer)
``POST /login/challenge`` ``{"address"}`` → the message (JSON, for the script)
``POST /login``           form ``message``, ``signature`` → a session cookie (HttpOnly, SameSite=Strict)
``POST /logout``          ends the session
``GET /audit``            the anchored records (logged as a query), role read from the chain
``GET /audit/content/<fp>`` the content, logged and anchored first (``Cache-Control: no-store``)

Every refused login is logged by the service; every non-public page is ``Cache-Control: no-store``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..core.auth import AuthError, ledger_resource
from ..evidence.auditor import AccessDenied, AuditorService

COOKIE = "zhili_session"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def routes(render: Callable[..., Response], service: AuditorService | None) -> list[Route]:
    """The login and auditor routes, pages drawn by ``render`` (``Console.render``); without a service
    they answer 404 ("not configured here")."""

    def need() -> AuditorService:
        if service is None:
            raise HTTPException(404, "no_auditor_service")
        return service

    def no_store(resp: Response) -> Response:
        resp.headers.update(NO_STORE)
        return resp

    async def form(request: Request) -> dict[str, str]:
        body = (await request.body()).decode("utf-8", "replace")
        return {k: v[0] for k, v in parse_qs(body, max_num_fields=10).items()}

    async def login_page(request: Request, status: int = 200, error: str = "") -> Response:
        s = need()
        realm = s.auth.realm
        return no_store(render(request, "login.html", status=status, error=error, realm=realm, ledger_resource=ledger_resource(realm.ledger, realm.chain_id)))

    async def challenge(request: Request) -> Response:
        s = need()
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return no_store(JSONResponse({"error": "the body must be a JSON object"}, status_code=400))
        try:
            return no_store(JSONResponse(await run_in_threadpool(s.challenge, body.get("address"))))
        except AuthError as exc:
            return no_store(JSONResponse({"error": str(exc)}, status_code=exc.status))

    async def login(request: Request) -> Response:
        s = need()
        f = await form(request)
        client = request.client.host if request.client else ""
        try:
            message = f.get("message", "").replace("\r\n", "\n")  # a form's textarea is sent with CRLF; EIP-4361 lines end in LF
            out = await run_in_threadpool(s.login, message, f.get("signature", "").strip(), client)
        except AuthError as exc:  # logged by the service
            return await login_page(request, exc.status, exc.reason)
        resp = RedirectResponse("/audit", status_code=303)
        resp.set_cookie(COOKIE, out["token"], max_age=int(s.auth.session_ttl), httponly=True, samesite="strict", secure=s.auth.realm.scheme == "https", path="/")
        return no_store(resp)

    async def logout(request: Request) -> Response:
        s = need()
        token = request.cookies.get(COOKIE)
        try:
            await run_in_threadpool(s.logout, token)
        except AuthError:
            pass  # no session: nothing to end
        resp = RedirectResponse("/", status_code=303)
        resp.delete_cookie(COOKIE, path="/")
        return no_store(resp)

    async def auditor(request: Request) -> str | Response:
        s = need()
        try:
            return str(await run_in_threadpool(s.authorise, request.cookies.get(COOKIE)))
        except AuthError as exc:
            if exc.status == 401:
                return no_store(RedirectResponse("/login", status_code=303))
            return await login_page(request, exc.status, exc.reason)

    async def audit(request: Request) -> Response:
        who = await auditor(request)
        if isinstance(who, Response):
            return who
        try:
            offset = max(0, int(request.query_params.get("offset", "0")))
        except ValueError:
            raise HTTPException(400, "bad_offset") from None
        records = await run_in_threadpool(need().records, who, offset, 100)
        return no_store(render(request, "audit.html", auditor=who, records=records, offset=offset))

    async def content(request: Request) -> Response:
        who = await auditor(request)
        if isinstance(who, Response):
            return who
        text = request.path_params["fp"]
        try:
            fp = bytes.fromhex(text.removeprefix("0x"))
        except ValueError:
            fp = b""
        if len(fp) != 32:
            raise HTTPException(400, "bad_fingerprint")
        try:
            data, entry = await run_in_threadpool(need().content, who, fp)
        except AccessDenied as exc:
            raise HTTPException(exc.status, "unknown_document" if exc.status == 404 else "content_withheld") from None
        headers = {"Content-Disposition": f'attachment; filename="{fp.hex()}"', "X-Zhili-Log-Seq": str(entry["seq"]), "X-Zhili-Log-Head": entry["hash"]}
        return no_store(Response(data, media_type="application/octet-stream", headers=headers))

    async def login_get(request: Request) -> Response:
        return await login_page(request)

    return [
        Route("/login", login_get, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/login/challenge", challenge, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/audit", audit, methods=["GET"]),
        Route("/audit/content/{fp}", content, methods=["GET"]),
    ]
