"""The ``intake`` command's table of lazily loaded commands (flows/cli.py): every entry
resolves to its command, ``--help`` lists them without importing any, and a command
imports only the libraries it uses (issue 21: a fast start)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from flows.cli import COMMANDS, load_command, main
from tests.servers import project_env

# Run in a fresh interpreter: the modules an `intake` command left loaded, as JSON.
LOADED = """
import json, sys
from flows.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""

# What a command must not import unless it uses it: Prefect, Dask, the OCR engines,
# the web server, the PDF libraries (rendering, reading, the dossiers).
HEAVY = frozenset({
    "prefect", "distributed", "dask", "rapidocr", "openvino", "onnxruntime", "cv2",
    "pytesseract", "starlette", "uvicorn", "pdfplumber", "pdfminer", "pypdfium2", "pikepdf",
    "reportlab", "img2pdf",
})


def _loaded(tmp_path: Path, *args: str) -> tuple[set[str], str]:
    """The modules ``intake ARGS`` loaded, and what it printed."""
    record = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", LOADED, str(record), *args], env=project_env(),
                          capture_output=True, text=True, timeout=300)
    assert record.exists(), done.stderr
    return set(json.loads(record.read_text())), done.stdout + done.stderr


def _packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_of_the_table_resolves_to_it_with_the_help_shown(name: str) -> None:
    target, short_help = COMMANDS[name]
    command = load_command(target)
    assert command.name == name
    assert command.help is not None
    assert " ".join(command.help.split("\n\n")[0].split()) == short_help
    assert main.get_command(click.Context(main), name) is command


def test_a_name_not_in_the_table_is_no_command_and_a_bad_target_is_refused() -> None:
    assert main.get_command(click.Context(main), "nosuch") is None
    assert main.list_commands(click.Context(main)) == sorted(COMMANDS)
    with pytest.raises(TypeError, match="flows.options:PROJECT_ROOT is not a click command"):
        load_command("flows.options:PROJECT_ROOT")
    with pytest.raises(ModuleNotFoundError):
        load_command("flows.nowhere:run")


def test_help_lists_every_command_and_imports_none_of_them(tmp_path: Path) -> None:
    modules, printed = _loaded(tmp_path, "--help")
    for name, (_, short_help) in COMMANDS.items():
        assert f"  {name} " in printed
        assert short_help.split()[0] in printed
    assert {m for m in modules if _packages({m}) & {"flows", "pipeline", "extractors", "web"}} \
        == {"flows", "flows.cli", "flows.options"}
    assert {p for p in _packages(modules) if p not in sys.stdlib_module_names
            and not p.startswith("_")} == {"click", "flows"}


@pytest.mark.slow
def test_a_run_with_nothing_new_imports_no_prefect_dask_ocr_web_or_pdf_library(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    run = ["run", "--no-fetch", "--inbox", str(tmp_path / "inbox"), "--outbox",
           str(tmp_path / "outbox"), "--store", str(tmp_path / "state"), "--as-of", "2025-04-15",
           "--ocr-engine", "none"]
    _, first = _loaded(tmp_path, *run)
    assert "无新材料" not in first and "register.json" in first
    modules, again = _loaded(tmp_path, *run)
    assert "无新材料，沿用第1次运行的结果" in again
    assert sorted(_packages(modules) & HEAVY) == []
