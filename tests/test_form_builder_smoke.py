"""The application-form fixture builder makes documents that open and records that are stable."""

from __future__ import annotations

import io
from collections import Counter

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from extractors.word.docx import read_docx
from tests.builders.forms import (
    LAYOUTS,
    build_form,
    expected_form,
    id_check_digit,
    photo_jpeg,
    sample_people,
)

PEOPLE = sample_people()
LAYOUT_NAMES = list(LAYOUTS)


def person_for(layout: str):
    """A different person for each layout, so the smoke run covers people too."""
    return PEOPLE[LAYOUT_NAMES.index(layout) % len(PEOPLE)]


def document_text(document) -> str:
    """Every w:t of the body's paragraphs and tables, content controls and insertions included."""
    body = document.element.body
    return "".join(t.text or "" for t in body.iter(qn("w:t")))


def test_enough_layouts_and_people():
    assert len(LAYOUTS) >= 14
    assert len(PEOPLE) >= 12
    assert len({p.slug for p in PEOPLE}) == len(PEOPLE)


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_layout_opens_and_names_the_candidate(layout):
    person = person_for(layout)
    data, expected = build_form(person, layout)
    document = docx.Document(io.BytesIO(data))
    assert document.tables, "the form has tables"
    assert person.name in document_text(document)
    assert expected.fields.name == person.name


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_layout_reads_with_the_project_reader_and_keeps_the_photo(layout):
    person = next(p for p in PEOPLE if p.photo is not None)
    data, expected = build_form(person, layout)
    images = list(read_docx(data).images.values())
    assert images == [("image/jpeg", expected.photo.data)]


def test_expected_record_is_deterministic_and_layout_independent():
    person = PEOPLE[0]
    _, first = build_form(person, "official")
    _, again = build_form(person, "official")
    _, other = build_form(person, "dates_variety")
    assert first == again == other
    assert expected_form(sample_people()[0]) == first


def test_people_cover_the_variations_the_tests_need():
    assert {len(p.study) for p in PEOPLE} >= {1, 7}
    assert {len(p.work) for p in PEOPLE} >= {1, 7}
    assert {len(p.results) for p in PEOPLE} >= {0, 4}
    assert any(p.awards_none_declared for p in PEOPLE)
    assert any(not p.awards and not p.awards_none_declared for p in PEOPLE)
    assert any(p.classified for p in PEOPLE) and any(not p.classified for p in PEOPLE)
    assert any(p.photo is None for p in PEOPLE) and any(p.photo for p in PEOPLE)
    assert any(p.subdomain_is_other for p in PEOPLE)
    assert any(p.filled_date is None for p in PEOPLE)
    assert len(Counter(p.domain for p in PEOPLE)) == 4
    assert any(expected_form(p).achievements_chars > 1500 for p in PEOPLE)


@pytest.mark.parametrize("person", [p for p in PEOPLE if p.id_type == "居民身份证"], ids=lambda p: p.slug)
def test_identity_numbers_are_valid_and_match_the_person(person):
    number = person.id_number
    assert len(number) == 18 and id_check_digit(number[:17]) == number[17]
    assert f"{number[6:10]}-{number[10:12]}-{number[12:14]}" == person.birth_date
    assert int(number[16]) % 2 == (1 if person.gender == "男" else 0)


def test_photo_is_a_jpeg_of_the_notice_size():
    image = Image.open(io.BytesIO(photo_jpeg()))
    assert image.format == "JPEG" and image.size == (768, 1024)
    assert photo_jpeg(seed=3) != photo_jpeg(seed=4)
