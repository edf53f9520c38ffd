"""Issue 4's acceptance: a clean package gives no error or warning; a package with one
defect of each kind planted gives exactly those findings, in the register and the report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.settings import RunOptions
from pipeline.stages import run_once
from tests.builders.demo import (
    SHANGHAI,
    DemoCandidate,
    DemoPackage,
    candidate_files,
    public_notice,
    summary_spec,
)
from tests.builders.forms import build_form
from tests.builders.mail import build_eml
from tests.builders.sample_data import he_zhenyu, ouyang_xiaolan
from tests.builders.summary import build_xlsx
from tests.codes import CodeList

pytestmark = pytest.mark.slow


def _package(unit: str, candidate: DemoCandidate, sent: dt.datetime) -> DemoPackage:
    return DemoPackage(f"{unit}.eml", unit, f"{unit} <{len(unit)}@example.invalid>",
                       f"{unit}申报材料", "材料见附件。", sent, [candidate], "xlsx")


def _eml(package: DemoPackage, files: list[tuple[str, bytes]], summary_changes: dict) -> bytes:
    spec = summary_spec(package)
    for column, value in summary_changes.items():
        spec.rows[0][spec.headers.index(column)] = value
    files = [*files, public_notice(package), (f"{package.recommender}汇总表.xlsx", build_xlsx(spec))]
    return build_eml(package.sender, package.subject, package.body, files, package.sent)


def _clean(inbox: Path) -> str:
    unit = "衡阳高新区科协"
    person = dataclasses.replace(ouyang_xiaolan(), recommender=unit)
    candidate = DemoCandidate(person, "official", f"{person.name}申报表.docx", "湖南祁东")
    package = _package(unit, candidate, dt.datetime(2025, 4, 8, 9, 0, tzinfo=SHANGHAI))
    files = [(candidate.file_name, build_form(person, "official")[0]),
             *candidate_files(candidate, unit)]
    (inbox / "clean.eml").write_bytes(_eml(package, files, {}))
    return person.name


PLANTED = {"LATE_SUBMISSION", "CONTACT_INVALID", "PHOTO_NAME", "BIO_MISSING",
           "COPY_NOT_STAMPED", "SUMMARY_MISMATCH", "YOUTH_RATIO_LOW"}


def _defective(inbox: Path) -> str:
    unit = "衡阳市国防科技工业学会"
    person = dataclasses.replace(he_zhenyu(), recommender=unit, mobile="1380734123")  # 10 digits
    candidate = DemoCandidate(person, "official", f"{person.name}申报表.docx", "湖南衡东",
                              missing=("bio",), unstamped=("id_copy",))
    package = _package(unit, candidate, dt.datetime(2025, 4, 12, 10, 0, tzinfo=SHANGHAI))  # late
    files = [(candidate.file_name, build_form(person, "official")[0])]
    for name, data in candidate_files(candidate, unit):
        files.append(("证件照.jpg", data) if name.endswith(f"+{person.birth_date.replace('-', '')}.jpg")
                     else (name, data))
    wrong_title = "工程师" if person.title != "工程师" else "高级工程师"
    (inbox / "defective.eml").write_bytes(_eml(package, files, {"专业技术\n职务": wrong_title}))
    return person.name


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, str, str]:
    root = tmp_path_factory.mktemp("e2e")
    inbox = root / "inbox"
    inbox.mkdir()
    clean, defective = _clean(inbox), _defective(inbox)
    options = RunOptions(inbox=inbox, outbox=root / "out", store_dir=root / "store",
                         as_of=dt.date(2025, 4, 15))
    run_once(options)
    register = json.loads((options.outbox / "register.json").read_text(encoding="utf-8"))
    html = (options.outbox / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    return register, html, clean, defective


def _codes_of(register: dict, unit: str) -> list[str]:
    codes = [f["code"] for p in register["packages"] if p["recommender"] == unit for f in p["findings"]]
    codes += [f["code"] for u in register["units"] if u["recommender"] == unit for f in u["findings"]]
    codes += [f["code"] for c in register["candidates"] if c["recommender"] == unit
              for f in c["findings"]]
    return CodeList(codes)


def test_a_clean_package_gives_no_error_and_no_warning(outcome) -> None:
    register, html, clean, _ = outcome
    assert _codes_of(register, "衡阳高新区科协") == ["YOUTH"]  # info: born after 1985-01-01
    checklist = register["candidates"][0]["checklist"]
    # She lists no awards and no papers: nothing to prove there, everything else is sent.
    assert [item for item, found in checklist.items() if not found] == [
        "award_certs", "paper_award_proof"]


def test_each_planted_defect_is_found_once_and_nothing_else(outcome) -> None:
    register, html, _, defective = outcome
    codes = _codes_of(register, "衡阳市国防科技工业学会")
    assert sorted(codes) == sorted(PLANTED)


def test_the_report_lists_the_defects_and_masks_the_phone(outcome) -> None:
    register, html, clean, defective = outcome
    messages = [f["message"] for c in register["candidates"] if c["name"] == defective
                for f in c["findings"]]
    assert any("1380734123" in m for m in messages)  # the register keeps the full value
    assert "1380734123" not in html
    for code in ("逾期报送", "缺个人简介", "复印件未盖章", "照片命名不符", "汇总表与申报表不一致"):
        assert code in html
