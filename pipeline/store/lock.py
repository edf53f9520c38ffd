"""One run per store: an exclusive lock on a file in the store's folder.

``intake run``, ``intake publish``, the daily flow and every decision made in the
workspace hold it while they write. It is an ``flock`` on ``intake.lock``: the kernel
releases it when the holding process ends, however it ends (kill -9, power cut of the
process), so a lock left by a killed run is simply taken by the next one. The file says
who holds it (process, host, start time) so that the one that has to wait can say who
it waits for; a clean release empties it, so a non-empty file found on taking the lock
is the trace of a run that did not end well.

The lock is re-entrant within one process (``intake publish`` through the stages, a
flow's tasks in threads of the flow's process): flock would otherwise make a process
wait for itself.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

LOCK_FILE = "intake.lock"
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")  # times a person reads
RUN_WAIT = 300.0  # s a run waits for another to end before it gives up
WRITE_WAIT = 5.0  # s a workspace decision waits (a person is waiting on the page)
POLL = 0.2  # s between tries


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as its file says."""

    pid: int | None
    host: str
    started_at: str  # Asia/Shanghai, to the second
    purpose: str

    def text(self) -> str:
        return (f"另一次运行正在进行：进程{self.pid or '未知'}、主机{self.host or '未知'}、"
                f"开始时间{self.started_at or '未知'}")


class StoreBusy(RuntimeError):
    """Another process holds the store; nothing was written. The text (Chinese) names it."""

    def __init__(self, holder: Holder):
        super().__init__(holder.text())
        self.holder = holder


def lock_path(store_dir: Path) -> Path:
    return store_dir / LOCK_FILE


def read_holder(store_dir: Path) -> Holder | None:
    """Who the lock file names, or None when it names nobody."""
    try:
        text = lock_path(store_dir).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return Holder(data.get("pid"), str(data.get("host", "")), str(data.get("started_at", "")),
                  str(data.get("purpose", "")))


def current_holder(store_dir: Path) -> Holder | None:
    """The holder if a process holds the lock now (tried without taking it), else None."""
    path = lock_path(store_dir)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return read_holder(store_dir) or Holder(None, "", "", "")
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


_held: dict[Path, int] = {}  # store folder → times taken by this process
_held_guard = threading.Lock()


@contextmanager
def store_lock(store_dir: Path, purpose: str, wait: float = RUN_WAIT,
               clock: Callable[[], dt.datetime] | None = None) -> Iterator[None]:
    """Hold the store's lock for the block; StoreBusy after ``wait`` seconds of another
    process holding it."""
    key = store_dir.absolute()
    with _held_guard:
        if _held.get(key):
            _held[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    fd = _acquire(store_dir, wait)
    try:
        _claim(fd, store_dir, purpose, clock)
        with _held_guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _held_guard:
                _held.pop(key, None)
            os.ftruncate(fd, 0)  # released cleanly: the file names nobody
    finally:
        os.close(fd)  # closing releases the flock


def _acquire(store_dir: Path, wait: float) -> int:
    store_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(lock_path(store_dir), os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreBusy(read_holder(store_dir) or Holder(None, "", "", "")) from None
            time.sleep(POLL)


def _claim(fd: int, store_dir: Path, purpose: str,
           clock: Callable[[], dt.datetime] | None) -> None:
    left = read_holder(store_dir)
    if left is not None:  # its process ended without releasing: killed, or the machine stopped
        log.warning("接管上次未正常结束的运行留下的锁（进程%s、主机%s、开始时间%s）",
                    left.pid, left.host, left.started_at)
    now = (clock or (lambda: dt.datetime.now(LOCAL_ZONE)))()
    record = {"pid": os.getpid(), "host": socket.gethostname(),
              "started_at": now.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M:%S"),
              "purpose": purpose}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(record, ensure_ascii=False).encode("utf-8"), 0)
    os.fsync(fd)
