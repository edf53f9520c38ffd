"""Messages read on a Dask cluster: ``intake run --dask``, ``intake serve --dask`` and the
flow's ``dask_address`` parameter (or ``INTAKE_DASK_ADDRESS``) all come here, as the
run's ``RunConfig.cluster``.

The flow's process keeps the database; each message goes to a Dask worker as a plain
``ExtractJob`` (the store folder is shared at the same path) and comes back as a package,
which the flow saves. On the worker the OCR pool is sized to the worker's threads, so
that its tasks share one pool of that size instead of one process per core each. When
no worker is alive for ``worker_timeout`` seconds the run fails with
集群无可用工作节点 (``ClusterUnavailable``), and the failure report says so.

``distributed`` is imported when a cluster is used (it takes a second to load).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.progress import Progress
from pipeline.run import ClusterUnavailable, ExtractedMessage, ExtractJob, extract_message
from pipeline.settings import ClusterSettings
from pipeline.stages import LocalRunner

CONNECT_TIMEOUT = 30.0  # s to reach the scheduler
POLL = 1.0  # s between looks at the cluster while messages are out


def read_on_cluster(cluster: ClusterSettings, jobs: list[ExtractJob],
                    progress: Progress) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
    """Every job read on the cluster, yielded as each is done."""
    if not jobs:
        return
    with connected(cluster) as client:
        futures = {client.submit(extract_on_worker, job, key=f"extract-{job.sha256}",
                                 pure=False): job for job in jobs}
        for future in finished(client, list(futures), cluster):
            if future.cancelled():  # the scheduler went away with it
                raise ClusterUnavailable(f"与 Dask 集群 {cluster.address} 的连接中断，"
                                         "邮件未处理完（请检查 dask scheduler 后重新运行）")
            extracted: ExtractedMessage = future.result()
            progress.file_read(extracted.stats.pages_ocr, False)
            yield futures[future], extracted


@contextmanager
def connected(cluster: ClusterSettings):
    """A client of the scheduler, or of a cluster started here ("local": one worker per
    core, one thread each)."""
    from distributed import Client, LocalCluster

    local = None
    try:
        if cluster.local:
            local = LocalCluster(threads_per_worker=1, dashboard_address=None)
            client = Client(local, timeout=CONNECT_TIMEOUT)
        else:
            client = Client(cluster.address, timeout=CONNECT_TIMEOUT)
    except OSError as error:
        if local is not None:
            local.close()
        raise ClusterUnavailable(f"无法连接 Dask 集群调度器 {cluster.address}：{error}") from error
    try:
        yield client
    finally:
        client.close()
        if local is not None:
            local.close()


def finished(client, futures: list, cluster: ClusterSettings) -> Iterator:
    """The futures as they finish; ClusterUnavailable once no worker has been alive for
    the cluster's ``worker_timeout`` seconds with futures still out."""
    from distributed import wait

    timeout = cluster.worker_timeout
    pending, alone_since = set(futures), None
    while pending:
        try:
            done = wait(list(pending), timeout=POLL, return_when="FIRST_COMPLETED").done
        except TimeoutError:
            done = set()
        pending -= done
        yield from done
        if workers_alive(client):
            alone_since = None
            continue
        alone_since = alone_since or time.monotonic()
        if pending and time.monotonic() - alone_since > timeout:
            raise ClusterUnavailable(
                f"集群无可用工作节点：Dask 集群 {cluster.address} 已有 {timeout:g} 秒"
                f"没有存活的工作节点，{len(pending)} 封邮件未处理"
                "（请检查 dask worker 进程后重新运行）")


def workers_alive(client) -> int:
    """Workers the scheduler knows alive; 0 when the scheduler itself does not answer."""
    try:
        return len(client.scheduler_info(n_workers=-1).get("workers", {}))
    except OSError:
        return 0


def extract_on_worker(job: ExtractJob) -> ExtractedMessage:
    """On a Dask worker: the message read with an OCR pool of the worker's thread count
    (its tasks share that one pool, ``extractors.ocr.pool.shared_pool``)."""
    return extract_message(dataclasses.replace(job, ocr_workers=worker_threads()))


def worker_threads() -> int | None:
    """The threads of the Dask worker this runs on; None outside one."""
    from distributed import get_worker

    try:
        return get_worker().state.nthreads
    except ValueError:  # not on a worker
        return None


class ClusterRunner(LocalRunner):
    """``intake run``: the stages here, the messages on the run's cluster when it has one."""

    def extract_all(self, jobs: list[ExtractJob], cluster: ClusterSettings | None = None,
                    ) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
        if cluster is None:
            return super().extract_all(jobs)
        return read_on_cluster(cluster, jobs, self.progress)
