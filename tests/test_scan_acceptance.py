"""Issue 6's measure on the generated scan set (≥ 40 files with meaningless names):
at least 95% of files get the right kind from their content, at least 90% of the ID
numbers on ID-card copies are read exactly, every seal-less copy is flagged
COPY_NOT_STAMPED and no copy with a seal is."""

from __future__ import annotations

import pytest

from extractors.document_text import extract_document_text
from extractors.ocr.registry import engine_by_name
from extractors.records import ApplicationForm
from pipeline.checks.attachments import copy_not_stamped
from pipeline.intake.classify import classify_pages
from pipeline.intake.linking import describe_file
from pipeline.model.models import Candidate, PackageFile
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


COPY_KINDS = ("id_card", "diploma", "degree", "title", "award")  # Attachment 2 item 2


def test_every_seal_less_copy_is_flagged_and_no_sealed_one() -> None:
    copies = [item for item in scan_set() if item.kind in COPY_KINDS]
    unstamped, seals = [], {}
    for item in copies:
        file = PackageFile(name=item.name, path=item.name, sha256="", size=len(item.data),
                           kind=AS_FILE_KIND[item.kind])
        describe_file(file, item.data)
        seals[item.name] = file.facts.get("red_seal")
        candidate = Candidate(form=ApplicationForm(), form_file=file, package_id="p", files=[file])
        if copy_not_stamped(candidate, None):
            unstamped.append(item.name)
    assert {item.name[-3:] for item in copies} >= {"jpg", "pdf", "png", "bmp"}
    assert sum(not item.sealed for item in copies) >= 5 and any(i.sealed for i in copies)
    assert sorted(unstamped) == sorted(item.name for item in copies if not item.sealed)
    # the seal is seen, not merely unknown, on images and on PDF pages alike
    assert all(seals[item.name] is True for item in copies if item.sealed)
