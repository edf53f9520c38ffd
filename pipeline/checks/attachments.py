"""Candidate rules for Attachment 2 (附件材料清单) and the photo of 填报说明4.

An item is present when ``pipeline.model.checklist.files_for`` finds a file for it. What a
file holds (image format and size, red seal, bio length) is read from ``file.facts``,
measured at intake by ``pipeline.intake.linking.describe_file``: a fact that was not measured
gives no finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath

from extractors.filetypes import JPEG_SUFFIXES
from extractors.records import AwardRow, IpRow
from extractors.text import compact
from pipeline.checks.context import CandidateRule, CheckContext
from pipeline.model.catalog import Finding
from pipeline.model.checklist import files_for, kinds_of
from pipeline.model.models import Candidate, PackageFile

COPY_KINDS = frozenset({"id_copy", "diploma_copy", "degree_copy", "title_cert", "award_cert"})
NO_DEGREE = frozenset({"", "无", "无学位", "/", "-", "—", "－"})
NO_AWARD = frozenset({"", "无", "无相关奖励"})
PAPERS_CLAIMED = re.compile(r"论文|发表")
PATENT = re.compile(r"专利|ZL\s*\d|^一种", re.IGNORECASE)
# ZL201910532178.4: the number without its check digit, as file names write it either way
PATENT_NUMBER = re.compile(r"(\d{8,12})\.?[\dXx]?")
# Words in an attachment's name that say what it is, not which award or patent it proves.
GENERIC_WORDS = re.compile(r"获奖证书|荣誉证书|专利证书|证书|奖状|复印件|扫描件|盖章|专利|获奖|"
                           r"[-_+—、，,()（）\[\]【】\d.]")
BRACKETED = re.compile(r"[（(][^）)]*[）)]")
LEADING_YEAR = re.compile(r"^\d{4}年度?")


def _finding(code: str, candidate: Candidate, file: str | None = None, **details: object) -> Finding:
    return Finding.of(code, file=file, candidate=candidate.name,
                      recommender=candidate.recommender, **details)


def _missing_rule(item: str, code: str) -> CandidateRule:
    """A rule giving ``code`` when no file satisfies checklist ``item``."""

    def rule(candidate: Candidate, context: CheckContext) -> list[Finding]:
        return [] if files_for(candidate, item) else [_finding(code, candidate)]

    rule.__name__ = rule.__qualname__ = code.lower()
    return rule


photo_missing = _missing_rule("photo", "PHOTO_MISSING")
bio_missing = _missing_rule("bio", "BIO_MISSING")
id_copy_missing = _missing_rule("id_copy", "ID_COPY_MISSING")
diploma_copy_missing = _missing_rule("diploma_copy", "DIPLOMA_COPY_MISSING")
title_cert_missing = _missing_rule("title_cert", "TITLE_CERT_MISSING")
achievement_proof_missing = _missing_rule("achievement_proof", "ACHIEVEMENT_PROOF_MISSING")
benefit_proof_missing = _missing_rule("benefit_proof", "BENEFIT_PROOF_MISSING")


# --- the photo ---------------------------------------------------------------------------


def photo_spec(candidate: Candidate, context: CheckContext) -> list[Finding]:
    limits = context.campaign.limits
    findings = []
    for file in files_for(candidate, "photo"):
        if "image" not in file.facts:
            continue  # not measured
        problem = _photo_problem(file.facts["image"], limits.photo_width, limits.photo_height)
        if problem:
            findings.append(_finding("PHOTO_SPEC", candidate, file.name, detail=problem,
                                     width=limits.photo_width, height=limits.photo_height))
    return findings


def _photo_problem(image: object, width: int, height: int) -> str | None:
    if not isinstance(image, dict):
        return "无法识别的图片"
    size = f"{image['height']}像素高×{image['width']}像素宽"
    if image["format"] != "JPEG":
        return f"{image['format']}格式、{size}"
    if (image["width"], image["height"]) != (width, height):
        return size
    return None


def photo_name(candidate: Candidate, context: CheckContext) -> list[Finding]:
    """The photo named 姓名+出生日期 of the form, as staff left it (corrections applied).

    A photo named after what the unit's own form said is named right too: when staff
    correct the name or the birth date, the unit named the file after its form and is
    asked nothing about it (the correction is staff's, the file identifies the person)."""
    fields = candidate.form.fields
    expected = f"{candidate.name}+{_birth_digits(fields.birth_date)}.jpg"
    as_sent = (_as_sent(candidate, "name", candidate.name),
               _as_sent(candidate, "birth_date", fields.birth_date))
    return [_finding("PHOTO_NAME", candidate, file.name, expected=expected)
            for file in files_for(candidate, "photo")
            if not _photo_named_right(file.name, candidate.name, fields.birth_date, _measured_not_jpeg(file))
            and not _photo_named_right(file.name, *as_sent, _measured_not_jpeg(file))]


def _as_sent(candidate: Candidate, field: str, current: str | None) -> str | None:
    """The field as the unit's form gave it: its value before staff corrected it."""
    if field not in candidate.corrected:
        return current
    original = candidate.corrected[field]
    return original if isinstance(original, str) else None


def _measured_not_jpeg(file: PackageFile) -> bool:
    """A photo measured as another format (an iPhone's HEIC): PHOTO_SPEC asks for a JPEG,
    so its name is judged without its suffix (renaming would not make it one)."""
    image = file.facts.get("image")
    return isinstance(image, dict) and image.get("format") not in (None, "JPEG")


def _photo_named_right(name: str, person: str | None, birth_date: str | None,
                       any_suffix: bool = False) -> bool:
    """姓名+YYYYMMDD.jpg; "+" may be left out and .jpeg is a JPEG too."""
    path = PurePath(compact(name))
    if path.suffix.lower() not in JPEG_SUFFIXES and not any_suffix:
        return False
    match = re.fullmatch(re.escape(compact(person)) + r"\+?(\d{8})", path.stem)
    known = (birth_date or "").replace("-", "")
    return match is not None and match.group(1).startswith(known)


def _birth_digits(birth_date: str | None) -> str:
    """YYYYMMDD of the form's birth date; what the form leaves out stays a placeholder."""
    parts = (birth_date or "").split("-")
    placeholders = ("YYYY", "MM", "DD")
    return "".join(parts[i] if i < len(parts) and parts[i] else placeholders[i] for i in range(3))


# --- the bio -----------------------------------------------------------------------------


def bio_length(candidate: Candidate, context: CheckContext) -> list[Finding]:
    low, high = context.campaign.limits.bio_chars_min, context.campaign.limits.bio_chars_max
    findings = []
    for file in files_for(candidate, "bio"):
        chars = file.facts.get("text_chars")
        # A file holding other documents besides the bio would be counted whole: skipped.
        if kinds_of(file) == {"bio"} and isinstance(chars, int) and not low <= chars <= high:
            findings.append(_finding("BIO_LENGTH", candidate, file.name, count=chars,
                                     minimum=low, maximum=high))
    return findings


# --- copies (item 2) ---------------------------------------------------------------------


def degree_copy_missing(candidate: Candidate, context: CheckContext) -> list[Finding]:
    degree = candidate.form.fields.degree
    if compact(degree) in NO_DEGREE or files_for(candidate, "degree_copy"):
        return []
    return [_finding("DEGREE_COPY_MISSING", candidate, degree=degree)]


def award_cert_missing(candidate: Candidate, context: CheckContext) -> list[Finding]:
    awards = claimed_awards(candidate)
    certs = files_for(candidate, "award_certs")
    if _document_count(certs, "award_cert") >= len(awards):
        return []
    # Fewer certificates than awards: the awards that no certificate's name or read text proves.
    missing = [a for a in awards if not any(_mentions(a.name, f, candidate)
                                            or a.name in _listed(f.facts.get("proves_awards"))
                                            for f in certs)]
    return [_finding("AWARD_CERT_MISSING", candidate, award=a.name) for a in missing]


def claimed_awards(candidate: Candidate) -> list[AwardRow]:
    return [a for a in candidate.form.awards if compact(a.name) not in NO_AWARD]


def copy_not_stamped(candidate: Candidate, context: CheckContext) -> list[Finding]:
    # Images and PDFs whose seal could be told carry "red_seal" (a grey scan does not).
    return [_finding("COPY_NOT_STAMPED", candidate, file.name) for file in candidate.files
            if kinds_of(file) & COPY_KINDS and file.facts.get("red_seal") is False]


# --- proofs (items 3 to 6) and the 公示 ---------------------------------------------------


def ip_proof_missing(candidate: Candidate, context: CheckContext) -> list[Finding]:
    if not files_for(candidate, "ip_proof"):
        return [_finding("IP_PROOF_MISSING", candidate, detail="未提供成果评价报告或知识产权证明材料")]
    patents = [row for row in candidate.form.ip if PATENT.search(row.name)]
    certs = [f for f in candidate.files if "ip_cert" in kinds_of(f)]
    # One IP row with a proof attached is taken as proved; with several, count and match.
    if len(candidate.form.ip) < 2 or _document_count(certs, "ip_cert") >= len(patents):
        return []
    return [_finding("IP_PROOF_MISSING", candidate, detail=f"七、所列专利“{row.name}”未提供专利证书")
            for row in patents if not any(_proves_patent(row, f, candidate) for f in certs)]


def paper_award_proof_missing(candidate: Candidate, context: CheckContext) -> list[Finding]:
    claimed = PAPERS_CLAIMED.search(candidate.form.achievements) or claimed_awards(candidate)
    if not claimed or files_for(candidate, "paper_award_proof"):
        return []
    return [_finding("PAPER_AWARD_PROOF_MISSING", candidate)]


def public_notice_missing(candidate: Candidate, context: CheckContext) -> list[Finding]:
    # 涉密项目、涉密人员免于公示 (四(一)); the cover and section 一 ask the same question.
    form = candidate.form
    if form.fields.classified is True or form.cover.classified is True:
        return []
    if files_for(candidate, "public_notice"):
        return []
    detail = ""
    if candidate.notices_not_listing:  # the unit's 公示 was read and does not name them
        shown = "、".join(f"“{name}”" for name in candidate.notices_not_listing)
        detail = f"：单位公示{shown}中未列出{candidate.name}"
    return [_finding("PUBLIC_NOTICE_MISSING", candidate, detail=detail)]


# --- matching a listed award or patent to an attachment's name (best effort) ------------


def _document_count(files: Iterable[PackageFile], kind: str) -> int:
    """Documents of ``kind`` in the files: a file split into documents counts each one."""
    return sum(max(sum(item.kind == kind for item in f.items), int(f.kind == kind)) for f in files)


def _mentions(label: str, file: PackageFile, candidate: Candidate) -> bool:
    """The file's path holds the label, or the label holds the gist of the file's name."""
    key = LEADING_YEAR.sub("", BRACKETED.sub("", compact(label)))
    gist = GENERIC_WORDS.sub("", compact(PurePath(file.name).stem).replace(compact(candidate.name), ""))
    return bool(key) and (key in compact(file.path) or (len(gist) >= 4 and gist in key))


def _listed(value: object) -> list[str]:
    """A list fact as stored (JSON): a list of names, or nothing."""
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _proves_patent(row: IpRow, file: PackageFile, candidate: Candidate) -> bool:
    numbers = PATENT_NUMBER.findall(compact(row.name))
    digits = re.sub(r"\D", "", file.path)
    return (any(n in digits for n in numbers) or _mentions(row.name, file, candidate)
            or row.name in _listed(file.facts.get("proves_patents")))


RULES: list = [
    photo_missing, photo_spec, photo_name, bio_missing, bio_length, id_copy_missing,
    diploma_copy_missing, degree_copy_missing, title_cert_missing, award_cert_missing,
    copy_not_stamped, achievement_proof_missing, benefit_proof_missing, ip_proof_missing,
    paper_award_proof_missing, public_notice_missing,
]
UNIT_RULES: list = []
PACKAGE_RULES: list = []
REGISTER_RULES: list = []
