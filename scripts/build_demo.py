"""Writes the demo packages of tests/builders/demo.py into demo/mail/ as .eml files.

Run from the repository root with the project's venv: `.venv/bin/python scripts/build_demo.py`.
The .doc form is made by LibreOffice, as a unit's old Word would save it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.builders.demo import (  # noqa: E402
    DemoPackage,
    candidate_files,
    demo_packages,
    public_notice,
    summary_spec,
)
from tests.builders.forms import build_form  # noqa: E402
from tests.builders.mail import build_eml  # noqa: E402
from tests.builders.summary import build_docx, build_xlsx  # noqa: E402


def to_legacy(data: bytes, target: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "form.docx").write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation={(work / 'p').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", tmp, str(work / "form.docx")],
                       check=True, capture_output=True, timeout=180)
        return (work / f"form.{target}").read_bytes()


def attachments(package: DemoPackage) -> list[tuple[str, bytes]]:
    files = []
    for candidate in package.candidates:
        data = build_form(candidate.person, candidate.layout)[0]
        if candidate.legacy:
            data = to_legacy(data, candidate.legacy)
        files.append((candidate.file_name, data))
        files += candidate_files(candidate, package.recommender)
    if package.eml_name[:2] != "03":  # the computing society forgot its 公示
        files.append(public_notice(package))
    spec = summary_spec(package)
    summary = build_xlsx(spec) if package.summary_format == "xlsx" else build_docx(spec)
    files.append((f"{package.recommender}-申报汇总表.{package.summary_format}", summary))
    files += list(package.extra_files.items())
    return files


def main() -> None:
    target = ROOT / "demo" / "mail"
    target.mkdir(parents=True, exist_ok=True)
    for package in demo_packages():
        message_id = f"<demo-{package.eml_name[:2]}@example.invalid>"
        raw = build_eml(package.sender, package.subject, package.body, attachments(package),
                        package.sent, message_id)
        (target / package.eml_name).write_bytes(raw)
        print(f"wrote {target / package.eml_name} ({len(raw) // 1024} KiB)")


if __name__ == "__main__":
    main()
