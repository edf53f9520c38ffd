"""Calls into libraries that can hang or eat memory on hostile input (pdfminer, pdfplumber,
pypdfium2), made in a child process under a time and a memory cap.

A PDF whose page tree loops or whose arrays nest 100,000 deep can send a parser into
endless work, unbounded memory or a C stack overflow. ``run_capped`` runs a module-level
function in a worker process (``extractors.runtime.sandbox_worker``) whose address space is capped
(``RLIMIT_AS``); a call that does not return within its seconds gets the worker killed,
process group and all, and a fresh one takes the next call. What the function returns or
raises comes back as if called here; a timeout, a memory limit or a crash raises
``CappedFailure`` with its kind. Workers are kept for later calls (a PDF library is
imported once per worker) and ended at exit.

Not multiprocessing: a worker neither re-imports the caller's main module nor inherits
its threads and locks, as for the OCR workers (``extractors.ocr.pool``).
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extractors.runtime.child_process import ChildProcess, child_environment


@dataclass(frozen=True)
class Caps:
    seconds: float
    memory: int  # bytes of address space of the worker


class CappedFailure(Exception):
    """The call did not finish: ``kind`` is "timeout", "memory" or "crash"."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.detail = kind, detail


class _Worker(ChildProcess):
    def __init__(self, memory: int):
        super().__init__("extractors.runtime.sandbox_worker", [str(memory)], child_environment())

    def call(self, module: str, name: str, args: tuple, seconds: float) -> tuple[str, Any]:
        self.conn.send((module, name, args))
        if not self.conn.poll(seconds):
            raise CappedFailure("timeout", f"{seconds:g} s")
        return self.conn.recv()



_LOCK = threading.Lock()
_IDLE: dict[int, list[_Worker]] = {}  # memory cap -> idle workers
_ALL: set[_Worker] = set()


def _take(memory: int) -> _Worker:
    with _LOCK:
        idle = _IDLE.setdefault(memory, [])
        while idle:
            worker = idle.pop()
            if worker.process.poll() is None:
                return worker
            _ALL.discard(worker)
        worker = _Worker(memory)
        _ALL.add(worker)
        return worker


def _give_back(worker: _Worker, memory: int) -> None:
    with _LOCK:
        _IDLE.setdefault(memory, []).append(worker)


def _discard(worker: _Worker) -> None:
    worker.kill()
    with _LOCK:
        _ALL.discard(worker)


def run_capped(function: Callable[..., Any], *args: Any, caps: Caps) -> Any:
    """``function(*args)`` in a worker under ``caps``; what it returns or raises, or
    ``CappedFailure``. ``function`` must be module-level, ``args`` and its result picklable."""
    worker = _take(caps.memory)
    try:
        status, value = worker.call(function.__module__, function.__qualname__, args, caps.seconds)
    except CappedFailure:
        _discard(worker)
        raise
    except (EOFError, OSError) as error:  # the worker died: a crash (a C stack overflow, …)
        code = worker.process.poll()
        _discard(worker)
        raise CappedFailure("crash", f"exit {code}" if code is not None else str(error)) from error
    if status == "memory":
        _discard(worker)  # its heap may be in a poor state after MemoryError
        raise CappedFailure("memory", value)
    _give_back(worker, caps.memory)
    if status == "raise":
        raise value
    return value


def close_workers() -> None:
    with _LOCK:
        workers = list(_ALL)
        _ALL.clear()
        _IDLE.clear()
    for worker in workers:
        worker.stop()


atexit.register(close_workers)
