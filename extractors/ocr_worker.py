"""An OCR worker process: ``python -m extractors.ocr_worker FD``, started by ocr_pool.

Over the socket FD it receives ``(engine, orient)`` once, then page images; it answers
each with ``("ok", PageOcr)`` or ``("error", message)``, until it receives None or EOF.
"""

from __future__ import annotations

import os
import sys
from multiprocessing.connection import Connection

from extractors.ocr_pool import read_page


def serve(conn: Connection) -> None:
    engine, orient = conn.recv()
    while True:
        try:
            image = conn.recv()
        except (EOFError, OSError):
            return
        if image is None:
            return
        try:
            reply = ("ok", read_page(image, engine, orient))
        except Exception as error:  # the engine's failure is the page's, not the worker's
            reply = ("error", f"{type(error).__name__}: {error}"[:300])
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def main() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    serve(Connection(int(sys.argv[1])))


if __name__ == "__main__":
    main()
