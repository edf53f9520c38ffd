"""One failure shape: extractors say what went wrong as a code and details, and the Chinese
staff read lives in one table (pipeline/model/reasons.py), rendered where findings are."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from extractors.records import NOT_THIS_KIND, Failure
from pipeline.model.catalog import Finding
from pipeline.model.reasons import REASONS, placeholders, reason_text

ROOT = Path(__file__).resolve().parents[1]
IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")

# Calls whose first argument is a failure code: the record itself, and (in extractors/)
# the helpers and exceptions that make one from a code.
RECORD = {"Failure", "of"}
CODE_TAKERS = RECORD | {"Refused", "Unreadable", "_unreadable"}

# The only modules of extractors/ with Chinese in their code: text about document
# content, which a reader must match or produce. Anything said to staff is a reason.
CONTENT_MODULES = {
    "extractors/forms/application_form.py": "labels, options and instructions of the form (Attachment 1)",
    "extractors/forms/sections.py": "the form's section headings",
    "extractors/forms/choices.py": "option words of the form's choice cells (其他)",
    "extractors/forms/dates.py": "dates as written in Chinese: 年月日, Chinese digits",
    "extractors/forms/page_layout.py": "Word's placeholder prompts left in a form",
    "extractors/forms/pdf_form.py": "the CJK character range, telling CJK text from Latin",
    "extractors/forms/scan_form.py": "what OCR makes of a table cell's edge (丨)",
    "extractors/forms/summary_table.py": "header labels of the summary table (Attachment 3)",
    "extractors/mail/naming.py": "names given to attachments that came without one",
    "extractors/mail/cloud.py": "the words mail providers write around a linked (超大附件, 中转站) file",
    "extractors/mail/forwarding.py": "the header lines mail clients write above a forwarded mail",
    "extractors/text.py": "the ranges of Han characters (every CJK extension)",
}


def _python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def _first_code(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):  # "a" if … else "b"
        return _first_code(node.body) + _first_code(node.orelse)
    return []


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "of":
        return "of" if isinstance(func.value, ast.Name) and func.value.id == "Failure" else None
    return func.id if isinstance(func, ast.Name) else None


def codes_used(folder: str, takers: set[str]) -> set[str]:
    """Every failure code the modules under ``folder`` make a failure of."""
    found: set[str] = set()
    for path in _python_files(folder):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and _called_name(node) in takers and node.args:
                found.update(_first_code(node.args[0]))
    return found


def test_every_failure_code_made_has_a_reason_and_every_reason_is_used() -> None:
    used = codes_used("extractors", CODE_TAKERS) | codes_used("pipeline", RECORD) | NOT_THIS_KIND
    assert used - REASONS.keys() == set(), "failure codes without a Chinese reason"
    assert REASONS.keys() - used == set(), "reasons no code makes any more"


def test_the_code_finder_sees_each_way_a_failure_is_made() -> None:
    """A finder that saw nothing would pass the test above: it must see these."""
    used = codes_used("extractors", CODE_TAKERS)
    assert {"ocr_error", "page_not_rendered", "archive_link", "broken_word_file", "empty_file",
            "encrypted_pdf", "not_a_form"} <= used


def test_failure_codes_are_stable_ascii_names() -> None:
    assert [code for code in REASONS if not re.fullmatch(r"[a-z][a-z0-9_]*", code)] == []


def _strings_outside_docstrings(tree: ast.AST) -> list[str]:
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


def test_extractors_say_nothing_in_chinese_outside_the_content_modules() -> None:
    speaking = {}
    for path in _python_files("extractors"):
        name = path.relative_to(ROOT).as_posix()
        chinese = [s for s in _strings_outside_docstrings(ast.parse(path.read_text("utf-8")))
                   if IDEOGRAPH.search(s)]
        if chinese and name not in CONTENT_MODULES:
            speaking[name] = chinese[:3]
    assert speaking == {}


def test_every_content_module_still_holds_content() -> None:
    """An allowance that is no longer needed is taken off the list."""
    for name in CONTENT_MODULES:
        tree = ast.parse((ROOT / name).read_text("utf-8"))
        assert any(IDEOGRAPH.search(s) for s in _strings_outside_docstrings(tree)), name


def test_every_placeholder_of_a_reason_is_a_name() -> None:
    for code in REASONS:
        assert all(re.fullmatch(r"[a-z_]+", name) for name in placeholders(code)), code


def test_a_limit_is_named_with_its_setting_and_the_amount_found() -> None:
    failure = Failure.of("archive_declared_too_large", archive="a.zip", actual=700 * 2**20,
                         limit="unpacked_bytes", limit_value=500 * 2**20)
    assert reason_text(failure) == ("压缩包“a.zip”声明的解压大小过大（异常膨胀）：700 MB超过"
                                    "解压后总大小上限（500 MB，设置项 INTAKE_LIMIT_UNPACKED_BYTES）（疑似压缩炸弹）")


def test_nested_failures_are_rendered_inside_their_parent() -> None:
    damage = Failure.of("pdf_damaged", problems=[
        Failure.of("pdf_page_damaged", page=page, cause=Failure.of("pdf_content_too_deep"))
        for page in (2, 5, 7)], more=True)
    assert reason_text(damage) == ("PDF 文件第2页内容结构嵌套过深（疑似被恶意构造），已按扫描页处理；"
                                   "第5页内容结构嵌套过深（疑似被恶意构造），已按扫描页处理；"
                                   "第7页内容结构嵌套过深（疑似被恶意构造），已按扫描页处理等")


def test_a_finding_keeps_the_failure_as_data_and_renders_its_reason() -> None:
    failure = Failure.of("encrypted_archive_entries", archive="x.zip", count=2,
                         names=["a.docx", "b.jpg"], more=False)
    finding = Finding.of("ARCHIVE_REJECTED", file="x.zip", failure=failure, entries=["a.docx", "b.jpg"])
    assert finding.details["failure"] == {"code": "encrypted_archive_entries", "details": {
        "archive": "x.zip", "count": 2, "names": ["a.docx", "b.jpg"], "more": False}}
    assert finding.message == ("压缩包“x.zip”未解压：压缩包“x.zip”已加密（设有密码），无法打开，其中2个文件"
                               "未能读取：“a.docx”、“b.jpg”；请对方将这些文件以未加密的方式重新发送")


def test_a_finding_stored_with_its_reason_as_text_still_renders_it() -> None:
    stored = Finding("UNREADABLE_FILE", {"reason": "文件已损坏"}, file="a.docx")
    assert stored.message == "文件“a.docx”无法读取：文件已损坏"


def test_an_unknown_code_shows_as_itself_rather_than_as_nothing() -> None:
    assert reason_text({"code": "made_later", "details": {}}) == "made_later"
