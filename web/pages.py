"""The workspace's pages (GET): 概况, a unit, a candidate, a file, search, the audit trail;
and the bytes: stored files, their page images, the photo inside a form."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.model.models import PackageFile
from pipeline.outputs.roster import frontline_flags, quota_lines, roster_rows
from pipeline.register.build import UNKNOWN_RECOMMENDER
from pipeline.review.workspace import Reviewed
from pipeline.store.review import AUDIT_KINDS, DEFAULT_KINDS, AuditFilter, ReviewStore
from web.auth import client_address, login_form, visitor_of
from web.files import content_type, page_count, page_image, register_file, shows_pages, stored_path
from web.templating import Plain, render
from web.views import (
    candidate_page,
    file_rows,
    overview,
    report_data,
    search,
    unit_page,
)
from web.workspace import Workspace


def workspace_of(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


def not_found(request: Request, what: str) -> Response:
    return render(request, "message.html.j2", status=404, title="未找到", message=f"{what}不存在或已不在名册中。")


def page_counts(workspace: Workspace, files: list[PackageFile]) -> dict[str, int]:
    counts = {}
    for file in files:
        path = stored_path(workspace.options.store_dir, file.sha256) if shows_pages(file) else None
        if path is not None:
            counts[file.sha256] = page_count(path)
    return counts


def login_page(request: Request) -> Response:
    if request.state.visitor is not None:
        return RedirectResponse("/", status_code=303)
    return login_form(request, workspace_of(request))


def overview_page(request: Request) -> Response:
    workspace = workspace_of(request)
    reviewed = workspace.reviewed()
    with workspace.store() as store:
        last = store.last_run()
    return render(request, "overview.html.j2", view=overview(reviewed, workspace.now(), workspace.campaign.timezone),
                  last_run=dict(last) if last else None,
                  quotas=quota_lines(roster_rows(reviewed, workspace.campaign), workspace.campaign))


def unit_view(request: Request) -> Response:
    workspace = workspace_of(request)
    reviewed = workspace.reviewed()
    name = request.path_params["name"]
    unit = next((u for u in reviewed.register.units if u.recommender == name), None)
    if unit is None:
        return not_found(request, "该推荐单位")
    with workspace.store() as store:
        spans = ReviewStore(store).finding_spans(
            None if unit.recommender == UNKNOWN_RECOMMENDER else unit.recommender)
        data = report_data(reviewed, workspace.campaign, workspace.as_of(), workspace.now())
    files = [f for p in reviewed.packages_of(name) for f in p.files]
    page = unit_page(reviewed, unit, spans, data, page_counts(workspace, files))
    return render(request, "unit.html.j2", page=page, today=Plain(workspace.now().date().isoformat()))


def candidate_view(request: Request) -> Response:
    """The candidate, personal numbers whole: staff opened it on purpose (audited)."""
    workspace = workspace_of(request)
    reviewed = workspace.reviewed()
    candidate_id = request.path_params["candidate_id"]
    candidate = reviewed.candidate(candidate_id)
    if candidate is None:
        return not_found(request, "该人选")
    with workspace.store() as store:
        reviews = ReviewStore(store)
        spans = reviews.finding_spans(candidate.recommender, candidate.name)
        reviews.audit(visitor_of(request).name, "view_candidate", str(candidate_id),
                      f"{candidate.recommender} {candidate.name}", client_address(request))
    page = candidate_page(reviewed, candidate, candidate_id, spans,
                          page_counts(workspace, candidate.files))
    return render(request, "candidate.html.j2", reveal=True, page=page,
                  frontline=frontline_flags(reviewed).get(candidate_id))


def _file(request: Request) -> tuple[Workspace, Reviewed, PackageFile | None]:
    workspace = workspace_of(request)
    reviewed = workspace.reviewed()
    return workspace, reviewed, register_file(reviewed.register, request.path_params["sha256"])


def _opened(request: Request, workspace: Workspace, reviewed: Reviewed, file: PackageFile,
            how: str) -> None:
    """Who opened which file (an ID-card scan is as personal as the candidate page)."""
    owners = "、".join(c.name or "" for c in reviewed.register.candidates
                      if any(f.sha256 == file.sha256 for f in c.files))
    unit = next((p.recommender for p in reviewed.register.packages if any(f is file for f in p.files)), None)
    detail = " ".join(part for part in (unit, owners, f"“{file.name}”", how) if part)
    with workspace.store() as store:
        ReviewStore(store).audit(visitor_of(request).name, "open_file", file.sha256, detail,
                                 client_address(request))


def file_view(request: Request) -> Response:
    workspace, reviewed, file = _file(request)
    if file is None:
        return not_found(request, "该文件")
    _opened(request, workspace, reviewed, file, "查看")
    [row] = file_rows(reviewed, [file], page_counts(workspace, [file]))
    unit = next((p.recommender for p in reviewed.register.packages
                 if any(f is file for f in p.files)), None)
    candidates = [(cid, c.name or "") for c in reviewed.register.candidates
                  if c.recommender == unit and (cid := reviewed.candidate_id(c)) is not None]
    return render(request, "file.html.j2", row=row, unit=unit, unit_candidates=candidates)


def file_bytes(request: Request) -> Response:
    workspace, reviewed, file = _file(request)
    path = stored_path(workspace.options.store_dir, file.sha256) if file else None
    if file is None or path is None:
        return not_found(request, "该文件")
    _opened(request, workspace, reviewed, file, "打开原件")
    media = content_type(file.name)
    disposition = "inline" if media != "application/octet-stream" else "attachment"
    return Response(path.read_bytes(), media_type=media, headers={
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(file.name)}"})


def file_page(request: Request) -> Response:
    workspace, _, file = _file(request)
    path = stored_path(workspace.options.store_dir, file.sha256) if file else None
    image = page_image(path, request.path_params["number"]) if path else None
    if image is None:
        return not_found(request, "该页")
    return Response(image, media_type="image/jpeg")


def form_photo(request: Request) -> Response:
    candidate = workspace_of(request).reviewed().candidate(request.path_params["candidate_id"])
    photo = candidate.form.photo if candidate else None
    if photo is None:
        return not_found(request, "申报表中的照片")
    return Response(photo.data, media_type=photo.content_type or "image/jpeg")


def search_page(request: Request) -> Response:
    reviewed = workspace_of(request).reviewed()
    query = request.query_params.get("q", "")
    return render(request, "search.html.j2", results=search(reviewed, query), query=query)


AUDIT_PER_PAGE = 50


def audit_filter(request: Request, zone: ZoneInfo) -> AuditFilter:
    """The filter the audit page's form asks for; what cannot be read is left out."""
    query = request.query_params
    kinds = tuple(k for k in query.getlist("kind") if k in AUDIT_KINDS) or DEFAULT_KINDS
    return AuditFilter(kind=kinds, user=query.get("user", "").strip(), text=query.get("q", "").strip(),
                       since=_day_start(query.get("from", ""), zone, 0),
                       before=_day_start(query.get("to", ""), zone, 1))


def _day_start(text: str, zone: ZoneInfo, later: int) -> str:
    """The UTC moment (as stored) a local day begins, ``later`` days on; "" if no date."""
    try:
        day = dt.date.fromisoformat(text.strip()) + dt.timedelta(days=later)
    except ValueError:
        return ""
    start = dt.datetime.combine(day, dt.time(), zone).astimezone(dt.timezone.utc)
    return start.isoformat(timespec="seconds")


def audit_page(request: Request) -> Response:
    """The audit trail, newest first, a page at a time, filtered as the form asks."""
    workspace = workspace_of(request)
    wanted = audit_filter(request, workspace.campaign.timezone)
    asked = request.query_params.get("page", "1")
    page = int(asked) if asked.isdigit() and int(asked) > 0 else 1
    with workspace.store() as store:
        reviews = ReviewStore(store)
        entries, total = reviews.audit_page(wanted, page, AUDIT_PER_PAGE)
        users = reviews.audit_users()
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return render(request, "audit.html.j2", entries=entries, total=total, page=page,
                  pages=max(1, -(-total // AUDIT_PER_PAGE)), wanted=wanted, users=users,
                  kinds=AUDIT_KINDS, query=wanted.text, from_day=request.query_params.get("from", ""),
                  to_day=request.query_params.get("to", ""),
                  page_link=lambda number: Plain("/audit?" + urlencode([*kept, ("page", str(number))])))
