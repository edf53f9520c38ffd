"""Every attachment to its candidate, with a first kind from its name, and the facts
the attachment rules need from its bytes.

Units name files the way people do: "张三-身份证.jpg", "李四/毕业证.pdf",
"张三+19800101.jpg", "公示.pdf". The kind found here is a first pass from names and
folders; reading the files' text (text layer, OCR) refines it in a later stage.

Intake calls ``describe_bytes`` for every file while it has the bytes, and has its seal
looked for (``seal_route``) in the OCR pool beside the reading of its pages, then
``link_files`` once per package after extraction; ``describe_file`` does both here.
"""

from __future__ import annotations

from dataclasses import asdict

from extractors.document_text import DocumentText
from extractors.filetypes import CONTAINER_SUFFIXES, IMAGE_SUFFIXES
from extractors.images.photos import has_red_seal, image_info, is_greyscale, pdf_has_red_seal
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.pdf.text import is_pdf
from extractors.text import compact, nonspace_len
from extractors.word.plain_text import document_text
from pipeline.intake.kinds import (
    PACKAGE_KINDS,
    UNIT_DOCUMENT,
    classify_by_name,
    kinds_by_name,
    path_parts,
)
from pipeline.intake.text_linking import ocr_named, owner_from_text, record_proofs
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, DocumentItem, Package, PackageFile

# --- linking ---------------------------------------------------------------------------


def link_files(package: Package) -> None:
    """Give every attachment a kind from its name and add it to its candidates' files.

    A file goes to the candidate its path names, else to the package's only candidate;
    a 公示 naming nobody goes to every candidate (units send one notice for all). A file
    left over in a package of several candidates is an UNASSIGNED_FILE finding.
    """
    for file in package.files:
        if file.kind in PACKAGE_KINDS or file.name.lower().endswith(CONTAINER_SUFFIXES):
            continue
        if file.kind == "other" and "unreadable" not in file.facts:
            _classify(file)  # a file that could not be read is no bio, no copy: it stays other
        owners = owners_of(file, package.candidates)
        for candidate in owners:
            if not any(f is file for f in candidate.files):
                candidate.files.append(file)
                _record_proofs(file, candidate)
        if not owners and len(package.candidates) > 1 and not unit_paper_or_unreadable(package, file):
            report_unassigned(package, file)


def _classify(file: PackageFile) -> None:
    kinds = kinds_by_name(file.path)
    if not kinds:
        return
    file.kind = kinds[0]
    if len(kinds) > 1 and not file.items:  # "毕业证、学位证.pdf": one file, two documents
        file.items = [DocumentItem(kind) for kind in kinds]


def owners_of(file: PackageFile, candidates: list[Candidate]) -> list[Candidate]:
    named = named_candidate(file.path, candidates) or _named_in_text(file, candidates)
    if named is not None:
        return [named]
    if file.kind == "public_notice" or len(candidates) == 1:
        return list(candidates)
    return []


def _named_in_text(file: PackageFile, candidates: list[Candidate]) -> Candidate | None:
    """The candidate the file's read text names (ID number first), when it was read."""
    pages = _page_texts(file)
    if not pages:
        return None
    return owner_from_text(pages, candidates)


def _record_proofs(file: PackageFile, candidate: Candidate) -> None:
    pages = _page_texts(file)
    if pages:
        record_proofs(file, pages, candidate)


def _page_texts(file: PackageFile) -> list[str]:
    """The text of each page read, as the file's facts keep it (JSON: a list of strings)."""
    pages = file.facts.get("page_texts")
    return [str(page) for page in pages] if isinstance(pages, list | tuple) else []


def named_candidate(path: str, candidates: list[Candidate]) -> Candidate | None:
    """The candidate named in the path: the file name before its folders, longest name first.

    The longest name wins so that 王伟明's files do not go to 王伟.
    """
    names = sorted(((compact(c.name), c) for c in candidates if c.name and len(compact(c.name)) > 1),
                   key=lambda pair: -len(pair[0]))
    for part in reversed(path_parts(path)):
        text = compact(part)
        for name, candidate in names:
            if name in text:
                return candidate
    for part in reversed(path_parts(path)):  # a zip in GBK cannot hold 𠮷: 王?+19900105.jpg
        for name, candidate in names:
            if ocr_named(name, compact(part), stand_ins=UNENCODABLE_STAND_INS):
                return candidate
    return None


# What archivers and mail clients write for a character the name's encoding lacks.
UNENCODABLE_STAND_INS = "?？_□"


def unit_paper_or_unreadable(package: Package, file: PackageFile) -> bool:
    """A unit-level paper, or a file already reported unreadable: no one's attachment to ask about."""
    unreadable = "unreadable" in file.facts or any(
        f.code == "UNREADABLE_FILE" and f.file == file.name for f in package.findings)
    return unreadable or bool(UNIT_DOCUMENT.search(file.name))


def report_unassigned(package: Package, file: PackageFile) -> None:
    finding = Finding.of("UNASSIGNED_FILE", file=file.name, recommender=package.recommender)
    if not any(f.code == finding.code and f.file == finding.file for f in package.findings):
        package.findings.append(finding)


# --- facts from the bytes --------------------------------------------------------------


PHOTO_MAX_PIXELS = 4_000_000  # a 2-inch photo, even a large one; an A4 scan at 300 dpi is 8.7 MP


def named_photo(file: PackageFile) -> bool:
    """Named as the notice asks for the photo (姓名+出生日期.jpg) and photo-sized: there is
    no text in it worth an OCR pass. Call after ``describe_file``."""
    image = file.facts.get("image")
    return (isinstance(image, dict) and bool(image) and classify_by_name(file.path) == "photo"
            and image["width"] * image["height"] <= PHOTO_MAX_PIXELS)


PHOTO_RATIO = (1.15, 1.6)  # height over width: 2-inch photos (1.4), 1024×768 (1.33), phones (1.33)
PHOTO_TEXT_CHARS = 12  # a portrait shows hardly any text; a copy of a document shows lines of it
PHOTO_MAX_CAMERA_PIXELS = 13_000_000  # a phone's full-size portrait


def portrait_photo(file: PackageFile) -> bool:
    """An image of photo proportions, standing upright, with next to no text in it: the
    candidate's photo whatever its name (IMG_0685.jpg, mmexport1712….jpg). Call after its
    text was read."""
    image = file.facts.get("image")
    if not isinstance(image, dict) or not image.get("width"):
        return False
    width, height = int(image["width"]), int(image["height"])
    chars = file.facts.get("text_chars", 0)
    low, high = PHOTO_RATIO
    return (low <= height / width <= high and width * height <= PHOTO_MAX_CAMERA_PIXELS
            and isinstance(chars, int) and chars < PHOTO_TEXT_CHARS)


def describe_file(file: PackageFile, data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Record in ``file.facts`` what the attachment rules need from the bytes.

    ``image``: {format, width, height}, or None for an image-named file that cannot be
    read; ``red_seal``: whether an image shows a red seal; ``text_chars``: non-whitespace
    characters of a .txt or .docx attachment (a bio). A fact that cannot be measured is
    left out, so that no rule judges what was not seen. The seal is looked for in this
    process: intake looks for it in the OCR pool instead (``describe_bytes``).
    """
    describe_bytes(file, data)
    record_seal(file, seal_here(data, seal_route(file, data), limits))


def describe_bytes(file: PackageFile, data: bytes) -> None:
    """``describe_file`` but the seal, which is left to ``seal_route`` and ``record_seal``:
    nothing here decodes the picture (its header is read)."""
    _describe_image(file, data)
    if file.kind not in PACKAGE_KINDS:
        _describe_text(file, data)


SEAL_IMAGE, SEAL_PDF = "image", "pdf"


def seal_route(file: PackageFile, data: bytes) -> str | None:
    """Where the file's red seal is looked for: on the pages of a PDF copy, on a colour
    image, or nowhere (a package's paper, a grey scan, which cannot show a seal, bytes
    that are no picture). Call after ``describe_bytes``."""
    if is_pdf(data):  # a copy scanned to PDF: its seal is looked for too
        return SEAL_PDF if file.kind not in PACKAGE_KINDS else None
    if not file.facts.get("image"):
        return None
    try:
        grey = is_greyscale(data)  # in a grey scan a seal cannot be told: unknown, no finding
    except Exception:  # a header that reads but pixels that do not: seal unknown, no finding
        return None
    return None if grey else SEAL_IMAGE


def seal_here(data: bytes, route: str | None, limits: Limits = DEFAULT_LIMITS) -> bool | None:
    """The seal looked for in this process (a PDF's pages in the capped sandbox)."""
    if route == SEAL_PDF:
        return pdf_has_red_seal(data, limits)
    if route != SEAL_IMAGE:
        return None
    try:
        return has_red_seal(data, limits)
    except Exception:  # a header that reads but pixels that do not: seal unknown, no finding
        return None


def seal_read(text: DocumentText, route: str | None) -> bool | None:
    """The seal of an image as its reading found it (the first picture's, as ``has_red_seal``
    looks at it); None when that page was not read in this run (cached, failed), or for a
    PDF, whose seal is looked for at its own resolution on every colour page."""
    if route != SEAL_IMAGE or not text.pages or text.pages[0].source != "ocr":
        return None
    return text.pages[0].seal


def record_seal(file: PackageFile, seal: bool | None) -> None:
    if seal is not None:
        file.facts["red_seal"] = seal


def _describe_image(file: PackageFile, data: bytes) -> None:
    if is_pdf(data):
        return
    info = image_info(data)
    if info is None:
        if file.name.lower().endswith(IMAGE_SUFFIXES):
            file.facts["image"] = None
        return
    file.facts["image"] = asdict(info)


def _describe_text(file: PackageFile, data: bytes) -> None:
    try:
        text = document_text(file.name, data)
    except Exception:  # a broken .docx: length unknown; the reader reports unreadable files
        return
    if text is not None:
        file.facts["text_chars"] = nonspace_len(text)
