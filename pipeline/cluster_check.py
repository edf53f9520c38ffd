"""A Dask scheduler's address checked before any work: a run pointed at a scheduler that
is not there fails in seconds, naming it, before the drop folder is collected (issue 21;
it used to take 30 s, after everything else was done). First a plain TCP connection
(refused at once when nothing listens), then Dask's own handshake, since a proxy or a
firewall may accept any connection; ``distributed`` is loaded only for a run that names
a scheduler."""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

from pipeline.run import ClusterUnavailable
from pipeline.settings import ClusterSettings

CHECK_TIMEOUT = 2.0  # s for the scheduler to answer (a loaded scheduler still answers in ms)
DEFAULT_PORT = 8786


def scheduler_host_port(address: str) -> tuple[str, int]:
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    return parts.hostname or "", parts.port or DEFAULT_PORT


def check_scheduler(cluster: ClusterSettings | None, timeout: float = CHECK_TIMEOUT) -> None:
    """ClusterUnavailable when the scheduler does not accept a connection; nothing to check
    for no cluster or one the run starts itself ("local")."""
    if cluster is None or cluster.local:
        return
    host, port = scheduler_host_port(cluster.address)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
        _handshake(cluster.address, timeout)
    except OSError as error:
        reason = "无应答" if isinstance(error, TimeoutError) else (error.strerror or str(error))
        raise ClusterUnavailable(f"无法连接 Dask 集群调度器 {cluster.address}（{host}:{port}）："
                                 f"{reason}。请先启动 dask scheduler，或去掉 --dask / "
                                 "INTAKE_DASK_ADDRESS 在本机处理") from error


def _handshake(address: str, timeout: float) -> None:
    """A scheduler answers Dask's identity call within ``timeout``; OSError otherwise
    (whatever else answered: garbage read as a frame is not a scheduler either)."""
    try:
        kind = asyncio.run(asyncio.wait_for(_identify(address, timeout), timeout))
    except OSError:  # refused, unreachable, or no answer in time (TimeoutError)
        raise
    except Exception as error:  # anything else on that port is not Dask
        raise OSError(f"对方不是 Dask 调度器（{type(error).__name__}）") from error
    if kind != "Scheduler":
        raise OSError(f"对方不是 Dask 调度器（{kind}）")


async def _identify(address: str, timeout: float) -> str:
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    try:
        await comm.write({"op": "identity"})
        reply = await comm.read()
    finally:
        comm.abort()
    return str(reply.get("type", "")) if isinstance(reply, dict) else type(reply).__name__
