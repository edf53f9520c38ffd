"""The workspace's state: the store it reviews, and the reviewed register, rebuilt only
when the store changed (a run, a package, a decision) since it was last built, through
the review-only stages (``pipeline.stages.REVIEW_ONLY``: the run's configuration, the
rebuild's day, the review stage), so that it checks as ``intake publish`` does.

Each request opens its own connection (SQLite connections stay in their thread); the
register is shared by all requests, read only.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.model.campaign import Campaign
from pipeline.review.workspace import Reviewed
from pipeline.settings import RunConfig, RunOptions, WorkspaceOptions
from pipeline.stages import REVIEW_ONLY, LocalRunner, RunState, run_stages
from pipeline.store.database import Store, StoreState


class Workspace:
    def __init__(self, options: WorkspaceOptions):
        self.options = options
        self._run_options = RunOptions(inbox=None, outbox=None, store_dir=options.store_dir,
                                       campaign_path=options.campaign_path, as_of=options.as_of,
                                       smtp_from_env=False)
        self._lock = threading.Lock()
        self._built: tuple[StoreState, RunState] | None = None
        self.reviewed()  # the first build: a bad setting stops the workspace starting

    @property
    def campaign(self) -> Campaign:
        return self.config.campaign

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = Store(self.options.store_dir)
        try:
            yield store
        finally:
            store.close()
            keep_private(store)

    def now(self) -> dt.datetime:
        """The time a page is shown (not the checks' day: that is ``as_of``)."""
        return dt.datetime.now(self.campaign.timezone)

    def as_of(self) -> dt.date:
        """The day the checks of the register last built treat as today: as given, else
        the last run's (the rebuild's rule, as ``intake publish``), else today."""
        return self.config.as_of

    @property
    def config(self) -> RunConfig:
        """The configuration the register last built was checked with."""
        assert self._built is not None, "built when the workspace starts"
        return self._built[1].run_config

    def reviewed(self) -> Reviewed:
        """The reviewed register, rebuilt through the review-only stages when the store
        changed since it was last built."""
        with self.store() as store:
            state = store.state()
        with self._lock:
            if self._built is None or self._built[0] != state:
                self._built = (state, self._rebuilt())
            reviewed = self._built[1].reviewed
        assert reviewed is not None
        return reviewed

    def _rebuilt(self) -> RunState:
        return run_stages(self._run_options, LocalRunner(), REVIEW_ONLY)


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
