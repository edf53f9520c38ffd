"""The worker process of ``extractors.runtime.sandbox``: its address space capped, it runs the
calls it is sent, one at a time, and sends back what each returned or raised.

Run as ``python -m extractors.runtime.sandbox_worker FD MEMORY_BYTES``.
"""

from __future__ import annotations

import errno
import importlib
import pickle
import resource
import sys
from multiprocessing.connection import Connection

from extractors.runtime.memory import release_free_memory


def _answer(module: str, name: str, args: tuple) -> tuple[str, object]:
    try:
        function = getattr(importlib.import_module(module), name)
        return "ok", function(*args)
    except MemoryError as error:
        return "memory", str(error)
    except OSError as error:  # a library that cannot be mapped in: the address space is full
        if error.errno == errno.ENOMEM or "failed to map" in str(error):
            return "memory", str(error)
        return "raise", error
    except RecursionError as error:
        return "raise", RecursionError(str(error))
    except Exception as error:  # sent back to be raised in the caller
        return "raise", error


def main(fd: int, memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    conn = Connection(fd)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        answer = _answer(*request)
        try:
            payload = pickle.dumps(answer)
        except Exception as error:  # an exception or result that does not pickle
            payload = pickle.dumps(("raise", RuntimeError(f"{type(error).__name__}: {error}")))
        conn.send_bytes(payload)
        del answer, payload
        release_free_memory()  # a PDF's parse, back to the system while waiting (as OCR workers do)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
