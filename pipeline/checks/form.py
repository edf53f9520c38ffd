"""Checks on one application form (Attachment 1)."""

from __future__ import annotations

from pipeline.catalog import Finding
from pipeline.checks import CheckContext
from pipeline.models import Candidate

# Required fields of checks.md's FIELD_MISSING, with the form's own label for each.
REQUIRED_COVER = {"recommender": "推荐单位", "candidate_name": "人选姓名", "employer": "所在单位",
                  "engineering_field": "工程领域"}
REQUIRED_FIELDS = {
    "classified": "涉密", "name": "姓名", "gender": "性别", "birth_date": "出生日期",
    "ethnicity": "民族", "nationality": "国籍", "political_status": "政治面貌",
    "education": "最高学历", "degree": "最高学位", "title": "专业技术职务",
    "discipline_1": "所属一级学科", "id_type": "证件类型", "id_number": "证件号码",
    "employer_and_position": "工作单位及职务", "employer_region": "工作单位行政区划",
    "employer_nature": "工作单位性质", "mobile": "手机", "email": "电子邮箱",
    "address": "通信地址", "postcode": "邮编",
}


def missing_fields(candidate: Candidate) -> list[str]:
    form = candidate.form
    missing = [label for attr, label in REQUIRED_COVER.items()
               if getattr(form.cover, attr) in (None, "")]
    if form.cover.engineering_field is None and form.fields.domain is not None:
        missing.remove("工程领域")  # ticked in section 一 instead of on the cover
    missing += [label for attr, label in REQUIRED_FIELDS.items()
                if getattr(form.fields, attr) in (None, "")]
    return missing


def check_required_fields(candidate: Candidate, context: CheckContext) -> list[Finding]:
    missing = missing_fields(candidate)
    if not missing:
        return []
    return [Finding.of("FIELD_MISSING", file=candidate.form_file.name, candidate=candidate.name,
                       recommender=candidate.recommender, fields="、".join(missing))]


RULES = [check_required_fields]
