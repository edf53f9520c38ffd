"""Attachment 2, item by item: which of a candidate's files satisfies each item, and how
the proofs of items 3 to 6 are told by their names and their text.

The keys are register.json's ``checklist`` keys (../shared/spec/design.md). An item is
satisfied by a file whose kind, or one of whose documents' kinds, is listed for it.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    # item 3: its own proofs (验收, 成果证明), and what else proves a representative result
    "achievement_proof": (("achievement_proof", "evaluation_report", "benefit_proof", "ip_cert",
                           "award_cert", "paper"), "代表性成果证明"),
    "benefit_proof": (("benefit_proof",), "经济社会效益证明"),
    "ip_proof": (("evaluation_report", "ip_cert"), "成果评价报告及知识产权证明"),
    "paper_award_proof": (("paper", "award_cert"), "论文及表彰证明"),
    "public_notice": (("public_notice",), "单位公示材料"),
}

# The findings that ask a unit for an item's files: a mail bringing such a file is the one
# that settled the finding (pipeline.review.answers). Other findings of a candidate are
# about the form, and a new form settles them.
ASKED_ITEMS: dict[str, str] = {
    "PHOTO_MISSING": "photo", "PHOTO_SPEC": "photo", "PHOTO_NAME": "photo",
    "BIO_MISSING": "bio", "BIO_LENGTH": "bio", "ID_COPY_MISSING": "id_copy",
    "DIPLOMA_COPY_MISSING": "diploma_copy", "DEGREE_COPY_MISSING": "degree_copy",
    "TITLE_CERT_MISSING": "title_cert", "AWARD_CERT_MISSING": "award_certs",
    "ACHIEVEMENT_PROOF_MISSING": "achievement_proof", "BENEFIT_PROOF_MISSING": "benefit_proof",
    "IP_PROOF_MISSING": "ip_proof", "PAPER_AWARD_PROOF_MISSING": "paper_award_proof",
    "PUBLIC_NOTICE_MISSING": "public_notice",
}


def kinds_of(file: PackageFile) -> set[str]:
    return {file.kind} | {item.kind for item in file.items}


def files_for(candidate: Candidate, item: str) -> list[PackageFile]:
    wanted = set(CHECKLIST[item][0])
    return [f for f in candidate.files if kinds_of(f) & wanted]


def checklist_of(candidate: Candidate) -> dict[str, list[PackageFile]]:
    """Every item with the files that satisfy it (empty list: missing)."""
    return {item: files_for(candidate, item) for item in CHECKLIST}


@dataclass(frozen=True)
class ProofWords:
    """How one kind of proof is told: its file name (``names``, a regular expression on a
    name or folder: ``pipeline.intake.kinds``) and its text (``pipeline.intake.classify``):
    ``titles`` it is headed with (counting double in a page's heading), ``words`` and
    ``patterns`` (regular expressions) found anywhere, each with its weight."""

    names: str
    titles: tuple[tuple[str, float], ...] = ()
    words: tuple[tuple[str, float], ...] = ()
    patterns: tuple[tuple[str, float], ...] = ()


# The proofs of Attachment 2 items 3 to 6 that are no certificate (the IP and award
# certificates are told with the other certificates' formulas, in classify), as units name
# and head them. Precedence among kinds is pipeline.intake.kinds' order.
PROOF_WORDS: dict[str, ProofWords] = {
    # 5. 成果评价报告: evaluation, its forerunner the 鉴定, and the novelty search (查新)
    "evaluation_report": ProofWords(
        r"评价报告|成果评价|鉴定|查新",
        titles=(("科技成果评价报告", 5), ("成果评价报告", 4), ("评价报告", 3), ("鉴定证书", 4),
                ("查新报告", 4)),
        words=(("评价结论", 3), ("评价意见", 2), ("评价委员会", 2), ("鉴定意见", 3), ("鉴定委员会", 2),
               ("鉴定", 1.5), ("查新结论", 3), ("查新", 2)),
        patterns=((r"(国际|国内)(领先|先进)水平", 2),)),
    # 4. 经济效益或社会效益: the users' 应用证明 with figures
    "benefit_proof": ProofWords(
        r"效益|应用证明|使用证明|用户证明",
        titles=(("应用情况证明", 4), ("应用证明", 4), ("效益证明", 4), ("使用证明", 3), ("用户证明", 3)),
        words=(("经济效益", 2), ("社会效益", 2), ("新增产值", 3), ("新增利润", 3), ("新增销售额", 3),
               ("特此证明", 1)),
        patterns=((r"节约.{0,6}万元", 2), (r"\d+(\.\d+)?万元", 1))),
    # 6. 论文 (见刊截图): a paper's apparatus
    "paper": ProofWords(
        r"论文|期刊|见刊|发表",
        words=(("论文", 1.5), ("期刊", 1.5), ("摘要", 2), ("关键词", 2), ("中图分类号", 3),
               ("文献标识码", 3), ("参考文献", 2), ("收稿日期", 2), ("文章编号", 2), ("作者简介", 1.5)),
        patterns=((r"(?i)doi[:：]?10\.", 3), (r"(?i)issn", 3), (r"CN\d{2}-\d{4}", 3),
                  (r"(?i)abstract", 2), (r"(?i)key ?words", 2), (r"第\d+卷第\d+期|\d{4}年第\d{1,2}期", 2))),
    # 3. 代表性成果 in the notice's four types (重大工程建设, 重大装备制造, “卡脖子”关键核心技术
    # 攻关, 重大发明创造): the project's acceptance (验收), a 成果证明 or 成果登记
    "achievement_proof": ProofWords(
        r"成果证明|成果材料|代表性成果|主要成果|成果登记|验收|重大工程|重大装备|卡脖子|攻关|发明创造",
        titles=(("项目验收证书", 5), ("验收证书", 4), ("验收意见", 4), ("验收报告", 4), ("成果证明", 4),
                ("科技成果登记证书", 5), ("成果登记", 3)),
        words=(("验收结论", 3), ("验收委员会", 2), ("验收专家组", 2), ("通过验收", 2), ("关键核心技术", 1.5),
               ("重大装备", 1), ("重大工程", 1))),
}
