"""Pages read in worker processes, one per core, each page under a timeout.

OCR is CPU-bound and Tesseract and RapidOCR both run best here with one thread per
process, so pages go to a pool of worker processes. A page that does not come back
within its timeout gets no text and a note; its worker is killed (with anything it
started, such as a tesseract process) and a fresh one takes its place, so one
pathological image cannot hang a run.

``OcrPool.read`` blocks and is thread-safe: a caller reads pages in parallel by calling
it from as many threads as there are workers. ``shared_pool`` keeps one pool per engine
for the life of the process (workers keep their loaded models); ``close_shared_pools``
ends them, as does the interpreter's exit.

A page's reading also says whether a red seal is on it (``PageOcr.seal``, from the seal
search the page's filter does anyway); ``ImageSeal`` and ``PdfSeal`` look for a file's seal
in a worker when no reading tells it, so the caller's process never searches for seals.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from extractors.images.photos import has_red_seal, pdf_seal_here
from extractors.images.preprocess import rgb_or_grey, scale_down
from extractors.limits import DEFAULT_LIMITS, OCR_WORKER_RESIDENT, SEAL_PAGES, Limits
from extractors.ocr.base import (
    DraftReadingEngine,
    OcrEngine,
    filtered_as,
    filtered_copy,
    filtered_with_seals,
)
from extractors.ocr.orientation import fix_orientation
from extractors.records import Failure
from extractors.runtime.child_process import ChildProcess, child_environment
from extractors.runtime.memory import resident_bytes


@dataclass(frozen=True)
class PageOcr:
    text: str
    confidence: float | None
    rotation: int  # clockwise degrees the page was turned to be upright
    seconds: float
    note: Failure | None = None  # why the text is missing (timeout, engine error)
    # a red seal on the page (``find_seals`` on the page read, before its seals were
    # whitened); None for a grey page, where none can show, or a page not read
    seal: bool | None = None


class PageSource:
    """A page the worker makes itself from a few bytes (a JPEG, a PDF and a page number):
    the caller then never holds the decoded picture, which is 25 MB for an A4 scan at
    300 dpi, nor spends its own time decoding it. Subclasses are plain picklable data."""

    def render(self) -> Image.Image:
        raise NotImplementedError

    def draft(self, side: int) -> Image.Image | None:
        """The page made smaller, its long side no less than ``side`` px, where its format
        allows it cheaply (a JPEG decoded at a reduced scale: a quarter of the pixels of a
        300-dpi scan; a PDF page drawn at that size); None: ``render`` it whole."""
        return None


class PageTask:
    """Work on one page that needs the engine itself rather than one reading of the page
    (a scanned form's cells, each read on its own): done by a worker like any page, under
    the same timeout, so that no engine runs in the caller's process. Subclasses are plain
    picklable data; ``run`` returns picklable data."""

    def run(self, engine: OcrEngine) -> object:
        raise NotImplementedError


@dataclass(frozen=True)
class ImageSeal(PageTask):
    """Whether an image file shows a red seal (``has_red_seal``), for a file whose seal is
    not told by its reading (not OCR'd, its text cached, its page failed): the seal search
    runs in a worker, beside the pages being read, never in the caller's process."""

    data: bytes
    limits: Limits = DEFAULT_LIMITS

    def run(self, engine: OcrEngine) -> bool:
        return has_red_seal(self.data, self.limits, engine.capabilities.draft_side)


@dataclass(frozen=True)
class PdfSeal(PageTask):
    """Whether a page of a PDF shows a red seal (``pdf_seal_here``: its colour pages at
    the seal's resolution), in a worker; None when it cannot be told."""

    data: bytes

    def run(self, engine: OcrEngine) -> bool | None:
        return pdf_seal_here(self.data, SEAL_PAGES)


def read_page(image: Image.Image, engine: OcrEngine, orient: bool = True,
              whole: Callable[[], Image.Image] | None = None) -> PageOcr:
    """One page in this process: scaled down, filtered (seals whitened), turned upright, read.

    Tesseract OSD turns the page unless the engine turns pages itself (its capabilities).
    An engine that reads drafts gets the page at its ``draft_side``, filtered there
    (``filtered_copy``; ``image`` may come decoded that small already, ``PageSource.draft``),
    and for a closer look the page whole (``whole``, else ``image``), filtered alike.
    """
    start = time.perf_counter()
    page = scale_down(rgb_or_grey(image))
    side, rotation = engine.capabilities.draft_side, 0
    if side and isinstance(engine, DraftReadingEngine) and (engine.capabilities.orients or not orient):
        draft, seals = filtered_copy(page, side)
        full = _whole_page(whole) if whole is not None else (lambda: page)
        result = engine.read_draft(draft, lambda: filtered_as(full(), draft, seals))
    else:
        image, seals = filtered_with_seals(page)
        if orient and not engine.capabilities.orients:
            image, rotation = fix_orientation(image)
        result = engine.read(image)
    seal = None if page.mode == "L" else bool(seals)
    rotation = (rotation + result.rotation) % 360
    return PageOcr(result.text, result.confidence, rotation, time.perf_counter() - start,
                   seal=seal)


def _whole_page(whole: Callable[[], Image.Image]) -> Callable[[], Image.Image]:
    return lambda: scale_down(rgb_or_grey(whole()))


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _Worker(ChildProcess):
    """A fresh interpreter running ``extractors.ocr.worker`` (``extractors.runtime.child_process``)."""

    def __init__(self, engine: OcrEngine, orient: bool):
        super().__init__("extractors.ocr.worker", [], child_environment())
        self.conn.send((engine, orient))



class OcrPool:
    """Up to ``workers`` processes reading pages with ``engine``; started as needed."""

    def __init__(self, engine: OcrEngine, workers: int | None = None, *, orient: bool = True,
                 max_worker_rss: int = OCR_WORKER_RESIDENT):
        self.engine = engine
        self.workers = max(1, workers or default_workers())
        self.orient = orient
        # a worker that has grown past this after a page (buffers sized for the largest page
        # yet, a fragmented heap) ends and a fresh one reads the next: its models load again
        # in about a second, where every worker kept at its peak would sum past the budget
        self.max_worker_rss = max_worker_rss
        self._slots = threading.BoundedSemaphore(self.workers)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._closed = False

    def read(self, page: Image.Image | PageSource | Callable[[], Image.Image],
             timeout: float = DEFAULT_LIMITS.seconds_per_page) -> PageOcr:
        """The page's text, or empty text and a note when it timed out or failed.

        ``page`` may be a ``PageSource``, made into a picture by the worker, or a function
        that makes the picture here: it is called only once a worker is free, so that
        however many callers wait, at most ``workers`` decoded pages are in memory.
        """
        start = time.perf_counter()
        payload, note = self._submit(page, timeout)
        if note is not None:
            return PageOcr("", None, 0, time.perf_counter() - start, note)
        assert isinstance(payload, PageOcr)
        return payload

    def run(self, task: PageTask,
            timeout: float = DEFAULT_LIMITS.seconds_per_page) -> tuple[object, Failure | None]:
        """What ``task.run(engine)`` returned in a worker, and None; or None and why there
        is nothing (timeout, the task's error, a crashed worker), as for a page."""
        return self._submit(task, timeout)

    def _submit(self, job: Image.Image | PageSource | PageTask | Callable[[], Image.Image],
                timeout: float) -> tuple[object, Failure | None]:
        self._slots.acquire()
        worker = None
        try:
            try:
                if callable(job) and not isinstance(job, (PageSource, PageTask)):
                    job = job()
            except Exception as error:  # a page that will not render
                return None, Failure.of("page_not_rendered", error=type(error).__name__)
            worker = self._take()
            reply = self._ask(worker, job, timeout)
            if reply is None:
                self._discard(worker)
                worker = None
                return None, Failure.of("ocr_timeout", seconds=timeout)
            status, payload = reply
            if status == "ok":
                return payload, None
            return None, Failure.of("page_not_rendered" if status == "render" else "ocr_error",
                                    error=payload)
        except (EOFError, OSError) as error:
            if worker is not None:
                self._discard(worker)
                worker = None
            return None, Failure.of("ocr_worker_died", error=type(error).__name__)
        finally:
            if worker is not None:
                self._release(worker)
            self._slots.release()

    def start(self) -> None:
        """Every worker started now, its models loading while the caller is still unpacking
        the message whose pages it will read, rather than on the first page (about a second
        and a half a worker, with the other cores idle)."""
        with self._lock:
            if self._closed:
                return
            for _ in range(self.workers - len(self._all)):
                worker = _Worker(self.engine, self.orient)
                self._all.add(worker)
                self._idle.append(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle = list(self._all), []
            self._all.clear()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> OcrPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("the OCR pool is closed")
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                self._all.discard(worker)
                worker.conn.close()
        worker = _Worker(self.engine, self.orient)
        with self._lock:
            self._all.add(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        """The worker back to the idle ones, or ended when it has grown too large."""
        resident = resident_bytes(worker.process.pid)
        if resident is not None and resident > self.max_worker_rss:
            with self._lock:
                self._all.discard(worker)
            worker.stop()
            return
        with self._lock:
            self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    @staticmethod
    def _ask(worker: _Worker, image: Image.Image | PageSource | PageTask, timeout: float):
        """The worker's reply, or None when none came within ``timeout`` seconds."""
        if not worker.alive():
            raise EOFError("worker gone")
        worker.conn.send(image)
        if not worker.conn.poll(timeout):
            return None
        return worker.conn.recv()


_SHARED: dict[tuple, OcrPool] = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(engine: OcrEngine, workers: int | None = None, *, orient: bool = True) -> OcrPool:
    """The process-wide pool for this engine and size, started on first use."""
    key = (engine, max(1, workers or default_workers()), orient)
    with _SHARED_LOCK:
        pool = _SHARED.get(key)
        if pool is None:
            pool = _SHARED[key] = OcrPool(engine, key[1], orient=orient)
        return pool


def close_shared_pools() -> None:
    """Ends every shared pool's workers (they start again when next needed)."""
    with _SHARED_LOCK:
        pools = list(_SHARED.values())
        _SHARED.clear()
    for pool in pools:
        pool.close()


atexit.register(close_shared_pools)
