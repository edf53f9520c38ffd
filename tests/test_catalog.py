"""The catalog in code is the catalog of checks.md: same codes, same severities."""

from __future__ import annotations

import re

from pipeline.model.catalog import CATALOG, Finding, Severity
from tests.paths import SHARED


def _spec_rows() -> dict[str, str]:
    text = (SHARED / "spec" / "checks.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ([A-Z0-9_]+) \| (error|warning|info) \|", text, re.MULTILINE))


def test_every_code_of_the_spec_is_in_the_catalog_with_its_severity_and_no_other() -> None:
    spec = _spec_rows()
    assert len(spec) > 50
    assert {code: check.severity.value for code, check in CATALOG.items()} == spec


def test_a_finding_message_names_the_file_and_the_reason() -> None:
    finding = Finding.of("UNREADABLE_FILE", file="张三申报表.docx", reason="文件已加密")
    assert finding.severity is Severity.ERROR
    assert finding.message == "文件“张三申报表.docx”无法读取：文件已加密"
