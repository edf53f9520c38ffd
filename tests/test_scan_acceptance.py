"""Issue 6's measure on the generated scan set (≥ 40 files with meaningless names):
at least 95% of files get the right kind from their content, at least 90% of the ID
numbers on ID-card copies are read exactly."""

from __future__ import annotations

import pytest

from extractors.document_text import extract_document_text
from extractors.ocr import engine_by_name
from pipeline.classify import classify_pages
from tests.builders.scan_set import scan_set

pytestmark = pytest.mark.slow

# The scan set's document kinds as the register's file kinds.
AS_FILE_KIND = {"id_card": "id_copy", "diploma": "diploma_copy", "degree": "degree_copy",
                "title": "title_cert", "award": "award_cert", "patent": "ip_cert",
                "evaluation": "evaluation_report", "benefit": "benefit_proof",
                "notice": "public_notice"}


@pytest.fixture(scope="module")
def readings() -> list[tuple[object, list[str]]]:
    engine = engine_by_name("default")
    return [(item, [p.text for p in extract_document_text(item.name, item.data, engine).pages])
            for item in scan_set()]


def test_the_set_is_large_and_named_meaninglessly(readings) -> None:
    assert len(readings) >= 40
    assert all(AS_FILE_KIND.get(item.kind, item.kind) not in item.name for item, _ in readings)


def test_at_least_95_percent_of_files_get_the_right_kind(readings) -> None:
    wrong = [(item.name, item.kind, classify_pages(pages, item.name).kind)
             for item, pages in readings
             if classify_pages(pages, item.name).kind != AS_FILE_KIND.get(item.kind, item.kind)]
    assert len(wrong) <= 0.05 * len(readings), wrong


def test_at_least_90_percent_of_id_numbers_are_read_exactly(readings) -> None:
    cards = [(item, pages) for item, pages in readings if item.id_number]
    read = [item for item, pages in cards if item.id_number in "".join("".join(pages).split())]
    assert len(cards) >= 10
    assert len(read) >= 0.9 * len(cards)
