"""Strings of every character class a stranger can put in a name or a value, and a register
and a report input that carry them in every place a writer reads.

Classes: C0 and C1 controls (NUL included), DEL, U+FFFD, lone surrogates (a drop-folder
name that is not UTF-8), bidi marks and overrides, line and paragraph separators, BOM and
XML non-characters, astral characters, 10,000-character strings, Excel formula prefixes
(``= + - @``), markup, header injection and template syntax. ``random_strings`` mixes
them with a seed, for property-style runs.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from extractors.records import ApplicationForm, AwardRow, FormCover, FormFields, ResultRow, StudyRow
from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, Package, PackageFile, Register, Unit
from pipeline.outputs.report_input import ReportInput

C0 = [chr(code) for code in range(0x00, 0x20)]
C1 = [chr(code) for code in range(0x7F, 0xA0)]
SURROGATES = ["\ud800", "\udbff", "\udc80", "\udfff", "\udcff"]
BIDI = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
        "\u2066", "\u2067", "\u2068", "\u2069"]
OTHER_INVISIBLE = ["\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"]
KEPT = ["\ufffd", "😀", "e\u0301", "𠀀", "　", "\u00a0"]  # valid text: must come out unchanged
FORMULAS = ["=1+1", "+86 139", "-2+3", "@SUM(A1:A9)", "=HYPERLINK(\"http://x.test\",\"点我\")",
            "=cmd|' /C calc'!A0"]
MARKUP = ["<script>alert(1)</script>", "</td></tr></table>", "&amp;&lt;", "\"'`",
          "{{ 7*7 }}{% raw %}", "a\r\nBcc: victim@x.test", "=?utf-8?B?5byg5LiJ?="]
LONG = ["长" * 10_000, "A" * 10_000 + "\n", "\x00" * 5_000]

CLASSES: dict[str, list[str]] = {"c0": C0, "c1": C1, "surrogates": SURROGATES, "bidi": BIDI,
                                 "invisible": OTHER_INVISIBLE, "kept": KEPT, "formulas": FORMULAS,
                                 "markup": MARKUP, "long": LONG}
EVERY_CHARACTER = [s for strings in CLASSES.values() for s in strings]


def hostile_names() -> list[str]:
    """One file name per sample: the sample inside an ordinary Chinese name."""
    return [f"照片{sample}.jpg" for sample in EVERY_CHARACTER]


def random_strings(seed: int, count: int = 40) -> list[str]:
    """``count`` strings of 1-12 pieces drawn from every class and plain Chinese text."""
    rng = random.Random(seed)
    plain = ["张三", "申报表", ".docx", "衡阳市", " ", "科协", "2025"]
    pool = EVERY_CHARACTER + plain
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def _form(name: str, recommender: str, text: str) -> ApplicationForm:
    fields = FormFields(name=name, gender=text, birth_date="1988-02-03", ethnicity=text,
                        political_status=text, education=text, degree=text, title=text,
                        discipline_1=text, employer_and_position=text, mobile="13907340000",
                        email=text, address=text, id_number="430406198802031234")
    study = [StudyRow(start="2006-09", end="2010-07", school=text, major=text, degree=text)]
    results = [ResultRow(seq="1", category=text, name=text, role=text, impact=text,
                         contribution=text, remark=text)]
    awards = [AwardRow(seq="1", date="2020", name=text, level_rank=text, contribution=text)]
    return ApplicationForm(cover=FormCover(recommender=recommender, candidate_name=name,
                                           employer=text),
                           fields=fields, study=study, results=results, awards=awards,
                           achievements=text)


def hostile_report_input(strings: list[str]) -> ReportInput:
    """Two units (one of them named by a hostile string), a candidate per string with the
    string as name, form values, file name, path and finding details, and a package per
    unit with the strings as sender, subject and notes."""
    campaign = load_campaign()
    units: list[Unit] = []
    packages: list[Package] = []
    findings: list[Finding] = []
    for index, unit_name in enumerate(["衡阳市机械工程学会", f"衡阳市{strings[0]}科协"]):
        candidates = []
        files = []
        for number, text in enumerate(strings[index::2]):
            name = f"{text}{index}-{number}"
            file = PackageFile(name=f"照片{text}.jpg", path=f"{text}.zip/照片{text}.jpg",
                               sha256=f"{index}{number:063d}", size=10, kind="photo")
            form_file = PackageFile(name=f"{text}申报表.docx", path=f"{text}申报表.docx",
                                    sha256=f"f{index}{number:062d}", size=10,
                                    kind="application_form")
            candidate = Candidate(form=_form(name, unit_name, text), form_file=form_file,
                                  package_id=f"<{index}@x.test>", recommender=unit_name,
                                  files=[form_file, file])
            candidate.findings = [
                Finding.of("UNREADABLE_FILE", file=file.name, candidate=name,
                           recommender=unit_name, reason=text),
                Finding.of("PHOTO_NAME", file=file.name, candidate=name, recommender=unit_name,
                           expected=text),
                Finding.of("YOUTH", candidate=name, recommender=unit_name, birth=text,
                           cutoff="1985-01-01"),
            ]
            findings += candidate.findings
            candidates.append(candidate)
            files += [form_file, file]
        unit_findings = [Finding.of("ARCHIVE_REJECTED", file=f"{strings[-1]}.zip",
                                    recommender=unit_name, reason=strings[-2])]
        findings += unit_findings
        package = Package(package_id=f"<{index}@x.test>", source=f"{strings[1]}.eml",
                          message_id=f"<{index}@x.test>",
                          sender=f"{strings[2]} <unit{index}@x.test>", subject=strings[3],
                          received_at="2025-04-08T09:00:00+08:00", recommender=unit_name,
                          files=files, findings=list(unit_findings), candidates=candidates,
                          notes=strings[4:8])
        packages.append(package)
        units.append(Unit(unit_name, candidates, findings=[]))
    register = Register("2025-04-08T07:00:00+08:00", packages, units,
                        check_errors=[f"规则出错：{strings[5]}"])
    resolved = [replace(findings[0], details={**findings[0].details, "reason": strings[6]})]
    return ReportInput(report_date=dt.date(2025, 4, 8),
                       generated_at=dt.datetime(2025, 4, 8, 7, 0, tzinfo=campaign.timezone),
                       campaign=campaign, register=register, new_packages=list(packages),
                       open_findings=findings, resolved_findings=resolved,
                       run_failure=f"失败原因{strings[7]}")
