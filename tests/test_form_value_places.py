"""Values where people put them: typed into text boxes (anchored in the value's cell or in
the label's), and tables split across pages into two; every field read as from the tidy form."""

from __future__ import annotations

import dataclasses
import io
import zipfile

from extractors.forms.application_form import extract_application_form
from tests.builders.forms import build_form, sample_people
from tests.builders.wordml import boxes_anchored_in_labels, header_repeated_after_split

PEOPLE = sample_people()


def _document_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_values_in_text_boxes_anchored_in_the_label_cells() -> None:
    for person in (PEOPLE[0], PEOPLE[3]):  # a DrawingML box with VML fallback; VML alone
        data, expected = build_form(person, "text_boxes")
        moved = boxes_anchored_in_labels(data)
        assert moved != data
        form = extract_application_form(moved, "申报表.docx").form
        assert dataclasses.asdict(form.cover) == dataclasses.asdict(expected.cover), person.name
        assert dataclasses.asdict(form.fields) == dataclasses.asdict(expected.fields), person.name
        assert form.fields.name == person.name
        assert form.cover.candidate_name == person.name


def test_the_text_boxes_layout_holds_boxes_and_split_tables() -> None:
    """The layout the every-layout tests read really puts values in boxes, tables in parts."""
    data, _ = build_form(PEOPLE[0], "text_boxes")
    xml = _document_xml(data)
    assert xml.count("<w:txbxContent>") >= 20
    assert xml.count("<w:tbl>") == 15  # 11 sections, three of them in two parts, one nested
    vml_only, _ = build_form(PEOPLE[3], "text_boxes")
    assert "<wps:txbx>" not in _document_xml(vml_only)
    assert "<v:textbox>" in _document_xml(vml_only)


def test_tables_split_across_pages_with_the_header_repeated() -> None:
    """Sections 一 to 三 in two tables each, the histories' header row copied on top of
    their second part: the same rows as one table, no header read as a row."""
    for person in (PEOPLE[1], PEOPLE[4]):
        data, expected = build_form(person, "text_boxes")
        repeated = header_repeated_after_split(data)
        assert _document_xml(repeated).count("起止年月") > _document_xml(data).count("起止年月")
        form = extract_application_form(repeated, "申报表.docx").form
        for got, want in ((form.study, expected.study), (form.work, expected.work)):
            # the period as written is kept for messages; the ISO bounds are compared
            assert [dataclasses.replace(row, period_text="") for row in got] == want, person.name
        assert dataclasses.asdict(form.fields) == dataclasses.asdict(expected.fields), person.name
