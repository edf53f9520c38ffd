"""Archives in a package: forms read from inside a Windows zip, refusals as findings."""

from __future__ import annotations

from pipeline.intake.packages import IntakeSettings, read_package
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.builders.tricky_mail import LegacyNameInfo, zip_bytes


def test_a_form_inside_a_windows_zip_with_gbk_names_becomes_a_candidate() -> None:
    person = sample_people()[0]
    form, _ = build_form(person, "official")
    inner = f"推荐材料/{person.name}/附件1-申报表.docx"
    archive = zip_bytes([(LegacyNameInfo(inner.encode("gbk")), form),
                         (f"推荐材料/{person.name}/身份证.jpg", b"\xff\xd8\xff\xe0 jpeg")])
    raw = build_eml("学会 <a@example.invalid>", "申报", "", [("推荐材料.zip", archive)], WHEN)
    package = read_package(raw, "m", IntakeSettings())
    assert [f.path for f in package.files] == [
        "推荐材料.zip", f"推荐材料.zip/{inner}", f"推荐材料.zip/推荐材料/{person.name}/身份证.jpg"]
    [candidate] = package.candidates
    assert candidate.name == person.name
    assert [f.kind for f in candidate.files] == ["application_form", "id_copy"]
    assert package.findings == []


def test_a_zip_with_a_path_that_climbs_out_is_refused_and_the_rest_goes_on() -> None:
    person = sample_people()[1]
    form, _ = build_form(person, "official")
    evil = zip_bytes([("../../etc/cron.d/x", b"* * * * * root sh"), ("ok.txt", b"x")])
    raw = build_eml("学会 <a@example.invalid>", "申报", "",
                    [("恶意.zip", evil), (f"{person.name}.docx", form)], WHEN)
    package = read_package(raw, "m", IntakeSettings())
    [finding] = package.findings
    assert (finding.code, finding.file) == ("ARCHIVE_REJECTED", "恶意.zip")
    assert "../../etc/cron.d/x" in finding.message
    assert [c.name for c in package.candidates] == [person.name]
    assert [f.path for f in package.files] == ["恶意.zip", f"{person.name}.docx"]
