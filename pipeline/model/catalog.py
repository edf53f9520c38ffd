"""The check catalog: every code of ../shared/spec/checks.md, its severity and its
Chinese message, in one table. A finding is made only through ``Finding.of``, so a
code, a severity or a wording lives here and nowhere else. A finding about a file that
could not be read keeps the extractor's ``Failure`` in its details; its ``{reason}`` is
rendered from the reasons table beside this one (``pipeline.model.reasons``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from string import Formatter
from typing import Any

from pydantic_core import core_schema

from extractors.records import Failure
from pipeline.model.reasons import reason_text


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    title: str  # short Chinese name, for the report's headings and filters
    message: str  # str.format template; placeholders are filled from the finding's details


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 (short, for the table)

CHECKS = [
    # package level
    Check("LATE_SUBMISSION", E, "逾期报送", "邮件于{received}收到，晚于截止时间{deadline}"),
    Check("FORM_NOT_WORD", E, "申报表非Word格式", "申报表只有“{file}”（{format}），电子版须为Word格式，不得用PDF"),
    Check("FORM_LEGACY_FORMAT", I, "申报表为旧格式", "申报表“{file}”为.{format}格式，已自动转换后读取"),
    Check("UNREADABLE_FILE", E, "文件无法读取", "文件“{file}”无法读取：{reason}"),
    Check("ARCHIVE_REJECTED", E, "压缩包被拒收", "压缩包“{file}”未解压：{reason}"),
    Check("UNASSIGNED_FILE", W, "附件无法对应人选", "附件“{file}”无法对应到本单位的任何人选"),
    Check("RESUBMISSION", I, "重新报送", "{candidate}的申报表“{file}”替换了先前报送的版本{previous}"),
    Check("LIMIT_EXCEEDED", W, "超出处理上限", "文件“{file}”只读取了一部分：{reason}"),
    Check("CLOUD_ATTACHMENT", W, "超大附件未随邮件附上", "邮件正文中的{count}个超大附件未随邮件附上，无法读取，其所证明的材料按未提供处理：{files}；请将这些文件作为邮件附件直接发送（可分多封邮件），或确保在到期前可供下载"),
    Check("RECOMMENDER_NOT_ELIGIBLE", W, "推荐单位不符", "推荐单位“{recommender}”不是县市区科协、市级学会（协会、联合会）、高校科协或园区科协"),
    # run level: kept with the run (its summary), shown in the report
    Check("OUTPUT_FAILED", E, "输出文件未生成", "输出文件“{file}”本次未能生成（{reason}），{consequence}；其余输出已生成，下次运行将重新生成"),
    # recommending-unit level
    Check("SUMMARY_TABLE_MISSING", E, "缺汇总表", "{recommender}未报送附件3申报汇总表{detail}"),
    Check("SUMMARY_MISMATCH", E, "汇总表与申报表不一致", "汇总表{detail}"),
    Check("YOUTH_RATIO_LOW", W, "青年比例不足", "{recommender}推荐{total}人，{cutoff}以后出生的{youth}人，占{ratio}，低于{minimum}"),
    # candidate level: the form
    Check("FIELD_MISSING", E, "必填项缺失", "申报表“{file}”未填写：{fields}"),
    Check("DOMAIN_CHOICE_INVALID", E, "工程领域选择有误", "申报表“{file}”工程领域{detail}"),
    Check("DATE_FORMAT", W, "出生日期不完整", "申报表“{file}”出生日期“{value}”{detail}，应填写到年月日（如1980年1月1日）"),
    Check("ID_NUMBER_INVALID", E, "身份证号码无效", "申报表“{file}”证件类型为“{id_type}”，证件号码“{value}”{detail}"),
    Check("ID_BIRTHDATE_MISMATCH", E, "身份证号与出生日期不符", "申报表“{file}”证件号码“{value}”中的出生日期{id_birth}与填写的出生日期{birth}不一致"),
    Check("ID_GENDER_MISMATCH", E, "身份证号与性别不符", "申报表“{file}”证件号码“{value}”第17位显示性别为{id_gender}，填写的性别为{gender}"),
    Check("CONTACT_INVALID", W, "联系方式有误", "申报表“{file}”{field}“{value}”{detail}"),
    Check("CLASSIFIED_INCONSISTENT", W, "涉密与密级矛盾", "申报表“{file}”国防军工涉密填“{classified}”，密级填“{level}”，二者矛盾"),
    Check("STUDY_HISTORY_EMPTY", E, "学习经历为空", "申报表“{file}”二、主要学习经历未填写"),
    Check("WORK_HISTORY_EMPTY", E, "工作经历为空", "申报表“{file}”三、主要工作经历未填写"),
    Check("HISTORY_TOO_MANY_ROWS", W, "经历超过6项", "申报表“{file}”{section}填写了{count}项，超过{limit}项，相似经历应合并填写"),
    Check("HISTORY_DATE_PRECISION", W, "经历时间未精确到月", "申报表“{file}”{section}第{row}行起止年月“{value}”{detail}，时间应精确到月"),
    Check("TIMELINE_GAP", W, "经历断档", "申报表“{file}”学习、工作经历在{start}至{end}之间断档{months}个月，超过{limit}个月"),
    Check("ACHIEVEMENT_EMPTY", E, "主要成就为空", "申报表“{file}”四、在工程技术方面的主要成就和贡献未填写"),
    Check("ACHIEVEMENT_TOO_LONG", E, "主要成就超字数", "申报表“{file}”四、在工程技术方面的主要成就和贡献共{count}字，超过{limit}字"),
    Check("RESULTS_EMPTY", E, "无代表性成果", "申报表“{file}”五、代表性工程技术成果未填写"),
    Check("RESULTS_TOO_MANY", E, "代表性成果超过3项", "申报表“{file}”五、代表性工程技术成果填写了{count}项，超过{limit}项"),
    Check("RESULT_CATEGORY_INVALID", W, "成果类别不符", "申报表“{file}”五、代表性工程技术成果第{row}项“{name}”的类别“{value}”不是{allowed}之一"),
    Check("TEXT_TOO_LONG", E, "栏目超字数", "申报表“{file}”{section}第{row}行“{item}”的“{column}”共{count}字，超过{limit}字"),
    Check("ORGS_TOO_MANY", W, "组织任职超过5项", "申报表“{file}”六、重要组织任职情况填写了{count}项，超过{limit}项"),
    Check("IP_TOO_MANY", W, "知识产权超过5项", "申报表“{file}”七、重要知识产权及标准情况填写了{count}项，超过{limit}项"),
    Check("AWARDS_TOO_MANY", W, "奖项超过5项", "申报表“{file}”八、重要奖项情况填写了{count}项，超过{limit}项"),
    Check("AWARDS_BLANK", E, "奖项栏空白", "申报表“{file}”八、重要奖项情况留空，无奖项时应填写“无相关奖励”"),
    Check("AWARD_LEVEL_LOW", W, "奖项级别低于省部级", "申报表“{file}”八、重要奖项情况第{row}项“{award}”（奖励等级“{level}”）含“{word}”，只应填写省部级及以上奖励"),
    Check("RESULT_BEFORE_2012", W, "成果早于党的十八大", "申报表“{file}”{section}第{row}项“{item}”时间为“{date}”，早于{since}（党的十八大以来）"),
    Check("PHOTO_NOT_IN_FORM", W, "申报表未插入照片", "申报表“{file}”未插入照片"),
    Check("FORM_OUTDATED", W, "申报表非本次附件1", "申报表“{file}”标题为“{title}”，{detail}，不是本次活动的附件1申报表；已按其内容尽量读取"),
    # candidate level: eligibility
    Check("TITLE_BELOW_ENGINEER", E, "职称低于工程师", "申报表“{file}”专业技术职务“{title}”低于工程师，须具有工程师及以上职称"),
    Check("TITLE_UNRECOGNISED", W, "职称需人工判断", "申报表“{file}”专业技术职务“{title}”无法判断是否为工程师及以上，请人工核对"),
    Check("ADMIN_LEVEL_TOO_HIGH", E, "行政级别过高", "申报表“{file}”行政级别为“{level}”，原则上不推荐厅局级及以上人员"),
    Check("ADMIN_LEVEL_DIVISION", I, "处级人选", "申报表“{file}”行政级别为“{level}”，计入处级人选（不超过{ratio}）"),
    Check("PRIOR_HONOREE", E, "已获排除性荣誉", "{candidate}已获“{honour}”（{source}），原则上不再推荐"),
    Check("DUPLICATE_CANDIDATE", E, "重复推荐", "{candidate}（{identity}）被{units}重复推荐"),
    Check("YOUTH", I, "青年人选", "{candidate}出生日期为{birth}，在{cutoff}及以后出生，属青年人选"),
    # candidate level: attachments
    Check("PHOTO_MISSING", E, "缺照片文件", "未单独提供jpg格式照片"),
    Check("PHOTO_SPEC", W, "照片规格不符", "照片“{file}”为{detail}，要求jpg格式、{height}像素高×{width}像素宽"),
    Check("PHOTO_NAME", W, "照片命名不符", "照片文件名“{file}”应为“{expected}”"),
    Check("BIO_MISSING", E, "缺个人简介", "未提供300字左右的个人简介"),
    Check("BIO_LENGTH", W, "简介字数不符", "个人简介“{file}”共{count}字，应在{minimum}至{maximum}字之间"),
    Check("ID_COPY_MISSING", E, "缺身份证复印件", "未提供身份证复印件"),
    Check("DIPLOMA_COPY_MISSING", E, "缺毕业证书复印件", "未提供毕业证书复印件"),
    Check("DEGREE_COPY_MISSING", E, "缺学位证书复印件", "最高学位为“{degree}”，未提供学位证书复印件"),
    Check("TITLE_CERT_MISSING", E, "缺职称证书复印件", "未提供职称证书复印件"),
    Check("AWARD_CERT_MISSING", E, "缺获奖证书复印件", "八、所列奖项“{award}”未提供获奖证书复印件"),
    Check("COPY_NOT_STAMPED", W, "复印件未盖章", "复印件“{file}”未见推荐单位红色公章"),
    Check("ACHIEVEMENT_PROOF_MISSING", W, "缺成果证明", "未提供代表性成果的证明材料"),
    Check("BENEFIT_PROOF_MISSING", W, "缺效益证明", "未提供经济效益或社会效益证明材料"),
    Check("IP_PROOF_MISSING", W, "缺评价报告或知识产权证明", "{detail}"),
    Check("PAPER_AWARD_PROOF_MISSING", W, "缺论文或表彰证明", "填写了论文或表彰，但未提供证明材料"),
    Check("PUBLIC_NOTICE_MISSING", E, "缺单位公示材料", "未提供所在单位公示材料（涉密人员除外）{detail}"),
]

CATALOG: dict[str, Check] = {check.code: check for check in CHECKS}


# Placeholders filled from the finding's own fields rather than from its details.
OWN_FIELDS = ("file", "candidate", "recommender")

Detail = Any  # str, int, float, bool, None or a list of these: what JSON keeps unchanged


def check_of(code: str) -> Check:
    """The catalog entry of ``code``; a misspelled code fails here, loudly."""
    try:
        return CATALOG[code]
    except KeyError:
        raise ValueError(f"unknown check code {code!r}: not in the catalog") from None


def placeholders(check: Check) -> set[str]:
    """The names the check's template needs from a finding's details."""
    names = {name for _, name, _, _ in Formatter().parse(check.message) if name}
    return names - set(OWN_FIELDS)


def _plain(value: object) -> Detail:
    """A detail as JSON keeps it; anything else (a date, a path) as the text the template
    printed, so that rendering after a round-trip gives the same message."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Failure):  # its code and details, rendered when the message is
        return value.as_dict()
    return str(value)


# A finding's detail naming the side of a comparison staff corrected (申报表, 汇总表): the
# difference is of staff's making, theirs to settle, never a demand on the unit.
STAFF_CORRECTED = "staff_corrected"


@dataclass(frozen=True)
class Finding:
    """A check's outcome as data: its code and the values its message is made of. The
    Chinese message is rendered from the catalog when read, so a wording is not identity."""

    code: str
    # not hashed: a dict is unhashable; equal findings still hash equal without it
    details: dict[str, Detail] = field(default_factory=dict, hash=False)
    file: str | None = None
    candidate: str | None = None
    recommender: str | None = None
    # the message as written by code before details were kept (a stored package, an old
    # database row); used only when there are no details to render from
    legacy_message: str | None = None

    @classmethod
    def of(cls, code: str, *, file: str | None = None, candidate: str | None = None,
           recommender: str | None = None, **details: object) -> Finding:
        """A finding of a catalog code; ``details`` must fill its template's placeholders."""
        check = check_of(code)
        given = details.keys() | ({"reason"} if isinstance(details.get("failure"), Failure) else set())
        missing = sorted(placeholders(check) - given)
        if missing:
            raise ValueError(f"{code}: details missing for placeholder(s) {', '.join(missing)}")
        plain = {name: _plain(value) for name, value in details.items()}
        return cls(code, plain, file, candidate, recommender)

    @property
    def is_legacy(self) -> bool:
        """Made before details were kept: its stored message is all there is to show."""
        return self.legacy_message is not None and not self.details

    @property
    def staff_made(self) -> bool:
        """Raised by a value staff corrected, not by what the unit sent (``STAFF_CORRECTED``)."""
        return bool(self.details.get(STAFF_CORRECTED))

    @property
    def severity(self) -> Severity:
        return check_of(self.code).severity

    @property
    def message(self) -> str:
        return render_message(self)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "severity": self.severity.value, "message": self.message,
                "file": self.file, "candidate": self.candidate, "recommender": self.recommender,
                "details": dict(self.details)}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type, handler: Any) -> Any:
        """Packages stored before details were kept still load: see ``_upgrade_stored``."""
        return core_schema.no_info_before_validator_function(_upgrade_stored, handler(source))


class _Blank(dict):
    """Details as the template reads them; a placeholder added to a template later than a
    stored finding was made reads as empty, so old findings keep rendering."""

    def __missing__(self, key: str) -> str:
        return ""


def render_message(finding: Finding) -> str:
    """The Chinese message: the catalog template filled from the finding."""
    if finding.legacy_message is not None and not finding.details:  # stored before details
        return finding.legacy_message
    own = {name: getattr(finding, name) or "" for name in OWN_FIELDS}
    values = {**own, **finding.details}
    if isinstance(finding.details.get("failure"), dict):  # a file's failure: its reason
        values["reason"] = reason_text(finding.details["failure"])
    return check_of(finding.code).message.format_map(_Blank(values))


def _upgrade_stored(value: object) -> object:
    """A finding stored by older code ({code, severity, message, ...}, no details) keeps
    its message as given; its severity comes from the catalog like any other."""
    if not isinstance(value, dict) or "details" in value or "message" not in value:
        return value
    kept = {k: v for k, v in value.items() if k not in ("message", "severity")}
    return {**kept, "details": {}, "legacy_message": value["message"]}
