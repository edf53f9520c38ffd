"""What staff do (POST): log in and out; accept a finding, correct a field, a summary
table's cell, a file's kind or owner, mark a unit contacted, undo any of these.

Every decision is made by ``pipeline.review.decide`` against the register as it stands,
kept with its audit line, and the page it came from is shown again: rebuilt, so the
checks have already run on a correction. A refused decision says why, on a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.model.decisions import Decision
from pipeline.review import decide
from pipeline.review.decide import Refused
from pipeline.review.links import finding_anchor
from pipeline.review.workspace import Reviewed
from pipeline.store.lock import WRITE_WAIT, StoreBusy, store_lock
from pipeline.store.review import ReviewStore
from web.auth import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    attempt_login,
    client_address,
    end_session,
    login_form,
    refused,
    safe_next,
    same_token,
    session_cookie,
    verified_form,
    visitor_of,
    with_anchor,
)
from web.pages import workspace_of
from web.templating import render

Decide = Callable[[Reviewed, str, dt.datetime], decide.Outcome]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def login(request: Request) -> Response:
    workspace = workspace_of(request)
    form = await request.form()
    if not same_token(form.get("login_token"), request.cookies.get(LOGIN_COOKIE, "")):
        return refused("登录表单已失效，请刷新登录页面后重试。", 403)
    result = await run_in_threadpool(attempt_login, workspace, _text(form, "name").strip(),
                                     _text(form, "password"), client_address(request))
    if result.token is None:
        return login_form(request, workspace, result.message, result.status)
    response = RedirectResponse(with_anchor(safe_next(_text(form, "next"))), status_code=303)
    session_cookie(response, workspace, result.token)
    response.delete_cookie(LOGIN_COOKIE, path="/login", httponly=True, samesite="strict")
    return response


async def logout(request: Request) -> Response:
    form = await verified_form(request)
    if isinstance(form, Response):
        return form
    visitor = visitor_of(request)
    await run_in_threadpool(end_session, workspace_of(request), request.cookies[SESSION_COOKIE],
                            visitor.name, client_address(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def _record(request: Request, make: Decide, back: str) -> Response:
    """The decision made on the register as it stands, kept, and the page shown again."""
    workspace = workspace_of(request)
    visitor = visitor_of(request)
    outcome = make(workspace.reviewed(), visitor.name, workspace.now())
    if isinstance(outcome, Refused):
        return render(request, "message.html.j2", status=400, title="未能保存",
                      message=outcome.reason, back=back)
    try:
        with store_lock(workspace.options.store_dir, "decision", WRITE_WAIT), \
                workspace.store() as store:
            ReviewStore(store).add(outcome, client_address(request))
    except StoreBusy as busy:
        return _busy(request, busy, back)
    return RedirectResponse(back, status_code=303)


def _busy(request: Request, busy: StoreBusy, back: str) -> Response:
    """A run holds the store: the decision is not kept, and the page says to try again."""
    return render(request, "message.html.j2", status=503, title="未能保存",
                  message=f"{busy}。本次操作未保存，请在运行结束后重试。", back=back)


async def _decision(request: Request, make: Callable[[FormData], Decide],
                    anchor: str = "") -> Response:
    form = await verified_form(request)
    if isinstance(form, Response):
        return form
    back = safe_next(_text(form, "back")) + anchor
    return await run_in_threadpool(_record, request, make(form), back)


async def accept(request: Request) -> Response:
    key = request.path_params["key"]
    return await _decision(request, lambda form: lambda reviewed, user, now: decide.accept_finding(
        reviewed, key, _text(form, "reason_kind"), _text(form, "reason"), user, now),
        "#" + finding_anchor(key))


async def correct_field(request: Request) -> Response:
    candidate_id, name = request.path_params["candidate_id"], request.path_params["name"]
    return await _decision(request, lambda form: lambda reviewed, user, now: decide.correct_field(
        reviewed, candidate_id, name, _text(form, "value"), _text(form, "reason"), user, now),
        f"#field-{name}")


async def correct_summary(request: Request) -> Response:
    """A cell of the unit's summary table (Attachment 3) corrected: 改汇总表."""
    name = request.path_params["name"]
    return await _decision(request, lambda form: lambda reviewed, user, now: decide.correct_summary_cell(
        reviewed, name, _text(form, "row"), _text(form, "row_name"), _text(form, "cell"),
        _text(form, "value"), _text(form, "reason"), user, now), "#summary")


async def correct_kind(request: Request) -> Response:
    sha256 = request.path_params["sha256"]
    return await _decision(request, lambda form: lambda reviewed, user, now: decide.correct_file_kind(
        reviewed, sha256, _text(form, "kind"), _text(form, "reason"), user, now))


def _owner(text: str) -> int | None:
    return int(text) if text.isdigit() else None


async def correct_owner(request: Request) -> Response:
    sha256 = request.path_params["sha256"]
    return await _decision(request, lambda form: lambda reviewed, user, now: decide.correct_file_owner(
        reviewed, sha256, _owner(_text(form, "candidate")), _text(form, "reason"), user, now))


async def mark_contacted(request: Request) -> Response:
    name = request.path_params["name"]
    return await _decision(request, lambda form: lambda reviewed, user, now: decide.mark_contacted(
        reviewed, name, _text(form, "method"), _text(form, "date"), _text(form, "note"), user, now),
        "#contacts")


def _undo(request: Request, decision_id: int, reason: str, back: str) -> Response:
    workspace = workspace_of(request)
    try:
        with store_lock(workspace.options.store_dir, "decision", WRITE_WAIT), \
                workspace.store() as store:
            undone: Decision | None = ReviewStore(store).undo(
                decision_id, visitor_of(request).name,
                " ".join(reason.split())[:decide.REASON_MAX], client_address(request))
    except StoreBusy as busy:
        return _busy(request, busy, back)
    if undone is None:
        return render(request, "message.html.j2", status=400, title="未能撤销",
                      message="该决定不存在或已被撤销。", back=back)
    return RedirectResponse(back, status_code=303)


async def undo(request: Request) -> Response:
    form = await verified_form(request)
    if isinstance(form, Response):
        return form
    back = safe_next(_text(form, "back"))
    return await run_in_threadpool(_undo, request, request.path_params["decision_id"],
                                   _text(form, "reason"), back)
