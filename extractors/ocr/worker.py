"""An OCR worker process: ``python -m extractors.ocr.worker FD``, started by the pool
(``extractors.ocr.pool``).

Over the socket FD it receives ``(engine, orient)`` once, then page images; it answers
each (or a ``PageTask``) with ``("ok", PageOcr)`` (what the task returned), ``("error", message)`` or, for a ``PageSource`` that will
not decode, ``("render", error name)``, until it receives None or EOF.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from extractors.ocr.pool import PageSource, PageTask, read_page
from extractors.runtime.memory import release_free_memory


def serve(conn: Connection) -> None:
    engine, orient = conn.recv()
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


def _read(page, engine, orient: bool) -> tuple[str, object]:
    if isinstance(page, PageTask):
        try:
            return "ok", page.run(engine)
        except Exception as error:  # the task's failure is the page's, not the worker's
            return "error", f"{type(error).__name__}: {error}"[:300]
    if isinstance(page, PageSource):
        try:
            page = page.render()
        except Exception as error:  # bytes that will not decode: the page's failure
            return "render", type(error).__name__
    try:
        return "ok", read_page(page, engine, orient)
    except Exception as error:  # the engine's failure is the page's, not the worker's
        return "error", f"{type(error).__name__}: {error}"[:300]


def main() -> None:
    # Started with the thread limits in its environment (extractors.runtime.child_process).
    serve(Connection(int(sys.argv[1])))


if __name__ == "__main__":
    main()
