"""Every field of every generated form, in every layout people fill it in."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from extractors.forms.application_form import extract_application_form
from extractors.records import ApplicationForm
from extractors.runtime.conversion import LibreOfficeConverter
from tests.builders.forms import LAYOUTS, blank_template, build_form, converted, sample_people

PEOPLE = sample_people()


def _without_period_text(form: ApplicationForm) -> ApplicationForm:
    """The period as written is kept for messages; the test compares the ISO bounds."""
    for rows in (form.study, form.work, form.organizations):
        for row in rows:
            row.period_text = ""
    return form


def _assert_same_form(got: ApplicationForm, expected: ApplicationForm) -> None:
    got = _without_period_text(got)
    # Field by field first, so a failure names the field.
    for part in ("cover", "fields"):
        assert dataclasses.asdict(getattr(got, part)) == dataclasses.asdict(getattr(expected, part))
    for section in ("study", "work", "results", "organizations", "ip", "awards"):
        assert getattr(got, section) == getattr(expected, section), section
    assert got.achievements == expected.achievements
    assert got.awards_none_declared == expected.awards_none_declared
    assert (got.photo is None) == (expected.photo is None)
    assert got == expected


def test_there_are_at_least_twelve_layouts_and_twelve_people() -> None:
    assert len(LAYOUTS) >= 12
    assert len(PEOPLE) >= 12
    assert len({p.name for p in PEOPLE}) == len(PEOPLE)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_field_of_a_form_in_each_layout(layout: str) -> None:
    person = PEOPLE[sorted(LAYOUTS).index(layout) % len(PEOPLE)]
    data, expected = build_form(person, layout)
    outcome = extract_application_form(data, f"{person.name}申报表.docx")
    assert outcome.failure is None
    _assert_same_form(outcome.form, expected)


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_person_in_every_layout(layout: str) -> None:
    for person in PEOPLE:
        data, expected = build_form(person, layout)
        outcome = extract_application_form(data, "申报表.docx")
        assert outcome.failure is None, person.name
        _assert_same_form(outcome.form, expected)


def test_the_photo_comes_out_byte_for_byte() -> None:
    person = next(p for p in PEOPLE if p.photo)
    data, expected = build_form(person, "official")
    form = extract_application_form(data, "申报表.docx").form
    assert form.photo.content_type == "image/jpeg"
    assert form.photo.data == expected.photo.data


def test_a_blank_template_reads_as_a_form_with_nothing_filled() -> None:
    outcome = extract_application_form(blank_template(), "空表.docx")
    assert (outcome.failure, outcome.converted_from) == (None, None)
    form = outcome.form
    assert dataclasses.astuple(form.cover) == (None,) * 7
    assert set(dataclasses.astuple(form.fields)) == {None}
    assert form.study == [] and form.work == [] and form.results == []


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["official", "ticks_after", "merged_cells"])
def test_a_real_doc_made_by_libreoffice_reads_the_same(layout: str, tmp_path: Path) -> None:
    person = PEOPLE[1]
    data, expected = build_form(person, layout)
    legacy = converted(data, "doc", tmp_path)
    assert legacy.startswith(b"\xd0\xcf\x11\xe0")
    outcome = extract_application_form(legacy, f"{person.name}申报表.doc", LibreOfficeConverter())
    assert outcome.failure is None
    assert outcome.converted_from == ".doc"
    got = outcome.form
    expected.photo = got.photo = None  # LibreOffice may re-encode the picture
    _assert_same_form(got, expected)


@pytest.mark.slow
def test_an_rtf_form_reads_the_same(tmp_path: Path) -> None:
    person = PEOPLE[2]
    data, expected = build_form(person, "official")
    legacy = converted(data, "rtf", tmp_path)
    outcome = extract_application_form(legacy, "申报表.rtf", LibreOfficeConverter())
    assert outcome.converted_from == ".rtf"
    got = outcome.form
    expected.photo = got.photo = None
    _assert_same_form(got, expected)


def test_a_doc_that_is_really_a_docx_opens_without_conversion() -> None:
    data, expected = build_form(PEOPLE[3], "official")
    outcome = extract_application_form(data, "申报表.doc", converter=None)
    assert outcome.converted_from is None
    _assert_same_form(outcome.form, expected)


@pytest.mark.slow
def test_a_wps_file_goes_through_the_converter_by_its_content(tmp_path: Path) -> None:
    """WPS saves .wps in Word 97 binary form by default; the converter reads it by content."""
    person = PEOPLE[4]
    data, expected = build_form(person, "squares")
    legacy = converted(data, "doc", tmp_path)
    outcome = extract_application_form(legacy, f"{person.name}.wps", LibreOfficeConverter())
    assert outcome.converted_from == ".wps"
    got = outcome.form
    expected.photo = got.photo = None
    _assert_same_form(got, expected)


def test_an_unknown_converter_name_is_a_configuration_error() -> None:
    from extractors.runtime.conversion import converter_by_name

    with pytest.raises(ValueError, match="unknown document converter 'word2000'"):
        converter_by_name("word2000")
    assert converter_by_name("libreoffice").name == "libreoffice"
