"""The exception report as one HTML page for a phone: Jinja2, autoescaped, every value masked."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.outputs.masking import mask_personal_data
from pipeline.outputs.report_view import ReportView, check_title, severity_label, severity_name


def masked(value: object) -> object:
    """Every ``{{ value }}`` of a template passes here before it is escaped."""
    if hasattr(value, "__html__"):  # already escaped (a macro's output): masked, kept as markup
        return Markup(mask_personal_data(str(value)))
    if isinstance(value, str):
        return mask_personal_data(value)
    return value


@cache
def template_environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("pipeline.outputs", "templates"),
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=True),
        undefined=StrictUndefined, finalize=masked, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["severity_label"] = severity_label
    environment.filters["severity_name"] = severity_name
    environment.filters["check_title"] = check_title
    return environment


def render_report_html(view: ReportView) -> str:
    return template_environment().get_template("exceptions.html.j2").render(view=view)
