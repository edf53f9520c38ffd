"""SQLite, the source of truth: runs, raw messages, packages, files, candidates, form
versions, findings (opened, resolved), the reports already published, the sources'
ledgers, and the review workspace's decisions, audit trail and accounts.

``Store`` is the one entry point callers open: one connection, with every part's methods.
Each part knows only its own tables and lives in its own module (runs, messages, ledgers,
packages, findings; review and accounts are opened on a store); raw messages, attachment
bytes and read text live beside the database (``pipeline.store.files``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.store.findings import FindingLog
from pipeline.store.ledgers import SourceLedgers
from pipeline.store.messages import MessageArchive
from pipeline.store.packages import PackageTable
from pipeline.store.review import ReviewStore
from pipeline.store.runs import RunLog


@dataclass(frozen=True)
class StoreState:
    """What changes whenever a run, a package or a staff decision is added: a register
    built from the store is stale when this differs from when it was built."""

    packages: int
    last_package: int
    last_run: int
    decisions: int


class Store(RunLog, MessageArchive, SourceLedgers, PackageTable, FindingLog):
    def state(self) -> StoreState:
        row = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM packages), (SELECT COALESCE(MAX(id), 0) FROM packages),"
            " (SELECT COALESCE(MAX(id), 0) FROM runs)").fetchone()
        return StoreState(int(row[0]), int(row[1]), int(row[2]), ReviewStore(self).revision())
