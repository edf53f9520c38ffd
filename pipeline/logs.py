"""The run's log file: ``<store>/logs/intake.log``, rotated (standard library handler),
one line per stage and per message, times in Asia/Shanghai.

Each line names the stage as the Prefect UI names its task (``[check-and-publish] …``):
under Prefect the same records also go to the flow run's log (``flows/daily.py``), where
``prefect flow-run logs`` shows the message only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from pathlib import Path

from pipeline.store.lock import LOCAL_ZONE

LOG_DIR = "logs"
LOG_FILE = "intake.log"
LOGGERS = ("pipeline", "extractors", "flows")  # this project's; not Prefect's or httpx's
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 10  # intake.log.1 … .10: months of daily runs
FORMAT = "%(asctime)s %(levelname)s %(message)s"


class LocalTimeFormatter(logging.Formatter):
    """Times as the office reads them, whatever the machine's zone."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        moment = dt.datetime.fromtimestamp(record.created, LOCAL_ZONE)
        return moment.strftime(datefmt or "%Y-%m-%d %H:%M:%S")


def log_path(store_dir: Path) -> Path:
    return store_dir / LOG_DIR / LOG_FILE


@contextmanager
def run_log(store_dir: Path) -> Iterator[Path]:
    """The store's log file receives this project's INFO lines for the block."""
    path = log_path(store_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(LocalTimeFormatter(FORMAT))
    handler.setLevel(logging.INFO)
    loggers = [logging.getLogger(name) for name in LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
    try:
        yield path
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
        handler.close()
