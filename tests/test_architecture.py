"""The import direction is flows -> web -> pipeline -> extractors, never back; no import
cycles; no project imports hidden inside functions."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "extractors": ("pipeline", "flows", "web", "prefect", "sqlite3"),
    "pipeline": ("flows", "web", "prefect", "starlette", "uvicorn"),
    "web": ("flows", "prefect"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(package: str) -> None:
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"no modules found under {package}/"
    offending = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & set(FORBIDDEN[package]))
        for path in modules
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from pipeline.model.catalog import Finding\nimport flows.cli\n")
    assert _imports(module) == {"pipeline", "flows"}


# --- no cycles, no imports hidden in functions -------------------------------------------

FIRST_PARTY = ("extractors", "pipeline", "web", "flows")
# Imported where they are used, on purpose: heavy libraries that only some runs need (OCR
# models, 7-Zip and RAR, PDF rendering, Dask, Prefect's blocks) stay out of the start-up of
# every command. First-party modules are never among them: a cycle is broken, not hidden.
LAZY_THIRD_PARTY = frozenset({
    "cv2", "dask", "distributed", "img2pdf", "numpy", "openvino", "pdfminer", "pdfplumber",
    "pikepdf", "playwright", "prefect", "prefect_dask", "py7zr", "pypdfium2", "pytesseract",
    "rapidocr", "rarfile", "reportlab",
})


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(root: Path) -> dict[str, Path]:
    return {_module_name(path, root): path
            for package in FIRST_PARTY if (root / package).is_dir()
            for path in sorted((root / package).rglob("*.py"))}


def _imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Dotted names an import statement may load: the module and, for ``from``, each name."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: from the module's own package upwards
        base = module.split(".")[: len(module.split(".")) - node.level + is_package]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    return [source] + [f"{source}.{alias.name}" for alias in node.names]


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the first-party modules it imports (their packages too: they run first)."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for dotted in _imported_names(node, name, path.name == "__init__.py"):
                    targets.update(m for m in _with_parents(dotted) if m in modules)
        targets |= _lazy_targets(tree, modules)
        graph[name] = targets - {name}
    return graph


# A command of flows/cli.py is named by a "module:attribute" string (its table COMMANDS)
# and imported when called: an import all the same, so an edge of the graph, and a cycle
# through it is a cycle. tests/test_cli.py checks that every such name resolves.
LAZY_TARGET = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):[A-Za-z_]\w*")


def _lazy_targets(tree: ast.AST, modules: dict[str, Path]) -> set[str]:
    """First-party modules (and their packages) that strings "module:attribute" name."""
    names = [match.group(1) for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and (match := LAZY_TARGET.fullmatch(node.value))]
    return {m for name in names if name in modules for m in _with_parents(name) if m in modules}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One path per cycle found by a depth-first walk, each as [a, b, ..., a]."""
    done: set[str] = set()
    found: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in path:
                found.append(path[path.index(target):] + [target])
            elif target not in done:
                walk(target, path + [target])
        done.add(node)

    for start in sorted(graph):
        if start not in done:
            walk(start, [start])
    return found


def _imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden: list[str] = []
    for scope in ast.walk(tree):
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(scope):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            else:
                continue
            hidden += [f"{node.lineno}: {n}" for n in names
                       if n.split(".")[0] not in LAZY_THIRD_PARTY]
    return sorted(set(hidden), key=lambda line: int(line.split(":")[0]))


def test_no_import_cycles() -> None:
    assert _cycles(_import_graph(ROOT)) == []


def test_no_imports_hidden_in_functions() -> None:
    hidden = {name: lines for name, path in _modules(ROOT).items()
              if (lines := _imports_inside_functions(path))}
    assert hidden == {}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_cycle_finder_sees_cycles_through_from_imports_and_relative_ones(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pipeline/__init__.py": "",
        "pipeline/a.py": "from pipeline import b\n",
        "pipeline/b.py": "from .c import thing\n",
        "pipeline/c.py": "import pipeline.a\nthing = 1\n",
        "pipeline/d.py": "from pipeline.a import x\n",  # into the cycle, not part of it
    })
    assert _cycles(_import_graph(tmp_path)) == [
        ["pipeline.a", "pipeline.b", "pipeline.c", "pipeline.a"]]


def test_the_cycle_finder_follows_the_lazily_loaded_commands(tmp_path: Path) -> None:
    _write(tmp_path, {
        "flows/__init__.py": "",
        "flows/cli.py": 'COMMANDS = {"run": ("flows.runs:run", "One pass."),'
                        ' "web": ("flows.nowhere:web", "Not a module here.")}\n',
        "flows/runs.py": "from flows.helpers import report\n",
        "flows/helpers.py": "from flows import cli\nTIME = '12:30'\n",  # no module:attribute
    })
    graph = _import_graph(tmp_path)
    assert graph["flows.cli"] == {"flows", "flows.runs"}
    assert _cycles(graph) == [["flows.cli", "flows.runs", "flows.helpers", "flows.cli"]]


def test_the_function_import_finder_allows_only_heavy_libraries(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import os\n"
        "def read():\n"
        "    import rapidocr\n"
        "    from pipeline.intake import linking\n"
        "    from . import sibling\n"
        "class Engine:\n"
        "    def run(self):\n"
        "        import json\n", encoding="utf-8")
    assert _imports_inside_functions(module) == ["4: pipeline.intake", "5: .", "8: json"]


# --- layers between the rooms of extractors/ ----------------------------------------------

# What each room of extractors/ may import besides the shared modules at its top level
# (limits, filetypes, charsets, records, text, the document model), which import no room.
# Lower rooms never reach up: a PDF is read without knowing of forms, an OCR engine
# without knowing of the documents its pages come from.
EXTRACTOR_ROOMS: dict[str, set[str]] = {
    "base": set(),
    "runtime": set(),
    "mail": set(),
    "word": {"runtime"},
    "pdf": {"runtime"},
    "images": {"pdf", "runtime"},
    "ocr": {"images", "runtime"},
    "document_text": {"images", "ocr", "pdf", "runtime", "word"},
    "forms": {"images", "ocr", "pdf", "runtime", "word"},
}


def _room(module: str, top: str, rooms: dict[str, set[str]]) -> str | None:
    parts = module.split(".")
    if parts[0] != top:
        return None
    if len(parts) > 1 and parts[1] in rooms:
        return parts[1]
    return "base"


def _crossings(graph: dict[str, set[str]], top: str, rooms: dict[str, set[str]],
               shared: str | None = "base") -> list[str]:
    """Every import from one room into another that the table does not allow; the
    ``shared`` room, if any, every room may import."""
    wrong = []
    for module, targets in graph.items():
        source = _room(module, top, rooms)
        if source is None or module == top:
            continue
        for target in sorted(targets):
            room = _room(target, top, rooms)
            if room is None or target == top or room in (source, shared):
                continue
            if room not in rooms[source]:
                wrong.append(f"{module} -> {target}")
    return sorted(wrong)


def test_every_room_of_extractors_is_in_the_layer_table() -> None:
    rooms = {path.name for path in (ROOT / "extractors").iterdir()
             if path.is_dir() and (path / "__init__.py").exists()}
    assert rooms | {"base", "document_text"} == set(EXTRACTOR_ROOMS)


def test_rooms_of_extractors_import_only_the_rooms_below_them() -> None:
    assert _crossings(_import_graph(ROOT), "extractors", EXTRACTOR_ROOMS) == []


def test_the_room_checker_sees_an_upward_import(tmp_path: Path) -> None:
    _write(tmp_path, {
        "extractors/__init__.py": "",
        "extractors/limits.py": "",
        "extractors/pdf/__init__.py": "",
        "extractors/pdf/text.py": "from extractors.forms import scan_form\nimport extractors.limits\n",
        "extractors/forms/__init__.py": "",
        "extractors/forms/scan_form.py": "from extractors.pdf.text import x\n",
        "extractors/limits2.py": "from extractors.pdf import text\n",
    })
    assert _crossings(_import_graph(tmp_path), "extractors", EXTRACTOR_ROOMS) == [
        "extractors.limits2 -> extractors.pdf",
        "extractors.limits2 -> extractors.pdf.text",
        "extractors.pdf.text -> extractors.forms",
        "extractors.pdf.text -> extractors.forms.scan_form",
    ]


# --- layers between the subpackages of pipeline/ -------------------------------------------

# What each subpackage of pipeline/ may import, lowest first. ``model`` (records, catalog,
# campaign, checklist, the shapes of ID numbers and contacts) is beneath everything. The
# store keeps what the sources fetch and what intake reads; intake turns a message into a
# package; checks judge a candidate with nothing but the model; the register settles units
# across packages with intake's linking; review applies staff decisions over all of those;
# outputs render the reviewed register. The driver modules at pipeline/'s top (stages,
# run, settings, progress, run_summary: "base" here) call every subpackage and none of
# them calls back.
PIPELINE_LAYERS: dict[str, set[str]] = {
    "model": set(),
    "store": {"model"},
    "sources": {"model", "store"},
    "intake": {"model", "sources", "store"},
    "checks": {"model"},
    "register": {"model", "intake"},
    "review": {"model", "store", "intake", "checks", "register"},
    "outputs": {"model", "store", "checks", "register", "review"},
    "base": {"model", "store", "sources", "intake", "checks", "register", "review", "outputs"},
}


def test_every_subpackage_of_pipeline_is_in_the_layer_table() -> None:
    rooms = {path.name for path in (ROOT / "pipeline").iterdir()
             if path.is_dir() and (path / "__init__.py").exists()}
    assert rooms | {"base"} == set(PIPELINE_LAYERS)


def test_subpackages_of_pipeline_import_only_the_layers_below_them() -> None:
    assert _crossings(_import_graph(ROOT), "pipeline", PIPELINE_LAYERS, shared=None) == []


def test_the_layer_checker_sees_back_arrows_inside_pipeline(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pipeline/__init__.py": "",
        "pipeline/run.py": "from pipeline.outputs import publish\nfrom pipeline.store import db\n",
        "pipeline/model/__init__.py": "",
        "pipeline/model/models.py": "",
        "pipeline/store/__init__.py": "",
        "pipeline/store/db.py": "from pipeline.model.models import x\nfrom pipeline.register import units\n",
        "pipeline/register/__init__.py": "",
        "pipeline/register/units.py": "from pipeline import run\n",
        "pipeline/outputs/__init__.py": "",
        "pipeline/outputs/publish.py": "from ..store.db import y\n",
        "pipeline/checks/__init__.py": "",
        "pipeline/checks/form.py": "import pipeline.checks.form\nfrom pipeline.intake import forms\n",
        "pipeline/intake/__init__.py": "",
        "pipeline/intake/forms.py": "",
    })
    assert _crossings(_import_graph(tmp_path), "pipeline", PIPELINE_LAYERS, shared=None) == [
        "pipeline.checks.form -> pipeline.intake",
        "pipeline.checks.form -> pipeline.intake.forms",
        "pipeline.register.units -> pipeline.run",
        "pipeline.store.db -> pipeline.register",
        "pipeline.store.db -> pipeline.register.units",
    ]


# --- SQL only in the store -------------------------------------------------------------------

SQL_CALLS = frozenset({"execute", "executemany", "executescript"})


def _speaks_sql(path: Path) -> list[str]:
    """Lines that import sqlite3 or run a statement on a connection."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = [node.lineno for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr in SQL_CALLS]
    lines += [node.lineno for node in ast.walk(tree)
              if isinstance(node, (ast.Import, ast.ImportFrom)) and "sqlite3" in _imports_of(node)]
    return [f"{path.name}:{line}" for line in sorted(lines)]


def _imports_of(node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name.split(".")[0] for alias in node.names}
    return {(node.module or "").split(".")[0]}


def test_only_the_store_speaks_sql() -> None:
    store = ROOT / "pipeline" / "store"
    speaking = {name: lines for name, path in _modules(ROOT).items()
                if store not in path.parents and (lines := _speaks_sql(path))}
    assert speaking == {}


def test_the_sql_finder_sees_a_statement_run_through_the_store(tmp_path: Path) -> None:
    module = tmp_path / "state.py"
    module.write_text("import sqlite3\n"
                      "def state(store):\n"
                      "    return store.db.execute('SELECT 1').fetchone()\n", encoding="utf-8")
    assert _speaks_sql(module) == ["state.py:1", "state.py:3"]


def test_every_first_party_import_names_a_module_that_exists() -> None:
    """mypy is told to ignore missing imports (for untyped libraries), so a first-party
    module renamed on one branch and imported under its old name on another is found here."""
    modules = _modules(ROOT)
    missing = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.split(".")[0] in FIRST_PARTY and node.module not in modules:
                    missing.append(f"{name}: {node.module}")
            elif isinstance(node, ast.Import):
                missing += [f"{name}: {alias.name}" for alias in node.names
                            if alias.name.split(".")[0] in FIRST_PARTY
                            and alias.name not in modules]
    assert missing == []
