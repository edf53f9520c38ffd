"""The tests' own rules: no test module imports another (shared code lives in helper
modules: tests/builders/, tests/fakes.py, tests/dovecot.py, tests/processes.py,
tests/codes.py), and no fake is defined in a test module."""

from __future__ import annotations

import ast
from pathlib import Path

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
