"""What a file is from its pages' text, whose it is, and which award or patent it proves.

Page texts are written the way an OCR engine returns them: spaces inside words, broken
lines, and now and then a wrong character (号玛 for 号码, 准子 for 准予).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extractors.records import ApplicationForm, AwardRow, FormFields, IpRow
from pipeline.intake.classify import classify_pages, document_items, find_word, judge_page
from pipeline.intake.text_linking import (
    describe_text_facts,
    owner_from_text,
    record_proofs,
    which_award,
    which_patent,
)
from pipeline.model.id_numbers import check_digit
from pipeline.model.models import Candidate, DocumentItem
from pipeline.store.files import FileStore
from tests.builders.records import a_candidate, a_file


def resident_id(first17: str) -> str:
    return first17 + check_digit(first17)


ZHANG_ID = resident_id("43040219800101001")  # ends in X
WANG_ID = resident_id("43040419750315123")
WANGWEI_ID = resident_id("43040619820720234")

# --- page texts as OCR returns them -----------------------------------------------------

ID_FRONT = f"""姓名 张 三
性别 男   民族 汉
出生 1980 年 1 月 1 日
住址 湖南省衡阳市蒸湘区
     红湘街道迎宾路7号
公民身份号玛 {ZHANG_ID.lower()}
"""
ID_BACK = """中华人民共和国
居 民 身 份 証
签发机关 衡阳市公安局蒸湘分局
有效期限 2015.03.01-2035.03.01
"""
DIPLOMA = """普通高等学校
毕 业 证
书
学生 张三 ，性别 男，一九八0年一月一日生，于一九九八年九月至
二00二年七月在本校机械设计制造及其自动化专业四年制本科学习，修完教学汁划规定的全部课程，
成绩合格，准子毕业。
校 名：湖南大学      校长：
证书编号：105321200205001234
二00二年七月一日
"""
DEGREE = """学 士 学 位 证 书
张三，男，1980年1月1日生。在湖南大学机械设计制造及其自动化
专业完成了本科学习计划，业已毕业，经审核符合《中华人民共和国学位条例》
的规定，授予工学学士学位。
湖南大学校长
学位评定委员会主席
证书编号：1053242002001234
二〇〇二年七月一日
"""
TITLE_CERT = """专业技术职务任职资恪证书
姓    名  张三
性    别  男
工作单位  衡阳重工机械有限公司
资格名称  高级工程师
专    业  机械工程
评审通过时间 2015年12月
评委会名称 湖南省机械工程专业高级职务评审委员会
管理号 HN2015GJ0123
湖南省人力资源和社会保障厅
"""
AWARD = """荣 誉 证 书
张三同志：
    你参与完成的“大型矿用挖掘机智能控制系统”项目荣获2021年度
湖南省科学技术进步奖二等奖。
    特发此证，以资鼓励。
湖南省人民政府
二〇二二年三月
"""
CITY_AWARD = """获 奖 证 书
为表彰在推动科学技术进步工作中做出突出贡献者，特颁发衡阳市科学技术进步奖
一等奖证书。
获奖项目：矿用挖掘机远程监控平台
获 奖 者：张三
衡阳市人民政府
二〇一九年十二月
"""
PATENT = """证书号第4567890号
发明专利证书
发 明 名 称：一种基于机器视觉的轴承缺陷检测方法
发 明 人：张三；李四
专 利 号：ZL 2019 1 0532178.4
专利申请日：2019年06月20日
专利权人：衡阳重工机械有限公司
授权公告日：2021年03月02日
国家知识产权局
"""
SOFTWARE = """中华人民共和国国家版权局
计算机软件著作权登记证书
证书号：软著登字第5678901号
软件名称：矿用挖掘机远程监控平台V1.0
著作权人：衡阳重工机械有限公司
登记号：2020SR123456
"""
STANDARD = """ICS 53.100
中华人民共和国机械行业标准
JB/T 14321—2022
矿用挖掘机 智能控制系统 技术条件
2022-09-30发布          2023-04-01实施
中华人民共和国工业和信息化部  发布
"""
EVALUATION = """科技成果评价报告
成果名称：大型矿用挖掘机智能控制系统研发及应用
完成单位：衡阳重工机械有限公司
评价机构：湖南省机械工程学会
评价结论
2022年6月18日，湖南省机械工程学会组织专家对该成果进行了评价。专家组听取了汇报，审查了资料，
经质询和讨论，形成如下意见：该项目获授权发明专利5项，专利号ZL201910532178.4等，近三年新增
产值3.2亿元，经济效益显著。该成果总体达到国际先进水平，其中控制算法达到国际领先水平。
"""
NOVELTY = """科技查新报告
查新项目名称：大型矿用挖掘机智能控制系统
委托人：衡阳重工机械有限公司
查新机构：湖南省科技信息研究所
查新结论：经检索，国内外未见与本项目查新点相同的文献报道。
"""
BENEFIT = """应 用 证 明
    我单位自2020年起采用衡阳重工机械有限公司研制的大型矿用挖掘机智能控制系统，系统运行稳定，
故障率降低40%。2021年至2023年累计新增产值12600万元，新增利润2100万元，节约维修成本860万元，
取得了显著的经济效益和社会效益。
    特此证明。
湖南XX矿业有限公司（盖章）
2024年3月10日
"""
PAPER = """第42卷 第5期           机 械 工 程 学 报          Vol.42 No.5
2023年5月        JOURNAL OF MECHANICAL ENGINEERING
基于深度学习的矿用挖掘机故障诊断方法
张三1，李四2
（1.衡阳重工机械有限公司，湖南衡阳421000；2.湖南大学机械与运载工程学院，湖南长沙410082）
摘 要：针对矿用挖掘机液压系统故障难以早期识别的问题，提出了一种基于深度学习的故障诊断方法。
关键词：矿用挖掘机；故障诊断；深度学习
中图分类号：TH17    文献标识码：A
DOI：10.3901/JME.2023.05.012
作者简介：张三（1978—），男，汉族，正高级工程师，主要研究方向为工程机械智能控制。
"""
PAPER_BODY = """1 引言
矿用挖掘机是露天矿山的核心装备，其液压系统工作环境恶劣，故障模式复杂。传统方法依赖人工经验，
2 方法
本文采用卷积神经网络提取振动信号特征，并结合长短期记忆网络建模时间序列。
"""
JOURNAL_COVER = """机械工程学报
JOURNAL OF MECHANICAL ENGINEERING
2023年 第5期
ISSN 0577-6686
CN 11-2187/TH
"""
NOTICE = """关于推荐张三同志为2025年衡阳市“卓越工程师”候选人的公示
根据《关于开展2025年衡阳市“卓越工程师”选树工作的通知》要求，经个人申报、单位推荐，拟推荐
张三同志为2025年衡阳市“卓越工程师”候选人。张三，男，汉族，1978年5月出生，正高级工程师，
现任衡阳重工机械有限公司总工程师，2000年毕业于湖南大学，主持完成的项目荣获湖南省科学技术进步奖
二等奖，授权发明专利8项，取得毕业证书、学位证书。现予公示，公示时间为2025年4月1日至4月7日。
公示期间如有异议，请向公司党委反映。
监督电话：0734-8888888
衡阳重工机械有限公司
2025年4月1日
"""
BIO = """个 人 简 介
张三，男，汉族，1978年5月出生，中共党员，正高级工程师，现任衡阳重工机械有限公司总工程师。
2000年毕业于湖南大学机械设计制造及其自动化专业，获工学学士学位，2008年获工程硕士学位。
长期从事矿用挖掘机智能控制技术研究，主持完成国家重点研发计划课题2项、省部级项目6项，
研制的大型矿用挖掘机智能控制系统填补国内空白。荣获湖南省科学技术进步奖二等奖1项、
衡阳市科技进步奖一等奖1项，授权发明专利8项，发表论文15篇，主持制定行业标准2项。
先后获评衡阳市优秀科技工作者、湖南省技术能手。
"""
# No title, and it names the 毕业证书, 学位证书, 奖 and 专利 of the certificates.
BIO_UNTITLED = """张三，男，汉族，1978年5月出生，中共党员，正高级工程师，现任衡阳重工机械有限公司总工程师。
2000年毕业于湖南大学机械设计制造及其自动化专业，取得毕业证书和工学学士学位证书，2008年获工程硕士
学位。长期从事矿用挖掘机智能控制技术研究，主持完成国家重点研发计划课题2项、省部级项目6项，研制的
大型矿用挖掘机智能控制系统填补国内空白，近三年新增产值3.2亿元。荣获湖南省科学技术进步奖二等奖1项、
衡阳市科技进步奖一等奖1项，授权发明专利8项（专利号ZL201910532178.4等），发表论文15篇，主持制定
行业标准2项。先后获评衡阳市优秀科技工作者、湖南省技术能手。
"""
# A 中国专利奖 certificate: an award, though it is full of patent fields.
PATENT_AWARD = """荣 誉 证 书
专利号：ZL201910532178.4
专利名称：一种基于机器视觉的轴承缺陷检测方法
专利权人：衡阳重工机械有限公司
荣获第二十三届中国专利优秀奖。
特发此证
国家知识产权局
"""
# A 学历证书 (a diploma) is not a misread 学位证书.
DIPLOMA_AS_学历证书 = """学 历 证 书
学生张三，于二〇〇五年九月至二〇〇八年七月在本校机械工程专业学习，学制三年，修完全部课程，成绩合格。
"""
# A bio far shorter than asked for: not running text, still a bio.
SHORT_BIO = """张三，男，汉族，1978年5月出生，正高级工程师。2000年毕业于湖南大学，取得毕业证书、
学位证书。荣获湖南省科学技术进步奖二等奖。"""
CERTIFICATE_OF_MERIT = """奖 状
张三同志：在2021年度工作中成绩突出，被评为先进工作者。特发此状，以资鼓励。
"""
BENEFIT_TITLED = """经济效益证明
兹证明衡阳重工机械有限公司研制的系统在我公司应用后，2023年新增销售额5000万元。特此证明。
"""
BLANK_SCAN = "  \n \n"


def kind_of(text: str, name: str = "扫描件001.pdf") -> str:
    return classify_pages([text], name).kind


# --- one document per file, every kind ---------------------------------------------------


@pytest.mark.parametrize(("text", "kind"), [
    (ID_FRONT, "id_copy"), (ID_BACK, "id_copy"), (DIPLOMA, "diploma_copy"),
    (DEGREE, "degree_copy"), (TITLE_CERT, "title_cert"), (AWARD, "award_cert"),
    (CITY_AWARD, "award_cert"), (PATENT, "ip_cert"), (SOFTWARE, "ip_cert"),
    (STANDARD, "ip_cert"), (EVALUATION, "evaluation_report"), (NOVELTY, "evaluation_report"),
    (BENEFIT, "benefit_proof"), (PAPER, "paper"), (JOURNAL_COVER, "paper"),
    (NOTICE, "public_notice"), (BIO, "bio"), (CERTIFICATE_OF_MERIT, "award_cert"),
    (BENEFIT_TITLED, "benefit_proof"),
])
def test_a_page_is_known_by_its_content(text: str, kind: str) -> None:
    result = classify_pages([text], "扫描件001.pdf")
    assert (result.kind, result.items) == (kind, [])
    assert result.confidence >= 0.7
    assert result.reasons and kind in result.reasons[0]


@pytest.mark.parametrize(("text", "kind"), [
    (BIO_UNTITLED, "bio"),  # mentions 毕业证书, 学位证书, 奖, 专利号: still running text about a person
    (SHORT_BIO, "bio"),  # too short for running text: the certificates are only mentioned
    (NOTICE, "public_notice"),  # a person's bio, awards and certificates inside a 公示
    (PATENT_AWARD, "award_cert"),  # a patent award certificate, full of patent fields
    (EVALUATION, "evaluation_report"),  # names patents and 经济效益
    (DEGREE, "degree_copy"),  # says 业已毕业
    (PAPER, "paper"),  # has an 作者简介
    (DIPLOMA_AS_学历证书, "diploma_copy"),
])
def test_a_document_that_mentions_another_is_not_taken_for_it(text: str, kind: str) -> None:
    assert kind_of(text) == kind


def test_ocr_errors_spaces_and_broken_lines_are_tolerated() -> None:
    assert find_word("公民身份号码", "公民身份号玛4304") == (0, False)
    assert find_word("准予毕业", "成绩合格准子毕业") == (4, False)
    assert find_word("学位证书", "学历证书", avoid={"学历证书"}) is None
    assert find_word("论文", "论丈") is None  # short words must be exact
    verdict = judge_page(DIPLOMA)  # 毕 业 证 / 书 across a line break, 准子毕业, 教学汁划
    assert verdict.kind == "diploma_copy" and verdict.decisive
    assert any("识别为准子毕业" in sign for sign in verdict.signs)


def test_reasons_never_show_an_id_number() -> None:
    reasons = " ".join(classify_pages([ID_FRONT], "a.pdf").reasons)
    assert "身份证号码" in reasons and ZHANG_ID not in reasons.upper()


# --- several documents in one file ------------------------------------------------------


def test_all_copies_scanned_into_one_pdf_give_documents_with_page_ranges() -> None:
    result = classify_pages([ID_FRONT, ID_BACK, DIPLOMA, DEGREE, TITLE_CERT, AWARD], "张三证件.pdf")
    assert result.items == [DocumentItem("id_copy", "1-2"), DocumentItem("diploma_copy", "3"),
                            DocumentItem("degree_copy", "4"), DocumentItem("title_cert", "5"),
                            DocumentItem("award_cert", "6")]
    assert result.kind == "id_copy"  # no kind in the name: most pages, then the first
    assert len(result.reasons) == 6


def test_the_main_kind_is_the_one_the_name_names() -> None:
    result = classify_pages([ID_FRONT, ID_BACK, DIPLOMA, DEGREE], "张三-学位证.pdf")
    assert result.kind == "degree_copy"
    assert [item.pages for item in result.items] == ["1-2", "3", "4"]


def test_else_the_kind_with_most_pages() -> None:
    result = classify_pages([PATENT, EVALUATION, EVALUATION, EVALUATION], "成果材料.pdf")
    assert result.kind == "evaluation_report"
    assert result.items == [DocumentItem("ip_cert", "1"), DocumentItem("evaluation_report", "2-4")]


def test_pages_without_signs_continue_their_document() -> None:
    result = classify_pages([PAPER, PAPER_BODY, PAPER_BODY, BLANK_SCAN], "论文1.pdf")
    assert (result.kind, result.items) == ("paper", [])
    leading = classify_pages([BLANK_SCAN, BIO], "材料.pdf")
    assert (leading.kind, leading.items) == ("bio", [])


def test_document_items_join_adjacent_pages() -> None:
    kinds = ["award_cert", "award_cert", "ip_cert", "award_cert"]
    assert document_items(kinds) == [DocumentItem("award_cert", "1-2"), DocumentItem("ip_cert", "3"),
                                     DocumentItem("award_cert", "4")]


# --- the name as support ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "folder", "kind"), [
    ("张三-身份证.jpg", "", "id_copy"),
    ("扫描1.jpg", "张三/职称证", "title_cert"),
    ("张三+19800101.jpg", "", "photo"),
    ("公示.pdf", "", "public_notice"),
])
def test_without_text_the_name_decides(name: str, folder: str, kind: str) -> None:
    result = classify_pages([BLANK_SCAN], name, folder)
    assert (result.kind, result.items) == (kind, [])
    assert 0 < result.confidence < 0.5
    assert any("文件名" in reason for reason in result.reasons)


def test_a_name_with_several_kinds_gives_several_documents_without_pages() -> None:
    result = classify_pages([], "张三毕业证、学位证.pdf")
    assert result.kind == "diploma_copy"
    assert result.items == [DocumentItem("diploma_copy"), DocumentItem("degree_copy")]


def test_no_text_and_no_telling_name_is_other_with_a_reason() -> None:
    for pages in ([], [BLANK_SCAN, ""]):
        result = classify_pages(pages, "IMG_20250402_0931.jpg")
        assert (result.kind, result.items, result.confidence) == ("other", [], 0.0)
        assert "无文字内容" in result.reasons[0]
    garbage = classify_pages(["l1 | ., ~ 口 口"], "scan.pdf")
    assert garbage.kind == "other" and "无可识别特征" in garbage.reasons[0]


def test_weak_text_follows_the_name() -> None:
    weak = "张三同志荣获"  # one weak sign of an award
    assert judge_page(weak).kind == "award_cert" and not judge_page(weak).decisive
    assert kind_of(weak, "张三-获奖证书.jpg") == "award_cert"
    assert kind_of(weak, "张三-身份证.jpg") == "id_copy"
    unnamed = classify_pages([weak], "scan.jpg")
    assert unnamed.kind == "award_cert" and unnamed.confidence <= 0.35


def test_clear_content_beats_a_wrong_name() -> None:
    result = classify_pages([DIPLOMA], "张三-身份证.jpg")
    assert result.kind == "diploma_copy"
    assert any("文件名" in reason for reason in result.reasons)
    assert result.confidence < classify_pages([DIPLOMA], "张三-毕业证.jpg").confidence


def test_classification_is_fast() -> None:
    pages = [BIO_UNTITLED + EVALUATION + PAPER_BODY * 10] * 40
    started = time.perf_counter()
    classify_pages(pages, "x.pdf")
    assert time.perf_counter() - started < 2.0


# --- whose file -------------------------------------------------------------------------


def a_person(name: str, id_number: str | None = None, awards: list[AwardRow] | None = None,
             ip: list[IpRow] | None = None) -> Candidate:
    return a_candidate(ApplicationForm(fields=FormFields(name=name, id_number=id_number),
                                       awards=awards or [], ip=ip or []))


@pytest.fixture
def people() -> list[Candidate]:
    return [a_person("王伟明", WANG_ID), a_person("王伟", WANGWEI_ID),
            a_person("张三", ZHANG_ID), a_person("李娜"), a_person("李娜")]


def test_the_owner_by_id_number_beats_a_name(people: list[Candidate]) -> None:
    text = [f"姓名 王伟明\n公民身份号码 {WANGWEI_ID}"]
    assert owner_from_text(text, people) is people[1]
    assert owner_from_text([ID_FRONT], people) is people[2]  # lower-case x, spaced name


def test_the_owner_by_name_longest_first(people: list[Candidate]) -> None:
    assert owner_from_text(["王伟明同志荣获衡阳市科技进步奖"], people) is people[0]
    assert owner_from_text(["王伟同志荣获衡阳市科技进步奖"], people) is people[1]


@pytest.mark.parametrize("text", [
    "李娜同志荣获",  # two candidates share the name
    "王伟明、张三同志荣获",  # two candidates named
    f"{WANG_ID} {ZHANG_ID}",  # two ID numbers
    "赵六同志荣获",  # nobody
    "",
])
def test_no_owner_when_unsure(people: list[Candidate], text: str) -> None:
    assert owner_from_text([text], people) is None


# --- which award, which patent ----------------------------------------------------------

PROVINCE_2021 = AwardRow("1", "2022.03", "湖南省科学技术进步奖二等奖", "省部级/第2", "主持")
CITY_2019 = AwardRow("2", "2019.12", "衡阳市科技进步奖", "一等奖/第1", "主持")
PROVINCE_2017 = AwardRow("3", "2017.12", "2017年度湖南省科技进步奖（三等奖）", "省部级/第5", "参与")
AWARDS = [PROVINCE_2021, CITY_2019, PROVINCE_2017]


@pytest.mark.parametrize(("text", "row"), [
    (AWARD, PROVINCE_2021),  # 科学技术进步奖 for 科技进步奖, the grade and year tell it from 2017
    (CITY_AWARD, CITY_2019),  # 科学技术进步奖一等奖证书 for 衡阳市科技进步奖
    ("荣誉证书 张三 2017年度湖南省科技进步三等奖 湖南省人民政府", PROVINCE_2017),
    ("荣誉证书 张三同志 荣获科学技术进步奖二等奖 湖南省人民政府 二〇二二年", PROVINCE_2021),
    ("荣誉证书 湖南省科学技术迸步奖 二等奖", PROVINCE_2021),  # one wrong character
    (PATENT_AWARD, None),
    ("荣誉证书 湖南省科学技术进步奖", None),  # 2021 or 2017: cannot tell
])
def test_which_award(text: str, row: AwardRow | None) -> None:
    assert which_award(text, AWARDS) is row


BEARING = IpRow("1", "发明专利：一种基于机器视觉的轴承缺陷检测方法（ZL201910532178）", "2021", "1", "", "")
SENSOR = IpRow("2", "一种矿用挖掘机液压系统压力传感装置 ZL202020123456.7", "2021", "1", "", "")
PLATFORM = IpRow("3", "矿用挖掘机远程监控平台V1.0（2020SR123456）", "2020", "1", "", "")
STANDARD_ROW = IpRow("4", "JB/T 14321-2022 矿用挖掘机 智能控制系统 技术条件", "2022", "2", "", "")
CONTROL = IpRow("5", "一种挖掘机斗杆自适应控制方法", "2022", "1", "", "")
IP_ROWS = [BEARING, SENSOR, PLATFORM, STANDARD_ROW, CONTROL]


@pytest.mark.parametrize(("text", "row"), [
    (PATENT, BEARING),  # ZL 2019 1 0532178.4 against ZL201910532178: spaces, dot, check digit
    ("实用新型专利证书 专利号：ZL 2020 2 0123456.7", SENSOR),
    ("专利号：ZL202020123456", SENSOR),  # without the check digit
    (SOFTWARE, PLATFORM),
    (STANDARD, STANDARD_ROW),
    ("发明专利证书 发明名称：一种挖掘机斗杆自适应控制方法 专利号：ZL 2022 1 0999999.1", CONTROL),
    ("发明专利证书 发明名称：一种挖掘机斗秆自适应控制方法", CONTROL),  # by title, one wrong character
    ("发明专利证书 发明名称：一种电动汽车电池热管理系统 专利号：ZL202110000001.2", None),
])
def test_which_patent(text: str, row: IpRow | None) -> None:
    assert which_patent(text, IP_ROWS) is row


# --- facts --------------------------------------------------------------------------------


def test_text_facts_count_characters_and_find_id_numbers() -> None:
    file = a_file("张三身份证.pdf", "id_copy")
    describe_text_facts(file, [ID_FRONT, ID_BACK])
    assert file.facts["id_numbers"] == [ZHANG_ID]
    assert file.facts["text_chars"] == sum(1 for ch in ID_FRONT + ID_BACK if not ch.isspace())


def test_no_text_no_facts_and_a_measured_length_is_kept() -> None:
    scanned = a_file("简介.pdf", "bio")
    describe_text_facts(scanned, [BLANK_SCAN])
    assert scanned.facts == {}
    measured = a_file("简介.docx", "bio")
    measured.facts["text_chars"] = 301
    describe_text_facts(measured, [BIO])
    assert measured.facts == {"text_chars": 301, "id_numbers": []}


def test_proofs_are_read_from_certificate_pages_only() -> None:
    candidate = a_person("张三", ZHANG_ID, awards=AWARDS, ip=IP_ROWS)
    items = [DocumentItem("award_cert", "1-2"), DocumentItem("ip_cert", "3-4"),
             DocumentItem("bio", "5")]
    file = a_file("张三证书.pdf", "award_cert", items=items)
    pages = [AWARD, CITY_AWARD, PATENT, SOFTWARE, BIO_UNTITLED]
    record_proofs(file, pages, candidate)
    assert file.facts["proves_awards"] == [PROVINCE_2021.name, CITY_2019.name]
    assert file.facts["proves_patents"] == [BEARING.name, PLATFORM.name]


def test_a_notice_listing_every_award_proves_none() -> None:
    candidate = a_person("张三", awards=AWARDS, ip=IP_ROWS)
    notice = a_file("公示.pdf", "public_notice")
    record_proofs(notice, [NOTICE], candidate)
    assert notice.facts == {}
    unread = a_file("获奖证书.jpg", "award_cert")
    record_proofs(unread, [BLANK_SCAN], candidate)
    assert unread.facts == {}
    unmatched = a_file("获奖证书.jpg", "award_cert")
    record_proofs(unmatched, [PATENT_AWARD], candidate)
    assert unmatched.facts == {"proves_awards": []}


def test_a_page_holding_two_certificates_proves_both() -> None:
    candidate = a_person("张三", awards=AWARDS)
    file = a_file("获奖证书.pdf", "award_cert")
    record_proofs(file, [AWARD + "\n" + CITY_AWARD], candidate)
    assert file.facts["proves_awards"] == [PROVINCE_2021.name, CITY_2019.name]


# --- the text cache -----------------------------------------------------------------------


def test_extracted_text_is_cached_by_content_hash_and_key(tmp_path: Path) -> None:
    sha = "ab" * 32
    pages = [{"number": 1, "text": "居民身份证", "source": "ocr", "seconds": 1.5},
             {"number": 2, "text": "", "source": "ocr", "seconds": 0.2}]
    files = FileStore(tmp_path)
    assert files.cached_text(sha, "tesseract") is None
    files.cache_text(sha, "tesseract", {"pages": pages})
    files.cache_text(sha, "text-layer", {"pages": []})
    assert files.cached_text(sha, "tesseract") == {"pages": pages}
    reopened = FileStore(tmp_path)
    assert reopened.cached_text(sha, "text-layer") == {"pages": []}
    reopened.cache_text(sha, "text-layer", {"pages": pages[:1]})  # a new reading replaces the old
    assert reopened.cached_text(sha, "text-layer") == {"pages": pages[:1]}
    assert reopened.cached_text("cd" * 32, "tesseract") is None
