"""Jinja2 for the workspace's pages: autoescaped, strict, and masking by default.

Every ``{{ value }}`` of a page goes through ``mask_personal_data`` (ID numbers and mobile
numbers partly hidden) unless it is ``Plain`` (a URL, a hash, a token: nothing personal,
and masking could break it). The candidate page, which a member of staff opens on
purpose, renders with ``open_environment``: there the numbers are shown whole.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from pipeline.model.catalog import Finding
from pipeline.model.decisions import ACCEPT_REASONS, CONTACT_METHODS, KIND_LABELS, DecisionKind
from pipeline.model.models import FILE_KIND_LABELS
from pipeline.outputs.masking import mask_personal_data
from pipeline.outputs.report_view import (
    SEVERITY_LABELS,
    check_title,
    local_time_text,
    severity_label,
    severity_name,
)
from pipeline.review.corrections import FIELD_LABELS
from pipeline.review.links import candidate_path, finding_anchor, unit_path
from pipeline.store.findings import fingerprint


class Plain(str):
    """Text shown as it is: it holds no personal data (a URL, a hash, a form token)."""


def masked(value: object) -> object:
    """What a page prints: personal numbers masked, except in ``Plain`` text and in markup
    (a macro's output, whose values were masked when the macro printed them)."""
    if isinstance(value, (Plain, Markup)) or not isinstance(value, str):
        return value
    return mask_personal_data(value)


def anchor_of(finding: Finding) -> Plain:
    return Plain(finding_anchor(fingerprint(finding)))


def key_of(finding: Finding) -> Plain:
    return Plain(fingerprint(finding))


AUDIT_ACTIONS = {"login": "登录", "login_failed": "登录失败", "login_throttled": "登录受限",
                 "logout": "退出", "view_candidate": "查看人选", "open_file": "打开文件",
                 "user_add": "新增用户", "user_remove": "删除用户", "user_passwd": "更改密码",
                 "user_logout": "结束会话",
                 **{f"decision:{k.value}": label for k, label in KIND_LABELS.items()},
                 **{f"undo:{k.value}": f"撤销{label}" for k, label in KIND_LABELS.items()}}
assert all(kind in KIND_LABELS for kind in DecisionKind)

URLS = {
    "candidate_url": lambda candidate_id: Plain(candidate_path(candidate_id)),
    "unit_url": lambda name: Plain(unit_path(name)),
    "file_url": lambda sha256: Plain(f"/files/{sha256}"),
    "raw_url": lambda sha256: Plain(f"/files/{sha256}/raw"),
    "page_url": lambda sha256, number: Plain(f"/files/{sha256}/pages/{number}"),
    "action_url": lambda *parts: Plain("/" + "/".join(str(p) for p in parts)),
    "unit_action_url": lambda name, action: Plain(f"{unit_path(name)}/{action}"),
}


def _environment(mask: bool) -> Environment:
    environment = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        finalize=masked if mask else None,
    )
    environment.filters.update(
        severity_label=severity_label, severity_name=severity_name, check_title=check_title,
        kind_label=lambda kind: FILE_KIND_LABELS.get(kind, kind), anchor=anchor_of, key=key_of,
        field_label=lambda name: FIELD_LABELS.get(name, name), plain=Plain,
        local=local_time_text, action_label=lambda action: AUDIT_ACTIONS.get(action, action),
    )
    environment.globals.update(
        FILE_KIND_LABELS=FILE_KIND_LABELS, ACCEPT_REASONS=ACCEPT_REASONS,
        CONTACT_METHODS=CONTACT_METHODS, SEVERITY_LABELS=SEVERITY_LABELS, **URLS,
    )
    return environment


@cache
def masked_environment() -> Environment:
    return _environment(mask=True)


@cache
def open_environment() -> Environment:
    return _environment(mask=False)


def render(request: Request, template: str, status: int = 200, reveal: bool = False,
           **context: object) -> HTMLResponse:
    """A page for the member of staff making the request (or for nobody yet: log-in).
    ``reveal``: personal numbers shown whole (the candidate page)."""
    environment = open_environment() if reveal else masked_environment()
    visitor = getattr(request.state, "visitor", None)
    page = environment.get_template(template).render(
        visitor=visitor, csrf=Plain(visitor.csrf_token if visitor else ""),
        here=Plain(request.url.path), zone=request.app.state.workspace.campaign.timezone,
        **context)
    return HTMLResponse(page, status_code=status)
