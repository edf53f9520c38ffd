"""Every setting of a run in one model: paths, campaign, converter, OCR, mailbox, SMTP.

``RunOptions`` is what the command line and the Prefect flow build from their arguments;
pydantic checks the types when it is made. ``RunOptions.services`` then reads what comes
from the environment (INTAKE_IMAP_*, INTAKE_SMTP_*, INTAKE_DASK_*) and checks that every
setting can work. It is the run's first stage after its row in the store exists, so a bad setting
fails the run before any work, with a failure report that names the setting.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from extractors.conversion import CONVERTERS
from pipeline.model.campaign import DEFAULT_CAMPAIGN
from pipeline.outputs.mailer import SmtpSettings
from pipeline.sources.mailbox import MailboxSettings


class SettingsError(ValueError):
    """A setting that cannot work; the text (Chinese) names it."""


@dataclass(frozen=True)
class Services:
    """The outside services a run talks to, as configured; None: not used."""

    mailbox: MailboxSettings | None
    smtp: SmtpSettings | None


# A Dask scheduler's address ("tcp://10.0.0.5:8786", "tls://…", "10.0.0.5:8786"), or
# "local" for a cluster started by the run itself.
CLUSTER_ADDRESS = re.compile(r"^(local|([a-z]+://)?(\[[0-9a-fA-F:]+\]|[^\s/:\[\]]+)(:\d+)?)$")
DASK_ADDRESS_ENV = "INTAKE_DASK_ADDRESS"
DASK_WORKER_TIMEOUT_ENV = "INTAKE_DASK_WORKER_TIMEOUT"
DASK_WORKER_TIMEOUT = 120.0  # s a run waits with no Dask worker alive before it fails


@dataclass(frozen=True)
class ClusterSettings:
    """The Dask cluster that reads the messages of a run (``flows/cluster.py``)."""

    address: str  # the scheduler's, or "local"
    worker_timeout: float = DASK_WORKER_TIMEOUT

    @property
    def local(self) -> bool:
        return self.address == "local"


class RunOptions(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    inbox: Path
    outbox: Path
    store_dir: Path
    converter_name: str = "libreoffice"
    campaign_path: Path = DEFAULT_CAMPAIGN
    as_of: dt.date | None = None  # the date checks and the report treat as today
    now: dt.datetime | None = None
    ocr_engine: str | None = None  # engine that reads scans (extractors.ocr); None: names only
    # The mailbox: given here, or read from INTAKE_IMAP_* when the run starts
    # (mailbox_from_env); neither: the drop folder only.
    mailbox: MailboxSettings | None = None
    mailbox_from_env: bool = False
    secret_loader: Callable[[str], str] | None = None  # reads a Prefect Secret block
    # SMTP for sending the report: given here, or read from INTAKE_SMTP_* when it starts.
    smtp: SmtpSettings | None = None
    smtp_from_env: bool = True
    # Messages read on a Dask cluster: its scheduler's address, or "local"; None: the
    # address in INTAKE_DASK_ADDRESS if set, else here, one message after another.
    dask_address: str | None = None
    dask_worker_timeout: float | None = None  # None: INTAKE_DASK_WORKER_TIMEOUT, else 120 s
    flow_run_id: str | None = None  # the Prefect flow run driving this run, kept in its row

    @field_validator("ocr_engine")
    @classmethod
    def _no_engine(cls, name: str | None) -> str | None:
        """"none" reads no scan (kinds from file names only)."""
        return None if name is None or name.strip().lower() in ("", "none") else name

    def services(self, environ: Mapping[str, str] | None = None) -> Services:
        """The mailbox and SMTP settings, every setting checked; SettingsError if one
        cannot work."""
        env = os.environ if environ is None else environ
        self._check_local()
        self.cluster(env)
        try:
            mailbox = self.mailbox or (MailboxSettings.from_env(env, self.secret_loader)
                                       if self.mailbox_from_env else None)
            smtp = self.smtp or (SmtpSettings.from_env(env) if self.smtp_from_env else None)
        except ValueError as error:
            raise SettingsError(f"配置错误：{error}") from error
        return Services(mailbox, smtp)

    def cluster(self, environ: Mapping[str, str] | None = None) -> ClusterSettings | None:
        """The Dask cluster to read messages on, None for none; SettingsError if the
        address or the timeout cannot work."""
        env = os.environ if environ is None else environ
        address = (self.dask_address or env.get(DASK_ADDRESS_ENV) or "").strip()
        if address.lower() in ("", "none"):
            return None
        if not CLUSTER_ADDRESS.match(address):
            raise SettingsError(f"配置错误：Dask 集群地址“{address}”无效"
                                "（应为 local 或 tcp://主机:端口）")
        return ClusterSettings(address, self._worker_timeout(env))

    def _worker_timeout(self, env: Mapping[str, str]) -> float:
        if self.dask_worker_timeout is not None:
            value = str(self.dask_worker_timeout)
        else:
            value = env.get(DASK_WORKER_TIMEOUT_ENV, "").strip() or str(DASK_WORKER_TIMEOUT)
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if not seconds > 0 or math.isinf(seconds):
            raise SettingsError(f"配置错误：{DASK_WORKER_TIMEOUT_ENV} 应为正的秒数，而不是“{value}”")
        return seconds

    def _check_local(self) -> None:
        if self.converter_name not in CONVERTERS:
            raise SettingsError(f"配置错误：未知的文档转换引擎“{self.converter_name}”"
                                f"（可用：{'、'.join(sorted(CONVERTERS))}）")
        if not self.campaign_path.is_file():
            raise SettingsError(f"配置错误：活动配置文件不存在：{self.campaign_path}")
        if not self.inbox.is_dir():
            raise SettingsError(f"配置错误：收件目录不存在：{self.inbox}")
