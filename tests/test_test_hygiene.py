"""The tests' own rules: no test module imports another (shared code lives in helper
modules: tests/builders/, tests/fakes.py, tests/dovecot.py, tests/processes.py,
tests/codes.py), no fake is defined in a test module, and every helper that takes a
check code refuses a misspelled one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.builders.report_input import finding
from tests.codes import CodeList, CodeSet, codes, known

TESTS = Path(__file__).resolve().parent


def _is_test_module(dotted: str) -> bool:
    return dotted.split(".")[-1].startswith("test_")


def _imported_test_modules(source: str) -> list[str]:
    """Every test_* module an import statement of ``source`` names (anywhere in the file,
    inside functions too), as "line: module"."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            # "from tests import test_x" and "from . import test_x" name the module in the alias
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [f"{node.lineno}: {name}" for name in names if _is_test_module(name)]
    return found


def test_no_test_module_imports_another() -> None:
    offenders = {path.name: lines for path in sorted(TESTS.glob("test_*.py"))
                 if (lines := _imported_test_modules(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_the_checker_sees_every_way_of_importing_a_test_module() -> None:
    source = (
        "import os\n"
        "from tests.builders.forms import build_form\n"
        "from tests.test_report import build_report_input\n"
        "import tests.test_store\n"
        "from tests import test_flows, fakes\n"
        "from . import test_mailer\n"
        "def helper():\n"
        "    from tests.test_kill_and_rerun import _legacy\n"
    )
    assert _imported_test_modules(source) == [
        "3: tests.test_report", "4: tests.test_store", "5: tests.test_flows", "6: .test_mailer",
        "8: tests.test_kill_and_rerun"]


# --- fakes live in tests/fakes.py -------------------------------------------------------------

# What makes a class a fake of one of the project's interfaces: an OCR engine reads
# images, a converter converts documents, an SMTP handler takes mail.
FAKE_METHODS = frozenset({"read", "to_docx", "handle_DATA"})


def _fakes_defined(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            methods = {item.name for item in node.body
                       if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
            if methods & FAKE_METHODS:
                found.append(f"{node.lineno}: {node.name}")
    return found


def test_no_test_module_defines_a_fake_engine_converter_or_server() -> None:
    offenders = {path.name: lines for path in sorted(TESTS.glob("test_*.py"))
                 if (lines := _fakes_defined(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_the_fake_finder_sees_a_fake_engine_in_a_test() -> None:
    source = (
        "class Helper:\n"
        "    def build(self): ...\n"
        "def test_x():\n"
        "    class Engine:\n"
        "        name = 'e'\n"
        "        def read(self, image): ...\n"
    )
    assert _fakes_defined(source) == ["4: Engine"]


# --- helpers that take a check code refuse a misspelled one ----------------------------------

# The checks a helper may make of a code it is given: tests/codes.py's, or the catalog's own.
CODE_CHECKS = frozenset({"known", "codes", "check_of"})


# A check inside a comprehension or a lambda runs only if there is something to filter:
# with no finding at all a misspelled code would never be looked at.
DEFERRED = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)


def _calls_outside_deferred(node: ast.AST) -> set[str]:
    names: set[str] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, DEFERRED):
            continue
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name):
            names.add(child.func.id)
        names |= _calls_outside_deferred(child)
    return names


def _unchecked_code_helpers(source: str) -> list[str]:
    """Helpers (not tests) with a ``code`` parameter that do not check it whatever they
    are given (a check only inside a comprehension does not count)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        if node.name.startswith("test_") or "code" not in {a.arg for a in arguments}:
            continue
        if not _calls_outside_deferred(node) & CODE_CHECKS and node.name != "known":
            found.append(f"{node.lineno}: {node.name}")
    return found


def test_every_helper_that_takes_a_code_checks_it() -> None:
    offenders = {str(path.relative_to(TESTS)): lines for path in sorted(TESTS.rglob("*.py"))
                 if (lines := _unchecked_code_helpers(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_the_helper_finder_sees_a_helper_that_trusts_its_code() -> None:
    source = (
        "def of(code, form):\n"
        "    return [f for f in findings(form) if f.code == code]\n"
        "def lazily(form, code=None):\n"
        "    return [f for f in findings(form) if f.code == known(code)]\n"
        "def checked(form, code):\n"
        "    wanted = known(code)\n"
        "    return [f for f in findings(form) if f.code == wanted]\n"
        "def test_x(code):\n"
        "    assert code\n"
    )
    assert _unchecked_code_helpers(source) == ["1: of", "3: lazily"]


def test_the_code_helpers_refuse_a_misspelled_code() -> None:
    found, listed = CodeSet(["YOUTH"]), CodeList(["YOUTH", "YOUTH"])
    assert "YOUTH" in found and "BIO_MISSING" not in found  # known codes answer as usual
    assert (listed.count("YOUTH"), listed.index("YOUTH"), "BIO_MISSING" in listed) == (2, 0, False)
    assert found <= {"YOUTH", "BIO_MISSING"} and found.isdisjoint({"BIO_MISSING"})
    assert codes("YOUTH") == found and known("YOUTH") == "YOUTH"
    typo = "YOUHT"
    refusals = {
        "known": lambda: known(typo),
        "codes": lambda: codes("YOUTH", typo),
        "in CodeSet": lambda: typo in found,
        "not in CodeSet": lambda: typo not in found,
        "isdisjoint": lambda: found.isdisjoint({typo}),
        "issubset": lambda: found.issubset({"YOUTH", typo}),
        "issuperset": lambda: found.issuperset({typo}),
        "<=": lambda: found <= {"YOUTH", typo},
        "<": lambda: found < {"YOUTH", typo},
        ">=": lambda: found >= {typo},
        ">": lambda: found > {typo},
        "&": lambda: found & {typo},
        "-": lambda: found - {typo},
        "in CodeList": lambda: typo in listed,
        "CodeList.count": lambda: listed.count(typo),
        "CodeList.index": lambda: listed.index(typo),
    }
    for name, ask in refusals.items():
        with pytest.raises(AssertionError, match=typo):
            ask()
            pytest.fail(f"{name} accepted the misspelled code")


def test_the_report_s_finding_builder_refuses_a_misspelled_code() -> None:
    with pytest.raises(ValueError, match="BIO_MISING"):
        finding("BIO_MISING", "未提供个人简介", candidate="张三")
