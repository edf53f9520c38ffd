"""OCR speed and accuracy on the generated scan set: Tesseract alone, RapidOCR alone, the pipeline.

Over the same scanned pages (tests/builders/scan_set.py: ID cards, certificates under
red seals, reports, a dense notice; tilted, noisy, JPEG q70, some turned 90°/180°), each
at full use of the cores:

- the tesseract CLI alone: ``tesseract page - -l chi_sim+eng``, OMP_THREAD_LIMIT=1, one
  process per core, on the page images as they are (PDF pages rendered beforehand,
  not timed);
- RapidOCR alone: its stock settings (2000 px, direction classifier), one thread per
  worker process, one worker per core, pages as they are;
- the pipeline: ``extract_document_text`` with the default engine on the files
  themselves (rendering, orientation and all), as many files at once as cores.

Prints pages per minute, character error rate (edit distance over characters,
whitespace removed, NFKC) overall and per kind, ID numbers read exactly, and the
ratios. Target (issue 1): the pipeline as accurate as RapidOCR in at most 1.3 times the
time of Tesseract alone. Run: `.venv/bin/python bench/bench_ocr.py [--kinds id_card,award]`.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageSequence  # noqa: E402

from extractors.document_text import extract_document_text  # noqa: E402
from extractors.ocr.pool import OcrPool, default_workers, shared_pool  # noqa: E402
from extractors.ocr.rapidocr import rapidocr_available  # noqa: E402
from extractors.ocr.registry import default_engine_name, engine_by_name  # noqa: E402
from extractors.pdf_text import PdfRenderer  # noqa: E402
from tests.builders.scan_set import ScanItem, levenshtein, normalized, scan_set  # noqa: E402


@dataclass
class Run:
    name: str
    seconds: float
    texts: dict[str, str]  # file name -> text


def page_images(item: ScanItem) -> list[Image.Image]:
    if item.name.endswith(".pdf"):
        with PdfRenderer(item.data) as renderer:
            return [renderer.render(number) for number in range(1, item.pages + 1)]
    with Image.open(io.BytesIO(item.data)) as image:
        return [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]


def page_files(items: list[ScanItem], folder: Path) -> dict[str, list[Path]]:
    """Files the tesseract CLI can open: images as they are, PDF pages as PNG."""
    files: dict[str, list[Path]] = {}
    for item in items:
        if item.name.endswith(".pdf"):
            paths = []
            for number, image in enumerate(page_images(item), 1):
                path = folder / f"{item.name}.{number}.png"
                image.save(path)
                paths.append(path)
            files[item.name] = paths
        else:
            path = folder / item.name
            path.write_bytes(item.data)
            files[item.name] = [path]
    return files


def run_tesseract_cli(items: list[ScanItem], files: dict[str, list[Path]], workers: int) -> Run:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def read(path: Path) -> str:
        done = subprocess.run(["tesseract", str(path), "-", "-l", "chi_sim+eng"], env=env,
                              capture_output=True, timeout=600)
        return done.stdout.decode("utf-8", errors="replace")

    jobs = [(item.name, path) for item in items for path in files[item.name]]
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        texts = list(pool.map(lambda job: read(job[1]), jobs))
    seconds = time.perf_counter() - start
    joined: dict[str, list[str]] = defaultdict(list)
    for (name, _), text in zip(jobs, texts):
        joined[name].append(text)
    return Run("tesseract CLI", seconds, {name: "\n".join(parts) for name, parts in joined.items()})


def run_rapidocr(items: list[ScanItem], workers: int) -> Run:
    jobs = [(item.name, image) for item in items for image in page_images(item)]
    engine = engine_by_name("rapidocr", lines=False)  # stock RapidOCR: its own box order
    with OcrPool(engine, workers, orient=False) as pool:
        _warm(pool, workers)
        start = time.perf_counter()
        with ThreadPoolExecutor(workers) as threads:
            results = list(threads.map(lambda job: pool.read(job[1], 600), jobs))
        seconds = time.perf_counter() - start
    joined: dict[str, list[str]] = defaultdict(list)
    for (name, _), result in zip(jobs, results):
        joined[name].append(result.text)
    return Run("RapidOCR alone", seconds, {name: "\n".join(parts) for name, parts in joined.items()})


def run_pipeline(items: list[ScanItem], workers: int) -> Run:
    engine = engine_by_name("default")
    _warm(shared_pool(engine, workers), workers)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as threads:
        documents = list(threads.map(
            lambda item: extract_document_text(item.name, item.data, engine, workers=workers,
                                               page_timeout=600), items))
    seconds = time.perf_counter() - start
    for item, document in zip(items, documents):
        if document.failure:
            print(f"  pipeline failure on {item.name}: {document.failure}")
    return Run(f"pipeline ({engine.name})", seconds,
               {item.name: document.text for item, document in zip(items, documents)})


def _warm(pool: OcrPool, workers: int) -> None:
    """Starts every worker and loads its models, so that the timing is steady state."""
    sample = Image.new("RGB", (200, 60), "white")
    with ThreadPoolExecutor(workers) as threads:
        list(threads.map(lambda _: pool.read(sample, 120), range(workers)))


def error_rates(run: Run, items: list[ScanItem]) -> tuple[float, dict[str, float], int]:
    """Overall character error rate, per kind, and ID numbers read exactly."""
    edits: dict[str, int] = defaultdict(int)
    lengths: dict[str, int] = defaultdict(int)
    ids = 0
    for item in items:
        read = normalized(run.texts.get(item.name, ""))
        truth = normalized(item.truth)
        edits[item.kind] += levenshtein(read, truth)
        lengths[item.kind] += len(truth)
        if item.id_number and item.id_number in read:
            ids += 1
    overall = sum(edits.values()) / max(1, sum(lengths.values()))
    return overall, {kind: edits[kind] / lengths[kind] for kind in edits}, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", help="only these kinds, comma-separated (default: all)")
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    kinds = tuple(args.kinds.split(",")) if args.kinds else None
    items = list(scan_set(kinds))
    pages = sum(item.pages for item in items)
    id_cards = sum(1 for item in items if item.id_number)
    print(f"{len(items)} files, {pages} pages, {args.workers} workers on {os.cpu_count()} cores; "
          f"default engine: {default_engine_name()}")
    with tempfile.TemporaryDirectory() as folder:
        files = page_files(items, Path(folder))
        runs = [run_tesseract_cli(items, files, args.workers)]
    if rapidocr_available():
        runs.append(run_rapidocr(items, args.workers))
    runs.append(run_pipeline(items, args.workers))

    table = []
    for run in runs:
        overall, per_kind, ids = error_rates(run, items)
        table.append((run, overall, per_kind, ids))
    kinds_seen = sorted({item.kind for item in items})
    print()
    print(f"{'':16} {'pages/min':>9} {'s/page':>7} {'CER':>6} {'IDs':>6}  "
          + " ".join(f"{kind[:8]:>8}" for kind in kinds_seen))
    for run, overall, per_kind, ids in table:
        print(f"{run.name[:16]:16} {pages / run.seconds * 60:9.1f} {run.seconds / pages * args.workers:7.2f} "
              f"{overall:6.1%} {ids:>3}/{id_cards:<2}  "
              + " ".join(f"{per_kind.get(kind, 0):8.1%}" for kind in kinds_seen))
    print("(s/page: core-seconds per page, wall time × workers / pages)")
    tesseract, pipeline = table[0], table[-1]
    print()
    print(f"pipeline time / tesseract time: {pipeline[0].seconds / tesseract[0].seconds:.2f} (target <= 1.3)")
    print(f"pipeline CER / tesseract CER:   {pipeline[1] / max(tesseract[1], 1e-9):.2f}")
    if len(table) == 3:
        rapid = table[1]
        print(f"pipeline time / RapidOCR time:  {pipeline[0].seconds / rapid[0].seconds:.2f}")
        print(f"pipeline CER / RapidOCR CER:    {pipeline[1] / max(rapid[1], 1e-9):.2f} (target <= 1)")


if __name__ == "__main__":
    main()
