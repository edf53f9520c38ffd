"""Hostile input through ``intake run`` with a real OCR engine: exit code, wall time, peak
memory of the whole process tree, and which bad files were named by a finding.

The inbox is every hostile class of ``tests/builders/hostile_files.py`` (bombs, loops,
garbage, deep nesting, 1,000-frame images), the real clients' mail of
``tests/builders/client_mail.py`` and the demo packages, written under bench/.work/hostile/.
Target (issue 15): exit 0, every output written, every bad file named, peak RSS < 2 GiB.

Run: ``.venv/bin/python bench/bench_hostile.py [--bomb-mib 256] [--ocr-engine default]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_pipeline import run_measured  # noqa: E402 (samples the process tree's memory)

from tests.builders.client_mail import client_messages  # noqa: E402
from tests.builders.hostile_files import MiB, hostile_messages  # noqa: E402

WORK = ROOT / "bench" / ".work" / "hostile"
AS_OF = "2025-04-15"
BROKEN_MAILS = ("empty_eml", "garbage_eml", "nested_eml")


def eml_name(message) -> str:
    return message.name if message.name.endswith(".eml") else f"hostile-{message.key}.eml"


def build_inbox(inbox: Path, bomb_bytes: int) -> list:
    shutil.rmtree(inbox.parent, ignore_errors=True)
    inbox.mkdir(parents=True)
    for path in sorted((ROOT / "demo" / "mail").glob("*.eml")):
        shutil.copy(path, inbox / path.name)
    hostile = hostile_messages(bomb_bytes)
    for message in hostile:
        (inbox / eml_name(message)).write_bytes(message.data)
    for message in client_messages():
        (inbox / f"client-{message.key}.eml").write_bytes(message.raw)
    return hostile


def named(register: dict, hostile: list) -> tuple[list[str], list[str]]:
    files = {f.get("file") for entry in [*register["packages"], *register["candidates"]]
             for f in entry["findings"]}
    wanted = [eml_name(m) if m.key in BROKEN_MAILS else m.name for m in hostile]
    return [n for n in wanted if n in files], [n for n in wanted if n not in files]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mib", type=int, default=256, help="what each zip bomb inflates to")
    parser.add_argument("--ocr-engine", default="default")
    args = parser.parse_args()
    began = time.perf_counter()
    hostile = build_inbox(WORK / "inbox", args.bomb_mib * MiB)
    print(f"inbox built in {time.perf_counter() - began:.1f} s: "
          f"{len(list((WORK / 'inbox').iterdir()))} entries, bombs inflate to {args.bomb_mib} MiB")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "flows.cli", "run", "--no-fetch",
               "--inbox", str(WORK / "inbox"), "--outbox", str(WORK / "outbox"),
               "--store", str(WORK / "store"), "--as-of", AS_OF, "--ocr-engine", args.ocr_engine]
    measured = run_measured(command, env)
    register = json.loads((WORK / "outbox" / "register.json").read_text(encoding="utf-8"))
    found, missing = named(register, hostile)
    outputs = sorted(str(p.relative_to(WORK / "outbox")) for p in (WORK / "outbox").rglob("*")
                     if p.is_file())
    print(f"intake run: exit 0, {measured.seconds:.1f} s wall")
    print(f"peak RSS of the process tree: {measured.peak_rss / 2**30:.2f} GiB "
          f"({measured.breakdown()} MiB at the peak)")
    print(f"bad files named by a finding: {len(found)}/{len(found) + len(missing)}"
          + (f"; NOT named: {', '.join(missing)}" if missing else ""))
    print(f"outputs: {len(outputs)} files ({', '.join(o for o in outputs if '/' not in o)}, "
          f"{sum(o.startswith('replies/') for o in outputs)} drafts, "
          f"{sum(o.startswith('reports/') for o in outputs)} report files)")
    print(f"candidates {len(register['candidates'])}, packages {len(register['packages'])}")


if __name__ == "__main__":
    main()
