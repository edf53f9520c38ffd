"""The workspace application: its routes, and the middleware every request passes
(security headers, then the session check)."""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.settings import WorkspaceOptions
from web import actions, outreach, pages
from web.auth import RequireSession
from web.templating import render
from web.workspace import Workspace

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
# No script at all, nothing from elsewhere, no framing: pages are plain server-rendered HTML.
PAGE_POLICY = ("default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self';"
               " frame-ancestors 'none'; base-uri 'none'")


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers["Content-Security-Policy"] = PAGE_POLICY
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a browser
        return response


ROUTES = [
    Route("/login", pages.login_page, methods=["GET"]),
    Route("/login", actions.login, methods=["POST"]),
    Route("/logout", actions.logout, methods=["POST"]),
    Route("/", pages.overview_page, methods=["GET"]),
    Route("/search", pages.search_page, methods=["GET"]),
    Route("/audit", pages.audit_page, methods=["GET"]),
    # a unit's name may hold a "/" (it is percent-encoded, and decoded before routing)
    Route("/units/{name:path}/contacted", actions.mark_contacted, methods=["POST"]),
    Route("/units/{name:path}/summary", actions.correct_summary, methods=["POST"]),
    Route("/units/{name:path}/notice.eml", outreach.notice_eml, methods=["GET"]),
    Route("/units/{name:path}/notice", outreach.notice_page, methods=["GET"]),
    Route("/units/{name:path}/notice", outreach.send_notice, methods=["POST"]),
    Route("/units/{name:path}", pages.unit_view, methods=["GET"]),
    Route("/candidates/{candidate_id:int}", pages.candidate_view, methods=["GET"]),
    Route("/candidates/{candidate_id:int}/form-photo", pages.form_photo, methods=["GET"]),
    Route("/candidates/{candidate_id:int}/dossier.pdf", outreach.dossier_pdf, methods=["GET"]),
    Route("/candidates/{candidate_id:int}/frontline", outreach.mark_frontline, methods=["POST"]),
    Route("/candidates/{candidate_id:int}/fields/{name}", actions.correct_field, methods=["POST"]),
    Route("/files/{sha256}", pages.file_view, methods=["GET"]),
    Route("/files/{sha256}/raw", pages.file_bytes, methods=["GET"]),
    Route("/files/{sha256}/pages/{number:int}", pages.file_page, methods=["GET"]),
    Route("/files/{sha256}/kind", actions.correct_kind, methods=["POST"]),
    Route("/files/{sha256}/owner", actions.correct_owner, methods=["POST"]),
    Route("/findings/{key}/accept", actions.accept, methods=["POST"]),
    Route("/decisions/{decision_id:int}/undo", actions.undo, methods=["POST"]),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]


async def not_found(request: Request, error: Exception) -> Response:
    """Any address the workspace does not have, in Chinese (a 404 raised by a route too)."""
    if not hasattr(request.state, "visitor"):
        request.state.visitor = None
    return render(request, "message.html.j2", status=404, title="页面不存在",
                  message="没有这个页面：链接可能有误，或该内容已不在名册中。")


async def server_error(request: Request, error: Exception) -> Response:
    """What staff see when something broke: in Chinese, nothing of the error itself (it is
    in the server's log); plain HTML, so it shows even when the templates cannot."""
    log.error("request %s failed", request.url.path, exc_info=error)
    return HTMLResponse("<!DOCTYPE html><html lang='zh-CN'><meta charset='utf-8'>"
                        "<link rel='stylesheet' href='/static/style.css'><title>出错了 · 审核工作台</title>"
                        "<main><section class='card notice'><h1>出错了</h1>"
                        "<p>工作台处理这个请求时出错，已记入服务器日志。请稍后刷新重试；"
                        "如果一直出错，请把出错时间告诉管理员。</p><p><a href='/'>返回概况</a></p>"
                        "<p class='code'>500</p></section></main></html>", status_code=500)


def create_app(options: WorkspaceOptions) -> Starlette:
    workspace = Workspace(options)
    app = Starlette(routes=ROUTES, middleware=[
        Middleware(SecurityHeaders), Middleware(RequireSession, workspace=workspace)],
        exception_handlers={404: not_found, 500: server_error})
    app.state.workspace = workspace
    return app
