"""An OCR worker process: ``python -m extractors.ocr.worker FD``, started by the pool
(``extractors.ocr.pool``).

Over the socket FD it receives ``(engine, orient)`` once, loads the engine's models
(``WarmingEngine``), then page images; it answers
each (or a ``PageTask``) with ``("ok", PageOcr)`` (what the task returned), ``("error", message)`` or, for a ``PageSource`` that will
not decode, ``("render", error name)``, until it receives None or EOF.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from extractors.ocr.base import WarmingEngine
from extractors.ocr.pool import PageSource, PageTask, read_page
from extractors.runtime.memory import release_free_memory


def serve(conn: Connection) -> None:
    engine, orient = conn.recv()
    _warm(engine)
    while True:
        try:
            image = conn.recv()
        except (EOFError, OSError):
            return
        if image is None:
            return
        reply = _read(image, engine, orient)
        del image
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
        release_free_memory()  # the page's buffers, back to the system while waiting


def _warm(engine) -> None:
    """The engine's models loaded before the first page comes (``WarmingEngine``); if they
    will not load, the first page's reading says why, as it would have."""
    if isinstance(engine, WarmingEngine):
        try:
            engine.warm()
        except Exception:  # reported by the first page, which tries again
            pass


def _read(page, engine, orient: bool) -> tuple[str, object]:
    if isinstance(page, PageTask):
        try:
            return "ok", page.run(engine)
        except Exception as error:  # the task's failure is the page's, not the worker's
            return "error", f"{type(error).__name__}: {error}"[:300]
    whole = None
    if isinstance(page, PageSource):
        source, side = page, engine.capabilities.draft_side
        try:
            draft = source.draft(side) if side else None
            page = source.render() if draft is None else draft
        except Exception as error:  # bytes that will not decode: the page's failure
            return "render", type(error).__name__
        whole = source.render if draft is not None else None
    try:
        return "ok", read_page(page, engine, orient, whole)
    except Exception as error:  # the engine's failure is the page's, not the worker's
        return "error", f"{type(error).__name__}: {error}"[:300]


def main() -> None:
    # Started with the thread limits in its environment (extractors.runtime.child_process).
    serve(Connection(int(sys.argv[1])))


if __name__ == "__main__":
    main()
