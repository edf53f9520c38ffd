"""Who may see the workspace: log-in with throttling, sessions, CSRF tokens, log-out.

- A session is a random token in an HttpOnly, SameSite=Strict cookie; the store keeps
  only its SHA-256, with the session's CSRF token. It ends after ``session_idle`` without
  a request, after ``session_max`` in all, or at log-out.
- Every page and file needs a session (``RequireSession``): without one, a request is
  sent to the log-in page. Only the log-in page itself and the stylesheet are open.
- Every form carries the session's CSRF token, and every POST is refused without it;
  the log-in form carries a token of its own, bound to a cookie (no session yet).
- Five wrong passwords for a name from one address within 15 minutes (``LoginThrottle``)
  and that name is refused from that address, right password or not, for a minute after
  the last one, twice as long after each further one (at most 15 minutes); from any other
  address the name logs in as ever.
- Log-in, log-out and sessions write to the store without its run lock: they are no
  part of what a run reads, so staff can log in while a run holds the store
  (``pipeline.store.accounts`` says why); only decisions wait for a run.
- After log-in the browser goes back where it was asked to, only ever inside the
  workspace (``safe_next``): never to another site, however the address is written.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from markupsafe import escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp

from pipeline.review.passwords import LoginThrottle, hash_password, needs_rehash, verify_password
from pipeline.store.accounts import REVIEWER, AccountStore
from pipeline.store.review import ReviewStore
from web.templating import Plain, render
from web.workspace import Workspace

SESSION_COOKIE = "intake_session"
LOGIN_COOKIE = "intake_login"
OPEN_PATHS = ("/login", "/static/")
LOGIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
ANCHOR = re.compile(r"f-[a-p]{20}")  # pipeline.review.links.finding_anchor
THROTTLE = LoginThrottle()
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Visitor:
    """The member of staff behind a request."""

    name: str
    csrf_token: str
    role: str = REVIEWER

    @property
    def may_decide(self) -> bool:
        return self.role == REVIEWER


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def safe_next(target: str | None) -> str:
    """Where to go after log-in: a path of this site, never another site — not by two
    slashes, a backslash, a scheme, nor control characters a browser drops (a tab
    between two slashes still makes two slashes to it)."""
    if not target or "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _session_visitor(workspace: Workspace, token: str) -> Visitor | None:
    now = dt.datetime.now(dt.timezone.utc)
    options = workspace.options
    with workspace.store() as store:
        accounts = AccountStore(store)
        session = accounts.session(token)
        if session is None:
            return None
        if now - session.last_seen > options.session_idle or now - session.created_at > options.session_max:
            accounts.close_session(token)
            return None
        if now - session.last_seen > TOUCH_EVERY:
            accounts.touch_session(token, now)
        return Visitor(session.user.name, session.csrf_token, session.user.role)


class RequireSession(BaseHTTPMiddleware):
    """No page and no file without a session: anyone else is sent to log in."""

    def __init__(self, app: ASGIApp, workspace: Workspace):
        super().__init__(app)
        self.workspace = workspace

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        token = request.cookies.get(SESSION_COOKIE, "")
        visitor = await run_in_threadpool(_session_visitor, self.workspace, token) if token else None
        request.state.visitor = visitor
        if visitor is None and not path.startswith(OPEN_PATHS):
            wanted = safe_next(path + (f"?{request.url.query}" if request.url.query else ""))
            if request.method != "GET":  # a form sent after the session ended: start afresh
                wanted = "/"
            if _arrived_from_elsewhere(request):
                return _come_in(wanted)
            return RedirectResponse(f"/login?next={quote(wanted, safe='')}", status_code=303)
        return await call_next(request)


def _arrived_from_elsewhere(request: Request) -> bool:
    """A link followed from another site (the daily report in a mail client, a file):
    the browser withholds a SameSite=Strict cookie on that one navigation only."""
    return (request.method == "GET" and request.headers.get("sec-fetch-site") == "cross-site"
            and request.headers.get("sec-fetch-mode") == "navigate")


def _come_in(wanted: str) -> HTMLResponse:
    """The same address again, asked by this site itself, so that the session cookie (if
    there is one) comes along; without one, that request goes to log-in. Nothing of the
    store is in this page. The address gets a mark, for a browser asked for the address it
    is at (fragment and all) would only scroll, not ask again."""
    again = wanted + ("&" if "?" in wanted else "?") + "again=1"
    target = escape(with_anchor(again))
    return HTMLResponse(f"<!DOCTYPE html><meta charset='utf-8'><meta http-equiv='refresh' content='0;url={target}'>"
                        f"<title>正在打开</title><p><a href='{target}'>打开审核工作台</a></p>")


def with_anchor(target: str) -> str:
    """A workspace address with the finding it names (``?finding=f-…``, the report's
    links) as its fragment: a fragment never reaches the server, so a log-in in between
    would lose it."""
    anchor = parse_qs(urlsplit(target).query).get("finding", [""])[0]
    return f"{target}#{anchor}" if ANCHOR.fullmatch(anchor) else target


def visitor_of(request: Request) -> Visitor:
    visitor: Visitor | None = request.state.visitor
    assert visitor is not None, "RequireSession lets no request without a session through"
    return visitor


def same_token(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(given, expected)


def refused(reason: str, status: int) -> HTMLResponse:
    return HTMLResponse(f"<!DOCTYPE html><meta charset='utf-8'><title>请求被拒绝</title>"
                        f"<p>{reason}</p><p><a href='/'>返回</a></p>", status_code=status)


async def verified_form(request: Request) -> FormData | Response:
    """The POSTed form, if it carries the session's CSRF token and comes from this site."""
    form = await request.form()
    visitor = visitor_of(request)
    origin = request.headers.get("origin")
    # behind a TLS proxy (--secure-cookie) the browser's origin is https, this request http
    workspace: Workspace = request.app.state.workspace
    scheme = "https" if workspace.options.secure_cookie else request.url.scheme
    if origin and origin != f"{scheme}://{request.url.netloc}":
        return refused("请求来源不符，已拒绝。", 403)
    if not same_token(form.get("csrf"), visitor.csrf_token):
        return refused("表单已失效（缺少或错误的校验码），请刷新页面后重试。", 403)
    if not visitor.may_decide and request.url.path != "/logout":
        return refused("只读账号（查看）不能作出或撤销处理；如需处理，请联系管理员。", 403)
    return form


# --- log-in and log-out ---------------------------------------------------------------------


def login_form(request: Request, workspace: Workspace, message: str = "",
               status: int = 200) -> Response:
    """The log-in page, its form token bound to a cookie: the one the browser has (a
    second log-in page, or the browser's own request for an icon, must not void the form
    already shown), else a fresh one."""
    token = request.cookies.get(LOGIN_COOKIE, "")
    if not LOGIN_TOKEN.fullmatch(token):
        token = secrets.token_urlsafe(32)
    response = render(request, "login.html.j2", status=status, message=message,
                      login_token=Plain(token), next=Plain(safe_next(request.query_params.get("next"))))
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, path="/login", httponly=True,
                        samesite="strict", secure=workspace.options.secure_cookie)
    return response


@dataclass(frozen=True)
class LoginResult:
    token: str | None = None  # the new session's, when the log-in succeeded
    message: str = ""
    status: int = 200


def attempt_login(workspace: Workspace, name: str, password: str,
                  address: str | None) -> LoginResult:
    now = dt.datetime.now(dt.timezone.utc)
    with workspace.store() as store:
        accounts, reviews = AccountStore(store), ReviewStore(store)
        failures = accounts.failures_since(name, address, now - THROTTLE.window)
        from_address = accounts.address_failures_since(address or "", now - THROTTLE.window)
        until = THROTTLE.throttled_until(failures, from_address, now)
        if until is not None:
            reviews.audit(name, "login_throttled", None, None, address)
            minutes = max(1, int((until - now).total_seconds() // 60) + 1)
            return LoginResult(message=f"密码错误次数过多，请{minutes}分钟后再试。", status=429)
        user = accounts.user(name)
        ok = verify_password(user.password_hash if user else None, password)
        accounts.record_attempt(name, address, ok, now)
        if not ok or user is None:
            reviews.audit(name, "login_failed", None, None, address)
            return LoginResult(message="用户名或密码错误。", status=401)
        if needs_rehash(user.password_hash):
            accounts.set_password_hash(user, hash_password(password))
        token = secrets.token_urlsafe(32)
        accounts.open_session(user, token, secrets.token_urlsafe(32), now)
        accounts.close_sessions_before(now - workspace.options.session_max)
        reviews.audit(name, "login", None, None, address)
        return LoginResult(token=token)


def session_cookie(response: Response, workspace: Workspace, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, path="/", httponly=True, samesite="strict",
                        secure=workspace.options.secure_cookie)


def end_session(workspace: Workspace, token: str, name: str, address: str | None) -> None:
    with workspace.store() as store:
        AccountStore(store).close_session(token)
        ReviewStore(store).audit(name, "logout", None, None, address)
