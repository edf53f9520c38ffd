"""Application forms parsed per second, .docx and .doc (LibreOffice conversion included).

Prints figures; asserts nothing. Target (issue 2): at least 50 .docx forms per second on
one core. Run: `make bench` or `.venv/bin/python bench/bench_forms.py [--docx N] [--doc N]`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.forms.application_form import extract_application_form  # noqa: E402
from extractors.runtime.conversion import LibreOfficeConverter  # noqa: E402
from tests.builders.forms import LAYOUTS, build_form, sample_people  # noqa: E402


def sample_forms() -> list[bytes]:
    people = sample_people()
    return [build_form(people[i % len(people)], layout)[0] for i, layout in enumerate(LAYOUTS)]


def to_doc(data: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "f.docx").write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/p", "--headless",
                        "--convert-to", "doc", "--outdir", tmp, f"{tmp}/f.docx"],
                       check=True, capture_output=True, timeout=180)
        return (Path(tmp) / "f.doc").read_bytes()


def rate(forms: list[bytes], count: int, name: str, converter=None) -> float:
    start = time.perf_counter()
    for index in range(count):
        outcome = extract_application_form(forms[index % len(forms)], name, converter)
        assert outcome.form is not None, outcome.failure
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docx", type=int, default=500, help="forms to parse as .docx")
    parser.add_argument("--doc", type=int, default=6, help="forms to convert and parse as .doc")
    args = parser.parse_args()
    forms = sample_forms()
    average_kib = sum(map(len, forms)) / len(forms) / 1024
    print(f"{len(forms)} layouts, {average_kib:.0f} KiB per form on average, one process")
    docx_rate = rate(forms, args.docx, "form.docx")
    print(f".docx: {docx_rate:7.1f} forms/s over {args.docx} forms (target >= 50)")
    docs = [to_doc(f) for f in forms[: max(1, min(args.doc, len(forms)))]]
    doc_rate = rate(docs, args.doc, "form.doc", LibreOfficeConverter())
    print(f".doc:  {doc_rate:7.2f} forms/s over {args.doc} forms "
          f"({1 / doc_rate:.2f} s each, LibreOffice conversion included)")


if __name__ == "__main__":
    main()
