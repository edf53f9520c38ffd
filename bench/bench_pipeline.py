"""The whole pipeline on a generated campaign: wall time, pages per minute, peak memory,
the ratio to raw Tesseract on the same pages, where the time goes, and a second run with
nothing new.

1. Generates N invented candidates (default 10, five to a unit, ~8 scanned pages each: A4
   scans at 300 dpi with tables, multi-page image PDFs, a 4000 × 3000 phone photo of a
   certificate per unit; tests/builders/campaign.py) as one .eml per unit, kept under
   bench/.work/ for reuse.
2. Runs ``intake run`` on them on a cold store (the pipeline as an operator runs it, and
   as the issue measured it), sampling the memory of the whole process tree (the run, OCR
   workers, PDF sandbox, LibreOffice) four times a second; then again with nothing new.
3. Unless ``--plain``: the ``daily-intake`` Prefect flow on a cold store of its own in a
   fresh process (its own PREFECT_HOME; Prefect starts its temporary local server), then
   again with nothing new; with ``--server`` twice against a running ``prefect server start``.
4. Runs the tesseract CLI alone over exactly the scanned pages the mails hold
   (``tesseract page.jpg - -l chi_sim+eng``, OMP_THREAD_LIMIT=1, as many at once as the
   pipeline has OCR workers), and prints the ratio of the cold ``intake run`` to it;
   with ``--rounds N`` the two take N turns, the order turned each round, and each one's
   fastest round is compared (a shared machine's speed drifts by 10% in minutes).
5. Reads the same pages once more in the OCR pool with every step timed
   (``extractors.ocr.profile``): seconds per kind of work (decode, scaling and seals,
   orientation, line detection, recognition), and times the seal verdict of every image the way the
   checks take it, the PDF sandbox's seal look and LibreOffice on a legacy .doc.
6. Extrapolates from the measured figures to 2,000 candidates on one 2-core machine and
   on N Dask workers. The machine may be shared: the load average is printed beside
   every figure, and before/after comparisons should interleave runs.

Targets (issues 5, 21, 22): the whole process tree under 1.5 GiB, for 200 candidates too;
the whole pipeline within 1.0 × raw Tesseract's time on the same pages at the same
parallelism (0.6 × the goal after); a second run under 2 s for the pipeline itself and
under 10 s for the flow against a running server.

Run: ``.venv/bin/python bench/bench_pipeline.py [--candidates 200] [--server] [--plain]
[--dask 1,2]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from extractors.images.photos import has_red_seal, pdf_has_red_seal  # noqa: E402
from extractors.ocr.pool import default_workers, shared_pool  # noqa: E402
from extractors.ocr.profile import ProfiledPage  # noqa: E402
from extractors.ocr.registry import engine_by_name  # noqa: E402
from extractors.runtime.conversion import LibreOfficeConverter  # noqa: E402
from tests.builders.campaign import build_unit, plan_units  # noqa: E402
from tests.builders.forms import build_form  # noqa: E402
from tests.builders.people import sample_people  # noqa: E402
from tests.servers import DaskCluster  # noqa: E402

WORK = ROOT / "bench" / ".work"
AS_OF = "2025-04-15"
FLOW_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from flows.daily import daily_intake
imported = time.perf_counter()
summary = daily_intake(inbox=sys.argv[1], outbox=sys.argv[2], store=sys.argv[3], as_of=sys.argv[4])
done = time.perf_counter()
print("SUMMARY " + json.dumps({"summary": summary, "import_seconds": imported - start,
                               "flow_seconds": done - imported}, ensure_ascii=False))
"""


# --- the campaign ---------------------------------------------------------------------


def _build(unit) -> tuple[str, int, int]:
    """Writes one unit's mail and its pages; returns (mail, pages, candidates)."""
    built = build_unit(unit)
    folder = _campaign_dir.folder
    (folder / "inbox" / built.eml_name).write_bytes(built.eml)
    for index, page in enumerate(built.pages, 1):
        (folder / "pages" / f"{unit.number:03d}-{index:02d}.jpg").write_bytes(page)
    return built.eml_name, len(built.pages), built.candidates


class _campaign_dir:  # the folder the worker processes write into
    folder: Path


def _init_worker(folder: Path) -> None:
    _campaign_dir.folder = folder


def campaign(candidates: int, workers: int) -> Path:
    """The generated mails and pages for ``candidates``, made once and kept."""
    folder = WORK / f"campaign-{candidates}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "inbox").mkdir(parents=True)
    (folder / "pages").mkdir()
    units = plan_units(candidates)
    print(f"generating {candidates} candidates in {len(units)} units into {folder} ...", flush=True)
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(folder,)) as pool:
        for done, (name, pages, _) in enumerate(pool.map(_build, units), 1):
            print(f"  {done}/{len(units)} {name}: {pages} pages", flush=True)
    (folder / "done").write_text(f"{time.perf_counter() - start:.0f} s\n")
    return folder


# --- measuring --------------------------------------------------------------------------


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled."""

    def __init__(self, pid: int, interval: float = 0.25):
        self.peak = 0
        self.peak_without_server = 0  # the pipeline's own processes
        self.at_peak: list[tuple[int, str]] = []  # (RSS, process) when the sum peaked
        self.cpu: dict[int, float] = {}  # last CPU seconds seen of each process (pid)
        self.labels: dict[int, str] = {}  # what each process was (pid)
        self._root = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                processes = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:
                break
            sizes = []
            for process in processes:
                try:
                    sizes.append((process.memory_info().rss, _label(process)))
                    times = process.cpu_times()
                    self.cpu[process.pid] = times.user + times.system
                    # the first label seen: an ending process has no command line left,
                    # and a worker's last sample would count its CPU under "python"
                    self.labels.setdefault(process.pid, sizes[-1][1])
                except psutil.Error:
                    pass
            total = sum(size for size, _ in sizes)
            if total > self.peak:
                self.peak, self.at_peak = total, sorted(sizes, reverse=True)
            own = sum(size for size, label in sizes if label not in SERVER_LABELS)
            self.peak_without_server = max(self.peak_without_server, own)
            self._stop.wait(self._interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak

    def cpu_by_label(self) -> dict[str, float]:
        """CPU seconds of each kind of process, as last sampled (a process's last quarter
        second before it ended is not seen)."""
        summed: dict[str, float] = {}
        for pid, seconds in self.cpu.items():
            label = self.labels[pid]
            summed[label] = summed.get(label, 0.0) + seconds
        return dict(sorted(summed.items(), key=lambda item: -item[1]))


# Prefect's temporary API server, started by the flow when no server is configured; in
# production the flow reports to a server running elsewhere (prefect.yaml)
SERVER_LABELS = ("uvicorn",)


def _label(process: psutil.Process) -> str:
    command = " ".join(process.cmdline()[:4])
    for known in ("extractors.ocr.worker", "soffice", "uvicorn", "prefect", "flows.cli", "daily_intake"):
        if known in command:
            return known
    return process.name()


@dataclass
class Measured:
    seconds: float
    peak_rss: int
    output: str
    at_peak: list[tuple[int, str]]
    peak_without_server: int
    cpu_seconds: float = 0.0  # user + system of the whole tree (every descendant reaped)
    cpu_by_label: dict[str, float] | None = None  # sampled, by kind of process

    def breakdown(self) -> str:
        return ", ".join(f"{label} {size / 2**20:.0f}" for size, label in self.at_peak[:6])

    def cpu_breakdown(self) -> str:
        return ", ".join(f"{label} {seconds:.1f}" for label, seconds in (self.cpu_by_label or {}).items())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str], env: dict[str, str]) -> Measured:
    start, cpu = time.perf_counter(), _children_cpu()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    memory = TreeMemory(process.pid)
    output = process.communicate()[0]
    seconds = time.perf_counter() - start
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({process.returncode}):\n{output[-3000:]}")
    return Measured(seconds, peak, output, memory.at_peak, memory.peak_without_server,
                    _children_cpu() - cpu, memory.cpu_by_label())


def flow_run(folder: Path, places: dict[str, Path], env: dict[str, str]) -> tuple[Measured, dict]:
    measured = run_measured([sys.executable, "-c", FLOW_SCRIPT, str(folder / "inbox"),
                             str(places["outbox"]), str(places["store"]), AS_OF], env)
    line = next(line for line in measured.output.splitlines() if line.startswith("SUMMARY "))
    return measured, json.loads(line.removeprefix("SUMMARY "))


def plain_run(folder: Path, places: dict[str, Path], env: dict[str, str]) -> Measured:
    return run_measured([str(Path(sys.executable).with_name("intake")), "run", "--no-fetch",
                         "--inbox", str(folder / "inbox"), "--outbox", str(places["outbox"]),
                         "--store", str(places["store"]), "--as-of", AS_OF], env)


def first_flow_run(folder: Path, places: dict[str, Path], env: dict[str, str]) -> Measured:
    first, first_info = flow_run(folder, places, env)
    summary = first_info["summary"]
    ocr_pages = summary.get("pages_ocr", 0)
    print(f"\nflow, first run (load average after: {_load()}):")
    print(f"                   {first.seconds:8.1f} s wall "
          f"({first_info['flow_seconds']:.1f} s in the flow, {first.cpu_seconds:.1f} s CPU of the "
          f"process tree), peak memory "
          f"{first.peak_rss / 2**30:.2f} GiB with Prefect's temporary server, "
          f"{first.peak_without_server / 2**30:.2f} GiB for the pipeline's own processes (target < 1.5)")
    print(f"  at the peak, MiB: {first.breakdown()}")
    print(f"  CPU seconds by process (sampled): {first.cpu_breakdown()}")
    print(f"  {summary['packages']} packages, {summary['files']} files, "
          f"{summary['candidates']} candidates, {ocr_pages} pages OCR'd, "
          f"{summary['open_findings']} open findings")
    print(f"  stages (s): {summary['durations']}")
    print(f"  {ocr_pages / first.seconds * 60:.1f} scanned pages per minute, whole pipeline")
    return first


def dask_run(folder: Path, workers: int, pages: int) -> None:
    """`intake run --dask` on a cold store with a local scheduler and ``workers`` workers
    of one thread each: wall, CPU of every process (this one's children, reaped at the
    end) and the peak of the whole tree under this process (run, scheduler, workers, their
    OCR processes). CPU as sampled 4×/s per process: a Dask worker does not reap its OCR
    processes when it is stopped, so their time never reaches this one's children."""
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as scratch:
        places = {"outbox": Path(scratch) / "outbox", "store": Path(scratch) / "store"}
        own = sum(psutil.Process().cpu_times()[:2])  # this process's CPU before the run
        memory = TreeMemory(os.getpid())
        cluster = DaskCluster(Path(scratch) / "cluster", workers=workers)
        try:
            cluster.wait_for_workers()
            start = time.perf_counter()
            run_measured([str(Path(sys.executable).with_name("intake")), "run", "--no-fetch",
                                "--inbox", str(folder / "inbox"), "--outbox", str(places["outbox"]),
                                "--store", str(places["store"]), "--as-of", AS_OF,
                                "--dask", cluster.address], base_env(Path(scratch) / "prefect"))
            seconds = time.perf_counter() - start
        finally:
            cluster.close()
        peak = memory.stop()
    print(f"\n`intake run --dask`, {workers} local worker(s) (load average after: {_load()}): "
          f"{seconds:.1f} s wall, {sum(memory.cpu.values()) - own:.1f} s CPU of every process, "
          f"{pages / seconds * 60:.1f} pages/min, peak of the whole tree {peak / 2**30:.2f} GiB "
          f"({', '.join(f'{label} {size / 2**20:.0f}' for size, label in memory.at_peak[:6])} MiB)")


def raw_tesseract(pages: list[Path], workers: int) -> tuple[float, float]:
    """Wall and CPU seconds of the tesseract CLI over ``pages``, ``workers`` at once."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def read(page: Path) -> None:
        subprocess.run(["tesseract", str(page), "-", "-l", "chi_sim+eng"], env=env,
                       capture_output=True, check=True, timeout=600)

    start, cpu = time.perf_counter(), _children_cpu()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(read, pages))
    return time.perf_counter() - start, _children_cpu() - cpu


def base_env(prefect_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(prefect_home), PYTHONPATH=str(ROOT),
               PREFECT_LOGGING_LEVEL="WARNING", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return env


def running_server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(Path(sys.executable).with_name("prefect")), "server", "start",
                               "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the Prefect server did not start within 180 s")


# --- the report -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=10,
                        help="invented candidates (default 10, a few minutes; 200 for the scale run)")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="OCR processes for the flow and tesseract processes (default: cores)")
    parser.add_argument("--server", action="store_true",
                        help="also time the flow against a running Prefect server")
    parser.add_argument("--dask", default="",
                        help="also `intake run --dask` on local clusters of these many workers "
                             "of one thread each, e.g. 1,2 (scaling on the machine)")
    parser.add_argument("--skip-tesseract", action="store_true")
    parser.add_argument("--rounds", type=int, default=1,
                        help="cold `intake run` and the tesseract CLI timed in turns this many "
                             "times, the order turned each round; each one's fastest counts")
    parser.add_argument("--skip-profile", action="store_true", help="no per-step timing pass")
    parser.add_argument("--plain", action="store_true",
                        help="time `intake run` on a cold store alone, not the Prefect flow too "
                             "(Prefect's temporary server may not start on a loaded machine)")
    parser.add_argument("--flow-only", action="store_true",
                        help="time the Prefect flow on a cold store alone, not `intake run` "
                             "(the 200-candidate campaign under Prefect, in half the time)")
    args = parser.parse_args()
    if args.plain and args.flow_only:
        parser.error("--plain and --flow-only leave nothing to time")
    print(f"load average at the start: {_load()}")

    folder = campaign(args.candidates, args.workers)
    pages = sorted((folder / "pages").glob("*.jpg"))
    mails = sorted((folder / "inbox").glob("*.eml"))
    size = sum(p.stat().st_size for p in mails)
    print(f"\n{args.candidates} candidates, {len(mails)} mails ({size / 2**20:.0f} MiB), "
          f"{len(pages)} scanned pages; {args.workers} workers on {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as scratch:
        scratch_dir = Path(scratch)
        env = base_env(scratch_dir / "prefect-home")
        # the pipeline as the issue measured it: `intake run` on a cold store
        if not args.flow_only:
            first = timed_plain_runs(folder, scratch_dir, env, len(pages))
        if not args.plain:  # the same under Prefect, on a cold store of its own
            places = {"outbox": scratch_dir / "flow-outbox", "store": scratch_dir / "flow-store"}
            flow_first = first_flow_run(folder, places, env)
            if args.flow_only:
                first = flow_first
            second, second_info = flow_run(folder, places, env)
            print(f"flow, second run:  {second.seconds:8.1f} s wall ({second_info['flow_seconds']:.2f} s in "
                  f"the flow, {second_info['import_seconds']:.1f} s importing Prefect); "
                  f"{second_info['summary']['skipped']}")

        if args.server:
            server, url = running_server(env)
            try:
                served = dict(env, PREFECT_API_URL=url)
                flow_run(folder, places, served)  # the first one against this server
                against, info = flow_run(folder, places, served)
                print(f"flow against a running server, nothing new: {against.seconds:.1f} s wall, "
                      f"{info['flow_seconds']:.2f} s in the flow (target < 10)")
            finally:
                os.killpg(server.pid, 9)

    for workers in [int(n) for n in args.dask.split(",") if n.strip()]:
        dask_run(folder, workers, len(pages))
    if not args.skip_tesseract:
        seconds, cpu = raw_tesseract(pages, args.workers)
        print(f"\nraw tesseract CLI:  {seconds:8.1f} s for {len(pages)} pages, {cpu:.1f} s CPU "
              f"({len(pages) / seconds * 60:.1f} pages/min, {args.workers} at once; "
              f"load average after: {_load()})")
        timed = "the flow" if args.flow_only else "`intake run`"
        print(f"whole pipeline ({timed}, cold) / raw tesseract: {first.seconds / seconds:.2f} wall, "
              f"{first.cpu_seconds / max(cpu, 1e-9):.2f} CPU (target <= 1.0; on a shared "
              f"machine the CPU ratio is the one that carries over)")
        if args.rounds > 1 and not args.flow_only:
            ratio_rounds(folder, pages, args.workers, args.rounds, (first, (seconds, cpu)))
    if not args.skip_profile:
        profile(pages, mails, args.workers)
    extrapolate(args.candidates, first.seconds, args.workers)


def timed_plain_runs(folder: Path, scratch_dir: Path, env: dict[str, str], pages: int) -> Measured:
    """`intake run` on a cold store, as the issue measured it, then again with nothing new."""
    places = {"outbox": scratch_dir / "outbox", "store": scratch_dir / "store"}
    first = plain_run(folder, places, env)
    print(f"\n`intake run`, cold store (load average after: {_load()}): {first.seconds:.1f} s wall, "
          f"{first.cpu_seconds:.1f} s CPU of the process tree, peak memory of the process tree "
          f"{first.peak_rss / 2**30:.2f} GiB (target < 1.5)")
    print(f"  at the peak, MiB: {first.breakdown()}")
    print(f"  CPU seconds by process (sampled): {first.cpu_breakdown()}")
    print(f"  {pages / first.seconds * 60:.1f} scanned pages per minute, whole pipeline")
    print("  " + "\n  ".join(line for line in first.output.splitlines() if line.strip()))
    plain = plain_run(folder, places, env)
    print(f"pipeline alone (`intake run`), second run: {plain.seconds:.2f} s wall (target < 2)")
    return first


def ratio_rounds(folder: Path, pages: list[Path], workers: int, rounds: int,
                 first: tuple[Measured, tuple[float, float]]) -> None:
    """Cold `intake run` and the tesseract CLI in turns, ``rounds`` rounds in all (the first
    already timed, pipeline first), the order turned each round: on a shared machine the
    same work took 10% more CPU from one minute to the next, and each one's fastest round
    is its least disturbed one."""
    runs, tesseract = [first[0]], [first[1]]
    for number in range(2, rounds + 1):
        with tempfile.TemporaryDirectory(prefix="bench-round-") as scratch:
            scratch_dir = Path(scratch)
            places = {"outbox": scratch_dir / "outbox", "store": scratch_dir / "store"}
            env = base_env(scratch_dir / "prefect-home")
            if number % 2 == 0:
                tesseract.append(raw_tesseract(pages, workers))
                runs.append(plain_run(folder, places, env))
            else:
                runs.append(plain_run(folder, places, env))
                tesseract.append(raw_tesseract(pages, workers))
        print(f"round {number}: `intake run` {runs[-1].seconds:.1f} s wall, {runs[-1].cpu_seconds:.1f} s CPU; "
              f"tesseract CLI {tesseract[-1][0]:.1f} s, {tesseract[-1][1]:.1f} s CPU; ratio "
              f"{runs[-1].seconds / tesseract[-1][0]:.2f} (load average after: {_load()})")
    best = min(run.seconds for run in runs)
    best_cpu = min(run.cpu_seconds for run in runs)
    fastest, least = min(t[0] for t in tesseract), min(t[1] for t in tesseract)
    print(f"fastest of {rounds} rounds: `intake run` {best:.1f} s wall, {best_cpu:.1f} s CPU; "
          f"tesseract CLI {fastest:.1f} s, {least:.1f} s CPU: {best / fastest:.2f} wall, "
          f"{best_cpu / least:.2f} CPU (target <= 1.0)")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def profile(pages: list[Path], mails: list[Path], workers: int) -> None:
    """Every page read once more in the pool, each step timed; then the per-file checks."""
    pool = shared_pool(engine_by_name("default"), workers)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as threads:
        results = list(threads.map(lambda page: pool.run(ProfiledPage(page.read_bytes()), 600), pages))
    wall = time.perf_counter() - start
    spent: dict[str, float] = {}
    for result, _ in results:
        if isinstance(result, tuple):
            for kind, value in result[0].items():
                spent[kind] = spent.get(kind, 0.0) + value
    total = sum(spent.values())
    print(f"\nwhere a page's time goes ({len(pages)} pages, {wall:.1f} s wall on {workers} workers, "
          f"{len(pages) / wall * 60:.1f} pages/min; load average after: {_load()}):")
    for kind, value in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {kind:<24} {value:8.1f} s  {value / max(1, len(pages)):6.2f} s/page  "
              f"{value / max(total, 1e-9):6.1%}")
    checks(mails)


def checks(mails: list[Path]) -> None:
    """The per-file checks outside the OCR pool: the seal verdict of every image and PDF,
    LibreOffice on a legacy Word form."""
    images, pdfs = [], []
    for mail in mails:
        message = BytesParser(policy=policy.default).parsebytes(mail.read_bytes())
        for part in message.iter_attachments():
            name = (part.get_filename() or "").lower()
            data = part.get_payload(decode=True)
            if name.endswith((".jpg", ".jpeg", ".png")):
                images.append(data)
            elif name.endswith(".pdf"):
                pdfs.append(data)
    start = time.perf_counter()
    sealed = sum(bool(has_red_seal(data)) for data in images)
    image_seconds = time.perf_counter() - start
    start = time.perf_counter()
    pdf_sealed = sum(bool(pdf_has_red_seal(data)) for data in pdfs)
    pdf_seconds = time.perf_counter() - start
    print(f"  seal verdict, images, one at a time: {image_seconds:6.1f} s for {len(images)} "
          f"({image_seconds / max(1, len(images)):.2f} s each, {sealed} sealed)")
    print(f"  seal verdict, PDFs, one at a time:   {pdf_seconds:6.1f} s for {len(pdfs)} "
          f"({pdf_seconds / max(1, len(pdfs)):.2f} s each, {pdf_sealed} sealed)")
    print(f"  LibreOffice, one .doc to .docx:       {_libreoffice_seconds():6.1f} s")


def _libreoffice_seconds() -> float:
    data, _ = build_form(sample_people()[0], "official")
    start = time.perf_counter()
    try:
        LibreOfficeConverter().to_docx(data, ".docx")
    except Exception as error:  # no LibreOffice here: the figure says so
        print(f"  (LibreOffice failed: {type(error).__name__})")
    return time.perf_counter() - start


def extrapolate(candidates: int, seconds: float, workers: int) -> None:
    """2,000 candidates from this run's seconds per candidate (the work grows with
    candidates: their pages), on one machine and on N Dask workers like it."""
    per_candidate = seconds / max(1, candidates)
    hours = per_candidate * 2000 / 3600
    print(f"\nextrapolated to 2,000 candidates: {per_candidate:.1f} s per candidate on "
          f"{workers} workers -> {hours:.1f} h on one {os.cpu_count()}-core machine (goal <= 8 h)")
    for machines in (2, 4, 8):
        print(f"  on {machines} Dask workers like this one, near-linear: {hours / machines:.1f} h")


if __name__ == "__main__":
    main()
