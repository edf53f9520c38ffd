"""Every item of Attachment 2 has its file kind (issue 24, gap 2): 成果证明 (item 3) had
none, so its dossier part stayed empty and a 项目验收证书 counted for nothing. File names
as units write them; page texts as OCR returns them."""

from __future__ import annotations

import pytest

from pipeline.intake.classify import classify_pages
from pipeline.intake.kinds import classify_by_name
from pipeline.model.checklist import CHECKLIST, checklist_of
from pipeline.outputs.dossier import plan_dossier
from tests.builders.forms import sample_form
from tests.builders.records import a_candidate, a_file

# (file name as sent, its kind, the dossier part it goes to, the checklist items it fills)
NAMES = [
    ("贺振宇成果证明.pdf", "achievement_proof", "成果证明", {"achievement_proof"}),
    ("周立衡-项目验收证书.pdf", "achievement_proof", "成果证明", {"achievement_proof"}),
    ("大型矿用挖掘机竣工验收报告（盖章）.pdf", "achievement_proof", "成果证明", {"achievement_proof"}),
    ("代表性成果1-验收意见.jpg", "achievement_proof", "成果证明", {"achievement_proof"}),
    ("重大装备研制成果材料.pdf", "achievement_proof", "成果证明", {"achievement_proof"}),
    ("“卡脖子”关键技术攻关情况说明.docx", "achievement_proof", "成果证明", {"achievement_proof"}),
    ("科技成果登记证书.jpg", "achievement_proof", "成果证明", {"achievement_proof"}),
    ("经济效益证明.pdf", "benefit_proof", "效益证明", {"achievement_proof", "benefit_proof"}),
    ("社会效益证明（衡阳市住建局）.pdf", "benefit_proof", "效益证明",
     {"achievement_proof", "benefit_proof"}),
    ("用户应用证明（衡钢）.pdf", "benefit_proof", "效益证明", {"achievement_proof", "benefit_proof"}),
    ("科技成果评价报告.pdf", "evaluation_report", "评价报告与知识产权",
     {"achievement_proof", "ip_proof"}),
    ("成果鉴定证书.jpg", "evaluation_report", "评价报告与知识产权", {"achievement_proof", "ip_proof"}),
    ("科技查新报告.pdf", "evaluation_report", "评价报告与知识产权", {"achievement_proof", "ip_proof"}),
    ("发明专利证书ZL201910532178.4.pdf", "ip_cert", "评价报告与知识产权",
     {"achievement_proof", "ip_proof"}),
    ("论文见刊截图.png", "paper", "论文与表彰", {"achievement_proof", "paper_award_proof"}),
    ("发表论文目录及首页.pdf", "paper", "论文与表彰", {"achievement_proof", "paper_award_proof"}),
    ("市政府表彰文件.pdf", "award_cert", "获奖证书",
     {"achievement_proof", "award_certs", "paper_award_proof"}),
]


@pytest.mark.parametrize(("name", "kind", "part", "items"), NAMES)
def test_each_proof_of_attachment_2_has_its_kind_part_and_items(
        name: str, kind: str, part: str, items: set[str]) -> None:
    assert classify_by_name(name) == kind
    candidate = a_candidate(sample_form(0), unit="衡阳市机械工程学会")
    candidate.files.append(a_file(name, kind))
    filled = {item for item, files in checklist_of(candidate).items()
              if any(f.name == name for f in files)}
    assert filled == items
    placed = [title for title, parts in plan_dossier(candidate, []).sections
              if any(p.file.name == name for p in parts)]
    assert placed == [part]


ACCEPTANCE = """项 目 验 收 意 见
项目名称：大型矿用挖掘机智能控制系统研制
2024年6月12日，衡阳市科学技术局组织专家组对该项目进行验收。验收专家组听取了项目
组的汇报，审阅了相关资料，经质询和讨论，形成验收结论如下：项目完成了合同规定的
各项任务，同意通过验收。
验收专家组组长：李 明"""


def test_a_scanned_acceptance_opinion_is_an_achievement_proof_by_its_text() -> None:
    found = classify_pages([ACCEPTANCE], "扫描件001.pdf")
    assert (found.kind, found.items) == ("achievement_proof", [])


def test_a_benefit_proof_that_says_成果_stays_a_benefit_proof() -> None:
    text = ("应用证明\n周立衡同志主持完成的成果“大型矿用挖掘机智能控制系统”在我单位应用，"
            "新增产值3200万元，新增利润450万元。\n特此证明。")
    assert classify_pages([text], "扫描件002.pdf").kind == "benefit_proof"


def test_the_checklist_names_every_item_of_attachment_2_with_a_kind_of_its_own() -> None:
    """Items 3 to 6 each accept a kind that is theirs (not only others' proofs)."""
    own = {"achievement_proof": "achievement_proof", "benefit_proof": "benefit_proof",
           "ip_proof": "evaluation_report", "paper_award_proof": "paper"}
    for item, kind in own.items():
        assert kind in CHECKLIST[item][0], item
