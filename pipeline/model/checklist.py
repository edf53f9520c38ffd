"""Attachment 2, item by item: which of a candidate's files satisfies each item.

The keys are register.json's ``checklist`` keys (../shared/spec/design.md). An item is
satisfied by a file whose kind, or one of whose documents' kinds, is listed for it.
"""

from __future__ import annotations

from pipeline.model.models import Candidate, PackageFile

# checklist item -> file kinds that satisfy it, and its Chinese label for sheets and reports
CHECKLIST: dict[str, tuple[tuple[str, ...], str]] = {
    "photo": (("photo",), "照片（jpg）"),
    "bio": (("bio",), "个人简介"),
    "id_copy": (("id_copy",), "身份证复印件"),
    "diploma_copy": (("diploma_copy",), "毕业证书复印件"),
    "degree_copy": (("degree_copy",), "学位证书复印件"),
    "title_cert": (("title_cert",), "职称证书复印件"),
    "award_certs": (("award_cert",), "获奖证书复印件"),
    "achievement_proof": (("evaluation_report", "benefit_proof", "ip_cert", "award_cert", "paper"),
                          "代表性成果证明"),
    "benefit_proof": (("benefit_proof",), "经济社会效益证明"),
    "ip_proof": (("evaluation_report", "ip_cert"), "成果评价报告及知识产权证明"),
    "paper_award_proof": (("paper", "award_cert"), "论文及表彰证明"),
    "public_notice": (("public_notice",), "单位公示材料"),
}


def kinds_of(file: PackageFile) -> set[str]:
    return {file.kind} | {item.kind for item in file.items}


def files_for(candidate: Candidate, item: str) -> list[PackageFile]:
    wanted = set(CHECKLIST[item][0])
    return [f for f in candidate.files if kinds_of(f) & wanted]


def checklist_of(candidate: Candidate) -> dict[str, list[PackageFile]]:
    """Every item with the files that satisfy it (empty list: missing)."""
    return {item: files_for(candidate, item) for item in CHECKLIST}
