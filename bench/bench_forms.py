"""Application forms parsed per second, .docx and .doc (LibreOffice conversion included).

Prints figures; asserts nothing. Target (issue 2): at least 50 .docx forms per second on
one core. Also the time per page of making a form photographed at an angle upright
(``extractors.images.rectify``) on a 12-megapixel phone photo, and of finding that a flat
scan needs nothing. Run: `make bench` or
`.venv/bin/python bench/bench_forms.py [--docx N] [--doc N] [--rectify N]`.
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
from extractors.images.rectify import find_sheet, rectified  # noqa: E402
from extractors.runtime.conversion import LibreOfficeConverter  # noqa: E402
from tests.builders.angled_photo import angled_photo  # noqa: E402
from tests.builders.forms import LAYOUTS, build_form, sample_people  # noqa: E402
from tests.builders.scans import ruled_table_page  # noqa: E402


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


def rectify_times(count: int) -> tuple[float, float, tuple[int, int]]:
    """Seconds per page (CPU of this process) to rectify a 3000 × 4000 photo taken at 15°,
    and to look at a flat A4 scan (300 dpi) and leave it; the rectified page's size."""
    photo = angled_photo(ruled_table_page(), tilt=15, seed=15).image.resize((3000, 4000))
    flat = ruled_table_page(size=(2480, 3508))
    start = time.process_time()
    for _ in range(count):
        page = rectified(photo)
    angled = (time.process_time() - start) / count
    start = time.process_time()
    for _ in range(count):
        assert find_sheet(flat) is None
    return angled, (time.process_time() - start) / count, page.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docx", type=int, default=500, help="forms to parse as .docx")
    parser.add_argument("--doc", type=int, default=6, help="forms to convert and parse as .doc")
    parser.add_argument("--rectify", type=int, default=5, help="photos to rectify (12 MP)")
    args = parser.parse_args()
    angled, flat, size = rectify_times(args.rectify)
    print(f"rectify: {angled:.2f} s CPU per 4000x3000 photo at 15 degrees (page {size[0]}x{size[1]}), "
          f"{flat:.2f} s per flat A4 scan left as it is")
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
