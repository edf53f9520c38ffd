"""Start-up and memory of the daily run as an operator meets them (issue 21, points 7 and 9).

Prints:
1. ``intake --help`` wall time (best of 3) and the CPU it took;
2. the demo through ``intake run`` with the default OCR engine (cold store): wall time and
   the peak memory of the whole process tree (the run, OCR workers, PDF sandbox,
   LibreOffice), sampled 4×/s, with the biggest processes at the peak;
3. ``intake run`` again with nothing new (best of 3): wall and CPU;
4. the modules that cost most at import for ``intake run`` (``python -X importtime`` of
   ``flows.run_commands``: ``flows.cli`` itself loads its commands only when called);
5. with ``--server``: the ``daily-intake`` flow with nothing new against a running
   ``prefect server start`` (a fresh process each time, as a worker starts one).

The machine's load is printed too: on a shared machine wall times are what is left over.
Targets: --help < 1 s, a run with nothing new < 1.5 s, the flow rerun < 5 s, the
process tree < 1.5 GiB.

Run: ``.venv/bin/python bench/bench_startup.py [--server] [--ocr-engine default]``
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import base_env, run_measured, running_server  # noqa: E402

INTAKE = str(Path(sys.executable).with_name("intake"))
DEMO = ROOT / "demo" / "mail"
AS_OF = "2025-04-15"
FLOW_RERUN = """
import sys, time
start = time.perf_counter()
from flows.daily import daily_intake
summary = daily_intake(inbox=sys.argv[1], outbox=sys.argv[2], store=sys.argv[3], as_of=sys.argv[4],
                       ocr_engine=sys.argv[5])
print(f"FLOW {time.perf_counter() - start:.2f} {summary['skipped'] != ''}")
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the children) of one run, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command[:3]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best(command: list[str], env: dict[str, str], rounds: int = 3) -> tuple[float, float]:
    return min(timed(command, env) for _ in range(rounds))


def import_costs(env: dict[str, str], top: int = 8) -> list[tuple[str, float]]:
    """Self import time per top-level package for what ``intake run`` imports."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c",
                           "import flows.cli, flows.run_commands"],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    costs: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \| \s*(\S+)", line)
        if match:
            costs[match.group(2).split(".")[0]] += int(match.group(1)) / 1e6
    return costs.most_common(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", action="store_true", help="also the flow rerun on a server")
    parser.add_argument("--ocr-engine", default="default")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = base_env(work / "prefect-home")
    # As installed: bytecode cached. With PYTHONDONTWRITEBYTECODE (set in some shells and
    # CI) every start compiles ~120 modules from source again, seconds on a busy machine.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    timed([INTAKE, "--help"], env)  # writes the bytecode of what --help imports
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    wall, cpu = best([INTAKE, "--help"], env)
    print(f"intake --help: {wall:.2f} s wall, {cpu:.2f} s CPU (target < 1 s wall)")
    run = [INTAKE, "run", "--no-fetch", "--inbox", str(DEMO), "--outbox", str(work / "outbox"),
           "--store", str(work / "state"), "--as-of", AS_OF, "--ocr-engine", args.ocr_engine]
    subprocess.run([sys.executable, "-c", "import flows.run_commands, flows.daily"], cwd=ROOT, env=env,
                   check=True)  # the bytecode of a run and of the flow, written once
    measured = run_measured(run, env)
    print(f"demo, cold store, engine {args.ocr_engine}: {measured.seconds:.1f} s wall, peak process "
          f"tree {measured.peak_rss / 2**30:.2f} GiB (target < 1.5): {measured.breakdown()} MiB")
    wall, cpu = best(run, env)
    print(f"intake run with nothing new: {wall:.2f} s wall, {cpu:.2f} s CPU (target < 1.5 s wall)")
    print("import cost of intake run by package (s, self): "
          + ", ".join(f"{name} {seconds:.2f}" for name, seconds in import_costs(env)))
    if args.server:
        server, url = running_server(env)
        try:
            flow_env = {**env, "PREFECT_API_URL": url}
            rerun = [sys.executable, "-c", FLOW_RERUN, str(DEMO), str(work / "outbox"),
                     str(work / "state"), AS_OF, args.ocr_engine]
            wall, cpu = best(rerun, flow_env, rounds=2)
            print(f"flow rerun with nothing new against a running server: {wall:.2f} s wall, "
                  f"{cpu:.2f} s CPU (target < 5 s)")
        finally:
            os.killpg(server.pid, signal.SIGTERM)  # the server and its children
            server.wait()
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
