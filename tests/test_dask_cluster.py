"""`intake run --dask` on a real cluster: a `dask scheduler` and two `dask worker`
processes (one thread each) on loopback. The same register as a run here, byte for byte;
one OCR process per worker thread; a run with every worker gone fails within its timeout
and its report says 集群无可用工作节点."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

from flows.cli import main
from tests.builders.dates import WHEN
from tests.builders.mail import build_eml
from tests.builders.scans import certificate, jpeg
from tests.paths import ROOT
from tests.servers import DaskCluster

pytestmark = pytest.mark.slow
WORKER_TIMEOUT = 8  # s with no worker alive before a run fails (INTAKE_DASK_WORKER_TIMEOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    cluster = DaskCluster(tmp_path_factory.mktemp("dask"), workers=2)
    try:
        cluster.wait_for_workers()
        yield cluster
    finally:
        cluster.close()


def _run(tmp_path: Path, name: str, inbox: Path, *options: str) -> tuple[int, str, Path]:
    outbox = tmp_path / name / "outbox"
    result = CliRunner().invoke(main, [
        "run", "--no-fetch", "--inbox", str(inbox), "--outbox", str(outbox),
        "--store", str(tmp_path / name / "state"), "--as-of", "2025-04-15", *options])
    return result.exit_code, result.output, outbox


def _register_text(outbox: Path) -> str:
    text = (outbox / "register.json").read_text(encoding="utf-8")
    return re.sub(r'"generated_at": "[^"]*"', '"generated_at": ""', text, count=1)


def test_a_cluster_run_gives_the_local_register_byte_for_byte(cluster, tmp_path: Path) -> None:
    inbox = ROOT / "demo" / "mail"
    code, output, local = _run(tmp_path, "local", inbox, "--ocr-engine", "none")
    assert code == 0, output
    code, output, on_cluster = _run(tmp_path, "dask", inbox, "--ocr-engine", "none",
                                    "--dask", cluster.address)
    assert code == 0, output
    assert "新邮件 3 封，本次处理 3 封；共 3 个材料包" in output
    assert _register_text(on_cluster) == _register_text(local)
    assert '"name": "周立衡"' in _register_text(local)


def _scans_message(directory: Path) -> Path:
    """One message with four scanned certificates: read at once, they would start an OCR
    process per core on the worker that takes the message."""
    directory.mkdir(parents=True)
    scans = [(f"证书{n}.jpg", jpeg(certificate(f"荣誉证书{n}", [f"编号 2024-{n:04d}"],
                                               seal_unit=None, seed=n))) for n in range(4)]
    raw = build_eml("学会 <a@example.invalid>", "补充材料", "", scans,
                    WHEN)
    (directory / "scans.eml").write_bytes(raw)
    return directory


def test_a_dask_worker_reads_scans_on_one_ocr_process_per_thread(cluster, tmp_path: Path) -> None:
    inbox = _scans_message(tmp_path / "inbox")
    code, output, _ = _run(tmp_path, "ocr", inbox, "--ocr-engine", "tesseract",
                           "--dask", cluster.address)
    assert code == 0, output
    assert "识别扫描页 4 页" in output
    per_worker = [len(_ocr_processes(worker.pid)) for worker in cluster.workers]
    assert sum(per_worker) >= 1 and max(per_worker) == 1, per_worker  # --nthreads 1


def _ocr_processes(pid: int) -> list[psutil.Process]:
    """The OCR worker processes in a `dask worker`'s tree (they live as long as it does)."""
    tree = psutil.Process(pid).children(recursive=True)
    return [p for p in tree if "extractors.ocr.worker" in " ".join(p.cmdline())]


def test_with_every_worker_gone_the_run_fails_within_the_timeout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(ROOT / "demo" / "mail", inbox)
    cluster = DaskCluster(tmp_path / "dask", workers=2)  # its own: the others keep theirs
    try:
        cluster.wait_for_workers()
        cluster.kill_workers()
        _fails_within_the_timeout(cluster, tmp_path, inbox, monkeypatch)
    finally:
        cluster.close()


def _fails_within_the_timeout(cluster: DaskCluster, tmp_path: Path, inbox: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_DASK_WORKER_TIMEOUT", str(WORKER_TIMEOUT))
    monkeypatch.setenv("INTAKE_DASK_ADDRESS", cluster.address)  # the setting from the environment
    began = time.monotonic()
    code, output, outbox = _run(tmp_path, "dead", inbox, "--ocr-engine", "none")
    took = time.monotonic() - began
    assert code == 1, output
    assert "本次运行失败：集群无可用工作节点" in output
    assert took < WORKER_TIMEOUT + 30, took
    report = (outbox / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert "集群无可用工作节点" in report and cluster.address in report
