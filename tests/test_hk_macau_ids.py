"""Hong Kong and Macau candidates (issue 20, 9): 港澳居民来往内地通行证 and 港澳居民居住证.

The pass (H or M and 8 digits) has no birth date or check digit, so only its shape is
checked; the residence permit is an 18-digit number under GB 11643 in the regions 810000,
820000 or 830000, checked like a resident ID number. Both are masked in what units read.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache

import pytest

from extractors.forms.application_form import extract_application_form
from extractors.records import ApplicationForm
from pipeline.checks import form as form_rules
from pipeline.checks.context import CheckContext
from pipeline.intake.classify import classify_pages
from pipeline.intake.kinds import classify_by_name
from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, PackageFile
from pipeline.outputs.masking import mask_personal_data
from tests.builders.forms import LAYOUTS, build_form, sample_people
from tests.codes import known

CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 15))
PEOPLE = {person.slug: person for person in sample_people()}
ID_CODES = ("ID_NUMBER_INVALID", "ID_BIRTHDATE_MISMATCH", "ID_GENDER_MISMATCH")

# 麦嘉俊, born 1984-10-16, 男: valid permits written out by hand (check digit included)
HK_PERMIT = "810000198410160013"
MACAU_PERMIT = "820000198410160015"


@cache
def _record(slug: str) -> ApplicationForm:
    return build_form(PEOPLE[slug], "official")[1]


def hk_form(id_type: str, number: str) -> ApplicationForm:
    form = copy.deepcopy(_record("mai_jiajun"))
    form.fields.id_type, form.fields.id_number = id_type, number
    return form


def id_findings(form: ApplicationForm) -> list[Finding]:
    subject = Candidate(form=form, form_file=PackageFile(name="麦嘉俊申报表.docx", path="麦嘉俊申报表.docx",
                                                         sha256="0" * 64, size=1),
                        package_id="m1", recommender="衡阳市电子学会")
    wanted = {known(code) for code in ID_CODES}
    return [f for rule in form_rules.RULES for f in rule(subject, CONTEXT) if f.code in wanted]


@pytest.mark.parametrize(("id_type", "number"), [
    ("港澳居民来往内地通行证", "H60321875"),
    ("港澳居民来往内地通行证", "M12345678"),
    ("港澳居民来往内地通行证", "h60321875"),  # typed in lower case
    ("港澳居民来往内地通行证", "H6032187501"),  # a pass issued before 2013
    ("回乡证", "H60321875"),
    ("港澳居民居住证", HK_PERMIT),
    ("港澳台居民居住证", MACAU_PERMIT),
    ("港澳居民居住证", "830000198410160017"),  # 台湾 region, valid
])
def test_valid_hong_kong_and_macau_documents_raise_nothing(id_type: str, number: str) -> None:
    assert id_findings(hk_form(id_type, number)) == []


@pytest.mark.parametrize(("id_type", "number", "detail"), [
    ("港澳居民来往内地通行证", "H6032187", "应为字母H或M加8位数字，填写的是8个字符"),
    ("港澳居民来往内地通行证", "K60321875", "应为字母H或M加8位数字，填写的是9个字符"),
    ("港澳居民来往内地通行证", "810000198410160013", "应为字母H或M加8位数字，填写的是18个字符"),
    ("港澳居民居住证", "810000198410160010", "校验位应为3，填写的是0"),
    ("港澳居民居住证", "H60321875", "为9位，居民身份证号码应为18位"),
    ("港澳居民居住证", "430406198410160012",
     "前6位应为810000（香港）、820000（澳门）或830000（台湾），填写的是430406"),
])
def test_wrong_numbers_are_named_with_why(id_type: str, number: str, detail: str) -> None:
    [finding] = id_findings(hk_form(id_type, number))
    assert finding.code == "ID_NUMBER_INVALID"
    assert finding.message == f"申报表“麦嘉俊申报表.docx”证件类型为“{id_type}”，证件号码“{number.upper()}”{detail}"


def test_a_residence_permit_is_compared_with_birth_date_and_gender_like_an_id() -> None:
    form = hk_form("港澳居民居住证", HK_PERMIT)
    form.fields.birth_date, form.fields.gender = "1984-10-17", "女"
    assert sorted(f.code for f in id_findings(form)) == ["ID_BIRTHDATE_MISMATCH", "ID_GENDER_MISMATCH"]


def test_a_pass_is_never_compared_with_birth_date_or_gender() -> None:
    form = hk_form("港澳居民来往内地通行证", "H60321875")
    form.fields.birth_date, form.fields.gender = "1999-01-01", "女"
    assert id_findings(form) == []


def test_the_pass_read_from_a_word_form_keeps_its_number() -> None:
    parsed = extract_application_form(LAYOUTS["official"](PEOPLE["mai_jiajun"]), "麦嘉俊.docx").form
    assert parsed is not None
    assert (parsed.fields.id_type, parsed.fields.id_number) == ("港澳居民来往内地通行证", "H60321875")
    assert id_findings(parsed) == []


@pytest.mark.parametrize(("text", "masked"), [
    ("证件号码H60321875", "证件号码H******75"),
    ("通行证M12345678；", "通行证M******78；"),
    ("旧证H6032187501", "旧证H********01"),
    ("居住证810000198410160013", "居住证810000********0013"),
    # Letters then 7 to 10 digits may be a passport or another pass: masked too (a model
    # number masked costs nothing; an ID number shown costs a person's privacy)
    ("型号HM12345678", "型号HM******78"),
    ("H123456789", "H*******89"),
])
def test_passes_are_masked_like_id_numbers(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("name", ["麦嘉俊-回乡证.jpg", "麦嘉俊港澳居民来往内地通行证.pdf", "何嘉欣/居住证.jpg"])
def test_a_copy_of_the_pass_or_permit_is_the_id_copy_by_name(name: str) -> None:
    assert classify_by_name(name) == "id_copy"


def test_a_scanned_pass_is_the_id_copy_by_content() -> None:
    page = "港澳居民来往内地通行证\nMAI KAR CHUN\n麦嘉俊\n1984.10.16 男\n2019.03.01-2029.02.28\n出入境管理局\nH60321875"
    assert classify_pages([page], "scan_0001.jpg").kind == "id_copy"
