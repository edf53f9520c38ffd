"""The workspace's state: the store it reviews, and the reviewed register, rebuilt only
when the store changed (a run, a package, a decision) since it was last built.

Each request opens its own connection (SQLite connections stay in their thread); the
register is shared by all requests, read only.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.model.campaign import Campaign, load_campaign
from pipeline.review.workspace import Reviewed, campaign_checks, review_register
from pipeline.settings import WorkspaceOptions
from pipeline.store.database import Store
from pipeline.store.review import ReviewStore

StoreState = tuple[int, int, int, int]


class Workspace:
    def __init__(self, options: WorkspaceOptions):
        self.options = options
        self.campaign: Campaign = load_campaign(options.campaign_path)
        self._lock = threading.Lock()
        self._built: tuple[StoreState, Reviewed] | None = None

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = Store(self.options.store_dir)
        try:
            yield store
        finally:
            store.close()
            keep_private(store)

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.campaign.timezone)

    def as_of(self, store: Store) -> dt.date:
        """The day the checks treat as today: as given, else the last run's (as
        ``intake publish`` does, so the workspace and the outputs agree), else today."""
        if self.options.as_of is not None:
            return self.options.as_of
        last = store.last_run()
        return dt.date.fromisoformat(last["as_of"]) if last and last["as_of"] else self.now().date()

    def reviewed(self) -> Reviewed:
        with self.store() as store:
            state = _state(store)
            with self._lock:
                if self._built is None or self._built[0] != state:
                    checks = campaign_checks(self.campaign, self.as_of(store))
                    self._built = (state, review_register(store, checks))
                return self._built[1]


def _state(store: Store) -> StoreState:
    row = store.db.execute("SELECT (SELECT COUNT(*) FROM packages), (SELECT COALESCE(MAX(id), 0)"
                           " FROM packages), (SELECT COALESCE(MAX(id), 0) FROM runs)").fetchone()
    return int(row[0]), int(row[1]), int(row[2]), ReviewStore(store).revision()


def keep_private(store: Store) -> None:
    """The database and SQLite's companion files readable by their owner only: they hold
    ID numbers, phone numbers and password hashes.

    A companion file comes and goes with the connections of other processes (a run
    checkpoints and removes the WAL file at any moment): one that is gone is no error."""
    for suffix in ("", "-wal", "-shm"):
        path = store.path.with_name(store.path.name + suffix)
        try:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            continue
