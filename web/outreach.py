"""What the office sends and hands on: a unit's 补正通知 (shown as it will go, editable,
sent once through the configured SMTP, or downloaded as .eml without one), a
candidate's 基层一线/艰苦岗位 mark, and a candidate's dossier for the experts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import smtplib
import threading
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.model.decisions import Decision, DecisionKind
from pipeline.outputs.dossier import DOSSIERS_DIR, dossier_file_name
from pipeline.outputs.mailer import deliver, failure_reason
from pipeline.outputs.notices import Draft, notice_message, sent_notice, sent_record, unit_draft
from pipeline.outputs.replies import draft_file_name
from pipeline.review.links import unit_path
from pipeline.store.lock import WRITE_WAIT, StoreBusy, store_lock
from pipeline.store.review import ReviewStore
from web.auth import Visitor, client_address, verified_form, visitor_of
from web.pages import not_found, workspace_of
from web.templating import render
from web.views import report_data
from web.workspace import Workspace

_SENDING = threading.Lock()  # one notice at a time: a double click never sends twice
MAX_BODY = 20000


def may_send(visitor: Visitor) -> bool:
    """Only a reviewer sends; a read-only (查看) account never does."""
    return visitor.may_decide


def _draft(workspace: Workspace, name: str) -> Draft | None:
    reviewed = workspace.reviewed()
    data = report_data(reviewed, workspace.campaign, workspace.as_of(), workspace.now())
    return unit_draft(data, name)


def _known(workspace: Workspace, name: str) -> bool:
    return any(u.recommender == name for u in workspace.reviewed().register.units)


def notice_page(request: Request) -> Response:
    workspace, name = workspace_of(request), request.path_params["name"]
    if not _known(workspace, name):
        return not_found(request, "该推荐单位")
    draft = _draft(workspace, name)
    sent = sent_notice(workspace.reviewed().decisions, name, draft.digest) if draft else None
    history = [d for d in workspace.reviewed().decisions
               if d.kind is DecisionKind.CONTACTED and d.target == name and d.data.get("sent")]
    return render(request, "notice.html.j2", unit=name, draft=draft, sent=sent, history=history,
                  smtp=workspace.options.smtp is not None,
                  may_send=may_send(visitor_of(request)), unit_link=unit_path(name))


def notice_eml(request: Request) -> Response:
    """The draft as an .eml file, to send from a mail client when no SMTP is configured."""
    workspace, name = workspace_of(request), request.path_params["name"]
    draft = _draft(workspace, name) if _known(workspace, name) else None
    if draft is None:
        return not_found(request, "补正通知")
    message = notice_message(workspace.campaign, draft.to or "", draft.subject, draft.body,
                             workspace.now())
    file_name = draft_file_name(name, draft.as_of)
    return Response(bytes(message), media_type="message/rfc822", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name)}"})


async def send_notice(request: Request) -> Response:
    form = await verified_form(request)
    if isinstance(form, Response):
        return form
    fields = {key: str(form.get(key) or "") for key in ("to", "subject", "body", "digest")}
    return await run_in_threadpool(_send_holding, request, request.path_params["name"], fields)


def _send_holding(request: Request, name: str, fields: dict[str, str]) -> Response:
    """The notice sent and recorded holding the store, as every decision is: taken before
    sending, so that a notice sent is always recorded."""
    try:
        with store_lock(workspace_of(request).options.store_dir, "decision", WRITE_WAIT):
            return _send(request, name, fields)
    except StoreBusy as busy:
        return _refuse(request, f"{busy}。通知未发送，请在运行结束后重试。",
                       f"{unit_path(name)}/notice", 503)


def _send(request: Request, name: str, fields: dict[str, str]) -> Response:
    workspace, visitor = workspace_of(request), visitor_of(request)
    back = f"{unit_path(name)}/notice"
    if not may_send(visitor):
        return _refuse(request, "只有审核人员可以发送补正通知。", back, 403)
    if workspace.options.smtp is None:
        return _refuse(request, "未配置SMTP（INTAKE_SMTP_HOST），请下载.eml后用邮件客户端发送。", back)
    with _SENDING:
        draft = _draft(workspace, name) if _known(workspace, name) else None
        if draft is None:
            return _refuse(request, "该单位目前没有需要补正的问题，无需发送。", back)
        if fields["digest"] != draft.digest:
            return _refuse(request, "待补正问题已有变化，请查看最新的通知内容后再发送。", back)
        if sent_notice(workspace.reviewed().decisions, name, draft.digest) is not None:
            return RedirectResponse(back, status_code=303)  # sent already: never twice
        to, subject = fields["to"].strip(), " ".join(fields["subject"].split())
        body = fields["body"].replace("\r\n", "\n")[:MAX_BODY]
        if "@" not in to or not subject or not body.strip():
            return _refuse(request, "请填写收件人地址、主题和正文。", back)
        now = workspace.now()
        smtp = dataclasses.replace(workspace.options.smtp, recipients=(to,))
        try:
            deliver(notice_message(workspace.campaign, to, subject, body, now), smtp)
        except (smtplib.SMTPException, OSError) as error:
            return _refuse(request, f"发送失败：{failure_reason(error, smtp)}", back, 502)
        _record(workspace, sent_record(draft, to, subject, visitor.name, now), request)
    return RedirectResponse(back, status_code=303)


def _record(workspace: Workspace, decision: Decision, request: Request) -> None:
    with workspace.store() as store:
        reviews = ReviewStore(store)
        kept = reviews.add(decision, client_address(request))
        reviews.audit(decision.made_by, "send_notice", decision.target,
                      f"第{kept.id}号决定：{decision.data.get('to')} {decision.data.get('subject')}",
                      client_address(request))


def _refuse(request: Request, message: str, back: str, status: int = 400) -> Response:
    return render(request, "message.html.j2", status=status, title="未发送", message=message,
                  back=back)


async def mark_frontline(request: Request) -> Response:
    form = await verified_form(request)
    if isinstance(form, Response):
        return form
    value = form.get("value")
    return await run_in_threadpool(_frontline, request, request.path_params["candidate_id"],
                                   value == "yes")


def _frontline(request: Request, candidate_id: int, value: bool) -> Response:
    workspace, visitor = workspace_of(request), visitor_of(request)
    if workspace.reviewed().candidate(candidate_id) is None:
        return not_found(request, "该人选")
    now = workspace.now()
    decision = Decision(0, DecisionKind.FRONTLINE, str(candidate_id), "", visitor.name,
                        now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
                        data={"value": value}, candidate_id=candidate_id)
    try:
        with store_lock(workspace.options.store_dir, "decision", WRITE_WAIT), \
                workspace.store() as store:
            ReviewStore(store).add(decision, client_address(request))
    except StoreBusy as busy:
        return render(request, "message.html.j2", status=503, title="未能保存",
                      message=f"{busy}。本次操作未保存，请在运行结束后重试。",
                      back=f"/candidates/{candidate_id}")
    return RedirectResponse(f"/candidates/{candidate_id}#frontline", status_code=303)


def dossier_pdf(request: Request) -> Response:
    """The candidate's dossier as ``intake publish`` last built it."""
    workspace = workspace_of(request)
    candidate = workspace.reviewed().candidate(request.path_params["candidate_id"])
    outbox = workspace.options.outbox
    path = outbox / DOSSIERS_DIR / dossier_file_name(candidate) if candidate and outbox else None
    if path is None or not path.is_file():
        return not_found(request, "评审材料（请先运行 intake publish）")
    return Response(path.read_bytes(), media_type="application/pdf", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(path.name)}"})
